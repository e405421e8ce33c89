package remote_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"doorstep/app/remote"
	"doorstep/shared/housing"
)

// adminServer answers the admin's routes as docs/admin-api.md says, and
// records each request as "METHOD path?query body".
type adminServer struct {
	*httptest.Server
	got []string
}

func newAdminServer(t *testing.T) *adminServer {
	t.Helper()
	s := &adminServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer admin-tok" {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"code":"unauthorized","message":"Sign in to continue."}`)
			return
		}
		target := r.Method + " " + r.URL.EscapedPath()
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			if err := r.ParseMultipartForm(1 << 20); err != nil {
				t.Errorf("the import body is not multipart: %v", err)
			}
			for _, fh := range r.MultipartForm.File["file"] {
				f, _ := fh.Open()
				data, _ := io.ReadAll(f)
				target += " " + fh.Filename + "=" + string(data)
			}
		} else if body, _ := io.ReadAll(r.Body); len(body) > 0 {
			target += " " + string(body)
		}
		s.got = append(s.got, target)
		answer := func(status int, body string) {
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
		switch r.Method + " " + r.URL.EscapedPath() {
		case "GET /api/v1/admin/users":
			answer(200, `{"users":[{"id":"o1","username":"ann","name":"Ann Lee","role":"officer","sites":["riverside"],"functions":["repairs"],"email":"ann@example.org","imported":true}]}`)
		case "POST /api/v1/admin/users":
			if strings.Contains(target, `"password":"short"`) {
				answer(400, `{"code":"invalid","message":"Choose a password of at least 8 characters.","field":"password"}`)
				return
			}
			answer(201, `{"id":"o2","username":"bo","name":"Bo Day","role":"officer"}`)
		case "POST /api/v1/admin/users/o%2F1/disable":
			answer(200, `{"id":"o/1","username":"ann","name":"Ann Lee","role":"officer","disabled":true}`)
		case "POST /api/v1/admin/users/o1/enable":
			answer(200, `{"id":"o1","username":"ann","name":"Ann Lee","role":"officer"}`)
		case "POST /api/v1/admin/users/o1/password", "DELETE /api/v1/sessions/s1", "POST /api/v1/admin/tokens/k1/revoke":
			w.WriteHeader(http.StatusNoContent)
		case "GET /api/v1/sessions":
			answer(200, `{"sessions":[{"id":"s1","device_name":"Work phone","officer":{"id":"o1"}}]}`)
		case "GET /api/v1/admin/sites":
			answer(200, `{"sites":[{"id":"riverside","name":"Riverside Estate"}]}`)
		case "PUT /api/v1/admin/sites/eastfield":
			answer(200, `{"id":"eastfield","name":"Eastfield"}`)
		case "GET /api/v1/admin/teams":
			answer(200, `{"teams":[{"id":"repairs","name":"Repairs"}]}`)
		case "PUT /api/v1/admin/teams/estates":
			answer(200, `{"id":"estates","name":"Estate services"}`)
		case "GET /api/v1/admin/standards":
			answer(200, `{"standards":[{"id":"repairs.urgent","function_id":"repairs","kind":"urgent","name":"Urgent repair","unit":"working_days","soonest":1,"limit":5}]}`)
		case "PUT /api/v1/admin/standards/repairs.damp_investigate":
			answer(400, `{"code":"invalid","message":"It is set by law at 10 working days at most.","field":"limit"}`)
		case "GET /api/v1/admin/standards/history":
			answer(200, `{"changes":[{"standard_id":"repairs.urgent","by_name":"Morgan Ellis","after":{"limit":3},"reason":"Board"}]}`)
		case "POST /api/v1/admin/imports":
			if strings.Contains(target, "dry_run=true") {
				answer(200, `{"dry_run":true,"files":["sites.csv"],"sites":{"added":1,"added_rows":["eastfield Eastfield"]}}`)
				return
			}
			answer(400, `{"code":"invalid","message":"2 rows are wrong.","problems":[{"file":"staff.csv","line":3,"column":"role","message":"Choose officer, supervisor or admin."},{"file":"tenancies.csv","message":"This file is not UTF-8."}]}`)
		case "GET /api/v1/admin/tokens":
			answer(404, `{"code":"not_found","message":"No API endpoint answers GET /api/v1/admin/tokens."}`)
		case "POST /api/v1/admin/tokens":
			answer(201, `{"id":"k1","name":"Repairs system","teams":["repairs"],"token":"dst_secret"}`)
		default:
			answer(http.StatusBadGateway, "<html>proxy error</html>")
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// TestAdmin calls each admin route from the client and checks what went on
// the wire and what came back.
func TestAdmin(t *testing.T) {
	srv := newAdminServer(t)
	ctx := context.Background()
	c := remote.Client{BaseURL: srv.URL, Token: "admin-tok"}
	last := func() string { return srv.got[len(srv.got)-1] }

	t.Run("Staff", func(t *testing.T) {
		users, err := c.Users(ctx)
		if err != nil || len(users) != 1 || users[0].Email != "ann@example.org" || !users[0].Imported {
			t.Fatalf("got %+v, %v", users, err)
		}
		o, err := c.AddUser(ctx, housing.NewOfficer{Username: "bo", Name: "Bo Day", Role: housing.RoleOfficer, Email: "bo@example.org", Password: "four quiet words"})
		if err != nil || o.ID != "o2" {
			t.Fatalf("add: got %+v, %v", o, err)
		}
		if want := `POST /api/v1/admin/users {"username":"bo","name":"Bo Day","role":"officer","sites":null,"functions":null,"email":"bo@example.org","password":"four quiet words"}`; last() != want {
			t.Errorf("sent %s, want %s", last(), want)
		}
		_, err = c.AddUser(ctx, housing.NewOfficer{Username: "bo", Password: "short"})
		if housing.ErrorField(err) != housing.FieldPassword || housing.ErrorCode(err) != housing.CodeInvalid {
			t.Errorf("a refused add: got %v, want the server's error about the password", err)
		}
		if o, err := c.SwitchUser(ctx, "o/1", false); err != nil || !o.Disabled {
			t.Errorf("switch off: got %+v, %v", o, err)
		}
		if o, err := c.SwitchUser(ctx, "o1", true); err != nil || o.Disabled {
			t.Errorf("switch on: got %+v, %v", o, err)
		}
		if err := c.SetUserPassword(ctx, "o1", "new quiet words"); err != nil || last() != `POST /api/v1/admin/users/o1/password {"password":"new quiet words"}` {
			t.Errorf("password: got %v, sent %s", err, last())
		}
		ss, err := c.Devices(ctx, "o 1")
		if err != nil || len(ss) != 1 || ss[0].DeviceName != "Work phone" || last() != "GET /api/v1/sessions?officer=o+1" {
			t.Errorf("devices: got %+v, %v, sent %s", ss, err, last())
		}
		if err := c.SignOutDevice(ctx, "s1"); err != nil {
			t.Errorf("sign out a device: %v", err)
		}
	})

	t.Run("Places", func(t *testing.T) {
		if sites, err := c.Sites(ctx); err != nil || len(sites) != 1 {
			t.Errorf("sites: got %+v, %v", sites, err)
		}
		if s, err := c.PutSite(ctx, housing.Site{ID: "eastfield", Name: "Eastfield"}); err != nil || s.Name != "Eastfield" || last() != `PUT /api/v1/admin/sites/eastfield {"name":"Eastfield"}` {
			t.Errorf("put site: got %+v, %v, sent %s", s, err, last())
		}
		if teams, err := c.Teams(ctx); err != nil || len(teams) != 1 {
			t.Errorf("teams: got %+v, %v", teams, err)
		}
		if f, err := c.PutTeam(ctx, housing.Function{ID: "estates", Name: "Estate services"}); err != nil || f.ID != "estates" {
			t.Errorf("put team: got %+v, %v", f, err)
		}
	})

	t.Run("Standards", func(t *testing.T) {
		list, err := c.Standards(ctx)
		if err != nil || len(list) != 1 || list[0].Unit != housing.UnitWorkingDays {
			t.Fatalf("got %+v, %v", list, err)
		}
		st := housing.Standard{ID: "repairs.damp_investigate", FunctionID: "repairs", Limit: 12}
		_, err = c.SetStandard(ctx, housing.StandardChange{Standard: st, Reason: "Too tight"})
		if housing.ErrorField(err) != housing.FieldLimit {
			t.Errorf("got %v, want the server's refusal about the limit", err)
		}
		if !strings.HasPrefix(last(), `PUT /api/v1/admin/standards/repairs.damp_investigate {"standard":{"id":"repairs.damp_investigate"`) || !strings.HasSuffix(last(), `"reason":"Too tight"}`) {
			t.Errorf("sent %s", last())
		}
		hist, err := c.StandardHistory(ctx, "")
		if err != nil || len(hist) != 1 || hist[0].After.Limit != 3 || last() != "GET /api/v1/admin/standards/history" {
			t.Errorf("all history: got %+v, %v, sent %s", hist, err, last())
		}
		if _, err := c.StandardHistory(ctx, "repairs.urgent"); err != nil || last() != "GET /api/v1/admin/standards/history?standard=repairs.urgent" {
			t.Errorf("one standard's history: %v, sent %s", err, last())
		}
	})

	t.Run("Imports", func(t *testing.T) {
		files := []housing.ImportFile{{Name: "sites.csv", Data: []byte("site_ref,name\neastfield,Eastfield\n")}, {Name: "teams.csv", Data: []byte("team_ref,name\n")}}
		r, err := c.Import(ctx, files, housing.ImportOptions{DryRun: true, NoPasswords: true})
		if err != nil || !r.DryRun || r.Sites.Added != 1 || !slices.Equal(r.Sites.AddedRows, []string{"eastfield Eastfield"}) {
			t.Fatalf("dry run: got %+v, %v", r, err)
		}
		want := "POST /api/v1/admin/imports?dry_run=true&no_passwords=true sites.csv=site_ref,name\neastfield,Eastfield\n teams.csv=team_ref,name\n"
		if last() != want {
			t.Errorf("sent %q, want %q", last(), want)
		}
		_, err = c.Import(ctx, files, housing.ImportOptions{})
		var he *housing.Error
		if !errors.As(err, &he) || he.Code != housing.CodeInvalid || len(he.Problems) != 2 ||
			he.Problems[0] != (housing.Problem{File: "staff.csv", Line: 3, Column: "role", Message: "Choose officer, supervisor or admin."}) {
			t.Errorf("a refused import: got %+v, want every problem the server listed", err)
		}
		if !strings.HasPrefix(last(), "POST /api/v1/admin/imports sites.csv=") {
			t.Errorf("an applied import asked %q, want no flags", last())
		}
	})

	t.Run("Tokens", func(t *testing.T) {
		_, err := c.Tokens(ctx)
		if housing.ErrorCode(err) != housing.CodeNotFound || !strings.Contains(housing.ErrorMessage(err), "/api/v1/admin/tokens") {
			t.Errorf("a route the server lacks: got %v, want its 404 as it said it", err)
		}
		tok, err := c.MakeToken(ctx, housing.NewIntegrationToken{Name: "Repairs system", Teams: []string{"repairs"}})
		if err != nil || tok.Token != "dst_secret" || last() != `POST /api/v1/admin/tokens {"name":"Repairs system","teams":["repairs"]}` {
			t.Errorf("make: got %+v, %v, sent %s", tok, err, last())
		}
		if err := c.RevokeToken(ctx, "k1"); err != nil {
			t.Errorf("revoke: %v", err)
		}
	})

	t.Run("NotSignedIn", func(t *testing.T) {
		_, err := (&remote.Client{BaseURL: srv.URL}).Users(ctx)
		if housing.ErrorCode(err) != housing.CodeUnauthorized {
			t.Errorf("got %v, want unauthorized", err)
		}
	})
}

// TestImportBodyIsNeverCompressed: the import's multipart body goes as it
// is, whatever its size, since the route reads it as it comes.
func TestImportBodyIsNeverCompressed(t *testing.T) {
	var got remote.Request
	c := remote.Client{BaseURL: "https://doorstep.test", Token: "t", GzipOver: 1, Do: func(ctx context.Context, r remote.Request) (remote.Response, error) {
		got = r
		return remote.Response{Status: 200, Body: []byte(`{}`)}, nil
	}}
	big := []housing.ImportFile{{Name: "tenancies.csv", Data: []byte(strings.Repeat("x", 4096))}}
	if _, err := c.Import(context.Background(), big, housing.ImportOptions{DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if got.Compress || !strings.HasPrefix(got.Header["Content-Type"], "multipart/form-data; boundary=") {
		t.Errorf("sent compress=%v, content type %q; want a plain multipart body", got.Compress, got.Header["Content-Type"])
	}
}
