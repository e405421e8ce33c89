package housing

import (
	"encoding/json"
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
	Protocol  int        `json:"protocol"`
	DeviceID  string     `json:"device_id"`
	Cursor    string     `json:"cursor"` // "" on a fresh device: the server starts a snapshot
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
)

// Change is one record in its current form, as the caller may see it. Removed
// says the record has left the caller's scope (a commitment reassigned to
// another team): drop the local copy.
type Change struct {
	Seq     int64           `json:"seq,omitempty"` // the server's change sequence; 0 inside a snapshot
	Kind    string          `json:"kind"`
	ID      string          `json:"id"`
	Removed bool            `json:"removed,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
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
