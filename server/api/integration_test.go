package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"doorstep/server/api"
	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// These tests drive the events feed and the token routes through the real
// echo server over a real SQLite file with the demo landlord, with real
// sessions from real sign-ins and real integration tokens.

// newFeedAPI starts the server as server/run.go wires it, with the feed.
func newFeedAPI(t *testing.T) *accounts {
	t.Helper()
	db := openDemoDB(t)
	a := &accounts{t: t, db: db, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), log: &syncBuffer{}}
	db.Now = func() time.Time { return a.now }
	srv, err := api.New(api.Config{
		WebDir: t.TempDir(),
		Log:    slog.New(slog.NewTextHandler(a.log, nil)),
		Services: api.Services{Sessions: db.SessionService, Officers: db.OfficerService, Sync: &sqlite.SyncService{DB: db.DB},
			Review: &sqlite.ReviewService{DB: db.DB}, Tenants: db.TenantService, Integrations: &sqlite.IntegrationService{DB: db.DB}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	a.url = ts.URL
	return a
}

// makeToken makes an integration token as admin through the API.
func (a *accounts) makeToken(admin string, teams ...string) housing.IntegrationToken {
	a.t.Helper()
	res, data := a.call(http.MethodPost, api.TokensPath, admin, housing.NewIntegrationToken{Name: "System for " + strings.Join(teams, ","), Teams: teams})
	if res.StatusCode != http.StatusCreated {
		a.t.Fatalf("make token: got %s %s, want 201", res.Status, data)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		a.t.Errorf("the answer with the secret has Cache-Control %q, want no-store", cc)
	}
	var tok housing.IntegrationToken
	if err := json.Unmarshal(data, &tok); err != nil {
		a.t.Fatal(err)
	}
	return tok
}

// readFeed reads one page of the feed.
func (a *accounts) readFeed(token, query string) (*http.Response, []byte, housing.FeedPage) {
	a.t.Helper()
	res, data := a.call(http.MethodGet, api.EventsPath+query, token, nil)
	var page housing.FeedPage
	if res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(data, &page); err != nil {
			a.t.Fatalf("feed page %s: %v", data, err)
		}
	}
	return res, data, page
}

// makePromises syncs n promises for the repairs team from sarah's phone,
// at a Riverside tenancy, straight through the store.
func (a *accounts) makePromises(n int) {
	a.t.Helper()
	ctx := context.Background()
	p := demotest.Principal(a.t, a.db.DB, "sarah")
	ts, err := a.db.Tenancies(ctx, []string{"riverside"})
	if err != nil || len(ts) == 0 {
		a.t.Fatalf("riverside's tenancies: %v", err)
	}
	svc := &sqlite.SyncService{DB: a.db.DB}
	last, _ := svc.Sync(ctx, p, housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: p.DeviceID, Mutations: []housing.Mutation{}})
	var ms []housing.Mutation
	for i := range n {
		c := synctest.NewCommitment(p, ts[0], housing.FunctionRepairs)
		c.DueDate = "2026-03-20"
		data, _ := json.Marshal(c)
		ms = append(ms, housing.Mutation{Seq: last.LastMutation + int64(i) + 1, Kind: housing.KindCommitmentMake, RecordID: c.ID, HappenedAt: a.now, Data: data})
	}
	resp, err := svc.Sync(ctx, p, housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: p.DeviceID, Mutations: ms})
	if err != nil {
		a.t.Fatal(err)
	}
	for _, r := range resp.Results {
		if r.Status != housing.ResultApplied {
			a.t.Fatalf("promise %d: %s %s", r.Seq, r.Status, r.Reason)
		}
	}
}

