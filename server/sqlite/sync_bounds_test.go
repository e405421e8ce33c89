package sqlite_test

import (
	"strings"
	"testing"
	"time"

	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// boundsFixture is a store whose clock reads 10:00 on the day the synctest
// devices say their mutations happened (2026-11-23), with tom (tenancy,
// riverside) and sue (his supervisor) on their phones.
func boundsFixture(t *testing.T) (*sqlite.DB, synctest.Fixture, *synctest.Device, *synctest.Device) {
	t.Helper()
	db := demotest.Empty(t)
	db.Now = func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }
	fx := synctest.Seed(t, db.SQL())
	svc := &sqlite.SyncService{DB: db, PageChanges: synctest.PageChanges}
	return db, fx, synctest.NewDevice(t, svc, fx, "tom", "tom-phone"), synctest.NewDevice(t, svc, fx, "sue", "sue-phone")
}

// wantRefused fails the test unless r is rejected with code and a reason
// containing reason.
func wantRefused(t *testing.T, r housing.Result, code, reason string) {
	t.Helper()
	if r.Status != housing.ResultRejected || r.Code != code || !strings.Contains(r.Reason, reason) {
		t.Fatalf("got %s %s %q, want rejected %s with a reason containing %q", r.Status, r.Code, r.Reason, code, reason)
	}
}

