package housing

import (
	"encoding/json"
	"fmt"
	"time"
)

// ProtocolVersion is the sync protocol this code speaks. The server refuses
// other versions with CodeUnsupported so an old phone is told to update
// rather than misread. docs/sync-protocol.md describes the wire format and
// testdata/*.json pins it.
const ProtocolVersion = 1

// Mutation kinds: each is an intent, named as the officer would say it.
const (
	KindVisitRecord = "visit.record" // Data: Visit

	KindCommitmentMake        = "commitment.make"        // Data: Commitment
	KindCommitmentAcknowledge = "commitment.acknowledge" // Data: CommitmentAction (none needed)
	KindCommitmentComplete    = "commitment.complete"    // Data: CommitmentAction{Note?}
	KindCommitmentCancel      = "commitment.cancel"      // Data: CommitmentAction{Reason}
	KindCommitmentReassign    = "commitment.reassign"    // Data: CommitmentAction{FunctionID, OwnerID?, Reason}
	KindCommitmentExtend      = "commitment.extend"      // Data: CommitmentAction{DueDate, DueTime?, Reason}
	KindCommitmentEscalate    = "commitment.escalate"    // Data: CommitmentAction{Reason}
	KindCommitmentBreak       = "commitment.break"       // Data: CommitmentAction{Reason: the apology shown to the tenant}
	KindCommitmentTenant      = "commitment.tenant"      // Data: CommitmentAction{Answer, Reason: the tenant's comment}; tenant link only

	KindFeedbackGive = "feedback.give" // Data: Feedback
)

// MutationKinds lists every kind a device may send.
var MutationKinds = []string{
	KindVisitRecord, KindCommitmentMake, KindCommitmentAcknowledge, KindCommitmentComplete,
	KindCommitmentCancel, KindCommitmentReassign, KindCommitmentExtend, KindCommitmentEscalate,
	KindCommitmentBreak, KindFeedbackGive,
	KindCaseOpen, KindCaseAcknowledge, KindCaseRespond, KindCaseExtend,
	KindCaseEscalate, KindCaseStep, KindCaseUnsafe, KindPhotoAttach,
}

// Limits on one sync request, so a phone that was offline for a week sends
// its outbox in several round trips rather than one huge one.
const (
	MaxMutationsPerBatch = 500
	MaxMutationBytes     = 16 << 10 // one mutation's Data
	MaxRequestBytes      = 4 << 20  // a whole decompressed request
)

// SyncRequest is the body of POST /api/v1/sync: the device's next mutations
// (in order, numbered from the server's last_mutation+1) and where its pull
// stands.
type SyncRequest struct {
	Protocol int    `json:"protocol"`
	DeviceID string `json:"device_id"`
	Cursor   string `json:"cursor"` // "" on a fresh device: the server starts a snapshot
	// Patches says the device applies a Change's Patch (Change.Record), so
	// its own records sent in this request may come back as patches. An app
	// from before patches leaves it out and gets its records whole, which it
	// can apply.
	Patches   bool       `json:"patches,omitempty"`
	Mutations []Mutation `json:"mutations"`
}

// Mutation is one intent made on a device.
type Mutation struct {
	Seq         int64           `json:"seq"`  // the device's own numbering: 1, 2, 3...
	Kind        string          `json:"kind"` // one of MutationKinds
	RecordID    string          `json:"record_id"`
	BaseVersion int             `json:"base_version,omitempty"` // the commitment version the officer saw
	HappenedAt  time.Time       `json:"happened_at"`            // device clock, for people; never for ordering
	Data        json.RawMessage `json:"data"`
}

// Result statuses for one mutation.
const (
	ResultApplied   = "applied"   // stored now
	ResultDuplicate = "duplicate" // stored before: a retry or replay, nothing changed
	ResultRejected  = "rejected"  // refused for good (Code, Reason); the device shows it under "needs attention"
	ResultConflict  = "conflict"  // applied in part: the server kept its own due date or owner (Reason says which)
)

