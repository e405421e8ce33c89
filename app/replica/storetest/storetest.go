// Package storetest is one contract test body for replica.Store. It runs
// against replica.MemStore natively and against app/idb in Chromium, so the
// in-memory store the replica's tests use behaves as the phone's real one.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"doorstep/app/replica"
	"doorstep/shared/housing"
)

// Opener opens the store called name. Opening a name again must give a
// store over the same data, as a reload of the page does; each test uses
// names of its own.
type Opener func(t *testing.T, name string) replica.Store

// Run runs the Store contract against the stores open returns.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		test func(t *testing.T, open func() replica.Store)
	}{
		{"Empty", testEmpty},
		{"RoundTrip", testRoundTrip},
		{"OutboxInSeqOrder", testOutboxOrder},
		{"PutReplaces", testPutReplaces},
		{"DeleteAndDequeue", testDeleteAndDequeue},
		{"ClearThenWrite", testClear},
		{"StaleBatchRefused", testStale},
		{"RenumberInOneBatch", testRenumber},
		{"ReplicaSurvivesReload", testReplicaSurvivesReload},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "storetest-" + t.Name()
			tt.test(t, func() replica.Store { return open(t, name) })
		})
	}
}

var ctx = context.Background()

func load(t *testing.T, s replica.Store) replica.Snapshot {
	t.Helper()
	snap, err := s.Load(ctx)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return snap
}

func apply(t *testing.T, s replica.Store, b replica.Batch) {
	t.Helper()
	if err := s.Apply(ctx, b); err != nil {
		t.Fatalf("apply: %v", err)
	}
}

func mutation(seq int64) housing.Mutation {
	return housing.Mutation{Seq: seq, Kind: housing.KindVisitRecord, RecordID: fmt.Sprintf("v%d", seq),
		HappenedAt: time.Date(2026, 11, 23, 9, 0, int(seq%60), 0, time.UTC), Data: json.RawMessage(`{"id":"v` + fmt.Sprint(seq) + `"}`)}
}

func seqs(ms []housing.Mutation) []int64 {
	out := []int64{}
	for _, m := range ms {
		out = append(out, m.Seq)
	}
	return out
}

func keys(rs []replica.Record) map[string]string {
	out := map[string]string{}
	for _, r := range rs {
		out[r.Key] = string(r.Data)
	}
	return out
}

func testEmpty(t *testing.T, open func() replica.Store) {
	snap := load(t, open())
	if snap.Meta != nil || len(snap.Records) != 0 || len(snap.Outbox) != 0 || len(snap.Attention) != 0 {
		t.Errorf("got %+v from a new store, want nothing", snap)
	}
}

func testRoundTrip(t *testing.T, open func() replica.Store) {
	meta := replica.Meta{SchemaVersion: replica.SchemaVersion, Officer: housing.Officer{ID: "o1", Username: "sarah", Name: "Sarah Okafor"},
		Token: "tok", DeviceID: "d1", NextSeq: 3, Cursor: "42", LastSync: time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)}
	att := housing.Attention{ID: "d1:1", DeviceID: "d1", Seq: 1, Kind: housing.KindFeedbackGive, RecordID: "f1",
		Code: housing.CodeForbidden, Reason: "Not yours.", Data: json.RawMessage(`{"id":"f1"}`), ReceivedAt: time.Date(2026, 11, 23, 9, 31, 0, 0, time.UTC)}
	apply(t, open(), replica.Batch{
		Meta:         &meta,
		Put:          []replica.Record{{Key: "visit/v1", Data: json.RawMessage(`{"id":"v1"}`)}, {Key: "token/c1", Data: json.RawMessage(`"abc"`)}},
		Enqueue:      []housing.Mutation{mutation(1), mutation(2)},
		PutAttention: []housing.Attention{att},
	})

	snap := load(t, open()) // as after a reload
	if snap.Meta == nil {
		t.Fatal("got no meta back")
	}
	if got := *snap.Meta; !reflect.DeepEqual(got, meta) {
		t.Errorf("got meta %+v, want %+v", got, meta)
	}
	if got, want := keys(snap.Records), map[string]string{"visit/v1": `{"id":"v1"}`, "token/c1": `"abc"`}; !reflect.DeepEqual(got, want) {
		t.Errorf("got records %v, want %v", got, want)
	}
	if got, want := snap.Outbox, []housing.Mutation{mutation(1), mutation(2)}; !reflect.DeepEqual(got, want) {
		t.Errorf("got outbox %+v, want %+v", got, want)
	}
	if len(snap.Attention) != 1 || !reflect.DeepEqual(snap.Attention[0], att) {
		t.Errorf("got attention %+v, want %+v", snap.Attention, att)
	}
}

