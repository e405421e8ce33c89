package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// NewVisit is the form an officer fills in at the door: purpose, notes,
// promises made and feedback.
type NewVisit struct {
	app.Compo
}

func (p *NewVisit) Render() app.UI {
	return NewShell().Title("New visit").Content(
		app.P().Class("lead").Text("Log a visit: the tenancy, its purpose and your notes, the promises you made and the tenant's feedback."),
	)
}
