package remote

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"doorstep/shared/housing"
)

// The supervisors' reads (GET /api/v1/review/...). Like Sync, an answer
// that is not a success comes back as the server's *housing.Error when it
// sent one; anything else (no network, a proxy's error page) is a plain
// error, which Unreachable recognises.

// ReviewQueues fetches the attention queues for f.
func (c *Client) ReviewQueues(ctx context.Context, f housing.ReviewFilter) (housing.Queues, error) {
	var q housing.Queues
	err := c.getJSON(ctx, "/api/v1/review/queues", f.Query(), &q)
	return q, err
}

// ReviewTimeline fetches everything recorded at one tenancy.
func (c *Client) ReviewTimeline(ctx context.Context, tenancyID string) (housing.Timeline, error) {
	var tl housing.Timeline
	err := c.getJSON(ctx, "/api/v1/review/tenancies/"+url.PathEscape(tenancyID)+"/timeline", "", &tl)
	return tl, err
}

// ReviewMeasures fetches the measures for f's period and scope.
func (c *Client) ReviewMeasures(ctx context.Context, f housing.ReviewFilter) (housing.Measures, error) {
	var m housing.Measures
	err := c.getJSON(ctx, "/api/v1/review/measures", f.Query(), &m)
	return m, err
}

// Exports the server offers, by the name in their path.
const (
	ExportCommitments = "commitments"
	ExportFeedback    = "feedback"
)

// ReviewExport fetches one CSV export (ExportCommitments or ExportFeedback)
// for f and returns its bytes and the file name the server gave it.
func (c *Client) ReviewExport(ctx context.Context, what string, f housing.ReviewFilter) ([]byte, string, error) {
	if what != ExportCommitments && what != ExportFeedback {
		return nil, "", fmt.Errorf("no export called %q", what)
	}
	res, err := c.get(ctx, "/api/v1/review/export/"+what+".csv", f.Query())
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, "", fmt.Errorf("read %s export: %w", what, err)
	}
	name := what + ".csv"
	if _, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition")); err == nil && params["filename"] != "" {
		name = params["filename"]
	}
	return data, name, nil
}

// Unreachable reports whether err means the server could not be asked or
// did not answer as itself: no network, a timeout, a captive portal. Such a
// failure says nothing about the request; try again later.
func Unreachable(err error) bool {
	var e *housing.Error
	return err != nil && !errors.As(err, &e)
}

func (c *Client) getJSON(ctx context.Context, path, query string, out any) error {
	res, err := c.get(ctx, path, query)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		return fmt.Errorf("decode %s answer: %w", path, err)
	}
	return nil
}

// get sends a signed GET and returns a successful response for the caller
// to read and close.
func (c *Client) get(ctx context.Context, path, query string) (*http.Response, error) {
	u := strings.TrimSuffix(c.BaseURL, "/") + path
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("new request %s: %w", path, err)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", path, err)
	}
	if res.StatusCode/100 == 2 {
		return res, nil
	}
	defer res.Body.Close()
	var e errorBody
	data, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if json.Unmarshal(data, &e) != nil || e.Code == "" {
		return nil, fmt.Errorf("get %s: server answered %s", path, res.Status)
	}
	return nil, &housing.Error{Code: e.Code, Message: e.Message}
}
