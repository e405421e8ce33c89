package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"doorstep/app/replica"
	"doorstep/shared/housing"
)

// ackServer is the least a sync server does: it signs in anyone, numbers
// one device's mutations and answers each batch with the records it stored,
// without their tenant link tokens, as the real server does.
type ackServer struct {
	last    int64
	changes []housing.Change
}

func (s *ackServer) SignIn(ctx context.Context, in housing.SignIn) (housing.Session, error) {
	o := housing.Officer{ID: "officer-" + in.Username, Username: in.Username, Name: "Sarah Okafor", Role: housing.RoleOfficer,
		Sites: []string{"riverside"}, Functions: []string{housing.FunctionTenancy}}
	return housing.Session{ID: "s1", Token: "tok", DeviceID: "0190f5a2-7b3c-7def-8123-456789abcdef", DeviceName: in.DeviceName, Officer: o}, nil
}

func (s *ackServer) SignOut(ctx context.Context, token string) error { return nil }

func (s *ackServer) Sync(ctx context.Context, token string, req housing.SyncRequest) (housing.SyncResponse, error) {
	resp := housing.SyncResponse{Protocol: housing.ProtocolVersion, Results: []housing.Result{}}
	if len(req.Mutations) > 0 && req.Mutations[0].Seq > s.last+1 {
		return housing.SyncResponse{LastMutation: s.last}, housing.Errorf(housing.CodeGap, "Mutations are missing.")
	}
	for _, m := range req.Mutations {
		if m.Seq <= s.last {
			resp.Results = append(resp.Results, housing.Result{Seq: m.Seq, Status: housing.ResultDuplicate})
			continue
		}
		s.last = m.Seq
		resp.Results = append(resp.Results, housing.Result{Seq: m.Seq, Status: housing.ResultApplied})
		if m.Kind == housing.KindCommitmentMake {
			var c housing.Commitment
			if err := json.Unmarshal(m.Data, &c); err != nil {
				return resp, err
			}
			c.Token = ""
			data, _ := json.Marshal(c)
			s.changes = append(s.changes, housing.Change{Seq: int64(len(s.changes) + 1), Kind: housing.RecordCommitment, ID: c.ID, Data: data})
		}
	}
	resp.LastMutation = s.last
	resp.Changes = s.changes
	resp.Cursor = fmt.Sprint(len(s.changes))
	s.changes = nil
	return resp, nil
}

// testReplicaSurvivesReload runs the replica over the store as the app
// does: what it saved is all there after a reload, numbering goes on where
// it stood, and a commitment keeps its tenant link when the server's copy
// arrives.
func testReplicaSurvivesReload(t *testing.T, open func() replica.Store) {
	srv := &ackServer{changes: []housing.Change{{Seq: 1, Kind: housing.RecordTenancy, ID: "t1",
		Data: json.RawMessage(`{"id":"t1","reference":"RIV-00001","household":"Mrs Amira Khan","address":"1 River Walk, Salford","postcode":"M6 5AA","site_id":"riverside"}`)}}}
	ids := 0
	opts := replica.Options{
		Now:   func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) },
		NewID: func() string { ids++; return fmt.Sprintf("0190f5a2-7b3c-7def-8123-%012d", ids) },
	}
	reopen := func() *replica.Replica {
		t.Helper()
		r := replica.New(open(), srv, opts)
		if err := r.Open(ctx); err != nil {
			t.Fatalf("open: %v", err)
		}
		return r
	}
	r := reopen()
	if _, err := r.SignIn(ctx, "sarah", "secret words", "Test phone"); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	if _, err := r.Sync(ctx); err != nil { // the first pull brings the tenancy
		t.Fatalf("first sync: %v", err)
	}
	visit := func(r *replica.Replica) housing.Visit {
		t.Helper()
		cs := []housing.Commitment{
			{What: "Fix the kitchen tap", FunctionID: housing.FunctionRepairs, DueDate: "2026-12-04"},
			{What: "Call about the rent account", FunctionID: housing.FunctionIncome, DueDate: "2026-11-27"},
		}
		f := &housing.Feedback{Answers: map[housing.Question]housing.Rating{housing.TP01: housing.FairlySatisfied}, Comment: "Thanks"}
		v, err := r.RecordVisit(ctx, housing.Visit{TenancyID: "t1", Purpose: housing.PurposeWelfareCheck}, cs, f)
		if err != nil {
			t.Fatalf("record visit: %v", err)
		}
		return v
	}
	v := visit(r)
	tokens := map[string]string{}
	for _, c := range r.Commitments(replica.CommitmentFilter{VisitID: v.ID}) {
		tokens[c.ID] = c.Token
	}

	r = reopen()
	if a, ok := r.Account(); !ok || a.Officer.Username != "sarah" || a.Token != "tok" {
		t.Fatalf("got account %+v after a reload, want sarah's with her token", a)
	}
	if s := r.Status(); s.Pending != 4 || !s.OldestPending.Equal(opts.Now()) {
		t.Fatalf("got %d pending since %v after a reload, want 4 since %v", s.Pending, s.OldestPending, opts.Now())
	}
	if got, err := r.Visit(v.ID); err != nil || got.Purpose != housing.PurposeWelfareCheck {
		t.Fatalf("got visit %+v, %v after a reload, want the welfare check", got, err)
	}
	visit(r) // numbered 5 to 8, after the four before the reload

	if _, err := r.Sync(ctx); err != nil {
		t.Fatalf("sync: %v", err)
	}
	if srv.last != 8 {
		t.Errorf("got %d mutations on the server, want 8 numbered without a gap", srv.last)
	}
	r = reopen()
	if s := r.Status(); s.Pending != 0 || s.LastSync.IsZero() {
		t.Errorf("got %+v after sync and reload, want nothing pending and the sync time", s)
	}
	got := map[string]string{}
	for _, c := range r.Commitments(replica.CommitmentFilter{VisitID: v.ID}) {
		got[c.ID] = c.Token
	}
	if !reflect.DeepEqual(got, tokens) {
		t.Errorf("got tenant links %v after the server's copies arrived, want the phone's own %v", got, tokens)
	}
}
