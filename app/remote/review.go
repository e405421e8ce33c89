package remote

import (
	"context"
	"net/url"

	"doorstep/shared/housing"
)

// The supervisors' reads (GET /api/v1/review/...). A supervisor's actions
// on a promise are not here: they are mutations, sent by Sync like any
// change made on the phone.

// Queues reads the attention queues in f's scope.
func (c *Client) Queues(ctx context.Context, f housing.ReviewFilter) (housing.Queues, error) {
	var q housing.Queues
	err := c.call(ctx, "GET", "/api/v1/review/queues", f.Query(), nil, &q)
	return q, err
}

// Measures reads the measures over f's scope and period.
func (c *Client) Measures(ctx context.Context, f housing.ReviewFilter) (housing.Measures, error) {
	var m housing.Measures
	err := c.call(ctx, "GET", "/api/v1/review/measures", f.Query(), nil, &m)
	return m, err
}

// Timeline reads one tenancy's timeline.
func (c *Client) Timeline(ctx context.Context, tenancyID string) (housing.Timeline, error) {
	var tl housing.Timeline
	err := c.call(ctx, "GET", "/api/v1/review/tenancies/"+url.PathEscape(tenancyID)+"/timeline", "", nil, &tl)
	return tl, err
}

// Export reads the CSV export what ("commitments" or "feedback") of f's
// scope and period, as the file's bytes.
func (c *Client) Export(ctx context.Context, what string, f housing.ReviewFilter) ([]byte, error) {
	res, err := c.send(ctx, "GET", "/api/v1/review/export/"+url.PathEscape(what)+".csv", f.Query(), nil)
	if err != nil {
		return nil, err
	}
	return res.Body, nil
}
