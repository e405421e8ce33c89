package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"doorstep/shared/housing"
)

// reviewClient reads the supervisors' routes (GET /api/v1/review/...) as one
// signed-in device. In the browser it uses fetch (review_fetch_js.go):
// net/http's client would add about a megabyte to app.wasm as served.
type reviewClient struct {
	base  string // the server's origin, no trailing slash
	token string // the device session's bearer token
}

// reviewAnswer is a response as get returns it.
type reviewAnswer struct {
	status int
	body   []byte
}

func (c reviewClient) queues(ctx context.Context, f housing.ReviewFilter) (housing.Queues, error) {
	var q housing.Queues
	err := c.getJSON(ctx, "/api/v1/review/queues", f.Query(), &q)
	return q, err
}

func (c reviewClient) timeline(ctx context.Context, tenancyID string) (housing.Timeline, error) {
	var tl housing.Timeline
	err := c.getJSON(ctx, "/api/v1/review/tenancies/"+url.PathEscape(tenancyID)+"/timeline", "", &tl)
	return tl, err
}

func (c reviewClient) measures(ctx context.Context, f housing.ReviewFilter) (housing.Measures, error) {
	var m housing.Measures
	err := c.getJSON(ctx, "/api/v1/review/measures", f.Query(), &m)
	return m, err
}

// export fetches the CSV export what ("commitments" or "feedback") and
// returns its bytes and the name to save it under.
func (c reviewClient) export(ctx context.Context, what string, f housing.ReviewFilter) ([]byte, string, error) {
	a, err := c.ok(ctx, "/api/v1/review/export/"+url.PathEscape(what)+".csv", f.Query())
	if err != nil {
		return nil, "", err
	}
	return a.body, exportFileName(what, f), nil
}

// exportFileName names a downloaded export by what it holds and its period,
// e.g. "doorstep-feedback-2026-11-02-to-2026-12-24.csv".
func exportFileName(what string, f housing.ReviewFilter) string {
	name := "doorstep-" + what
	if f.From != "" {
		name += "-" + string(f.From)
	}
	if f.To != "" {
		name += "-to-" + string(f.To)
	}
	return name + ".csv"
}

func (c reviewClient) getJSON(ctx context.Context, path, query string, out any) error {
	a, err := c.ok(ctx, path, query)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(a.body, out); err != nil {
		return fmt.Errorf("decode %s answer: %w", path, err)
	}
	return nil
}

// ok sends the GET and returns a successful answer. A refusal is the
// server's *housing.Error; anything else is a plain error (unreachable).
func (c reviewClient) ok(ctx context.Context, path, query string) (reviewAnswer, error) {
	u := strings.TrimSuffix(c.base, "/") + path
	if query != "" {
		u += "?" + query
	}
	a, err := get(ctx, u, c.token)
	if err != nil {
		return a, fmt.Errorf("get %s: %w", path, err)
	}
	if a.status/100 == 2 {
		return a, nil
	}
	var e housing.ErrorBody
	if json.Unmarshal(a.body, &e) != nil || e.Code == "" {
		return a, fmt.Errorf("get %s: the server answered %d", path, a.status)
	}
	return a, e.Err()
}

// unreachable reports whether err means the server could not be asked or
// did not answer as itself (no network, a captive portal), rather than
// refusing: then the view kept on the device is shown, marked offline.
func unreachable(err error) bool {
	var e *housing.Error
	return err != nil && !errors.As(err, &e)
}
