package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// feedbackPart asks the regulator's satisfaction questions that fit a visit.
// The officer can hand the phone over: the text then grows so the tenant
// can read it without glasses.
func (p *NewVisit) feedbackPart() app.UI {
	class := "feedback"
	if p.handOver {
		class += " feedback-large"
	}
	return app.Section().ID("feedback").TabIndex(-1).Class(class).Aria("labelledby", "feedback-heading").Body(
		app.H2().ID("feedback-heading").Text("Tenant's feedback (optional)"),
		problemText("feedback", p.problemAt("feedback")),
		app.Div().Class("choice choice-toggle").Body(
			app.Input().Type("checkbox").ID("hand-over").Checked(p.handOver).
				OnChange(func(ctx app.Context, e app.Event) { p.handOver = checked(ctx) }),
			app.Label().For("hand-over").Text("Hand the phone to the tenant (larger text)"),
		),
		app.Range(housing.Questions).Slice(func(i int) app.UI { return p.question(housing.Questions[i]) }),
		app.Div().Class("field").Body(
			app.Label().For("feedback-comment").Text("Anything else the tenant wants to say"),
			app.Textarea().ID("feedback-comment").Rows(3).MaxLength(housing.MaxComment).Text(p.form.Comment).Attr("value", p.form.Comment).
				OnInput(func(ctx app.Context, e app.Event) { p.form.Comment = value(ctx) }),
		),
		app.Div().Class("choice").Body(
			app.Input().Type("checkbox").ID("complaint").Checked(p.form.Complaint).
				OnChange(func(ctx app.Context, e app.Event) { p.form.Complaint = checked(ctx) }),
			app.Label().For("complaint").Text("This is a complaint"),
		),
	)
}

// question is one satisfaction question as a group of radio buttons.
func (p *NewVisit) question(q housing.Question) app.UI {
	return app.FieldSet().Class("choices").Body(
		app.Legend().Text(q.Text()),
		app.Range(housing.Ratings).Slice(func(i int) app.UI {
			r := housing.Ratings[i]
			id := "q-" + string(q) + "-" + string(r)
			return app.Div().Class("choice").Body(
				app.Input().Type("radio").ID(id).Name("q-"+string(q)).Value(string(r)).
					Checked(p.form.Answers[q] == r).
					OnChange(func(ctx app.Context, e app.Event) {
						if p.form.Answers == nil {
							p.form.Answers = make(map[housing.Question]housing.Rating)
						}
						p.form.Answers[q] = r
					}),
				app.Label().For(id).Text(r.LabelFor(q)),
			)
		}),
	)
}
