package ui

import (
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// The supervisors' screens read what the server says (queues, a tenancy's
// timeline, measures) and act through sync like everyone else: an action
// on a promise is ActionAct, saved on the phone by the replica and sent
// with the next sync. The wiring in app/supervisor.go does the reads: it
// handles the actions below and publishes the results under the state keys
// below, keeping the last loaded view on the device so it stays readable
// offline.

// Paths of the supervisors' pages beside PathReview.
const (
	PathReviewMeasures = "/review/measures"
	PathReviewTenancy  = "/review/tenancy/" // followed by the tenancy's ID
)

// State keys the wiring publishes.
const (
	StateReviewQueues   = "review.queues"   // ReviewQueuesView
	StateReviewMeasures = "review.measures" // ReviewMeasuresView
	StateReviewTimeline = "review.timeline" // ReviewTimelineView
)

// Actions the supervisors' pages raise.
const (
	ActionReviewQueues   = "review.queues.load"   // Value: housing.ReviewFilter
	ActionReviewMeasures = "review.measures.load" // Value: housing.ReviewFilter
	ActionReviewTimeline = "review.timeline.load" // Value: the tenancy ID
	ActionReviewExport   = "review.export"        // Value: ReviewExport
)

// Loaded says how fresh a view read from the server is.
type Loaded struct {
	Loading  bool      `json:"-"`
	Offline  bool      `json:"-"` // the last load could not reach the server; the view is the one kept on the device
	Problem  string    `json:"-"` // what went wrong, in words to show
	LoadedAt time.Time `json:"loaded_at,omitzero"`
}

// Status is the line that says how old the view is, for example "Last
// loaded 2 hours ago — you are offline". It is empty when there is nothing
// to say: a fresh view, online.
func (l Loaded) Status(now time.Time) string {
	switch {
	case l.Offline && l.LoadedAt.IsZero():
		return "You are offline, and nothing has been loaded on this device yet."
	case l.Offline:
		return "Last loaded " + reviewAgo(now.Sub(l.LoadedAt)) + " — you are offline"
	case l.Loading && l.LoadedAt.IsZero():
		return "Loading…"
	case l.Loading:
		return "Updating… (showing what was loaded " + reviewAgo(now.Sub(l.LoadedAt)) + ")"
	}
	return ""
}

// reviewAgo says how long ago something happened, in the words people use.
func reviewAgo(d time.Duration) string {
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

// ReviewQueuesView is the attention queues as last loaded.
type ReviewQueuesView struct {
	Loaded
	Queues housing.Queues `json:"queues"`
}

// ReviewMeasuresView is the measures as last loaded.
type ReviewMeasuresView struct {
	Loaded
	Measures housing.Measures `json:"measures"`
}

// ReviewTimelineView is one tenancy's timeline as last loaded.
type ReviewTimelineView struct {
	Loaded
	TenancyID string           `json:"tenancy_id"`
	Timeline  housing.Timeline `json:"timeline"`
}

// Exports a supervisor can download.
const (
	ExportCommitments = "commitments"
	ExportFeedback    = "feedback"
)

// ReviewExport asks for one CSV export of the filter's scope and period.
type ReviewExport struct {
	What   string               `json:"what"` // ExportCommitments or ExportFeedback
	Filter housing.ReviewFilter `json:"filter"`
}

// reviewSignedIn makes a supervisors' page load once the phone knows who
// is signed in: on a cold start the page mounts before the replica has
// opened, and a page that asked then would be told nobody is. It loads
// again when another officer signs in on the same phone.
type reviewSignedIn struct {
	account   Account
	loadedFor string
}

// observe follows the account and calls load when an officer is signed in
// and the page has not loaded for them yet.
func (s *reviewSignedIn) observe(ctx app.Context, load func(app.Context)) {
	ctx.ObserveState(StateAccount, &s.account).OnChange(func() { s.loadOnce(ctx, load) })
	s.loadOnce(ctx, load)
}

func (s *reviewSignedIn) loadOnce(ctx app.Context, load func(app.Context)) {
	if s.account.SignedIn && s.account.Officer.ID != s.loadedFor {
		s.loadedFor = s.account.Officer.ID
		load(ctx)
	}
}

// reviewSignInHint is shown while nobody is signed in on the phone.
func reviewSignInHint(s reviewSignedIn, what string) app.UI {
	return app.If(!s.account.SignedIn, func() app.UI {
		return app.P().Class("review-status").Body(
			app.A().Href(PathSignIn).Text("Sign in"),
			app.Text(" as a supervisor to see "+what+"."),
		)
	})
}

// ReviewLink is the way into the supervisors' screens from the officer's
// pages: shown only to a supervisor or an admin (the server refuses anyone
// else whatever the screen shows).
func ReviewLink(a Account) app.UI {
	return app.If(a.SignedIn && a.Officer.Role.AtLeast(housing.RoleSupervisor), func() app.UI {
		return app.A().Class("button button-secondary").Href(PathReview).Text("Review promises")
	})
}
