package housing

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// This file is what an admin manages beyond staff accounts (OfficerService):
// the landlord's sites and teams and its service standards. Phones receive
// every change by sync.

// StandardChange is an admin's edit of a service standard: the standard as
// it should be (a new ID adds one) and why. Reason is required.
type StandardChange struct {
	Standard Standard `json:"standard"`
	Reason   string   `json:"reason"`
}

// MaxReasonLength bounds the reason an admin gives for a change.
const MaxReasonLength = 500

// Validate checks the change on its own: the standard's fields, and a
// reason of at most MaxReasonLength characters, which is required because
// it is kept with the change for ever. Whether the standard may replace the
// one stored is CheckStandardChange's to say.
func (c StandardChange) Validate() error {
	if err := c.Standard.Validate(); err != nil {
		return err
	}
	switch r := strings.TrimSpace(c.Reason); {
	case r == "":
		return Invalid(FieldReason, "Say why you are changing this standard; the reason is kept with the change.")
	case !utf8.ValidString(r):
		return Invalid(FieldReason, "The reason is not readable text; type it again without pasting.")
	case utf8.RuneCountInString(r) > MaxReasonLength:
		return Invalid(FieldReason, "Keep the reason under %d characters.", MaxReasonLength)
	}
	return nil
}

// StandardAudit is one change to a service standard, kept for ever.
type StandardAudit struct {
	StandardID string    `json:"standard_id"`
	At         time.Time `json:"at"`
	By         string    `json:"by"` // officer ID
	ByName     string    `json:"by_name"`
	Before     *Standard `json:"before,omitempty"` // nil when the change added it
	After      Standard  `json:"after"`
	Reason     string    `json:"reason"`
}

// CheckStandardChange says whether after may replace before (nil: a new
// standard). A statutory limit is set by law: it cannot be loosened (made
// longer, or no limit), its unit cannot change, and a standard cannot stop
// being statutory. Tightening is always allowed.
func CheckStandardChange(before *Standard, after Standard) error {
	if err := after.Validate(); err != nil {
		return err
	}
	if before == nil || !before.Statutory {
		return nil
	}
	switch {
	case !after.Statutory:
		return Invalid(FieldLimit, "%s is set by law (%s); it stays statutory.", before.Name, before.Source)
	case after.Unit != before.Unit:
		return Invalid(FieldUnit, "%s is set by law in %s; its unit cannot change.", before.Name, before.Unit)
	case after.Limit == 0 || after.Limit > before.Limit:
		return Invalid(FieldLimit, "%s is set by law at %s at most (%s); it can be made shorter, never longer.",
			before.Name, before.Unit.Amount(before.Limit), before.Source)
	}
	return nil
}

// ReferenceAdminService is the admin's side of sites, teams and service
// standards. Every method takes the admin making the change, and every
// change is logged for phones in the same transaction. The methods that
// change something return CodeForbidden when by is not an admin.
type ReferenceAdminService interface {
	// PutSite adds a site or renames one; CodeInvalid for a bad ID or name.
	PutSite(ctx context.Context, by Principal, s Site) (Site, error)
	// PutFunction adds a team or renames one; CodeInvalid for a bad ID or
	// name.
	PutFunction(ctx context.Context, by Principal, f Function) (Function, error)
	// SetStandard adds or changes a service standard and audits the change.
	// It returns CodeInvalid for a bad field, a missing reason, an unknown
	// team, a standard moved to another team or kind, a new standard for a
	// kind its team already has, or a statutory limit loosened
	// (CheckStandardChange). A change that leaves the standard as stored
	// changes nothing: it is not audited nor sent to phones.
	SetStandard(ctx context.Context, by Principal, c StandardChange) (Standard, error)
	// StandardHistory lists the changes to one standard, or to all when id
	// is "", newest first.
	StandardHistory(ctx context.Context, id string) ([]StandardAudit, error)
	Sites(ctx context.Context) ([]Site, error)
	Functions(ctx context.Context) ([]Function, error)
	Standards(ctx context.Context) ([]Standard, error)
}

// Validate checks a hazard category as an admin enters it.
func (h HazardCategory) Validate() error {
	if err := CheckSlug("hazard category", h.ID); err != nil {
		return err
	}
	if err := checkText(FieldName, "hazard category's name", h.Name, MaxStandardName, true); err != nil {
		return err
	}
	if !h.InForce.Valid() {
		return Invalid(FieldInForce, "Give the date Awaab's Law starts to cover %s, such as 2026-10-01.", h.ID)
	}
	return checkText(FieldSource, "source of the rule", h.Source, MaxStandardSource, false)
}

// FieldInForce names a hazard category's in-force date in errors.
const FieldInForce = "in_force"
