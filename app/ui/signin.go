package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// SignIn is where an officer signs in on this phone. Signing in needs the
// network once; after that the phone works offline.
type SignIn struct {
	app.Compo

	form    SignInForm
	result  SignInResult
	busy    bool
	lastSeq int
	account Account
	sync    SyncState
	field   string // the field left empty, "" when the problem is the server's
	problem string // what the phone found wrong before asking the server
}

func (p *SignIn) OnMount(ctx app.Context) {
	ctx.ObserveState(StateAccount, &p.account).OnChange(p.suggestDeviceName)
	p.suggestDeviceName()
	ctx.ObserveState(StateSync, &p.sync)
	ctx.ObserveState(StateSignIn, &p.result).OnChange(func() {
		if !p.busy || p.result.Seq == p.lastSeq {
			return
		}
		p.busy = false
		p.form.Password = ""
		if p.result.Done && p.result.Problem == "" {
			ctx.Navigate(PathHome)
			return
		}
		focus(ctx, "username")
	})
}

// suggestDeviceName fills the phone's name from the account (its name so
// far, or the wiring's guess from the browser) until the officer types one.
func (p *SignIn) suggestDeviceName() {
	if p.form.DeviceName == "" {
		p.form.DeviceName = p.account.DeviceName
	}
}

func (p *SignIn) submit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.busy {
		return
	}
	if field, problem := p.form.problem(); problem != "" {
		p.field, p.problem = field, problem
		focus(ctx, field)
		return
	}
	p.field, p.problem = "", ""
	p.busy, p.lastSeq = true, p.result.Seq
	ctx.NewActionWithValue(ActionSignIn, p.form)
}

// problem is the field to fill in before the form can go to the server, and
// what to say about it; "" when none is empty.
func (f SignInForm) problem() (field, problem string) {
	switch {
	case strings.TrimSpace(f.Username) == "":
		return "username", "Enter your username."
	case f.Password == "":
		return "password", "Enter your password."
	}
	return "", ""
}

// problemAt is what to say beside field id, if it is the one left empty.
func (p *SignIn) problemAt(id string) string {
	if p.field == id {
		return p.problem
	}
	return ""
}

func (p *SignIn) Render() app.UI {
	problem := ""
	if !p.busy && p.field == "" {
		problem = p.result.Problem
	}
	label := "Sign in"
	if p.busy {
		label = "Signing in…"
	}
	return NewShell().Title("Sign in").Content(
		app.Form().Class("signin-form").NoValidate(true).OnSubmit(p.submit).Body(
			field("username", "Username", app.Input().Type("text").ID("username").Name("username").
				Attr("autocomplete", "username").Attr("autocapitalize", "none").Attr("spellcheck", "false").
				Attr("required", boolAttr(true)).Aria("describedby", "username-problem").Value(p.form.Username).
				OnInput(func(ctx app.Context, e app.Event) { p.form.Username = value(ctx) }),
				p.problemAt("username")),
			field("password", "Password", app.Input().Type("password").ID("password").Name("password").
				Attr("autocomplete", "current-password").
				Attr("required", boolAttr(true)).Aria("describedby", "password-problem").Value(p.form.Password).
				OnInput(func(ctx app.Context, e app.Event) { p.form.Password = value(ctx) }),
				p.problemAt("password")),
			app.Div().Class("field").Body(
				app.Label().For("device-name").Text("Name of this phone"),
				app.P().ID("device-name-hint").Class("hint").Text("Shown in your list of signed-in devices, so you can sign this one out if it is lost."),
				app.Input().Type("text").ID("device-name").Name("device-name").
					Aria("describedby", "device-name-hint").MaxLength(80).
					Value(p.form.DeviceName).
					OnInput(func(ctx app.Context, e app.Event) { p.form.DeviceName = value(ctx) }),
			),
			app.Button().Type("submit").Class("button button-wide").Attr("disabled", boolAttr(p.busy)).Text(label),
			// The server's answer is the form's last element, under the
			// button just pressed: shown only when there is one, it moves
			// nothing before it.
			lastProblem("signin", problem),
		),
		app.P().Class("note").Text("Sign in while you have signal. After that, Doorstep works without it."),
	)
}
