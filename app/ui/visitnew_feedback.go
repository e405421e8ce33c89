package ui

import (
	"strings"

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
		app.Div().Class("choice choice-toggle").Body(
			app.Input().Type("checkbox").ID("hand-over").Attr("checked", boolAttr(p.handOver)).
				OnChange(func(ctx app.Context, e app.Event) { p.handOver = checked(ctx) }),
			app.Label().For("hand-over").Text("Hand the phone to the tenant (larger text)"),
		),
		app.Range(housing.Questions).Slice(func(i int) app.UI { return p.question(housing.Questions[i]) }),
		field("feedback-comment", "Anything else the tenant wants to say",
			app.Textarea().ID("feedback-comment").Rows(3).MaxLength(housing.MaxComment).Text(p.form.Comment).Attr("value", p.form.Comment).
				OnInput(func(ctx app.Context, e app.Event) { p.form.Comment = value(ctx) }), ""),
		app.Div().Class("choice").Body(
			app.Input().Type("checkbox").ID("complaint").Attr("checked", boolAttr(p.form.Complaint)).
				OnChange(func(ctx app.Context, e app.Event) { p.form.Complaint = checked(ctx) }),
			app.Label().For("complaint").Text("This is a complaint"),
		),
		lastProblem("feedback", p.problemAt("feedback")),
	)
}

// question is one satisfaction question as a group of radio buttons named
// "q-" and the question's code; the answer is read from the button chosen.
func (p *NewVisit) question(q housing.Question) app.UI {
	options := make([]choice, len(housing.Ratings))
	for i, r := range housing.Ratings {
		options[i] = choice{Value: string(r), Label: r.LabelFor(q)}
	}
	return app.FieldSet().Class("choices").Body(
		app.Legend().Text(q.Text()),
		radioChoices("q-"+string(q), options, string(p.form.Answers[q]), func(name, value string) {
			if p.form.Answers == nil {
				p.form.Answers = make(map[housing.Question]housing.Rating)
			}
			p.form.Answers[housing.Question(strings.TrimPrefix(name, "q-"))] = housing.Rating(value)
		}),
	)
}
