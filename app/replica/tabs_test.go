package replica_test

import (
	"context"
	"testing"

	"doorstep/app/replica"
	"doorstep/shared/housing"
)

// TestTwoTabs is the app open in two tabs of one phone: each holds the
// replica in memory over the same store. The tab that is behind must take
// up the other's writes, never reuse its mutation numbers (the server
// would drop the second visit as a duplicate) and never clear them.
func TestTwoTabs(t *testing.T) {
	ctx := context.Background()
	srv := newFakeServer()
	a := newPhone(t, srv)
	b := &phone{t: t, store: a.store, srv: srv}
	b.reopen() // tab B opens, then tab A saves
	if _, err := a.logVisit(); err != nil {
		t.Fatal(err)
	}

	if _, err := b.logVisit(); err != nil {
		t.Fatalf("tab B's save: %v", err)
	}
	out := a.outbox()
	if len(out) != 8 {
		t.Fatalf("got %d mutations stored, want both tabs' 8", len(out))
	}
	for i, m := range out {
		if m.Seq != int64(i+1) {
			t.Fatalf("got mutation numbers %v, want 1 to 8", seqs(out))
		}
	}

	t.Run("SignOutBehindRefused", func(t *testing.T) {
		a.reopen()
		if _, err := b.logVisit(); err != nil { // tab A is now behind
			t.Fatal(err)
		}
		err := a.r.SignOut(ctx, true)
		if housing.ErrorCode(err) != housing.CodeConflict {
			t.Fatalf("got %v signing out in the tab that is behind, want a refusal", err)
		}
		if got := len(a.outbox()); got != 12 {
			t.Errorf("got %d mutations stored, want all 12 kept", got)
		}
	})

	t.Run("SyncBehindConverges", func(t *testing.T) {
		a.reopen()
		if _, err := b.logVisit(); err != nil { // tab A is behind again
			t.Fatal(err)
		}
		a.sync()
		if srv.applied != 16 || len(a.outbox()) != 0 {
			t.Errorf("got %d applied and %d left, want all 16 applied once", srv.applied, len(a.outbox()))
		}
		b.reopen()
		if got := b.r.Status().Pending; got != 0 {
			t.Errorf("tab B shows %d pending after tab A synced, want 0", got)
		}
	})
}

func seqs(ms []housing.Mutation) []int64 {
	var out []int64
	for _, m := range ms {
		out = append(out, m.Seq)
	}
	return out
}

var _ replica.Store = (*replica.MemStore)(nil)
