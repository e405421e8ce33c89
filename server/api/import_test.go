package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"doorstep/server/api"
	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// These tests drive the import routes through the real echo server and
// its error handler, over a real SQLite file that starts empty, as a
// landlord's does: its first admin made by hand, then the sample files in
// docs/examples uploaded as the admin screen uploads them.

type importSite struct {
	t     *testing.T
	url   string
	db    *sqlite.DB
	log   *syncBuffer
	token string // the first admin's
}

func newImportSite(t *testing.T) *importSite {
	t.Helper()
	db := demotest.Empty(t)
	s := &importSite{t: t, db: db, log: &syncBuffer{}}
	srv, err := api.New(api.Config{
		WebDir: t.TempDir(),
		Log:    slog.New(slog.NewTextHandler(s.log, nil)),
		Services: api.Services{Sessions: &sqlite.SessionService{DB: db}, Officers: &sqlite.OfficerService{DB: db},
			Imports: &sqlite.ImportService{DB: db}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	s.url = ts.URL
	if _, err := (&sqlite.OfficerService{DB: db}).CreateOfficer(context.Background(), housing.NewOfficer{
		Username: "admin", Name: "First Admin", Role: housing.RoleAdmin, Password: "tea at the lighthouse"}); err != nil {
		t.Fatal(err)
	}
	s.token = s.signIn("admin", "tea at the lighthouse")
	return s
}

func (s *importSite) signIn(username, password string) string {
	s.t.Helper()
	body, _ := json.Marshal(housing.SignIn{Username: username, Password: password, DeviceName: "Office PC"})
	res, err := http.Post(s.url+api.SessionPath, "application/json", bytes.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	var session housing.Session
	if err := json.NewDecoder(res.Body).Decode(&session); err != nil || res.StatusCode != http.StatusCreated {
		s.t.Fatalf("sign in as %s: %s, %v", username, res.Status, err)
	}
	return session.Token
}

// upload posts files (name → content) to the import route with query and
// returns the response and its body.
func (s *importSite) upload(token, query string, files ...housing.ImportFile) (*http.Response, []byte) {
	s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range files {
		w, err := mw.CreateFormFile("file", f.Name)
		if err != nil {
			s.t.Fatal(err)
		}
		w.Write(f.Data)
	}
	mw.Close()
	return s.send(http.MethodPost, api.ImportsPath+query, token, mw.FormDataContentType(), &body)
}

func (s *importSite) send(method, path, token, contentType string, body io.Reader) (*http.Response, []byte) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.url+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return res, data
}

func (s *importSite) highWater() int64 {
	s.t.Helper()
	var n int64
	if err := s.db.SQL().QueryRow(`SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

func exampleFiles(t *testing.T) []housing.ImportFile {
	t.Helper()
	var out []housing.ImportFile
	for _, name := range []string{housing.ImportSites, housing.ImportTeams, housing.ImportStaff, housing.ImportTenancies} {
		data, err := os.ReadFile(filepath.Join("..", "..", "docs", "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, housing.ImportFile{Name: name, Data: data})
	}
	return out
}

func decodeReport(t *testing.T, data []byte) housing.ImportReport {
	t.Helper()
	var r housing.ImportReport
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	return r
}

func TestImportAPI(t *testing.T) {
	s := newImportSite(t)
	files := exampleFiles(t)

	// A dry run answers 200 with what would change, and changes nothing.
	high := s.highWater()
	res, data := s.upload(s.token, "?dry_run=true", files...)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("dry run: %s %s", res.Status, data)
	}
	if r := decodeReport(t, data); !r.DryRun || r.Tenancies.Added != 60 || r.Staff.Added != 12 || len(r.Passwords) != 0 {
		t.Errorf("dry run: got %+v", r)
	}
	if s.highWater() != high {
		t.Errorf("a dry run logged changes")
	}

	// Applied: 201, with each new account's one-time password, once.
	res, data = s.upload(s.token, "", files...)
	if res.StatusCode != http.StatusCreated || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("import: %s %v %s", res.Status, res.Header, data)
	}
	r := decodeReport(t, data)
	if r.ID == "" || r.ByName != "First Admin" || r.Tenancies.Added != 60 || len(r.Passwords) != 12 {
		t.Fatalf("import: got %+v", r)
	}
	if !strings.Contains(s.log.String(), `msg="import applied"`) || !strings.Contains(s.log.String(), `tenancies="60 added, 0 changed, 0 ended, 0 unchanged"`) {
		t.Errorf("the log has no line for the import:\n%s", s.log)
	}
	// An imported officer signs in with theirs, and may not import.
	officer := s.signIn(r.Passwords[2].Username, r.Passwords[2].Password)
	res, data = s.upload(officer, "", files...)
	wantError(t, res, data, http.StatusForbidden, housing.CodeForbidden)
	res, data = s.upload("", "", files...)
	wantError(t, res, data, http.StatusUnauthorized, housing.CodeUnauthorized)

	// Again: unchanged, and nothing logged for phones.
	high = s.highWater()
	res, data = s.upload(s.token, "?no_passwords=1", files...)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("import again: %s %s", res.Status, data)
	}
	if again := decodeReport(t, data); again.Tenancies.Unchanged != 60 || again.Staff.Unchanged != 12 || len(again.Passwords) != 0 {
		t.Errorf("import again: got %+v", again)
	}
	if s.highWater() != high {
		t.Errorf("an unchanged import logged changes")
	}

	// The history: newest first, never with passwords.
	res, data = s.send(http.MethodGet, api.ImportsPath, s.token, "", nil)
	var list struct {
		Imports []housing.ImportReport `json:"imports"`
	}
	if err := json.Unmarshal(data, &list); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("history: %s %s", res.Status, data)
	}
	if len(list.Imports) != 2 || list.Imports[1].ID != r.ID || strings.Contains(string(data), r.Passwords[0].Password) {
		t.Errorf("history: got %s", data)
	}
	res, data = s.send(http.MethodGet, api.ImportsPath, officer, "", nil)
	wantError(t, res, data, http.StatusForbidden, housing.CodeForbidden)
}

func TestImportAPIRefusals(t *testing.T) {
	s := newImportSite(t)
	high := s.highWater()

	// Bad rows: 400 with every problem, and nothing changed.
	tenancies := housing.ImportFile{Name: housing.ImportTenancies, Data: []byte(
		"tenancy_ref,site_ref,household,address_line1\nRIV-1,riverside,Mrs A Khan,1 River Walk\nRIV-2,riverside,,2 River Walk\n")}
	res, data := s.upload(s.token, "", tenancies, housing.ImportFile{Name: "notes.txt", Data: []byte("hi")})
	var body housing.ErrorBody
	if err := json.Unmarshal(data, &body); err != nil || res.StatusCode != http.StatusBadRequest || body.Code != housing.CodeInvalid || body.Message == "" {
		t.Fatalf("got %s %s, want 400 invalid with problems", res.Status, data)
	}
	want := []housing.Problem{
		{File: "notes.txt", Message: "is not one of the files an import takes: sites.csv, teams.csv, staff.csv or tenancies.csv."},
		{File: "tenancies.csv", Line: 2, Column: "site_ref", Message: `There is no site "riverside": it is neither in sites.csv nor already in Doorstep.`},
		{File: "tenancies.csv", Line: 3, Column: "household", Message: "Every tenancy needs a household; this one is blank."},
	}
	if got, _ := json.Marshal(body.Problems); string(got) != string(mustMarshal(t, want)) {
		t.Errorf("got problems %s, want %s", got, mustMarshal(t, want))
	}
	if s.highWater() != high {
		t.Errorf("a refused import logged changes")
	}

	for _, tc := range []struct {
		name        string
		query       string
		contentType string
		body        string
		status      int
		code, field string
	}{
		{"BadFlag", "?dry_run=maybe", "", "", http.StatusBadRequest, housing.CodeInvalid, "dry_run"},
		{"NotMultipart", "", "text/csv", "site_ref,name\n", http.StatusBadRequest, housing.CodeInvalid, ""},
		{"NoFiles", "", "multipart/form-data; boundary=x", "--x--\r\n", http.StatusBadRequest, housing.CodeInvalid, ""},
		{"PartNotNamedFile", "", "multipart/form-data; boundary=x",
			"--x\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"sites.csv\"\r\n\r\nsite_ref,name\r\n--x--\r\n", http.StatusBadRequest, housing.CodeInvalid, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ct := tc.contentType
			if ct == "" {
				ct = "multipart/form-data; boundary=x"
			}
			res, data := s.send(http.MethodPost, api.ImportsPath+tc.query, s.token, ct, strings.NewReader(tc.body))
			wantError(t, res, data, tc.status, tc.code)
			if tc.field != "" {
				wantField(t, data, tc.field)
			}
		})
	}

	// Over the limit: 413 before the body is read.
	req, err := http.NewRequest(http.MethodPost, s.url+api.ImportsPath, strings.NewReader("--x--\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	rec := httptest.NewRecorder()
	srv, err := api.New(api.Config{WebDir: t.TempDir(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Services: api.Services{Sessions: &sqlite.SessionService{DB: s.db}, Imports: &sqlite.ImportService{DB: s.db}}})
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = housing.MaxImportBytes + 2<<20
	srv.ServeHTTP(rec, req)
	if e := errorBody(t, rec); rec.Code != http.StatusRequestEntityTooLarge || e.Code != housing.CodeTooLarge {
		t.Errorf("status %d, body %+v: want 413 too_large", rec.Code, e)
	}
}

// TestImportAPILargeUpload checks that the import route takes files far
// over the usual request limit (api.DefaultBodyLimit).
func TestImportAPILargeUpload(t *testing.T) {
	s := newImportSite(t)
	var b strings.Builder
	b.WriteString("tenancy_ref,site_ref,household,address_line1,town,postcode\n")
	n := 0
	for ; b.Len() <= api.DefaultBodyLimit+1<<20; n++ {
		fmt.Fprintf(&b, "RIV-%06d,riverside,Mrs A Khan and Mr B Khan,%d River Walk,Salford,M6 5AA\n", n, n)
	}
	res, data := s.upload(s.token, "?dry_run=true",
		housing.ImportFile{Name: housing.ImportSites, Data: []byte("site_ref,name\nriverside,Riverside\n")},
		housing.ImportFile{Name: housing.ImportTenancies, Data: []byte(b.String())})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("a %d MiB upload: %s %.300s", b.Len()>>20, res.Status, data)
	}
	if r := decodeReport(t, data); r.Tenancies.Added != n {
		t.Errorf("got %d tenancies added, want %d", r.Tenancies.Added, n)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
