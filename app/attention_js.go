//go:build js && wasm

package main

import (
	"context"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/app/replica"
	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// correct sends a refused change again, corrected by the officer on the
// sync page or as it was, and answers through ui.StateSaved. An invalid
// correction changes nothing and says why.
func (w *wiring) correct(ctx app.Context, a app.Action) {
	w.setCtx(ctx)
	<-w.ready
	c, _ := a.Value.(ui.Correction)
	res := ui.SaveResult{Seq: w.next(), ID: c.ID}
	if err := w.rep.ResendCorrected(context.Background(), c.ID, c.Data); err != nil {
		res.Problem = housing.ErrorMessage(err)
	} else {
		w.trigger(replica.TriggerSave)
	}
	w.publish(func(ctx app.Context) { ctx.SetState(ui.StateSaved, res) })
	w.publishAttention()
	w.publishSync()
	w.publishShown()
}
