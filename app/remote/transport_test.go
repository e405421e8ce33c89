package remote_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"doorstep/app/remote"
	"doorstep/app/replica"
	"doorstep/shared/housing"
)

var _ replica.Transport = remote.Transport{}

// The server's real answers are tested where the server is (server/api runs
// its sync contract through remote.Client). These tests pin what the
// Transport itself must get right on the wire: the token it is handed, the
// method, a compressed body, and errors decoded into codes the replica acts
// on.

// wireServer answers as the server does for the cases below and records
// what it was sent.
func wireServer(t *testing.T) (*httptest.Server, *[]string) {
	t.Helper()
	var seen []string
	mux := http.NewServeMux()
	writeError := func(w http.ResponseWriter, status int, body string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
	mux.HandleFunc("POST /api/v1/session", func(w http.ResponseWriter, r *http.Request) {
		var in housing.SignIn
		decodeBody(t, r, &in)
		seen = append(seen, "sign in "+in.Username+" auth="+r.Header.Get("Authorization"))
		if in.Password != "right" {
			writeError(w, http.StatusUnauthorized, `{"code":"unauthorized","message":"Wrong username or password."}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(housing.Session{ID: "s1", Token: "tok-1", DeviceID: "d1", DeviceName: in.DeviceName, Officer: housing.Officer{ID: "o1", Username: in.Username}})
	})
	mux.HandleFunc("DELETE /api/v1/session", func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, "sign out auth="+r.Header.Get("Authorization"))
		if r.Header.Get("Authorization") != "Bearer tok-1" {
			writeError(w, http.StatusUnauthorized, `{"code":"unauthorized","message":"This device is not signed in."}`)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /api/v1/sync", func(w http.ResponseWriter, r *http.Request) {
		var req housing.SyncRequest
		decodeBody(t, r, &req)
		seen = append(seen, "sync auth="+r.Header.Get("Authorization")+" encoding="+r.Header.Get("Content-Encoding"))
		switch {
		case r.Header.Get("Authorization") != "Bearer tok-1":
			writeError(w, http.StatusUnauthorized, `{"code":"unauthorized","message":"This device was signed out. Sign in again."}`)
		case len(req.Mutations) > 0 && req.Mutations[0].Seq > 3:
			writeError(w, http.StatusConflict, `{"code":"gap","message":"Send mutations from 4.","last_mutation":3}`)
		default:
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(housing.SyncResponse{Protocol: 1, Results: []housing.Result{}, LastMutation: 3, Cursor: "9"})
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestTransport(t *testing.T) {
	ctx := context.Background()
	srv, seen := wireServer(t)
	tr := remote.Transport{Client: remote.Client{BaseURL: srv.URL, GzipOver: 1}}

	t.Run("SignIn", func(t *testing.T) {
		s, err := tr.SignIn(ctx, housing.SignIn{Username: "sarah", Password: "right", DeviceName: "Pixel"})
		if err != nil {
			t.Fatal(err)
		}
		if s.Token != "tok-1" || s.DeviceID != "d1" || s.Officer.Username != "sarah" {
			t.Errorf("got %+v, want sarah's session with its token", s)
		}
		_, err = tr.SignIn(ctx, housing.SignIn{Username: "sarah", Password: "wrong"})
		if got := housing.ErrorCode(err); got != housing.CodeUnauthorized {
			t.Errorf("got %v for a wrong password, want code %s", err, housing.CodeUnauthorized)
		}
	})
	t.Run("SyncSendsTheTokenAndAGzipBody", func(t *testing.T) {
		*seen = nil
		resp, err := tr.Sync(ctx, "tok-1", housing.SyncRequest{Protocol: 1, DeviceID: "d1", Mutations: []housing.Mutation{{Seq: 1, Kind: housing.KindVisitRecord, RecordID: "v1", Data: json.RawMessage(`{}`)}}})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Cursor != "9" || resp.LastMutation != 3 {
			t.Errorf("got %+v, want cursor 9 and last mutation 3", resp)
		}
		if want := "sync auth=Bearer tok-1 encoding=gzip"; len(*seen) != 1 || (*seen)[0] != want {
			t.Errorf("server saw %q, want %q", *seen, want)
		}
	})
	t.Run("RevokedIsUnauthorized", func(t *testing.T) {
		_, err := tr.Sync(ctx, "tok-old", housing.SyncRequest{Protocol: 1, DeviceID: "d1"})
		if got := housing.ErrorCode(err); got != housing.CodeUnauthorized {
			t.Errorf("got %v, want code %s so the replica asks for a sign-in", err, housing.CodeUnauthorized)
		}
	})
	t.Run("GapCarriesLastMutation", func(t *testing.T) {
		resp, err := tr.Sync(ctx, "tok-1", housing.SyncRequest{Protocol: 1, DeviceID: "d1", Mutations: []housing.Mutation{{Seq: 7, Kind: housing.KindVisitRecord, RecordID: "v7", Data: json.RawMessage(`{}`)}}})
		if got := housing.ErrorCode(err); got != housing.CodeGap {
			t.Fatalf("got %v, want code %s", err, housing.CodeGap)
		}
		if resp.LastMutation != 3 {
			t.Errorf("got last mutation %d, want 3 so the replica resends from 4", resp.LastMutation)
		}
	})
	t.Run("SignOut", func(t *testing.T) {
		*seen = nil
		if err := tr.SignOut(ctx, "tok-1"); err != nil {
			t.Fatal(err)
		}
		if want := "sign out auth=Bearer tok-1"; len(*seen) != 1 || (*seen)[0] != want {
			t.Errorf("server saw %q, want %q", *seen, want)
		}
		err := tr.SignOut(ctx, "tok-old")
		if got := housing.ErrorCode(err); got != housing.CodeUnauthorized {
			t.Errorf("got %v signing out an ended session, want code %s", err, housing.CodeUnauthorized)
		}
	})
	t.Run("NoServerIsAPlainError", func(t *testing.T) {
		dead := remote.Transport{Client: remote.Client{BaseURL: "http://127.0.0.1:1"}}
		_, err := dead.Sync(ctx, "tok-1", housing.SyncRequest{Protocol: 1})
		var he *housing.Error
		if err == nil || errors.As(err, &he) {
			t.Errorf("got %v, want a plain error the replica treats as no connection", err)
		}
	})
}

// decodeBody decodes a JSON request body, gzip-compressed or not.
func decodeBody(t *testing.T, r *http.Request, v any) {
	t.Helper()
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			t.Errorf("gzip body: %v", err)
			return
		}
		body = zr
	}
	if err := json.NewDecoder(body).Decode(v); err != nil {
		t.Errorf("request body: %v", err)
	}
}
