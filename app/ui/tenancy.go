package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// Tenancy is one tenancy: who lives there, what has been recorded, and a
// big button to log a visit there.
type Tenancy struct {
	app.Compo

	id   string
	view TenancyView
	ref  Reference
}

func (p *Tenancy) OnMount(ctx app.Context) {
	ctx.ObserveState(StateTenancy, &p.view)
	ctx.ObserveState(StateReference, &p.ref)
}

func (p *Tenancy) OnNav(ctx app.Context) {
	p.id = lastSegment(ctx.Page().URL().Path, PathTenancy)
	if app.IsClient {
		ctx.NewActionWithValue(ActionOpenTenancy, p.id)
	}
}

func (p *Tenancy) Render() app.UI {
	v := p.view
	if v.Tenancy.ID != p.id || p.id == "" {
		return NewShell().Title("Tenancy").Content(
			app.If(v.Problem != "", func() app.UI {
				return app.P().Class("field-problem").Role("alert").Text(v.Problem)
			}).Else(func() app.UI {
				return status("Loading…")
			}),
			app.A().Class("button button-secondary").Href(PathTenancies).Text("Find a tenancy"),
		)
	}
	t := v.Tenancy
	return NewShell().Title(t.Household).Content(
		app.P().Class("lead").Body(
			app.Span().Text(t.Address+" "+t.Postcode), app.Br(),
			app.Span().Class("tenancy-ref").Text(referenceLine(t)),
		),
		app.Div().Class("actions").Body(
			app.A().Class("button").Href(PathNewVisit+"?tenancy="+t.ID).Text("Log a visit here"),
		),
		app.Section().Class("list-section").Aria("labelledby", "t-promises").Body(
			app.H2().ID("t-promises").Text("Promises"),
			app.If(len(v.Commitments) == 0, func() app.UI {
				return app.P().Class("note").Text("No promises recorded here.")
			}).Else(func() app.UI {
				return app.Ul().Class("promises").Body(
					app.Range(v.Commitments).Slice(func(i int) app.UI {
						return promiseItem(v.Commitments[i], p.ref, false)
					}),
				)
			}),
		),
		app.Section().Class("list-section").Aria("labelledby", "t-visits").Body(
			app.H2().ID("t-visits").Text("Visits"),
			app.If(len(v.Visits) == 0, func() app.UI {
				return app.P().Class("note").Text("No visits recorded here.")
			}).Else(func() app.UI {
				return app.Ul().Class("rows").Body(
					app.Range(v.Visits).Slice(func(i int) app.UI {
						vi := v.Visits[i]
						return app.Li().Body(
							app.A().Class("row").Href(PathVisit+vi.ID).Body(
								app.Strong().Text(vi.Purpose.Label()),
								app.Span().Text(vi.StartedAt.Local().Format("Mon 2 Jan 2006, 15:04")),
							),
						)
					}),
				)
			}),
		),
	)
}

// referenceLine says the tenancy's reference. A tenancy the phone does not
// hold (it has ended, or is on another site) is shown from its promises,
// which carry no reference; the line says so instead, in the same place.
func referenceLine(t housing.Tenancy) string {
	if t.Reference == "" {
		return "Not on this phone: shown from its promises."
	}
	return "Reference " + t.Reference
}
