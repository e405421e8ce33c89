package housing

import (
	"time"
	"unicode/utf8"
)

// Status is where a commitment stands. The transitions between statuses live
// in state.go and nowhere else.
type Status string

const (
	StatusOpen         Status = "open"         // made at the door, not yet picked up by the owning function
	StatusAcknowledged Status = "acknowledged" // the owning function has picked it up
	StatusDone         Status = "done"         // the owner says it is done; the tenant has not said
	StatusKept         Status = "kept"         // done, and the tenant agrees
	StatusDisputed     Status = "disputed"     // marked done, but the tenant says it was not
	StatusCancelled    Status = "cancelled"    // withdrawn, with a reason
	StatusBroken       Status = "broken"       // a supervisor has recorded that it was not kept in time
)

// Label is the status in plain words for staff.
func (s Status) Label() string {
	switch s {
	case StatusOpen:
		return "Open"
	case StatusAcknowledged:
		return "Picked up"
	case StatusDone:
		return "Done"
	case StatusKept:
		return "Kept"
	case StatusDisputed:
		return "Disputed"
	case StatusCancelled:
		return "Cancelled"
	case StatusBroken:
		return "Broken"
	}
	return string(s)
}

// Closed reports whether no more work is expected on a commitment in status s.
func (s Status) Closed() bool {
	return s == StatusKept || s == StatusCancelled
}

// Pending reports whether the promise still has to be delivered.
func (s Status) Pending() bool {
	return s == StatusOpen || s == StatusAcknowledged || s == StatusBroken
}

// What the tenant has said through their link.
const (
	TenantAgreed    = "agreed"     // "Yes, this is what we agreed"
	TenantNotAgreed = "not_agreed" // "This isn't right"
	TenantDone      = "done"       // "Yes, it was done"
	TenantNotDone   = "not_done"   // "No, it wasn't"
)

// TenantActor is the CreatedBy and Event.By of everything a tenant does
// through their link; tenants have no account.
const TenantActor = "tenant"

// Commitment is a promise made to a tenant, owned by a function (and
// optionally one officer in it), due on a date checked against a service
// standard.
type Commitment struct {
	ID        string `json:"id"` // UUIDv7 made on the device
	TenancyID string `json:"tenancy_id"`
	VisitID   string `json:"visit_id,omitempty"`
	SiteID    string `json:"site_id"` // the tenancy's site

	// Household and Address copy the tenancy's, so a team on another site
	// can see whose promise it is without holding that site's tenancies.
	Household string `json:"household"`
	Address   string `json:"address"`

	MadeBy     string `json:"made_by"` // officer ID
	MadeByName string `json:"made_by_name"`
	FunctionID string `json:"function_id"`        // the owning function
	OwnerID    string `json:"owner_id,omitempty"` // the owning officer, if one is named

	What           string `json:"what"`                      // what was promised, in plain words
	StandardID     string `json:"standard_id,omitempty"`     // the standard the due date was checked against
	DueDate        Date   `json:"due_date"`                  // by when
	DueTime        string `json:"due_time,omitempty"`        // "15:04", when a time was promised
	OverrideReason string `json:"override_reason,omitempty"` // why the officer went on past a warning

	Status          Status    `json:"status"`
	Escalated       bool      `json:"escalated,omitempty"`
	TenantAgreement string    `json:"tenant_agreement,omitempty"` // "", TenantAgreed, TenantNotAgreed
	TenantOutcome   string    `json:"tenant_outcome,omitempty"`   // "", TenantDone, TenantNotDone
	AcknowledgedAt  time.Time `json:"acknowledged_at,omitzero"`
	DoneAt          time.Time `json:"done_at,omitzero"`
	ClosedAt        time.Time `json:"closed_at,omitzero"`

	// Token is the tenant link's secret, made on the device. It travels once,
	// in the commitment.make mutation; the server keeps only its hash and
	// never sends it back.
	Token string `json:"token,omitempty"`

	// Version counts the server's changes to this commitment. DueVersion and
	// OwnerVersion are the versions at which the due date and the owner last
	// changed, so a stale extend or reassign is told from a harmless one.
	Version      int `json:"version"`
	DueVersion   int `json:"due_version"`
	OwnerVersion int `json:"owner_version"`

	// CaseID and Step name the case and the statutory step this promise
	// carries (case_state.go); "" for a promise made at the door. The case
	// moves such a promise: it cannot be marked done, cancelled or given a
	// new date on its own.
	CaseID string `json:"case_id,omitempty"`
	Step   Step   `json:"step,omitempty"`

	History []Event `json:"history,omitempty"`
	Meta
}

