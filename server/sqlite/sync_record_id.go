package sqlite

import (
	"context"
	"fmt"

	"doorstep/shared/housing"
)

// A record ID names one record of any kind: the database claims each new
// visit's, promise's and feedback's ID in record_ids as it is inserted (see
// migrations/007_record_ids.sql), and refuses a second record under an ID
// in use whatever its kind. Before storing a new record the applier asks
// who holds its ID, so the device gets the answer the protocol promises
// rather than a bare refusal.

// idClaim is who stored the record that holds an ID.
type idClaim struct {
	kind      string // a housing.Record* kind
	createdBy string
	deviceID  string
}

// claimOf returns who holds id; ok is false when no record does.
func claimOf(ctx context.Context, q sqlQuerier, id string) (c idClaim, ok bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT kind, created_by, device_id FROM record_ids WHERE id = ?`, id).
		Scan(&c.kind, &c.createdBy, &c.deviceID)
	if errNoRows(err) {
		return c, false, nil
	} else if err != nil {
		return c, false, fmt.Errorf("look up record ID: %w", err)
	}
	return c, true, nil
}

// checkNewID answers a mutation that makes a new record of kind with id. It
// returns ok when id is free. When a record holds it already, a repeat from
// the device and officer that made that record is a duplicate (its outbox
// sent it twice, under two numbers or two kinds), and anything else is
// refused as a conflict: records are append-only, and one ID never names
// two records.
func (a *applier) checkNewID(ctx context.Context, kind, id string) (r housing.Result, ok bool, err error) {
	c, held, err := claimOf(ctx, a.tx, id)
	if err != nil || !held {
		return housing.Result{}, !held && err == nil, err
	}
	if c.deviceID == a.device && c.createdBy == a.p.OfficerID {
		return housing.Result{Status: housing.ResultDuplicate}, false, nil
	}
	if c.kind == kind {
		return housing.Result{}, false, housing.Errorf(housing.CodeConflict, "A different %s with this ID is already stored; add it again as a new one.", recordNoun[kind])
	}
	return housing.Result{}, false, housing.Errorf(housing.CodeConflict, "A %s with this ID is already stored; add the %s again as a new one.", recordNoun[c.kind], recordNoun[kind])
}

// recordNoun is what a person calls a record of each kind that devices make.
var recordNoun = map[string]string{
	housing.RecordVisit: "visit", housing.RecordCommitment: "promise", housing.RecordFeedback: "feedback",
}