// Result is the server's answer to one mutation.
type Result struct {
	Seq     int64  `json:"seq"`
	Status  string `json:"status"`
	Code    string `json:"code,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Version int    `json:"version,omitempty"` // the commitment's version afterwards
}

// SyncResponse answers a SyncRequest.
type SyncResponse struct {
	Protocol     int       `json:"protocol"`
	Results      []Result  `json:"results"`
	LastMutation int64     `json:"last_mutation"` // the highest mutation number the server holds for this device
	Changes      []Change  `json:"changes"`
	Cursor       string    `json:"cursor"`   // opaque; send it back next time
	HasMore      bool      `json:"has_more"` // pull again straight away
	ServerTime   time.Time `json:"server_time"`

	// Reset says the server started the caller's pull over with a snapshot,
	// because its scope changed (sites, functions or role) or its cursor is
	// ahead of this server's log (a restored backup): drop every pulled
	// record, keep the pending mutations, and apply the snapshot as it comes.
	Reset bool `json:"reset,omitempty"`
}

// Record kinds in a Change.
const (
	RecordSite       = "site"
	RecordFunction   = "function"
	RecordOfficer    = "officer"
	RecordStandard   = "standard"
	RecordTenancy    = "tenancy"
	RecordVisit      = "visit"
	RecordCommitment = "commitment"
	RecordFeedback   = "feedback"
	RecordAttention  = "attention" // a rejected mutation of this device's officer: Data is Attention
	RecordCase       = "case"      // a complaint or hazard case (cases.go)
	RecordHazard     = "hazard"    // a hazard category an officer can choose (HazardCategory)
)

// Change is one record in its current form, as the caller may see it. Removed
// says the record has left the caller's scope (a commitment reassigned to
// another team): drop the local copy.
//
// A record the device itself sent in the same request may come back (when
// the pull is catching up, not in a snapshot) as Patch instead of Data: the record as the server holds it, written as the changes
// to the data of the first mutation in that request that made it (see
// Change.Record). It carries what the server set (received_at, the site from
// the tenancy, a promise's history and versions) without sending back the
// rest, which the device has just sent.
type Change struct {
	Seq     int64           `json:"seq,omitempty"` // the server's change sequence; 0 inside a snapshot
	Kind    string          `json:"kind"`
	ID      string          `json:"id"`
	Removed bool            `json:"removed,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
	Patch   json.RawMessage `json:"patch,omitempty"`
}

// MadeKind is the record kind that a mutation of kind makes: a visit,
// promise or feedback; "" for a mutation that acts on a record.
func MadeKind(kind string) string {
	switch kind {
	case KindVisitRecord:
		return RecordVisit
	case KindCommitmentMake:
		return RecordCommitment
	case KindFeedbackGive:
		return RecordFeedback
	case KindCaseOpen:
		return RecordCase
	case KindPhotoAttach:
		return RecordPhoto
	}
	return ""
}

// SentRecords returns, by record kind and ID, the data of the first
// mutation in ms that makes each record: the base that a Change's Patch in
// the answer to ms applies to.
func SentRecords(ms []Mutation) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for _, m := range ms {
		key := MadeKind(m.Kind) + "/" + m.RecordID
		if _, seen := out[key]; !seen && MadeKind(m.Kind) != "" {
			out[key] = m.Data
		}
	}
	return out
}