func TestEventsAPI(t *testing.T) {
	a := newFeedAPI(t)
	admin := a.signIn("admin").Token
	repairs := a.makeToken(admin, housing.FunctionRepairs)
	lettings := a.makeToken(admin, housing.FunctionLettings)
	a.makePromises(3)

	t.Run("OK", func(t *testing.T) {
		res, data, page := a.readFeed(repairs.Token, "")
		if res.StatusCode != http.StatusOK || len(page.Events) != 3 || page.More || page.Next != page.Events[2].ID {
			t.Fatalf("got %s %s, want 3 events", res.Status, data)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
		e := page.Events[0]
		if e.Type != housing.FeedPromiseMade || e.Team != housing.FunctionRepairs || e.TenancyReference == "" || e.Commitment == nil || e.ByName != "Sarah Okafor" {
			t.Errorf("first event %+v", e)
		}
		var raw struct {
			Events []map[string]any `json:"events"`
		}
		json.Unmarshal(data, &raw)
		if c, ok := raw.Events[0]["commitment"].(map[string]any); !ok || c["token"] != nil || c["history"] != nil {
			t.Errorf("the promise on the wire carries its token or history: %v", raw.Events[0]["commitment"])
		}
	})
	t.Run("Paging", func(t *testing.T) {
		var got []string
		after := ""
		for i := 0; i < 10; i++ {
			res, data, page := a.readFeed(repairs.Token, "?limit=1&after="+after)
			if res.StatusCode != http.StatusOK || len(page.Events) > 1 {
				t.Fatalf("got %s %s", res.Status, data)
			}
			for _, e := range page.Events {
				got = append(got, e.ID)
			}
			if after = page.Next; !page.More {
				break
			}
		}
		_, _, whole := a.readFeed(repairs.Token, "?limit=1000")
		if fmt.Sprint(got) != fmt.Sprint(ids(whole.Events)) {
			t.Errorf("pages of 1 gave %v, one read %v", got, ids(whole.Events))
		}
	})
	t.Run("OtherTeam", func(t *testing.T) {
		res, data, page := a.readFeed(lettings.Token, "")
		if res.StatusCode != http.StatusOK || len(page.Events) != 0 || page.Next != "" || page.More {
			t.Errorf("lettings' token read %s %s, want nothing", res.Status, data)
		}
	})
	t.Run("ErrQuery", func(t *testing.T) {
		for _, q := range []struct{ query, field string }{
			{"?after=abc", housing.FieldAfter},
			{"?after=999999", housing.FieldAfter},
			{"?limit=0", housing.FieldLimit},
			{"?limit=-1", housing.FieldLimit},
			{"?limit=ten", housing.FieldLimit},
			{"?limit=%2B5", housing.FieldLimit},
			{"?after=1&after=2", ""},
			{"?limit=1&limit=2", ""},
			{"?after=%zz", ""},
		} {
			res, data, _ := a.readFeed(repairs.Token, q.query)
			wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)
			if q.field != "" {
				wantField(t, data, q.field)
			}
		}
	})
	t.Run("LimitOverMax", func(t *testing.T) {
		res, data, page := a.readFeed(repairs.Token, "?limit=5000")
		if res.StatusCode != http.StatusOK || len(page.Events) != 3 {
			t.Errorf("got %s %s, want the 3 events", res.Status, data)
		}
	})
}

