package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// reviewFilterForm is the supervisors' filter as typed: one site, team, officer
// and status (any, when empty) and a date range. On the queues the dates
// bound the due date; on the measures they are the period.
type reviewFilterForm struct {
	site, function, officer, status string
	from, to                        string
	problem                         string // why the filter was not applied
	// open is whether the supervisor has the filters open. It follows
	// their taps on the summary, so choosing "Any" does not close the
	// filters under their finger.
	open bool
}

// fill sets the form from f, as the view was loaded with it.
func (ff *reviewFilterForm) fill(f housing.ReviewFilter) {
	ff.problem = ""
	defer func() { ff.open = ff.open || ff.active() > 0 }()
	first := func(s []string) string {
		if len(s) > 0 {
			return s[0]
		}
		return ""
	}
	ff.site, ff.function, ff.officer, ff.status = first(f.Sites), first(f.Functions), f.OfficerID, string(f.Status)
	ff.from, ff.to = string(f.From), string(f.To)
}

// value returns the filter the form says.
func (ff reviewFilterForm) value(period bool) housing.ReviewFilter {
	var f housing.ReviewFilter
	if ff.site != "" {
		f.Sites = []string{ff.site}
	}
	if ff.function != "" {
		f.Functions = []string{ff.function}
	}
	f.OfficerID, f.From, f.To = ff.officer, housing.Date(ff.from), housing.Date(ff.to)
	if !period {
		f.Status = housing.Status(ff.status)
	}
	return f
}

// active counts the filters set, for the summary line.
func (ff reviewFilterForm) active() int {
	n := 0
	for _, v := range []string{ff.site, ff.function, ff.officer, ff.status, ff.from, ff.to} {
		if v != "" {
			n++
		}
	}
	return n
}

// render draws the form. period says it chooses a measures period (no
// status; dates are when promises reached the server).
func (ff *reviewFilterForm) render(o housing.ReviewOptions, period bool, apply, clear func(app.Context)) app.UI {
	id := "review-filter"
	from, to := "Due from", "Due to"
	if period {
		id, from, to = "review-period", "From", "To"
	}
	choose := func(name, label string, value *string, options []reviewOption) app.UI {
		return reviewField(id+"-"+name, label, app.Select().ID(id+"-"+name).Name(name).
			OnChange(func(ctx app.Context, e app.Event) { *value = chosen(ctx) }).
			Body(
				app.Option().Value("").Attr("selected", boolAttr(*value == "")).Text("Any"),
				app.Range(options).Slice(func(i int) app.UI {
					return app.Option().Value(options[i].Value).Attr("selected", boolAttr(options[i].Value == *value)).Text(options[i].Label)
				}),
			))
	}
	date := func(name, label string, value *string) app.UI {
		return reviewField(id+"-"+name, label, app.Input().Type("date").ID(id+"-"+name).Name(name).Value(*value).
			Aria("describedby", id+"-problem").
			OnChange(func(ctx app.Context, e app.Event) { *value = ctx.JSSrc().Get("value").String() }))
	}
	var sites, functions, officers, statuses []reviewOption
	for _, s := range o.Sites {
		sites = append(sites, reviewOption{s.ID, s.Name})
	}
	for _, f := range o.Functions {
		functions = append(functions, reviewOption{f.ID, f.Name})
	}
	for _, p := range o.Officers {
		officers = append(officers, reviewOption{p.ID, p.Name})
	}
	for _, s := range housing.Statuses {
		statuses = append(statuses, reviewOption{string(s), s.Label()})
	}
	summary := "Filters"
	if n := ff.active(); n > 0 {
		summary += " (" + strconv.Itoa(n) + " set)"
	}
	if period {
		summary = "Period and scope"
	}
	return app.Details().Class("review-filters").Attr("open", boolAttr(period || ff.open)).
		OnToggle(func(ctx app.Context, e app.Event) { ff.open = ctx.JSSrc().Get("open").Bool() }).Body(
		app.Summary().Text(summary),
		app.Form().ID(id).
			OnSubmit(func(ctx app.Context, e app.Event) {
				e.PreventDefault()
				// The filter's one rule lives in housing; the server
				// checks it again.
				if err := ff.value(period).Validate(); err != nil {
					ff.problem = housing.ErrorMessage(err)
					focus(ctx, id+"-problem")
					return
				}
				ff.problem = ""
				apply(ctx)
			}).
			Body(
				app.Div().Class("review-filter-grid").Body(
					choose("site", "Site", &ff.site, sites),
					choose("function", "Team", &ff.function, functions),
					choose("officer", "Officer", &ff.officer, officers),
					app.If(!period, func() app.UI { return choose("status", "Status", &ff.status, statuses) }),
					date("from", from, &ff.from),
					date("to", to, &ff.to),
				),
				problemText(id, ff.problem).TabIndex(-1),
				app.Div().Class("actions").Body(
					app.Button().Type("submit").Class("button").Text("Show"),
					app.Button().Type("button").Class("button button-secondary").
						OnClick(func(ctx app.Context, e app.Event) { clear(ctx) }).Text("Clear"),
				),
			),
	)
}

type reviewOption struct{ Value, Label string }
