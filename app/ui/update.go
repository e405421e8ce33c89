package ui

import (
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// UpdateCheckInterval is how often a running app asks whether a new version
// has been released. The browser also checks on every page load.
const UpdateCheckInterval = 10 * time.Minute

// stateUpdateChecked remembers the last check across pages: each page mounts
// a new UpdatePrompt, and an officer who keeps moving between pages must
// still get a check every UpdateCheckInterval.
const stateUpdateChecked = "update.checked"

// UpdatePrompt asks the service worker for a new version on a timer and,
// once go-app reports one, shows a banner with a button that reloads into it.
// Reloading is always safe: a record is durable on the phone before the app
// says it is saved.
type UpdatePrompt struct {
	app.Compo
	available bool
	stop      chan struct{}
}

func (u *UpdatePrompt) OnMount(ctx app.Context) {
	u.available = ctx.AppUpdateAvailable()

	var last time.Time
	ctx.GetState(stateUpdateChecked, &last)
	wait := min(max(UpdateCheckInterval-time.Since(last), time.Minute), UpdateCheckInterval)

	stop := make(chan struct{})
	u.stop = stop
	ctx.Async(func() {
		timer := time.NewTimer(wait)
		defer timer.Stop()
		for {
			select {
			case <-stop:
				return
			case <-timer.C:
				app.TryUpdate()
				ctx.Dispatch(func(ctx app.Context) {
					ctx.SetState(stateUpdateChecked, time.Now())
				})
				timer.Reset(UpdateCheckInterval)
			}
		}
	})
}

func (u *UpdatePrompt) OnDismount() {
	if u.stop != nil {
		close(u.stop)
		u.stop = nil
	}
}

func (u *UpdatePrompt) OnAppUpdate(ctx app.Context) {
	u.available = ctx.AppUpdateAvailable()
}

func (u *UpdatePrompt) Render() app.UI {
	if !u.available {
		return app.Div().Class("update-slot")
	}
	return app.Div().Class("update-slot").Body(
		app.P().ID("update-banner").Class("update").Role("status").Body(
			app.Text("A new version of Doorstep is ready — "),
			app.Button().
				Class("button button-inverse").
				Type("button").
				Text("Reload").
				OnClick(u.reload),
		),
	)
}

func (u *UpdatePrompt) reload(ctx app.Context, e app.Event) {
	ctx.Reload()
}