// TestEventsAPIAuth checks who may read the feed and manage its tokens: an
// integration token and nothing else on the feed, a session and nothing
// else on every other route, an admin's session on the token routes.
func TestEventsAPIAuth(t *testing.T) {
	a := newFeedAPI(t)
	admin := a.signIn("admin").Token
	tok := a.makeToken(admin, housing.AllTeams)
	a.makePromises(1)
	if res, data, _ := a.readFeed(tok.Token, ""); res.StatusCode != http.StatusOK {
		t.Fatalf("a good token: %s %s", res.Status, data)
	}

	t.Run("ErrFeedWithoutIntegrationToken", func(t *testing.T) {
		for _, tt := range []struct{ name, token string }{
			{"None", ""},
			{"SessionBadQuery", a.signIn("jo").Token},
			{"AdminSession", admin},
			{"OfficerSession", a.signIn("sarah").Token},
			{"Malformed", "dsi_not-a-token"},
			{"Unknown", tok.Token[:len(tok.Token)-4] + "AAAA"},
		} {
			query := ""
			if tt.name == "SessionBadQuery" {
				query = "?limit=0&after=abc"
			}
			res, data, _ := a.readFeed(tt.token, query)
			wantError(t, res, data, http.StatusUnauthorized, housing.CodeUnauthorized)
			if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s: WWW-Authenticate %q", tt.name, res.Header.Get("WWW-Authenticate"))
			}
		}
	})
	t.Run("ErrIntegrationTokenElsewhere", func(t *testing.T) {
		for _, r := range []struct{ method, path string }{
			{http.MethodPost, api.SyncPath},
			{http.MethodGet, api.MePath},
			{http.MethodGet, api.SessionsPath},
			{http.MethodGet, api.TokensPath},
			{http.MethodPost, api.TokensPath},
			{http.MethodPost, api.TokensPath + "/" + tok.ID + "/revoke"},
			{http.MethodGet, api.UsersPath},
			{http.MethodGet, api.ReviewQueuesPath},
		} {
			var body any
			if r.method == http.MethodPost {
				body = housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: "x", Mutations: []housing.Mutation{}}
			}
			res, data := a.call(r.method, r.path, tok.Token, body)
			wantError(t, res, data, http.StatusUnauthorized, housing.CodeUnauthorized)
		}
	})
	t.Run("ErrTokenRoutesNotAdmin", func(t *testing.T) {
		for _, user := range []string{"sarah", "jo"} {
			s := a.signIn(user).Token
			for _, r := range []struct{ method, path string }{
				{http.MethodGet, api.TokensPath},
				{http.MethodPost, api.TokensPath},
				{http.MethodPost, api.TokensPath + "/" + tok.ID + "/revoke"},
			} {
				res, data := a.call(r.method, r.path, s, housing.NewIntegrationToken{Name: "Mine", Teams: []string{"*"}})
				wantError(t, res, data, http.StatusForbidden, housing.CodeForbidden)
			}
		}
		res, data := a.call(http.MethodGet, api.TokensPath, "", nil)
		wantError(t, res, data, http.StatusUnauthorized, housing.CodeUnauthorized)
	})
	t.Run("ErrBadToken", func(t *testing.T) {
		for _, tt := range []struct {
			body  housing.NewIntegrationToken
			field string
		}{
			{housing.NewIntegrationToken{Teams: []string{"repairs"}}, housing.FieldName},
			{housing.NewIntegrationToken{Name: "Repairs system"}, housing.FieldTeams},
			{housing.NewIntegrationToken{Name: "Repairs system", Teams: []string{"gardening"}}, housing.FieldTeams},
		} {
			res, data := a.call(http.MethodPost, api.TokensPath, admin, tt.body)
			wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)
			wantField(t, data, tt.field)
		}
	})
	t.Run("ListWithoutSecrets", func(t *testing.T) {
		res, data := a.call(http.MethodGet, api.TokensPath, admin, nil)
		if res.StatusCode != http.StatusOK || strings.Contains(string(data), tok.Token) || strings.Contains(string(data), `"token"`) {
			t.Fatalf("got %s %s, want the list without secrets", res.Status, data)
		}
		var list struct {
			Tokens []housing.IntegrationToken `json:"tokens"`
		}
		if json.Unmarshal(data, &list) != nil || len(list.Tokens) != 1 || list.Tokens[0].ID != tok.ID || list.Tokens[0].LastUsedAt.IsZero() {
			t.Errorf("got %s, want the one token, used", data)
		}
	})
	t.Run("Revoke", func(t *testing.T) {
		res, data := a.call(http.MethodPost, api.TokensPath+"/"+tok.ID+"/revoke", admin, nil)
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("revoke: %s %s", res.Status, data)
		}
		res, data, _ = a.readFeed(tok.Token, "")
		wantError(t, res, data, http.StatusUnauthorized, housing.CodeUnauthorized)
		res, data = a.call(http.MethodPost, api.TokensPath+"/"+tok.ID+"/revoke", admin, nil)
		if res.StatusCode != http.StatusNoContent {
			t.Errorf("revoke again: %s %s, want 204", res.Status, data)
		}
		res, data = a.call(http.MethodPost, api.TokensPath+"/no-such-token/revoke", admin, nil)
		wantError(t, res, data, http.StatusNotFound, housing.CodeNotFound)
	})
	t.Run("Logged", func(t *testing.T) {
		log := a.log.String()
		if !strings.Contains(log, `msg="integration token made"`) || !strings.Contains(log, `msg="integration token revoked"`) || !strings.Contains(log, "token_id="+tok.ID) {
			t.Errorf("the log does not say the token was made and revoked:\n%s", log)
		}
		if strings.Contains(log, tok.Token) || strings.Contains(log, tok.Token[4:]) {
			t.Error("the log holds a token's secret")
		}
	})
}