// Event is one entry in a commitment's audit trail.
type Event struct {
	Kind   string    `json:"kind"` // the mutation kind, e.g. "commitment.extend"
	At     time.Time `json:"at"`   // when the server received it
	By     string    `json:"by"`   // officer ID, or TenantActor
	ByName string    `json:"by_name,omitempty"`
	From   string    `json:"from,omitempty"` // the value before, e.g. the old due date
	To     string    `json:"to,omitempty"`   // the value after
	Note   string    `json:"note,omitempty"` // the reason, comment or apology
}

// Validate checks a new commitment as the phone records it: its ID, what
// the phone filled in, what the officer entered (ValidateInput) and its
// tenant link. The realistic date check (Standard.Check) is separate: it
// warns, and a reason lets the officer go on (ValidateDue).
func (c Commitment) Validate() error {
	switch {
	case !ValidID(c.ID):
		return Invalid(FieldID, "The promise has no valid ID; please add it again.")
	case c.TenancyID == "":
		return Invalid(FieldTenancy, "Choose the tenancy the promise was made to.")
	case c.SiteID == "":
		return Invalid(FieldSite, "The promise must say which site the tenancy is on.")
	case c.MadeBy == "":
		return Invalid(FieldMadeBy, "The promise must say which officer made it.")
	}
	if err := c.ValidateInput(); err != nil {
		return err
	}
	if c.Token != "" && !ValidToken(c.Token) {
		return Invalid(FieldToken, "The tenant link is damaged; please add the promise again.")
	}
	return nil
}

// ValidateInput checks what the officer enters for a promise, in the order
// a form asks for it: what was promised, the team, the due date and time,
// and the reason to go past the standard's warning. It is the part of
// Validate that a form runs on its draft, which has no IDs yet, so the form
// and the record keep one rule.
func (c Commitment) ValidateInput() error {
	switch {
	case blank(c.What):
		return Invalid(FieldWhat, "Say what was promised, in plain words.")
	case utf8.RuneCountInString(c.What) > MaxWhat:
		return Invalid(FieldWhat, "Keep what was promised under %d characters.", MaxWhat)
	case c.FunctionID == "":
		return Invalid(FieldFunction, "Choose the team that will keep this promise.")
	case c.DueDate == "":
		return Invalid(FieldDueDate, "Choose the date the promise is due.")
	case !c.DueDate.Valid():
		return Invalid(FieldDueDate, "The due date %q is not a real date.", c.DueDate)
	case c.DueTime != "" && !validClock(c.DueTime):
		return Invalid(FieldDueTime, "The due time must look like 14:30.")
	case utf8.RuneCountInString(c.OverrideReason) > MaxComment:
		return Invalid(FieldOverrideReason, "Keep the reason under %d characters.", MaxComment)
	}
	return nil
}

// CheckDue checks c's due date, as set on madeOn, against its service
// standard in list (Standard.Check). With no standard chosen, or one list
// does not hold, it still warns of a date before madeOn or out of the
// bounds every promise has. A promise with no due date yet has nothing to
// check.
func (c Commitment) CheckDue(list []Standard, madeOn Date) DueCheck {
	if c.DueDate == "" {
		return DueCheck{}
	}
	std, ok := FindStandard(list, c.StandardID)
	if !ok {
		std = Standard{Unit: UnitWorkingDays}
	}
	return std.Check(madeOn, c.DueDate)
}

// ValidateDue refuses, on FieldOverrideReason, a promise whose due date
// CheckDue warns about when the officer has given no reason to keep it: the
// warning asks for one. It is the phone's rule, run by its forms before
// they save; the server keeps the reason as given and does not ask for one.
func (c Commitment) ValidateDue(list []Standard, madeOn Date) error {
	if !c.CheckDue(list, madeOn).OK() && blank(c.OverrideReason) {
		return Invalid(FieldOverrideReason, "Give a reason to keep this date, or choose another date.")
	}
	return nil
}

// Overdue reports whether the promise is still to be delivered after its due
// date, as seen on the given day.
func (c Commitment) Overdue(today Date) bool {
	return (c.Status == StatusOpen || c.Status == StatusAcknowledged) && c.DueDate.Before(today)
}

// Visible reports whether p may see c: it is on one of p's sites, owned by one
// of p's functions, made by p or assigned to p. Admins see everything. This is
// the scope rule that joins sites and functions; the server's pull applies it.
func (p Principal) Visible(c Commitment) bool {
	return p.Role == RoleAdmin || p.InSite(c.SiteID) || p.InFunction(c.FunctionID) ||
		c.MadeBy == p.OfficerID || (c.OwnerID != "" && c.OwnerID == p.OfficerID)
}

func validClock(s string) bool {
	if len(s) != 5 || s[2] != ':' {
		return false
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return h < 24 && m < 60
}

func blank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}
