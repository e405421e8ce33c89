package main

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"doorstep/app/replica"
	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// fakeBrowser is the browser in native tests: a set clock, and a record of
// what the handlers asked of it.
type fakeBrowser struct {
	at time.Time

	mu        sync.Mutex
	marks     []string
	measured  int
	shared    []string
	downloads map[string][]byte // file name → bytes
	asked     int               // persistent storage asked for

	copied      []string                        // what was put on the clipboard
	noClipboard bool                            // the clipboard refuses
	chosen      map[string][]housing.ImportFile // file input ID → the files chosen in it
	unreadable  error                           // reading chosen files fails so
}

func (b *fakeBrowser) now() time.Time     { return b.at }
func (b *fakeBrowser) origin() string     { return "https://doorstep.test" }
func (b *fakeBrowser) deviceName() string { return "Test browser" }
func (b *fakeBrowser) share(link string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.shared = append(b.shared, link)
	return "Link copied. Paste it into a text or an email to the tenant."
}

func (b *fakeBrowser) download(name, mimeType string, data []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.downloads == nil {
		b.downloads = map[string][]byte{}
	}
	b.downloads[name] = data
}

func (b *fakeBrowser) copy(text string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.copied = append(b.copied, text)
	return !b.noClipboard
}

func (b *fakeBrowser) files(input string) ([]housing.ImportFile, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.chosen[input], b.unreadable
}

func (b *fakeBrowser) storage(ask bool) (persisted, supported bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if ask {
		b.asked++
	}
	return false, true
}

func (b *fakeBrowser) mark(name string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.marks = append(b.marks, name)
}

func (b *fakeBrowser) measureSave() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.measured++
}

// fakeServer is the sync server as the officer's replica sees it: it signs
// sarah in, holds one tenancy and refuses the mutation kinds in refuse.
type fakeServer struct {
	mu      sync.Mutex
	changes []housing.Change
	refuse  map[string]bool
	last    int64
}

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	data, err := json.Marshal(housing.Tenancy{ID: "t1", Reference: "RIV-00001", Household: "Mrs Amira Khan", Address: "1 River Walk, Salford", Postcode: "M6 5AA", SiteID: "riverside"})
	if err != nil {
		t.Fatal(err)
	}
	return &fakeServer{refuse: map[string]bool{}, changes: []housing.Change{{Seq: 1, Kind: housing.RecordTenancy, ID: "t1", Data: data}}}
}

func (s *fakeServer) Sync(ctx context.Context, token string, req housing.SyncRequest) (housing.SyncResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	resp := housing.SyncResponse{Protocol: housing.ProtocolVersion, Results: []housing.Result{}}
	for _, m := range req.Mutations {
		r := housing.Result{Seq: m.Seq, Status: housing.ResultApplied}
		if s.refuse[m.Kind] {
			r = housing.Result{Seq: m.Seq, Status: housing.ResultRejected, Code: housing.CodeForbidden, Reason: "That team does not work at this site."}
		}
		resp.Results = append(resp.Results, r)
		s.last = m.Seq
	}
	from, _ := strconv.Atoi(req.Cursor)
	resp.LastMutation, resp.Changes, resp.Cursor = s.last, s.changes[from:], strconv.Itoa(len(s.changes))
	return resp, nil
}

func (s *fakeServer) SignIn(ctx context.Context, in housing.SignIn) (housing.Session, error) {
	if in.Password != "right" {
		return housing.Session{}, housing.Errorf(housing.CodeUnauthorized, "Wrong username or password.")
	}
	o := housing.Officer{ID: "officer-" + in.Username, Username: in.Username, Name: "Sarah Okafor", Role: housing.RoleOfficer,
		Sites: []string{"riverside"}, Functions: []string{housing.FunctionTenancy}}
	return housing.Session{ID: "s1", Token: "tok", DeviceID: "d1", DeviceName: in.DeviceName, Officer: o}, nil
}

func (s *fakeServer) SignOut(ctx context.Context, token string) error { return nil }

// refusingStore is the in-memory store, made to refuse its next write with
// err when err is set.
type refusingStore struct {
	*replica.MemStore
	err error
}

func (s *refusingStore) Apply(ctx context.Context, b replica.Batch) error {
	if err := s.err; err != nil {
		s.err = nil
		return err
	}
	return s.MemStore.Apply(ctx, b)
}

// testOfficer is the officer's wiring over an in-memory phone, signed in as
// sarah and synced once.
type testOfficer struct {
	*officer
	b     *fakeBrowser
	srv   *fakeServer
	store *refusingStore
}

func newTestOfficer(t *testing.T) *testOfficer {
	t.Helper()
	ctx := context.Background()
	to := &testOfficer{b: &fakeBrowser{at: time.Now()}, srv: newFakeServer(t), store: &refusingStore{MemStore: replica.NewMemStore()}}
	to.officer = newOfficer(to.b)
	to.open(ctx, func(context.Context) (*replica.Replica, error) {
		return replica.New(to.store, to.srv, replica.Options{}), nil
	})
	if res, _ := to.signIn(ctx, ui.SignInForm{Username: "sarah", Password: "right"}); !res.Done {
		t.Fatalf("sign in: %+v", res)
	}
	to.drainTriggers()
	to.sync(t)
	return to
}

// sync makes one round trip, as the sync loop does.
func (to *testOfficer) sync(t *testing.T) {
	t.Helper()
	if _, err := to.rep.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// drainTriggers returns the triggers sent to the sync loop since last asked.
func (to *testOfficer) drainTriggers() []string {
	var got []string
	for {
		select {
		case tr := <-to.triggers:
			got = append(got, tr)
		default:
			return got
		}
	}
}
