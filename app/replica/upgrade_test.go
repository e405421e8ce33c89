package replica

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"doorstep/shared/housing"
)

// v1Snapshot is what the first release left on a phone: an officer with
// one unsynced visit.
func v1Snapshot() Snapshot {
	return Snapshot{
		Meta:    &Meta{SchemaVersion: 1, Officer: housing.Officer{ID: "o1", Username: "sarah"}, Token: "tok", DeviceID: "d1", NextSeq: 2},
		Records: []Record{{Key: "visit/v1", Data: json.RawMessage(`{"id":"v1","notes":"Boiler"}`)}},
		Outbox:  []housing.Mutation{{Seq: 1, Kind: housing.KindVisitRecord, RecordID: "v1", Data: json.RawMessage(`{"id":"v1","notes":"Boiler"}`)}},
	}
}

func TestUpgrade(t *testing.T) {
	t.Run("CurrentWritesNothing", func(t *testing.T) {
		snap := v1Snapshot()
		b, err := upgrade(&snap, 1, nil)
		if err != nil || b != nil {
			t.Errorf("got %+v, %v, want nothing to do", b, err)
		}
	})
	t.Run("NewPhone", func(t *testing.T) {
		b, err := upgrade(&Snapshot{}, 3, nil)
		if err != nil || b != nil {
			t.Errorf("got %+v, %v, want nothing to do", b, err)
		}
	})
	t.Run("StepsRunInOrderAndKeepEverything", func(t *testing.T) {
		var ran []int
		steps := map[int]func(*Snapshot) error{
			1: func(s *Snapshot) error {
				ran = append(ran, 1)
				s.Records[0].Data = json.RawMessage(`{"id":"v1","notes":"Boiler","v":2}`)
				return nil
			},
			2: func(s *Snapshot) error { ran = append(ran, 2); return nil },
		}
		snap := v1Snapshot()
		b, err := upgrade(&snap, 3, steps)
		if err != nil {
			t.Fatal(err)
		}
		if len(ran) != 2 || ran[0] != 1 || ran[1] != 2 {
			t.Errorf("got steps %v, want [1 2]", ran)
		}
		if b == nil || !b.Clear || b.Meta.SchemaVersion != 3 || b.Meta.NextSeq != 2 || b.Meta.Token != "tok" {
			t.Fatalf("got batch %+v, want the whole snapshot rewritten at version 3 with its numbering and token", b)
		}
		if len(b.Enqueue) != 1 || b.Enqueue[0].Seq != 1 || string(b.Put[0].Data) != `{"id":"v1","notes":"Boiler","v":2}` {
			t.Errorf("got outbox %+v and records %+v, want the unsynced visit, upgraded", b.Enqueue, b.Put)
		}
	})
	t.Run("MissingStep", func(t *testing.T) {
		snap := v1Snapshot()
		if _, err := upgrade(&snap, 2, nil); err == nil {
			t.Error("got no error without a step from version 1")
		}
	})
	t.Run("NewerRefused", func(t *testing.T) {
		snap := v1Snapshot()
		snap.Meta.SchemaVersion = SchemaVersion + 1
		if _, err := upgrade(&snap, SchemaVersion, upgrades); !errors.Is(err, ErrNewerSchema) {
			t.Errorf("got %v, want ErrNewerSchema", err)
		}
	})
}

// TestNewerSchemaWritesNothing is an old cached copy of the app opening a
// phone a newer release wrote to: it must not sign in over, number, or
// clear records it cannot read.
func TestNewerSchemaWritesNothing(t *testing.T) {
	store := NewMemStore()
	snap := v1Snapshot()
	snap.Meta.SchemaVersion = SchemaVersion + 1
	if err := store.Apply(context.Background(), Batch{Meta: snap.Meta, Put: snap.Records, Enqueue: snap.Outbox}); err != nil {
		t.Fatal(err)
	}
	before := store.Applies
	r := New(store, nil, Options{NewID: func() string { return "id" }})
	if err := r.Open(context.Background()); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("got %v, want ErrNewerSchema", err)
	}
	if err := r.SignOut(context.Background(), true); err == nil {
		t.Error("got no error signing out of a replica that failed to open")
	}
	if _, err := r.SignIn(context.Background(), "hannah", "pw", "phone"); err == nil {
		t.Error("got no error signing in to a replica that failed to open")
	}
	if store.Applies != before {
		t.Errorf("got %d writes to the store, want none", store.Applies-before)
	}
}
