package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Review is the supervisors' queue of commitments that need a decision.
type Review struct {
	app.Compo
}

func (p *Review) Render() app.UI {
	return NewShell().Title("Review").Content(
		app.P().Class("lead").Text("For supervisors: promises that are overdue, due soon, disputed by the tenant, not yet acknowledged or broken, across sites and functions."),
	)
}
