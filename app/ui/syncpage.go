package ui

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// SyncPage shows what waits on this phone and what the server refused, so
// nothing is lost silently: sync now, export, and correct and send again,
// or dismiss, each refused change.
type SyncPage struct {
	app.Compo

	mounted   app.Context // the page's own context: see focusAfter
	sync      SyncState
	attention []AttentionItem
	ref       Reference
	saved     SaveResult

	editing    string     // the AttentionItem.ID being corrected
	correction correction // its correction as typed
	sending    string     // the AttentionItem.ID resent, awaiting the answer
	lastSeq    int
	problem    string // why the correction was refused
	field      string // the id of the field the problem concerns
	message    string // for the live region
}

func (p *SyncPage) OnMount(ctx app.Context) {
	p.mounted = ctx
	ctx.ObserveState(StateSync, &p.sync)
	ctx.ObserveState(StateAttention, &p.attention)
	ctx.ObserveState(StateReference, &p.ref)
	ctx.ObserveState(StateSaved, &p.saved).OnChange(func() { p.onSaved(ctx) })
}

// onSaved handles the wiring's answer to a change sent again.
func (p *SyncPage) onSaved(ctx app.Context) {
	if p.sending == "" || p.saved.Seq == p.lastSeq {
		return
	}
	p.sending = ""
	if p.saved.Problem != "" && p.editing == "" {
		p.message = p.saved.Problem
		return
	}
	if p.saved.Problem != "" {
		// A refusal about one input of the record is shown beside it;
		// any other in the form's own slot, which then takes the focus.
		p.problem, p.field, p.message = p.saved.Problem, correctionInput(p.saved.Field), ""
		if p.field == "correction" {
			focus(ctx, "correction-problem")
		} else {
			focus(ctx, p.field)
		}
		return
	}
	p.editing, p.problem, p.field = "", "", ""
	p.message = "Sent again. It goes to the server at the next sync."
	focus(ctx, "attention-heading")
}

// focusAfter moves the focus to the element with id once the page has
// rendered, for a button that the render takes away ("Correct and send
// again" becomes the form; "Cancel" goes with it). go-app runs a deferred
// function only while the element that raised the event is still mounted,
// so focus(ctx, id) from such a button never runs and the focus is lost to
// the page; the page's own context stays mounted.
func (p *SyncPage) focusAfter(id string) { focus(p.mounted, id) }

// send raises ActionCorrect for item id with data (nil: as it was).
func (p *SyncPage) send(ctx app.Context, id string, data json.RawMessage) {
	if p.sending != "" {
		return
	}
	p.sending, p.lastSeq, p.message = id, p.saved.Seq, "Sending again…"
	ctx.NewActionWithValue(ActionCorrect, Correction{ID: id, Data: data})
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
			app.Button().Type("button").Class("button").Attr("disabled", boolAttr(s.Syncing)).
				OnClick(func(ctx app.Context, e app.Event) { ctx.NewAction(ActionSyncNow) }).
				Text("Sync now"),
			app.Button().Type("button").Class("button button-secondary").
				OnClick(func(ctx app.Context, e app.Event) { ctx.NewAction(ActionExport) }).
				Text("Export unsynced records"),
		),
		app.H2().ID("attention-heading").TabIndex(-1).Text("Needs attention"),
		status(p.message),
		app.If(len(p.attention) == 0, func() app.UI {
			return app.P().Class("note").Text("Nothing. The server has accepted everything it has been sent.")
		}).Else(func() app.UI {
			return app.Ul().Class("attention").Aria("labelledby", "attention-heading").Body(
				app.Range(p.attention).Slice(func(i int) app.UI { return p.attentionItem(p.attention[i]) }),
			)
		}),
	)
}

// attentionItem is one refused change with what the officer can do about
// it: correct it and send it again, send it again as it was, or dismiss it.
// Its buttons carry the item's ID and the handlers read it from the button
// pressed: when an item above is dismissed, go-app reuses this item's
// elements for the next one and keeps their first handlers.
func (p *SyncPage) attentionItem(a AttentionItem) app.UI {
	busy := p.sending != ""
	return app.Li().Class("attention-item").Body(
		app.Strong().Text(attentionTitle(a)),
		app.P().Text(attentionDetail(a)).Attr("hidden", boolAttr(attentionDetail(a) == "")),
		app.P().Text("The server said: "+a.Reason),
		app.P().Class("note").Text("Refused "+a.At.Local().Format("Mon 2 Jan 15:04")),
		app.If(p.editing == a.ID, func() app.UI {
			return p.correctionForm(a)
		}).Else(func() app.UI {
			return app.Div().Class("actions").Body(
				// Only a visit or a new promise can be corrected here. This
				// button comes and goes, so the handlers below read which
				// item they act on from the button pressed.
				app.If(correctable(a), func() app.UI {
					return app.Button().Type("button").Class("button").Attr("disabled", boolAttr(busy)).Attr("data-item", a.ID).
						OnClick(func(ctx app.Context, e app.Event) {
							for _, a := range p.attention {
								if a.ID == itemOf(ctx) {
									p.editing, p.problem, p.field, p.message = a.ID, "", "", ""
									p.correction, _ = newCorrection(a)
									p.focusAfter(p.correction.firstField())
								}
							}
						}).
						Text("Correct and send again")
				}),
				app.Button().Type("button").Class("button button-secondary").Attr("disabled", boolAttr(busy)).Attr("data-item", a.ID).
					OnClick(func(ctx app.Context, e app.Event) { p.send(ctx, itemOf(ctx), nil) }).
					Text("Send again as it was"),
				app.Button().Type("button").Class("button button-secondary").Attr("disabled", boolAttr(busy)).Attr("data-item", a.ID).
					OnClick(func(ctx app.Context, e app.Event) { ctx.NewActionWithValue(ActionDismiss, itemOf(ctx)) }).
					Text("Dismiss"),
			)
		}),
	)
}

// itemOf is the data-item attribute of the element that raised an event:
// the ID of the list item it acts on.
func itemOf(ctx app.Context) string {
	return ctx.JSSrc().Call("getAttribute", "data-item").String()
}

// lastSyncText is when the server last confirmed everything.
func lastSyncText(t, now time.Time) string {
	if t.IsZero() {
		return "Never"
	}
	return when(t, now) + " (" + age(t, now) + ")"
}

// age is how long ago t was, in the largest whole unit: "3 hours ago".
func age(t, now time.Time) string { return reviewAgo(now.Sub(t)) }
