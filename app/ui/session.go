package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// SessionBanner sits at the top of every page (the Shell holds it). When the
// server has ended this phone's session it asks the officer to sign in
// again and says that nothing is lost; on a phone where nobody is signed in
// it sends the officer to the sign-in page.
type SessionBanner struct {
	app.Compo

	account Account
	sync    SyncState
	path    string
}

func (b *SessionBanner) OnNav(ctx app.Context) {
	b.path = ctx.Page().URL().Path
}

// OnMount runs only in the browser, so a prerendered page never redirects.
func (b *SessionBanner) OnMount(ctx app.Context) {
	b.path = ctx.Page().URL().Path
	ctx.ObserveState(StateSync, &b.sync)
	ctx.ObserveState(StateAccount, &b.account).OnChange(func() { b.guard(ctx) })
	b.guard(ctx)
}

// guard sends a phone where nobody is signed in to the sign-in page, once
// the wiring has said so (Account.Known): before that, nobody is known. An
// address that names no page still says so.
func (b *SessionBanner) guard(ctx app.Context) {
	if signedOut(b.account) && b.path != PathSignIn && Routed(b.path) {
		ctx.Navigate(PathSignIn)
	}
}

// signedOut reports whether the phone is known to have nobody signed in.
// An officer whose session the server ended is still signed in on the
// phone: their records stay, and the banner asks them to sign in again.
func signedOut(a Account) bool {
	return a.Known && !a.SignedIn && !a.NeedsSignIn
}

func (b *SessionBanner) Render() app.UI {
	return app.Div().Class("session").Body(
		signInBanner(b.account, b.sync, b.path != PathSignIn),
	)
}

// signInBanner tells an officer whose session ended that nothing is lost,
// with a button to the sign-in page unless they are on it.
func signInBanner(a Account, s SyncState, withButton bool) app.UI {
	return app.If(a.NeedsSignIn || s.NeedsSignIn, func() app.UI {
		records := strconv.Itoa(s.Pending) + " unsynced records are"
		if s.Pending == 1 {
			records = "1 unsynced record is"
		}
		return app.Div().Class("banner").Role("alert").Body(
			app.P().Text("Please sign in again — your "+records+" safe on this phone."),
			app.If(withButton, func() app.UI {
				return app.A().Class("button").Href(PathSignIn).Text("Sign in")
			}),
		)
	})
}
