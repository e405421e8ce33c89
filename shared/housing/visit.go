package housing

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Purpose is why a visit happened, from a fixed list so reports can count them.
type Purpose string

const (
	PurposeTenancyAudit     Purpose = "tenancy_audit"
	PurposeWelfareCheck     Purpose = "welfare_check"
	PurposeRepairs          Purpose = "repairs_inspection"
	PurposeASB              Purpose = "asb"
	PurposeNewTenancy       Purpose = "new_tenancy"
	PurposeArrears          Purpose = "arrears"
	PurposeEstateInspection Purpose = "estate_inspection"
	PurposeOther            Purpose = "other"
)

// Purposes lists every purpose in the order a form offers them.
var Purposes = []Purpose{
	PurposeTenancyAudit, PurposeWelfareCheck, PurposeRepairs, PurposeASB,
	PurposeNewTenancy, PurposeArrears, PurposeEstateInspection, PurposeOther,
}

// Label is the purpose in plain words.
func (p Purpose) Label() string {
	switch p {
	case PurposeTenancyAudit:
		return "Tenancy audit"
	case PurposeWelfareCheck:
		return "Welfare check"
	case PurposeRepairs:
		return "Repairs inspection"
	case PurposeASB:
		return "Anti-social behaviour"
	case PurposeNewTenancy:
		return "New tenancy"
	case PurposeArrears:
		return "Rent arrears"
	case PurposeEstateInspection:
		return "Estate inspection"
	case PurposeOther:
		return "Other"
	}
	return string(p)
}

// Valid reports whether p is on the list.
func (p Purpose) Valid() bool {
	for _, q := range Purposes {
		if p == q {
			return true
		}
	}
	return false
}

// Limits on free text, so one record can never swamp a sync batch.
const (
	MaxNotes   = 4000 // characters in visit notes
	MaxWhat    = 500  // characters in what was promised
	MaxComment = 2000 // characters in a feedback comment or a reason
)

// Visit is one call at a tenancy. Visits are append-only: a correction is a
// new record, never an edit.
type Visit struct {
	ID        string    `json:"id"` // UUIDv7 made on the device
	TenancyID string    `json:"tenancy_id"`
	OfficerID string    `json:"officer_id"`
	SiteID    string    `json:"site_id"`
	Purpose   Purpose   `json:"purpose"`
	Notes     string    `json:"notes,omitempty"`
	StartedAt time.Time `json:"started_at"`
	EndedAt   time.Time `json:"ended_at,omitzero"`
	Meta
}

// Validate checks a visit as the phone records it: its ID, what the
// officer entered (ValidateInput), and what the phone filled in.
func (v Visit) Validate() error {
	if !ValidID(v.ID) {
		return Invalid(FieldID, "The visit has no valid ID; please start it again.")
	}
	if err := v.ValidateInput(); err != nil {
		return err
	}
	switch {
	case v.OfficerID == "":
		return Invalid(FieldOfficer, "The visit must say which officer made it.")
	case v.SiteID == "":
		return Invalid(FieldSite, "The visit must say which site the tenancy is on.")
	case !v.HappenedAt.IsZero():
		// The phone sets HappenedAt (its now) before saving; the server
		// checks again against its own clock.
		return CheckVisitTimes(v.StartedAt, v.EndedAt, v.HappenedAt)
	}
	return nil
}

// ValidateInput checks what the officer enters for a visit, in the order a
// form asks for it: the tenancy, the purpose, the notes and when it
// happened. It is the part of Validate that a form runs on its draft, which
// has no IDs yet, so the form and the record keep one rule.
func (v Visit) ValidateInput() error {
	switch {
	case v.TenancyID == "":
		return Invalid(FieldTenancy, "Choose the tenancy you visited.")
	case !v.Purpose.Valid():
		return Invalid(FieldPurpose, "Choose the purpose of the visit.")
	case utf8.RuneCountInString(v.Notes) > MaxNotes:
		return Invalid(FieldNotes, "Notes are too long: keep them under %d characters.", MaxNotes)
	case v.StartedAt.IsZero():
		return Invalid(FieldStartedAt, "Say when the visit started.")
	case !v.EndedAt.IsZero() && v.EndedAt.Before(v.StartedAt):
		return Invalid(FieldEndedAt, "The visit cannot end before it started.")
	}
	return nil
}

// ValidID reports whether s looks like a UUID in its canonical text form.
// Device-made IDs are UUIDv7, but any version is accepted so that older
// records and other tools can join in.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdef", r) {
				return false
			}
		}
	}
	return true
}
