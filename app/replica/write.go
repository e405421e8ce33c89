package replica

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"doorstep/shared/housing"
)

// recordVisit is RecordVisit, tried once.
func (r *Replica) recordVisit(ctx context.Context, v housing.Visit, cs []housing.Commitment, f *housing.Feedback) (housing.Visit, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.meta.Officer.ID == "" {
		return v, housing.Errorf(housing.CodeUnauthorized, "Sign in before you log a visit.")
	}
	now := r.now()
	meta := housing.Meta{CreatedBy: r.meta.Officer.ID, DeviceID: r.meta.DeviceID, HappenedAt: now}
	t, ok := one[housing.Tenancy](r, housing.RecordTenancy, v.TenancyID)
	if !ok {
		return v, housing.Invalid(housing.FieldTenancy, "Choose the tenancy you visited.")
	}
	if v.ID == "" {
		v.ID = r.newID()
	}
	v.OfficerID, v.SiteID, v.Meta = r.meta.Officer.ID, t.SiteID, meta
	if v.StartedAt.IsZero() {
		v.StartedAt = now
	}
	if err := v.Validate(); err != nil {
		return v, err
	}
	var b Batch
	b.put(housing.RecordVisit, v.ID, v)
	r.enqueue(&b, housing.KindVisitRecord, v.ID, 0, v, now)

	for i := range cs {
		c := &cs[i]
		if c.ID == "" {
			c.ID = r.newID()
		}
		if c.Token == "" {
			c.Token = housing.NewToken()
		}
		c.TenancyID, c.VisitID, c.SiteID, c.Household, c.Address = t.ID, v.ID, t.SiteID, t.Household, t.Address
		c.MadeBy, c.MadeByName, c.Meta = r.meta.Officer.ID, r.meta.Officer.Name, meta
		c.Status, c.Version, c.DueVersion, c.OwnerVersion = housing.StatusOpen, 1, 1, 1
		c.History = []housing.Event{{Kind: housing.KindCommitmentMake, At: now, By: c.MadeBy, ByName: c.MadeByName, To: string(c.DueDate)}}
		if err := c.Validate(); err != nil {
			return v, promiseError(err, i)
		}
		r.enqueue(&b, housing.KindCommitmentMake, c.ID, 0, c, now)
		b.Put = append(b.Put, Record{Key: "token/" + c.ID, Data: mustJSON(c.Token)})
		stored := *c
		stored.Token = ""
		b.put(housing.RecordCommitment, c.ID, stored)
	}
	if f != nil {
		if f.ID == "" {
			f.ID = r.newID()
		}
		f.TenancyID, f.VisitID, f.SiteID, f.Source, f.Meta = t.ID, v.ID, t.SiteID, housing.SourceOfficer, meta
		if err := f.Validate(); err != nil {
			return v, housing.InField(err, housing.FieldFeedback)
		}
		b.put(housing.RecordFeedback, f.ID, f)
		r.enqueue(&b, housing.KindFeedbackGive, f.ID, 0, f, now)
	}
	return v, r.commit(ctx, b)
}

// promiseError is err, about promise i (from 0) of a visit being recorded,
// as RecordVisit returns it: its Field within "commitments.i", for the form
// to mark the input, and its message naming the promise as the officer
// counts them ("Promise 2: ..."), for when it is shown away from the promise.
func promiseError(err error, i int) error {
	err = housing.InField(err, housing.ItemField(housing.FieldCommitments, i))
	return &housing.Error{
		Code:    housing.ErrorCode(err),
		Message: fmt.Sprintf("Promise %d: %s", i+1, housing.ErrorMessage(err)),
		Field:   housing.ErrorField(err),
	}
}

// act is Act, tried once.
func (r *Replica) act(ctx context.Context, commitmentID, kind string, a housing.CommitmentAction) (housing.Commitment, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := one[housing.Commitment](r, housing.RecordCommitment, commitmentID)
	if !ok {
		return c, housing.Errorf(housing.CodeNotFound, "That promise is not on this phone.")
	}
	p := r.principal()
	if err := housing.Authorize(p, c, kind); err != nil {
		return c, err
	}
	now := r.now()
	next, outcome, err := housing.Transition(c, housing.Act{Kind: kind, Action: a, By: p.OfficerID, ByName: p.Name, At: now, BaseVersion: c.Version})
	if err != nil {
		return c, err
	}
	if outcome == housing.Unchanged {
		return c, nil
	}
	var b Batch
	b.put(housing.RecordCommitment, c.ID, next)
	if _, ok := r.server[c.ID]; !ok {
		b.Put = append(b.Put, Record{Key: "server/" + c.ID, Data: r.records[housing.RecordCommitment+"/"+c.ID]})
	}
	r.enqueue(&b, kind, c.ID, c.Version, a, now)
	if err := r.commit(ctx, b); err != nil {
		return c, err
	}
	next.Token = r.tokens[c.ID]
	return next, nil
}

