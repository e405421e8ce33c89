package replica

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"doorstep/shared/housing"
)

// SchemaVersion is the version of what the Store holds. A Store upgrades
// older data to it when it opens (see app/idb), so an app update never loses
// what a phone holds.
const SchemaVersion = 1

// Store is durable storage for the replica. Apply must write a whole Batch
// in one transaction or nothing of it, and must refuse with ErrStale,
// writing nothing, when the stored meta's Generation (0 with no meta) is not
// the batch's Base.
type Store interface {
	Load(ctx context.Context) (Snapshot, error)
	Apply(ctx context.Context, b Batch) error
}

// ErrStale is what a Store's Apply returns for a batch built on an older
// state than the one stored: another tab of the app wrote in between. Two
// tabs each hold the replica in memory; without this check the second
// could number a new mutation with a number the first already used, and
// the server would take the new one for a duplicate and drop it.
var ErrStale = errors.New("the records on this phone were changed in another tab")

// Snapshot is everything a Store holds.
type Snapshot struct {
	Meta      *Meta // nil on a new phone
	Records   []Record
	Outbox    []housing.Mutation // in Seq order
	Attention []housing.Attention
}

// Record is one stored record. Key is "kind/id" (a housing.Record* kind), or
// "token/<commitment ID>" for a tenant link's token, which only the phone
// that made it ever holds.
type Record struct {
	Key  string          `json:"key"`
	Data json.RawMessage `json:"data"`
}

// Batch is one transaction's writes.
type Batch struct {
	Base            int64 // the stored meta's Generation this batch was built on
	Clear           bool  // delete everything first: a new officer on a shared phone
	Meta            *Meta
	Put             []Record
	Delete          []string           // record keys
	Enqueue         []housing.Mutation // written after Dequeue: a Seq in both is the new mutation
	Dequeue         []int64            // mutation Seqs
	PutAttention    []housing.Attention
	DeleteAttention []string
}

// Meta is the phone's own state: who is signed in, where its numbering and
// its pull stand, and how the last sync went.
type Meta struct {
	SchemaVersion int             `json:"schema_version"`
	Officer       housing.Officer `json:"officer"`
	Token         string          `json:"token,omitempty"`
	SessionID     string          `json:"session_id,omitempty"`
	DeviceID      string          `json:"device_id"`
	DeviceName    string          `json:"device_name,omitempty"`
	NeedsSignIn   bool            `json:"needs_sign_in,omitempty"`
	NextSeq       int64           `json:"next_seq"`
	Cursor        string          `json:"cursor,omitempty"`
	LastSync      time.Time       `json:"last_sync,omitzero"`
	LastAttempt   time.Time       `json:"last_attempt,omitzero"`
	LastError     string          `json:"last_error,omitempty"`
	Dismissed     []string        `json:"dismissed,omitempty"` // attention IDs the officer has dealt with
	// Generation counts the replica's writes to the store; each batch
	// raises it by one (see ErrStale).
	Generation int64 `json:"generation,omitempty"`
}
