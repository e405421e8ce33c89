package api_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"doorstep/app/remote"
	"doorstep/app/replica"
	"doorstep/server/api"
	"doorstep/server/demo"
	"doorstep/shared/housing"
)

// TestReplicaOverHTTP runs the phone's own data layer (app/replica over its
// in-memory store, app/remote over HTTP) against the server as wired, with
// real sign-ins: the replica's native tests use a fake server, and this is
// where the two meet.
func TestReplicaOverHTTP(t *testing.T) {
	ctx := context.Background()
	a := newAccounts(t)
	phone := func(t *testing.T, user string) *replica.Replica {
		t.Helper()
		r := replica.New(replica.NewMemStore(), remote.Transport{Client: remote.Client{BaseURL: a.url}},
			replica.Options{Now: func() time.Time { return a.now }})
		if err := r.Open(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := r.SignIn(ctx, user, demo.Password, "Work phone"); err != nil {
			t.Fatalf("%s signs in: %v", user, err)
		}
		if _, err := r.Sync(ctx); err != nil {
			t.Fatalf("%s's first sync: %v", user, err)
		}
		return r
	}
	sarah := phone(t, "sarah") // tenancy management at riverside
	tom := phone(t, "tom")     // repairs at riverside and northgate

	// Sarah promises a repair at a riverside tenancy; it must reach the
	// repairs team's phone, and their acknowledgement must come back.
	found, _ := sarah.SearchTenancies("", 1)
	if len(found) != 1 {
		t.Fatal("sarah's phone holds no tenancy after its first sync")
	}
	v, err := sarah.RecordVisit(ctx, housing.Visit{TenancyID: found[0].ID, Purpose: housing.PurposeRepairs},
		[]housing.Commitment{{What: "Replace the extractor fan", FunctionID: housing.FunctionRepairs, DueDate: housing.AddWorkingDays(housing.LocalDate(a.now), 10)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	made := sarah.Commitments(replica.CommitmentFilter{VisitID: v.ID})
	if len(made) != 1 || !housing.ValidToken(made[0].Token) {
		t.Fatalf("got %+v, want one promise with its tenant link", made)
	}
	promise := made[0]
	if rep, err := sarah.Sync(ctx); err != nil || rep.Pushed != 2 || rep.Refused != 0 {
		t.Fatalf("sarah's sync: got %+v, %v; want 2 pushed", rep, err)
	}

	if _, err := tom.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := tom.Act(ctx, promise.ID, housing.KindCommitmentAcknowledge, housing.CommitmentAction{}); err != nil {
		t.Fatalf("tom acknowledges: %v", err)
	}
	if rep, err := tom.Sync(ctx); err != nil || rep.Pushed != 1 {
		t.Fatalf("tom's sync: got %+v, %v; want the acknowledgement pushed", rep, err)
	}

	if _, err := sarah.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := sarah.Commitment(promise.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != housing.StatusAcknowledged {
		t.Errorf("sarah sees the promise %s, want acknowledged", got.Status)
	}
	if got.Token != promise.Token {
		t.Errorf("the promise lost its tenant link when the server's copy arrived")
	}

	// The server ends sarah's session while she works offline: her next
	// visit waits, sync pauses until she signs in again, then it goes.
	acct, _ := sarah.Account()
	if res, data := a.call(http.MethodDelete, api.SessionPath, acct.Token, nil); res.StatusCode != http.StatusNoContent {
		t.Fatalf("end sarah's session: got %s %s", res.Status, data)
	}
	if _, err := sarah.RecordVisit(ctx, housing.Visit{TenancyID: found[0].ID, Purpose: housing.PurposeWelfareCheck}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := sarah.Sync(ctx); !errors.Is(err, replica.ErrNeedsSignIn) {
		t.Fatalf("got %v syncing with an ended session, want ErrNeedsSignIn", err)
	}
	if s := sarah.Status(); !s.NeedsSignIn || s.Pending != 1 {
		t.Fatalf("got %+v, want a request to sign in and the visit still pending", s)
	}
	if _, err := sarah.SignIn(ctx, "sarah", demo.Password, "Work phone"); err != nil {
		t.Fatal(err)
	}
	if rep, err := sarah.Sync(ctx); err != nil || rep.Pushed != 1 {
		t.Fatalf("after signing in again: got %+v, %v; want the visit pushed", rep, err)
	}
	if again, _ := sarah.Account(); again.DeviceID != acct.DeviceID {
		t.Errorf("got device %s after signing in again, want %s: the numbering must go on", again.DeviceID, acct.DeviceID)
	}

	// A shared phone: once sarah's records are all synced, hannah signs in
	// and sees nothing of sarah's.
	if _, err := sarah.SignIn(ctx, "hannah", demo.Password, "Shared phone"); err != nil {
		t.Fatal(err)
	}
	if _, err := sarah.Visit(v.ID); housing.ErrorCode(err) != housing.CodeNotFound {
		t.Errorf("hannah's phone still shows sarah's visit (%v)", err)
	}
}
