package replica

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"doorstep/shared/housing"
)

// Transport carries the replica's requests to the server (app/remote over
// HTTP in the app; a fake in tests).
type Transport interface {
	Sync(ctx context.Context, token string, req housing.SyncRequest) (housing.SyncResponse, error)
	SignIn(ctx context.Context, in housing.SignIn) (housing.Session, error)
	SignOut(ctx context.Context, token string) error
}

// Options configures a Replica. The zero value uses the real clock.
type Options struct {
	Now   func() time.Time
	NewID func() string // IDs for new records; nil means UUIDv7
	// Rand returns a number in [0, 1) for the jitter of Run's backoff; nil
	// means math/rand.
	Rand func() float64
	// After is Run's timer: a channel that receives once d has passed. nil
	// means time.After; tests pass a fake clock so no test sleeps.
	After func(d time.Duration) <-chan time.Time
	// Lock runs f while holding the lock called name, shared by every tab
	// of the app (in the browser, a Web Lock), so that one tab syncs at a
	// time. nil runs f at once: within one Replica, Sync is already one at
	// a time, and a second tab's stale write is refused by the Store.
	Lock func(name string, f func())
}

// Replica is the phone's copy of the records and the outbox. It keeps
// everything in memory and writes through to the Store; what the screens
// ask of the records (search, a tenancy's records, open promises) comes
// from an index kept beside them (index.go), since a phone holding a whole
// patch holds tens of thousands. All methods are safe for concurrent use.
type Replica struct {
	store     Store
	transport Transport
	now       func() time.Time
	newID     func() string
	rand      func() float64
	after     func(time.Duration) <-chan time.Time
	lock      func(name string, f func())

	mu        sync.Mutex
	syncing   sync.Mutex // one sync at a time in this tab
	meta      Meta
	records   map[string]json.RawMessage // "kind/id" → the record as the screens see it
	server    map[string]json.RawMessage // "commitment/id" → the server's copy, before pending changes
	tokens    map[string]string          // commitment ID → tenant link token
	outbox    []housing.Mutation
	attention map[string]housing.Attention
	idx       index // what the screens ask of records, kept beside them
	isSyncing bool
	opened    bool // Open succeeded: writes are allowed
}

// New returns a Replica over store and transport; call Open before use.
func New(store Store, transport Transport, opts Options) *Replica {
	if opts.Now == nil {
		opts.Now = func() time.Time { return time.Now().UTC() }
	}
	if opts.After == nil {
		opts.After = time.After
	}
	if opts.NewID == nil {
		opts.NewID = func() string { return uuid.Must(uuid.NewV7()).String() }
	}
	if opts.Lock == nil {
		opts.Lock = func(_ string, f func()) { f() }
	}
	return &Replica{store: store, transport: transport, now: opts.Now, newID: opts.NewID, rand: opts.Rand, after: opts.After, lock: opts.Lock}
}

// Open loads what the store holds, upgrading it to SchemaVersion. Until
// Open has succeeded the Replica writes nothing, so a failed Open (or
// ErrNewerSchema) never harms what the phone holds.
func (r *Replica) Open(ctx context.Context) error {
	snap, err := r.openUpgraded(ctx)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.load(snap)
	r.opened = true
	return nil
}

func (r *Replica) load(snap Snapshot) {
	r.meta = Meta{SchemaVersion: SchemaVersion, NextSeq: 1}
	if snap.Meta != nil {
		r.meta = *snap.Meta
	}
	r.records, r.server, r.tokens = map[string]json.RawMessage{}, map[string]json.RawMessage{}, map[string]string{}
	r.idx = index{}
	for _, rec := range snap.Records {
		r.putRecord(rec)
	}
	r.outbox = append([]housing.Mutation(nil), snap.Outbox...)
	r.attention = map[string]housing.Attention{}
	for _, a := range snap.Attention {
		r.attention[a.ID] = a
	}
}

// putRecord files one stored record in memory by its key: a tenant link's
// token, the server's copy of a promise with actions pending, or a record as
// the screens see it. r.mu is held.
func (r *Replica) putRecord(rec Record) {
	switch {
	case strings.HasPrefix(rec.Key, "token/"):
		var t string
		json.Unmarshal(rec.Data, &t)
		r.tokens[strings.TrimPrefix(rec.Key, "token/")] = t
	case strings.HasPrefix(rec.Key, "server/"):
		r.server[strings.TrimPrefix(rec.Key, "server/")] = rec.Data
	default:
		r.records[rec.Key] = rec.Data
		r.indexPut(rec.Key, rec.Data)
	}
}