// Resend queues a refused change again, as a new mutation, after the officer
// has put right what the reason said (for example, been given the scope).
func (r *Replica) Resend(ctx context.Context, id string) error {
	return r.ResendCorrected(ctx, id, nil)
}

// resendCorrected is ResendCorrected, tried once.
func (r *Replica) resendCorrected(ctx context.Context, id string, data json.RawMessage) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.attention[id]
	if !ok || len(a.Data) == 0 {
		return housing.Errorf(housing.CodeNotFound, "There is nothing to resend for that item.")
	}
	if data == nil {
		data = a.Data
	}
	if len(data) > housing.MaxMutationBytes {
		return housing.Errorf(housing.CodeInvalid, "That is too long to send; shorten the notes and try again.")
	}
	var b Batch
	data, err := r.corrected(&b, a, data)
	if err != nil {
		return err
	}
	base := 0
	if c, ok := one[housing.Commitment](r, housing.RecordCommitment, a.RecordID); ok && strings.HasPrefix(a.Kind, "commitment.") && a.Kind != housing.KindCommitmentMake {
		base = c.Version
	}
	r.enqueue(&b, a.Kind, a.RecordID, base, data, r.now())
	b.DeleteAttention = []string{id}
	m := r.meta
	m.Dismissed = append(append([]string(nil), m.Dismissed...), id)
	b.Meta = &m
	return r.commit(ctx, b)
}

// corrected checks the data of a resent record and adds the phone's new
// copy of it to b; it returns the data to send. r.mu is held.
func (r *Replica) corrected(b *Batch, a housing.Attention, data json.RawMessage) (json.RawMessage, error) {
	invalid := housing.Errorf(housing.CodeInvalid, "The corrected record could not be read; start it again.")
	switch a.Kind {
	case housing.KindVisitRecord:
		var v housing.Visit
		if json.Unmarshal(data, &v) != nil || v.ID != a.RecordID {
			return nil, invalid
		}
		if err := v.Validate(); err != nil {
			return nil, err
		}
		b.put(housing.RecordVisit, v.ID, v)
		return mustJSON(v), nil
	case housing.KindCommitmentMake:
		var c housing.Commitment
		if json.Unmarshal(data, &c) != nil || c.ID != a.RecordID {
			return nil, invalid
		}
		if c.Token == "" {
			c.Token = r.tokens[c.ID]
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		stored := c
		stored.Token = ""
		b.put(housing.RecordCommitment, c.ID, stored)
		return mustJSON(c), nil
	case housing.KindFeedbackGive:
		var f housing.Feedback
		if json.Unmarshal(data, &f) != nil || f.ID != a.RecordID {
			return nil, invalid
		}
		if err := f.Validate(); err != nil {
			return nil, err
		}
		b.put(housing.RecordFeedback, f.ID, f)
		return mustJSON(f), nil
	}
	var act housing.CommitmentAction
	if json.Unmarshal(data, &act) != nil {
		return nil, invalid
	}
	return mustJSON(act), nil
}

// dismiss is Dismiss, tried once.
func (r *Replica) dismiss(ctx context.Context, id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b Batch
	b.DeleteAttention = []string{id}
	m := r.meta
	m.Dismissed = append(append([]string(nil), m.Dismissed...), id)
	b.Meta = &m
	return r.commit(ctx, b)
}

// Unsynced is what ExportUnsynced writes: every change still on the phone
// only, with the records it made, so nothing can be trapped on a phone.
type Unsynced struct {
	ExportedAt string                     `json:"exported_at"`
	Officer    housing.Officer            `json:"officer"`
	DeviceID   string                     `json:"device_id"`
	Mutations  []housing.Mutation         `json:"mutations"`
	Records    map[string]json.RawMessage `json:"records"`
	Attention  []housing.Attention        `json:"attention"`
}

// ExportUnsynced returns the unsynced changes as indented JSON.
func (r *Replica) ExportUnsynced() ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	u := Unsynced{ExportedAt: r.now().Format("2006-01-02T15:04:05Z07:00"), Officer: r.meta.Officer, DeviceID: r.meta.DeviceID,
		Mutations: append([]housing.Mutation{}, r.outbox...), Records: map[string]json.RawMessage{}, Attention: r.visibleAttention()}
	for _, m := range r.outbox {
		for _, kind := range []string{housing.RecordVisit, housing.RecordCommitment, housing.RecordFeedback} {
			if raw, ok := r.records[kind+"/"+m.RecordID]; ok {
				u.Records[kind+"/"+m.RecordID] = raw
			}
		}
	}
	return json.MarshalIndent(u, "", "  ")
}

