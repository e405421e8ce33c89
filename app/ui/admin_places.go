package ui

import (
	"strings"
	"unicode"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// AdminPlaces is the sites and teams page (/admin/places): each list with
// a way to rename one and to add one. A site's or team's ID is how phones,
// links and imports know it, so it is chosen once, when it is added.
type AdminPlaces struct {
	app.Compo

	signed adminSignedIn
	view   AdminPlacesView
	done   AdminDone

	asked adminAsked
	// editing is the one form open: "site:" or "team:" and the ID of the
	// one being renamed, or "site:" or "team:" alone to add one.
	editing string
	draft   placeDraft
}

// placeDraft is the open form as typed.
type placeDraft struct {
	ID, Name string
	idTyped  bool // the admin typed the ID: stop suggesting one from the name
	answer   AdminDone
}

func (p *AdminPlaces) OnMount(ctx app.Context) {
	ctx.ObserveState(StateAdminPlaces, &p.view)
	ctx.ObserveState(StateAdminDone, &p.done).OnChange(func() {
		if !p.asked.answered(p.done) {
			return
		}
		p.draft.answer = p.done
		if p.done.Problem == "" {
			p.editing, p.draft = "", placeDraft{answer: p.done}
		}
		focus(ctx, "places-answer")
	})
	p.signed.observe(ctx, p.load)
}

func (p *AdminPlaces) load(ctx app.Context) { ctx.NewAction(ActionAdminPlaces) }

func (p *AdminPlaces) Render() app.UI {
	return adminShell("Sites and teams", PathAdminPlaces, p.signed, p.view.Loaded,
		app.P().Class("note").Text("Officers see only the tenancies of their sites, and the promises of their teams. Phones get every change here at their next sync."),
		place(p.editing == "" && p.draft.answer.Action != "", func() app.UI { return adminAnswer("places-answer", p.draft.answer, "", AdminDone{}) }),
		app.H2().Text("Sites"),
		p.renderList("site", "Sites", siteChoices(p.view.Sites)),
		app.H2().Text("Teams"),
		p.renderList("team", "Teams", teamChoices(p.view.Teams)),
	)
}

// renderList is the sites or the teams (kind "site" or "team"), each
// with a rename button, and the add button or form under them.
func (p *AdminPlaces) renderList(kind, label string, items []choice) app.UI {
	return app.Div().Body(
		app.Ul().Class("admin-rows").Aria("label", label).Body(
			app.Range(items).Slice(func(i int) app.UI {
				it := items[i]
				key := kind + ":" + it.Value
				return app.Li().Class("admin-row").Body(
					app.P().Class("admin-row-title").Body(
						app.Strong().Text(it.Label),
						app.Span().Class("admin-id").Text("ID: "+it.Value),
					),
					app.If(p.editing != key, func() app.UI {
						return app.Button().Type("button").Class("button button-secondary").Value(key).
							OnClick(func(ctx app.Context, e app.Event) { p.edit(ctx, value(ctx)) }).
							Text("Rename")
					}).Else(func() app.UI {
						return p.renderForm(kind, it.Value)
					}),
				)
			}),
		),
		app.If(p.editing != kind+":", func() app.UI {
			return app.Button().Type("button").ID("places-add-" + kind).Class("button").Value(kind + ":").
				OnClick(func(ctx app.Context, e app.Event) { p.edit(ctx, value(ctx)) }).
				Text("Add a " + kind)
		}).Else(func() app.UI {
			return p.renderForm(kind, "")
		}),
	)
}

// edit opens the form key names, with the name as it stands to rename.
func (p *AdminPlaces) edit(ctx app.Context, key string) {
	kind, id, _ := strings.Cut(key, ":")
	p.editing, p.draft = key, placeDraft{ID: id}
	names := siteNames(p.view.Sites)
	if kind == "team" {
		names = teamNames(p.view.Teams)
	}
	p.draft.Name = names[id]
	focus(ctx, "place-name")
}

// renderForm adds a site or team (id "") or renames one.
func (p *AdminPlaces) renderForm(kind, id string) app.UI {
	d := &p.draft
	problem := func(field string) string { return adminProblem(d.answer, field, housing.FieldName, housing.FieldID) }
	save := "Save the new name"
	if id == "" {
		save = "Add"
	}
	return app.Form().ID("place-form").Class("admin-form admin-panel").NoValidate(true).
		OnSubmit(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			p.submit(ctx)
		}).
		Body(
			field("place-name", "Name", app.Input().Type("text").ID("place-name").Attr("autocomplete", "off").
				Attr("maxlength", housing.MaxPlaceName).Aria("describedby", "place-name-problem").Value(d.Name).
				OnInput(func(ctx app.Context, e app.Event) {
					d.Name = value(ctx)
					if p.adding() && !d.idTyped {
						d.ID = slug(d.Name)
					}
				}), problem(housing.FieldName)),
			place(id == "", func() app.UI {
				return field("place-id", "ID (short, lower-case, no spaces, like riverside; your CSV files use it, and it cannot change later)",
					app.Input().Type("text").ID("place-id").Attr("autocomplete", "off").Attr("autocapitalize", "none").Attr("spellcheck", "false").
						Attr("maxlength", housing.MaxSlug).Aria("describedby", "place-id-problem").Value(d.ID).
						OnInput(func(ctx app.Context, e app.Event) { d.ID, d.idTyped = value(ctx), true }), problem(housing.FieldID))
			}),
			problemText("place-form", problem("")),
			app.Div().Class("actions").Body(
				app.Button().Type("submit").Class("button").Attr("disabled", boolAttr(p.asked.waiting())).Text(save),
				app.Button().Type("button").Class("button button-secondary").
					OnClick(func(ctx app.Context, e app.Event) { p.editing, p.draft = "", placeDraft{} }).Text("Cancel"),
			),
		)
}

