package sqlite

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"doorstep/shared/housing"
)

// TenantDevice is the DeviceID on everything a tenant does through their link.
const TenantDevice = "tenant-link"

// tenantPrincipal is who a tenant is to the state machine: no account, no
// scope, allowed only the tenant's own answer (housing.Authorize).
var tenantPrincipal = housing.Principal{OfficerID: housing.TenantActor, Name: "Tenant"}

// ApplyTenantAction records a tenant's answer (a housing.KindCommitmentTenant
// intent) on the commitment with id, through the same state machine and
// change log as a device's mutation, so it reaches the officer's and the
// owning team's phones by sync. A repeated answer changes nothing and is not
// an error. It returns the commitment afterwards; CodeNotFound for an
// unknown ID, CodeIllegal or CodeInvalid for an answer the state does not
// allow.
func (db *DB) ApplyTenantAction(ctx context.Context, id string, action housing.CommitmentAction) (housing.Commitment, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return housing.Commitment{}, err
	}
	defer tx.Rollback()
	a := &applier{tx: tx, p: tenantPrincipal, device: TenantDevice}
	act := housing.Act{Kind: housing.KindCommitmentTenant, Action: action, By: housing.TenantActor, ByName: tenantPrincipal.Name, At: tx.now}
	if _, err := a.actOnCommitment(ctx, id, act); err != nil {
		return housing.Commitment{}, err
	}
	c, err := findCommitment(ctx, tx, id)
	if err != nil {
		return housing.Commitment{}, err
	}
	if err := tx.Commit(); err != nil {
		return housing.Commitment{}, fmt.Errorf("commit tenant answer: %w", err)
	}
	return c, nil
}

// GiveTenantFeedback stores feedback given through the link of the
// commitment with id: Source tenant, made by TenantActor on TenantDevice, on
// that commitment's tenancy. f.ID may be empty (a new ID is made); a repeat
// of an ID already stored for the same commitment changes nothing, so a
// re-posted form is harmless. A complaint is routed to the complaints team
// as a promise made by the officer who made the link's promise. It returns
// the feedback as stored.
func (db *DB) GiveTenantFeedback(ctx context.Context, id string, f housing.Feedback) (housing.Feedback, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return housing.Feedback{}, err
	}
	defer tx.Rollback()
	f, err = giveTenantFeedback(ctx, tx, id, f)
	if err != nil {
		return housing.Feedback{}, err
	}
	if err := tx.Commit(); err != nil {
		return housing.Feedback{}, fmt.Errorf("commit tenant feedback: %w", err)
	}
	return f, nil
}

// giveTenantFeedback is GiveTenantFeedback inside tx.
func giveTenantFeedback(ctx context.Context, tx *Tx, id string, f housing.Feedback) (housing.Feedback, error) {
	c, err := findCommitment(ctx, tx, id)
	if err != nil {
		return housing.Feedback{}, err
	}
	if f.ID == "" {
		f.ID = uuid.Must(uuid.NewV7()).String()
	}
	f.TenancyID, f.SiteID, f.CommitmentID, f.Source = c.TenancyID, c.SiteID, c.ID, housing.SourceTenant
	f.Meta = housing.Meta{CreatedBy: housing.TenantActor, DeviceID: TenantDevice, HappenedAt: tx.now, ReceivedAt: tx.now}
	if err := f.Validate(); err != nil {
		return housing.Feedback{}, err
	}
	if old, err := readFeedback(ctx, tx, "id = ?", f.ID); err != nil {
		return housing.Feedback{}, err
	} else if len(old) > 0 {
		if old[0].CommitmentID != c.ID {
			return housing.Feedback{}, housing.Errorf(housing.CodeConflict, "That feedback was already given.")
		}
		return old[0], nil
	}
	ts, err := readTenancies(ctx, tx, "id = ?", c.TenancyID)
	if err != nil {
		return housing.Feedback{}, err
	}
	if len(ts) == 0 {
		return housing.Feedback{}, fmt.Errorf("tenancy %s of promise %s is missing", c.TenancyID, c.ID)
	}
	a := &applier{tx: tx, p: tenantPrincipal, device: TenantDevice}
	if err := a.storeFeedback(ctx, f, ts[0], c.MadeBy, c.MadeByName); err != nil {
		return housing.Feedback{}, err
	}
	return f, nil
}
