package ui

import (
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// NewVisit is the form an officer fills in at the door: purpose, notes,
// promises made and feedback. It checks each due date against its service
// standard as soon as it is chosen, refuses to save an unrealistic date
// without a reason, and keeps everything typed until the phone has saved it.
type NewVisit struct {
	app.Compo

	form     visitForm
	tenancy  TenancyView
	ref      Reference
	saved    SaveResult
	saving   bool
	lastSeq  int    // the SaveResult.Seq seen before this save was asked for
	problem  string // why the save was refused
	field    string // the id of the field the problem concerns
	message  string // "Saved on this phone", for the live region
	handOver bool   // the phone is with the tenant: larger feedback text
}

func (p *NewVisit) OnMount(ctx app.Context) {
	ctx.ObserveState(StateReference, &p.ref)
	ctx.ObserveState(StateTenancy, &p.tenancy)
	ctx.ObserveState(StateSaved, &p.saved).OnChange(func() { p.onSaved(ctx) })
}

// OnNav starts a fresh form for the tenancy named by ?tenancy=.
func (p *NewVisit) OnNav(ctx app.Context) {
	id := ctx.Page().URL().Query().Get("tenancy")
	if p.form.Started == "" || p.form.TenancyID != id {
		p.form = newVisitForm(id, time.Now())
		p.problem, p.field, p.message = "", "", ""
	}
	if app.IsClient && id != "" {
		ctx.NewActionWithValue(ActionOpenTenancy, id)
	}
}

// onSaved handles the wiring's answer to this page's save.
func (p *NewVisit) onSaved(ctx app.Context) {
	if !p.saving || p.saved.Seq == p.lastSeq {
		return
	}
	p.saving = false
	if p.saved.Problem != "" {
		// The wiring names the field as the domain does, a path within the
		// visit; the form knows which of its inputs that is.
		p.problem, p.field = p.saved.Problem, p.form.inputOf(p.saved.Field)
		p.message = ""
		focus(ctx, p.field)
		return
	}
	p.message = "Saved on this phone"
	ctx.Navigate(PathVisit + p.saved.ID + "?saved=1")
}

// save checks the form and hands it to the wiring.
func (p *NewVisit) save(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.saving {
		return
	}
	day := today()
	if field, problem := p.form.problem(p.ref.Standards, day); problem != "" {
		p.problem, p.field, p.message = problem, field, ""
		focus(ctx, field)
		return
	}
	p.problem, p.field, p.message = "", "", "Saving…"
	p.saving, p.lastSeq = true, p.saved.Seq
	ctx.NewActionWithValue(ActionSaveVisit, p.form.draft(p.ref.Standards, day))
}

// problemAt is the problem to show beside field id, if it is the one at fault.
func (p *NewVisit) problemAt(id string) string {
	if p.field == id {
		return p.problem
	}
	return ""
}

func (p *NewVisit) Render() app.UI {
	return NewShell().Title("New visit").Content(
		app.Form().Class("visit-form").NoValidate(true).OnSubmit(p.save).Body(
			p.tenancyPart(),
			p.purposePart(),
			p.notesPart(),
			p.promisesPart(),
			p.feedbackPart(),
			app.Div().Class("save-bar").Body(
				app.Button().Type("submit").ID("save").Class("button button-wide").
					Attr("disabled", boolAttr(p.saving)).
					Text(p.saveLabel()),
				status(p.message),
				lastProblem("save", p.problemAt("save")),
			),
		),
	)
}

func (p *NewVisit) tenancyPart() app.UI {
	id := p.form.TenancyID
	t := p.tenancy.Tenancy
	switch {
	case id == "":
		return app.Div().Class("field").Body(
			app.P().Text("Which tenancy did you visit?"),
			app.A().ID("tenancy").Class("button button-secondary").Href(PathTenancies).Text("Find the tenancy"),
			lastProblem("tenancy", p.problemAt("tenancy")),
		)
	case t.ID != id:
		return app.P().ID("tenancy").Class("lead").Text("Tenancy " + id)
	}
	return app.Div().ID("tenancy").Class("chosen-tenancy").Body(
		tenancyLine(t),
		app.A().Href(PathTenancies).Text("Change tenancy"),
	)
}

func (p *NewVisit) purposePart() app.UI {
	options := make([]choice, len(housing.Purposes))
	for i, purpose := range housing.Purposes {
		options[i] = choice{Value: string(purpose), Label: purpose.Label()}
	}
	return app.FieldSet().ID("purpose").TabIndex(-1).Class("choices").
		Aria("describedby", "purpose-problem").Body(
		app.Legend().Text("Why did you visit?"),
		radioChoices("purpose", options, string(p.form.Purpose), func(_, value string) {
			p.form.Purpose = housing.Purpose(value)
		}),
		lastProblem("purpose", p.problemAt("purpose")),
	)
}

func (p *NewVisit) notesPart() app.UI {
	return app.Div().Body(
		field("notes", "Notes", app.Textarea().ID("notes").Rows(5).MaxLength(housing.MaxNotes).
			Text(p.form.Notes).Attr("value", p.form.Notes).
			OnInput(func(ctx app.Context, e app.Event) { p.form.Notes = value(ctx) }), p.problemAt("notes")),
		field("started", "Visit started", app.Input().Type("datetime-local").ID("started").Value(p.form.Started).
			Aria("describedby", "started-problem").
			OnChange(func(ctx app.Context, e app.Event) { p.form.Started = value(ctx) }), p.problemAt("started")),
	)
}

// saveLabel is the save button's text; it says so while the phone saves.
func (p *NewVisit) saveLabel() string {
	if p.saving {
		return "Saving…"
	}
	return "Save visit"
}
