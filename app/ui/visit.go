package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Visit summarises one recorded visit (/visits/{id}) and offers the tenant's
// link and QR code.
type Visit struct {
	app.Compo
}

func (p *Visit) Render() app.UI {
	return NewShell().Title("Visit").Content(
		app.P().Class("lead").Text("What was recorded at this visit, the promises made, and the QR code or link that lets the tenant confirm them."),
	)
}
