//go:build !js

package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"doorstep/shared/housing"
)

func TestReviewClient(t *testing.T) {
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
			w.Header().Set("Content-Disposition", `attachment; filename=doorstep-feedback.csv`)
			w.Write([]byte("id,received_on\n"))
		default:
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte("<html>proxy error</html>"))
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	c := reviewClient{base: srv.URL + "/", token: "tok"}

	t.Run("Queues", func(t *testing.T) {
		q, err := c.queues(ctx, housing.ReviewFilter{Sites: []string{"riverside"}})
		if err != nil || q.Today != "2026-12-24" || len(q.Counts) != 1 {
			t.Errorf("got %+v, %v", q, err)
		}
	})
	t.Run("TimelineEscapesTheID", func(t *testing.T) {
		tl, err := c.timeline(ctx, "t/1")
		if err != nil || tl.Tenancy.Reference != "RIV-00001" {
			t.Errorf("got %+v, %v", tl, err)
		}
	})
	t.Run("RefusalIsTheServersError", func(t *testing.T) {
		_, err := c.measures(ctx, housing.ReviewFilter{})
		if housing.ErrorCode(err) != housing.CodeForbidden || housing.ErrorMessage(err) != "Only supervisors can do this." || unreachable(err) {
			t.Errorf("got %v, want the server's forbidden", err)
		}
	})
	t.Run("ExportNamesTheFileByItsPeriod", func(t *testing.T) {
		data, name, err := c.export(ctx, "feedback", housing.ReviewFilter{From: "2026-11-02", To: "2026-12-24"})
		if err != nil || name != "doorstep-feedback-2026-11-02-to-2026-12-24.csv" || string(data) != "id,received_on\n" {
			t.Errorf("got %q, %q, %v", data, name, err)
		}
	})
	t.Run("ProxyErrorIsUnreachable", func(t *testing.T) {
		_, _, err := c.export(ctx, "nothing", housing.ReviewFilter{})
		if !unreachable(err) {
			t.Errorf("got %v, want unreachable", err)
		}
	})
	t.Run("NoServerIsUnreachable", func(t *testing.T) {
		gone := reviewClient{base: "http://127.0.0.1:1", token: "tok"}
		if _, err := gone.queues(ctx, housing.ReviewFilter{}); !unreachable(err) {
			t.Errorf("got %v, want unreachable", err)
		}
	})
	t.Run("BadTokenIsUnauthorized", func(t *testing.T) {
		bad := reviewClient{base: srv.URL, token: "old"}
		if _, err := bad.queues(ctx, housing.ReviewFilter{}); housing.ErrorCode(err) != housing.CodeUnauthorized {
			t.Errorf("got %v, want unauthorized", err)
		}
	})
}
