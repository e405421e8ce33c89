package api_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/labstack/echo/v4"

	"doorstep/server/api"
	"doorstep/shared/housing"
)

// fakeWasm stands in for app.wasm: big and repetitive enough that both
// compressions shrink it.
var fakeWasm = append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("doorstep wasm "), 4000)...)

// newWebDir writes a web folder like the one `make wasm` leaves.
func newWebDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	var br bytes.Buffer
	w := brotli.NewWriter(&br)
	w.Write(fakeWasm)
	w.Close()
	files := map[string][]byte{
		"app.wasm":    fakeWasm,
		"app.wasm.br": br.Bytes(),
		"app.css":     []byte(strings.Repeat("body { color: #111; }\n", 200)),
		"icon.svg":    []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`),
		".secret":     []byte("not served"),
		"notes.md":    []byte("not served"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func newServer(t *testing.T, cfg api.Config) *api.Server {
	t.Helper()
	if cfg.WebDir == "" {
		cfg.WebDir = newWebDir(t)
	}
	cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := api.New(cfg)
	if err != nil {
		t.Fatalf("api.New: %v", err)
	}
	return s
}

func do(t *testing.T, h http.Handler, method, target string, header map[string]string, body io.Reader) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// errorBody decodes an error answer and checks it has exactly code and
// message, and last_mutation with a gap (always, 0 too).
func errorBody(t *testing.T, rec *httptest.ResponseRecorder) housing.ErrorBody {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, want JSON; body %q", ct, rec.Body.String())
	}
	var fields map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &fields); err != nil {
		t.Fatalf("error body %q: %v", rec.Body.String(), err)
	}
	_, last := fields["last_mutation"]
	if gap := fields["code"] == housing.CodeGap; len(fields) != 2 && !(gap && last && len(fields) == 3) || gap != last {
		t.Errorf("error body has fields %v, want exactly code and message, and last_mutation with a gap", fields)
	}
	var e housing.ErrorBody
	json.Unmarshal(rec.Body.Bytes(), &e)
	if e.Code == "" || e.Message == "" {
		t.Errorf("error body %q lacks a code or a message", rec.Body.String())
	}
	return e
}

func TestHealthz(t *testing.T) {
	s := newServer(t, api.Config{})
	rec := do(t, s, http.MethodGet, "/healthz", nil, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200", rec.Code)
	}
	var got map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got["status"] != "ok" || len(got) != 1 {
		t.Errorf("body %q, want {\"status\":\"ok\"}", rec.Body.String())
	}
}

func TestUnknownAPIPath(t *testing.T) {
	s := newServer(t, api.Config{})
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/api"},
		{http.MethodGet, "/api/nope"},
		{http.MethodGet, "/api/v1/nope"},
		{http.MethodPost, "/api/v1/nope/deeper"},
		{http.MethodDelete, "/api/v2"},
	} {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			// A browser's Accept must not turn an API error into a page.
			rec := do(t, s, tc.method, tc.path, map[string]string{"Accept": "text/html,*/*"}, nil)
			if rec.Code != http.StatusNotFound {
				t.Fatalf("status %d, want 404; body %q", rec.Code, rec.Body.String())
			}
			if e := errorBody(t, rec); e.Code != housing.CodeNotFound {
				t.Errorf("code %q, want %q", e.Code, housing.CodeNotFound)
			}
		})
	}
}

func TestErrorStatuses(t *testing.T) {
	s := newServer(t, api.Config{})
	// Routes added after New, as an area's register method would.
	s.API.GET("/fail/:code", func(c echo.Context) error {
		return housing.Errorf(c.Param("code"), "Message for %s.", c.Param("code"))
	})
	s.API.GET("/fail-internal", func(c echo.Context) error {
		return errors.New("open /var/secret/db: permission denied")
	})
	s.API.GET("/panic", func(c echo.Context) error { panic("boom") })
	s.API.POST("/bind", func(c echo.Context) error {
		var v struct{ N int }
		return c.Bind(&v)
	})

	for code, status := range map[string]int{
		housing.CodeInvalid:      400,
		housing.CodeNotFound:     404,
		housing.CodeConflict:     409,
		housing.CodeIllegal:      422,
		housing.CodeUnauthorized: 401,
		housing.CodeForbidden:    403,
		housing.CodeRateLimited:  429,
		housing.CodeTooLarge:     413,
		housing.CodeGap:          409,
		housing.CodeUnsupported:  400,
		housing.CodeInternal:     500,
	} {
		t.Run(code, func(t *testing.T) {
			if got := api.StatusOf(code); got != status {
				t.Errorf("StatusOf(%q) = %d, want %d", code, got, status)
			}
			rec := do(t, s, http.MethodGet, "/api/v1/fail/"+code, nil, nil)
			if rec.Code != status {
				t.Errorf("status %d, want %d", rec.Code, status)
			}
			e := errorBody(t, rec)
			if e.Code != code || e.Message != "Message for "+code+"." {
				t.Errorf("body %+v, want code %q and its message", e, code)
			}
		})
	}

	t.Run("FieldAndLastMutation", func(t *testing.T) {
		s.API.GET("/fail-field", func(c echo.Context) error {
			return housing.InField(housing.Invalid(housing.FieldDueDate, "Choose the date the promise is due."), "commitments.1")
		})
		s.API.GET("/fail-gap", func(c echo.Context) error {
			return fmt.Errorf("push: %w", &housing.Error{Code: housing.CodeGap, Message: "Send again from 1.", LastMutation: 0})
		})
		for path, want := range map[string]string{
			"/api/v1/fail-field": `{"code":"invalid","message":"Choose the date the promise is due.","field":"commitments.1.due_date"}`,
			"/api/v1/fail-gap":   `{"code":"gap","message":"Send again from 1.","last_mutation":0}`,
		} {
			rec := do(t, s, http.MethodGet, path, nil, nil)
			if got := strings.TrimSpace(rec.Body.String()); got != want {
				t.Errorf("%s: got %s, want %s", path, got, want)
			}
		}
	})
	t.Run("RetryAfterFromTheError", func(t *testing.T) {
		s.API.GET("/fail-wait/:ms", func(c echo.Context) error {
			ms, _ := strconv.Atoi(c.Param("ms"))
			return &housing.Error{Code: housing.CodeRateLimited, Message: "Wait.", RetryAfter: time.Duration(ms) * time.Millisecond}
		})
		for ms, want := range map[string]string{"0": "60", "1": "1", "8000": "8", "8001": "9", "900000": "900"} {
			rec := do(t, s, http.MethodGet, "/api/v1/fail-wait/"+ms, nil, nil)
			if got := rec.Header().Get("Retry-After"); rec.Code != 429 || got != want {
				t.Errorf("a wait of %s ms: got %d with Retry-After %q, want 429 with %q", ms, rec.Code, got, want)
			}
		}
	})
	t.Run("InternalHidesDetail", func(t *testing.T) {
		rec := do(t, s, http.MethodGet, "/api/v1/fail-internal", nil, nil)
		e := errorBody(t, rec)
		if rec.Code != 500 || e.Code != housing.CodeInternal || strings.Contains(e.Message, "secret") {
			t.Errorf("status %d, body %+v: want 500 internal with a generic message", rec.Code, e)
		}
	})
	t.Run("Panic", func(t *testing.T) {
		rec := do(t, s, http.MethodGet, "/api/v1/panic", nil, nil)
		if e := errorBody(t, rec); rec.Code != 500 || e.Code != housing.CodeInternal {
			t.Errorf("status %d, body %+v: want 500 internal", rec.Code, e)
		}
	})
	t.Run("MalformedBody", func(t *testing.T) {
		rec := do(t, s, http.MethodPost, "/api/v1/bind", map[string]string{"Content-Type": "application/json"}, strings.NewReader("{"))
		if e := errorBody(t, rec); rec.Code != 400 || e.Code != housing.CodeInvalid {
			t.Errorf("status %d, body %+v: want 400 invalid", rec.Code, e)
		}
	})
	t.Run("WrongMethodUnderAPI", func(t *testing.T) {
		rec := do(t, s, http.MethodGet, "/api/v1/bind", map[string]string{"Accept": "text/html"}, nil)
		if e := errorBody(t, rec); rec.Code != 405 && rec.Code != 404 {
			t.Errorf("status %d, body %+v: want a JSON 405 or 404", rec.Code, e)
		}
	})
	t.Run("MethodNotAllowed", func(t *testing.T) {
		rec := do(t, s, http.MethodDelete, "/healthz", nil, nil)
		if e := errorBody(t, rec); rec.Code != 405 || e.Code != housing.CodeInvalid {
			t.Errorf("status %d, body %+v: want 405 invalid", rec.Code, e)
		}
	})
}

func TestBodyLimit(t *testing.T) {
	s := newServer(t, api.Config{BodyLimit: 100})
	s.API.POST("/echo", func(c echo.Context) error {
		b, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, "text/plain", b)
	})
	rec := do(t, s, http.MethodPost, "/api/v1/echo", nil, strings.NewReader(strings.Repeat("x", 101)))
	if e := errorBody(t, rec); rec.Code != http.StatusRequestEntityTooLarge || e.Code != housing.CodeTooLarge {
		t.Errorf("status %d, body %+v: want 413 too_large", rec.Code, e)
	}
	if rec := do(t, s, http.MethodPost, "/api/v1/echo", nil, strings.NewReader(strings.Repeat("x", 100))); rec.Code != http.StatusOK {
		t.Errorf("a body at the limit: status %d, want 200", rec.Code)
	}
}

func TestWasmBrotli(t *testing.T) {
	dir := newWebDir(t)
	s := newServer(t, api.Config{WebDir: dir})
	br, _ := os.ReadFile(filepath.Join(dir, "app.wasm.br"))

	for _, method := range []string{http.MethodGet, http.MethodHead} {
		t.Run(method+"AcceptsBrotli", func(t *testing.T) {
			rec := do(t, s, method, "/web/app.wasm", map[string]string{"Accept-Encoding": "gzip, deflate, br, zstd"}, nil)
			h := rec.Header()
			if rec.Code != 200 || h.Get("Content-Encoding") != "br" || h.Get("Content-Type") != "application/wasm" {
				t.Fatalf("status %d, Content-Encoding %q, Content-Type %q: want 200, br, application/wasm",
					rec.Code, h.Get("Content-Encoding"), h.Get("Content-Type"))
			}
			if !strings.Contains(strings.Join(h.Values("Vary"), ","), "Accept-Encoding") {
				t.Errorf("Vary %q lacks Accept-Encoding", h.Values("Vary"))
			}
			if got, want := h.Get("Content-Length"), strconv.Itoa(len(br)); got != want {
				t.Errorf("Content-Length %q, want app.wasm.br's %s", got, want)
			}
			if method == http.MethodGet {
				if !bytes.Equal(rec.Body.Bytes(), br) {
					t.Errorf("body is %d bytes, want app.wasm.br's %d", rec.Body.Len(), len(br))
				}
				got, err := io.ReadAll(brotli.NewReader(rec.Body))
				if err != nil || !bytes.Equal(got, fakeWasm) {
					t.Errorf("body does not decode to app.wasm (err %v)", err)
				}
			}
		})
	}
	for _, ae := range []string{"", "gzip, deflate", "br;q=0, gzip"} {
		t.Run("Raw/"+ae, func(t *testing.T) {
			rec := do(t, s, http.MethodGet, "/web/app.wasm", map[string]string{"Accept-Encoding": ae}, nil)
			h := rec.Header()
			if rec.Code != 200 || h.Get("Content-Encoding") != "" || h.Get("Content-Type") != "application/wasm" {
				t.Fatalf("status %d, Content-Encoding %q, Content-Type %q: want 200, none, application/wasm",
					rec.Code, h.Get("Content-Encoding"), h.Get("Content-Type"))
			}
			if !bytes.Equal(rec.Body.Bytes(), fakeWasm) {
				t.Errorf("body is %d bytes, want app.wasm's %d", rec.Body.Len(), len(fakeWasm))
			}
			if !strings.Contains(strings.Join(h.Values("Vary"), ","), "Accept-Encoding") {
				t.Errorf("Vary %q lacks Accept-Encoding", h.Values("Vary"))
			}
		})
	}
	t.Run("NotModified", func(t *testing.T) {
		first := do(t, s, http.MethodGet, "/web/app.wasm", map[string]string{"Accept-Encoding": "br"}, nil)
		rec := do(t, s, http.MethodGet, "/web/app.wasm", map[string]string{"Accept-Encoding": "br", "If-None-Match": first.Header().Get("ETag")}, nil)
		if rec.Code != http.StatusNotModified {
			t.Errorf("status %d, want 304", rec.Code)
		}
		raw := do(t, s, http.MethodGet, "/web/app.wasm", nil, nil)
		if raw.Header().Get("ETag") == first.Header().Get("ETag") {
			t.Error("the brotli and raw files share an ETag")
		}
	})
}

func TestGzipText(t *testing.T) {
	dir := newWebDir(t)
	s := newServer(t, api.Config{WebDir: dir})
	css, _ := os.ReadFile(filepath.Join(dir, "app.css"))

	gunzip := func(t *testing.T, rec *httptest.ResponseRecorder) []byte {
		t.Helper()
		if got := rec.Header().Get("Content-Encoding"); got != "gzip" {
			t.Fatalf("Content-Encoding %q, want gzip", got)
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	t.Run("CSS", func(t *testing.T) {
		rec := do(t, s, http.MethodGet, "/web/app.css", map[string]string{"Accept-Encoding": "gzip"}, nil)
		if got := gunzip(t, rec); !bytes.Equal(got, css) {
			t.Errorf("decoded body differs from app.css")
		}
		if rec.Header().Get("Content-Length") != "" {
			t.Errorf("Content-Length %q of the uncompressed file kept", rec.Header().Get("Content-Length"))
		}
	})
	t.Run("Page", func(t *testing.T) {
		rec := do(t, s, http.MethodGet, "/", map[string]string{"Accept-Encoding": "gzip"}, nil)
		if got := gunzip(t, rec); !bytes.Contains(got, []byte("<html")) {
			t.Errorf("decoded page is not HTML: %.100q", got)
		}
	})
	t.Run("NotModified", func(t *testing.T) {
		first := do(t, s, http.MethodGet, "/web/app.css", map[string]string{"Accept-Encoding": "gzip"}, nil)
		etag := first.Header().Get("ETag")
		if !strings.HasSuffix(etag, `-gzip"`) {
			t.Fatalf("ETag %q of a compressed answer lacks -gzip", etag)
		}
		rec := do(t, s, http.MethodGet, "/web/app.css", map[string]string{"Accept-Encoding": "gzip", "If-None-Match": etag}, nil)
		if rec.Code != http.StatusNotModified || rec.Header().Get("ETag") != etag {
			t.Errorf("status %d, ETag %q: want 304 and %q", rec.Code, rec.Header().Get("ETag"), etag)
		}
	})
	t.Run("NotWithoutAcceptEncoding", func(t *testing.T) {
		rec := do(t, s, http.MethodGet, "/web/app.css", nil, nil)
		if rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), css) {
			t.Errorf("Content-Encoding %q: want the plain file", rec.Header().Get("Content-Encoding"))
		}
	})
	t.Run("NotWasm", func(t *testing.T) {
		rec := do(t, s, http.MethodGet, "/web/app.wasm", map[string]string{"Accept-Encoding": "gzip"}, nil)
		if rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), fakeWasm) {
			t.Errorf("Content-Encoding %q: want the raw wasm", rec.Header().Get("Content-Encoding"))
		}
	})
	t.Run("NotPrecompressed", func(t *testing.T) {
		s.API.GET("/precompressed", func(c echo.Context) error {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write([]byte(strings.Repeat(`{"a":1}`, 500)))
			zw.Close()
			c.Response().Header().Set("Content-Encoding", "gzip")
			return c.Blob(http.StatusOK, "application/json", b.Bytes())
		})
		rec := do(t, s, http.MethodGet, "/api/v1/precompressed", map[string]string{"Accept-Encoding": "gzip"}, nil)
		if got := gunzip(t, rec); !bytes.HasPrefix(got, []byte(`{"a":1}`)) {
			t.Errorf("a body the handler compressed was compressed again: %.40q", got)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	s := newServer(t, api.Config{})
	rec := do(t, s, http.MethodGet, "/", nil, nil)
	h := rec.Header()
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
		"X-Frame-Options":        "DENY",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "'wasm-unsafe-eval'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "'unsafe-eval'") || strings.Contains(csp, "'unsafe-inline'") {
		t.Errorf("Content-Security-Policy %q allows eval or inline code", csp)
	}
}

func TestPages(t *testing.T) {
	s := newServer(t, api.Config{})
	for path, status := range map[string]int{
		"/":                http.StatusOK,
		"/?from=qr":        http.StatusOK,
		"/tenancies":       http.StatusOK,
		"/tenancies/t-123": http.StatusOK,
		"/visits/new":      http.StatusOK,
		"/visits/v-456":    http.StatusOK,
		"/sync":            http.StatusOK,
		"/settings":        http.StatusOK,
		"/signin":          http.StatusOK,
		"/review":          http.StatusOK,
		"/no/such/page":    http.StatusNotFound,
	} {
		t.Run(path, func(t *testing.T) {
			rec := do(t, s, http.MethodGet, path, nil, nil)
			if rec.Code != status {
				t.Errorf("status %d, want %d", rec.Code, status)
			}
			body := rec.Body.String()
			if !strings.Contains(body, `src="/app.js"`) || !strings.Contains(body, `href="/web/app.css"`) {
				t.Errorf("page does not load the app: %.300q", body)
			}
			if strings.Contains(body, "data-mounted") {
				t.Error("the prerendered page claims the wasm has mounted")
			}
		})
	}
}

func TestPWAFiles(t *testing.T) {
	s := newServer(t, api.Config{})
	worker := do(t, s, http.MethodGet, "/app-worker.js", nil, nil).Body.String()
	if strings.Contains(worker, "{{") || !strings.Contains(worker, `"doorstep-`+s.PWA.Version+`"`) {
		t.Errorf("worker not filled in with version %q: %.200q", s.PWA.Version, worker)
	}
	for _, want := range []string{`"/web/app.wasm"`, `"/web/app.css"`, `"/"`, `"/web/icon-maskable-512.png"`} {
		if !strings.Contains(worker, want) {
			t.Errorf("worker does not precache %s", want)
		}
	}
	manifest := do(t, s, http.MethodGet, "/manifest.webmanifest", nil, nil).Body.String()
	var m struct {
		Name  string `json:"name"`
		Icons []struct {
			Src string `json:"src"`
		} `json:"icons"`
	}
	if err := json.Unmarshal([]byte(manifest), &m); err != nil {
		t.Fatalf("manifest %q: %v", manifest, err)
	}
	if m.Name != "Doorstep" || len(m.Icons) < 3 {
		t.Errorf("manifest %+v: want the name Doorstep and at least three icons", m)
	}
	for _, icon := range m.Icons {
		if !strings.HasPrefix(icon.Src, "/web/") {
			t.Errorf("icon %q is not a local file", icon.Src)
		}
	}
	if s.PWA.WasmContentLength != "" && s.PWA.WasmContentLength != "56008" {
		t.Errorf("WasmContentLength %q, want app.wasm's size", s.PWA.WasmContentLength)
	}
}

func TestWebServesOnlyAssets(t *testing.T) {
	s := newServer(t, api.Config{})
	for _, path := range []string{"/web/.secret", "/web/notes.md", "/web/../go.mod", "/web/", "/web/missing.css", "/web/app.wasm.br"} {
		rec := do(t, s, http.MethodGet, path, nil, nil)
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, rec.Code)
		}
	}
}

func TestVersionFollowsAssets(t *testing.T) {
	dir := newWebDir(t)
	a, err := api.NewPWA(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := api.NewPWA(dir)
	if a.Version == "" || a.Version != b.Version {
		t.Fatalf("versions %q and %q of the same files differ", a.Version, b.Version)
	}
	os.WriteFile(filepath.Join(dir, "app.css"), []byte("body{}"), 0o644)
	c, _ := api.NewPWA(dir)
	if c.Version == a.Version {
		t.Error("version did not change when app.css did")
	}
}
