package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// ReviewMeasures is the supervisors' measures for a period and scope
// (/review/measures): what was promised and what became of it, what tenants
// said, how quickly each team picks up its handoffs, the weekly trend, and
// the CSV exports of the same scope and period.
type ReviewMeasures struct {
	app.Compo

	view   ReviewMeasuresView
	filter reviewFilterForm
	signed reviewSignedIn
}

func (p *ReviewMeasures) OnMount(ctx app.Context) {
	ctx.ObserveState(StateReviewMeasures, &p.view).OnChange(func() {
		p.filter.fill(p.view.Measures.Filter)
		// Show the period the figures are for, the default included.
		p.filter.from, p.filter.to = string(p.view.Measures.From), string(p.view.Measures.To)
	})
	p.filter.fill(p.view.Measures.Filter)
	p.signed.observe(ctx, p.load)
}

func (p *ReviewMeasures) load(ctx app.Context) {
	ctx.NewActionWithValue(ActionReviewMeasures, p.filter.value(true))
}

func (p *ReviewMeasures) Render() app.UI {
	m := p.view.Measures
	return NewShell().Title("Measures").Content(
		app.Div().Class("review").Body(
			reviewNav(PathReviewMeasures),
			reviewSignInHint(p.signed, "the measures"),
			reviewFreshness(p.view.Loaded),
			p.filter.render(m.Options, true, p.load, func(ctx app.Context) {
				p.filter = reviewFilterForm{open: p.filter.open}
				p.load(ctx)
			}),
			app.If(m.From != "", func() app.UI {
				return app.Div().Body(
					app.P().Class("review-period").Text("Promises and feedback that reached the server from "+m.From.Human()+" to "+m.To.Human()+"."),
					tallyFacts(m.Tally),
					app.H2().Text("What became of the promises"),
					reviewBars("What became of the promises made in the period", float64(m.Tally.Made), outcomeBars(m.Tally)),
					app.H2().Text("Week by week"),
					reviewTrend("Promises made each week, and how many were kept on time, kept late, broken or disputed", m.Weeks, trendSeries(m.Weeks)),
					weekTable(m.Weeks),
					app.H2().Text("Tenant Satisfaction Measures"),
					app.P().Class("note").Text("Percentage satisfied of those who answered, with the number of answers: a percentage of a few answers can mislead."),
					reviewBars("Percentage of tenants satisfied, by question", 100, satisfactionBars(m.Satisfaction)),
					app.H2().Text("Days to pick up a handoff"),
					app.P().Class("note").Text("Median days from a promise reaching a team (or being reassigned to it) to someone in the team picking it up."),
					app.If(len(m.Acknowledge) == 0, func() app.UI {
						return app.P().Text("No promises in this period.")
					}).Else(func() app.UI {
						return reviewBars("Median days to pick up a handoff, by team", maxMedian(m.Acknowledge), acknowledgeBars(m.Acknowledge))
					}),
					app.H2().Text("Export"),
					app.P().Class("note").Text("The same period and scope as a spreadsheet file (CSV)."),
					app.Div().Class("actions").Body(
						p.exportButton(ExportCommitments, "Download promises (CSV)"),
						p.exportButton(ExportFeedback, "Download feedback (CSV)"),
					),
				)
			}),
		),
	)
}

func (p *ReviewMeasures) exportButton(what, label string) app.UI {
	return app.Button().Type("button").Class("button button-secondary").ID("export-" + what).
		OnClick(func(ctx app.Context, e app.Event) {
			f := p.view.Measures.Filter
			f.From, f.To = p.view.Measures.From, p.view.Measures.To
			ctx.NewActionWithValue(ActionReviewExport, ReviewExport{What: what, Filter: f})
		}).Text(label)
}

// tallyFacts are the period's headline figures.
func tallyFacts(t housing.Tally) app.UI {
	share := func(n int) string {
		if t.Made == 0 {
			return strconv.Itoa(n)
		}
		return strconv.Itoa(n) + " (" + strconv.Itoa(housing.Percent(n, t.Made)) + "%)"
	}
	fact := func(label, value string) app.UI {
		return app.Div().Class("review-tally-item").Body(app.Dt().Text(label), app.Dd().Text(value))
	}
	return app.Dl().Class("review-tally").Body(
		fact("Promises made", strconv.Itoa(t.Made)),
		fact("Kept on time", share(t.KeptOnTime)),
		fact("Kept late", share(t.KeptLate)),
		fact("Broken", share(t.Broken)),
		fact("Disputed by the tenant", share(t.Disputed)),
		fact("Confirmed by the tenant", share(t.Confirmed)),
	)
}

