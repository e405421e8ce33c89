package main

import (
	"context"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/app/replica"
	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// This file is the wiring of the supervisors' screens: it reads the queues,
// timelines and measures from the server with the device's session, and
// keeps the last loaded view on the device (local storage, per officer) so
// it stays readable offline with its age shown. A supervisor's actions are
// not here: they are ActionAct, saved by the replica and sent by sync like
// any change on the phone.

// reviewAccount is who is signed in on this phone: the replica.
type reviewAccount interface {
	Account() (replica.Account, bool)
}

// handleReview registers the supervisors' read handlers. main calls it once,
// before app.RunWhenOnBrowser, with the replica. A supervisor's actions on a
// promise are ActionAct, handled with every other change on the phone.
func handleReview(acc reviewAccount) {
	w := &reviewWiring{acc: acc}
	app.Handle(ui.ActionReviewQueues, w.loadQueues)
	app.Handle(ui.ActionReviewMeasures, w.loadMeasures)
	app.Handle(ui.ActionReviewTimeline, w.loadTimeline)
	app.Handle(ui.ActionReviewExport, w.export)
}

// reviewWiring numbers each kind of load, so an answer that arrives after a
// newer request was made is dropped rather than shown over it.
type reviewWiring struct {
	acc                   reviewAccount
	queues, measures, tls int
}

// Where the last loaded views are kept on the device.
const (
	keptQueues    = "doorstep.review.queues"
	keptMeasures  = "doorstep.review.measures"
	keptTimelines = "doorstep.review.timelines"
	// keptTimelineCount bounds the timelines kept: the most recent ones.
	keptTimelineCount = 20
)

// kept is a view as stored on the device, with whose it is: a view is
// never shown to another officer signed in on the same device later.
type kept[T any] struct {
	OfficerID string `json:"officer_id"`
	View      T      `json:"view"`
}

// client returns a client for the signed-in device, and its officer. The
// server is the page's own origin.
func (w *reviewWiring) client() (reviewClient, string, bool) {
	a, ok := w.acc.Account()
	if !ok || a.Token == "" || a.NeedsSignIn {
		return reviewClient{}, "", false
	}
	origin := app.Window().Get("location").Get("origin").String()
	return reviewClient{base: origin, token: a.Token}, a.Officer.ID, true
}

func (w *reviewWiring) loadQueues(ctx app.Context, a app.Action) {
	f, _ := a.Value.(housing.ReviewFilter)
	w.queues++
	seq := w.queues
	var view ui.ReviewQueuesView
	ctx.GetState(ui.StateReviewQueues, &view)
	client, officer, ok := w.client()
	if !ok {
		ctx.SetState(ui.StateReviewQueues, ui.ReviewQueuesView{Loaded: ui.Loaded{Problem: "Sign in as a supervisor to see the queues."}})
		return
	}
	if view.LoadedAt.IsZero() {
		view = restore[ui.ReviewQueuesView](ctx, keptQueues, officer)
	}
	view.Loading, view.Problem = true, ""
	ctx.SetState(ui.StateReviewQueues, view)
	ctx.Async(func() {
		q, err := client.queues(context.Background(), f)
		ctx.Dispatch(func(ctx app.Context) {
			if seq != w.queues {
				return
			}
			view.Loaded = loaded(view.Loaded, err)
			if err == nil {
				view.Queues = q
				keep(ctx, keptQueues, officer, view)
			}
			ctx.SetState(ui.StateReviewQueues, view)
		})
	})
}

func (w *reviewWiring) loadMeasures(ctx app.Context, a app.Action) {
	f, _ := a.Value.(housing.ReviewFilter)
	w.measures++
	seq := w.measures
	var view ui.ReviewMeasuresView
	ctx.GetState(ui.StateReviewMeasures, &view)
	client, officer, ok := w.client()
	if !ok {
		ctx.SetState(ui.StateReviewMeasures, ui.ReviewMeasuresView{Loaded: ui.Loaded{Problem: "Sign in as a supervisor to see the measures."}})
		return
	}
	if view.LoadedAt.IsZero() {
		view = restore[ui.ReviewMeasuresView](ctx, keptMeasures, officer)
	}
	view.Loading, view.Problem = true, ""
	ctx.SetState(ui.StateReviewMeasures, view)
	ctx.Async(func() {
		m, err := client.measures(context.Background(), f)
		ctx.Dispatch(func(ctx app.Context) {
			if seq != w.measures {
				return
			}
			view.Loaded = loaded(view.Loaded, err)
			if err == nil {
				view.Measures = m
				keep(ctx, keptMeasures, officer, view)
			}
			ctx.SetState(ui.StateReviewMeasures, view)
		})
	})
}

// keptTimelines holds the most recently loaded timelines, newest first.
type keptTimelineSet struct {
	Views []ui.ReviewTimelineView `json:"views"`
}

func (w *reviewWiring) loadTimeline(ctx app.Context, a app.Action) {
	id, _ := a.Value.(string)
	w.tls++
	seq := w.tls
	client, officer, ok := w.client()
	if !ok {
		ctx.SetState(ui.StateReviewTimeline, ui.ReviewTimelineView{TenancyID: id, Loaded: ui.Loaded{Problem: "Sign in as a supervisor to see a tenancy's timeline."}})
		return
	}
	set := restore[keptTimelineSet](ctx, keptTimelines, officer)
	view := ui.ReviewTimelineView{TenancyID: id}
	for _, v := range set.Views {
		if v.TenancyID == id {
			view = v
		}
	}
	view.Loading, view.Problem = true, ""
	ctx.SetState(ui.StateReviewTimeline, view)
	ctx.Async(func() {
		tl, err := client.timeline(context.Background(), id)
		ctx.Dispatch(func(ctx app.Context) {
			if seq != w.tls {
				return
			}
			view.Loaded = loaded(view.Loaded, err)
			if err == nil {
				view.Timeline = tl
				views := []ui.ReviewTimelineView{view}
				for _, v := range set.Views {
					if v.TenancyID != id && len(views) < keptTimelineCount {
						views = append(views, v)
					}
				}
				keep(ctx, keptTimelines, officer, keptTimelineSet{Views: views})
			}
			ctx.SetState(ui.StateReviewTimeline, view)
		})
	})
}

// loaded returns how fresh a view is after a load that ended with err: a
// failure to reach the server leaves the kept view showing, marked offline;
// a refusal says why.
func loaded(before ui.Loaded, err error) ui.Loaded {
	l := ui.Loaded{LoadedAt: before.LoadedAt}
	switch {
	case err == nil:
		l.LoadedAt = time.Now()
	case unreachable(err):
		l.Offline = true
	default:
		l.Problem = housing.ErrorMessage(err)
	}
	return l
}

// restore returns the view kept under key for officer, or a zero view.
func restore[T any](ctx app.Context, key, officer string) T {
	var k kept[T]
	if err := ctx.LocalStorage().Get(key, &k); err != nil || k.OfficerID != officer {
		var zero T
		return zero
	}
	return k.View
}

// keep stores view under key for officer. A full storage only costs the
// offline copy, so its error is not shown.
func keep[T any](ctx app.Context, key, officer string, view T) {
	if err := ctx.LocalStorage().Set(key, kept[T]{OfficerID: officer, View: view}); err != nil {
		app.Log("review: keep", key, err)
	}
}

// export fetches a CSV export and hands it to the browser as a download.
// Offline it says so on the measures page: an export needs the server.
func (w *reviewWiring) export(ctx app.Context, a app.Action) {
	ex, ok := a.Value.(ui.ReviewExport)
	if !ok {
		return
	}
	client, _, ok := w.client()
	if !ok {
		return
	}
	ctx.Async(func() {
		data, name, err := client.export(context.Background(), ex.What, ex.Filter)
		ctx.Dispatch(func(ctx app.Context) {
			if err == nil {
				download(name, "text/csv", data)
				return
			}
			var view ui.ReviewMeasuresView
			ctx.GetState(ui.StateReviewMeasures, &view)
			if unreachable(err) {
				view.Problem = "The export needs the server, and this device cannot reach it. Try again when you are online."
			} else {
				view.Problem = housing.ErrorMessage(err)
			}
			ctx.SetState(ui.StateReviewMeasures, view)
		})
	})
}
