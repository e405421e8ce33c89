package ui

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// AdminStandards is the service standards page (/admin/standards): every
// team's kinds of promise with how soon the team can realistically keep
// them and the latest allowed, in plain units; those set by law say so and
// why. An admin changes the soonest and the latest with a reason, and adds
// kinds of promise; every change is kept, and listed at the end. Officers'
// phones warn with the new figures from their next sync.
type AdminStandards struct {
	app.Compo

	signed adminSignedIn
	view   AdminStandardsView
	done   AdminDone

	asked adminAsked
	// editing is the one form open: a standard's ID to change it, or
	// "new:" and a team's ID to add a kind of promise to that team.
	editing string
	draft   standardDraft
	answer  AdminDone // the answer to the last change saved, shown at the top
}

// standardDraft is the open form as typed. Numbers stay text until saved,
// so a half-typed one is never lost or rewritten under the admin's thumb.
type standardDraft struct {
	Soonest, Limit, Reason string
	// A new kind of promise's own fields.
	Name, Source string
	Unit         housing.Unit
	Statutory    bool

	answer AdminDone
}

// standardFields are the form's inputs, by the names housing.Error uses.
var standardFields = []string{housing.FieldSoonest, housing.FieldLimit, housing.FieldReason, housing.FieldName, housing.FieldUnit, housing.FieldSource}

func (p *AdminStandards) OnMount(ctx app.Context) {
	ctx.ObserveState(StateAdminStandards, &p.view)
	ctx.ObserveState(StateAdminDone, &p.done).OnChange(func() {
		if !p.asked.answered(p.done) {
			return
		}
		if p.done.Problem != "" {
			p.draft.answer = p.done
			focus(ctx, "standard-"+firstOf(p.done.Field, "form")+"-problem")
			return
		}
		p.editing, p.draft, p.answer = "", standardDraft{}, p.done
		focus(ctx, "standards-answer")
	})
	p.signed.observe(ctx, p.load)
}

func (p *AdminStandards) load(ctx app.Context) { ctx.NewAction(ActionAdminStandards) }

func (p *AdminStandards) Render() app.UI {
	teams := p.view.Teams
	return adminShell("Service standards", PathAdminStandards, p.signed, p.view.Loaded,
		app.P().Class("note").Text("Officers' phones check each promise's due date against these: sooner than a team can realistically manage, "+
			"or later than allowed, and the officer is warned and asked why. A limit set by law can be made shorter, never longer. "+
			"Every change is kept with who made it and why, and reaches phones at their next sync."),
		place(p.answer.Action != "", func() app.UI { return adminAnswer("standards-answer", p.answer, "", AdminDone{}) }),
		app.Range(teams).Slice(func(i int) app.UI { return p.renderTeam(teams[i]) }),
		app.H2().Text("Changes"),
		p.renderHistory(),
	)
}

// renderTeam is one team's standards, and the way to add one.
func (p *AdminStandards) renderTeam(team housing.Function) app.UI {
	list := housing.StandardsFor(p.view.Standards, team.ID)
	return app.Section().Class("admin-team").Aria("labelledby", "team-"+team.ID).Body(
		app.H2().ID("team-"+team.ID).Text(team.Name),
		app.If(len(list) == 0, func() app.UI {
			return app.P().Class("note").Text("No standards yet: officers are not warned about the dates of this team's promises.")
		}),
		app.Ul().Class("admin-rows").Body(
			app.Range(list).Slice(func(i int) app.UI { return p.renderStandard(list[i]) }),
		),
		app.If(p.editing != "new:"+team.ID, func() app.UI {
			return app.Button().Type("button").Class("button button-secondary standard-add").Value("new:" + team.ID).
				OnClick(func(ctx app.Context, e app.Event) { p.edit(ctx, value(ctx)) }).
				Text("Add a kind of promise for " + team.Name)
		}).Else(func() app.UI {
			return p.renderForm(housing.Standard{FunctionID: team.ID})
		}),
	)
}

// renderStandard is one standard, with its change button or form.
func (p *AdminStandards) renderStandard(s housing.Standard) app.UI {
	return app.Li().Class("admin-row").DataSet("standard", s.ID).Body(
		app.P().Class("admin-row-title").Body(
			app.Strong().Text(s.Name),
			app.If(s.Statutory, func() app.UI { return app.Span().Class("admin-tag admin-tag-law").Text("Set by law") }),
		),
		app.Dl().Class("review-facts").Body(
			app.Dt().Text("Soonest"), app.Dd().Class("standard-soonest").Text(soonestWords(s)),
			app.Dt().Text("Latest"), app.Dd().Class("standard-limit").Text(limitWords(s)),
		),
		app.P().Class("admin-source").Text(sourceWords(s)),
		app.If(p.editing != s.ID, func() app.UI {
			return app.Button().Type("button").Class("button button-secondary standard-change").Value(s.ID).
				OnClick(func(ctx app.Context, e app.Event) { p.edit(ctx, value(ctx)) }).
				Text("Change")
		}).Else(func() app.UI {
			return p.renderForm(s)
		}),
	)
}

