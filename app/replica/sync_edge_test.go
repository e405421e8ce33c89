package replica_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/uuid"

	"doorstep/app/replica"
	"doorstep/shared/housing"
)

// These tests cover the sync rules the main suite leaves out: removals,
// a reset scope, conflicts, gaps, batching and the export.

func TestSyncRemovedDropsTheLocalCopy(t *testing.T) {
	srv := newFakeServer()
	p := newPhone(t, srv)
	p.logVisit()
	p.sync()
	c := p.r.Commitments(replica.CommitmentFilter{})[0]
	// Reassigned to a team this officer is not in: it leaves their scope.
	srv.log = append(srv.log, housing.Change{Seq: int64(len(srv.log) + 1), Kind: housing.RecordCommitment, ID: c.ID, Removed: true})
	p.sync()
	if _, err := p.r.Commitment(c.ID); housing.ErrorCode(err) != housing.CodeNotFound {
		t.Errorf("got %v for a removed promise, want not found", err)
	}
	if got := len(p.r.Commitments(replica.CommitmentFilter{})); got != 1 {
		t.Errorf("got %d promises, want the other one still held", got)
	}
}

// TestSyncEndedTenancyKeepsItsPromises: a tenancy that ends (an import
// found its end date passed) is sent as removed; the promises made there
// stay on the phone and still show its household and address, and the
// tenancy's page still opens from them.
func TestSyncEndedTenancyKeepsItsPromises(t *testing.T) {
	srv := newFakeServer()
	p := newPhone(t, srv)
	p.logVisit()
	p.sync()
	srv.log = append(srv.log, housing.Change{Seq: int64(len(srv.log) + 1), Kind: housing.RecordTenancy, ID: "t1", Removed: true})
	p.sync()
	if found, _ := p.r.SearchTenancies("Khan", 10); len(found) != 0 {
		t.Errorf("search found %+v, want the ended tenancy gone", found)
	}
	cs := p.r.Commitments(replica.CommitmentFilter{TenancyID: "t1"})
	if len(cs) != 2 {
		t.Fatalf("got %d promises at the ended tenancy, want both kept", len(cs))
	}
	for _, c := range cs {
		if c.Household != "Mrs Amira Khan" || c.Address != "1 River Walk, Salford" {
			t.Errorf("got promise at %q, %q; want the household and address it was made with", c.Household, c.Address)
		}
	}
	tn, err := p.r.Tenancy("t1")
	if err != nil || tn.Household != "Mrs Amira Khan" || tn.Address != "1 River Walk, Salford" {
		t.Errorf("got tenancy %+v, %v; want it read from its promises", tn, err)
	}
	if got := len(p.r.Visits("t1")); got != 1 {
		t.Errorf("got %d visits at the ended tenancy, want the one logged kept", got)
	}
}

func TestSyncResetKeepsWhatIsPending(t *testing.T) {
	srv := newFakeServer()
	p := newPhone(t, srv)
	v, _ := p.logVisit()
	// The server starts the pull over (a scope change) and its snapshot no
	// longer holds tenancy t2. The fake's log is replayed from the start, so
	// shrink it to what the snapshot holds.
	srv.log = srv.log[:1]
	resetNext := true
	orig := srv
	tr := transportFunc(func(ctx context.Context, token string, req housing.SyncRequest) (housing.SyncResponse, error) {
		if resetNext {
			resetNext = false
			req.Cursor = ""
			resp, err := orig.Sync(ctx, token, req)
			resp.Reset = true
			return resp, err
		}
		return orig.Sync(ctx, token, req)
	})
	p.r = replica.New(p.store, tr, replica.Options{NewID: newID})
	if err := p.r.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := p.r.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := p.r.Tenancy("t2"); housing.ErrorCode(err) != housing.CodeNotFound {
		t.Errorf("got %v for a tenancy the reset snapshot left out, want not found", err)
	}
	if _, err := p.r.Visit(v.ID); err != nil {
		t.Errorf("lost the officer's own visit in a reset: %v", err)
	}
	for _, c := range p.r.Commitments(replica.CommitmentFilter{VisitID: v.ID}) {
		if !housing.ValidToken(c.Token) {
			t.Errorf("promise %s lost its tenant link in a reset", c.ID)
		}
	}
}

