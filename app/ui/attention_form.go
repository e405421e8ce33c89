package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// correctionForm corrects a refused visit or new promise in place, with
// the same labels and checks as the visit form, and resends it.
func (p *SyncPage) correctionForm(a AttentionItem) app.UI {
	day := today()
	problemAt := func(id string) string {
		if p.field == id {
			return p.problem
		}
		return ""
	}
	var fields app.UI
	if p.correction.Kind == housing.KindCommitmentMake {
		fields = p.promiseCorrection(day, problemAt)
	} else {
		fields = p.visitCorrection(problemAt)
	}
	return app.Form().Class("correction-form").NoValidate(true).
		OnSubmit(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			if field, problem := p.correction.problem(p.ref.Standards, day); problem != "" {
				p.field, p.problem = field, problem
				focus(ctx, field)
				return
			}
			p.field, p.problem = "", ""
			p.send(ctx, a.ID, p.correction.data(p.ref.Standards, day))
		}).
		Body(
			fields,
			// A refusal about no one input is shown here, and this slot
			// takes the focus.
			problemText("correction", problemAt("correction")).TabIndex(-1),
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

// visitCorrection is a refused visit's purpose and notes.
func (p *SyncPage) visitCorrection(problemAt func(string) string) app.UI {
	v := p.correction.Visit
	return app.Div().Body(
		field("correction-purpose", "Why did you visit?", app.Select().ID("correction-purpose").Aria("describedby", "correction-purpose-problem").
			OnChange(func(ctx app.Context, e app.Event) { p.correction.Visit.Purpose = housing.Purpose(chosen(ctx)) }).
			Body(
				app.Option().Value("").Attr("selected", boolAttr(v.Purpose == "")).Text("Choose the purpose"),
				app.Range(housing.Purposes).Slice(func(i int) app.UI {
					purpose := housing.Purposes[i]
					return app.Option().Value(string(purpose)).Attr("selected", boolAttr(v.Purpose == purpose)).Text(purpose.Label())
				}),
			),
			problemAt("correction-purpose")),
		field("correction-notes", "Notes", app.Textarea().ID("correction-notes").Rows(5).MaxLength(housing.MaxNotes).
			Aria("describedby", "correction-notes-problem").Text(v.Notes).Attr("value", v.Notes).
			OnInput(func(ctx app.Context, e app.Event) { p.correction.Visit.Notes = value(ctx) }),
			problemAt("correction-notes")),
	)
}

// promiseCorrection is a refused promise's words, team, due date and time,
// with the standard's warning and the reason to keep a date past it.
func (p *SyncPage) promiseCorrection(today housing.Date, problemAt func(string) string) app.UI {
	c := p.correction.Promise
	check := p.correction.check(p.ref.Standards, today)
	return app.Div().Body(
		field("correction-what", "What was promised", app.Textarea().ID("correction-what").Rows(3).MaxLength(housing.MaxWhat).
			Aria("describedby", "correction-what-problem").Text(c.What).Attr("value", c.What).
			OnInput(func(ctx app.Context, e app.Event) { p.correction.Promise.What = value(ctx) }),
			problemAt("correction-what")),
		field("correction-function", "Which team will keep it", app.Select().ID("correction-function").Aria("describedby", "correction-function-problem").
			OnChange(func(ctx app.Context, e app.Event) {
				if f := chosen(ctx); f != p.correction.Promise.FunctionID {
					p.correction.Promise.FunctionID, p.correction.Promise.StandardID = f, ""
				}
			}).
			Body(
				app.Option().Value("").Attr("selected", boolAttr(c.FunctionID == "")).Text("Choose a team"),
				app.Range(p.ref.Functions).Slice(func(j int) app.UI {
					fn := p.ref.Functions[j]
					return app.Option().Value(fn.ID).Attr("selected", boolAttr(c.FunctionID == fn.ID)).Text(fn.Name)
				}),
			),
			problemAt("correction-function")),
		app.Div().Class("field-row").Body(
			field("correction-due", "Due by", app.Input().Type("date").ID("correction-due").Value(string(c.DueDate)).
				Aria("describedby", "correction-due-problem correction-check").
				OnChange(func(ctx app.Context, e app.Event) { p.correction.Promise.DueDate = housing.Date(value(ctx)) }),
				problemAt("correction-due")),
			field("correction-time", "Time (optional)", app.Input().Type("time").ID("correction-time").Value(c.DueTime).
				Aria("describedby", "correction-time-problem").
				OnChange(func(ctx app.Context, e app.Event) { p.correction.Promise.DueTime = value(ctx) }),
				problemAt("correction-time")),
		),
		place(!check.OK(), func() app.UI {
			return app.Div().Class("due-warning").Body(
				app.P().ID("correction-check").Role("alert").Text(check.Message),
				field("correction-reason", "Reason to keep this date", app.Textarea().ID("correction-reason").Rows(2).MaxLength(housing.MaxComment).
					Aria("describedby", "correction-reason-problem").Text(p.correction.Reason).Attr("value", p.correction.Reason).
					OnInput(func(ctx app.Context, e app.Event) { p.correction.Reason = value(ctx) }),
					problemAt("correction-reason")),
			)
		}),
	)
}
