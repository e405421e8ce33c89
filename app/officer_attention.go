package main

import (
	"context"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/app/replica"
	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// The changes that need the officer's attention: those the server refused,
// listed on the sync page, to send again as they were (resend), corrected
// (correct), or to put aside (dismiss).

// attention lists the refused changes the officer has not dismissed, each
// with the words of the promise it concerns when the phone holds it.
func (o *officer) attention() []ui.AttentionItem {
	var items []ui.AttentionItem
	for _, a := range o.rep.Attention() {
		item := ui.AttentionItem{ID: a.ID, Kind: a.Kind, RecordID: a.RecordID, Code: a.Code, Reason: a.Reason, At: a.ReceivedAt,
			Summary: ui.ChangeSummary(a.Kind), Data: a.Data}
		if c, err := o.rep.Commitment(a.RecordID); err == nil {
			item.What = c.What
		}
		items = append(items, item)
	}
	return items
}

// publishAttention publishes the list and the sync state, whose count of
// refused changes follows it.
func (o *officer) publishAttention(ctx app.Context) {
	ctx.SetState(ui.StateAttention, o.attention())
	ctx.SetState(ui.StateSync, o.syncState())
}

// resend queues refused change id again as it was, after the officer has
// put right what the reason said (for example, been given the scope).
func (o *officer) resend(ctx context.Context, id string) error {
	if err := o.rep.Resend(ctx, id); err != nil {
		return err
	}
	o.trigger(replica.TriggerSave)
	return nil
}

// handleResend answers with the list: a change that cannot be resent (it
// went meanwhile) simply stays off it.
func (o *officer) handleResend(ctx app.Context, a app.Action) {
	if o.opened() {
		id, _ := a.Value.(string)
		o.resend(ctx, id)
		o.publishAttention(ctx)
	}
}

// correct sends a refused change again, corrected by the officer on the
// sync page (or as it was when the correction holds no data). An invalid
// correction changes nothing and says why.
func (o *officer) correct(ctx context.Context, c ui.Correction) ui.SaveResult {
	res := ui.SaveResult{Seq: o.next(), ID: c.ID}
	if err := o.rep.ResendCorrected(ctx, c.ID, c.Data); err != nil {
		res.Problem, res.Field = housing.ErrorMessage(err), housing.ErrorField(err)
		return res
	}
	o.trigger(replica.TriggerSave)
	return res
}

func (o *officer) handleCorrect(ctx app.Context, a app.Action) {
	if !o.opened() {
		return
	}
	c, _ := a.Value.(ui.Correction)
	ctx.SetState(ui.StateSaved, o.correct(ctx, c))
	o.publishAttention(ctx)
	o.publishShown(ctx)
}

// handleDismiss takes a refused change off the list for good.
func (o *officer) handleDismiss(ctx app.Context, a app.Action) {
	if o.opened() {
		id, _ := a.Value.(string)
		o.rep.Dismiss(ctx, id)
		o.publishAttention(ctx)
	}
}