func TestSyncConflictShowsTheServersValue(t *testing.T) {
	srv := newFakeServer()
	p := newPhone(t, srv)
	p.logVisit()
	p.sync()
	c := p.r.Commitments(replica.CommitmentFilter{})[0]
	if _, err := p.r.Act(context.Background(), c.ID, housing.KindCommitmentExtend,
		housing.CommitmentAction{DueDate: c.DueDate.AddDays(7), Reason: "Parts on order"}); err != nil {
		t.Fatal(err)
	}
	srv.conflict = map[string]bool{housing.KindCommitmentExtend: true}
	rep := p.sync()
	if rep.Refused != 1 {
		t.Fatalf("got %+v, want the extension reported refused", rep)
	}
	got, _ := p.r.Commitment(c.ID)
	if got.DueDate != c.DueDate {
		t.Errorf("got due date %s after a conflict, want the server's %s", got.DueDate, c.DueDate)
	}
	att := p.r.Attention()
	if len(att) != 1 || att[0].Kind != housing.KindCommitmentExtend || att[0].Reason == "" {
		t.Fatalf("got attention %+v, want the conflicting extension with its reason", att)
	}
	// Corrected and sent again, it is a new mutation with a new number.
	srv.conflict = nil
	if err := p.r.Resend(context.Background(), att[0].ID); err != nil {
		t.Fatal(err)
	}
	p.sync()
	if got, _ := p.r.Commitment(c.ID); got.DueDate != c.DueDate.AddDays(7) {
		t.Errorf("got due date %s after the resend, want %s", got.DueDate, c.DueDate.AddDays(7))
	}
}

// TestSyncGapAfterServerRestore is a server restored from a backup older
// than the phone's last acknowledged mutation: it answers "gap" for numbers
// the phone no longer holds. The phone numbers what is still pending again
// from the server's next number, so the queue moves and nothing pending is
// lost.
func TestSyncGapAfterServerRestore(t *testing.T) {
	srv := newFakeServer()
	p := newPhone(t, srv)
	p.logVisit()
	p.sync()
	v, _ := p.logVisit()
	a, _ := p.r.Account()
	srv.last[a.DeviceID] = 1 // the server lost mutations 2 to 4
	p.sync()
	if s := p.r.Status(); s.Pending != 0 || srv.last[a.DeviceID] != 5 {
		t.Fatalf("got %d pending and the server at %d, want the 4 pending sent as 2 to 5", s.Pending, srv.last[a.DeviceID])
	}
	if srv.records["visit/"+v.ID] == nil {
		t.Errorf("the server does not hold the visit that was pending")
	}
	p.logVisit()
	out := p.outbox()
	if len(out) != 4 || out[0].Seq != 6 {
		t.Errorf("got outbox %v after the next save, want it numbered from 6", seqs(out))
	}
}

