package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// ReviewRow is one promise in a queue: whose it is, what, who owns it, when
// it is due and how late, and a form for what the supervisor decides:
// reassign, extend, escalate or mark broken, each with a reason.
type ReviewRow struct {
	app.Compo

	Item    housing.QueueItem
	Today   housing.Date
	Options housing.ReviewOptions
	Open    bool
	OnOpen  func(open bool)
	OnSaved func()

	form   reviewActForm
	shown  string // the ID of the promise the row's state is about
	saved  SaveResult
	acting bool   // an action was raised and its SaveResult is awaited
	done   string // the kind of the last action saved
}

// reviewActForm is the action form as typed.
type reviewActForm struct {
	kind     string
	function string
	owner    string
	due      string
	reason   string
	problem  string
}

// OnUpdate starts the row afresh when its parent reuses it for another
// promise: go-app matches the rows by position, and a reload that moves
// the promises would otherwise show one promise's half-typed action, or its
// "saved" note, on the next.
func (r *ReviewRow) OnUpdate(ctx app.Context) {
	if id := r.Item.Commitment.ID; id != r.shown {
		r.shown, r.form, r.done = id, reviewActForm{}, ""
	}
}

func (r *ReviewRow) OnMount(ctx app.Context) {
	r.shown = r.Item.Commitment.ID
	ctx.ObserveState(StateSaved, &r.saved).OnChange(func() {
		if !r.acting {
			return
		}
		r.acting = false
		if r.saved.Problem != "" {
			r.form.problem = r.saved.Problem
			return
		}
		r.done = r.form.kind
		r.form = reviewActForm{}
		if r.OnOpen != nil {
			r.OnOpen(false)
		}
		if r.OnSaved != nil {
			r.OnSaved()
		}
	})
}

func (r *ReviewRow) Render() app.UI {
	it, c := r.Item, r.Item.Commitment
	owner := it.FunctionName
	if it.OwnerName != "" {
		owner += " · " + it.OwnerName
	}
	id := "act-" + c.ID
	return app.Li().Class("review-row").Body(
		app.P().Class("review-what").Text(c.What),
		app.P().Class("review-meta").Body(
			app.A().Href(PathReviewTenancy+c.TenancyID).Text(it.TenancyRef),
			app.Text(" · "+c.Household+" · "+it.SiteName),
		),
		app.Dl().Class("review-facts").Body(
			app.Dt().Text("Owner"), app.Dd().Text(owner),
			app.Dt().Text("Due"), app.Dd().Text(reviewDue(c, it.DaysOver)),
			app.Dt().Text("Status"), app.Dd().Text(reviewStatus(c)),
			app.Dt().Text("Made by"), app.Dd().Text(c.MadeByName+", "+housing.LocalDate(c.ReceivedAt).Human()),
		),
		place(c.Escalated, func() app.UI { return app.P().Class("review-flag").Text("Escalated") }),
		place(r.done != "", func() app.UI {
			return app.P().Class("review-saved").Attr("role", "status").Text(reviewKind(r.done) + ": saved on this phone; it reaches the server with the next sync.")
		}),
		app.If(!r.Open, func() app.UI {
			return app.Button().Type("button").Class("button button-secondary").
				Aria("expanded", false).Aria("controls", id).
				OnClick(func(ctx app.Context, e app.Event) { r.setOpen(true) }).
				Text("Act on this promise")
		}).Else(func() app.UI {
			return r.renderForm(id)
		}),
	)
}

func (r *ReviewRow) setOpen(open bool) {
	r.form = reviewActForm{}
	if open {
		r.form.kind = housing.KindCommitmentReassign
		r.form.function = r.Item.Commitment.FunctionID
	}
	if r.OnOpen != nil {
		r.OnOpen(open)
	}
}

// reviewActKinds are a supervisor's actions in the order the form offers them.
var reviewActKinds = []string{housing.KindCommitmentReassign, housing.KindCommitmentExtend, housing.KindCommitmentEscalate, housing.KindCommitmentBreak}

