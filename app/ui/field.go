package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The helpers in this file are the one way the forms render a field, a
// problem and a group of choices, so that every form keeps the same shape
// whatever it has to say.
//
// go-app updates the page by matching each new child to the old child at the
// same position. An element that is there only sometimes (a problem inserted
// above a group of radio buttons) moves every sibling after it one place
// along: each old element is then updated to look like its neighbour, but it
// keeps the event handler it was mounted with, because go-app compares
// handlers by their code, not by what they captured. A tap on one choice then
// ran the handler of the next, and the form saved a purpose the officer had
// not chosen. Two rules keep that from happening again:
//
//   - Nothing comes and goes before an input. A problem that is the last
//     element of its parent (under a field's input, after a group's choices)
//     is rendered only when there is one: nothing follows it to move.
//     Anywhere else its slot is always rendered, an empty hidden paragraph
//     until there is something to say; and a part of a form shown only
//     sometimes sits in a wrapper that is always there (place).
//   - What is saved comes from the element that raised the event (its name,
//     value or checked state, which go-app keeps up to date), never from a
//     value a handler captured when it was first mounted.

// problemText is the slot for what is wrong with a field, hidden while
// there is nothing to say. Where anything follows it, it is always
// rendered, so a problem never moves what comes after; lastProblem renders
// it only when needed. Its id is the field's id with "-problem", for
// aria-describedby, and it is announced when its text appears.
func problemText(field, problem string) app.HTMLP {
	return app.P().ID(field+"-problem").Class("field-problem").Role("alert").
		Attr("hidden", boolAttr(problem == "")).Text(problem)
}

// lastProblem is a problem that is the last element of its parent,
// rendered only when there is one.
func lastProblem(field, problem string) app.UI {
	return app.If(problem != "", func() app.UI { return problemText(field, problem) })
}

// field is a labelled control with its problem, if any, under it.
func field(id, label string, control app.UI, problem string) app.UI {
	return app.Div().Class("field").Body(
		app.Label().For(id).Text(label),
		control,
		lastProblem(id, problem),
	)
}

// place keeps the place of a part of a form that is shown only sometimes
// (the kinds of promise once a team is chosen, the reason once a date is
// warned about): an empty wrapper while it is not shown, so the parts after
// it keep their positions.
func place(show bool, part func() app.UI) app.UI {
	return app.Div().Class("place").Body(app.If(show, part))
}

// choice is one option of a group of radio buttons.
type choice struct {
	Value string
	Label string
}

// radioChoices is one radio button and label per option, all named name,
// with ids name + "-" + value. pick is called with the name and value of the
// button the officer chose, read from that element when it changes.
func radioChoices(name string, options []choice, selected string, pick func(name, value string)) app.UI {
	return app.Range(options).Slice(func(i int) app.UI {
		o := options[i]
		id := name + "-" + o.Value
		return app.Div().Class("choice").Body(
			app.Input().Type("radio").ID(id).Name(name).Value(o.Value).
				Attr("checked", boolAttr(o.Value == selected)).
				OnChange(func(ctx app.Context, e app.Event) {
					if src := ctx.JSSrc(); src.Get("checked").Bool() {
						pick(src.Get("name").String(), src.Get("value").String())
					}
				}),
			app.Label().For(id).Text(o.Label),
		)
	})
}

// chosen is the value of the option chosen in the select that raised an
// event, "" for an option that chooses nothing ("Choose a team", "Any").
// go-app leaves an empty value attribute out, and an option without one
// has its text as its value: reading select.value would save "Choose a
// team" as the team.
func chosen(ctx app.Context) string {
	options := ctx.JSSrc().Get("selectedOptions")
	if options.Length() == 0 {
		return ""
	}
	v := options.Index(0).Call("getAttribute", "value")
	if v.IsNull() || v.IsUndefined() {
		return ""
	}
	return v.String()
}
