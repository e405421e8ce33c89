package api_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/google/uuid"

	"doorstep/app/remote"
	"doorstep/server/api"
	"doorstep/server/demo"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// reviewWorld is the landlord the review tests run against: the demo
// landlord's staff and tenancies in a fresh database, a clock the test
// moves, phones that sync through the real API, and the review routes
// behind the real session and role checks.
type reviewWorld struct {
	t     *testing.T
	db    *store
	url   string
	clock time.Time
}

func newReviewWorld(t *testing.T) *reviewWorld {
	t.Helper()
	db := openDemoDB(t)
	w := &reviewWorld{t: t, db: db, clock: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return w.clock }
	srv := newServer(t, api.Config{Services: api.Services{
		Sessions: db.SessionService, Sync: &sqlite.SyncService{DB: db.DB}, Review: &sqlite.ReviewService{DB: db.DB},
		Tenants: db.TenantService, TenantKey: []byte("review tests' form key"),
	}})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	w.url = hs.URL
	return w
}

// at moves the clock to s, an RFC 3339 instant.
func (w *reviewWorld) at(s string) {
	w.t.Helper()
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		w.t.Fatal(err)
	}
	w.clock = t.UTC()
}

// tenancy returns the demo tenancy with reference ref.
func (w *reviewWorld) tenancy(ref string) housing.Tenancy {
	w.t.Helper()
	var t housing.Tenancy
	err := w.db.SQL().QueryRow(`SELECT id, reference, household, address, postcode, site_id FROM tenancies WHERE reference = ?`, ref).
		Scan(&t.ID, &t.Reference, &t.Household, &t.Address, &t.Postcode, &t.SiteID)
	if err != nil {
		w.t.Fatalf("tenancy %s: %v", ref, err)
	}
	return t
}

// phone is one demo officer's device, signed in with the demo password.
type phone struct {
	w       *reviewWorld
	client  *remote.Client
	p       housing.Principal
	next    int64
	cursor  string
	records map[string]json.RawMessage // kind/id
}

func (w *reviewWorld) signIn(username string) *phone {
	w.t.Helper()
	ctx := context.Background()
	s, err := w.db.SignIn(ctx, housing.SignIn{Username: username, Password: demo.Password, DeviceName: username + "'s phone"})
	if err != nil {
		w.t.Fatalf("sign in %s: %v", username, err)
	}
	p, err := w.db.Authenticate(ctx, s.Token)
	if err != nil {
		w.t.Fatalf("authenticate %s: %v", username, err)
	}
	return &phone{w: w, client: &remote.Client{BaseURL: w.url, Token: s.Token}, p: p, next: 1, records: map[string]json.RawMessage{}}
}

// mutation is one intent for phone.push.
type mutation struct {
	kind, id string
	base     int
	data     any
}

// push sends ms as one batch at the world's clock, pulls what comes back,
// and returns the results.
func (ph *phone) push(ms ...mutation) []housing.Result {
	ph.w.t.Helper()
	req := housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: ph.p.DeviceID, Cursor: ph.cursor, Mutations: []housing.Mutation{}}
	for _, m := range ms {
		raw, err := json.Marshal(m.data)
		if err != nil {
			ph.w.t.Fatal(err)
		}
		req.Mutations = append(req.Mutations, housing.Mutation{Seq: ph.next, Kind: m.kind, RecordID: m.id, BaseVersion: m.base, HappenedAt: ph.w.clock, Data: raw})
		ph.next++
	}
	resp, err := ph.client.Sync(context.Background(), req)
	if err != nil {
		ph.w.t.Fatalf("%s: sync: %v", ph.p.Name, err)
	}
	ph.apply(resp)
	for more := resp.HasMore; more; {
		more = ph.pull().HasMore
	}
	return resp.Results
}

// ok pushes ms and fails the test unless every one is applied.
func (ph *phone) ok(ms ...mutation) {
	ph.w.t.Helper()
	for _, r := range ph.push(ms...) {
		if r.Status != housing.ResultApplied {
			ph.w.t.Fatalf("%s: mutation %d: got %s %s (%s), want applied", ph.p.Name, r.Seq, r.Status, r.Code, r.Reason)
		}
	}
}