func countRows(t *testing.T, db *sqlite.DB, table, id string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM `+table+` WHERE id = ?`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestMakeCommitmentBounds checks that a new promise whose due date, service
// standard or owner is out of bounds is rejected with a plain reason and
// stored nowhere, one at a time and in a run of new promises (the bulk path),
// and that the bounds themselves are accepted.
func TestMakeCommitmentBounds(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*housing.Commitment)
		reason string // "" means applied
	}{
		{"OKDueTheSameDay", func(c *housing.Commitment) { c.DueDate = "2026-11-23" }, ""},
		{"OKDueThreeYearsAhead", func(c *housing.Commitment) { c.DueDate = "2029-11-23" }, ""},
		{"OKStandardOfTheTeam", func(c *housing.Commitment) { c.FunctionID, c.StandardID = housing.FunctionRepairs, "repairs.routine" }, ""},
		{"OKOwnerInTheTeam", func(c *housing.Commitment) { c.FunctionID, c.OwnerID = housing.FunctionRepairs, "rita" }, ""},
		{"ErrDueLongAgo", func(c *housing.Commitment) { c.DueDate = "1999-01-01" }, "more than a year before"},
		{"OKDueTheDayBefore", func(c *housing.Commitment) { c.DueDate = "2026-11-22" }, ""},
		{"ErrDueFarAhead", func(c *housing.Commitment) { c.DueDate = "9999-12-31" }, "more than 3 years ahead"},
		{"ErrDueJustOverThreeYears", func(c *housing.Commitment) { c.DueDate = "2029-11-24" }, "more than 3 years ahead"},
		{"ErrUnknownStandard", func(c *housing.Commitment) { c.StandardID = "nope" }, `no service standard called "nope"`},
		{"ErrStandardOfAnotherTeam", func(c *housing.Commitment) { c.StandardID = "repairs.routine" }, "belongs to another team"},
		{"ErrOwnerNotInTheTeam", func(c *housing.Commitment) { c.FunctionID, c.OwnerID = housing.FunctionRepairs, "tom" }, "not in the repairs team"},
		{"ErrOwnerDisabled", func(c *housing.Commitment) { c.FunctionID, c.OwnerID = housing.FunctionRepairs, "gone" }, "can no longer sign in"},
	} {
		for _, bulk := range []bool{false, true} {
			name := tc.name
			if bulk {
				name += "/InARun"
			}
			t.Run(name, func(t *testing.T) {
				db, fx, tom, _ := boundsFixture(t)
				if _, err := db.SQL().Exec(`INSERT INTO officers (id, username, name, role, password_hash, disabled, created_at)
					VALUES ('gone', 'gone', 'Gone Away', 'officer', 'not-a-hash', 1, '2026-01-01T00:00:00Z')`); err != nil {
					t.Fatal(err)
				}
				if _, err := db.SQL().Exec(`INSERT INTO officer_functions (officer_id, function_id) VALUES ('gone', 'repairs')`); err != nil {
					t.Fatal(err)
				}
				c := synctest.NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionTenancy)
				tc.change(&c)
				ms := []housing.Mutation{tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c)}
				var good housing.Commitment
				if bulk {
					// A good promise beside it sends the run down the bulk
					// path, which must refuse the same promises.
					good = synctest.NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionTenancy)
					ms = append(ms, tom.Mutation(housing.KindCommitmentMake, good.ID, 0, good))
				}
				resp := tom.Push(ms...)
				if tc.reason == "" {
					if r := resp.Results[0]; r.Status != housing.ResultApplied {
						t.Fatalf("got %s %s %q, want applied", r.Status, r.Code, r.Reason)
					}
					return
				}
				wantRefused(t, resp.Results[0], housing.CodeInvalid, tc.reason)
				if n := countRows(t, db, "commitments", c.ID); n != 0 {
					t.Errorf("a refused promise was stored")
				}
				if bulk && resp.Results[1].Status != housing.ResultApplied {
					t.Errorf("the good promise beside it: got %s %q, want applied", resp.Results[1].Status, resp.Results[1].Reason)
				}
			})
		}
	}
}

// TestExtendCommitmentBounds checks that an extension to a date before the
// day it was made, or years ahead, is rejected and leaves the due date the
// tenant sees unchanged.
func TestExtendCommitmentBounds(t *testing.T) {
	for _, tc := range []struct {
		name, due, reason string
	}{
		{"OK", "2026-11-30", ""},
		{"ErrLongAgo", "2020-01-01", "more than a year before"},
		{"ErrFarAhead", "9999-12-31", "years ahead"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, fx, tom, _ := boundsFixture(t)
			c := synctest.NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionTenancy)
			if r := tom.Push(tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c)).Results[0]; r.Status != housing.ResultApplied {
				t.Fatalf("make: %s %q", r.Status, r.Reason)
			}
			r := tom.Push(tom.Mutation(housing.KindCommitmentExtend, c.ID, 1, housing.CommitmentAction{DueDate: housing.Date(tc.due), Reason: "Parts on order"})).Results[0]
			var due string
			if err := db.SQL().QueryRow(`SELECT due_date FROM commitments WHERE id = ?`, c.ID).Scan(&due); err != nil {
				t.Fatal(err)
			}
			if tc.reason == "" {
				if r.Status != housing.ResultApplied || due != tc.due {
					t.Fatalf("got %s %q and due %s, want applied and due %s", r.Status, r.Reason, due, tc.due)
				}
				return
			}
			wantRefused(t, r, housing.CodeInvalid, tc.reason)
			if due != string(c.DueDate) {
				t.Errorf("due date is %s after a refused extension, want %s", due, c.DueDate)
			}
		})
	}
}

// TestReassignCommitmentOwner checks that a promise cannot be given to an
// officer outside the team that will own it.
func TestReassignCommitmentOwner(t *testing.T) {
	db, fx, tom, _ := boundsFixture(t)
	c := synctest.NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionTenancy)
	tom.Push(tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c))
	r := tom.Push(tom.Mutation(housing.KindCommitmentReassign, c.ID, 1,
		housing.CommitmentAction{FunctionID: housing.FunctionRepairs, OwnerID: "tom", Reason: "Repairs job"})).Results[0]
	wantRefused(t, r, housing.CodeInvalid, "not in the repairs team")
	var fn, owner string
	if err := db.SQL().QueryRow(`SELECT function_id, owner_id FROM commitments WHERE id = ?`, c.ID).Scan(&fn, &owner); err != nil {
		t.Fatal(err)
	}
	if fn != housing.FunctionTenancy || owner != "" {
		t.Errorf("owner is %s/%s after a refused reassign, want tenancy and none", fn, owner)
	}
	r = tom.Push(tom.Mutation(housing.KindCommitmentReassign, c.ID, 1,
		housing.CommitmentAction{FunctionID: housing.FunctionRepairs, OwnerID: "rita", Reason: "Repairs job"})).Results[0]
	if r.Status != housing.ResultApplied {
		t.Fatalf("reassign to rita, in repairs: got %s %q, want applied", r.Status, r.Reason)
	}
}

// TestBreakOwnPromiseRefusal checks that an officer breaking their own
// promise is told what is true: only supervisors mark a promise broken.
func TestBreakOwnPromiseRefusal(t *testing.T) {
	_, fx, tom, sue := boundsFixture(t)
	c := synctest.NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionTenancy)
	tom.Push(tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c))
	r := tom.Push(tom.Mutation(housing.KindCommitmentBreak, c.ID, 1, housing.CommitmentAction{Reason: "Sorry"})).Results[0]
	wantRefused(t, r, housing.CodeForbidden, "Only a supervisor can mark a promise broken.")
	if strings.Contains(r.Reason, "someone else") {
		t.Errorf("reason %q says someone else made tom's promise", r.Reason)
	}
	sue.PullAll()
	if r := sue.Push(sue.Mutation(housing.KindCommitmentBreak, c.ID, 1, housing.CommitmentAction{Reason: "Sorry"})).Results[0]; r.Status != housing.ResultApplied {
		t.Fatalf("supervisor's break: got %s %q, want applied", r.Status, r.Reason)
	}
}

// TestRecordVisitBounds checks that a visit's times must lie between 2000
// and a day past the server's clock.
func TestRecordVisitBounds(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		start    time.Time
		duration time.Duration
		reason   string
	}{
		{"OK", now.Add(-time.Hour), 20 * time.Minute, ""},
		{"OKPhoneClockHoursAhead", now.Add(5 * time.Hour), 20 * time.Minute, ""},
		{"ErrYearOne", time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), 0, "before 2000"},
		{"ErrFuture", now.Add(72 * time.Hour), 0, "in the future"},
		{"ErrEndsInTheFuture", now.Add(-time.Hour), 1000 * time.Hour, "in the future"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, fx, tom, _ := boundsFixture(t)
			v := synctest.NewVisit(tom.P, fx.Tenancies["riv1"])
			v.StartedAt, v.EndedAt = tc.start, time.Time{}
			if tc.duration > 0 {
				v.EndedAt = tc.start.Add(tc.duration)
			}
			r := tom.Push(tom.Mutation(housing.KindVisitRecord, v.ID, 0, v)).Results[0]
			if tc.reason == "" {
				if r.Status != housing.ResultApplied {
					t.Fatalf("got %s %q, want applied", r.Status, r.Reason)
				}
				return
			}
			wantRefused(t, r, housing.CodeInvalid, tc.reason)
			if n := countRows(t, db, "visits", v.ID); n != 0 {
				t.Errorf("a refused visit was stored")
			}
		})
	}
}
