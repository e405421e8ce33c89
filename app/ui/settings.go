package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Settings holds the officer's account, this device's details and sign-out.
type Settings struct {
	app.Compo
}

func (p *Settings) Render() app.UI {
	return NewShell().Title("Settings").Content(
		app.P().Class("lead").Text("Your account, this device and signing out."),
	)
}
