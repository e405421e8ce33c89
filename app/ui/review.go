package ui

import (
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// Review is the supervisors' attention queues (/review): counts at the top,
// filters by site, team, officer, status and due date, and one row per
// promise with what a supervisor can do about it. It shows what the server
// said when last loaded; offline, it says how old that is.
type Review struct {
	app.Compo

	view   ReviewQueuesView
	filter reviewFilterForm
	queue  string // the queue shown; "" is the first with anything in it
	open   string // the commitment whose action form is open
	sync   SyncState
	signed reviewSignedIn
	// waiting is set after an action is saved on the phone: the queues are
	// loaded again once sync has sent it.
	waiting bool
	// arrived is the newest view the wiring published. It is shown at once,
	// unless an action form is open: then it waits until the form closes
	// (stale is set), so the rows do not move under the supervisor's
	// finger. A reload moves the rows, and a row that then shows another
	// promise starts its form afresh (ReviewRow.OnUpdate): a half-typed
	// action would be lost.
	arrived ReviewQueuesView
	stale   bool
}

func (p *Review) OnMount(ctx app.Context) {
	ctx.ObserveState(StateReviewQueues, &p.arrived).OnChange(p.arrive)
	ctx.ObserveState(StateSync, &p.sync).OnChange(func() {
		if p.waiting && !p.sync.Syncing && p.sync.Pending == 0 {
			p.waiting = false
			p.load(ctx)
		}
	})
	p.show()
	p.signed.observe(ctx, p.load)
}

// arrive shows the view that has just arrived, or keeps it for when the
// open action form closes.
func (p *Review) arrive() {
	if p.open != "" {
		p.stale = true
		return
	}
	p.show()
}

// closeForm closes the open action form, and shows the view that arrived
// while it was open.
func (p *Review) closeForm() {
	p.open = ""
	if p.stale {
		p.show()
	}
}

// show puts the newest view on screen.
func (p *Review) show() {
	p.view, p.stale = p.arrived, false
	p.filter.fill(p.view.Queues.Filter)
}

// load asks the wiring for the queues with the filter as it stands.
func (p *Review) load(ctx app.Context) {
	ctx.NewActionWithValue(ActionReviewQueues, p.filter.value(false))
}

func (p *Review) Render() app.UI {
	q := p.view.Queues
	shown := p.shownQueue()
	return NewShell().Title("Review").Content(
		app.Div().Class("review").Body(
			reviewNav(PathReview),
			reviewSignInHint(p.signed, "the queues"),
			reviewFreshness(p.view.Loaded),
			p.filter.render(q.Options, false, func(ctx app.Context) {
				p.load(ctx)
			}, func(ctx app.Context) {
				p.filter = reviewFilterForm{open: p.filter.open}
				p.load(ctx)
			}),
			app.If(len(q.Counts) > 0, func() app.UI {
				return app.Div().Class("review-counts").Aria("label", "Queues").Body(
					app.Range(q.Counts).Slice(func(i int) app.UI {
						c := q.Counts[i]
						b := app.Button().Type("button").Class("review-count").
							Aria("pressed", c.Queue == shown).
							OnClick(func(ctx app.Context, e app.Event) { p.queue = c.Queue; p.closeForm() }).
							Body(
								app.Span().Class("review-count-n").Text(c.Count),
								app.Span().Class("review-count-label").Text(c.Label),
							)
						if c.Count > 0 && c.Queue != housing.QueueDueSoon {
							b = b.Class("review-count-alert")
						}
						return b
					}),
				)
			}),
			app.If(shown == housing.QueueAttention, func() app.UI {
				return reviewAttention(q.Attention)
			}).Else(func() app.UI {
				return p.rows(shown)
			}),
		),
	)
}

// shownQueue is the queue the supervisor chose, or else the first one with
// something in it.
func (p *Review) shownQueue() string {
	if p.queue != "" {
		return p.queue
	}
	for _, c := range p.view.Queues.Counts {
		if c.Count > 0 {
			return c.Queue
		}
	}
	return housing.QueueOverdue
}

func (p *Review) rows(queue string) app.UI {
	var items []housing.QueueItem
	for _, it := range p.view.Queues.Items {
		if it.Queue == queue {
			items = append(items, it)
		}
	}
	if len(items) == 0 {
		return app.P().Class("review-empty").Text("Nothing here. " + housing.QueueLabel(queue) + ": none in your sites and teams for these filters.")
	}
	today := p.view.Queues.Today
	return app.Ul().Class("review-rows").Aria("label", housing.QueueLabel(queue)).Body(
		app.Range(items).Slice(func(i int) app.UI {
			it := items[i]
			return &ReviewRow{
				Item:    it,
				Today:   today,
				Options: p.view.Queues.Options,
				Open:    p.open == it.Commitment.ID,
				OnOpen: func(open bool) {
					if open {
						p.open = it.Commitment.ID
						return
					}
					p.closeForm()
				},
				OnSaved: func() { p.waiting = true },
			}
		}),
	)
}

// reviewNav links the supervisors' pages.
func reviewNav(current string) app.UI {
	link := func(path, label string) app.UI {
		a := app.A().Href(path).Text(label)
		if path == current {
			a = a.Aria("current", "page")
		}
		return a
	}
	return app.Nav().Class("review-nav").Aria("label", "Review").Body(
		link(PathReview, "Queues"),
		link(PathReviewMeasures, "Measures and export"),
	)
}

// reviewFreshness says how old the view is, and any problem loading it.
func reviewFreshness(l Loaded) app.UI {
	status := l.Status(time.Now())
	return app.Div().Aria("live", "polite").Body(
		app.If(status != "", func() app.UI {
			class := "review-status"
			if l.Offline {
				class += " review-offline"
			}
			return app.P().Class(class).Text(status)
		}),
		app.If(l.Problem != "", func() app.UI {
			return app.P().Class("review-problem").Attr("role", "alert").Text(l.Problem)
		}),
	)
}

// reviewAttention shows the sync mutations the server refused.
func reviewAttention(items []housing.AttentionItem) app.UI {
	if len(items) == 0 {
		return app.P().Class("review-empty").Text("Nothing needs attention: the server has accepted every change your officers sent.")
	}
	return app.Ul().Class("review-rows").Aria("label", housing.QueueLabel(housing.QueueAttention)).Body(
		app.Range(items).Slice(func(i int) app.UI {
			it := items[i]
			a := it.Attention
			return app.Li().Class("review-row").Body(
				app.P().Class("review-what").Text(reviewKind(a.Kind)+" by "+it.OfficerName),
				app.If(it.What != "", func() app.UI {
					return app.P().Text("Promise: " + it.What)
				}),
				app.P().Class("review-problem-text").Text(a.Reason),
				app.P().Class("review-meta").Text("Refused "+housing.LocalTime(a.ReceivedAt).Format("Mon 2 Jan 15:04")+" · the officer sees it on their phone and can correct it"),
			)
		}),
	)
}