// Account is who is signed in on this phone.
type Account struct {
	Officer     housing.Officer
	DeviceID    string
	DeviceName  string
	Token       string
	NeedsSignIn bool
}

// Account returns the signed-in account; ok is false when nobody is.
func (r *Replica) Account() (Account, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	a := Account{Officer: r.meta.Officer, DeviceID: r.meta.DeviceID, DeviceName: r.meta.DeviceName, Token: r.meta.Token, NeedsSignIn: r.meta.NeedsSignIn}
	return a, r.meta.Officer.ID != ""
}

// Principal is the signed-in officer as the domain rules see them.
func (r *Replica) principal() housing.Principal {
	o := r.meta.Officer
	return housing.Principal{OfficerID: o.ID, Name: o.Name, Role: o.Role, Sites: o.Sites, Functions: o.Functions, DeviceID: r.meta.DeviceID}
}

// Status is what the sync indicator shows.
type Status struct {
	Pending       int
	OldestPending time.Time
	LastSync      time.Time
	LastAttempt   time.Time
	LastError     string
	Attention     int
	NeedsSignIn   bool
	Syncing       bool
}

// Status returns the sync state now.
func (r *Replica) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := Status{Pending: len(r.outbox), LastSync: r.meta.LastSync, LastAttempt: r.meta.LastAttempt,
		LastError: r.meta.LastError, NeedsSignIn: r.meta.NeedsSignIn, Syncing: r.isSyncing, Attention: len(r.visibleAttention())}
	if len(r.outbox) > 0 {
		s.OldestPending = r.outbox[0].HappenedAt
	}
	return s
}

// Pending reports whether record id has changes not yet on the server.
func (r *Replica) Pending(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.outbox {
		if m.RecordID == id {
			return true
		}
	}
	return false
}

// Reference is the landlord's lists held on the phone.
type Reference struct {
	Sites     []housing.Site
	Functions []housing.Function
	Officers  []housing.Officer
	Standards []housing.Standard
}

// Reference returns the lists, sorted by name.
func (r *Replica) Reference() Reference {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ref Reference
	ref.Sites = all[housing.Site](r, housing.RecordSite)
	ref.Functions = all[housing.Function](r, housing.RecordFunction)
	ref.Officers = all[housing.Officer](r, housing.RecordOfficer)
	ref.Standards = all[housing.Standard](r, housing.RecordStandard)
	sort.Slice(ref.Sites, func(i, j int) bool { return ref.Sites[i].Name < ref.Sites[j].Name })
	sort.Slice(ref.Functions, func(i, j int) bool { return ref.Functions[i].Name < ref.Functions[j].Name })
	sort.Slice(ref.Officers, func(i, j int) bool { return ref.Officers[i].Name < ref.Officers[j].Name })
	sort.Slice(ref.Standards, func(i, j int) bool { return ref.Standards[i].ID < ref.Standards[j].ID })
	return ref
}

// all decodes every held record of kind. r.mu must be held.
func all[T any](r *Replica, kind string) []T {
	var out []T
	prefix := kind + "/"
	for k, raw := range r.records {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		var v T
		if json.Unmarshal(raw, &v) == nil {
			out = append(out, v)
		}
	}
	return out
}

func one[T any](r *Replica, kind, id string) (T, bool) {
	var v T
	raw, ok := r.records[kind+"/"+id]
	if !ok || json.Unmarshal(raw, &v) != nil {
		return v, false
	}
	return v, true
}

// SearchTenancies returns up to limit tenancies whose household, address,
// postcode or reference holds every word of query, case-insensitively.
func (r *Replica) SearchTenancies(query string, limit int) (found []housing.Tenancy, held int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	words := strings.Fields(strings.ToLower(query))
	x := r.ix()
	for _, id := range x.sortedTenancies() {
		if len(found) == limit {
			break
		}
		t := x.tenancies[id]
		match := true
		for _, w := range words {
			if !strings.Contains(t.hay, w) {
				match = false
				break
			}
		}
		if match {
			found = append(found, t.Tenancy)
		}
	}
	return found, len(x.tenancies)
}

// Tenancy returns a held tenancy, or CodeNotFound.
func (r *Replica) Tenancy(id string) (housing.Tenancy, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	x := r.ix()
	if t, ok := x.tenancies[id]; ok {
		return t.Tenancy, nil
	}
	// A promise owned by this officer's team elsewhere carries its tenancy's
	// household and address, though the phone holds no tenancy there.
	for _, k := range x.tenancyKeys(id, housing.RecordCommitment) {
		c := x.commitments[strings.TrimPrefix(k, housing.RecordCommitment+"/")]
		return housing.Tenancy{ID: id, Household: c.Household, Address: c.Address, SiteID: c.SiteID}, nil
	}
	return housing.Tenancy{}, housing.Errorf(housing.CodeNotFound, "That tenancy is not on this phone. Sync when you have signal, then try again.")
}

