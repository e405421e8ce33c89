package ui

import (
	"sort"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// AdminMenu is the admin's menu (/admin): one big link per job.
type AdminMenu struct {
	app.Compo

	signed adminSignedIn
}

func (p *AdminMenu) OnMount(ctx app.Context) {
	p.signed.observe(ctx, func(app.Context) {})
}

func (p *AdminMenu) Render() app.UI {
	return adminShell("Admin", "", p.signed, Loaded{},
		app.Ul().Class("admin-menu").Body(
			adminMenuItem(PathAdminStaff, "Staff", "Add people, switch accounts off and on, reset passwords, and sign out a lost phone."),
			adminMenuItem(PathAdminPlaces, "Sites and teams", "Add or rename the estates and offices, and the teams that keep promises."),
			adminMenuItem(PathAdminStandards, "Service standards", "How soon each team can keep each kind of promise, and the latest it may: the dates officers' phones warn about."),
			adminMenuItem(PathAdminImports, "Imports", "Load sites, teams, staff and tenancies from your housing system's CSV files: check first, then apply."),
			adminMenuItem(PathAdminTokens, "Integration tokens", "Let your other systems, such as a repairs system, read the promises made."),
		),
	)
}

func adminMenuItem(path, title, what string) app.UI {
	return app.Li().Body(
		app.A().Class("admin-menu-item").Href(path).Body(
			app.Strong().Text(title),
			app.Span().Text(what),
		),
	)
}

// adminShell is the layout of every admin page: the page's heading, the
// links between the admin's pages (current is the page's own path; ""
// leaves them out, on the menu), how fresh the page's lists are, and its
// content, which only a signed-in admin sees.
func adminShell(title, current string, s adminSignedIn, l Loaded, content ...app.UI) app.UI {
	return NewShell().Title(title).Content(
		app.Div().Class("admin").Body(
			app.If(current != "", func() app.UI { return adminNav(current) }),
			app.If(!s.account.SignedIn, func() app.UI {
				return app.P().Class("review-status").Body(
					app.A().Href(PathSignIn).Text("Sign in"),
					app.Text(" as an admin to manage Doorstep."),
				)
			}).ElseIf(!s.admin(), func() app.UI {
				return app.P().Class("review-status admin-only").Text("Only admins can use these pages. If something here needs changing, ask one of your admins.")
			}).Else(func() app.UI {
				return app.Div().Body(
					reviewFreshness(l),
					app.Div().Body(content...),
				)
			}),
		),
	)
}

// adminNav links the admin's pages.
func adminNav(current string) app.UI {
	link := func(path, label string) app.UI {
		a := app.A().Href(path).Text(label)
		if path == current {
			a = a.Aria("current", "page")
		}
		return a
	}
	return app.Nav().Class("review-nav").Aria("label", "Admin").Body(
		link(PathAdmin, "Admin"),
		link(PathAdminStaff, "Staff"),
		link(PathAdminPlaces, "Sites and teams"),
		link(PathAdminStandards, "Standards"),
		link(PathAdminImports, "Imports"),
		link(PathAdminTokens, "Tokens"),
	)
}

// adminAsked is the change a page has asked for and awaits: a page shows
// an answer (AdminDone) only to a change it asked for, once, beside the
// form that asked.
type adminAsked struct {
	action, id string
}

// ask raises action with value about the record id, and awaits its answer.
func (a *adminAsked) ask(ctx app.Context, action, id string, value any) {
	a.action, a.id = action, id
	ctx.NewActionWithValue(action, value)
}

// answered reports whether d answers the change awaited, and stops
// awaiting it if so.
func (a *adminAsked) answered(d AdminDone) bool {
	if a.action == "" || d.Action != a.action || d.ID != a.id {
		return false
	}
	*a = adminAsked{}
	return true
}

// waiting reports whether an answer is awaited: the page's buttons say so.
func (a adminAsked) waiting() bool { return a.action != "" }

// adminAnswer shows the answer to a change: what happened, or why nothing
// did, and anything made that is shown only once (a password), with what
// became of copying it. Its id is focused when it appears, so a screen
// reader reads it out.
func adminAnswer(id string, d AdminDone, secretLabel string, copied AdminDone) app.UI {
	return app.Div().ID(id).Class("admin-answer").TabIndex(-1).Body(
		app.If(d.Problem != "", func() app.UI {
			return app.P().Class("review-problem").Role("alert").Text(d.Problem)
		}).Else(func() app.UI {
			return app.P().Class("admin-done").Role("status").Text(d.Message)
		}),
		app.If(d.Secret != "", func() app.UI {
			return adminSecret(id+"-secret", secretLabel, d.Secret, copied)
		}),
	)
}

// adminSecret shows a password or token that is shown only this once, with
// a button to copy it and what came of the last copy.
func adminSecret(id, label, secret string, copied AdminDone) app.UI {
	return app.Div().Class("admin-secret").Body(
		app.P().Class("admin-warning").Text(label+" It is shown only this once: copy it or write it down now, and give it only to them."),
		app.Code().ID(id).Class("admin-secret-text").Text(secret),
		app.Div().Class("actions").Body(
			app.Button().Type("button").Class("button button-secondary").Value(secret).
				OnClick(func(ctx app.Context, e app.Event) { ctx.NewActionWithValue(ActionAdminCopy, value(ctx)) }).
				Text("Copy"),
		),
		copiedStatus(copied),
	)
}

// copiedStatus says what became of the last copy to the clipboard.
func copiedStatus(copied AdminDone) app.UI {
	return status(firstOf(copied.Problem, copied.Message))
}

// adminProblem is the problem to show at field of a form, from the answer
// d to it: its field's own problem, or, at the form's own slot (field ""),
// one about no input the form has.
func adminProblem(d AdminDone, field string, fields ...string) string {
	if d.Problem == "" {
		return ""
	}
	if field != "" {
		if d.Field == field {
			return d.Problem
		}
		return ""
	}
	for _, f := range fields {
		if d.Field == f {
			return ""
		}
	}
	return d.Problem
}

// validationAnswer is the answer a form gives itself when its draft fails
// a domain rule, before asking the server: the same shape as the server's.
func validationAnswer(err error) AdminDone {
	return AdminDone{Problem: housing.ErrorMessage(err), Field: housing.ErrorField(err)}
}

// siteNames and teamNames map the IDs of sites and teams to their names.
func siteNames(list []housing.Site) map[string]string {
	names := make(map[string]string, len(list))
	for _, s := range list {
		names[s.ID] = s.Name
	}
	return names
}

func teamNames(list []housing.Function) map[string]string {
	names := make(map[string]string, len(list))
	for _, f := range list {
		names[f.ID] = f.Name
	}
	return names
}

// namesOf lists the names of ids, each as names has it or as its ID, in
// the order a person reads them.
func namesOf(ids []string, names map[string]string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		if n := names[id]; n != "" {
			out[i] = n
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// checkboxes is one checkbox per option, named name, with ids name + "-" +
// value, ticked where on says. pick is called with the value and state of
// the box that changed, read from that element.
func checkboxes(name string, options []choice, on map[string]bool, pick func(value string, ticked bool)) app.UI {
	return app.Range(options).Slice(func(i int) app.UI {
		o := options[i]
		id := name + "-" + o.Value
		return app.Div().Class("choice").Body(
			app.Input().Type("checkbox").ID(id).Name(name).Value(o.Value).
				Attr("checked", boolAttr(on[o.Value])).
				OnChange(func(ctx app.Context, e app.Event) { pick(value(ctx), checked(ctx)) }),
			app.Label().For(id).Text(o.Label),
		)
	})
}

// ticked lists the values ticked in on, in order.
func ticked(on map[string]bool) []string {
	var out []string
	for v, yes := range on {
		if yes {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// siteChoices and teamChoices offer sites and teams as choices.
func siteChoices(list []housing.Site) []choice {
	out := make([]choice, len(list))
	for i, s := range list {
		out[i] = choice{Value: s.ID, Label: s.Name}
	}
	return out
}

func teamChoices(list []housing.Function) []choice {
	out := make([]choice, len(list))
	for i, f := range list {
		out[i] = choice{Value: f.ID, Label: f.Name}
	}
	return out
}

// adminTime is a moment as an admin reads it in a list, in the landlord's
// time.
func adminTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return housing.LocalTime(t).Format("Mon 2 Jan 2006, 15:04")
}