// adding reports whether the open form adds rather than renames.
func (p *AdminPlaces) adding() bool { return strings.HasSuffix(p.editing, ":") }

// submit checks the site or team as the server will, then saves it.
func (p *AdminPlaces) submit(ctx app.Context) {
	if p.asked.waiting() {
		return
	}
	kind, _, _ := strings.Cut(p.editing, ":")
	d := &p.draft
	id, name := strings.TrimSpace(d.ID), strings.TrimSpace(d.Name)
	var err error
	if kind == "team" {
		err = housing.Function{ID: id, Name: name}.Validate()
	} else {
		err = housing.Site{ID: id, Name: name}.Validate()
	}
	if err == nil && p.adding() && p.taken(kind, id) {
		err = housing.Invalid(housing.FieldID, "There is already a %s with the ID %s: choose another, or rename that one.", kind, id)
	}
	if err != nil {
		d.answer = validationAnswer(err)
		return
	}
	d.answer = AdminDone{}
	if kind == "team" {
		p.asked.ask(ctx, ActionAdminPutTeam, id, housing.Function{ID: id, Name: name})
		return
	}
	p.asked.ask(ctx, ActionAdminPutSite, id, housing.Site{ID: id, Name: name})
}

// taken reports whether a site or team already has id: adding it would
// rename that one instead.
func (p *AdminPlaces) taken(kind, id string) bool {
	names := siteNames(p.view.Sites)
	if kind == "team" {
		names = teamNames(p.view.Teams)
	}
	_, ok := names[id]
	return ok
}

// slug suggests an ID from a name: "Hollins Park" is "hollins-park".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		case unicode.IsSpace(r) || r == '-' || r == '_' || r == '.' || r == '/':
			dash = true
		}
		if b.Len() >= housing.MaxSlug {
			break
		}
	}
	return strings.TrimSuffix(b.String()[:min(b.Len(), housing.MaxSlug)], "-")
}
