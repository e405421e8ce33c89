package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// Visit is the summary of one visit: what was recorded, each promise with
// where it stands and what the tenant said, and the tenant's link as a QR
// code to scan at the door or a link to share.
type Visit struct {
	app.Compo

	id      string
	view    VisitView
	ref     Reference
	account Account
	saved   SaveResult
	acting  string // the commitment an ActionAct waits on
	lastSeq int
	message string

	justSaved bool // arrived from the visit form's save: say so once loaded
	shared    ShareResult
}

func (p *Visit) OnMount(ctx app.Context) {
	ctx.ObserveState(StateVisit, &p.view).OnChange(func() { p.announceSaved(ctx) })
	ctx.ObserveState(StateReference, &p.ref)
	ctx.ObserveState(StateAccount, &p.account)
	ctx.ObserveState(StateSaved, &p.saved).OnChange(func() { p.onSaved(ctx) })
	ctx.ObserveState(StateShare, &p.shared).OnChange(func() { p.message = p.shared.Message })
}

func (p *Visit) OnNav(ctx app.Context) {
	p.id = lastSegment(ctx.Page().URL().Path, PathVisit)
	p.justSaved = ctx.Page().URL().Query().Get("saved") != ""
	if app.IsClient {
		ctx.NewActionWithValue(ActionOpenVisit, p.id)
	}
}

// announceSaved says "Saved on this phone" in the page's live region once
// the visit just saved is shown. The text changes after the region is on
// the page, which is what makes a screen reader read it out.
func (p *Visit) announceSaved(ctx app.Context) {
	if !p.justSaved || p.view.Visit.ID != p.id {
		return
	}
	p.justSaved = false
	ctx.Defer(func(ctx app.Context) {
		ctx.Dispatch(func(app.Context) { p.message = "Saved on this phone" })
	})
}

// onSaved reports the answer to a "Picked up" or "Done" and reloads the visit.
func (p *Visit) onSaved(ctx app.Context) {
	if p.acting == "" || p.saved.Seq == p.lastSeq {
		return
	}
	p.acting = ""
	if p.saved.Problem != "" {
		p.message = p.saved.Problem
		return
	}
	p.message = "Saved on this phone"
	ctx.NewActionWithValue(ActionOpenVisit, p.id)
}

func (p *Visit) act(ctx app.Context, c housing.Commitment, kind string) {
	if p.acting != "" {
		return
	}
	p.acting, p.lastSeq, p.message = c.ID, p.saved.Seq, "Saving…"
	ctx.NewActionWithValue(ActionAct, ActRequest{CommitmentID: c.ID, Kind: kind})
}

func (p *Visit) Render() app.UI {
	v := p.view
	if v.Visit.ID != p.id || p.id == "" {
		return NewShell().Title("Visit").Content(
			app.If(v.Problem != "", func() app.UI {
				return app.P().Class("field-problem").Role("alert").Text(v.Problem)
			}).Else(func() app.UI {
				return status("Loading…")
			}),
		)
	}
	return NewShell().Title(v.Visit.Purpose.Label()).Content(
		app.P().Class("lead").Body(
			app.A().Href(PathTenancy+v.Tenancy.ID).Text(tenancyName(v.Tenancy, v.Visit.TenancyID)), app.Br(),
			app.Span().Text(v.Visit.StartedAt.Local().Format("Mon 2 Jan 2006, 15:04")),
		),
		app.If(v.Pending[v.Visit.ID], func() app.UI {
			return app.P().Class("pending").Text("Saved on this phone, waiting to sync.")
		}),
		app.If(v.Visit.Notes != "", func() app.UI {
			return app.P().Class("visit-notes").Text(v.Visit.Notes)
		}),
		status(p.message),
		app.Section().Class("list-section").Aria("labelledby", "v-promises").Body(
			app.H2().ID("v-promises").Text("Promises made"),
			app.If(len(v.Commitments) == 0, func() app.UI {
				return app.P().Class("note").Text("No promises were made at this visit.")
			}),
			app.Range(v.Commitments).Slice(func(i int) app.UI { return p.commitment(v.Commitments[i]) }),
		),
		app.If(len(v.Feedback) > 0, func() app.UI {
			return app.Section().Class("list-section").Aria("labelledby", "v-feedback").Body(
				app.H2().ID("v-feedback").Text("Tenant's feedback"),
				app.Range(v.Feedback).Slice(func(i int) app.UI { return feedbackSummary(v.Feedback[i]) }),
			)
		}),
		app.Div().Class("actions").Body(
			app.A().Class("button button-secondary").Href(PathNewVisit+"?tenancy="+v.Visit.TenancyID).Text("Log another visit here"),
		),
	)
}

// commitment is one promise: where it stands, its tenant link, and the
// owning team's buttons. Its heading opens the promise in full.
func (p *Visit) commitment(c housing.Commitment) app.UI {
	link := p.view.Links[c.ID]
	return app.Article().Class("promise-card").Body(
		app.H3().Body(app.A().Href(PathPromise+c.ID).Text(c.What)),
		app.P().Class("promise-meta").Text(p.ref.FunctionName(c.FunctionID)+" · "+promiseDue(c)+" · "+statusText(c)),
		app.If(tenantSaid(c) != "", func() app.UI {
			return app.P().Class("tenant-said").Text(tenantSaid(c))
		}),
		app.If(p.view.Pending[c.ID], func() app.UI {
			return app.P().Class("pending").Text("Waiting to sync")
		}),
		app.If(link != "", func() app.UI { return tenantLink(link) }),
		promiseActions(p.account, c, p.acting != "", func(ctx app.Context, kind string) { p.act(ctx, c, kind) }),
	)
}

// feedbackSummary lists the tenant's answers in the words they chose.
func feedbackSummary(f housing.Feedback) app.UI {
	var lines []app.UI
	for _, q := range housing.Questions {
		if r, ok := f.Answers[q]; ok {
			lines = append(lines, app.Li().Text(q.Short()+": "+r.LabelFor(q)))
		}
	}
	if f.Comment != "" {
		lines = append(lines, app.Li().Text("Comment: "+f.Comment))
	}
	if f.Complaint {
		lines = append(lines, app.Li().Text("This is a complaint"))
	}
	return app.Ul().Class("feedback-summary").Body(lines...)
}
