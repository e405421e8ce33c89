package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"doorstep/server/api"
	"doorstep/server/demo"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// probe is one malformed request.
type probe struct {
	method, target string
	header         map[string]string
	body           string
}

// TestMalformedInputsNever5xx sends the server, wired as server/run.go wires
// it, a battery of malformed paths, query strings, bodies and headers, signed
// in and not: bad input must get a 4xx (or a page), never a 5xx.
func TestMalformedInputsNever5xx(t *testing.T) {
	ctx := context.Background()
	db := openDemoDB(t)
	s, err := api.New(api.Config{WebDir: newWebDir(t), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: api.Services{
		Sessions: db.SessionService, Officers: db.OfficerService, Sync: &sqlite.SyncService{DB: db.DB}, Review: &sqlite.ReviewService{DB: db.DB}, Tenants: db.TenantService,
		ReferenceAdmin: &sqlite.ReferenceAdminService{DB: db.DB}, TenantKey: []byte("test key: 32 bytes of anything.."),
	}})
	if err != nil {
		t.Fatal(err)
	}
	signIn := func(user string) string {
		sess, err := db.SignIn(ctx, housing.SignIn{Username: user, Password: demo.Password, DeviceName: "Probe"})
		if err != nil {
			t.Fatal(err)
		}
		return "Bearer " + sess.Token
	}
	admin, jo := signIn("admin"), signIn("jo")

	long := strings.Repeat("a", 5000)
	manyValues := strings.TrimSuffix(strings.Repeat("riverside,", 40000), ",")
	manyParams := strings.TrimSuffix(strings.Repeat("site=riverside&", 40000), "&")
	var probes []probe
	for _, p := range []string{
		"/web/app.css%00.png", "/web/app.css/x.png", "/web/" + strings.Repeat("a", 300) + ".png", "/web/" + long + ".css",
		"/web/%2e%2e/%2e%2e/etc/passwd.txt", "/web/..%5c..%5capp.css", "/web/%5c%5cserver%5cshare.css", "/web/%ff%fe.png",
		"/web/a%0a.png", "/web/a%7f.png", "/web/.secret", "/web/", "/web", "/web//app.css", "/web/app.css%3f.png",
		"/web/app.wasm%00", "/web/icon.svg/", "/robots.txt", "/sitemap.xml", "/ads.txt", "/%00", "/%ff", "/" + long, "/a%00b", "/visits/%00",
		"/app.js%00", "/manifest.webmanifest%00", "/app-worker.js/x", "/t/%00", "/t/%ff", "/t/" + long, "/t/", "/t",
		"/t/a/b", "/t/%2e%2e", "/api/%00", "/api/v1/" + long, "/healthz%00",
		"/api/v1/review/tenancies/%00/timeline", "/api/v1/review/tenancies/" + long + "/timeline",
	} {
		for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
			probes = append(probes, probe{method: m, target: p, header: map[string]string{"Authorization": jo, "Accept": "text/html"}})
		}
	}
	for _, route := range []string{api.ReviewQueuesPath, api.ReviewMeasuresPath, api.ReviewCommitmentsPath, api.ReviewFeedbackPath} {
		for _, q := range []string{
			"site=" + manyValues, "function=" + manyValues, manyParams, "site=%zz", "site=%", "from=2026-02-30",
			"from=0000-01-01&to=9999-12-31", "from=2000-01-01&to=2099-12-31", "to=9999-99-99", "status=%00", "status=" + long, "officer=" + long,
			"officer=%00", "site=" + long, "site=;", "site=a;b", "from=" + long, "%00=%00",
		} {
			probes = append(probes, probe{method: http.MethodGet, target: route + "?" + q, header: map[string]string{"Authorization": jo}})
		}
	}
	for _, body := range []string{"", "{", "null", "[]", `"x"`, `{"username":1}`, `{"username":"` + long + `","password":"` + long + `"}`, "\x00\xff"} {
		for _, ce := range []string{"", "gzip", "br", "zstd, gzip"} {
			h := map[string]string{"Content-Type": "application/json", "Content-Encoding": ce}
			probes = append(probes,
				probe{method: http.MethodPost, target: api.SessionPath, header: h, body: body},
				probe{method: http.MethodPost, target: api.SyncPath, header: map[string]string{"Authorization": jo, "Content-Type": "application/json", "Content-Encoding": ce}, body: body},
				probe{method: http.MethodPost, target: "/api/v1/users", header: map[string]string{"Authorization": admin, "Content-Type": "application/json", "Content-Encoding": ce}, body: body},
			)
			for _, path := range []string{api.SitesPath + "/riverside", api.TeamsPath + "/repairs", api.StandardsPath + "/repairs.urgent", api.StandardsPath + "/%00", api.SitesPath + "/" + long} {
				probes = append(probes, probe{method: http.MethodPut, target: path, header: map[string]string{"Authorization": admin, "Content-Type": "application/json", "Content-Encoding": ce}, body: body})
			}
		}
	}
	for _, h := range []map[string]string{
		{"Range": "bytes=99999999-"}, {"Range": "bytes=-0"}, {"Range": "bytes=5-1"}, {"Range": "pages=1"},
		{"Accept-Encoding": "br;q=abc, gzip;q=-1"}, {"If-None-Match": "\x7f"}, {"If-Modified-Since": "yesterday"},
	} {
		for _, p := range []string{"/web/app.css", "/web/app.wasm", "/"} {
			probes = append(probes, probe{method: http.MethodGet, target: p, header: h})
		}
	}
	token := housing.NewToken()
	for _, form := range []struct{ ct, body string }{
		{"application/x-www-form-urlencoded", "answer=%zz&csrf=%"},
		{"application/x-www-form-urlencoded", "answer=feedback&comment=" + long + long},
		{"multipart/form-data; boundary=", "--\r\n"},
		{"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"answer\"\r\n\r\nagreed"},
		{"text/plain", "\x00"},
	} {
		probes = append(probes, probe{method: http.MethodPost, target: housing.TenantPath(token), header: map[string]string{"Content-Type": form.ct}, body: form.body})
	}
	probes = append(probes,
		probe{method: http.MethodGet, target: api.SessionsPath + "?officer=%00", header: map[string]string{"Authorization": admin}},
		probe{method: http.MethodGet, target: api.SessionsPath + "?officer=" + long, header: map[string]string{"Authorization": admin}},
		probe{method: http.MethodPost, target: "/api/v1/users/%00/disable", header: map[string]string{"Authorization": admin}},
		probe{method: http.MethodPost, target: "/api/v1/users/" + long + "/password", header: map[string]string{"Authorization": admin}, body: "{"},
		probe{method: http.MethodDelete, target: api.SessionsPath + "/%00", header: map[string]string{"Authorization": admin}},
		probe{method: http.MethodGet, target: api.StandardsPath + "/history?standard=%00", header: map[string]string{"Authorization": admin}},
		probe{method: http.MethodGet, target: api.StandardsPath + "/history?standard=" + long, header: map[string]string{"Authorization": admin}},
		probe{method: http.MethodGet, target: api.StandardsPath + "/history?standard=%zz", header: map[string]string{"Authorization": admin}},
		probe{method: http.MethodPut, target: api.StandardsPath + "/repairs.urgent", header: map[string]string{"Authorization": admin},
			body: `{"standard":{"unit":"hours","soonest":-1,"limit":1e99},"reason":"` + long + `"}`},
		probe{method: http.MethodGet, target: api.MePath, header: map[string]string{"Authorization": "Bearer %00"}},
		probe{method: http.MethodGet, target: api.MePath, header: map[string]string{"Authorization": "Bearer " + long}},
	)

	for _, p := range probes {
		req := httptest.NewRequest(p.method, p.target, strings.NewReader(p.body))
		for k, v := range p.header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Errorf("%s: got %d %.200s", describe(p), rec.Code, rec.Body.String())
		}
	}
	t.Logf("sent %d malformed requests", len(probes))

	// A single-valued parameter given twice is refused, not read as its
	// first value; a file name with a trailing slash names no file.
	for _, tt := range []struct {
		target, auth string
		want         int
	}{
		{api.ReviewQueuesPath + "?from=2026-12-01&from=bogus", jo, http.StatusBadRequest},
		{api.ReviewCommitmentsPath + "?status=broken&status=open", jo, http.StatusBadRequest},
		{api.ReviewMeasuresPath + "?to=2026-12-01&to=2026-12-02", jo, http.StatusBadRequest},
		{api.SessionsPath + "?officer=a&officer=b", admin, http.StatusBadRequest},
		{"/web/app.css/", jo, http.StatusNotFound},
		{"/web/icon.svg/", jo, http.StatusNotFound},
		{"/web//app.css", jo, http.StatusNotFound},
		{"/web/app.css", jo, http.StatusOK},
	} {
		req := httptest.NewRequest(http.MethodGet, tt.target, nil)
		req.Header.Set("Authorization", tt.auth)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != tt.want {
			t.Errorf("GET %s: got %d %.200s, want %d", tt.target, rec.Code, rec.Body.String(), tt.want)
		}
		if tt.want == http.StatusBadRequest && !strings.Contains(rec.Body.String(), "give it once") {
			t.Errorf("GET %s: got %.200s, want a message saying to give it once", tt.target, rec.Body.String())
		}
	}

	// The 40,000-value filter gets a clear 400, not a smaller answer.
	for _, q := range []string{"site=" + manyValues, manyParams, "site=%zz"} {
		req := httptest.NewRequest(http.MethodGet, api.ReviewQueuesPath+"?"+q, nil)
		req.Header.Set("Authorization", jo)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"code":"invalid"`) {
			t.Errorf("GET queues?%.40s...: got %d %.200s, want 400 invalid", q, rec.Code, rec.Body.String())
		}
	}
}

func describe(p probe) string {
	target := p.target
	if len(target) > 80 {
		target = target[:80] + fmt.Sprintf("...(%d bytes)", len(p.target))
	}
	return p.method + " " + target
}
