package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// The measures' charts are small SVG drawn here, with no chart library and
// nothing fetched from elsewhere. Colours come from review.css by class, so
// the page's strict style policy holds. Each chart has a text alternative
// and its numbers in a table beside it: a chart is a picture, not the only
// way to read the figures.

const svgNS = "http://www.w3.org/2000/svg"

// svgEl returns an SVG element: go-app creates it in the SVG namespace.
func svgEl(tag string) app.HTMLElem { return app.Elem(tag).XMLNS(svgNS) }

// reviewBar is one bar of a horizontal bar chart.
type reviewBar struct {
	Label string
	Value float64 // drawn against Max
	Text  string  // the figure written beside the bar
	Class string  // the bar's colour, e.g. "bar-good"
}

// Bar chart geometry, in SVG user units; the chart scales to its box.
const (
	barChartWidth = 320
	barRowHeight  = 40
	barThickness  = 14
	barTextRoom   = 110 // right of the longest bar, for its figure
)

// barLength returns the length of a bar of value against max.
func barLength(value, max float64) float64 {
	if max <= 0 || value <= 0 {
		return 0
	}
	if value > max {
		value = max
	}
	return value / max * (barChartWidth - barTextRoom)
}

// reviewBars draws bars, one row each: the label above, the bar, and the
// figure after it. max is the value of a full-length bar.
func reviewBars(title string, max float64, bars []reviewBar) app.UI {
	height := len(bars) * barRowHeight
	rows := make([]app.UI, 0, len(bars)*3+1)
	rows = append(rows, svgEl("title").Text(title))
	for i, b := range bars {
		y := i * barRowHeight
		length := barLength(b.Value, max)
		class := "chart-bar"
		if b.Class != "" {
			class += " " + b.Class
		}
		rows = append(rows,
			svgEl("text").Attr("x", 0).Attr("y", y+13).Class("chart-label").Text(b.Label),
			svgEl("rect").Attr("x", 0).Attr("y", y+18).Attr("width", chartNum(length)).Attr("height", barThickness).Class(class),
			svgEl("text").Attr("x", chartNum(length+6)).Attr("y", y+30).Class("chart-figure").Text(b.Text),
		)
	}
	return svgEl("svg").Class("chart").
		Attr("viewBox", "0 0 "+strconv.Itoa(barChartWidth)+" "+strconv.Itoa(height)).
		Attr("role", "img").Aria("label", title).
		Body(rows...)
}

// reviewSeries is one line of the trend chart.
type reviewSeries struct {
	Name   string
	Class  string // "line-made", ...
	Values []int  // one per week
}

// Trend chart geometry.
const (
	trendWidth  = 320
	trendHeight = 170
	trendLeft   = 28 // room for the y axis figures
	trendBottom = 24 // room for the week labels
	trendTop    = 8
)

// trendPoint returns where value in week i of n sits, with the y axis
// running to top.
func trendPoint(i, n, value, top int) (x, y float64) {
	plotW := float64(trendWidth - trendLeft - 8)
	plotH := float64(trendHeight - trendBottom - trendTop)
	x = float64(trendLeft)
	if n > 1 {
		x += float64(i) * plotW / float64(n-1)
	} else {
		x += plotW / 2
	}
	if top <= 0 {
		top = 1
	}
	y = float64(trendTop) + plotH - float64(value)/float64(top)*plotH
	return x, y
}

// trendTop returns the y axis's top: the largest value, at least 1, rounded
// up to an even number so the halfway line is a whole figure.
func trendTopOf(series []reviewSeries) int {
	top := 1
	for _, s := range series {
		for _, v := range s.Values {
			top = max(top, v)
		}
	}
	if top%2 == 1 && top > 1 {
		top++
	}
	return top
}

// reviewTrend draws one line per series over the weeks, with the axis
// figures and every other week's date (every week when there are few).
func reviewTrend(title string, weeks []housing.Week, series []reviewSeries) app.UI {
	n := len(weeks)
	top := trendTopOf(series)
	els := []app.UI{svgEl("title").Text(title)}
	for _, v := range []int{0, top / 2, top} {
		_, y := trendPoint(0, n, v, top)
		els = append(els,
			svgEl("line").Attr("x1", trendLeft).Attr("x2", trendWidth-8).Attr("y1", chartNum(y)).Attr("y2", chartNum(y)).Class("chart-grid"),
			svgEl("text").Attr("x", trendLeft-6).Attr("y", chartNum(y+4)).Attr("text-anchor", "end").Class("chart-axis").Text(v),
		)
	}
	step := 1
	if n > 6 {
		step = 2
	}
	for i, w := range weeks {
		if (n-1-i)%step != 0 {
			continue
		}
		x, _ := trendPoint(i, n, 0, top)
		els = append(els, svgEl("text").Attr("x", chartNum(x)).Attr("y", trendHeight-6).Attr("text-anchor", "middle").
			Class("chart-axis").Text(w.Start.Time().Format("2 Jan")))
	}
	for _, s := range series {
		points := ""
		var dots []app.UI
		for i, v := range s.Values {
			x, y := trendPoint(i, n, v, top)
			if points != "" {
				points += " "
			}
			points += chartNum(x) + "," + chartNum(y)
			dots = append(dots, svgEl("circle").Attr("cx", chartNum(x)).Attr("cy", chartNum(y)).Attr("r", 3).Class("chart-dot "+s.Class))
		}
		els = append(els, svgEl("polyline").Attr("points", points).Class("chart-line "+s.Class))
		els = append(els, dots...)
	}
	return app.Figure().Class("chart-figure-box").Body(
		svgEl("svg").Class("chart").
			Attr("viewBox", "0 0 "+strconv.Itoa(trendWidth)+" "+strconv.Itoa(trendHeight)).
			Attr("role", "img").Aria("label", title).
			Body(els...),
		app.Ul().Class("chart-legend").Body(
			app.Range(series).Slice(func(i int) app.UI {
				return app.Li().Body(
					app.Span().Class("chart-swatch "+series[i].Class).Aria("hidden", true),
					app.Text(series[i].Name),
				)
			}),
		),
	)
}

// chartNum writes a coordinate with at most one decimal.
func chartNum(f float64) string { return strconv.FormatFloat(float64(int(f*10+0.5))/10, 'f', -1, 64) }
