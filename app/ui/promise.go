package ui

import (
	"slices"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// Promise is one commitment in full: what was promised to whom, by when,
// where it stands, what the tenant said and what happened to it. The team
// that keeps it says here that they have picked it up and that it is done,
// wherever on the landlord's estate it was made.
type Promise struct {
	app.Compo

	id      string
	view    PromiseView
	ref     Reference
	account Account
	saved   SaveResult
	acting  bool
	lastSeq int
	message string
	shared  ShareResult
}

func (p *Promise) OnMount(ctx app.Context) {
	ctx.ObserveState(StatePromise, &p.view)
	ctx.ObserveState(StateReference, &p.ref)
	ctx.ObserveState(StateAccount, &p.account)
	ctx.ObserveState(StateSaved, &p.saved).OnChange(func() { p.onSaved(ctx) })
	ctx.ObserveState(StateShare, &p.shared).OnChange(func() { p.message = p.shared.Message })
}

func (p *Promise) OnNav(ctx app.Context) {
	p.id = lastSegment(ctx.Page().URL().Path, PathPromise)
	if app.IsClient {
		ctx.NewActionWithValue(ActionOpenPromise, p.id)
	}
}

// onSaved reports the answer to "Picked up" or "Done"; the wiring publishes
// the promise again with its new status.
func (p *Promise) onSaved(ctx app.Context) {
	if !p.acting || p.saved.Seq == p.lastSeq {
		return
	}
	p.acting = false
	if p.saved.Problem != "" {
		p.message = p.saved.Problem
		return
	}
	p.message = "Saved on this phone"
}

func (p *Promise) act(ctx app.Context, kind string) {
	if p.acting {
		return
	}
	p.acting, p.lastSeq, p.message = true, p.saved.Seq, "Saving…"
	ctx.NewActionWithValue(ActionAct, ActRequest{CommitmentID: p.id, Kind: kind})
}

func (p *Promise) Render() app.UI {
	v := p.view
	c := v.Commitment
	if c.ID != p.id || p.id == "" {
		return NewShell().Title("Promise").Content(
			app.If(v.Problem != "", func() app.UI {
				return app.P().Class("field-problem").Role("alert").Text(v.Problem)
			}).Else(func() app.UI {
				return status("Loading…")
			}),
		)
	}
	return NewShell().Title("Promise").Content(
		app.P().Class("promise-what-large").Text(c.What),
		app.If(v.Pending, func() app.UI {
			return app.P().Class("pending").Text("Saved on this phone, waiting to sync.")
		}),
		app.Dl().Class("facts").Body(
			app.Div().Body(app.Dt().Text("Made to"), app.Dd().Body(
				app.A().Href(PathTenancy+c.TenancyID).Text(c.Household+", "+c.Address),
			)),
			fact("Team keeping it", p.ref.FunctionName(c.FunctionID)),
			fact("Due", dueWhen(c)),
			fact("Where it stands", statusText(c)),
			app.If(c.StandardID != "", func() app.UI {
				return fact("Kind of promise", standardName(p.ref.Standards, c.StandardID))
			}),
			app.If(c.OverrideReason != "", func() app.UI {
				return fact("Why this date", c.OverrideReason)
			}),
			app.If(tenantSaid(c) != "", func() app.UI {
				return fact("The tenant says", tenantSaid(c))
			}),
			fact("Made by", c.MadeByName),
		),
		status(p.message),
		promiseActions(p.account, c, p.acting, p.act),
		app.If(v.Link != "", func() app.UI { return tenantLink(v.Link) }),
		app.If(len(c.History) > 0, func() app.UI {
			return app.Section().Class("list-section").Aria("labelledby", "p-history").Body(
				app.H2().ID("p-history").Text("What has happened"),
				app.Ol().Class("history").Body(
					app.Range(c.History).Slice(func(i int) app.UI { return historyItem(c.History[i]) }),
				),
			)
		}),
		app.If(c.VisitID != "", func() app.UI {
			return app.Div().Class("actions").Body(
				app.A().Class("button button-secondary").Href(PathVisit + c.VisitID).Text("See the visit"),
			)
		}),
	)
}

// ownsPromise reports whether the signed-in officer's team keeps promise c,
// or it is named as theirs: they say it is picked up and done.
func ownsPromise(a Account, c housing.Commitment) bool {
	return slices.Contains(a.Officer.Functions, c.FunctionID) || (c.OwnerID != "" && c.OwnerID == a.Officer.ID)
}

// promiseActions are the owning team's buttons: "Picked up" while the
// promise is open, "Done" while work is still due. act is called with the
// mutation kind; busy disables both while the phone saves.
func promiseActions(a Account, c housing.Commitment, busy bool, act func(ctx app.Context, kind string)) app.UI {
	if !ownsPromise(a, c) || !c.Status.Pending() {
		return nil
	}
	return app.Div().Class("actions").Body(
		app.If(c.Status == housing.StatusOpen, func() app.UI {
			return app.Button().Type("button").Class("button").Attr("disabled", boolAttr(busy)).
				OnClick(func(ctx app.Context, e app.Event) { act(ctx, housing.KindCommitmentAcknowledge) }).
				Text("Picked up")
		}),
		app.Button().Type("button").Class("button").Attr("disabled", boolAttr(busy)).
			OnClick(func(ctx app.Context, e app.Event) { act(ctx, housing.KindCommitmentComplete) }).
			Text("Done"),
	)
}

// tenantLink is a promise's tenant link as a QR code to scan at the door,
// the link in words, and a button to share or copy it.
func tenantLink(link string) app.UI {
	return app.Div().Class("tenant-link").Body(
		QR(link),
		app.P().Class("link-text").Text(link),
		app.Button().Type("button").Class("button button-secondary").
			OnClick(func(ctx app.Context, e app.Event) { ctx.NewActionWithValue(ActionShare, link) }).
			Text("Share the tenant's link"),
	)
}

// statusText is where a promise stands, with its escalation.
func statusText(c housing.Commitment) string {
	s := c.Status.Label()
	if c.Escalated {
		s += " (escalated)"
	}
	return s
}

// standardName is the name of the standard with the given ID, or the ID.
func standardName(standards []housing.Standard, id string) string {
	if s, ok := housing.FindStandard(standards, id); ok {
		return s.Name
	}
	return id
}

// historyItem is one event in a promise's life, in plain words.
func historyItem(e housing.Event) app.UI {
	what := eventLabel(e.Kind)
	if e.To != "" && e.Kind == housing.KindCommitmentExtend {
		what += " to " + housing.Date(e.To).Human()
	}
	by := e.ByName
	if e.By == housing.TenantActor {
		by = "the tenant"
	}
	line := what + " · " + e.At.Local().Format("Mon 2 Jan 2006, 15:04")
	if by != "" {
		line += " · " + by
	}
	return app.Li().Body(
		app.Span().Text(line),
		app.If(e.Note != "", func() app.UI { return app.Span().Class("history-note").Text(e.Note) }),
	)
}

// eventLabel is a mutation kind as the officer says it.
func eventLabel(kind string) string {
	switch kind {
	case housing.KindCommitmentMake:
		return "Promised"
	case housing.KindCommitmentAcknowledge:
		return "Picked up"
	case housing.KindCommitmentComplete:
		return "Done"
	case housing.KindCommitmentCancel:
		return "Cancelled"
	case housing.KindCommitmentReassign:
		return "Passed to another team"
	case housing.KindCommitmentExtend:
		return "Due date moved"
	case housing.KindCommitmentEscalate:
		return "Escalated"
	case housing.KindCommitmentBreak:
		return "Marked broken"
	case housing.KindCommitmentTenant:
		return "The tenant answered"
	}
	return kind
}
