package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// promisesPart is the list of promise sub-forms and the button that adds one.
func (p *NewVisit) promisesPart() app.UI {
	return app.Section().Class("promises-part").Aria("labelledby", "promises-heading").Body(
		app.H2().ID("promises-heading").Text("Promises made"),
		app.Range(p.form.Promises).Slice(func(i int) app.UI { return p.promise(i) }),
		app.Button().Type("button").ID("add-promise").Class("button button-secondary button-wide").
			OnClick(func(ctx app.Context, e app.Event) {
				p.form.Promises = append(p.form.Promises, promiseForm{})
				focus(ctx, promiseField(len(p.form.Promises)-1, "what"))
			}).
			Text("Add a promise"),
	)
}

// promise is sub-form i: what, team, kind of promise, due date and time,
// the standard's warning and the reason to go past it.
func (p *NewVisit) promise(i int) app.UI {
	f := p.form.Promises[i]
	id := func(name string) string { return promiseField(i, name) }
	check := f.check(p.ref.Standards, today())
	standards := housing.StandardsFor(p.ref.Standards, f.Function)
	set := func(change func(*promiseForm)) {
		if i < len(p.form.Promises) {
			change(&p.form.Promises[i])
		}
	}
	return app.FieldSet().ID(id("fieldset")).Class("promise-form").Body(
		app.Legend().Text("Promise "+strconv.Itoa(i+1)),

		field(id("what"), "What was promised", app.Textarea().ID(id("what")).Rows(3).MaxLength(housing.MaxWhat).
			Aria("describedby", id("what")+"-problem").Text(f.What).Attr("value", f.What).
			OnInput(func(ctx app.Context, e app.Event) { set(func(f *promiseForm) { f.What = value(ctx) }) }),
			p.problemAt(id("what"))),

		field(id("function"), "Which team will keep it", app.Select().ID(id("function")).Aria("describedby", id("function")+"-problem").
			OnChange(func(ctx app.Context, e app.Event) {
				set(func(f *promiseForm) { f.Function, f.Standard = chosen(ctx), "" })
			}).
			Body(
				app.Option().Value("").Attr("selected", boolAttr(f.Function == "")).Text("Choose a team"),
				app.Range(p.ref.Functions).Slice(func(j int) app.UI {
					fn := p.ref.Functions[j]
					return app.Option().Value(fn.ID).Attr("selected", boolAttr(f.Function == fn.ID)).Text(fn.Name)
				}),
			),
			p.problemAt(id("function"))),

		place(len(standards) > 0, func() app.UI {
			return field(id("standard"), "Kind of promise", app.Select().ID(id("standard")).
				Aria("describedby", id("standard")+"-problem").
				OnChange(func(ctx app.Context, e app.Event) { set(func(f *promiseForm) { f.Standard = chosen(ctx) }) }).
				Body(
					app.Option().Value("").Attr("selected", boolAttr(f.Standard == "")).Text("Choose the kind of promise"),
					app.Range(standards).Slice(func(j int) app.UI {
						s := standards[j]
						return app.Option().Value(s.ID).Attr("selected", boolAttr(f.Standard == s.ID)).Text(s.Name)
					}),
				),
				p.problemAt(id("standard")))
		}),

		app.Div().Class("field-row").Body(
			field(id("due"), "Due by", app.Input().Type("date").ID(id("due")).Value(f.Due).
				Aria("describedby", id("due")+"-problem "+id("check")).
				OnChange(func(ctx app.Context, e app.Event) { set(func(f *promiseForm) { f.Due = value(ctx) }) }),
				p.problemAt(id("due"))),
			field(id("time"), "Time (optional)", app.Input().Type("time").ID(id("time")).Value(f.Time).
				Aria("describedby", id("time")+"-problem").
				OnChange(func(ctx app.Context, e app.Event) { set(func(f *promiseForm) { f.Time = value(ctx) }) }),
				p.problemAt(id("time"))),
		),

		place(!check.OK(), func() app.UI {
			return app.Div().Class("due-warning").Body(
				app.P().ID(id("check")).Role("alert").Text(check.Message),
				field(id("reason"), "Reason to keep this date", app.Textarea().ID(id("reason")).Rows(2).MaxLength(housing.MaxComment).
					Aria("describedby", id("reason")+"-problem").Text(f.Reason).Attr("value", f.Reason).
					OnInput(func(ctx app.Context, e app.Event) { set(func(f *promiseForm) { f.Reason = value(ctx) }) }),
					p.problemAt(id("reason"))),
			)
		}),

		app.Button().Type("button").Class("button button-secondary").
			OnClick(func(ctx app.Context, e app.Event) {
				if i < len(p.form.Promises) {
					p.form.Promises = append(p.form.Promises[:i:i], p.form.Promises[i+1:]...)
					p.problem, p.field = "", ""
				}
				focus(ctx, "add-promise")
			}).
			Text("Remove promise "+strconv.Itoa(i+1)),
	)
}
