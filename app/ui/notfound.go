package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// NotFound is shown for any path that names no page, including an old link
// opened offline.
type NotFound struct {
	app.Compo
}

func (n *NotFound) Render() app.UI {
	return NewShell().Title("Page not found").Content(
		app.P().Class("lead").Text("There is no page at this address. The link may be old or mistyped."),
		app.Div().Class("actions").Body(
			app.A().Class("button").Href(PathHome).Text("Go to today"),
		),
	)
}
