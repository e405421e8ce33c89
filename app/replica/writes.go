package replica

import (
	"context"
	"encoding/json"
	"errors"

	"doorstep/shared/housing"
)

// The officer's writes. Each is tried again, once, when another tab of the
// app wrote to the store first (ErrStale): by then the replica has reloaded
// what that tab wrote, so the retry numbers and bases its change on the
// phone's real state. A retry writes nothing twice: the first try wrote
// nothing at all.

// errOtherTab is what a write reports when another tab keeps writing first.
var errOtherTab = housing.Errorf(housing.CodeConflict,
	"Doorstep is busy in another tab on this phone. Nothing was lost: close the other tab and try again.")

// retried runs f, and once more if it met ErrStale.
func retried[T any](f func() (T, error)) (T, error) {
	v, err := f()
	if errors.Is(err, ErrStale) {
		v, err = f()
	}
	if errors.Is(err, ErrStale) {
		err = errOtherTab
	}
	return v, err
}

// RecordVisit saves a visit with its promises and the tenant's feedback (f
// may be nil) in ONE store transaction, records and outbox together, and
// returns only once they are durable. The caller fills what the officer
// chose; RecordVisit fills who, where, when, the IDs the caller left empty
// and each promise's tenant link. Invalid input changes nothing.
func (r *Replica) RecordVisit(ctx context.Context, v housing.Visit, cs []housing.Commitment, f *housing.Feedback) (housing.Visit, error) {
	return retried(func() (housing.Visit, error) { return r.recordVisit(ctx, v, cs, f) })
}

// Act applies an intent to a commitment on the phone at once (through the
// same state machine the server runs) and queues it for the server.
func (r *Replica) Act(ctx context.Context, commitmentID, kind string, a housing.CommitmentAction) (housing.Commitment, error) {
	return retried(func() (housing.Commitment, error) { return r.act(ctx, commitmentID, kind, a) })
}

// ResendCorrected queues a refused change again as a new mutation with the
// officer's corrected data (nil: as it was). A corrected visit, promise or
// feedback is checked with its Validate first (invalid input changes
// nothing) and replaces the phone's copy; a promise keeps its tenant link.
// The item leaves the attention list for good, even if the server sends it
// again.
func (r *Replica) ResendCorrected(ctx context.Context, id string, data json.RawMessage) error {
	_, err := retried(func() (struct{}, error) { return struct{}{}, r.resendCorrected(ctx, id, data) })
	return err
}

// Dismiss hides a refused change the officer has dealt with.
func (r *Replica) Dismiss(ctx context.Context, id string) error {
	_, err := retried(func() (struct{}, error) { return struct{}{}, r.dismiss(ctx, id) })
	return err
}

// GiveFeedback saves the tenant's feedback on its own, after the visit it
// belongs to (f.VisitID) or about a tenancy (f.TenancyID), with its outbox
// mutation in one store transaction; it fills who, where, when and the ID
// when empty. Invalid input changes nothing.
func (r *Replica) GiveFeedback(ctx context.Context, f housing.Feedback) (housing.Feedback, error) {
	return retried(func() (housing.Feedback, error) { return r.giveFeedback(ctx, f) })
}
