package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Home is the officer's day: today's visits and the promises falling due,
// with the two things done most often one tap away.
type Home struct {
	app.Compo
}

func (h *Home) Render() app.UI {
	return NewShell().Title("Today").Content(
		app.P().Class("lead").Text("Your visits for today and the promises falling due show here once you have signed in and synced."),
		app.Div().Class("actions").Body(
			app.A().Class("button").Href(PathNewVisit).Text("Log a visit"),
			app.A().Class("button button-secondary").Href(PathTenancies).Text("Find a tenancy"),
		),
		app.P().Class("note").Text("Doorstep works without signal. What you save stays on this phone until it syncs."),
	)
}
