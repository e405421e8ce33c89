package replica_test

import (
	"encoding/json"
	"testing"

	"doorstep/app/replica"
	"doorstep/shared/housing"
)

// TestIndexFollowsEveryWrite builds the screens' index first, then checks
// that the phone's own writes and pulled pages (a new tenancy, a promise
// changed, a tenancy removed) reach every answer, and that a phone opened
// afresh from the same store, whose index is built from scratch, answers the
// same.
func TestIndexFollowsEveryWrite(t *testing.T) {
	srv := newFakeServer()
	p := newPhone(t, srv)
	if found, _ := p.r.SearchTenancies("khan", 10); len(found) != 1 {
		t.Fatalf("search for khan found %+v, want t1", found)
	}

	v, err := p.logVisit()
	if err != nil {
		t.Fatal(err)
	}
	if got := p.r.Visits("t1"); len(got) != 1 || got[0].ID != v.ID {
		t.Errorf("got visits %+v at t1, want the one just saved", got)
	}
	if got := p.r.Commitments(replica.CommitmentFilter{TenancyID: "t1"}); len(got) != 2 {
		t.Errorf("got %d promises at t1, want the 2 just made", len(got))
	}
	if got := p.r.Feedback("t1", v.ID); len(got) != 1 {
		t.Errorf("got %d feedback about the visit, want 1", len(got))
	}
	p.sync()

	srv.change(housing.RecordTenancy, "t3", housing.Tenancy{ID: "t3", Reference: "RIV-00003", Household: "Ms Zofia Nowak", Address: "3 River Walk, Salford", Postcode: "M6 5AC", SiteID: "riverside"})
	open := p.r.Commitments(replica.CommitmentFilter{OpenOnly: true})
	done := open[0]
	done.Status = housing.StatusKept
	srv.change(housing.RecordCommitment, done.ID, done)
	p.sync()
	if found, _ := p.r.SearchTenancies("NOWAK m6", 10); len(found) != 1 || found[0].ID != "t3" {
		t.Errorf("search found %+v, want the pulled tenancy t3", found)
	}
	if got := p.r.Commitments(replica.CommitmentFilter{OpenOnly: true}); len(got) != len(open)-1 {
		t.Errorf("got %d open promises after one was kept, want %d", len(got), len(open)-1)
	}

	srv.log = append(srv.log, housing.Change{Seq: int64(len(srv.log) + 1), Kind: housing.RecordTenancy, ID: "t3", Removed: true})
	p.sync()
	if found, held := p.r.SearchTenancies("nowak", 10); len(found) != 0 || held != 2 {
		t.Errorf("search found %+v of %d held, want t3 gone and 2 held", found, held)
	}

	answers := func() string {
		found, held := p.r.SearchTenancies("", 100)
		b, _ := json.Marshal([]any{found, held, p.r.Visits(""), p.r.Commitments(replica.CommitmentFilter{}),
			p.r.Commitments(replica.CommitmentFilter{OpenOnly: true}), p.r.Feedback("t1", ""), p.r.Day("2026-11-30")})
		return string(b)
	}
	before := answers()
	p.reopen()
	if after := answers(); after != before {
		t.Errorf("a phone opened afresh answers differently:\nkept up: %s\nafresh:  %s", before, after)
	}
}
