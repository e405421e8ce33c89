package replica_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"doorstep/app/replica"
	"doorstep/shared/housing"
)

// echoServer is the fake server answering as the real one does about a
// phone's own new records: in the server's form, as patches on what the
// phone sent in the same request. The server's form here differs from the
// phone's in its received_at and in the site, as when the tenancy moved
// site before the visit arrived. during runs one function per answer while
// it is on its way, as an officer who keeps working would.
type echoServer struct {
	*fakeServer
	received time.Time
	during   []func()
}

func (s *echoServer) Sync(ctx context.Context, token string, req housing.SyncRequest) (housing.SyncResponse, error) {
	if len(s.during) > 0 {
		s.during[0]()
		s.during = s.during[1:]
	}
	if !req.Patches {
		return housing.SyncResponse{}, housing.Errorf(housing.CodeInvalid, "This phone did not ask for patches; it would get its records whole.")
	}
	from := len(s.log)
	resp, err := s.fakeServer.Sync(ctx, token, req)
	sent := housing.SentRecords(req.Mutations)
	for i := from; i < len(s.log); i++ { // store the records made now in the server's form
		ch := &s.log[i]
		if _, ok := sent[ch.Kind+"/"+ch.ID]; !ok {
			continue
		}
		var fields map[string]any
		json.Unmarshal(ch.Data, &fields)
		fields["received_at"], fields["site_id"] = s.received, "northgate"
		ch.Data, _ = json.Marshal(fields)
		s.records[ch.Kind+"/"+ch.ID] = ch.Data
	}
	for i, ch := range resp.Changes {
		base, ok := sent[ch.Kind+"/"+ch.ID]
		if !ok {
			continue
		}
		patch := map[string]any{"received_at": s.received, "site_id": "northgate"}
		var fields map[string]json.RawMessage
		json.Unmarshal(base, &fields)
		if _, ok := fields["token"]; ok {
			patch["token"] = nil // the server keeps only its hash
		}
		raw, _ := json.Marshal(patch)
		resp.Changes[i].Data, resp.Changes[i].Patch = nil, raw
	}
	return resp, err
}

// TestSyncOwnRecordsComeBackAsStored: the phone's own records come back in
// the server's form and replace its copies, a promise keeps an action still
// waiting in the outbox, and none of them is counted as news.
func TestSyncOwnRecordsComeBackAsStored(t *testing.T) {
	ctx := context.Background()
	srv := &echoServer{fakeServer: newFakeServer(), received: time.Date(2026, 11, 23, 10, 41, 30, 0, time.UTC)}
	store := replica.NewMemStore()
	r := replica.New(store, srv, replica.Options{NewID: func() string { return uuid.Must(uuid.NewV7()).String() }})
	if err := r.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SignIn(ctx, "sarah", "right", "test phone"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	p := &phone{t: t, store: store, r: r, srv: srv.fakeServer}
	v, err := p.logVisit()
	if err != nil {
		t.Fatal(err)
	}
	c := r.Commitments(replica.CommitmentFilter{VisitID: v.ID})[0]
	srv.during = []func(){
		func() { // while the visit is on its way
			if _, err := r.Act(ctx, c.ID, housing.KindCommitmentAcknowledge, housing.CommitmentAction{}); err != nil {
				t.Errorf("acknowledge while syncing: %v", err)
			}
		},
		func() { // the next round trip: the visit's records are back, the acknowledgement is not yet sent
			gc, err := r.Commitment(c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if gc.SiteID != "northgate" || !gc.ReceivedAt.Equal(srv.received) {
				t.Errorf("got the promise at site %q received %v; want the server's form", gc.SiteID, gc.ReceivedAt)
			}
			if gc.Status != housing.StatusAcknowledged || !r.Pending(c.ID) {
				t.Errorf("got the promise %s, pending %v; want the acknowledgement still waiting in the outbox shown on top", gc.Status, r.Pending(c.ID))
			}
		},
	}
	rep, err := r.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(srv.during) > 0 {
		t.Fatalf("the acknowledgement was not sent in a round trip of its own")
	}
	if rep.Echoed != 5 || rep.Pulled != 0 || rep.Pushed != 5 {
		t.Errorf("got %+v, want the visit, two promises and feedback echoed, then the acknowledged promise, and nothing new pulled", rep)
	}

	got, err := r.Visit(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.SiteID != "northgate" || !got.ReceivedAt.Equal(srv.received) {
		t.Errorf("got the visit at site %q received %v; want the server's northgate and %v", got.SiteID, got.ReceivedAt, srv.received)
	}
	gc, err := r.Commitment(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if gc.SiteID != "northgate" || gc.Status != housing.StatusAcknowledged || r.Pending(c.ID) {
		t.Errorf("got the promise at %q, %s, pending %v; want the server's form, acknowledged and sent", gc.SiteID, gc.Status, r.Pending(c.ID))
	}
	if gc.Token == "" {
		t.Errorf("the promise lost its tenant link token on the phone that made it")
	}
	if fs := r.Feedback(v.TenancyID, v.ID); len(fs) != 1 || !fs[0].ReceivedAt.Equal(srv.received) {
		t.Errorf("got feedback %+v, want one in the server's form", fs)
	}

	// After a reload the phone still holds the server's form.
	p.reopen()
	if got, _ := p.r.Visit(v.ID); got.SiteID != "northgate" {
		t.Errorf("after a reload the visit is at %q, want northgate", got.SiteID)
	}
}
