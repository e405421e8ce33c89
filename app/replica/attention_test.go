package replica_test

import (
	"context"
	"encoding/json"
	"testing"

	"doorstep/app/replica"
	"doorstep/shared/housing"
)

func TestResendCorrected(t *testing.T) {
	ctx := context.Background()
	srv := newFakeServer()
	srv.reject[housing.KindVisitRecord] = true
	p := newPhone(t, srv)
	v, _ := p.logVisit()
	p.sync()
	att := p.r.Attention()
	if len(att) != 1 || att[0].Kind != housing.KindVisitRecord {
		t.Fatalf("got attention %+v, want the refused visit", att)
	}
	srv.reject = map[string]bool{}

	t.Run("InvalidChangesNothing", func(t *testing.T) {
		bad := v
		bad.Purpose = "gardening"
		err := p.r.ResendCorrected(ctx, att[0].ID, mustMarshal(t, bad))
		if housing.ErrorCode(err) != housing.CodeInvalid {
			t.Fatalf("got %v, want invalid", err)
		}
		if got := p.r.Status(); got.Pending != 0 || got.Attention != 1 {
			t.Errorf("got %d pending and %d attention, want 0 and 1", got.Pending, got.Attention)
		}
	})
	t.Run("AnotherRecordRefused", func(t *testing.T) {
		other := v
		other.ID = "someone-elses"
		if err := p.r.ResendCorrected(ctx, att[0].ID, mustMarshal(t, other)); housing.ErrorCode(err) != housing.CodeInvalid {
			t.Errorf("got %v resending another record's data, want invalid", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		fixed := v
		fixed.Notes = "Corrected: boiler checked"
		if err := p.r.ResendCorrected(ctx, att[0].ID, mustMarshal(t, fixed)); err != nil {
			t.Fatal(err)
		}
		if got, _ := p.r.Visit(v.ID); got.Notes != fixed.Notes {
			t.Errorf("got notes %q on the phone, want the correction", got.Notes)
		}
		out := p.outbox()
		if len(out) != 1 || out[0].Seq != 5 || out[0].Kind != housing.KindVisitRecord {
			t.Fatalf("got outbox %+v, want the visit again as mutation 5", out)
		}
		p.sync()
		var stored housing.Visit
		json.Unmarshal(srv.records["visit/"+v.ID], &stored)
		if stored.Notes != fixed.Notes {
			t.Errorf("got notes %q on the server, want the correction", stored.Notes)
		}
	})
	t.Run("StaysDealtWith", func(t *testing.T) {
		// The server sends its own copy of the refusal (as it does for the
		// officer's other devices): it must not come back here.
		a := att[0]
		srv.change(housing.RecordAttention, a.ID, a)
		p.sync()
		if got := len(p.r.Attention()); got != 0 {
			t.Errorf("got %d attention items, want the resent one to stay dealt with", got)
		}
	})
}

// TestSyncNoProgress is a server that answers but takes nothing: Sync
// stops, keeps the outbox and says so, instead of asking again and again.
func TestSyncNoProgress(t *testing.T) {
	srv := newFakeServer()
	p := newPhone(t, srv)
	p.logVisit()
	calls := 0
	tr := transportFunc(func(ctx context.Context, token string, req housing.SyncRequest) (housing.SyncResponse, error) {
		calls++
		return housing.SyncResponse{Protocol: 1, Cursor: req.Cursor}, nil
	})
	p.r = replica.New(p.store, tr, replica.Options{})
	if err := p.r.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := p.r.Sync(context.Background()); err == nil {
		t.Fatal("got no error when the server took nothing")
	}
	if s := p.r.Status(); calls != 1 || s.Pending != 4 || s.LastError == "" {
		t.Errorf("got %d calls, %d pending, error %q; want 1 call, 4 pending and the error shown", calls, s.Pending, s.LastError)
	}
}

func mustMarshal(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