// soonestWords and limitWords say a standard's figures as an officer's
// warning does: "2 working days", "24 hours".
func soonestWords(s housing.Standard) string {
	if s.Soonest == 0 {
		return "The same day"
	}
	return s.Unit.Amount(s.Soonest)
}

func limitWords(s housing.Standard) string {
	if s.Limit == 0 {
		return "No limit"
	}
	return s.Unit.Amount(s.Limit)
}

// sourceWords says where a standard's rule comes from.
func sourceWords(s housing.Standard) string {
	switch {
	case s.Statutory && s.Source != "":
		return "Why: " + s.Source + " The limit can be made shorter, never longer."
	case s.Statutory:
		return "Set by law or the regulator: the limit can be made shorter, never longer."
	case s.Source != "":
		return "Why: " + s.Source
	}
	return "Landlord policy."
}

// edit opens the form key names: a standard's ID, or "new:" and a team's.
func (p *AdminStandards) edit(ctx app.Context, key string) {
	p.editing, p.draft = key, standardDraft{Unit: housing.UnitWorkingDays}
	if s, ok := housing.FindStandard(p.view.Standards, key); ok {
		p.draft.Soonest, p.draft.Limit = strconv.Itoa(s.Soonest), strconv.Itoa(s.Limit)
		focus(ctx, "standard-soonest")
		return
	}
	focus(ctx, "standard-name")
}

// renderForm changes standard s, or adds one to its team when s has no ID.
func (p *AdminStandards) renderForm(s housing.Standard) app.UI {
	d := &p.draft
	adding := s.ID == ""
	unit := s.Unit
	if adding {
		unit = d.Unit
	}
	problem := func(field string) string { return adminProblem(d.answer, field, standardFields...) }
	number := func(name, label, v string, set func(string)) app.UI {
		id := "standard-" + name
		return field(id, label, app.Input().Type("number").ID(id).Attr("min", 0).Attr("step", 1).Attr("inputmode", "numeric").
			Aria("describedby", id+"-problem").Value(v).
			OnInput(func(ctx app.Context, e app.Event) { set(value(ctx)) }), problem(name))
	}
	limitLabel := "Latest allowed, in " + unitWords(unit) + " (0 for no limit)"
	if s.Statutory {
		limitLabel = "Latest allowed, in " + unitWords(unit) + " (set by law: " + s.Unit.Amount(s.Limit) + " at most)"
	}
	save := "Save the change"
	if adding {
		save = "Add"
	}
	return app.Form().ID("standard-form").Class("admin-form admin-panel").NoValidate(true).
		OnSubmit(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			p.submit(ctx)
		}).
		Body(
			place(adding, func() app.UI {
				return app.Div().Body(
					field("standard-name", "What kind of promise (as officers will see it in the form)", app.Input().Type("text").ID("standard-name").
						Attr("autocomplete", "off").Attr("maxlength", housing.MaxStandardName).Aria("describedby", "standard-name-problem").Value(d.Name).
						OnInput(func(ctx app.Context, e app.Event) { d.Name = value(ctx) }), problem(housing.FieldName)),
					app.FieldSet().Class("choices").Body(
						app.Legend().Text("Counted in"),
						radioChoices("standard-unit", []choice{{Value: string(housing.UnitWorkingDays), Label: "Working days"}, {Value: string(housing.UnitHours), Label: "Hours"}},
							string(d.Unit), func(_, v string) { d.Unit = housing.Unit(v) }),
						lastProblem("standard-unit", problem(housing.FieldUnit)),
					),
				)
			}),
			number(housing.FieldSoonest, "Soonest the team can realistically keep it, in "+unitWords(unit)+" (0 for the same day)", d.Soonest, func(v string) { d.Soonest = v }),
			number(housing.FieldLimit, limitLabel, d.Limit, func(v string) { d.Limit = v }),
			place(adding, func() app.UI {
				return app.Div().Body(
					app.Div().Class("choice").Body(
						app.Input().Type("checkbox").ID("standard-statutory").Attr("checked", boolAttr(d.Statutory)).
							OnChange(func(ctx app.Context, e app.Event) { d.Statutory = checked(ctx) }),
						app.Label().For("standard-statutory").Text("Set by law or the regulator (its limit can then only be made shorter)"),
					),
					field("standard-source", "Where the rule comes from (officers see it)", app.Textarea().ID("standard-source").Rows(2).
						Attr("maxlength", housing.MaxStandardSource).Aria("describedby", "standard-source-problem").Text(d.Source).
						OnInput(func(ctx app.Context, e app.Event) { d.Source = value(ctx) }), problem(housing.FieldSource)),
				)
			}),
			field("standard-reason", "Why (required; kept with the change)", app.Textarea().ID("standard-reason").Rows(3).
				Attr("required", boolAttr(true)).Attr("maxlength", housing.MaxReasonLength).Aria("describedby", "standard-reason-problem").Text(d.Reason).
				OnInput(func(ctx app.Context, e app.Event) { d.Reason = value(ctx) }), problem(housing.FieldReason)),
			problemText("standard-form", problem("")),
			app.Div().Class("actions").Body(
				app.Button().Type("submit").Class("button").Attr("disabled", boolAttr(p.asked.waiting())).Text(busyText(p.asked.waiting(), save, "Saving…")),
				app.Button().Type("button").Class("button button-secondary").
					OnClick(func(ctx app.Context, e app.Event) { p.editing, p.draft = "", standardDraft{} }).Text("Cancel"),
			),
		)
}

