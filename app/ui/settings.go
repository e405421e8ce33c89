package ui

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// Settings says who is signed in on this phone, whether the browser will
// keep Doorstep's data, and signs out without ever trapping unsynced
// records: with anything pending it first offers sync and export.
type Settings struct {
	app.Compo

	account  Account
	ref      Reference
	storage  StorageView
	sync     SyncState
	signOut  bool // the officer asked to sign out and is shown the warning
	exported bool // the unsynced records were offered for download
}

func (p *Settings) OnMount(ctx app.Context) {
	ctx.ObserveState(StateAccount, &p.account)
	ctx.ObserveState(StateReference, &p.ref)
	ctx.ObserveState(StateStorage, &p.storage)
	ctx.ObserveState(StateSync, &p.sync)
	ctx.NewAction(ActionLoadSettings)
}

func (p *Settings) Render() app.UI {
	o := p.account.Officer
	return NewShell().Title("Settings").Content(
		app.If(p.account.SignedIn, func() app.UI {
			return app.Dl().Class("facts").Body(
				fact("Signed in as", o.Name+" ("+o.Username+")"),
				fact("Role", roleLabel(o.Role)),
				fact("Sites", p.siteNames(o.Sites)),
				fact("Teams", p.functionNames(o.Functions)),
				fact("This phone", p.account.DeviceName),
			)
		}).Else(func() app.UI {
			return app.Div().Class("actions").Body(
				app.P().Text("Nobody is signed in on this phone."),
				app.A().Class("button").Href(PathSignIn).Text("Sign in"),
			)
		}),
		app.H2().Text("Storage"),
		app.P().Text(storageText(p.storage)),
		app.P().Class("note").Text("App version "+versionText()),
		app.If(p.account.SignedIn, func() app.UI { return p.signOutPart() }),
	)
}

// signOutPart signs out at once when nothing is pending; otherwise it warns,
// offers sync and export, and only after an export offers to sign out anyway.
func (p *Settings) signOutPart() app.UI {
	pending := p.sync.Pending
	if !p.signOut || pending == 0 {
		return app.Div().Class("actions").Body(
			app.Button().Type("button").Class("button button-secondary").
				OnClick(func(ctx app.Context, e app.Event) {
					if p.sync.Pending == 0 {
						ctx.NewActionWithValue(ActionSignOut, false)
						return
					}
					p.signOut = true
					focus(ctx, "signout-warning")
				}).
				Text("Sign out"),
		)
	}
	return app.Div().ID("signout-warning").TabIndex(-1).Class("banner").Role("alert").Body(
		app.P().Text(recordsText(pending)+" not synced yet. Sync them, or export them, before you sign out."),
		app.Div().Class("actions").Body(
			app.Button().Type("button").Class("button").
				OnClick(func(ctx app.Context, e app.Event) { ctx.NewAction(ActionSyncNow) }).
				Text("Sync now"),
			app.Button().Type("button").Class("button button-secondary").
				OnClick(func(ctx app.Context, e app.Event) {
					ctx.NewAction(ActionExport)
					p.exported = true
				}).
				Text("Export unsynced records"),
			app.If(p.exported, func() app.UI {
				return app.Button().Type("button").Class("button button-secondary").
					OnClick(func(ctx app.Context, e app.Event) { ctx.NewActionWithValue(ActionSignOut, true) }).
					Text("Sign out anyway")
			}),
			app.Button().Type("button").Class("button button-secondary").
				OnClick(func(ctx app.Context, e app.Event) { p.signOut, p.exported = false, false }).
				Text("Stay signed in"),
		),
	)
}

// recordsText is "1 record is" or "N records are".
func recordsText(n int) string {
	if n == 1 {
		return "1 record is"
	}
	return strconv.Itoa(n) + " records are"
}

// storageText says in plain words whether the browser may clear the data.
func storageText(s StorageView) string {
	if s.Persisted {
		return "This phone will keep Doorstep's data."
	}
	return "The browser may clear Doorstep's data when storage is low. Sync often."
}

// versionText is the version the server built into this app.
func versionText() string {
	if v := app.Getenv("GOAPP_VERSION"); v != "" {
		return v
	}
	return "unknown"
}

// roleLabel is a role in plain words.
func roleLabel(r housing.Role) string {
	switch r {
	case housing.RoleOfficer:
		return "Officer"
	case housing.RoleSupervisor:
		return "Supervisor"
	case housing.RoleAdmin:
		return "Admin"
	}
	return string(r)
}

func fact(term, value string) app.UI {
	return app.Div().Body(app.Dt().Text(term), app.Dd().Text(value))
}

func (p *Settings) siteNames(ids []string) string {
	var names []string
	for _, id := range ids {
		name := id
		for _, s := range p.ref.Sites {
			if s.ID == id {
				name = s.Name
			}
		}
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}

func (p *Settings) functionNames(ids []string) string {
	var names []string
	for _, id := range ids {
		names = append(names, p.ref.FunctionName(id))
	}
	return strings.Join(names, ", ")
}
