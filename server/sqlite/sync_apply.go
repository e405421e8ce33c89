package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	fastjson "github.com/segmentio/encoding/json"

	"doorstep/shared/housing"
)

// applyBatch applies one device's batch inside tx, which may hold other
// devices' batches too (see pushGroup). It returns the results and the
// device's last mutation number afterwards, which the caller records in the
// same transaction (recordDevices), so a retried batch is recognised and a
// batch cut off by a crash leaves no trace; on CodeGap it returns the number
// before, also in the error's LastMutation, and writes nothing.
func applyBatch(ctx context.Context, tx *Tx, p housing.Principal, req housing.SyncRequest, decoded map[int64]decodedRecord, read *readInTx) ([]housing.Result, int64, error) {
	last, err := read.deviceLast(ctx, tx, req.DeviceID)
	if err != nil {
		return nil, 0, err
	}
	if first := req.Mutations[0].Seq; first > last+1 {
		return nil, last, &housing.Error{Code: housing.CodeGap, LastMutation: last,
			Message: fmt.Sprintf("Changes %d to %d have not arrived; send again from %d.", last+1, first-1, last+1)}
	}

	a := &applier{tx: tx, p: p, device: req.DeviceID, decoded: decoded, read: read}
	results := make([]housing.Result, 0, len(req.Mutations))
	ms := req.Mutations
	for len(ms) > 0 {
		if m := ms[0]; m.Seq <= last {
			results = append(results, housing.Result{Seq: m.Seq, Status: housing.ResultDuplicate})
			ms = ms[1:]
			continue
		}
		n := newPromisesAhead(ms)
		if n >= 2 {
			rs, ok, err := a.makeCommitments(ctx, ms[:n])
			if err != nil {
				return nil, 0, fmt.Errorf("mutations %d to %d: %w", ms[0].Seq, ms[n-1].Seq, err)
			}
			if ok {
				results, last, ms = append(results, rs...), ms[n-1].Seq, ms[n:]
				continue
			}
		}
		for _, m := range ms[:max(n, 1)] {
			r, err := a.applyOne(ctx, m)
			if err != nil {
				return nil, 0, fmt.Errorf("mutation %d: %w", m.Seq, err)
			}
			results, last = append(results, r), m.Seq
		}
		ms = ms[max(n, 1):]
	}

	return results, last, nil
}

