package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// SignIn signs an officer in on this device.
type SignIn struct {
	app.Compo
}

func (p *SignIn) Render() app.UI {
	return NewShell().Title("Sign in").Content(
		app.P().Class("lead").Text("Sign in once on this phone with the username and password your landlord gave you."),
	)
}