// TestEventsAPIRateLimited checks that reads of the feed from one address
// are limited, with Retry-After, before any token is looked at.
func TestEventsAPIRateLimited(t *testing.T) {
	a := newFeedAPI(t)
	for i := 0; ; i++ {
		if i > 10*api.DefaultFeedBurst {
			t.Fatal("the feed was never rate limited")
		}
		res, data, _ := a.readFeed("dsi_guess", "")
		if res.StatusCode == http.StatusUnauthorized {
			continue
		}
		wantError(t, res, data, http.StatusTooManyRequests, housing.CodeRateLimited)
		if res.Header.Get("Retry-After") == "" {
			t.Error("a 429 without Retry-After")
		}
		if i < api.DefaultFeedBurst {
			t.Errorf("limited after %d reads, want at least %d", i, api.DefaultFeedBurst)
		}
		return
	}
}

func ids(events []housing.FeedEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.ID
	}
	return out
}

// TestEventsThroughTheLinkPage checks that what a tenant says on their
// link page reaches the feed, read over HTTP: a promise made by one team's
// officer, done by the owning team, disputed and then confirmed by the
// tenant on the page.
func TestEventsThroughTheLinkPage(t *testing.T) {
	sdb, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sdb.Close() })
	db := newStore(sdb)
	fx := synctest.Seed(t, db.SQL())
	svc := &sqlite.SyncService{DB: db.DB}
	feed := &sqlite.IntegrationService{DB: db.DB}
	s := newServer(t, api.Config{Services: api.Services{Tenants: db.TenantService, Integrations: feed,
		TenantKey: []byte("test key: 32 bytes of anything..")}})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	ts := &tenantSite{t: t, srv: srv, db: db,
		tom:  synctest.NewDevice(t, svc, fx, "tom", "tom-phone"),
		rita: synctest.NewDevice(t, svc, fx, "rita", "rita-phone")}
	ts.c, ts.token = ts.makePromise(fx)
	repairs, err := feed.CreateToken(context.Background(), housing.Principal{}, housing.NewIntegrationToken{Name: "Repairs system", Teams: []string{housing.FunctionRepairs}})
	if err != nil {
		t.Fatal(err)
	}

	ts.complete(ts.c.ID)
	tn := ts.tenant()
	tn.answer(url.Values{"answer": {housing.TenantNotDone}, "comment": {"Still dripping"}})
	ts.complete(ts.c.ID)
	tn.answer(url.Values{"answer": {housing.TenantDone}})

	a := &accounts{t: t, url: srv.URL}
	res, data, page := a.readFeed(repairs.Token, "")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("read the feed: %s %s", res.Status, data)
	}
	var got []string
	for _, e := range page.Events {
		got = append(got, e.Type+" by "+e.By+" "+e.Note)
	}
	want := []string{"promise.made by tom ", "promise.done by rita ", "promise.disputed by tenant Still dripping",
		"promise.done by rita ", "promise.kept by tenant "}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the repairs system read\n %q\nwant\n %q", got, want)
	}
}