// recordDevices records, inside tx, each written batch's device with the
// officer who sent it and its last mutation number, in one statement.
func recordDevices(ctx context.Context, tx *Tx, written []*pushJob) error {
	if len(written) == 0 {
		return nil
	}
	args := make([]any, 0, 4*len(written))
	for _, j := range written {
		args = append(args, j.req.DeviceID, j.p.OfficerID, j.last, formatTime(tx.now))
	}
	// Rows are taken in order, so a device with two batches in the group
	// ends with the later number.
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO devices (device_id, officer_id, last_mutation, updated_at) VALUES `+placeholders(len(written), 4)+`
		ON CONFLICT (device_id) DO UPDATE SET officer_id = excluded.officer_id,
			last_mutation = excluded.last_mutation, updated_at = excluded.updated_at`, args...); err != nil {
		return fmt.Errorf("record devices: %w", err)
	}
	return nil
}

// applier applies one batch's mutations inside its transaction, as p on
// device. It is also used, with no device numbering, for the tenant's
// actions and for the demo history.
type applier struct {
	tx     *Tx
	p      housing.Principal
	device string

	// tenancies are those found in p's scope, kept for the batch.
	tenancies map[string]housing.Tenancy
	// read holds reference rows read in this transaction, shared by every
	// batch in it; nil reads each time.
	read *readInTx

	// decoded holds the batch's new records, decoded before the
	// transaction (see decodeBatch); nil decodes each as it is applied.
	decoded map[int64]decodedRecord
}

// applyOne applies m inside a savepoint. A mutation refused on its merits
// (any *housing.Error) is rolled back to the savepoint, kept as an attention
// item and answered "rejected"; a conflict is answered "conflict" and also
// kept as an attention item. Any other error fails the whole batch.
func (a *applier) applyOne(ctx context.Context, m housing.Mutation) (housing.Result, error) {
	if _, err := a.tx.ExecContext(ctx, `SAVEPOINT mutation`); err != nil {
		return housing.Result{}, fmt.Errorf("savepoint: %w", err)
	}
	r, err := a.apply(ctx, m)
	code := housing.ErrorCode(err)
	if code == housing.CodeInternal {
		return housing.Result{}, err
	}
	if err != nil && r.Status != housing.ResultConflict {
		if _, rerr := a.tx.ExecContext(ctx, `ROLLBACK TO mutation`); rerr != nil {
			return housing.Result{}, fmt.Errorf("roll back to savepoint: %w", rerr)
		}
		r = housing.Result{Status: housing.ResultRejected}
	}
	if _, rerr := a.tx.ExecContext(ctx, `RELEASE mutation`); rerr != nil {
		return housing.Result{}, fmt.Errorf("release savepoint: %w", rerr)
	}
	r.Seq = m.Seq
	if err == nil {
		return r, nil
	}
	r.Code, r.Reason = code, housing.ErrorMessage(err)
	att := housing.Attention{
		ID: fmt.Sprintf("%s:%d", a.device, m.Seq), DeviceID: a.device, Seq: m.Seq, OfficerID: a.p.OfficerID,
		Kind: m.Kind, RecordID: m.RecordID, Code: r.Code, Reason: r.Reason, ReceivedAt: a.tx.now,
	}
	if len(m.Data) <= housing.MaxMutationBytes {
		att.Data = m.Data
	}
	if err := insertAttention(ctx, a.tx, att); err != nil {
		return housing.Result{}, err
	}
	return r, nil
}

// apply dispatches m by kind. It returns a Result with Status applied,
// duplicate or conflict (with its error), or an error.
func (a *applier) apply(ctx context.Context, m housing.Mutation) (housing.Result, error) {
	switch {
	case len(m.Data) > housing.MaxMutationBytes:
		return housing.Result{}, housing.Errorf(housing.CodeTooLarge, "This change is over %d KB; shorten the text and add it again.", housing.MaxMutationBytes>>10)
	case len(m.RecordID) > maxRecordID:
		return housing.Result{}, housing.Errorf(housing.CodeInvalid, "The change names a record ID that is too long.")
	}
	switch m.Kind {
	case housing.KindVisitRecord:
		return a.recordVisit(ctx, m)
	case housing.KindCommitmentMake:
		return a.makeCommitment(ctx, m)
	case housing.KindFeedbackGive:
		return a.giveFeedback(ctx, m)
	case housing.KindCommitmentAcknowledge, housing.KindCommitmentComplete, housing.KindCommitmentCancel,
		housing.KindCommitmentReassign, housing.KindCommitmentExtend, housing.KindCommitmentEscalate,
		housing.KindCommitmentBreak, housing.KindCommitmentTenant:
		var act housing.CommitmentAction
		if err := decodeData(m.Data, &act); err != nil {
			return housing.Result{}, err
		}
		return a.actOnCommitment(ctx, m.RecordID, housing.Act{
			Kind: m.Kind, Action: act, By: a.p.OfficerID, ByName: a.p.Name, At: a.tx.now,
			On: housing.MadeOn(m.HappenedAt, a.tx.now), BaseVersion: m.BaseVersion,
		})
	}
	return housing.Result{}, housing.Errorf(housing.CodeInvalid, "%q is not a kind of change this server knows; update the app.", m.Kind)
}

// maxRecordID bounds the record IDs kept in attention items; real ones are
// 36-character UUIDs.
const maxRecordID = 100

// decodeData decodes a mutation's data into v; JSON that does not fit is
// the device's fault, refused as invalid.
func decodeData(data json.RawMessage, v any) error {
	if len(data) == 0 {
		return nil
	}
	// The faster decoder reads a record in a sixth of the standard
	// library's time, into the same types with the same checks.
	if err := fastjson.Unmarshal(data, v); err != nil {
		return housing.Errorf(housing.CodeInvalid, "The change could not be read: its data does not fit its kind.")
	}
	return nil
}

// findTenancy returns the tenancy with id if p may act on it: one of p's
// sites, or one where p can see a promise (a repairs officer visiting
// another estate for a promise their team owns). Anything else is
// CodeNotFound, so IDs outside p's scope cannot be probed.
func (a *applier) findTenancy(ctx context.Context, id string) (housing.Tenancy, error) {
	if t, ok := a.tenancies[id]; ok {
		return t, nil
	}
	t, err := a.findTenancyInScope(ctx, id)
	if err == nil {
		if a.tenancies == nil {
			a.tenancies = map[string]housing.Tenancy{}
		}
		a.tenancies[id] = t
	}
	return t, err
}

func (a *applier) findTenancyInScope(ctx context.Context, id string) (housing.Tenancy, error) {
	t, ok, err := a.read.tenancy(ctx, a.tx, id)
	if err != nil {
		return housing.Tenancy{}, err
	}
	if ok {
		ok, err = tenancyInScope(ctx, a.tx, a.p, t)
		if err != nil {
			return housing.Tenancy{}, err
		}
	}
	if !ok {
		return housing.Tenancy{}, housing.Errorf(housing.CodeNotFound, "That tenancy was not found, or is not one you work with.")
	}
	return t, nil
}

// meta is the provenance the server writes on every record: who made it
// (the principal, whatever the device claims), on which device, when on
// the device, and when the server received it.
func (a *applier) meta(happened time.Time) housing.Meta {
	return housing.Meta{CreatedBy: a.p.OfficerID, DeviceID: a.device, HappenedAt: happened.UTC(), ReceivedAt: a.tx.now}
}

func (a *applier) recordVisit(ctx context.Context, m housing.Mutation) (housing.Result, error) {
	v, err := recordOf[housing.Visit](a, m)
	if err != nil {
		return housing.Result{}, err
	}
	if v.ID != m.RecordID {
		return housing.Result{}, housing.Errorf(housing.CodeInvalid, "The visit's ID does not match the change's record ID.")
	}
	if v.OfficerID != a.p.OfficerID {
		return housing.Result{}, housing.Errorf(housing.CodeForbidden, "A visit can only be recorded by the officer who made it.")
	}
	if r, ok, err := a.checkNewID(ctx, housing.RecordVisit, v.ID); !ok {
		return r, err
	}
	t, err := a.findTenancy(ctx, v.TenancyID)
	if err != nil {
		return housing.Result{}, err
	}
	if err := housing.CheckVisitTimes(v.StartedAt, v.EndedAt, a.tx.now); err != nil {
		return housing.Result{}, err
	}
	v.SiteID = t.SiteID
	v.StartedAt, v.EndedAt = v.StartedAt.UTC(), v.EndedAt.UTC()
	v.Meta = a.meta(m.HappenedAt)
	if err := insertVisit(ctx, a.tx, v); err != nil {
		return housing.Result{}, err
	}
	_, err = logChange(ctx, a.tx, changeRow{Kind: housing.RecordVisit, RecordID: v.ID, SiteID: v.SiteID, MadeBy: v.OfficerID, DeviceID: a.device})
	return housing.Result{Status: housing.ResultApplied}, err
}

func (a *applier) makeCommitment(ctx context.Context, m housing.Mutation) (housing.Result, error) {
	c, err := recordOf[housing.Commitment](a, m)
	if err != nil {
		return housing.Result{}, err
	}
	if c.ID != m.RecordID {
		return housing.Result{}, housing.Errorf(housing.CodeInvalid, "The promise's ID does not match the change's record ID.")
	}
	if c.MadeBy != a.p.OfficerID {
		return housing.Result{}, housing.Errorf(housing.CodeForbidden, "A promise can only be recorded by the officer who made it.")
	}
	if r, ok, err := a.checkNewID(ctx, housing.RecordCommitment, c.ID); !ok {
		return r, err
	}
	t, err := a.findTenancy(ctx, c.TenancyID)
	if err != nil {
		return housing.Result{}, err
	}
	c.SiteID, c.Household, c.Address = t.SiteID, t.Household, t.Address
	c.MadeByName = a.p.Name
	c.Meta = a.meta(m.HappenedAt)
	return a.insertNewCommitment(ctx, c, a.device)
}

// insertNewCommitment stores c as a new open promise at version 1: the
// server, not the device, sets its status and versions, and starts its
// history with the actor's name. It keeps only the hash of the tenant link
// token. device is the device whose mutation made it, "" when the server
// made it itself (a complaint's promise).
func (a *applier) insertNewCommitment(ctx context.Context, c housing.Commitment, device string) (housing.Result, error) {
	if err := a.checkPromise(ctx, c); err != nil {
		return housing.Result{}, err
	}
	c, hash := a.opened(c)
	if err := insertCommitment(ctx, a.tx, c, hash); err != nil {
		return housing.Result{}, err
	}
	_, err := logChange(ctx, a.tx, a.madeChange(c, device))
	return housing.Result{Status: housing.ResultApplied, Version: c.Version}, err
}

// opened is c as the server stores a new promise, with the hash of its
// tenant link token in place of the token.
func (a *applier) opened(c housing.Commitment) (housing.Commitment, string) {
	hash := ""
	if c.Token != "" {
		hash = housing.HashToken(c.Token)
	}
	c.Token = ""
	c.Status, c.Escalated, c.TenantAgreement, c.TenantOutcome = housing.StatusOpen, false, "", ""
	c.AcknowledgedAt, c.DoneAt, c.ClosedAt = time.Time{}, time.Time{}, time.Time{}
	c.Version, c.DueVersion, c.OwnerVersion = 1, 1, 1
	c.History = []housing.Event{{Kind: housing.KindCommitmentMake, At: a.tx.now, By: a.p.OfficerID, ByName: a.p.Name, To: string(c.DueDate)}}
	return c, hash
}

// madeChange is the change log entry for new promise c, made by device
// ("" for the server).
func (a *applier) madeChange(c housing.Commitment, device string) changeRow {
	return changeRow{
		Kind: housing.RecordCommitment, RecordID: c.ID, SiteID: c.SiteID, FunctionID: c.FunctionID,
		MadeBy: c.MadeBy, OwnerID: c.OwnerID, DeviceID: device,
	}
}

// checkPromise refuses, as CodeInvalid naming the field at fault, a new
// promise c whose due date is out of bounds for the day it was made
// (housing.CheckDueDate, the day by housing.MadeOn from the server's
// provenance in c.Meta), whose standard is not one of its owning
// function's, or whose function or owner checkOwner refuses. Both ways a
// promise is made (one by one, and a run at once in sync_bulk.go) call it,
// so they refuse the same promises.
func (a *applier) checkPromise(ctx context.Context, c housing.Commitment) error {
	if err := housing.CheckDueDate(c.DueDate, housing.MadeOn(c.HappenedAt, a.tx.now)); err != nil {
		return err
	}
	if err := a.checkOwner(ctx, c.FunctionID, c.OwnerID); err != nil {
		return err
	}
	if c.StandardID == "" {
		return nil
	}
	var fn string
	err := a.tx.QueryRowContext(ctx, `SELECT function_id FROM standards WHERE id = ?`, c.StandardID).Scan(&fn)
	switch {
	case errNoRows(err):
		return housing.Invalid(housing.FieldStandard, "There is no service standard called %q.", c.StandardID)
	case err != nil:
		return fmt.Errorf("check standard: %w", err)
	case fn != c.FunctionID:
		return housing.Invalid(housing.FieldStandard, "The service standard %q belongs to another team; choose one of the %s team's.", c.StandardID, c.FunctionID)
	}
	return nil
}

// checkOwner refuses a function that does not exist, and an owning officer
// who does not exist, is switched off or is not in that function: a promise
// owned by someone outside its team would sit in no one's queue.
func (a *applier) checkOwner(ctx context.Context, function, owner string) error {
	if known, err := a.read.function(ctx, a.tx, function); err != nil {
		return err
	} else if !known {
		return housing.Invalid(housing.FieldFunction, "There is no team called %q.", function)
	}
	if owner == "" {
		return nil
	}
	var disabled, inTeam bool
	err := a.tx.QueryRowContext(ctx, `
		SELECT disabled, EXISTS (SELECT 1 FROM officer_functions WHERE officer_id = officers.id AND function_id = ?)
		FROM officers WHERE id = ?`, function, owner).Scan(&disabled, &inTeam)
	switch {
	case errNoRows(err):
		return housing.Invalid(housing.FieldOwner, "The officer chosen to own the promise was not found.")
	case err != nil:
		return fmt.Errorf("check owner: %w", err)
	case disabled:
		return housing.Invalid(housing.FieldOwner, "The officer chosen to own the promise can no longer sign in; choose someone else.")
	case !inTeam:
		return housing.Invalid(housing.FieldOwner, "The officer chosen to own the promise is not in the %s team; choose someone who is, or another team.", function)
	}
	return nil
}

// actOnCommitment moves a commitment through the state machine
// (housing.Transition) once the actor is allowed to (housing.Authorize). A
// repeat is applied and changes nothing; a stale extend or reassign is a
// conflict that keeps the server's value.
func (a *applier) actOnCommitment(ctx context.Context, id string, act housing.Act) (housing.Result, error) {
	c, err := findCommitment(ctx, a.tx, id)
	if err != nil {
		return housing.Result{}, err
	}
	if a.p.OfficerID != housing.TenantActor && !a.p.Visible(c) {
		return housing.Result{}, housing.Errorf(housing.CodeNotFound, "That promise was not found.")
	}
	if err := housing.Authorize(a.p, c, act.Kind); err != nil {
		return housing.Result{}, err
	}
	if act.Kind == housing.KindCommitmentReassign && act.Action.FunctionID != "" {
		if err := a.checkOwner(ctx, act.Action.FunctionID, act.Action.OwnerID); err != nil {
			return housing.Result{}, err
		}
	}
	next, outcome, err := housing.Transition(c, act)
	switch {
	case outcome == housing.Conflicted:
		return housing.Result{Status: housing.ResultConflict, Version: c.Version}, err
	case err != nil:
		return housing.Result{}, err
	case outcome == housing.Unchanged:
		return housing.Result{Status: housing.ResultApplied, Version: c.Version}, nil
	}
	if err := updateCommitment(ctx, a.tx, next, len(c.History)); err != nil {
		return housing.Result{}, err
	}
	_, err = logChange(ctx, a.tx, changeRow{
		Kind: housing.RecordCommitment, RecordID: next.ID, SiteID: next.SiteID,
		FunctionID: next.FunctionID, PrevFunctionID: c.FunctionID,
		MadeBy: next.MadeBy, OwnerID: next.OwnerID, PrevOwnerID: c.OwnerID, DeviceID: a.device,
	})
	return housing.Result{Status: housing.ResultApplied, Version: next.Version}, err
}

func (a *applier) giveFeedback(ctx context.Context, m housing.Mutation) (housing.Result, error) {
	f, err := recordOf[housing.Feedback](a, m)
	if err != nil {
		return housing.Result{}, err
	}
	if f.ID != m.RecordID {
		return housing.Result{}, housing.Errorf(housing.CodeInvalid, "The feedback's ID does not match the change's record ID.")
	}
	if f.Source != housing.SourceOfficer {
		return housing.Result{}, housing.Errorf(housing.CodeInvalid, "Feedback sent from a phone must be recorded as given to the officer.")
	}
	if r, ok, err := a.checkNewID(ctx, housing.RecordFeedback, f.ID); !ok {
		return r, err
	}
	t, err := a.findTenancy(ctx, f.TenancyID)
	if err != nil {
		return housing.Result{}, err
	}
	f.SiteID = t.SiteID
	f.Meta = a.meta(m.HappenedAt)
	return housing.Result{Status: housing.ResultApplied}, a.storeFeedback(ctx, f, t, a.p.OfficerID, a.p.Name)
}

// storeFeedback stores f and logs it; feedback marked as a complaint also
// makes the complaints team's promise to acknowledge it, made by madeBy
// (sync_complaint.go).
func (a *applier) storeFeedback(ctx context.Context, f housing.Feedback, t housing.Tenancy, madeBy, madeByName string) error {
	if err := checkFeedbackAbout(ctx, a.tx, f); err != nil {
		return err
	}
	if err := insertFeedback(ctx, a.tx, f, a.p.Name); err != nil {
		return err
	}
	if _, err := logChange(ctx, a.tx, changeRow{Kind: housing.RecordFeedback, RecordID: f.ID, SiteID: f.SiteID, MadeBy: f.CreatedBy, DeviceID: a.device}); err != nil {
		return err
	}
	if !f.Complaint {
		return nil
	}
	return a.routeComplaint(ctx, f, t, madeBy, madeByName)
}
