package replica_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"doorstep/app/replica"
	"doorstep/shared/housing"
)

// fakeServer is a small stand-in for the sync server: it numbers each
// device's mutations, answers duplicates and gaps as the protocol says, keeps
// a change log and pages it. Hooks inject failures.
type fakeServer struct {
	last     map[string]int64
	records  map[string]json.RawMessage // kind/id
	log      []housing.Change
	applied  int
	reject   map[string]bool // mutation kinds to reject
	conflict map[string]bool // mutation kinds answered "conflict": the server keeps its own value
	dropNext bool            // commit, then lose the answer
	revoked  bool
	pageSize int
}

func newFakeServer() *fakeServer {
	s := &fakeServer{last: map[string]int64{}, records: map[string]json.RawMessage{}, reject: map[string]bool{}, pageSize: 100}
	s.change(housing.RecordTenancy, "t1", housing.Tenancy{ID: "t1", Reference: "RIV-00001", Household: "Mrs Amira Khan", Address: "1 River Walk, Salford", Postcode: "M6 5AA", SiteID: "riverside"})
	s.change(housing.RecordTenancy, "t2", housing.Tenancy{ID: "t2", Reference: "RIV-00002", Household: "Mr Ben Doyle", Address: "2 River Walk, Salford", Postcode: "M6 5AB", SiteID: "riverside"})
	return s
}

func (s *fakeServer) change(kind, id string, v any) {
	raw, _ := json.Marshal(v)
	s.records[kind+"/"+id] = raw
	s.log = append(s.log, housing.Change{Seq: int64(len(s.log) + 1), Kind: kind, ID: id, Data: raw})
}

func (s *fakeServer) Sync(ctx context.Context, token string, req housing.SyncRequest) (housing.SyncResponse, error) {
	if s.revoked {
		return housing.SyncResponse{}, housing.Errorf(housing.CodeUnauthorized, "Sign in again.")
	}
	resp := housing.SyncResponse{Protocol: 1, Results: []housing.Result{}}
	last := s.last[req.DeviceID]
	if len(req.Mutations) > 0 && req.Mutations[0].Seq > last+1 {
		return housing.SyncResponse{LastMutation: last}, housing.Errorf(housing.CodeGap, "gap")
	}
	for _, m := range req.Mutations {
		if m.Seq <= last {
			resp.Results = append(resp.Results, housing.Result{Seq: m.Seq, Status: housing.ResultDuplicate})
			continue
		}
		last = m.Seq
		if s.reject[m.Kind] {
			resp.Results = append(resp.Results, housing.Result{Seq: m.Seq, Status: housing.ResultRejected, Code: housing.CodeForbidden, Reason: "Not yours."})
			continue
		}
		if s.conflict[m.Kind] {
			resp.Results = append(resp.Results, housing.Result{Seq: m.Seq, Status: housing.ResultConflict, Code: housing.CodeConflict, Reason: "Someone else changed the due date first; the server kept theirs."})
			continue
		}
		s.applied++
		kind := map[string]string{housing.KindVisitRecord: housing.RecordVisit, housing.KindCommitmentMake: housing.RecordCommitment, housing.KindFeedbackGive: housing.RecordFeedback}[m.Kind]
		if kind != "" {
			var v map[string]any
			json.Unmarshal(m.Data, &v)
			delete(v, "token") // the server keeps only the hash
			s.change(kind, m.RecordID, v)
		} else {
			var c housing.Commitment
			json.Unmarshal(s.records["commitment/"+m.RecordID], &c)
			var a housing.CommitmentAction
			json.Unmarshal(m.Data, &a)
			next, _, _ := housing.Transition(c, housing.Act{Kind: m.Kind, Action: a, At: m.HappenedAt})
			s.change(housing.RecordCommitment, m.RecordID, next)
		}
		resp.Results = append(resp.Results, housing.Result{Seq: m.Seq, Status: housing.ResultApplied})
	}
	s.last[req.DeviceID] = last
	resp.LastMutation = last
	from, _ := strconv.Atoi(req.Cursor)
	to := min(len(s.log), from+s.pageSize)
	resp.Changes = append([]housing.Change{}, s.log[from:to]...)
	resp.Cursor, resp.HasMore = strconv.Itoa(to), to < len(s.log)
	if s.dropNext {
		s.dropNext = false
		return housing.SyncResponse{}, errors.New("connection reset")
	}
	return resp, nil
}

