package ui

import (
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// SyncPage shows what waits on this phone and what the server refused, so
// nothing is lost silently: sync now, export, and put right or dismiss each
// refused change.
type SyncPage struct {
	app.Compo

	sync      SyncState
	attention []AttentionItem
}

func (p *SyncPage) OnMount(ctx app.Context) {
	ctx.ObserveState(StateSync, &p.sync)
	ctx.ObserveState(StateAttention, &p.attention)
}

func (p *SyncPage) Render() app.UI {
	s := p.sync
	now := time.Now()
	return NewShell().Title("Sync").Content(
		status(s.Label(now)),
		app.Dl().Class("facts").Body(
			fact("Waiting to sync", strconv.Itoa(s.Pending)),
			app.If(!s.OldestPending.IsZero(), func() app.UI {
				return fact("Oldest unsynced change", age(s.OldestPending, now))
			}),
			fact("Last successful sync", lastSyncText(s.LastSynced, now)),
			app.If(s.LastError != "", func() app.UI {
				return fact("Last problem", s.LastError)
			}),
		),
		app.Div().Class("actions").Body(
			app.Button().Type("button").Class("button").Disabled(s.Syncing).
				OnClick(func(ctx app.Context, e app.Event) { ctx.NewAction(ActionSyncNow) }).
				Text("Sync now"),
			app.Button().Type("button").Class("button button-secondary").
				OnClick(func(ctx app.Context, e app.Event) { ctx.NewAction(ActionExport) }).
				Text("Export unsynced records"),
		),
		app.H2().ID("attention-heading").Text("Needs attention"),
		app.If(len(p.attention) == 0, func() app.UI {
			return app.P().Class("note").Text("Nothing. The server has accepted everything it has been sent.")
		}).Else(func() app.UI {
			return app.Ul().Class("attention").Aria("labelledby", "attention-heading").Body(
				app.Range(p.attention).Slice(func(i int) app.UI { return attentionItem(p.attention[i]) }),
			)
		}),
	)
}

// attentionItem is one refused change with what the officer can do about it.
func attentionItem(a AttentionItem) app.UI {
	return app.Li().Class("attention-item").Body(
		app.Strong().Text(a.Summary),
		app.P().Text(a.Reason),
		app.P().Class("note").Text("Refused "+a.At.Local().Format("Mon 2 Jan 15:04")),
		app.Div().Class("actions").Body(
			app.Button().Type("button").Class("button").
				OnClick(func(ctx app.Context, e app.Event) { ctx.NewActionWithValue(ActionResend, a.ID) }).
				Text("Resend"),
			app.Button().Type("button").Class("button button-secondary").
				OnClick(func(ctx app.Context, e app.Event) { ctx.NewActionWithValue(ActionDismiss, a.ID) }).
				Text("Dismiss"),
		),
	)
}

// lastSyncText is when the server last confirmed everything.
func lastSyncText(t, now time.Time) string {
	if t.IsZero() {
		return "Never"
	}
	return when(t, now) + " (" + age(t, now) + ")"
}

// age is how long ago t was, in the largest whole unit: "3 hours ago".
func age(t, now time.Time) string {
	d := now.Sub(t)
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit + " ago"
		}
		return strconv.Itoa(n) + " " + unit + "s ago"
	}
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/(24*time.Hour)), "day")
}
