package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Tenancies lists the tenancies in the officer's scope and finds one by address
// or household name.
type Tenancies struct {
	app.Compo
}

func (p *Tenancies) Render() app.UI {
	return NewShell().Title("Tenancies").Content(
		app.P().Class("lead").Text("Find a tenancy by address or household name, then open it to see its visits and promises."),
	)
}