func (s *fakeServer) SignIn(ctx context.Context, in housing.SignIn) (housing.Session, error) {
	if in.Password != "right" {
		return housing.Session{}, housing.Errorf(housing.CodeUnauthorized, "Wrong username or password.")
	}
	s.revoked = false
	dev := in.DeviceID
	if dev == "" {
		dev = uuid.NewString()
	}
	o := housing.Officer{ID: "officer-" + in.Username, Username: in.Username, Name: "Sarah Okafor", Role: housing.RoleOfficer,
		Sites: []string{"riverside"}, Functions: []string{housing.FunctionTenancy}}
	return housing.Session{ID: "s-" + dev, Token: "tok-" + dev, DeviceID: dev, DeviceName: in.DeviceName, Officer: o}, nil
}

func (s *fakeServer) SignOut(ctx context.Context, token string) error { return nil }

type phone struct {
	t     *testing.T
	store *replica.MemStore
	r     *replica.Replica
	srv   *fakeServer
}

func newPhone(t *testing.T, srv *fakeServer) *phone {
	t.Helper()
	p := &phone{t: t, store: replica.NewMemStore(), srv: srv}
	p.r = replica.New(p.store, srv, replica.Options{NewID: func() string { return uuid.Must(uuid.NewV7()).String() }})
	if err := p.r.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := p.r.SignIn(context.Background(), "sarah", "right", "test phone"); err != nil {
		t.Fatal(err)
	}
	p.sync()
	return p
}

func (p *phone) sync() replica.Report {
	p.t.Helper()
	rep, err := p.r.Sync(context.Background())
	if err != nil {
		p.t.Fatalf("sync: %v", err)
	}
	return rep
}

// logVisit records a visit at t1 with two promises and feedback.
func (p *phone) logVisit() (housing.Visit, error) {
	cs := []housing.Commitment{
		{What: "Fix the kitchen tap", FunctionID: housing.FunctionRepairs, DueDate: "2026-12-04"},
		{What: "Call about the rent account", FunctionID: housing.FunctionIncome, DueDate: "2026-11-27"},
	}
	f := &housing.Feedback{Answers: map[housing.Question]housing.Rating{housing.TP01: housing.FairlySatisfied}, Comment: "Thanks"}
	return p.r.RecordVisit(context.Background(), housing.Visit{TenancyID: "t1", Purpose: housing.PurposeWelfareCheck}, cs, f)
}

// reopen loads the phone's store again, as a reload of the page does.
func (p *phone) reopen() {
	p.t.Helper()
	p.r = replica.New(p.store, p.srv, replica.Options{NewID: func() string { return uuid.Must(uuid.NewV7()).String() }})
	if err := p.r.Open(context.Background()); err != nil {
		p.t.Fatal(err)
	}
}

func TestRecordVisit(t *testing.T) {
	t.Run("DurableInOneWrite", func(t *testing.T) {
		p := newPhone(t, newFakeServer())
		before := p.store.Applies
		v, err := p.logVisit()
		if err != nil {
			t.Fatal(err)
		}
		if got := p.store.Applies - before; got != 1 {
			t.Errorf("got %d store writes for one visit, want 1", got)
		}
		p.reopen()
		if got := p.r.Status().Pending; got != 4 {
			t.Errorf("got %d pending after a reload, want 4 (visit, two promises, feedback)", got)
		}
		cs := p.r.Commitments(replica.CommitmentFilter{VisitID: v.ID})
		if len(cs) != 2 || !housing.ValidToken(cs[0].Token) || cs[0].Status != housing.StatusOpen {
			t.Fatalf("got %+v, want two open promises with tenant links", cs)
		}
	})
	t.Run("FailedWriteSavesNothing", func(t *testing.T) {
		p := newPhone(t, newFakeServer())
		p.store.FailNext = true
		if _, err := p.logVisit(); err == nil {
			t.Fatal("got no error from a failed write")
		}
		p.reopen()
		if got := p.r.Status().Pending; got != 0 || len(p.r.Visits("")) != 0 {
			t.Errorf("got %d pending and %d visits after a failed write, want none", got, len(p.r.Visits("")))
		}
	})
	t.Run("InvalidSavesNothing", func(t *testing.T) {
		p := newPhone(t, newFakeServer())
		_, err := p.r.RecordVisit(context.Background(), housing.Visit{TenancyID: "t1", Purpose: housing.PurposeWelfareCheck},
			[]housing.Commitment{{What: "", FunctionID: housing.FunctionRepairs, DueDate: "2026-12-04"}}, nil)
		if housing.ErrorCode(err) != housing.CodeInvalid {
			t.Fatalf("got %v, want invalid", err)
		}
		if got := p.r.Status().Pending; got != 0 {
			t.Errorf("got %d pending, want 0", got)
		}
	})
	// A refusal says which input it is about as a path within the visit,
	// for the form to mark; the message names a promise as the officer
	// counts them.
	t.Run("RefusalNamesTheField", func(t *testing.T) {
		p := newPhone(t, newFakeServer())
		ok := housing.Commitment{What: "Fix the tap", FunctionID: housing.FunctionRepairs, DueDate: "2026-12-04"}
		noDate := ok
		noDate.DueDate = ""
		visit := housing.Visit{TenancyID: "t1", Purpose: housing.PurposeWelfareCheck}
		for _, tt := range []struct {
			name     string
			visit    housing.Visit
			promises []housing.Commitment
			feedback *housing.Feedback
			field    string
			message  string
		}{
			{"UnknownTenancy", housing.Visit{TenancyID: "t9", Purpose: housing.PurposeWelfareCheck}, nil, nil,
				housing.FieldTenancy, "Choose the tenancy you visited."},
			{"NoPurpose", housing.Visit{TenancyID: "t1"}, nil, nil, housing.FieldPurpose, "Choose the purpose of the visit."},
			{"SecondPromiseNoDate", visit, []housing.Commitment{ok, noDate}, nil,
				"commitments.1.due_date", "Promise 2: Choose the date the promise is due."},
			{"ComplaintWithoutWords", visit, nil, &housing.Feedback{Complaint: true},
				"feedback.comment", "Say what the complaint is about, so the complaints team can act on it."},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := p.r.RecordVisit(context.Background(), tt.visit, tt.promises, tt.feedback)
				if got := housing.ErrorField(err); got != tt.field {
					t.Errorf("got field %q (%v), want %q", got, err, tt.field)
				}
				if got := housing.ErrorMessage(err); got != tt.message {
					t.Errorf("got message %q, want %q", got, tt.message)
				}
			})
		}
		if got := p.r.Status().Pending; got != 0 {
			t.Errorf("got %d pending after refusals, want 0", got)
		}
	})
}