// pull fetches one page of changes.
func (ph *phone) pull() housing.SyncResponse {
	ph.w.t.Helper()
	resp, err := ph.client.Sync(context.Background(), housing.SyncRequest{
		Protocol: housing.ProtocolVersion, DeviceID: ph.p.DeviceID, Cursor: ph.cursor, Mutations: []housing.Mutation{}})
	if err != nil {
		ph.w.t.Fatalf("%s: pull: %v", ph.p.Name, err)
	}
	ph.apply(resp)
	return resp
}

// pullAll pulls until the server has nothing more.
func (ph *phone) pullAll() {
	ph.w.t.Helper()
	for ph.pull().HasMore {
	}
}

func (ph *phone) apply(resp housing.SyncResponse) {
	if resp.Reset {
		ph.records = map[string]json.RawMessage{}
	}
	for _, ch := range resp.Changes {
		if ch.Removed {
			delete(ph.records, ch.Kind+"/"+ch.ID)
		} else {
			ph.records[ch.Kind+"/"+ch.ID] = ch.Data
		}
	}
	ph.cursor = resp.Cursor
}

// commitment returns the phone's copy of commitment id, and whether it has one.
func (ph *phone) commitment(id string) (housing.Commitment, bool) {
	var c housing.Commitment
	raw, ok := ph.records[housing.RecordCommitment+"/"+id]
	if !ok {
		return c, false
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		ph.w.t.Fatalf("decode commitment: %v", err)
	}
	return c, true
}

// promise returns the mutation that makes a promise by the phone's officer
// at tenancy t, owned by function and due on due, with a tenant link.
func (ph *phone) promise(t housing.Tenancy, function string, due housing.Date, what string) (housing.Commitment, mutation) {
	c := housing.Commitment{
		ID: uuid.Must(uuid.NewV7()).String(), TenancyID: t.ID, SiteID: t.SiteID, Household: t.Household, Address: t.Address,
		MadeBy: ph.p.OfficerID, MadeByName: ph.p.Name, FunctionID: function, What: what, DueDate: due, Token: housing.NewToken(),
	}
	return c, mutation{housing.KindCommitmentMake, c.ID, 0, c}
}

// act returns the mutation of an intent on commitment c.
func act(kind string, c housing.Commitment, a housing.CommitmentAction) mutation {
	return mutation{kind, c.ID, 0, a}
}

// feedback returns the mutation that records feedback by the phone's
// officer at tenancy t.
func (ph *phone) feedback(t housing.Tenancy, answers map[housing.Question]housing.Rating, comment string) (housing.Feedback, mutation) {
	f := housing.Feedback{
		ID: uuid.Must(uuid.NewV7()).String(), TenancyID: t.ID, SiteID: t.SiteID, Source: housing.SourceOfficer,
		Answers: answers, Comment: comment,
	}
	return f, mutation{housing.KindFeedbackGive, f.ID, 0, f}
}

// get calls a review route as the holder of token and decodes a JSON
// answer into out. It returns the status and, for an error, its code.
func (w *reviewWorld) get(token, path string, q url.Values, out any) (int, string) {
	w.t.Helper()
	resp := w.getRaw(token, path, q)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		var e housing.ErrorBody
		json.Unmarshal(body, &e)
		return resp.StatusCode, e.Code
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			w.t.Fatalf("GET %s: decode: %v", path, err)
		}
	}
	return resp.StatusCode, ""
}

func (w *reviewWorld) getRaw(token, path string, q url.Values) *http.Response {
	w.t.Helper()
	u := w.url + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	return resp
}

// tenantPage returns the tenant link page of the commitment with token, as
// the tenant's phone receives it.
func (w *reviewWorld) tenantPage(token string) string {
	w.t.Helper()
	resp := w.getRaw("", housing.TenantPath(token), nil)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		w.t.Fatalf("tenant page: got %d, %v", resp.StatusCode, err)
	}
	return html.UnescapeString(string(body))
}
