package replica

import (
	"context"
	"errors"
	"sort"
	"sync"

	"doorstep/shared/housing"
)

// MemStore is a Store in memory, for native tests. FailNext makes the next
// Apply fail without writing anything, as a full disk or a closed tab would.
type MemStore struct {
	mu        sync.Mutex
	meta      *Meta
	records   map[string]Record
	outbox    map[int64]housing.Mutation
	attention map[string]housing.Attention
	FailNext  bool
	Applies   int
}

// ErrStoreFailed is what a MemStore told to fail returns.
var ErrStoreFailed = errors.New("memstore: write failed")

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore {
	return &MemStore{records: map[string]Record{}, outbox: map[int64]housing.Mutation{}, attention: map[string]housing.Attention{}}
}

func (s *MemStore) Load(ctx context.Context) (Snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var snap Snapshot
	if s.meta != nil {
		m := *s.meta
		snap.Meta = &m
	}
	for _, r := range s.records {
		snap.Records = append(snap.Records, r)
	}
	sort.Slice(snap.Records, func(i, j int) bool { return snap.Records[i].Key < snap.Records[j].Key })
	for _, m := range s.outbox {
		snap.Outbox = append(snap.Outbox, m)
	}
	sort.Slice(snap.Outbox, func(i, j int) bool { return snap.Outbox[i].Seq < snap.Outbox[j].Seq })
	for _, a := range s.attention {
		snap.Attention = append(snap.Attention, a)
	}
	sort.Slice(snap.Attention, func(i, j int) bool { return snap.Attention[i].ID < snap.Attention[j].ID })
	return snap, nil
}

func (s *MemStore) Apply(ctx context.Context, b Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.FailNext {
		s.FailNext = false
		return ErrStoreFailed
	}
	var stored int64
	if s.meta != nil {
		stored = s.meta.Generation
	}
	if b.Base != stored {
		return ErrStale
	}
	s.Applies++
	if b.Clear {
		s.meta = nil
		s.records = map[string]Record{}
		s.outbox = map[int64]housing.Mutation{}
		s.attention = map[string]housing.Attention{}
	}
	if b.Meta != nil {
		m := *b.Meta
		s.meta = &m
	}
	for _, r := range b.Put {
		s.records[r.Key] = r
	}
	for _, k := range b.Delete {
		delete(s.records, k)
	}
	for _, seq := range b.Dequeue {
		delete(s.outbox, seq)
	}
	for _, m := range b.Enqueue {
		s.outbox[m.Seq] = m
	}
	for _, a := range b.PutAttention {
		s.attention[a.ID] = a
	}
	for _, id := range b.DeleteAttention {
		delete(s.attention, id)
	}
	return nil
}