func TestSync(t *testing.T) {
	t.Run("PushesAndPulls", func(t *testing.T) {
		srv := newFakeServer()
		p := newPhone(t, srv)
		if _, held := p.r.SearchTenancies("", 10); held != 2 {
			t.Fatalf("got %d tenancies held, want 2", held)
		}
		p.logVisit()
		rep := p.sync()
		if rep.Pushed != 4 || p.r.Status().Pending != 0 || srv.applied != 4 {
			t.Fatalf("got report %+v, %d pending, %d applied; want 4 pushed and applied", rep, p.r.Status().Pending, srv.applied)
		}
		cs := p.r.Commitments(replica.CommitmentFilter{})
		if len(cs) != 2 || cs[0].Token == "" {
			t.Errorf("got %d promises (token %q): the server's copy must keep the phone's tenant link", len(cs), cs[0].Token)
		}
	})
	t.Run("DroppedAnswerIsNotStoredTwice", func(t *testing.T) {
		srv := newFakeServer()
		p := newPhone(t, srv)
		p.logVisit()
		srv.dropNext = true
		if _, err := p.r.Sync(context.Background()); err == nil {
			t.Fatal("got no error for a lost answer")
		}
		if got := p.r.Status(); got.Pending != 4 || got.LastError == "" {
			t.Fatalf("got %+v after a lost answer, want 4 still pending and the error shown", got)
		}
		p.sync()
		if srv.applied != 4 || p.r.Status().Pending != 0 {
			t.Errorf("got %d applied on the server and %d pending, want 4 and 0", srv.applied, p.r.Status().Pending)
		}
	})
	t.Run("RejectedNeverWedges", func(t *testing.T) {
		srv := newFakeServer()
		srv.reject[housing.KindFeedbackGive] = true
		p := newPhone(t, srv)
		p.logVisit()
		rep := p.sync()
		if rep.Refused != 1 || p.r.Status().Pending != 0 {
			t.Fatalf("got %+v and %d pending, want 1 refused and the queue empty", rep, p.r.Status().Pending)
		}
		att := p.r.Attention()
		if len(att) != 1 || att[0].Reason != "Not yours." || att[0].Kind != housing.KindFeedbackGive {
			t.Fatalf("got attention %+v, want the refused feedback with its reason", att)
		}
		srv.reject = map[string]bool{}
		if err := p.r.Resend(context.Background(), att[0].ID); err != nil {
			t.Fatal(err)
		}
		p.sync()
		if len(p.r.Attention()) != 0 || srv.applied != 4 {
			t.Errorf("got %d attention items and %d applied after a resend, want 0 and 4", len(p.r.Attention()), srv.applied)
		}
	})
	t.Run("PendingActionsStayOnTop", func(t *testing.T) {
		srv := newFakeServer()
		p := newPhone(t, srv)
		p.logVisit()
		p.sync()
		c := p.r.Commitments(replica.CommitmentFilter{})[0]
		if _, err := p.r.Act(context.Background(), c.ID, housing.KindCommitmentCancel, housing.CommitmentAction{Reason: "Tenant moved"}); err != nil {
			t.Fatal(err)
		}
		// The server sends its older copy (open) while the cancel is still queued.
		srv.change(housing.RecordCommitment, c.ID, json.RawMessage(srv.records["commitment/"+c.ID]))
		got, _ := p.r.Commitment(c.ID)
		if got.Status != housing.StatusCancelled {
			t.Fatalf("got %s before sync, want cancelled", got.Status)
		}
		p.sync()
		got, _ = p.r.Commitment(c.ID)
		if got.Status != housing.StatusCancelled || p.r.Status().Pending != 0 {
			t.Errorf("got %s and %d pending after sync, want cancelled and 0", got.Status, p.r.Status().Pending)
		}
	})
	t.Run("RevokedSessionPausesAndKeepsTheOutbox", func(t *testing.T) {
		srv := newFakeServer()
		p := newPhone(t, srv)
		p.logVisit()
		srv.revoked = true
		if _, err := p.r.Sync(context.Background()); !errors.Is(err, replica.ErrNeedsSignIn) {
			t.Fatalf("got %v, want ErrNeedsSignIn", err)
		}
		if s := p.r.Status(); !s.NeedsSignIn || s.Pending != 4 {
			t.Fatalf("got %+v, want a request to sign in with 4 still pending", s)
		}
		if _, err := p.r.SignIn(context.Background(), "sarah", "right", "test phone"); err != nil {
			t.Fatal(err)
		}
		p.sync()
		if srv.applied != 4 {
			t.Errorf("got %d applied after signing in again, want 4", srv.applied)
		}
	})
	t.Run("PagesUntilDone", func(t *testing.T) {
		srv := newFakeServer()
		for i := 0; i < 250; i++ {
			id := fmt.Sprintf("t%03d", i+10)
			srv.change(housing.RecordTenancy, id, housing.Tenancy{ID: id, Reference: id, Household: "H", Address: "A", SiteID: "riverside"})
		}
		p := newPhone(t, srv)
		if _, held := p.r.SearchTenancies("", 1); held != 252 {
			t.Errorf("got %d tenancies after a paged first sync, want 252", held)
		}
	})
}

