package main

import (
	"context"
	"errors"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/app/remote"
	"doorstep/app/replica"
	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// supervisor handles the supervisors' reads (ui/review_state.go): the
// queues, measures and tenancy timelines, read from the server with the
// device's session, and the CSV exports. A supervisor's actions on a
// promise are not here: they are ui.ActionAct, saved by the replica and
// sent by sync like any change on the phone.
//
// The last view loaded is kept on the device, per officer, as go-app state
// persisted in local storage (keptKey), so it stays readable offline with
// its age shown, and is never shown to another officer who signs in on the
// same phone later. As with the officer's handlers, each plain method holds
// the logic and each handle method publishes through its own context.
type supervisor struct {
	browser browser
	server  remote.Client                  // BaseURL and Do; the token is the signed-in device's
	account func() (replica.Account, bool) // who is signed in on this phone

	// mu guards the numbers of the latest load of each kind: an answer that
	// arrives after a newer request was made is dropped rather than shown
	// over it.
	mu                            sync.Mutex
	queuesSeq, measuresSeq, tlSeq int
}

func newSupervisor(b browser, server remote.Client, account func() (replica.Account, bool)) *supervisor {
	return &supervisor{browser: b, server: server, account: account}
}

// keptTimelineCount bounds the timelines kept on the device: the most
// recently loaded ones.
const keptTimelineCount = 20

// keptKey is where the view published under state is kept for officer.
func keptKey(state, officer string) string { return state + ".kept." + officer }

// keptTimelines holds the most recently loaded timelines, newest first.
type keptTimelines struct {
	Views []ui.ReviewTimelineView `json:"views"`
}

// find returns the kept timeline of tenancy id, or an empty one.
func (k keptTimelines) find(id string) ui.ReviewTimelineView {
	for _, v := range k.Views {
		if v.TenancyID == id {
			return v
		}
	}
	return ui.ReviewTimelineView{TenancyID: id}
}

// with returns k with v as the newest, in place of any older copy, keeping
// at most keptTimelineCount.
func (k keptTimelines) with(v ui.ReviewTimelineView) keptTimelines {
	views := []ui.ReviewTimelineView{v}
	for _, old := range k.Views {
		if old.TenancyID != v.TenancyID && len(views) < keptTimelineCount {
			views = append(views, old)
		}
	}
	return keptTimelines{Views: views}
}

// client returns the server's client for the signed-in device, and its
// officer; ok is false while nobody is signed in or the session has ended.
func (s *supervisor) client() (c remote.Client, officer string, ok bool) {
	return signedInClient(s.server, s.account)
}

// loaded returns how fresh a view is after a load that ended with err.
func (s *supervisor) loaded(before ui.Loaded, err error) ui.Loaded {
	return loadedAfter(s.browser.now(), before, err)
}

// begin numbers a new load of the kind counted by seq.
func (s *supervisor) begin(seq *int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	*seq++
	return *seq
}

// latest runs publish if no load of the same kind began after n.
func (s *supervisor) latest(seq *int, n int, publish func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if *seq == n {
		publish()
	}
}

// queues loads the queues over view, the one kept on the device.
func (s *supervisor) queues(ctx context.Context, c remote.Client, f housing.ReviewFilter, view ui.ReviewQueuesView) ui.ReviewQueuesView {
	q, err := c.Queues(ctx, f)
	view.Loaded = s.loaded(view.Loaded, err)
	if err == nil {
		view.Queues = q
	}
	return view
}

func (s *supervisor) handleQueues(ctx app.Context, a app.Action) {
	f, _ := a.Value.(housing.ReviewFilter)
	n := s.begin(&s.queuesSeq)
	c, officer, ok := s.client()
	if !ok {
		ctx.SetState(ui.StateReviewQueues, ui.ReviewQueuesView{Loaded: ui.Loaded{Problem: "Sign in as a supervisor to see the queues."}})
		return
	}
	key := keptKey(ui.StateReviewQueues, officer)
	var view ui.ReviewQueuesView
	ctx.GetState(key, &view)
	view.Loading = true
	ctx.SetState(ui.StateReviewQueues, view)
	view = s.queues(ctx, c, f, view)
	s.latest(&s.queuesSeq, n, func() {
		if fresh(view.Loaded) {
			ctx.SetState(key, view).Persist()
		}
		ctx.SetState(ui.StateReviewQueues, view)
	})
}

// measures loads the measures over view, the one kept on the device.
func (s *supervisor) measures(ctx context.Context, c remote.Client, f housing.ReviewFilter, view ui.ReviewMeasuresView) ui.ReviewMeasuresView {
	m, err := c.Measures(ctx, f)
	view.Loaded = s.loaded(view.Loaded, err)
	if err == nil {
		view.Measures = m
	}
	return view
}

func (s *supervisor) handleMeasures(ctx app.Context, a app.Action) {
	f, _ := a.Value.(housing.ReviewFilter)
	n := s.begin(&s.measuresSeq)
	c, officer, ok := s.client()
	if !ok {
		ctx.SetState(ui.StateReviewMeasures, ui.ReviewMeasuresView{Loaded: ui.Loaded{Problem: "Sign in as a supervisor to see the measures."}})
		return
	}
	key := keptKey(ui.StateReviewMeasures, officer)
	var view ui.ReviewMeasuresView
	ctx.GetState(key, &view)
	view.Loading = true
	ctx.SetState(ui.StateReviewMeasures, view)
	view = s.measures(ctx, c, f, view)
	s.latest(&s.measuresSeq, n, func() {
		if fresh(view.Loaded) {
			ctx.SetState(key, view).Persist()
		}
		ctx.SetState(ui.StateReviewMeasures, view)
	})
}

// timeline loads tenancy id's timeline over view, the one kept on the
// device.
func (s *supervisor) timeline(ctx context.Context, c remote.Client, id string, view ui.ReviewTimelineView) ui.ReviewTimelineView {
	tl, err := c.Timeline(ctx, id)
	view.Loaded = s.loaded(view.Loaded, err)
	if err == nil {
		view.Timeline = tl
	}
	return view
}

func (s *supervisor) handleTimeline(ctx app.Context, a app.Action) {
	id, _ := a.Value.(string)
	n := s.begin(&s.tlSeq)
	c, officer, ok := s.client()
	if !ok {
		ctx.SetState(ui.StateReviewTimeline, ui.ReviewTimelineView{TenancyID: id, Loaded: ui.Loaded{Problem: "Sign in as a supervisor to see a tenancy's timeline."}})
		return
	}
	key := keptKey(ui.StateReviewTimeline, officer)
	var kept keptTimelines
	ctx.GetState(key, &kept)
	view := kept.find(id)
	view.Loading = true
	ctx.SetState(ui.StateReviewTimeline, view)
	view = s.timeline(ctx, c, id, view)
	s.latest(&s.tlSeq, n, func() {
		if fresh(view.Loaded) {
			// Read again: another timeline may have been kept meanwhile.
			ctx.GetState(key, &kept)
			ctx.SetState(key, kept.with(view)).Persist()
		}
		ctx.SetState(ui.StateReviewTimeline, view)
	})
}

// fresh reports whether a view has just been loaded from the server, and
// so is worth keeping.
func fresh(l ui.Loaded) bool {
	return !l.Loading && !l.Offline && l.Problem == "" && !l.LoadedAt.IsZero()
}

// export fetches a CSV export and returns the file's name and bytes, or
// the problem to show: offline, that an export needs the server.
func (s *supervisor) export(ctx context.Context, c remote.Client, ex ui.ReviewExport) (name string, data []byte, problem string) {
	data, err := c.Export(ctx, ex.What, ex.Filter)
	var refused *housing.Error
	switch {
	case err == nil:
		return exportFileName(ex.What, ex.Filter), data, ""
	case errors.As(err, &refused):
		return "", nil, refused.Message
	}
	return "", nil, "The export needs the server, and this device cannot reach it. Try again when you are online."
}

// exportFileName names a downloaded export by what it holds and its period,
// e.g. "doorstep-feedback-2026-11-02-to-2026-12-24.csv".
func exportFileName(what string, f housing.ReviewFilter) string {
	name := "doorstep-" + what
	if f.From != "" {
		name += "-" + string(f.From)
	}
	if f.To != "" {
		name += "-to-" + string(f.To)
	}
	return name + ".csv"
}

// handleExport hands the export to the browser as a download, or says on
// the measures page, where exports are offered, why it could not.
func (s *supervisor) handleExport(ctx app.Context, a app.Action) {
	ex, ok := a.Value.(ui.ReviewExport)
	if !ok {
		return
	}
	c, _, ok := s.client()
	if !ok {
		return
	}
	name, data, problem := s.export(ctx, c, ex)
	if problem == "" {
		s.browser.download(name, "text/csv", data)
		return
	}
	var view ui.ReviewMeasuresView
	ctx.GetState(ui.StateReviewMeasures, &view)
	view.Problem = problem
	ctx.SetState(ui.StateReviewMeasures, view)
}