// unitWords names a unit in a label.
func unitWords(u housing.Unit) string {
	if u == housing.UnitHours {
		return "hours"
	}
	return "working days"
}

// submit builds the change from the draft, checks it on its own as the
// server will (StandardChange.Validate), and sends it. Whether it may
// replace the stored standard (a statutory limit made longer) is the
// server's to say: its refusal shows on the field it names.
func (p *AdminStandards) submit(ctx app.Context) {
	if p.asked.waiting() {
		return
	}
	d := &p.draft
	ch, err := p.change()
	if err == nil {
		err = ch.Validate()
	}
	if err != nil {
		d.answer = validationAnswer(err)
		focus(ctx, "standard-"+firstOf(d.answer.Field, "form")+"-problem")
		return
	}
	d.answer = AdminDone{}
	p.asked.ask(ctx, ActionAdminSetStandard, ch.Standard.ID, ch)
}

// change is the draft as the change to send: the stored standard with the
// new figures, or a new one for the team being added to.
func (p *AdminStandards) change() (housing.StandardChange, error) {
	d := p.draft
	s, ok := housing.FindStandard(p.view.Standards, p.editing)
	if !ok {
		team, _ := strings.CutPrefix(p.editing, "new:")
		kind := strings.ReplaceAll(slug(d.Name), "-", "_")
		s = housing.Standard{ID: team + "." + kind, FunctionID: team, Kind: kind, Name: strings.TrimSpace(d.Name),
			Unit: d.Unit, Statutory: d.Statutory, Source: strings.TrimSpace(d.Source)}
		if _, taken := housing.FindStandard(p.view.Standards, s.ID); taken {
			return housing.StandardChange{}, housing.Invalid(housing.FieldName, "This team already has a kind of promise by that name: change that one instead.")
		}
	}
	var err error
	if s.Soonest, err = wholeNumber(housing.FieldSoonest, d.Soonest, s.Unit); err != nil {
		return housing.StandardChange{}, err
	}
	if s.Limit, err = wholeNumber(housing.FieldLimit, d.Limit, s.Unit); err != nil {
		return housing.StandardChange{}, err
	}
	return housing.StandardChange{Standard: s, Reason: strings.TrimSpace(d.Reason)}, nil
}

// wholeNumber reads a count of unit typed into field.
func wholeNumber(field, typed string, unit housing.Unit) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(typed))
	if err != nil || n < 0 {
		return 0, housing.Invalid(field, "Enter a whole number of %s: 0 or more.", unitWords(unit))
	}
	return n, nil
}

// renderHistory lists the changes made to the standards, newest first.
func (p *AdminStandards) renderHistory() app.UI {
	h := p.view.History
	if len(h) == 0 {
		return app.P().Class("note").Text("No changes yet: the standards are Doorstep's defaults, or as they were loaded.")
	}
	return app.Ul().Class("admin-rows admin-history").Aria("label", "Changes to the standards").Body(
		app.Range(h).Slice(func(i int) app.UI {
			a := h[i]
			return app.Li().Class("admin-row").Body(
				app.P().Class("review-meta").Text(adminTime(a.At)+" · "+firstOf(a.ByName, "An admin")),
				app.P().Body(app.Strong().Text(a.After.Name+": "), app.Text(changeWords(a))),
				app.P().Text("Why: "+a.Reason),
			)
		}),
	)
}

// changeWords says what one change did to a standard.
func changeWords(a housing.StandardAudit) string {
	if a.Before == nil {
		return "added, soonest " + soonestWords(a.After) + ", latest " + limitWords(a.After) + "."
	}
	var parts []string
	if a.Before.Soonest != a.After.Soonest {
		parts = append(parts, "soonest from "+soonestWords(*a.Before)+" to "+soonestWords(a.After))
	}
	if a.Before.Limit != a.After.Limit {
		parts = append(parts, "latest from "+limitWords(*a.Before)+" to "+limitWords(a.After))
	}
	if a.Before.Name != a.After.Name || a.Before.Source != a.After.Source || a.Before.Statutory != a.After.Statutory {
		parts = append(parts, "its words changed")
	}
	if len(parts) == 0 {
		return "changed."
	}
	return strings.Join(parts, "; ") + "."
}