func outcomeBars(t housing.Tally) []reviewBar {
	bar := func(label string, n int, class string) reviewBar {
		return reviewBar{Label: label, Value: float64(n), Text: strconv.Itoa(n), Class: class}
	}
	return []reviewBar{
		bar("Made", t.Made, "bar-made"),
		bar("Kept on time", t.KeptOnTime, "bar-good"),
		bar("Kept late", t.KeptLate, "bar-late"),
		bar("Broken", t.Broken, "bar-bad"),
		bar("Disputed by the tenant", t.Disputed, "bar-disputed"),
		bar("Confirmed by the tenant", t.Confirmed, "bar-good"),
	}
}

func trendSeries(weeks []housing.Week) []reviewSeries {
	series := []reviewSeries{
		{Name: "Made", Class: "line-made"},
		{Name: "Kept on time", Class: "line-good"},
		{Name: "Kept late", Class: "line-late"},
		{Name: "Broken or disputed", Class: "line-bad"},
	}
	for _, w := range weeks {
		series[0].Values = append(series[0].Values, w.Made)
		series[1].Values = append(series[1].Values, w.KeptOnTime)
		series[2].Values = append(series[2].Values, w.KeptLate)
		series[3].Values = append(series[3].Values, w.Broken+w.Disputed)
	}
	return series
}

// weekTable is the trend's figures, for reading rather than seeing.
func weekTable(weeks []housing.Week) app.UI {
	return app.Details().Class("review-numbers").Body(
		app.Summary().Text("Show the weekly figures"),
		app.Table().Body(
			app.THead().Body(app.Tr().Body(
				app.Th().Scope("col").Text("Week of"), app.Th().Scope("col").Text("Made"), app.Th().Scope("col").Text("On time"),
				app.Th().Scope("col").Text("Late"), app.Th().Scope("col").Text("Broken"), app.Th().Scope("col").Text("Disputed"),
			)),
			app.TBody().Body(app.Range(weeks).Slice(func(i int) app.UI {
				w := weeks[i]
				return app.Tr().Body(
					app.Th().Scope("row").Text(w.Start.Time().Format("2 Jan")),
					app.Td().Text(w.Made), app.Td().Text(w.KeptOnTime), app.Td().Text(w.KeptLate),
					app.Td().Text(w.Broken), app.Td().Text(w.Disputed),
				)
			})),
		),
	)
}

func satisfactionBars(ss []housing.Satisfaction) []reviewBar {
	var out []reviewBar
	for _, s := range ss {
		text := "no answers yet"
		if s.Responses > 0 {
			text = strconv.Itoa(s.Percent) + "% of " + reviewAnswers(s.Responses)
		}
		out = append(out, reviewBar{Label: string(s.Question) + " " + s.Label, Value: float64(s.Percent), Text: text, Class: "bar-good"})
	}
	return out
}

func reviewAnswers(n int) string {
	if n == 1 {
		return "1 answer"
	}
	return strconv.Itoa(n) + " answers"
}

func acknowledgeBars(as []housing.AcknowledgeMedian) []reviewBar {
	var out []reviewBar
	for _, a := range as {
		text := "none picked up"
		if a.Count > 0 {
			text = strconv.FormatFloat(a.MedianDays, 'f', 1, 64) + " days (" + strconv.Itoa(a.Count) + ")"
		}
		if a.Waiting > 0 {
			text += ", " + strconv.Itoa(a.Waiting) + " waiting"
		}
		out = append(out, reviewBar{Label: a.FunctionName, Value: a.MedianDays, Text: text, Class: "bar-made"})
	}
	return out
}

func maxMedian(as []housing.AcknowledgeMedian) float64 {
	m := 1.0
	for _, a := range as {
		m = max(m, a.MedianDays)
	}
	return m
}
