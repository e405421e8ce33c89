package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// StateSync is the go-app state key under which the wiring in app/ publishes
// a SyncState whenever the outbox or a sync attempt changes.
const StateSync = "sync"

// SyncState is what the header tells an officer about sync: how many changes
// wait on this phone, how many the server refused, and when the server last
// confirmed everything.
type SyncState struct {
	Pending    int       `json:"pending"`   // saved on this phone, not yet on the server
	Attention  int       `json:"attention"` // refused by the server; listed on the sync page
	Syncing    bool      `json:"syncing"`
	LastSynced time.Time `json:"last_synced,omitzero"` // zero: never

	OldestPending time.Time `json:"oldest_pending,omitzero"` // when the oldest unsynced change was made
	LastAttempt   time.Time `json:"last_attempt,omitzero"`
	LastError     string    `json:"last_error,omitempty"` // why the last attempt failed, in plain words
	NeedsSignIn   bool      `json:"needs_sign_in,omitempty"`
}

// Label is the badge's text at time now, for example "2 to sync · last 14:05".
func (s SyncState) Label(now time.Time) string {
	label := s.headline(now)
	if a := s.attentionText(); a != "" {
		label += " · " + a
	}
	return label
}

// headline is the badge's first line: how many changes wait, and the last
// sync.
func (s SyncState) headline(now time.Time) string {
	var label string
	switch {
	case s.NeedsSignIn && s.Pending > 0:
		label = strconv.Itoa(s.Pending) + " to sync · sign in to send"
	case s.NeedsSignIn:
		label = "Sign in to sync"
	case s.Syncing:
		label = "Syncing…"
	case s.Pending > 0 && s.LastSynced.IsZero():
		label = strconv.Itoa(s.Pending) + " to sync · not synced yet"
	case s.Pending > 0:
		label = strconv.Itoa(s.Pending) + " to sync · last " + when(s.LastSynced, now)
	case s.LastSynced.IsZero():
		label = "Not synced yet"
	default:
		label = "Synced " + when(s.LastSynced, now)
	}
	return label
}

// attentionText is how many refused changes wait on the sync page.
func (s SyncState) attentionText() string {
	switch {
	case s.Attention == 1:
		return "1 needs attention"
	case s.Attention > 1:
		return strconv.Itoa(s.Attention) + " need attention"
	}
	return ""
}

// Detail is the badge's second, smaller line, most urgent first, as much of
// it as a 360 px header shows: refused changes, since when changes have
// waited (a clock time, so the header never goes stale between syncs) and
// whether the last try failed; "" when there is nothing to add. The sync
// page says the rest.
func (s SyncState) Detail(now time.Time) string {
	var parts []string
	if a := s.attentionText(); a != "" {
		parts = append(parts, a)
	}
	if s.Pending > 0 && !s.OldestPending.IsZero() {
		parts = append(parts, "waiting since "+when(s.OldestPending, now))
	}
	if s.LastError != "" && !s.NeedsSignIn && s.LastAttempt.After(s.LastSynced) {
		parts = append(parts, "last try failed")
	}
	if len(parts) > 1 {
		for i := range parts {
			parts[i] = strings.TrimPrefix(parts[i], "waiting ")
		}
	}
	return strings.Join(parts, " · ")
}

// when is a time as an officer reads it: the clock today, the date otherwise.
func when(t, now time.Time) string {
	t = t.In(now.Location())
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04")
	}
	return t.Format("2 Jan")
}

// SyncBadge shows the SyncState in the header and links to the sync page.
type SyncBadge struct {
	app.Compo
	state SyncState
}

func (b *SyncBadge) OnMount(ctx app.Context) {
	ctx.ObserveState(StateSync, &b.state)
}

func (b *SyncBadge) Render() app.UI {
	class := "sync-badge"
	if b.state.Pending > 0 || b.state.Attention > 0 {
		class += " sync-badge-pending"
	}
	now := time.Now()
	detail := b.state.Detail(now)
	return app.A().
		Class(class).
		Href(PathSync).
		Aria("live", "polite").
		Body(
			app.Span().Class("sync-badge-main").Text(b.state.headline(now)),
			app.If(detail != "", func() app.UI {
				return app.Span().Class("sync-badge-detail").Body(
					app.Span().Class("visually-hidden").Text(" · "),
					app.Text(detail),
				)
			}),
		)
}
