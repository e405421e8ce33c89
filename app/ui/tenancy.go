package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Tenancy shows one tenancy (/tenancies/{id}): household, address, visits,
// promises and feedback.
type Tenancy struct {
	app.Compo
}

func (p *Tenancy) Render() app.UI {
	return NewShell().Title("Tenancy").Content(
		app.P().Class("lead").Text("This tenancy's household, address, visits, open promises and the tenant's feedback."),
	)
}
