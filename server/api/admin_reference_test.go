package api_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"doorstep/app/remote"
	"doorstep/server/api"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// newReferenceAdmin starts the server as server/run.go wires it, with the
// reference admin routes, over a fresh database with the demo landlord.
func newReferenceAdmin(t *testing.T) *accounts {
	t.Helper()
	db := openDemoDB(t)
	a := &accounts{t: t, db: db, now: time.Now(), log: &syncBuffer{}}
	srv, err := api.New(api.Config{
		WebDir: t.TempDir(),
		Log:    slog.New(slog.NewTextHandler(a.log, nil)),
		Services: api.Services{Sessions: db.SessionService, Officers: db.OfficerService, Sync: &sqlite.SyncService{DB: db.DB},
			ReferenceAdmin: &sqlite.ReferenceAdminService{DB: db.DB}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	a.url = ts.URL
	return a
}

// decode reads a successful answer of status into v.
func decode(t *testing.T, res *http.Response, data []byte, status int, v any) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("got %s %s, want %d", res.Status, data, status)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
}

func TestReferenceAdminRoleGate(t *testing.T) {
	a := newReferenceAdmin(t)
	sarah, jo := a.signIn("sarah"), a.signIn("jo")
	routes := []struct {
		method, path string
		body         any
	}{
		{http.MethodGet, api.SitesPath, nil},
		{http.MethodPut, api.SitesPath + "/riverside", map[string]string{"name": "Mine now"}},
		{http.MethodGet, api.TeamsPath, nil},
		{http.MethodPut, api.TeamsPath + "/repairs", map[string]string{"name": "Mine now"}},
		{http.MethodGet, api.StandardsPath, nil},
		{http.MethodPut, api.StandardsPath + "/repairs.urgent", housing.StandardChange{Reason: "x"}},
		{http.MethodGet, api.StandardsPath + "/history", nil},
	}
	for _, r := range routes {
		t.Run(r.method+r.path, func(t *testing.T) {
			for _, s := range []housing.Session{sarah, jo} {
				res, data := a.call(r.method, r.path, s.Token, r.body)
				wantError(t, res, data, http.StatusForbidden, housing.CodeForbidden)
			}
			res, data := a.call(r.method, r.path, "", r.body)
			wantError(t, res, data, http.StatusUnauthorized, housing.CodeUnauthorized)
		})
	}
	if strings.Contains(a.log.String(), "saved") {
		t.Errorf("refused calls logged a change:\n%s", a.log)
	}
}

func TestReferenceAdminAPI(t *testing.T) {
	a := newReferenceAdmin(t)
	admin := a.signIn("admin")

	t.Run("Places", func(t *testing.T) {
		var site housing.Site
		res, data := a.call(http.MethodPut, api.SitesPath+"/eastfield", admin.Token, map[string]string{"name": "Eastfield Estate"})
		decode(t, res, data, http.StatusOK, &site)
		if site != (housing.Site{ID: "eastfield", Name: "Eastfield Estate"}) {
			t.Errorf("got %+v", site)
		}
		var sites struct{ Sites []housing.Site }
		res, data = a.call(http.MethodGet, api.SitesPath, admin.Token, nil)
		decode(t, res, data, http.StatusOK, &sites)
		if !containsSite(sites.Sites, site) || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("got %+v (Cache-Control %q), want Eastfield listed and nothing cached", sites, res.Header.Get("Cache-Control"))
		}

		var team housing.Function
		res, data = a.call(http.MethodPut, api.TeamsPath+"/repairs", admin.Token, map[string]string{"name": "Repairs and maintenance"})
		decode(t, res, data, http.StatusOK, &team)
		var teams struct{ Teams []housing.Function }
		res, data = a.call(http.MethodGet, api.TeamsPath, admin.Token, nil)
		decode(t, res, data, http.StatusOK, &teams)
		renamed := false
		for _, f := range teams.Teams {
			renamed = renamed || f == housing.Function{ID: "repairs", Name: "Repairs and maintenance"}
		}
		if !renamed {
			t.Errorf("got teams %+v, want repairs renamed", teams)
		}

		res, data = a.call(http.MethodPut, api.SitesPath+"/East%20Field", admin.Token, map[string]string{"name": "East"})
		wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)
		res, data = a.call(http.MethodPut, api.TeamsPath+"/estates", admin.Token, map[string]string{"name": ""})
		wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)
		wantField(t, data, housing.FieldName)
		res, data = a.call(http.MethodPut, api.TeamsPath+"/estates", admin.Token, "not an object")
		wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)
		for _, want := range []string{`msg="site saved" by=` + admin.Officer.ID + " site_id=eastfield", `msg="team saved" by=` + admin.Officer.ID + " function_id=repairs"} {
			if !strings.Contains(a.log.String(), want) {
				t.Errorf("the log lacks %q:\n%s", want, a.log)
			}
		}
	})

	t.Run("ErrStatutoryLoosened", func(t *testing.T) {
		law := standardOf(t, a, admin.Token, "repairs.damp_investigate")
		loose := law
		loose.Limit = law.Limit + 5
		res, data := a.call(http.MethodPut, api.StandardsPath+"/"+law.ID, admin.Token, housing.StandardChange{Standard: loose, Reason: "We cannot keep up."})
		msg := wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)
		wantField(t, data, housing.FieldLimit)
		if !strings.Contains(msg, "Awaab") {
			t.Errorf("got %q, want the message to say which law sets it", msg)
		}
		if got := standardOf(t, a, admin.Token, law.ID); got != law {
			t.Errorf("after the refusal: %+v, want it as it was", got)
		}
	})

	t.Run("ErrBodyNamesAnotherStandard", func(t *testing.T) {
		st := standardOf(t, a, admin.Token, "repairs.urgent")
		res, data := a.call(http.MethodPut, api.StandardsPath+"/repairs.routine", admin.Token, housing.StandardChange{Standard: st, Reason: "x"})
		wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)
		wantField(t, data, housing.FieldID)
	})

	t.Run("ErrNoReason", func(t *testing.T) {
		st := standardOf(t, a, admin.Token, "repairs.urgent")
		st.Limit = 3
		res, data := a.call(http.MethodPut, api.StandardsPath+"/"+st.ID, admin.Token, housing.StandardChange{Standard: st})
		wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)
		wantField(t, data, housing.FieldReason)
	})

	t.Run("TightenedReachesAnOfficersPhone", func(t *testing.T) {
		// Tom is a repairs officer; his phone has synced before the change.
		tom := a.signIn("tom")
		phone := &remote.Client{BaseURL: a.url, Token: tom.Token}
		cursor, pulled := pullAll(t, phone, tom.DeviceID, "")
		if pulled["repairs.urgent"].Limit != 5 {
			t.Fatalf("tom's phone holds %+v before the change, want the default limit of 5", pulled["repairs.urgent"])
		}

		st := standardOf(t, a, admin.Token, "repairs.urgent")
		st.Limit = 3
		var saved housing.Standard
		// The body may leave the ID to the path.
		body := st
		body.ID = ""
		res, data := a.call(http.MethodPut, api.StandardsPath+"/repairs.urgent", admin.Token, housing.StandardChange{Standard: body, Reason: "The board's new target."})
		decode(t, res, data, http.StatusOK, &saved)
		if saved != st {
			t.Fatalf("got %+v, want %+v", saved, st)
		}
		if want := `msg="standard saved" by=` + admin.Officer.ID + " standard_id=repairs.urgent"; !strings.Contains(a.log.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, a.log)
		}
		if strings.Contains(a.log.String(), "board's new target") {
			t.Errorf("the log holds the admin's reason:\n%s", a.log)
		}

		_, pulled = pullAll(t, phone, tom.DeviceID, cursor)
		if got, ok := pulled["repairs.urgent"]; !ok || got != st {
			t.Errorf("tom's next sync brought %+v, want the new standard %+v", got, st)
		}

		var hist struct{ Changes []housing.StandardAudit }
		res, data = a.call(http.MethodGet, api.StandardsPath+"/history?standard=repairs.urgent", admin.Token, nil)
		decode(t, res, data, http.StatusOK, &hist)
		if len(hist.Changes) != 1 || hist.Changes[0].Reason != "The board's new target." || hist.Changes[0].ByName == "" ||
			hist.Changes[0].Before == nil || hist.Changes[0].Before.Limit != 5 || hist.Changes[0].After.Limit != 3 {
			t.Errorf("history %s, want the one change from 5 to 3 with its reason and who made it", data)
		}
		res, data = a.call(http.MethodGet, api.StandardsPath+"/history?standard=repairs.routine", admin.Token, nil)
		if res.StatusCode != http.StatusOK || string(data) != `{"changes":[]}`+"\n" {
			t.Errorf("a standard never changed: got %s %q, want an empty list", res.Status, data)
		}
		res, data = a.call(http.MethodGet, api.StandardsPath+"/history?standard=a&standard=b", admin.Token, nil)
		wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)
	})
}

