package ui

import (
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// fixForm corrects a refused visit or new promise in place, with the same
// labels and checks as the visit form, and sends it again.
func (p *SyncPage) fixForm(a AttentionItem) app.UI {
	today := housing.DateOf(time.Now())
	problemAt := func(id string) string {
		if p.field == id {
			return p.problem
		}
		return ""
	}
	var fields app.UI
	if p.fix.Kind == housing.KindCommitmentMake {
		fields = p.fixPromise(today, problemAt)
	} else {
		fields = p.fixVisit(problemAt)
	}
	return app.Form().Class("fix-form").NoValidate(true).
		OnSubmit(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			if field, problem := p.fix.problem(p.ref.Standards, today); problem != "" {
				p.field, p.problem = field, problem
				focus(ctx, field)
				return
			}
			p.field, p.problem = "", ""
			p.send(ctx, a.ID, p.fix.data(p.ref.Standards, today))
		}).
		Body(
			fields,
			// The sync's answer (a refusal of the correction) has no field
			// to focus, so its slot takes focus.
			problemText("fix", problemAt("fix")).TabIndex(-1),
			app.Div().Class("actions").Body(
				app.Button().Type("submit").Class("button").Attr("disabled", boolAttr(p.sending != "")).Text("Send again"),
				app.Button().Type("button").Class("button button-secondary").
					OnClick(func(ctx app.Context, e app.Event) {
						p.editing, p.problem, p.field = "", "", ""
						p.focusAfter("attention-heading")
					}).
					Text("Cancel"),
			),
		)
}

// fixVisit is a refused visit's purpose and notes.
func (p *SyncPage) fixVisit(problemAt func(string) string) app.UI {
	v := p.fix.Visit
	return app.Div().Body(
		field("fix-purpose", "Why did you visit?", app.Select().ID("fix-purpose").Aria("describedby", "fix-purpose-problem").
			OnChange(func(ctx app.Context, e app.Event) { p.fix.Visit.Purpose = housing.Purpose(chosen(ctx)) }).
			Body(
				app.Option().Value("").Attr("selected", boolAttr(v.Purpose == "")).Text("Choose the purpose"),
				app.Range(housing.Purposes).Slice(func(i int) app.UI {
					purpose := housing.Purposes[i]
					return app.Option().Value(string(purpose)).Attr("selected", boolAttr(v.Purpose == purpose)).Text(purpose.Label())
				}),
			),
			problemAt("fix-purpose")),
		field("fix-notes", "Notes", app.Textarea().ID("fix-notes").Rows(5).MaxLength(housing.MaxNotes).
			Aria("describedby", "fix-notes-problem").Text(v.Notes).Attr("value", v.Notes).
			OnInput(func(ctx app.Context, e app.Event) { p.fix.Visit.Notes = value(ctx) }),
			problemAt("fix-notes")),
	)
}

// fixPromise is a refused promise's words, team, due date and time, with
// the standard's warning and the reason to keep a date past it.
func (p *SyncPage) fixPromise(today housing.Date, problemAt func(string) string) app.UI {
	c := p.fix.Promise
	check := p.fix.check(p.ref.Standards, today)
	return app.Div().Body(
		field("fix-what", "What was promised", app.Textarea().ID("fix-what").Rows(3).MaxLength(housing.MaxWhat).
			Aria("describedby", "fix-what-problem").Text(c.What).Attr("value", c.What).
			OnInput(func(ctx app.Context, e app.Event) { p.fix.Promise.What = value(ctx) }),
			problemAt("fix-what")),
		field("fix-function", "Which team will keep it", app.Select().ID("fix-function").Aria("describedby", "fix-function-problem").
			OnChange(func(ctx app.Context, e app.Event) {
				if f := chosen(ctx); f != p.fix.Promise.FunctionID {
					p.fix.Promise.FunctionID, p.fix.Promise.StandardID = f, ""
				}
			}).
			Body(
				app.Option().Value("").Attr("selected", boolAttr(c.FunctionID == "")).Text("Choose a team"),
				app.Range(p.ref.Functions).Slice(func(j int) app.UI {
					fn := p.ref.Functions[j]
					return app.Option().Value(fn.ID).Attr("selected", boolAttr(c.FunctionID == fn.ID)).Text(fn.Name)
				}),
			),
			problemAt("fix-function")),
		app.Div().Class("field-row").Body(
			field("fix-due", "Due by", app.Input().Type("date").ID("fix-due").Value(string(c.DueDate)).
				Aria("describedby", "fix-due-problem fix-check").
				OnChange(func(ctx app.Context, e app.Event) { p.fix.Promise.DueDate = housing.Date(value(ctx)) }),
				problemAt("fix-due")),
			field("fix-time", "Time (optional)", app.Input().Type("time").ID("fix-time").Value(c.DueTime).
				Aria("describedby", "fix-time-problem").
				OnChange(func(ctx app.Context, e app.Event) { p.fix.Promise.DueTime = value(ctx) }),
				problemAt("fix-time")),
		),
		place(!check.OK(), func() app.UI {
			return app.Div().Class("due-warning").Body(
				app.P().ID("fix-check").Role("alert").Text(check.Message),
				field("fix-reason", "Reason to keep this date", app.Textarea().ID("fix-reason").Rows(2).MaxLength(housing.MaxComment).
					Aria("describedby", "fix-reason-problem").Text(p.fix.Reason).Attr("value", p.fix.Reason).
					OnInput(func(ctx app.Context, e app.Event) { p.fix.Reason = value(ctx) }),
					problemAt("fix-reason")),
			)
		}),
	)
}
