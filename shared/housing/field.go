package housing

import (
	"fmt"
	"strconv"
)

// Field names: the JSON names of the members that the rules in this package
// are about, for Error.Field. A form maps them to its inputs; nothing reads
// an error's message to learn what it is about. A member within a list is
// named by the list, the index from 0 and the member (ItemField):
// "commitments.1.due_date" is the due date of a visit's second promise.
const (
	// The records a phone makes (Visit, Commitment, Feedback).
	FieldID             = "id"
	FieldTenancy        = "tenancy_id"
	FieldOfficer        = "officer_id"
	FieldSite           = "site_id"
	FieldPurpose        = "purpose"
	FieldNotes          = "notes"
	FieldStartedAt      = "started_at"
	FieldEndedAt        = "ended_at"
	FieldMadeBy         = "made_by"
	FieldFunction       = "function_id"
	FieldOwner          = "owner_id"
	FieldWhat           = "what"
	FieldStandard       = "standard_id"
	FieldDueDate        = "due_date"
	FieldDueTime        = "due_time"
	FieldOverrideReason = "override_reason"
	FieldToken          = "token"
	FieldSource         = "source"
	FieldAnswers        = "answers" // one answer is "answers.TP01"
	FieldComment        = "comment"

	// A visit's promises and its feedback, when they are checked together
	// (a visit recorded on the phone with what was said at the door).
	FieldCommitments = "commitments"
	FieldFeedback    = "feedback"

	// An intent on a commitment (CommitmentAction); its due date, due time,
	// function and owner are named as the commitment's.
	FieldReason = "reason"
	FieldAnswer = "answer"

	// A tenancy as the landlord's records give it (Tenancy); its ID and
	// site are named as above.
	FieldReference = "reference"
	FieldHousehold = "household"
	FieldAddress   = "address"
	FieldPostcode  = "postcode"

	// A member of staff as an admin adds them (NewOfficer).
	FieldUsername  = "username"
	FieldName      = "name"
	FieldRole      = "role"
	FieldSites     = "sites"
	FieldFunctions = "functions"
	FieldPassword  = "password"
	FieldEmail     = "email"

	// A service standard (Standard); its ID, function and name are named
	// as above. FieldKind is also a mutation's kind.
	FieldKind    = "kind"
	FieldUnit    = "unit"
	FieldSoonest = "soonest"
	FieldLimit   = "limit"

	// A supervisor's filter (ReviewFilter); its sites, functions and
	// officer are named as above.
	FieldStatus = "status"
	FieldFrom   = "from"
	FieldTo     = "to"

	// An integration token as an admin makes it (NewIntegrationToken; its
	// name is FieldName), and a read of the events feed (the cursor, and
	// its page size as FieldLimit).
	FieldTeams = "teams"
	FieldAfter = "after"
)

// ItemField names member i (from 0) of list: ItemField(FieldCommitments, 1)
// is "commitments.1", the path InField puts in front of a promise's own
// field.
func ItemField(list string, i int) string {
	return list + "." + strconv.Itoa(i)
}

// Invalid returns an *Error with CodeInvalid about field, with the given
// formatted message: what a person typed or chose there is wrong, and the
// message says how.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Message: fmt.Sprintf(format, args...), Field: field}
}