func (r *ReviewRow) renderForm(id string) app.UI {
	f := &r.form
	field := func(name string) string { return id + "-" + name }
	reasonLabel := "Reason (required)"
	if f.kind == housing.KindCommitmentBreak {
		reasonLabel = "Apology to the tenant (required; shown on their page)"
	} else if f.kind == housing.KindCommitmentExtend {
		reasonLabel = "Reason (required; the tenant sees it with the new date)"
	}
	return app.Form().ID(id).Class("review-act").NoValidate(true).
		OnSubmit(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			r.submit(ctx)
		}).
		Body(
			app.FieldSet().Body(
				app.Legend().Text("What do you want to do?"),
				app.Range(reviewActKinds).Slice(func(i int) app.UI {
					k := reviewActKinds[i]
					return app.Label().Class("review-choice").Body(
						app.Input().Type("radio").ID(field("kind-"+k)).Name(field("kind")).Value(k).Attr("checked", boolAttr(f.kind == k)).
							OnChange(func(ctx app.Context, e app.Event) {
								if checked(ctx) {
									f.kind, f.problem = value(ctx), ""
								}
							}),
						app.Text(" "+reviewKind(k)),
					)
				}),
			),
			place(f.kind == housing.KindCommitmentReassign, func() app.UI {
				return app.Div().Body(
					reviewField(field("function"), "Team", app.Select().ID(field("function")).
						OnChange(func(ctx app.Context, e app.Event) {
							f.function, f.owner = chosen(ctx), ""
						}).
						Body(app.Range(r.Options.Functions).Slice(func(i int) app.UI {
							fn := r.Options.Functions[i]
							return app.Option().Value(fn.ID).Attr("selected", boolAttr(fn.ID == f.function)).Text(fn.Name)
						}))),
					reviewField(field("owner"), "Officer (optional)", app.Select().ID(field("owner")).
						OnChange(func(ctx app.Context, e app.Event) { f.owner = chosen(ctx) }).
						Body(
							app.Option().Value("").Attr("selected", boolAttr(f.owner == "")).Text("Anyone in the team"),
							app.Range(reviewOfficersIn(r.Options.Officers, f.function)).Slice(func(i int) app.UI {
								o := reviewOfficersIn(r.Options.Officers, f.function)[i]
								return app.Option().Value(o.ID).Attr("selected", boolAttr(o.ID == f.owner)).Text(o.Name)
							}),
						)),
				)
			}),
			place(f.kind == housing.KindCommitmentExtend, func() app.UI {
				return reviewField(field("due"), "New due date", app.Input().Type("date").ID(field("due")).
					Value(f.due).Attr("min", string(r.Today)).
					OnChange(func(ctx app.Context, e app.Event) { f.due = ctx.JSSrc().Get("value").String() }))
			}),
			reviewField(field("reason"), reasonLabel, app.Textarea().ID(field("reason")).Rows(3).Attr("required", boolAttr(true)).
				Attr("maxlength", housing.MaxComment).Text(f.reason).
				OnInput(func(ctx app.Context, e app.Event) { f.reason = ctx.JSSrc().Get("value").String() })),
			problemText(id, f.problem).Class("review-problem").TabIndex(-1),
			app.Div().Class("actions").Body(
				app.Button().Type("submit").Class("button").Text("Save "+strings.ToLower(reviewKind(f.kind))),
				app.Button().Type("button").Class("button button-secondary").
					OnClick(func(ctx app.Context, e app.Event) { r.setOpen(false) }).Text("Cancel"),
			),
		)
}