// Visits returns the visits at tenancy (all when ""), newest first.
func (r *Replica) Visits(tenancyID string) []housing.Visit {
	r.mu.Lock()
	defer r.mu.Unlock()
	x := r.ix()
	var out []housing.Visit
	if tenancyID == "" {
		for _, v := range x.visits {
			out = append(out, v)
		}
	} else {
		for _, k := range x.tenancyKeys(tenancyID, housing.RecordVisit) {
			out = append(out, x.visits[strings.TrimPrefix(k, housing.RecordVisit+"/")])
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].StartedAt.After(out[j].StartedAt) })
	return out
}

// Visit returns one held visit, or CodeNotFound.
func (r *Replica) Visit(id string) (housing.Visit, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if v, ok := one[housing.Visit](r, housing.RecordVisit, id); ok {
		return v, nil
	}
	return housing.Visit{}, housing.Errorf(housing.CodeNotFound, "That visit is not on this phone.")
}

// CommitmentFilter picks commitments; empty fields match all.
type CommitmentFilter struct {
	TenancyID string
	VisitID   string
	DueBy     housing.Date // due on or before this day; "" for any
	OpenOnly  bool         // only promises still to keep (Status.Pending)
}

// match reports whether c passes f.
func (f CommitmentFilter) match(c housing.Commitment) bool {
	return (f.TenancyID == "" || c.TenancyID == f.TenancyID) && (f.VisitID == "" || c.VisitID == f.VisitID) &&
		(f.DueBy == "" || c.DueDate <= f.DueBy) && (!f.OpenOnly || c.Status.Pending())
}

// Commitments returns the held commitments matching f, soonest due first,
// each with its tenant link token when this phone made it.
func (r *Replica) Commitments(f CommitmentFilter) []housing.Commitment {
	r.mu.Lock()
	defer r.mu.Unlock()
	// Only the promises the filter can match are looked at: a tenancy's
	// own, or those still to keep.
	x := r.ix()
	var ids []string
	switch {
	case f.TenancyID != "":
		for _, k := range x.tenancyKeys(f.TenancyID, housing.RecordCommitment) {
			ids = append(ids, strings.TrimPrefix(k, housing.RecordCommitment+"/"))
		}
	case f.OpenOnly:
		for id := range x.open {
			ids = append(ids, id)
		}
	default:
		for id := range x.commitments {
			ids = append(ids, id)
		}
	}
	var out []housing.Commitment
	for _, id := range ids {
		if c := x.commitments[id]; f.match(c) {
			c, _ = x.commitment(id)
			c.Token = r.tokens[c.ID]
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].DueDate != out[j].DueDate {
			return out[i].DueDate < out[j].DueDate
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Commitment returns one held commitment, or CodeNotFound.
func (r *Replica) Commitment(id string) (housing.Commitment, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := one[housing.Commitment](r, housing.RecordCommitment, id)
	if !ok {
		return c, housing.Errorf(housing.CodeNotFound, "That promise is not on this phone.")
	}
	c.Token = r.tokens[c.ID]
	return c, nil
}

// Feedback returns the feedback held for a visit (or a tenancy when visitID is "").
func (r *Replica) Feedback(tenancyID, visitID string) []housing.Feedback {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []housing.Feedback
	var keys []string
	if tenancyID != "" {
		keys = r.ix().tenancyKeys(tenancyID, housing.RecordFeedback)
	} else {
		// Feedback about a visit is at the visit's tenancy; a caller that
		// does not know it gets every feedback looked at.
		for id := range r.ix().feedbackAt {
			keys = append(keys, housing.RecordFeedback+"/"+id)
		}
	}
	for _, k := range keys {
		f, ok := one[housing.Feedback](r, housing.RecordFeedback, strings.TrimPrefix(k, housing.RecordFeedback+"/"))
		if ok && ((visitID != "" && f.VisitID == visitID) || (visitID == "" && f.TenancyID == tenancyID)) {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Attention returns the refused changes the officer has not dismissed.
func (r *Replica) Attention() []housing.Attention {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.visibleAttention()
}

func (r *Replica) visibleAttention() []housing.Attention {
	var out []housing.Attention
	for _, a := range r.attention {
		dismissed := false
		for _, d := range r.meta.Dismissed {
			dismissed = dismissed || d == a.ID
		}
		if !dismissed {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}
