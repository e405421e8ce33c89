//go:build js && wasm

package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// shown is what the officer is looking at: a visit or a promise. After a
// sync it is published again, so a tenant's answer or another team's
// "picked up" appears without leaving the page.
type shown struct {
	visitID, promiseID string
}

// setShown remembers the visit or promise now on screen.
func (w *wiring) setShown(visitID, promiseID string) {
	w.mu.Lock()
	w.shown = shown{visitID: visitID, promiseID: promiseID}
	w.mu.Unlock()
}

// publishShown publishes the visit or promise on screen again.
func (w *wiring) publishShown() {
	w.mu.Lock()
	s := w.shown
	w.mu.Unlock()
	if s.visitID != "" {
		w.publishVisit(s.visitID)
	}
	if s.promiseID != "" {
		w.publishPromise(s.promiseID)
	}
}

func (w *wiring) openPromise(ctx app.Context, a app.Action) {
	w.setCtx(ctx)
	<-w.ready
	id, _ := a.Value.(string)
	w.setShown("", id)
	w.publishPromise(id)
}

// publishPromise publishes one commitment with its tenant link, which only
// the phone that made it holds.
func (w *wiring) publishPromise(id string) {
	var v ui.PromiseView
	c, err := w.rep.Commitment(id)
	if err != nil {
		v.Problem = housing.ErrorMessage(err)
	} else {
		v.Commitment, v.Pending = c, w.rep.Pending(c.ID)
		if c.Token != "" {
			v.Link = origin() + housing.TenantPath(c.Token)
		}
	}
	w.publish(func(ctx app.Context) { ctx.SetState(ui.StatePromise, v) })
}
