package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Tenancies finds a tenancy among those held on the phone, by name,
// address, postcode or reference, with no signal needed.
type Tenancies struct {
	app.Compo

	query string
	view  SearchView
}

func (p *Tenancies) OnMount(ctx app.Context) {
	ctx.ObserveState(StateSearch, &p.view)
	p.query = p.view.Query
	ctx.NewActionWithValue(ActionSearch, p.query)
}

func (p *Tenancies) Render() app.UI {
	results := p.view.Results
	return NewShell().Title("Find a tenancy").Content(
		app.Div().Class("field").Body(
			app.Label().For("search").Text("Name, address, postcode or reference"),
			app.Input().Type("search").ID("search").Name("q").
				Value(p.query).Attr("autofocus", boolAttr(true)).
				Attr("autocomplete", "off").Attr("enterkeyhint", "search").
				OnInput(func(ctx app.Context, e app.Event) {
					p.query = value(ctx)
					ctx.NewActionWithValue(ActionSearch, p.query)
				}),
		),
		status(searchSummary(p.view)),
		app.Ul().Class("rows").Body(
			app.Range(results).Slice(func(i int) app.UI {
				t := results[i]
				return app.Li().Body(
					app.A().Class("row").Href(PathTenancy + t.ID).Body(tenancyLine(t)),
				)
			}),
		),
		app.P().Class("note").Text(heldText(p.view.Held)),
	)
}

// searchSummary says how many tenancies matched, for the live region.
func searchSummary(v SearchView) string {
	switch {
	case v.Query == "":
		return ""
	case len(v.Results) == 0:
		return "No tenancies match \"" + v.Query + "\"."
	case len(v.Results) == 1:
		return "1 tenancy matches."
	}
	return strconv.Itoa(len(v.Results)) + " tenancies match."
}

// heldText says how many tenancies the phone holds, so an officer knows
// whether a missing one has simply not synced yet.
func heldText(n int) string {
	switch n {
	case 0:
		return "No tenancies are held on this phone yet. They arrive when it syncs."
	case 1:
		return "1 tenancy held on this phone."
	}
	return strconv.Itoa(n) + " tenancies held on this phone."
}