// testOutboxOrder catches a store that orders mutation numbers as text,
// where 10 sorts before 9 and the server would see a gap.
func testOutboxOrder(t *testing.T, open func() replica.Store) {
	s := open()
	var b1, b2 replica.Batch
	for seq := int64(1); seq <= 9; seq++ {
		b1.Enqueue = append(b1.Enqueue, mutation(seq))
	}
	for seq := int64(100); seq >= 10; seq-- {
		b2.Enqueue = append(b2.Enqueue, mutation(seq))
	}
	apply(t, s, b1)
	apply(t, s, b2)
	got := seqs(load(t, open()).Outbox)
	if len(got) != 100 {
		t.Fatalf("got %d mutations, want 100", len(got))
	}
	for i, seq := range got {
		if seq != int64(i+1) {
			t.Fatalf("got outbox order %v, want 1 to 100", got)
		}
	}
}

func testPutReplaces(t *testing.T, open func() replica.Store) {
	s := open()
	apply(t, s, replica.Batch{Put: []replica.Record{{Key: "commitment/c1", Data: json.RawMessage(`{"status":"open"}`)}}})
	apply(t, s, replica.Batch{Put: []replica.Record{{Key: "commitment/c1", Data: json.RawMessage(`{"status":"done"}`)}}})
	if got, want := keys(load(t, open()).Records), map[string]string{"commitment/c1": `{"status":"done"}`}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func testDeleteAndDequeue(t *testing.T, open func() replica.Store) {
	s := open()
	apply(t, s, replica.Batch{
		Put:          []replica.Record{{Key: "visit/v1", Data: json.RawMessage(`{}`)}, {Key: "visit/v2", Data: json.RawMessage(`{}`)}},
		Enqueue:      []housing.Mutation{mutation(1), mutation(2), mutation(3)},
		PutAttention: []housing.Attention{{ID: "d1:1"}, {ID: "d1:2"}},
	})
	// One batch, as a sync round applies it: acknowledged entries leave,
	// a pulled removal deletes, an attention item is dealt with. Deleting
	// what is not there is no error.
	apply(t, s, replica.Batch{Delete: []string{"visit/v1", "visit/nowhere"}, Dequeue: []int64{1, 2, 99}, DeleteAttention: []string{"d1:1", "nowhere"}})
	snap := load(t, open())
	if got, want := keys(snap.Records), map[string]string{"visit/v2": `{}`}; !reflect.DeepEqual(got, want) {
		t.Errorf("got records %v, want %v", got, want)
	}
	if got := seqs(snap.Outbox); !reflect.DeepEqual(got, []int64{3}) {
		t.Errorf("got outbox %v, want [3]", got)
	}
	if len(snap.Attention) != 1 || snap.Attention[0].ID != "d1:2" {
		t.Errorf("got attention %+v, want only d1:2", snap.Attention)
	}
}

// testClear is a new officer on a shared phone: everything of the previous
// one goes, in the same transaction that writes the new officer's meta.
func testClear(t *testing.T, open func() replica.Store) {
	s := open()
	apply(t, s, replica.Batch{
		Meta:         &replica.Meta{SchemaVersion: replica.SchemaVersion, Officer: housing.Officer{ID: "sarah"}, DeviceID: "d1", NextSeq: 2},
		Put:          []replica.Record{{Key: "visit/v1", Data: json.RawMessage(`{}`)}},
		Enqueue:      []housing.Mutation{mutation(1)},
		PutAttention: []housing.Attention{{ID: "d1:1"}},
	})
	next := replica.Meta{SchemaVersion: replica.SchemaVersion, Officer: housing.Officer{ID: "hannah"}, DeviceID: "d2", NextSeq: 1}
	apply(t, s, replica.Batch{Clear: true, Meta: &next, Put: []replica.Record{{Key: "site/s1", Data: json.RawMessage(`{}`)}}})
	snap := load(t, open())
	if snap.Meta == nil || snap.Meta.Officer.ID != "hannah" || snap.Meta.DeviceID != "d2" {
		t.Errorf("got meta %+v, want hannah's", snap.Meta)
	}
	if got, want := keys(snap.Records), map[string]string{"site/s1": `{}`}; !reflect.DeepEqual(got, want) {
		t.Errorf("got records %v, want only what the clearing batch wrote", got)
	}
	if len(snap.Outbox) != 0 || len(snap.Attention) != 0 {
		t.Errorf("got %d outbox entries and %d attention items after a clear, want none", len(snap.Outbox), len(snap.Attention))
	}
}

// testStale is two tabs of the app: a batch built on an older generation
// of the meta than the one stored is refused whole, so the tab that is
// behind cannot reuse a mutation number or clear what it has not seen.
func testStale(t *testing.T, open func() replica.Store) {
	s := open()
	meta := func(gen int64, next int64) *replica.Meta {
		return &replica.Meta{SchemaVersion: replica.SchemaVersion, DeviceID: "d1", NextSeq: next, Generation: gen}
	}
	apply(t, s, replica.Batch{Base: 0, Meta: meta(1, 2), Enqueue: []housing.Mutation{mutation(1)}}) // tab A
	behind := replica.Batch{Base: 0, Meta: meta(1, 2), Put: []replica.Record{{Key: "visit/b", Data: json.RawMessage(`{}`)}},
		Enqueue: []housing.Mutation{{Seq: 1, Kind: housing.KindVisitRecord, RecordID: "b", Data: json.RawMessage(`{}`)}}} // tab B
	if err := s.Apply(ctx, behind); !errors.Is(err, replica.ErrStale) {
		t.Fatalf("got %v for a batch on generation 0 over generation 1, want ErrStale", err)
	}
	behind.Clear = true
	if err := open().Apply(ctx, behind); !errors.Is(err, replica.ErrStale) {
		t.Fatalf("got %v for a stale clearing batch, want ErrStale", err)
	}
	snap := load(t, open())
	if len(snap.Outbox) != 1 || snap.Outbox[0].RecordID != "v1" || len(snap.Records) != 0 || snap.Meta.Generation != 1 {
		t.Fatalf("got outbox %+v, %d records, generation %d after stale batches; want tab A's alone", snap.Outbox, len(snap.Records), snap.Meta.Generation)
	}
	apply(t, s, replica.Batch{Base: 1, Meta: meta(2, 3), Enqueue: []housing.Mutation{mutation(2)}})
	if got := seqs(load(t, open()).Outbox); !reflect.DeepEqual(got, []int64{1, 2}) {
		t.Errorf("got outbox %v after a batch on the current generation, want [1 2]", got)
	}
}

// testRenumber is the outbox numbered again after a server lost mutations:
// a store dequeues before it enqueues, so a number both dropped and written
// holds the renumbered mutation.
func testRenumber(t *testing.T, open func() replica.Store) {
	s := open()
	var b replica.Batch
	for seq := int64(5); seq <= 8; seq++ {
		b.Enqueue = append(b.Enqueue, mutation(seq))
	}
	apply(t, s, b)
	var again replica.Batch
	for i, seq := range []int64{5, 6, 7, 8} {
		again.Dequeue = append(again.Dequeue, seq)
		m := mutation(seq)
		m.Seq = int64(2 + i)
		again.Enqueue = append(again.Enqueue, m)
	}
	apply(t, s, again)
	out := load(t, open()).Outbox
	if got := seqs(out); !reflect.DeepEqual(got, []int64{2, 3, 4, 5}) {
		t.Fatalf("got outbox %v, want [2 3 4 5]", got)
	}
	if out[3].RecordID != "v8" {
		t.Errorf("got %s as mutation 5, want v8, renumbered", out[3].RecordID)
	}
}