// TestSyncBatches sends a week offline in several round trips, in order,
// each no larger than the protocol allows.
func TestSyncBatches(t *testing.T) {
	srv := newFakeServer()
	p := newPhone(t, srv)
	for i := 0; i < 130; i++ { // 520 mutations
		if _, err := p.logVisit(); err != nil {
			t.Fatal(err)
		}
	}
	var sizes []int
	var next int64 = 1
	orig := srv
	tr := transportFunc(func(ctx context.Context, token string, req housing.SyncRequest) (housing.SyncResponse, error) {
		sizes = append(sizes, len(req.Mutations))
		for _, m := range req.Mutations {
			if m.Seq != next {
				t.Fatalf("got mutation %d, want %d: the outbox must go in order", m.Seq, next)
			}
			next++
		}
		return orig.Sync(ctx, token, req)
	})
	p.r = replica.New(p.store, tr, replica.Options{NewID: newID})
	if err := p.r.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	rep, err := p.r.Sync(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pushed != 520 || srv.applied != 520 || p.r.Status().Pending != 0 {
		t.Errorf("got report %+v, %d applied, %d pending; want 520 pushed and applied", rep, srv.applied, p.r.Status().Pending)
	}
	if len(sizes) < 2 || sizes[0] != housing.MaxMutationsPerBatch {
		t.Errorf("got batches of %v, want the first at the limit of %d", sizes, housing.MaxMutationsPerBatch)
	}
}

func TestExportUnsynced(t *testing.T) {
	p := newPhone(t, newFakeServer())
	v, _ := p.logVisit()
	data, err := p.r.ExportUnsynced()
	if err != nil {
		t.Fatal(err)
	}
	var got replica.Unsynced
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("the export is not JSON: %v", err)
	}
	if len(got.Mutations) != 4 || got.Records[housing.RecordVisit+"/"+v.ID] == nil {
		t.Fatalf("got %d mutations and records %v, want the 4 mutations and the visit", len(got.Mutations), keysOf(got.Records))
	}
	// The tenant links travel in the promises' mutations, so an exported
	// promise can still be shown to its tenant.
	n := 0
	for _, m := range got.Mutations {
		var c housing.Commitment
		if m.Kind == housing.KindCommitmentMake && json.Unmarshal(m.Data, &c) == nil && housing.ValidToken(c.Token) {
			n++
		}
	}
	if n != 2 {
		t.Errorf("got %d promises with their tenant link in the export, want 2", n)
	}
}

// TestActFailedWriteChangesNothing: an action the phone could not store
// is neither shown nor queued.
func TestActFailedWriteChangesNothing(t *testing.T) {
	p := newPhone(t, newFakeServer())
	p.logVisit()
	c := p.r.Commitments(replica.CommitmentFilter{})[0]
	p.store.FailNext = true
	if _, err := p.r.Act(context.Background(), c.ID, housing.KindCommitmentCancel, housing.CommitmentAction{Reason: "Tenant moved"}); err == nil {
		t.Fatal("got no error from a failed write")
	}
	if got, _ := p.r.Commitment(c.ID); got.Status != housing.StatusOpen {
		t.Errorf("got %s after a failed write, want still open", got.Status)
	}
	if got := p.r.Status().Pending; got != 4 {
		t.Errorf("got %d pending, want the 4 from the visit only", got)
	}
	// The next write takes the next number: nothing was used up.
	if _, err := p.r.Act(context.Background(), c.ID, housing.KindCommitmentCancel, housing.CommitmentAction{Reason: "Tenant moved"}); err != nil {
		t.Fatal(err)
	}
	out := p.outbox()
	if last := out[len(out)-1].Seq; last != 5 {
		t.Errorf("got mutation %d for the retried action, want 5", last)
	}
}

type transportFunc func(ctx context.Context, token string, req housing.SyncRequest) (housing.SyncResponse, error)

func (f transportFunc) Sync(ctx context.Context, token string, req housing.SyncRequest) (housing.SyncResponse, error) {
	return f(ctx, token, req)
}

func (f transportFunc) SignIn(ctx context.Context, in housing.SignIn) (housing.Session, error) {
	return housing.Session{}, housing.Errorf(housing.CodeInternal, "not in this test")
}

func (f transportFunc) SignOut(ctx context.Context, token string) error { return nil }

func (p *phone) outbox() []housing.Mutation {
	p.t.Helper()
	snap, err := p.store.Load(context.Background())
	if err != nil {
		p.t.Fatal(err)
	}
	return snap.Outbox
}

func keysOf(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }
