package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// SyncPage shows the outbox, the last sync and the changes that need attention.
// It is named SyncPage so that it does not read as the sync package.
type SyncPage struct {
	app.Compo
}

func (p *SyncPage) Render() app.UI {
	return NewShell().Title("Sync").Content(
		app.P().Class("lead").Text("What is waiting on this phone, when it last synced, and any change the server could not accept."),
	)
}