// Record returns the record ch carries: its Data, or its Patch applied to
// sent (the answer's request, by SentRecords). A patch is a JSON merge patch
// (RFC 7386) on the record's top-level fields: each field it names takes its
// value, and a field it names as null is removed. The result is encoded as
// the server encodes the record, so every device holds the same bytes.
func (ch Change) Record(sent map[string]json.RawMessage) (json.RawMessage, error) {
	if len(ch.Patch) == 0 {
		return ch.Data, nil
	}
	base, ok := sent[ch.Kind+"/"+ch.ID]
	if !ok {
		return nil, fmt.Errorf("patch for %s %s: the request did not send it", ch.Kind, ch.ID)
	}
	var fields, patch map[string]json.RawMessage
	if err := json.Unmarshal(base, &fields); err != nil || fields == nil {
		return nil, fmt.Errorf("patch for %s %s: the record sent is not an object", ch.Kind, ch.ID)
	}
	if err := json.Unmarshal(ch.Patch, &patch); err != nil {
		return nil, fmt.Errorf("patch for %s %s: %w", ch.Kind, ch.ID, err)
	}
	for k, v := range patch {
		if string(v) == "null" {
			delete(fields, k)
		} else {
			fields[k] = v
		}
	}
	merged, err := json.Marshal(fields)
	if err != nil {
		return nil, fmt.Errorf("patch for %s %s: %w", ch.Kind, ch.ID, err)
	}
	var rec any
	switch ch.Kind {
	case RecordVisit:
		rec = new(Visit)
	case RecordCommitment:
		rec = new(Commitment)
	case RecordFeedback:
		rec = new(Feedback)
	case RecordCase:
		rec = new(Case)
	case RecordPhoto:
		rec = new(Photo)
	default:
		return nil, fmt.Errorf("patch for %s %s: not a kind a device makes", ch.Kind, ch.ID)
	}
	if err := json.Unmarshal(merged, rec); err != nil {
		return nil, fmt.Errorf("patch for %s %s: %w", ch.Kind, ch.ID, err)
	}
	return json.Marshal(rec)
}

// CommitmentAction carries the fields a commitment intent changes.
type CommitmentAction struct {
	FunctionID string `json:"function_id,omitempty"` // reassign
	OwnerID    string `json:"owner_id,omitempty"`    // reassign
	DueDate    Date   `json:"due_date,omitempty"`    // extend
	DueTime    string `json:"due_time,omitempty"`    // extend
	Answer     string `json:"answer,omitempty"`      // tenant: TenantAgreed, TenantNotAgreed, TenantDone, TenantNotDone
	Reason     string `json:"reason,omitempty"`      // cancel, reassign, extend, escalate; the apology for break; a note or tenant comment
}

// Attention is a mutation the server refused, kept so the officer and their
// supervisor can see it and put it right. Nothing is dropped silently.
type Attention struct {
	ID         string          `json:"id"` // device ID and mutation number, "device:seq"
	DeviceID   string          `json:"device_id"`
	Seq        int64           `json:"seq"`
	OfficerID  string          `json:"officer_id"`
	Kind       string          `json:"kind"`
	RecordID   string          `json:"record_id"`
	Code       string          `json:"code"`
	Reason     string          `json:"reason"`
	Data       json.RawMessage `json:"data,omitempty"`
	ReceivedAt time.Time       `json:"received_at"`
}

// ErrorBody is the JSON body of every error answer from the API, and the
// one declaration of it: the server writes it and the phone reads it.
// last_mutation comes only with CodeGap, and always with it (0 too: a
// device whose first batch was lost resends from 1); field comes only when
// the error is about one input. testdata/error_*.json pins it.
type ErrorBody struct {
	Code         string    `json:"code"`
	Message      string    `json:"message"`
	Field        string    `json:"field,omitempty"`
	LastMutation int64     `json:"last_mutation,omitempty"`
	Problems     []Problem `json:"problems,omitempty"`
}

// MarshalJSON writes b with last_mutation whenever its code is CodeGap,
// where omitempty would leave out a last mutation of 0.
func (b ErrorBody) MarshalJSON() ([]byte, error) {
	type plain ErrorBody // without this method
	if b.Code != CodeGap {
		return json.Marshal(plain(b))
	}
	return json.Marshal(struct {
		Code         string `json:"code"`
		Message      string `json:"message"`
		Field        string `json:"field,omitempty"`
		LastMutation int64  `json:"last_mutation"`
	}{b.Code, b.Message, b.Field, b.LastMutation})
}

// Body returns e as it travels on the wire.
func (e *Error) Body() ErrorBody {
	return ErrorBody{Code: e.Code, Message: e.Message, Field: e.Field, LastMutation: e.LastMutation, Problems: e.Problems}
}

// Err returns the *Error a body carries, or nil when it carries no code
// (an answer that did not come from Doorstep, such as a proxy's page).
func (b ErrorBody) Err() *Error {
	if b.Code == "" {
		return nil
	}
	return &Error{Code: b.Code, Message: b.Message, Field: b.Field, LastMutation: b.LastMutation, Problems: b.Problems}
}
