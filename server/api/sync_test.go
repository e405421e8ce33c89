package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"

	"doorstep/app/remote"
	"doorstep/server/api"
	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// The HTTP tests sign requests with a test token that carries the principal
// itself, so the contract can act as any officer on any device without the
// accounts service; sign-in has its own tests.

func testToken(p housing.Principal) string {
	b, _ := json.Marshal(p)
	return "test." + base64.RawURLEncoding.EncodeToString(b)
}

// testSessions authenticates test tokens; the rest of the session service
// is not needed here.
type testSessions struct{ housing.SessionService }

func (testSessions) Authenticate(ctx context.Context, token string) (housing.Principal, error) {
	var p housing.Principal
	tok, ok := strings.CutPrefix(token, "test.")
	if !ok {
		return p, housing.Errorf(housing.CodeUnauthorized, "Sign in to sync.")
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || json.Unmarshal(b, &p) != nil {
		return p, housing.Errorf(housing.CodeUnauthorized, "Sign in to sync.")
	}
	return p, nil
}

// httpService is the sync contract's view of the server over HTTP: each
// call goes through the real client, echo and the SQLite service.
type httpService struct{ url string }

func (s httpService) Sync(ctx context.Context, p housing.Principal, req housing.SyncRequest) (housing.SyncResponse, error) {
	c := remote.Client{BaseURL: s.url, Token: testToken(p)}
	return c.Sync(ctx, req)
}

// newSyncHandler returns the server as wired (api.New: its middleware,
// session check, routes and error handler) with the SQLite sync service
// over a fresh database holding the contract fixture.
func newSyncHandler(tb testing.TB, pageChanges int) (*api.Server, *sqlite.DB, synctest.Fixture) {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	fx := synctest.Seed(tb, db.SQL())
	s, err := api.New(api.Config{
		WebDir: tb.TempDir(),
		Log:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Services: api.Services{
			Sessions: testSessions{},
			Sync:     &sqlite.SyncService{DB: db, PageChanges: pageChanges},
		},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return s, db, fx
}

// newSyncServer serves newSyncHandler on a loopback port.
func newSyncServer(t *testing.T, pageChanges int) (*httptest.Server, *sqlite.DB, synctest.Fixture) {
	t.Helper()
	s, db, fx := newSyncHandler(t, pageChanges)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv, db, fx
}

func TestSyncContractOverHTTP(t *testing.T) {
	synctest.Run(t, func(t *testing.T) (housing.SyncService, synctest.Fixture) {
		srv, _, fx := newSyncServer(t, synctest.PageChanges)
		return httpService{url: srv.URL}, fx
	})
}

func TestSyncHTTP(t *testing.T) {
	srv, _, fx := newSyncServer(t, 0)
	tom := fx.Principal("tom", "tom-phone")
	post := func(t *testing.T, body []byte, header map[string]string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+api.SyncPath, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testToken(tom))
		for k, v := range header {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultTransport.RoundTrip(req) // no automatic gzip: the test sees the wire
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		return buf.Bytes()
	}
	pull := []byte(`{"protocol":1,"device_id":"tom-phone","cursor":"","mutations":[]}`)

	t.Run("GzipBothWays", func(t *testing.T) {
		res := post(t, gz(pull), map[string]string{"Content-Encoding": "gzip", "Accept-Encoding": "gzip"})
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("got %d with Content-Encoding %q, want 200 gzip", res.StatusCode, res.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		var resp housing.SyncResponse
		if err := json.NewDecoder(zr).Decode(&resp); err != nil {
			t.Fatal(err)
		}
		if len(resp.Changes) == 0 || resp.Cursor == "" {
			t.Errorf("got %d changes and cursor %q, want a snapshot page", len(resp.Changes), resp.Cursor)
		}
	})
	t.Run("AnswerInTheBestAcceptedEncoding", func(t *testing.T) {
		for _, tc := range []struct {
			accept, want string
			reader       func(io.Reader) (io.Reader, error)
		}{
			{"gzip, deflate, br, zstd", "zstd", func(r io.Reader) (io.Reader, error) { return zstd.NewReader(r) }},
			{"gzip, br", "br", func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }},
			{"gzip, zstd;q=0", "gzip", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
		} {
			res := post(t, pull, map[string]string{"Accept-Encoding": tc.accept})
			if got := res.Header.Get("Content-Encoding"); res.StatusCode != 200 || got != tc.want {
				t.Fatalf("Accept-Encoding %q: got %d with Content-Encoding %q, want 200 %s", tc.accept, res.StatusCode, got, tc.want)
			}
			r, err := tc.reader(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			var resp housing.SyncResponse
			if err := json.NewDecoder(r).Decode(&resp); err != nil {
				t.Fatalf("%s answer: %v", tc.want, err)
			}
			if len(resp.Changes) == 0 || resp.Cursor == "" {
				t.Errorf("%s answer: got %d changes and cursor %q, want a snapshot page", tc.want, len(resp.Changes), resp.Cursor)
			}
		}
	})
	t.Run("PlainWhenNotAccepted", func(t *testing.T) {
		res := post(t, pull, nil)
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "" {
			t.Fatalf("got %d with Content-Encoding %q, want 200 plain", res.StatusCode, res.Header.Get("Content-Encoding"))
		}
	})

	tooBig := gz(append(append([]byte(`{"protocol":1,"device_id":"tom-phone","cursor":"`), bytes.Repeat([]byte("a"), housing.MaxRequestBytes)...), `"}`...))
	tests := []struct {
		name   string
		body   []byte
		header map[string]string
		status int
		code   string
	}{
		{"ErrNotJSON", []byte("hello"), nil, 400, housing.CodeInvalid},
		{"ErrTrailingData", append(append([]byte{}, pull...), "{}"...), nil, 400, housing.CodeInvalid},
		{"ErrWrongType", []byte(`{"protocol":"one"}`), nil, 400, housing.CodeInvalid},
		{"ErrNotGzip", pull, map[string]string{"Content-Encoding": "gzip"}, 400, housing.CodeInvalid},
		{"ErrOtherEncoding", pull, map[string]string{"Content-Encoding": "br"}, 400, housing.CodeInvalid},
		{"ErrTooLargeAfterDecompressing", tooBig, map[string]string{"Content-Encoding": "gzip"}, 413, housing.CodeTooLarge},
		{"ErrTooLargePlain", bytes.Repeat([]byte(" "), housing.MaxRequestBytes+1), nil, 413, housing.CodeTooLarge},
		{"ErrOldProtocol", []byte(`{"protocol":0,"device_id":"tom-phone"}`), nil, 400, housing.CodeUnsupported},
		{"ErrOtherDevice", []byte(`{"protocol":1,"device_id":"not-mine"}`), nil, 403, housing.CodeForbidden},
		{"ErrBadCursor", []byte(`{"protocol":1,"device_id":"tom-phone","cursor":"x"}`), nil, 400, housing.CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := post(t, tt.body, tt.header)
			var e struct{ Code, Message string }
			body, _ := io.ReadAll(res.Body)
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("got a body that is not JSON: %q", body)
			}
			if res.StatusCode != tt.status || e.Code != tt.code || e.Message == "" {
				t.Errorf("got %d %+v, want %d %s with a message", res.StatusCode, e, tt.status, tt.code)
			}
		})
	}

	t.Run("GapAnswers409WithLastMutation", func(t *testing.T) {
		body := []byte(`{"protocol":1,"device_id":"tom-phone","cursor":"","mutations":[{"seq":4,"kind":"visit.record","record_id":"x","happened_at":"2026-11-23T09:00:00Z","data":{}}]}`)
		res := post(t, body, nil)
		var e struct {
			Code         string `json:"code"`
			Message      string `json:"message"`
			LastMutation *int64 `json:"last_mutation"`
		}
		if err := json.NewDecoder(res.Body).Decode(&e); err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusConflict || e.Code != housing.CodeGap || e.LastMutation == nil || *e.LastMutation != 0 {
			t.Errorf("got %d %+v, want 409 gap with last_mutation 0", res.StatusCode, e)
		}
	})
	t.Run("NoSession", func(t *testing.T) {
		res, err := http.Post(srv.URL+api.SyncPath, "application/json", bytes.NewReader(pull))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("got %d without a session, want 401", res.StatusCode)
		}
	})
}

// TestSlowUploadsDoNotHoldTheServer: phones on a weak signal, still
// sending their bodies, must not stop another phone's sync, however many of
// them there are (more than the server's cores).
func TestSlowUploadsDoNotHoldTheServer(t *testing.T) {
	srv, _, fx := newSyncServer(t, 0)
	var writers []*io.PipeWriter
	for i := range runtime.GOMAXPROCS(0) + 2 {
		device := fmt.Sprintf("slow-phone-%d", i)
		body, w := io.Pipe()
		writers = append(writers, w)
		req, _ := http.NewRequest(http.MethodPost, srv.URL+api.SyncPath, body)
		req.Header.Set("Authorization", "Bearer "+testToken(fx.Principal("tom", device)))
		go func() {
			if res, err := http.DefaultClient.Do(req); err == nil {
				res.Body.Close()
			}
		}()
		if _, err := w.Write([]byte(`{"protocol":1,"device_id":"` + device + `",`)); err != nil { // and no more, yet
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		for _, w := range writers {
			w.CloseWithError(errors.New("the phone lost its signal"))
		}
	})

	quick := fx.Principal("tom", "quick-phone")
	c := remote.Client{BaseURL: srv.URL, Token: testToken(quick)}
	resp, err := c.Sync(context.Background(), housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: quick.DeviceID, Mutations: []housing.Mutation{}})
	if err != nil || len(resp.Changes) == 0 {
		t.Fatalf("a quick phone's sync while slow ones upload: %d changes, %v", len(resp.Changes), err)
	}
}
