package main

import (
	"context"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/app/replica"
	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// The officer's changes to the records: a visit saved, an action on a
// promise, a tenant link shared. Each is durable on the phone when it
// answers; sync sends it soon after.

// saveVisit is the tap on Save: one durable write, then the answer. A
// refusal names the field it is about (housing.Error.Field), for the form
// to mark.
func (o *officer) saveVisit(ctx context.Context, d ui.VisitDraft) ui.SaveResult {
	res := ui.SaveResult{Seq: o.next()}
	if !o.opened() {
		res.Problem = o.cannotKeep()
		return res
	}
	visit := housing.Visit{TenancyID: d.TenancyID, Purpose: d.Purpose, Notes: d.Notes, StartedAt: d.StartedAt.UTC()}
	saved, err := o.rep.RecordVisit(ctx, visit, d.Commitments, d.Feedback)
	if err != nil {
		res.Problem, res.Field = housing.ErrorMessage(err), housing.ErrorField(err)
		return res
	}
	o.browser.measureSave()
	res.ID = saved.ID
	o.trigger(replica.TriggerSave)
	return res
}

// handleSaveVisit marks when the handler starts, for the benchmark's
// tap-to-durable time (browser.measureSave).
func (o *officer) handleSaveVisit(ctx app.Context, a app.Action) {
	o.browser.mark("doorstep.save.start")
	d, _ := a.Value.(ui.VisitDraft)
	res := o.saveVisit(ctx, d)
	ctx.SetState(ui.StateSaved, res)
	if !o.opened() {
		return
	}
	ctx.SetState(ui.StateSync, o.syncState())
	if res.Problem == "" {
		ctx.SetState(ui.StateHome, o.home())
	}
}

// act records an officer's intent on a promise. It also returns the visit
// the promise was made at, whose page shows it too ("" when unknown).
func (o *officer) act(ctx context.Context, req ui.ActRequest) (res ui.SaveResult, visitID string) {
	res = ui.SaveResult{Seq: o.next(), ID: req.CommitmentID}
	c, err := o.rep.Act(ctx, req.CommitmentID, req.Kind, req.Action)
	if err != nil {
		res.Problem, res.Field = housing.ErrorMessage(err), housing.ErrorField(err)
	} else {
		o.trigger(replica.TriggerSave)
	}
	return res, c.VisitID
}

func (o *officer) handleAct(ctx app.Context, a app.Action) {
	if !o.opened() {
		return
	}
	req, _ := a.Value.(ui.ActRequest)
	res, visitID := o.act(ctx, req)
	ctx.SetState(ui.StateSaved, res)
	ctx.SetState(ui.StateSync, o.syncState())
	if visitID != "" {
		ctx.SetState(ui.StateVisit, o.visit(visitID))
	}
	ctx.SetState(ui.StatePromise, o.promise(req.CommitmentID))
}

// share hands a tenant link to the phone's share sheet, or copies it, and
// says what happened.
func (o *officer) share(link string) ui.ShareResult {
	return ui.ShareResult{Link: link, Seq: o.next(), Message: o.browser.share(link)}
}

func (o *officer) handleShare(ctx app.Context, a app.Action) {
	link, _ := a.Value.(string)
	ctx.SetState(ui.StateShare, o.share(link))
}
