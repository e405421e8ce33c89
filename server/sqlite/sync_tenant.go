package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/google/uuid"

	"doorstep/shared/housing"
)

// TenantDevice is the DeviceID on everything a tenant does through their link.
const TenantDevice = "tenant-link"

// tenantPrincipal is who a tenant is to the state machine: no account, no
// scope, allowed only the tenant's own answer (housing.Authorize).
var tenantPrincipal = housing.Principal{OfficerID: housing.TenantActor, Name: "Tenant"}

// applyTenantAction records a tenant's answer (a
// housing.KindCommitmentTenant intent) on the commitment with id, inside
// tx, through the same state machine and change log as a device's
// mutation, so it reaches the officer's and the owning team's phones by
// sync. A repeated answer changes nothing and is not an error. It returns
// the commitment afterwards; CodeNotFound for an unknown ID, CodeIllegal or
// CodeInvalid for an answer the state does not allow.
func applyTenantAction(ctx context.Context, tx *Tx, id string, action housing.CommitmentAction) (housing.Commitment, error) {
	a := &applier{tx: tx, p: tenantPrincipal, device: TenantDevice}
	act := housing.Act{Kind: housing.KindCommitmentTenant, Action: action, By: housing.TenantActor, ByName: tenantPrincipal.Name, At: tx.now}
	if _, err := a.actOnCommitment(ctx, id, act); err != nil {
		return housing.Commitment{}, err
	}
	return findCommitment(ctx, tx, id)
}

// giveTenantFeedback stores, inside tx, feedback given through the link of
// commitment c: Source tenant, made by TenantActor on TenantDevice, on c's
// tenancy. A link gives at most one feedback answer per promise: a later
// answer replaces the earlier one's ratings and comment under the earlier
// one's ID, through the change log, so phones and the measures see one
// answer, the latest. f.ID may be empty (a new ID is made); a repeat of an
// ID already stored for the same commitment changes nothing, so a
// re-posted form is harmless. A complaint is routed to the complaints team
// as a promise made by the officer who made the link's promise. It returns
// the feedback as stored.
func giveTenantFeedback(ctx context.Context, tx *Tx, c housing.Commitment, f housing.Feedback) (housing.Feedback, error) {
	if f.ID == "" {
		f.ID = uuid.Must(uuid.NewV7()).String()
	}
	f.TenancyID, f.SiteID, f.CommitmentID, f.Source = c.TenancyID, c.SiteID, c.ID, housing.SourceTenant
	f.Meta = housing.Meta{CreatedBy: housing.TenantActor, DeviceID: TenantDevice, HappenedAt: tx.now, ReceivedAt: tx.now}
	if err := f.Validate(); err != nil {
		return housing.Feedback{}, err
	}
	if old, err := readFeedback(ctx, tx, feedbackFilter{IDs: []string{f.ID}}); err != nil {
		return housing.Feedback{}, err
	} else if len(old) > 0 {
		if old[0].CommitmentID != c.ID {
			return housing.Feedback{}, housing.Errorf(housing.CodeConflict, "That feedback was already given.")
		}
		return old[0], nil
	}
	t, ok, err := tenancyByID(ctx, tx, c.TenancyID)
	if err != nil {
		return housing.Feedback{}, err
	}
	if !ok {
		return housing.Feedback{}, fmt.Errorf("tenancy %s of promise %s is missing", c.TenancyID, c.ID)
	}
	a := &applier{tx: tx, p: tenantPrincipal, device: TenantDevice}
	earlier, err := readFeedback(ctx, tx, feedbackFilter{CommitmentID: c.ID, Source: housing.SourceTenant})
	if err != nil {
		return housing.Feedback{}, err
	}
	if len(earlier) == 0 {
		if err := a.storeFeedback(ctx, f, t, c.MadeBy, c.MadeByName); err != nil {
			return housing.Feedback{}, err
		}
		return f, nil
	}
	if sameFeedback(earlier[0], f) {
		return earlier[0], nil // the same answer again: nothing for phones to pull
	}
	f.ID = earlier[0].ID
	if err := replaceTenantFeedback(ctx, tx, f); err != nil {
		return housing.Feedback{}, err
	}
	if f.Complaint && !earlier[0].Complaint {
		if err := a.routeComplaint(ctx, f, t, c.MadeBy, c.MadeByName); err != nil {
			return housing.Feedback{}, err
		}
	}
	return f, nil
}

// sameFeedback reports whether a and b say the same thing.
func sameFeedback(a, b housing.Feedback) bool {
	return a.Comment == b.Comment && a.Complaint == b.Complaint && maps.Equal(a.Answers, b.Answers)
}

// replaceTenantFeedback overwrites the stored tenant feedback with f's ID by
// f (ratings, comment, complaint flag, times) and logs the change, so every
// phone that holds the record pulls its new form instead of a second one.
// The feed gets a new event for it, under the same feedback ID: the feed
// never rewrites what a system has already read.
func replaceTenantFeedback(ctx context.Context, tx *Tx, f housing.Feedback) error {
	doc, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("encode feedback: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE feedback SET comment = ?, complaint = ?, happened_at = ?, received_at = ?, doc = ?
		WHERE id = ?`,
		f.Comment, f.Complaint, formatTime(f.HappenedAt), formatTime(f.ReceivedAt), doc, f.ID); err != nil {
		return mapError(err, "feedback")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM feedback_answers WHERE feedback_id = ?`, f.ID); err != nil {
		return fmt.Errorf("clear feedback answers: %w", err)
	}
	for q, r := range f.Answers {
		if _, err := tx.ExecContext(ctx, `INSERT INTO feedback_answers (feedback_id, question, rating) VALUES (?, ?, ?)`,
			f.ID, string(q), string(r)); err != nil {
			return mapError(err, "feedback answer")
		}
	}
	if err := insertFeedbackEvent(ctx, tx, f, tenantPrincipal.Name); err != nil {
		return err
	}
	_, err = logChange(ctx, tx, changeRow{Kind: housing.RecordFeedback, RecordID: f.ID, SiteID: f.SiteID, MadeBy: f.CreatedBy, DeviceID: TenantDevice})
	return err
}
