package sqlite

import (
	"context"
	"fmt"
	"time"

	"doorstep/shared/housing"
)

// The tenant link pages' view of the store (housing.TenantService). A token
// is looked up only by its hash; a token that is malformed, unknown, not yet
// synced or expired gets one and the same CodeNotFound, so links cannot be
// probed.

var errNoSuchLink = housing.Errorf(housing.CodeNotFound, "This promise is not here yet.")

// TenantCommitment returns what the tenant may see of the commitment behind
// token.
func (db *DB) TenantCommitment(ctx context.Context, token string) (housing.TenantView, error) {
	c, err := db.commitmentByToken(ctx, token)
	if err != nil {
		return housing.TenantView{}, err
	}
	return db.tenantView(ctx, c)
}

// TenantRespond records the tenant's answer through the state machine and
// the change log (ApplyTenantAction).
func (db *DB) TenantRespond(ctx context.Context, token string, a housing.CommitmentAction) (housing.TenantView, error) {
	c, err := db.commitmentByToken(ctx, token)
	if err != nil {
		return housing.TenantView{}, err
	}
	c, err = db.ApplyTenantAction(ctx, c.ID, a)
	if err != nil {
		return housing.TenantView{}, err
	}
	return db.tenantView(ctx, c)
}

// TenantFeedback records feedback given through the link.
func (db *DB) TenantFeedback(ctx context.Context, token string, f housing.Feedback) error {
	c, err := db.commitmentByToken(ctx, token)
	if err != nil {
		return err
	}
	_, err = db.GiveTenantFeedback(ctx, c.ID, f)
	return err
}

// commitmentByToken finds the live commitment behind token: its link works
// until housing.TenantLinkLifetime after the commitment closed.
func (db *DB) commitmentByToken(ctx context.Context, token string) (housing.Commitment, error) {
	if !housing.ValidToken(token) {
		return housing.Commitment{}, errNoSuchLink
	}
	c, err := db.FindCommitmentByTokenHash(ctx, housing.HashToken(token))
	if housing.ErrorCode(err) == housing.CodeNotFound {
		return housing.Commitment{}, errNoSuchLink
	} else if err != nil {
		return housing.Commitment{}, err
	}
	if exp := linkExpiry(c); !exp.IsZero() && db.Now().After(exp) {
		return housing.Commitment{}, errNoSuchLink
	}
	return c, nil
}

func (db *DB) tenantView(ctx context.Context, c housing.Commitment) (housing.TenantView, error) {
	var name string
	err := db.db.QueryRowContext(ctx, `SELECT name FROM functions WHERE id = ?`, c.FunctionID).Scan(&name)
	if err != nil && !errNoRows(err) {
		return housing.TenantView{}, fmt.Errorf("read function name: %w", err)
	}
	c.Token = ""
	return housing.TenantView{
		Commitment:   c,
		FunctionName: name,
		MadeByFirst:  housing.FirstName(c.MadeByName),
		AddressLine:  housing.AddressLine(c.Address),
		ExpiresAt:    linkExpiry(c),
	}, nil
}

// linkExpiry is when the tenant link stops working: a set time after the
// promise closed; never while it is still open.
func linkExpiry(c housing.Commitment) (t time.Time) {
	if !c.Status.Closed() || c.ClosedAt.IsZero() {
		return t
	}
	return c.ClosedAt.Add(housing.TenantLinkLifetime)
}
