package main

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"doorstep/app/remote"
	"doorstep/app/replica"
	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// adminServer is the server as a Doer for the admin's handlers: each
// request is answered from routes by "METHOD path" (a route not there is
// the server's own 404), or with no answer at all while offline; every
// request is recorded with its body.
type adminServer struct {
	routes  map[string]remote.Response
	offline bool
	sent    []string
}

func (s *adminServer) do(ctx context.Context, r remote.Request) (remote.Response, error) {
	path, _, _ := strings.Cut(strings.TrimPrefix(r.URL, "https://doorstep.test"), "?")
	s.sent = append(s.sent, r.Method+" "+strings.TrimPrefix(r.URL, "https://doorstep.test")+" "+string(r.Body))
	if s.offline {
		return remote.Response{}, errors.New("fetch failed")
	}
	if res, ok := s.routes[r.Method+" "+path]; ok {
		return res, nil
	}
	return remote.Response{Status: 404, Body: []byte(`{"code":"not_found","message":"No API endpoint answers ` + r.Method + ` ` + path + `."}`)}, nil
}

func ok(status int, body string) remote.Response {
	return remote.Response{Status: status, Body: []byte(body)}
}

// newTestAdmin is the admin's wiring with the demo admin signed in and the
// server behind srv.
func newTestAdmin(srv *adminServer) (*admin, *fakeBrowser) {
	b := &fakeBrowser{at: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	signedIn := func() (replica.Account, bool) {
		return replica.Account{Officer: housing.Officer{ID: "officer-admin", Role: housing.RoleAdmin}, Token: "admin-tok"}, true
	}
	return newAdmin(b, remote.Client{BaseURL: "https://doorstep.test", Do: srv.do}, signedIn), b
}

// TestAdminLoads loads each admin view over the one kept on the device: a
// fresh load replaces it, no answer keeps it marked offline, and a refusal
// (a route this server lacks, say) keeps it with the server's words.
func TestAdminLoads(t *testing.T) {
	ctx := context.Background()
	keptAt := time.Date(2026, 12, 1, 16, 0, 0, 0, time.UTC)
	kept := ui.Loaded{LoadedAt: keptAt}
	routes := map[string]remote.Response{
		"GET /api/v1/admin/users":             ok(200, `{"users":[{"id":"o1","name":"Ann Lee","email":"ann@example.org"}]}`),
		"GET /api/v1/admin/sites":             ok(200, `{"sites":[{"id":"riverside","name":"Riverside Estate"}]}`),
		"GET /api/v1/admin/teams":             ok(200, `{"teams":[{"id":"repairs","name":"Repairs"}]}`),
		"GET /api/v1/admin/standards":         ok(200, `{"standards":[{"id":"repairs.urgent","name":"Urgent repair"}]}`),
		"GET /api/v1/admin/standards/history": ok(200, `{"changes":[{"standard_id":"repairs.urgent","reason":"Board"}]}`),
		"GET /api/v1/admin/imports":           ok(200, `{"imports":[{"id":"i1","files":["sites.csv"]}]}`),
		"GET /api/v1/admin/tokens":            ok(200, `{"tokens":[{"id":"k1","name":"Repairs system"}]}`),
	}
	for _, tc := range []struct {
		name string
		load func(a *admin, c remote.Client) (l ui.Loaded, shows string)
		want string // what the loaded view shows; the kept one shows "kept"
	}{
		{"Staff", func(a *admin, c remote.Client) (ui.Loaded, string) {
			v := a.staff(ctx, c, ui.AdminStaffView{Loaded: kept, Users: []housing.Officer{{Name: "kept"}}, Sites: []housing.Site{{}}, Teams: []housing.Function{{}}})
			return v.Loaded, v.Users[0].Name + "," + v.Users[0].Email + "," + v.Sites[0].Name + "," + v.Teams[0].Name
		}, "Ann Lee,ann@example.org,Riverside Estate,Repairs"},
		{"Places", func(a *admin, c remote.Client) (ui.Loaded, string) {
			v := a.places(ctx, c, ui.AdminPlacesView{Loaded: kept, Sites: []housing.Site{{Name: "kept"}}, Teams: []housing.Function{{}}})
			return v.Loaded, v.Sites[0].Name + "," + v.Teams[0].Name
		}, "Riverside Estate,Repairs"},
		{"Standards", func(a *admin, c remote.Client) (ui.Loaded, string) {
			v := a.standards(ctx, c, ui.AdminStandardsView{Loaded: kept, Standards: []housing.Standard{{Name: "kept"}}, Teams: []housing.Function{{}}, History: []housing.StandardAudit{{}}})
			return v.Loaded, v.Standards[0].Name + "," + v.Teams[0].Name + "," + v.History[0].Reason
		}, "Urgent repair,Repairs,Board"},
		{"Imports", func(a *admin, c remote.Client) (ui.Loaded, string) {
			v := a.imports(ctx, c, ui.AdminImportsView{Loaded: kept, Imports: []housing.ImportReport{{ID: "kept"}}})
			return v.Loaded, v.Imports[0].ID
		}, "i1"},
		{"Tokens", func(a *admin, c remote.Client) (ui.Loaded, string) {
			v := a.tokens(ctx, c, ui.AdminTokensView{Loaded: kept, Tokens: []housing.IntegrationToken{{Name: "kept"}}, Teams: []housing.Function{{}}})
			return v.Loaded, v.Tokens[0].Name + "," + v.Teams[0].Name
		}, "Repairs system,Repairs"},
	} {
		t.Run(tc.name+"OK", func(t *testing.T) {
			a, b := newTestAdmin(&adminServer{routes: routes})
			c, officer, ok := a.client()
			if !ok || officer != "officer-admin" {
				t.Fatalf("got officer %q, %v; want the admin signed in", officer, ok)
			}
			l, shows := tc.load(a, c)
			if shows != tc.want || !l.LoadedAt.Equal(b.at) || !fresh(l) {
				t.Errorf("got %q loaded %+v, want %q loaded now", shows, l, tc.want)
			}
		})
		t.Run(tc.name+"OfflineKeepsTheKeptView", func(t *testing.T) {
			a, _ := newTestAdmin(&adminServer{routes: routes, offline: true})
			c, _, _ := a.client()
			l, shows := tc.load(a, c)
			if !strings.HasPrefix(shows, "kept") || !l.Offline || !l.LoadedAt.Equal(keptAt) || fresh(l) {
				t.Errorf("got %q loaded %+v, want the kept view marked offline", shows, l)
			}
		})
		t.Run(tc.name+"RouteMissingSaysSo", func(t *testing.T) {
			a, _ := newTestAdmin(&adminServer{})
			c, _, _ := a.client()
			l, shows := tc.load(a, c)
			if !strings.HasPrefix(shows, "kept") || l.Offline || !strings.HasPrefix(l.Problem, "No API endpoint answers GET /api/v1/admin/") {
				t.Errorf("got %q loaded %+v, want the kept view with the server's 404 as it said it", shows, l)
			}
		})
	}
}

// TestAdminTokensOfferTeamsWithoutTokens: the teams a token may read come
// from another route than the tokens, and are offered even when the
// tokens cannot be read.
func TestAdminTokensOfferTeamsWithoutTokens(t *testing.T) {
	a, _ := newTestAdmin(&adminServer{routes: map[string]remote.Response{
		"GET /api/v1/admin/teams": ok(200, `{"teams":[{"id":"repairs","name":"Repairs"}]}`),
	}})
	c, _, _ := a.client()
	v := a.tokens(context.Background(), c, ui.AdminTokensView{Tokens: []housing.IntegrationToken{{Name: "kept"}}})
	if len(v.Teams) != 1 || v.Tokens[0].Name != "kept" || v.Problem != "No API endpoint answers GET /api/v1/admin/tokens." || fresh(v.Loaded) {
		t.Errorf("got %+v, want the teams, the kept tokens and the server's 404", v)
	}
}

func TestAdminDevices(t *testing.T) {
	srv := &adminServer{routes: map[string]remote.Response{
		"GET /api/v1/sessions": ok(200, `{"sessions":[{"id":"s1","device_name":"Work phone"}]}`),
	}}
	a, _ := newTestAdmin(srv)
	c, _, _ := a.client()
	v := a.devices(context.Background(), c, "o1")
	if v.OfficerID != "o1" || len(v.Sessions) != 1 || v.Sessions[0].DeviceName != "Work phone" || !fresh(v.Loaded) {
		t.Errorf("got %+v", v)
	}
	if want := "GET /api/v1/sessions?officer=o1 "; srv.sent[0] != want {
		t.Errorf("sent %q, want %q", srv.sent[0], want)
	}
}

// TestAdminChanges sends each change and checks what the answer says: made,
// with what to show once; refused, with the field the server named; or not
// sent, offline, with what was typed kept.
func TestAdminChanges(t *testing.T) {
	ctx := context.Background()
	invalid := func(field, msg string) remote.Response {
		return ok(400, `{"code":"invalid","message":"`+msg+`","field":"`+field+`"}`)
	}

	t.Run("AddUserWithTheirPassword", func(t *testing.T) {
		srv := &adminServer{routes: map[string]remote.Response{"POST /api/v1/admin/users": ok(201, `{"id":"o2","username":"bo","name":"Bo Day"}`)}}
		a, _ := newTestAdmin(srv)
		c, _, _ := a.client()
		done := a.addUser(ctx, c, housing.NewOfficer{Username: "bo", Name: "Bo Day", Role: housing.RoleOfficer, Sites: []string{"riverside"}, Password: "four quiet words"})
		if done.Problem != "" || done.Secret != "" || done.Officer == nil || done.Officer.ID != "o2" || done.Message != "Bo Day can now sign in as bo." {
			t.Errorf("got %+v, want Bo added and no password to show", done)
		}
		if !strings.Contains(srv.sent[0], `"password":"four quiet words"`) {
			t.Errorf("sent %s, want the password typed", srv.sent[0])
		}
	})
	t.Run("AddUserMakesAPassword", func(t *testing.T) {
		srv := &adminServer{routes: map[string]remote.Response{"POST /api/v1/admin/users": ok(201, `{"id":"o2","username":"bo","name":"Bo Day"}`)}}
		a, _ := newTestAdmin(srv)
		c, _, _ := a.client()
		done := a.addUser(ctx, c, housing.NewOfficer{Username: "bo", Name: "Bo Day", Role: housing.RoleOfficer})
		if done.Secret == "" || !strings.Contains(srv.sent[0], `"password":"`+done.Secret+`"`) {
			t.Errorf("got %+v after sending %s, want the password made, sent and shown", done, srv.sent[0])
		}
	})
	t.Run("AddUserRefusedOnItsField", func(t *testing.T) {
		a, _ := newTestAdmin(&adminServer{routes: map[string]remote.Response{"POST /api/v1/admin/users": invalid("username", "A username is 2 to 40 characters long.")}})
		c, _, _ := a.client()
		done := a.addUser(ctx, c, housing.NewOfficer{Username: "b"})
		if done.Field != housing.FieldUsername || done.Problem != "A username is 2 to 40 characters long." || done.Offline || done.Officer != nil {
			t.Errorf("got %+v, want the server's words on the username", done)
		}
	})
	t.Run("OfflineChangesNothing", func(t *testing.T) {
		a, _ := newTestAdmin(&adminServer{offline: true})
		c, _, _ := a.client()
		for name, done := range map[string]ui.AdminDone{
			"add":      a.addUser(ctx, c, housing.NewOfficer{Username: "bo"}),
			"switch":   a.switchUser(ctx, c, ui.AdminSwitch{OfficerID: "o1"}),
			"password": a.setPassword(ctx, c, ui.AdminPassword{OfficerID: "o1"}),
			"site":     a.putSite(ctx, c, housing.Site{ID: "x", Name: "X"}),
			"standard": a.setStandard(ctx, c, housing.StandardChange{}),
			"token":    a.revokeToken(ctx, c, "k1"),
		} {
			if !done.Offline || !strings.Contains(done.Problem, "what you typed is kept") || done.Secret != "" {
				t.Errorf("%s offline: got %+v, want it said plainly that nothing changed", name, done)
			}
		}
	})
	t.Run("SwitchOffAndOn", func(t *testing.T) {
		srv := &adminServer{routes: map[string]remote.Response{
			"POST /api/v1/admin/users/o1/disable": ok(200, `{"id":"o1","name":"Ann Lee","disabled":true}`),
			"POST /api/v1/admin/users/o1/enable":  ok(200, `{"id":"o1","name":"Ann Lee"}`),
		}}
		a, _ := newTestAdmin(srv)
		c, _, _ := a.client()
		if done := a.switchUser(ctx, c, ui.AdminSwitch{OfficerID: "o1"}); !done.Officer.Disabled || !strings.Contains(done.Message, "Ann Lee is switched off") {
			t.Errorf("off: got %+v", done)
		}
		if done := a.switchUser(ctx, c, ui.AdminSwitch{OfficerID: "o1", On: true}); done.Officer.Disabled || !strings.Contains(done.Message, "switched on") {
			t.Errorf("on: got %+v", done)
		}
	})
	t.Run("ResetPassword", func(t *testing.T) {
		srv := &adminServer{routes: map[string]remote.Response{"POST /api/v1/admin/users/o1/password": {Status: 204}}}
		a, _ := newTestAdmin(srv)
		c, _, _ := a.client()
		done := a.setPassword(ctx, c, ui.AdminPassword{OfficerID: "o1"})
		if done.Problem != "" || done.Secret == "" || srv.sent[0] != `POST /api/v1/admin/users/o1/password {"password":"`+done.Secret+`"}` {
			t.Errorf("made: got %+v after sending %s", done, srv.sent[0])
		}
		done = a.setPassword(ctx, c, ui.AdminPassword{OfficerID: "o1", Password: "typed by the admin"})
		if done.Problem != "" || done.Secret != "" {
			t.Errorf("typed: got %+v, want nothing to show: the admin knows it", done)
		}
	})
	t.Run("StandardRefusedOnTheLimit", func(t *testing.T) {
		a, _ := newTestAdmin(&adminServer{routes: map[string]remote.Response{
			"PUT /api/v1/admin/standards/repairs.damp_investigate": invalid("limit", "It is set by law at 10 working days at most."),
		}})
		c, _, _ := a.client()
		done := a.setStandard(ctx, c, housing.StandardChange{Standard: housing.Standard{ID: "repairs.damp_investigate", Limit: 12}, Reason: "x"})
		if done.Field != housing.FieldLimit || done.Problem != "It is set by law at 10 working days at most." {
			t.Errorf("got %+v, want the server's refusal on the limit", done)
		}
	})
	t.Run("SignOutADevice", func(t *testing.T) {
		a, _ := newTestAdmin(&adminServer{routes: map[string]remote.Response{"DELETE /api/v1/sessions/s1": {Status: 204}}})
		c, _, _ := a.client()
		if done := a.signOutDevice(ctx, c, ui.AdminDevice{OfficerID: "o1", SessionID: "s1"}); done.Problem != "" || done.Message == "" {
			t.Errorf("got %+v", done)
		}
	})
	t.Run("MakeAToken", func(t *testing.T) {
		a, _ := newTestAdmin(&adminServer{routes: map[string]remote.Response{"POST /api/v1/admin/tokens": ok(201, `{"id":"k1","name":"Repairs","token":"secret"}`)}})
		c, _, _ := a.client()
		if done := a.makeToken(ctx, c, housing.NewIntegrationToken{Name: "Repairs", Teams: []string{"repairs"}}); done.Token == nil || done.Token.Token != "secret" {
			t.Errorf("got %+v, want the token with its secret to show once", done)
		}
	})
}

func TestAdminImport(t *testing.T) {
	ctx := context.Background()
	files := []housing.ImportFile{{Name: "sites.csv", Data: []byte("site_ref,name\neastfield,Eastfield\n")}}

	t.Run("CheckSendsTheChosenFiles", func(t *testing.T) {
		srv := &adminServer{routes: map[string]remote.Response{"POST /api/v1/admin/imports": ok(200, `{"dry_run":true,"sites":{"added":1}}`)}}
		a, b := newTestAdmin(srv)
		b.chosen = map[string][]housing.ImportFile{"import-files": files}
		c, _, _ := a.client()
		done := a.importFiles(ctx, c, ui.AdminImport{Input: "import-files", DryRun: true, NoPasswords: true})
		if done.Problem != "" || done.Report == nil || !done.Report.DryRun || done.Report.Sites.Added != 1 {
			t.Fatalf("got %+v", done)
		}
		if !strings.HasPrefix(srv.sent[0], "POST /api/v1/admin/imports?dry_run=true&no_passwords=true ") || !strings.Contains(srv.sent[0], "eastfield,Eastfield") {
			t.Errorf("sent %q", srv.sent[0])
		}
	})
	t.Run("AppliedShowsThePasswordsOnce", func(t *testing.T) {
		srv := &adminServer{routes: map[string]remote.Response{"POST /api/v1/admin/imports": ok(201, `{"id":"i1","staff":{"added":1},"passwords":[{"username":"ann","password":"dofa-kume-tiso-ravu"}]}`)}}
		a, b := newTestAdmin(srv)
		b.chosen = map[string][]housing.ImportFile{"import-files": files}
		c, _, _ := a.client()
		done := a.importFiles(ctx, c, ui.AdminImport{Input: "import-files"})
		if done.Report == nil || len(done.Report.Passwords) != 1 || done.Report.Passwords[0].Username != "ann" {
			t.Errorf("got %+v", done)
		}
	})
	t.Run("RefusedListsEveryProblem", func(t *testing.T) {
		srv := &adminServer{routes: map[string]remote.Response{"POST /api/v1/admin/imports": ok(400,
			`{"code":"invalid","message":"2 rows are wrong.","problems":[{"file":"staff.csv","line":3,"column":"role","message":"Choose a role."},{"file":"tenancies.csv","message":"Not UTF-8."}]}`)}}
		a, b := newTestAdmin(srv)
		b.chosen = map[string][]housing.ImportFile{"import-files": files}
		c, _, _ := a.client()
		done := a.importFiles(ctx, c, ui.AdminImport{Input: "import-files"})
		if done.Problem != "2 rows are wrong." || len(done.Problems) != 2 || done.Problems[0].Line != 3 || done.Report != nil {
			t.Errorf("got %+v", done)
		}
	})
	t.Run("NothingChosen", func(t *testing.T) {
		srv := &adminServer{}
		a, _ := newTestAdmin(srv)
		c, _, _ := a.client()
		if done := a.importFiles(ctx, c, ui.AdminImport{Input: "import-files"}); !strings.HasPrefix(done.Problem, "Choose the CSV files first") || len(srv.sent) != 0 {
			t.Errorf("got %+v after sending %q, want a request to choose files and nothing sent", done, srv.sent)
		}
	})
	t.Run("Unreadable", func(t *testing.T) {
		a, b := newTestAdmin(&adminServer{})
		b.unreadable = errors.New("NotReadableError")
		c, _, _ := a.client()
		if done := a.importFiles(ctx, c, ui.AdminImport{Input: "import-files"}); !strings.Contains(done.Problem, "NotReadableError") {
			t.Errorf("got %+v", done)
		}
	})
	t.Run("RouteMissingSaysSo", func(t *testing.T) {
		a, b := newTestAdmin(&adminServer{})
		b.chosen = map[string][]housing.ImportFile{"import-files": files}
		c, _, _ := a.client()
		if done := a.importFiles(ctx, c, ui.AdminImport{Input: "import-files", DryRun: true}); done.Problem != "No API endpoint answers POST /api/v1/admin/imports." || done.Offline {
			t.Errorf("got %+v, want the server's 404 as it said it", done)
		}
	})
}

func TestAdminCopy(t *testing.T) {
	a, b := newTestAdmin(&adminServer{})
	if done := a.copyText("ann,dofa-kume-tiso-ravu"); done.Problem != "" || b.copied[0] != "ann,dofa-kume-tiso-ravu" {
		t.Errorf("got %+v, copied %q", done, b.copied)
	}
	b.noClipboard = true
	if done := a.copyText("x"); done.Problem == "" {
		t.Errorf("got %+v, want it to say the browser would not copy", done)
	}
}

func TestAdminSignedIn(t *testing.T) {
	for name, acc := range map[string]func() (replica.Account, bool){
		"Nobody":      func() (replica.Account, bool) { return replica.Account{}, false },
		"NeedsSignIn": func() (replica.Account, bool) { return replica.Account{Token: "old", NeedsSignIn: true}, true },
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, ok := newAdmin(&fakeBrowser{}, remote.Client{}, acc).client(); ok {
				t.Error("got a client for the server, want none")
			}
		})
	}
}

// TestNewPassword checks the passwords made for staff read out easily and
// pass the password rule, and are not made twice.
func TestNewPassword(t *testing.T) {
	shape := regexp.MustCompile(`^([` + passwordConsonants + `][` + passwordVowels + `]){2}(-([` + passwordConsonants + `][` + passwordVowels + `]){2}){3}$`)
	seen := map[string]bool{}
	for range 1000 {
		p := newPassword()
		if !shape.MatchString(p) {
			t.Fatalf("made %q, want four groups of consonant, vowel, consonant, vowel", p)
		}
		if err := housing.CheckPassword("someone", p); err != nil {
			t.Fatalf("made %q, which the password rule refuses: %v", p, err)
		}
		if seen[p] {
			t.Fatalf("made %q twice in a thousand", p)
		}
		seen[p] = true
	}
}
