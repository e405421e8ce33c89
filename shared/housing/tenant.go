package housing

import (
	"context"
	"time"
)

// TenantView is everything a tenant's link page may show: one commitment and
// no more than the officer's first name and the first line of the address.
type TenantView struct {
	Commitment   Commitment `json:"commitment"` // Token cleared; History kept
	FunctionName string     `json:"function_name"`
	MadeByFirst  string     `json:"made_by_first"`
	AddressLine  string     `json:"address_line"` // the first line of the address only
	ExpiresAt    time.Time  `json:"expires_at,omitzero"`
}

// TenantLinkLifetime is how long a tenant link keeps working after its
// commitment closes (kept or cancelled). After that the link answers as an
// unknown one does, so old links cannot be used to probe.
const TenantLinkLifetime = 90 * 24 * time.Hour

// TenantService serves the tenant link pages. Tokens are looked up by hash.
// Every method returns CodeNotFound, with the same message, for a token that
// is malformed, unknown, not yet synced from the officer's phone, or expired.
type TenantService interface {
	TenantCommitment(ctx context.Context, token string) (TenantView, error)
	// TenantRespond records the tenant's answer as a mutation from
	// TenantActor in the change log, so it reaches the officer's and the
	// owning team's phones by sync. A repeat of the same answer changes nothing.
	TenantRespond(ctx context.Context, token string, a CommitmentAction) (TenantView, error)
	// TenantFeedback records feedback given through the link (Source tenant).
	TenantFeedback(ctx context.Context, token string, f Feedback) error
}

// AddressLine returns the first line of an address written with ", "
// between its lines.
func AddressLine(address string) string {
	for i := 0; i+1 < len(address); i++ {
		if address[i] == ',' {
			return address[:i]
		}
	}
	return address
}
