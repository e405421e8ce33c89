package demo_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"doorstep/server/demo"
	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// historyDB returns a database holding the demo landlord and its history,
// made as if on the morning of now.
func historyDB(t *testing.T, now time.Time) *sqlite.DB {
	t.Helper()
	db := demotest.Empty(t)
	db.Now = func() time.Time { return now }
	if ok, err := demo.SeedWithHistory(context.Background(), db); err != nil || !ok {
		t.Fatalf("seed demo with history: got %v, %v; want true, nil", ok, err)
	}
	if got := db.Now(); !got.Equal(now) {
		t.Fatalf("after seeding the clock says %v, want it put back to %v", got, now)
	}
	return db
}

// allCommitments pulls every commitment as an admin's fresh device would.
func allCommitments(t *testing.T, db *sqlite.DB) []housing.Commitment {
	t.Helper()
	admin := housing.Principal{OfficerID: demo.OfficerID("admin"), Role: housing.RoleAdmin, DeviceID: "admin-laptop"}
	svc := &sqlite.SyncService{DB: db}
	var out []housing.Commitment
	cursor := ""
	for {
		resp, err := svc.Sync(context.Background(), admin, housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: admin.DeviceID, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range resp.Changes {
			if ch.Kind == housing.RecordCommitment && !ch.Removed {
				var c housing.Commitment
				if err := json.Unmarshal(ch.Data, &c); err != nil {
					t.Fatal(err)
				}
				out = append(out, c)
			}
		}
		cursor = resp.Cursor
		if !resp.HasMore {
			return out
		}
	}
}

func TestSeedWithHistory(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC) // a Monday morning
	db := historyDB(t, now)
	today := housing.DateOf(now)
	cs := allCommitments(t, db)

	count := map[string]int{}
	for _, c := range cs {
		count[string(c.Status)]++
		switch {
		case c.KeptLate():
			count["kept late"]++
		case c.KeptOnTime():
			count["kept on time"]++
		}
		if c.Overdue(today) {
			count["overdue"]++
		}
		if c.Unacknowledged(today) {
			count["unacknowledged"]++
		}
		if c.FunctionID == housing.FunctionComplaints {
			count["complaint"]++
		}
		if c.TenantAgreement == housing.TenantAgreed {
			count["agreed"]++
		}
		for _, e := range c.History {
			count[e.Kind]++
			if e.At.After(now) {
				t.Errorf("promise %s has an event in the future: %+v", c.ID, e)
			}
		}
		if c.MadeBy == "" || c.CreatedBy == "" || c.DeviceID == "" || c.ReceivedAt.IsZero() || c.ReceivedAt.After(now) {
			t.Errorf("promise %s lacks provenance: %+v", c.ID, c.Meta)
		}
	}
	t.Logf("%d promises: %v", len(cs), count)
	for _, want := range []string{"open", "acknowledged", "done", "kept", "disputed", "cancelled", "broken",
		"kept late", "kept on time", "overdue", "unacknowledged", "complaint", "agreed",
		housing.KindCommitmentReassign, housing.KindCommitmentExtend, housing.KindCommitmentEscalate} {
		if count[want] == 0 {
			t.Errorf("the demo history has no %q promise", want)
		}
	}
	if len(cs) < 100 {
		t.Errorf("got %d promises, want a few weeks' worth (100 or more)", len(cs))
	}

	var visits, feedback, answers int
	q := db.SQL().QueryRow(`SELECT (SELECT COUNT(*) FROM visits), (SELECT COUNT(*) FROM feedback), (SELECT COUNT(*) FROM feedback_answers)`)
	if err := q.Scan(&visits, &feedback, &answers); err != nil {
		t.Fatal(err)
	}
	if visits < 200 || feedback < 50 || answers < 4*40 {
		t.Errorf("got %d visits, %d feedback with %d answers; want a few weeks' worth", visits, feedback, answers)
	}

	t.Run("NeedsAttention", func(t *testing.T) {
		// A phone that had not synced cancels a promise its team had done:
		// refused, kept for the officer and the supervisors to see.
		rows, err := db.SQL().Query(`SELECT officer_id, kind, code, reason FROM attention`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var officer, kind, code, reason string
			if err := rows.Scan(&officer, &kind, &code, &reason); err != nil {
				t.Fatal(err)
			}
			n++
			if officer != demo.OfficerID("dan") || kind != housing.KindCommitmentCancel || code != housing.CodeIllegal || reason == "" {
				t.Errorf("got attention item %s %s %s %q; want dan's refused cancellation with its reason", officer, kind, code, reason)
			}
		}
		if n == 0 {
			t.Errorf("the demo history has nothing that needs attention")
		}
	})
	t.Run("RunsOnce", func(t *testing.T) {
		if ok, err := demo.SeedWithHistory(context.Background(), db); err != nil || ok {
			t.Fatalf("second seed: got %v, %v; want false, nil", ok, err)
		}
		var n int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM visits`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != visits {
			t.Errorf("got %d visits after a second call, want %d", n, visits)
		}
	})
	t.Run("Deterministic", func(t *testing.T) {
		again := allCommitments(t, historyDB(t, now))
		a, _ := json.Marshal(cs)
		b, _ := json.Marshal(again)
		if string(a) != string(b) {
			t.Errorf("two demo histories made on the same day differ")
		}
	})
	t.Run("TenantLinksWork", func(t *testing.T) {
		v, err := (&sqlite.TenantService{DB: db}).TenantCommitment(context.Background(), demo.TenantToken(cs[0].ID))
		if err != nil || v.Commitment.ID != cs[0].ID {
			t.Errorf("got %v, %v for the demo token of %s", v.Commitment.ID, err, cs[0].ID)
		}
	})
	t.Run("StaffSignIn", func(t *testing.T) {
		for _, u := range demo.Users {
			o, err := (&sqlite.OfficerService{DB: db}).Officer(context.Background(), demo.OfficerID(u.Username))
			if err != nil || o.Disabled {
				t.Errorf("demo account %s: got %+v, %v; want it switched on once the history is made", u.Username, o, err)
			}
		}
	})
}