// standardOf reads standard id from the admin route.
func standardOf(t *testing.T, a *accounts, token, id string) housing.Standard {
	t.Helper()
	var list struct{ Standards []housing.Standard }
	res, data := a.call(http.MethodGet, api.StandardsPath, token, nil)
	decode(t, res, data, http.StatusOK, &list)
	s, ok := housing.FindStandard(list.Standards, id)
	if !ok {
		t.Fatalf("no standard %s in %s", id, data)
	}
	return s
}

// pullAll syncs a phone from cursor until the server has no more, and
// returns the new cursor and the standards it pulled, by ID.
func pullAll(t *testing.T, phone *remote.Client, device, cursor string) (string, map[string]housing.Standard) {
	t.Helper()
	got := map[string]housing.Standard{}
	for {
		resp, err := phone.Sync(context.Background(), housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: device, Cursor: cursor, Mutations: []housing.Mutation{}})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range resp.Changes {
			if c.Kind != housing.RecordStandard {
				continue
			}
			var s housing.Standard
			if err := json.Unmarshal(c.Data, &s); err != nil {
				t.Fatal(err)
			}
			got[s.ID] = s
		}
		cursor = resp.Cursor
		if !resp.HasMore {
			return cursor, got
		}
	}
}

func containsSite(list []housing.Site, s housing.Site) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
