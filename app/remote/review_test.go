package remote_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"doorstep/app/remote"
	"doorstep/shared/housing"
)

// TestReview reads the supervisors' routes from a server that answers as
// Doorstep's does, and from things that are not Doorstep.
func TestReview(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"code":"unauthorized","message":"Sign in to continue."}`))
			return
		}
		switch r.URL.Path {
		case "/api/v1/review/queues":
			if r.URL.Query().Get("site") != "riverside" {
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte(`{"code":"invalid","message":"no site"}`))
				return
			}
			w.Write([]byte(`{"today":"2026-12-24","counts":[{"queue":"overdue","label":"Overdue","count":1}]}`))
		case "/api/v1/review/tenancies/t%2F1/timeline", "/api/v1/review/tenancies/t/1/timeline":
			w.Write([]byte(`{"tenancy":{"id":"t/1","reference":"RIV-00001"}}`))
		case "/api/v1/review/measures":
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"code":"forbidden","message":"Only supervisors can do this."}`))
		case "/api/v1/review/export/feedback.csv":
			if r.URL.Query().Get("from") != "2026-11-02" {
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte(`{"code":"invalid","message":"no period"}`))
				return
			}
			w.Header().Set("Content-Disposition", `attachment; filename=doorstep-feedback.csv`)
			w.Write([]byte("id,received_on\n"))
		default:
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte("<html>proxy error</html>"))
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	c := remote.Client{BaseURL: srv.URL + "/", Token: "tok"}

	t.Run("Queues", func(t *testing.T) {
		q, err := c.Queues(ctx, housing.ReviewFilter{Sites: []string{"riverside"}})
		if err != nil || q.Today != "2026-12-24" || len(q.Counts) != 1 {
			t.Errorf("got %+v, %v", q, err)
		}
	})
	t.Run("TimelineEscapesTheID", func(t *testing.T) {
		tl, err := c.Timeline(ctx, "t/1")
		if err != nil || tl.Tenancy.Reference != "RIV-00001" {
			t.Errorf("got %+v, %v", tl, err)
		}
	})
	t.Run("RefusalIsTheServersError", func(t *testing.T) {
		_, err := c.Measures(ctx, housing.ReviewFilter{})
		var he *housing.Error
		if !errors.As(err, &he) || he.Code != housing.CodeForbidden || he.Message != "Only supervisors can do this." {
			t.Errorf("got %v, want the server's forbidden", err)
		}
	})
	t.Run("ExportIsTheFile", func(t *testing.T) {
		data, err := c.Export(ctx, "feedback", housing.ReviewFilter{From: "2026-11-02", To: "2026-12-24"})
		if err != nil || string(data) != "id,received_on\n" {
			t.Errorf("got %q, %v", data, err)
		}
	})
	t.Run("ProxyErrorIsPlain", func(t *testing.T) {
		data, err := c.Export(ctx, "nothing", housing.ReviewFilter{})
		var he *housing.Error
		if err == nil || errors.As(err, &he) || data != nil {
			t.Errorf("got %q, %v; want no file and a plain error, which callers take for offline", data, err)
		}
	})
	t.Run("NoServerIsPlain", func(t *testing.T) {
		gone := remote.Client{BaseURL: "http://127.0.0.1:1", Token: "tok"}
		_, err := gone.Queues(ctx, housing.ReviewFilter{})
		var he *housing.Error
		if err == nil || errors.As(err, &he) {
			t.Errorf("got %v, want a plain error", err)
		}
	})
	t.Run("BadTokenIsUnauthorized", func(t *testing.T) {
		bad := remote.Client{BaseURL: srv.URL, Token: "old"}
		if _, err := bad.Queues(ctx, housing.ReviewFilter{}); housing.ErrorCode(err) != housing.CodeUnauthorized {
			t.Errorf("got %v, want unauthorized", err)
		}
	})
}