// submit checks the action against the state machine the server will apply
// (so a missing reason is caught here, offline) and raises it as ActionAct:
// the replica saves it on the phone and sync sends it, as for any change.
func (r *ReviewRow) submit(ctx app.Context) {
	f := &r.form
	a := ActRequest{CommitmentID: r.Item.Commitment.ID, Kind: f.kind, Action: housing.CommitmentAction{Reason: strings.TrimSpace(f.reason)}}
	switch f.kind {
	case housing.KindCommitmentReassign:
		a.Action.FunctionID, a.Action.OwnerID = f.function, f.owner
	case housing.KindCommitmentExtend:
		a.Action.DueDate = housing.Date(f.due)
	}
	if err := reviewCheck(r.Item.Commitment, a); err != nil {
		f.problem = housing.ErrorMessage(err)
		focus(ctx, "act-"+a.CommitmentID+"-problem")
		return
	}
	f.problem, r.acting, r.done = "", true, ""
	ctx.NewActionWithValue(ActionAct, a)
}

// reviewCheck runs a through the commitment state machine on the row's copy,
// so the supervisor hears at once what the server would refuse.
func reviewCheck(c housing.Commitment, a ActRequest) error {
	if a.Kind == housing.KindCommitmentExtend && a.Action.DueDate == "" {
		return housing.Errorf(housing.CodeInvalid, "Choose the new due date.")
	}
	_, outcome, err := housing.Transition(c, housing.Act{Kind: a.Kind, Action: a.Action, At: time.Now()})
	if err != nil {
		return err
	}
	if outcome == housing.Unchanged {
		return housing.Errorf(housing.CodeInvalid, "That would change nothing: choose another team, officer or date.")
	}
	return nil
}

// reviewOfficersIn returns the officers who work in function.
func reviewOfficersIn(all []housing.Officer, function string) []housing.Officer {
	var out []housing.Officer
	for _, o := range all {
		for _, f := range o.Functions {
			if f == function {
				out = append(out, o)
				break
			}
		}
	}
	return out
}

// reviewField puts a label above a form control.
func reviewField(id, label string, control app.UI) app.UI {
	return app.Div().Class("review-field").Body(
		app.Label().For(id).Text(label),
		control,
	)
}

// reviewDue says when c is due and how late it is on the review's day.
func reviewDue(c housing.Commitment, daysOver int) string {
	s := c.DueDate.Human()
	if c.DueTime != "" {
		s += " by " + c.DueTime
	}
	switch {
	case !c.Status.Pending():
	case daysOver == 1:
		s += " · 1 day over"
	case daysOver > 1:
		s += " · " + strconv.Itoa(daysOver) + " days over"
	case daysOver == 0:
		s += " · due today"
	case daysOver == -1:
		s += " · due tomorrow"
	default:
		s += " · due in " + strconv.Itoa(-daysOver) + " days"
	}
	return s
}

// reviewStatus is the status with what the tenant said.
func reviewStatus(c housing.Commitment) string {
	s := c.Status.Label()
	switch c.TenantAgreement {
	case housing.TenantAgreed:
		s += " · tenant agreed"
	case housing.TenantNotAgreed:
		s += " · tenant says this isn't right"
	}
	switch c.TenantOutcome {
	case housing.TenantDone:
		s += " · tenant says it was done"
	case housing.TenantNotDone:
		s += " · tenant says it wasn't done"
	}
	return s
}

// reviewKind names a mutation kind as a supervisor would say it.
func reviewKind(kind string) string {
	switch kind {
	case housing.KindCommitmentReassign:
		return "Reassign"
	case housing.KindCommitmentExtend:
		return "Extend the due date"
	case housing.KindCommitmentEscalate:
		return "Escalate"
	case housing.KindCommitmentBreak:
		return "Mark broken"
	case housing.KindCommitmentMake:
		return "New promise"
	case housing.KindCommitmentAcknowledge:
		return "Pick up"
	case housing.KindCommitmentComplete:
		return "Mark done"
	case housing.KindCommitmentCancel:
		return "Cancel"
	case housing.KindVisitRecord:
		return "Visit"
	case housing.KindFeedbackGive:
		return "Feedback"
	case housing.KindCommitmentTenant:
		return "Tenant's answer"
	}
	return kind
}