// enqueue adds a mutation to b with the device's next number. r.mu is held.
func (r *Replica) enqueue(b *Batch, kind, id string, base int, data any, now time.Time) {
	b.Enqueue = append(b.Enqueue, housing.Mutation{
		Seq: r.meta.NextSeq + int64(len(b.Enqueue)), Kind: kind, RecordID: id, BaseVersion: base,
		HappenedAt: now, Data: mustJSON(data),
	})
}

// put adds a record to b.
func (b *Batch) put(kind, id string, v any) {
	b.Put = append(b.Put, Record{Key: kind + "/" + id, Data: mustJSON(v)})
}

// commit writes b to the store and, only once that succeeded, to memory:
// what the screens see is never ahead of what is durable. r.mu is held.
func (r *Replica) commit(ctx context.Context, b Batch) error {
	if !r.opened {
		return errNotOpen
	}
	m := r.meta
	if b.Meta != nil {
		m = *b.Meta
	}
	if len(b.Enqueue) > 0 && m.NextSeq == r.meta.NextSeq {
		// New mutations take the next numbers; a batch that numbers the
		// outbox again (after a gap) has set NextSeq itself.
		m.NextSeq = r.meta.NextSeq + int64(len(b.Enqueue))
	}
	m.Generation = r.meta.Generation + 1
	b.Meta, b.Base = &m, r.meta.Generation
	err := r.store.Apply(ctx, b)
	if errors.Is(err, ErrStale) {
		// Another tab wrote first: take up what it wrote, so that a retry
		// numbers and bases its changes on the phone's real state.
		if lerr := r.reload(ctx); lerr != nil {
			return fmt.Errorf("save on this phone: %w", lerr)
		}
		return ErrStale
	}
	if err != nil {
		return fmt.Errorf("save on this phone: %w", err)
	}
	r.applyMemory(b)
	return nil
}

// reload replaces the replica's memory with what the store holds. r.mu is
// held.
func (r *Replica) reload(ctx context.Context) error {
	snap, err := r.store.Load(ctx)
	if err != nil {
		return fmt.Errorf("reload replica: %w", err)
	}
	r.load(snap)
	return nil
}

// applyMemory mirrors a committed batch in memory. r.mu is held.
func (r *Replica) applyMemory(b Batch) {
	if b.Clear {
		r.load(Snapshot{})
	}
	if b.Meta != nil {
		r.meta = *b.Meta
	}
	for _, rec := range b.Put {
		r.putRecord(rec)
	}
	for _, k := range b.Delete {
		switch {
		case strings.HasPrefix(k, "token/"):
			delete(r.tokens, strings.TrimPrefix(k, "token/"))
		case strings.HasPrefix(k, "server/"):
			delete(r.server, strings.TrimPrefix(k, "server/"))
		default:
			delete(r.records, k)
			r.indexDelete(k)
		}
	}
	if len(b.Dequeue) > 0 {
		gone := map[int64]bool{}
		for _, s := range b.Dequeue {
			gone[s] = true
		}
		kept := r.outbox[:0:0]
		for _, m := range r.outbox {
			if !gone[m.Seq] {
				kept = append(kept, m)
			}
		}
		r.outbox = kept
	}
	r.outbox = append(r.outbox, b.Enqueue...)
	for _, a := range b.PutAttention {
		r.attention[a.ID] = a
	}
	for _, id := range b.DeleteAttention {
		delete(r.attention, id)
	}
}

// errNotOpen refuses a write before Open has read what the phone holds:
// writing then (a sign-in clearing the phone, a new mutation numbered from
// zero) could destroy records it has not seen.
var errNotOpen = housing.Errorf(housing.CodeInternal, "This phone's records are not loaded yet. Reload the page and try again.")

func mustJSON(v any) json.RawMessage {
	if raw, ok := v.(json.RawMessage); ok {
		return raw
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic("replica: encode: " + err.Error()) // only our own plain structs are encoded
	}
	return b
}