func TestSignOut(t *testing.T) {
	p := newPhone(t, newFakeServer())
	p.logVisit()
	if err := p.r.SignOut(context.Background(), false); housing.ErrorCode(err) != housing.CodeConflict {
		t.Fatalf("got %v signing out with unsynced records, want a refusal", err)
	}
	if p.r.Status().Pending != 4 {
		t.Fatal("a refused sign-out lost records")
	}
	p.sync()
	if err := p.r.SignOut(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	if _, ok := p.r.Account(); ok || len(p.r.Visits("")) != 0 {
		t.Errorf("the phone still holds an account or visits after sign-out")
	}
}

func TestSharedPhone(t *testing.T) {
	p := newPhone(t, newFakeServer())
	p.logVisit()
	if _, err := p.r.SignIn(context.Background(), "hannah", "right", "shared"); housing.ErrorCode(err) != housing.CodeConflict {
		t.Fatalf("got %v, want a refusal while sarah's records are unsynced", err)
	}
	p.sync()
	if _, err := p.r.SignIn(context.Background(), "hannah", "right", "shared"); err != nil {
		t.Fatal(err)
	}
	if n := len(p.r.Visits("")); n != 0 {
		t.Errorf("hannah sees %d of sarah's visits, want 0", n)
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		failures int
		r        float64
		want     time.Duration
	}{
		{0, 0.5, replica.SteadyEvery},
		{1, 0.5, replica.BackoffMin},
		{2, 0.5, 2 * replica.BackoffMin},
		{3, 0, 2 * replica.BackoffMin},  // 20s × 0.5
		{3, 0.999999, 30 * time.Second}, // 20s × ~1.5
		{30, 0.5, replica.BackoffMax},   // capped
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("Failures%dRand%.1f", tt.failures, tt.r), func(t *testing.T) {
			b := replica.Backoff{Failures: tt.failures, Rand: func() float64 { return tt.r }}
			got := b.Next()
			if d := got - tt.want; d > time.Millisecond || d < -time.Millisecond {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
