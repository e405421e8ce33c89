package remote_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"doorstep/app/remote"
	"doorstep/shared/housing"
)

// answer is a Doer that records each request and answers every one with res.
type answer struct {
	res  remote.Response
	err  error
	seen []remote.Request
}

func (a *answer) do(ctx context.Context, r remote.Request) (remote.Response, error) {
	a.seen = append(a.seen, r)
	return a.res, a.err
}

// TestClientRequests pins what the Client hands its Doer: the route, the
// token, a JSON body, and when that body may be compressed.
func TestClientRequests(t *testing.T) {
	ctx := context.Background()
	ok := remote.Response{Status: 200, Body: []byte(`{}`)}
	for _, tc := range []struct {
		name       string
		gzipOver   int
		call       func(c *remote.Client) error
		method     string
		url        string
		compressed bool
	}{
		{"SyncSmall", 0, func(c *remote.Client) error { _, err := c.Sync(ctx, housing.SyncRequest{Protocol: 1}); return err },
			"POST", "http://doorstep.test/api/v1/sync", false},
		{"SyncOverTheLimit", 10, func(c *remote.Client) error { _, err := c.Sync(ctx, housing.SyncRequest{Protocol: 1}); return err },
			"POST", "http://doorstep.test/api/v1/sync", true},
		{"NeverCompress", -1, func(c *remote.Client) error {
			_, err := c.Sync(ctx, housing.SyncRequest{Protocol: 1, Cursor: strings.Repeat("9", 2000)})
			return err
		}, "POST", "http://doorstep.test/api/v1/sync", false},
		{"Queues", 1, func(c *remote.Client) error {
			_, err := c.Queues(ctx, housing.ReviewFilter{Sites: []string{"riverside"}})
			return err
		}, "GET", "http://doorstep.test/api/v1/review/queues?site=riverside", false},
		{"SignOut", 1, func(c *remote.Client) error { return c.SignOut(ctx) },
			"DELETE", "http://doorstep.test/api/v1/session", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &answer{res: ok}
			c := &remote.Client{BaseURL: "http://doorstep.test/", Token: "tok", Do: a.do, GzipOver: tc.gzipOver}
			if err := tc.call(c); err != nil {
				t.Fatal(err)
			}
			if len(a.seen) != 1 {
				t.Fatalf("got %d requests, want 1", len(a.seen))
			}
			r := a.seen[0]
			if r.Method != tc.method || r.URL != tc.url || r.Compress != tc.compressed || r.Header["Authorization"] != "Bearer tok" {
				t.Errorf("got %s %s compress=%v auth=%q, want %s %s compress=%v with the token", r.Method, r.URL, r.Compress, r.Header["Authorization"], tc.method, tc.url, tc.compressed)
			}
			if withBody := r.Body != nil; withBody != (tc.method == "POST") || (withBody && r.Header["Content-Type"] != "application/json") {
				t.Errorf("got body %q with content type %q", r.Body, r.Header["Content-Type"])
			}
		})
	}
}

// TestClientErrors pins how answers other than a success are decoded: the
// wire's error body becomes the *housing.Error with everything it carries,
// and anything that is not Doorstep's answer is a plain error.
func TestClientErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("GapCarriesLastMutation", func(t *testing.T) {
		a := &answer{res: remote.Response{Status: 409, Body: []byte(`{"code":"gap","message":"Send mutations from 4.","last_mutation":3}`)}}
		c := remote.Client{Do: a.do}
		resp, err := c.Sync(ctx, housing.SyncRequest{Protocol: 1})
		var he *housing.Error
		if !errors.As(err, &he) || he.Code != housing.CodeGap || he.LastMutation != 3 || resp.LastMutation != 3 {
			t.Errorf("got %+v, %v; want the gap at 3 in the error and the response", resp, err)
		}
	})
	t.Run("FieldTravels", func(t *testing.T) {
		a := &answer{res: remote.Response{Status: 400, Body: []byte(`{"code":"invalid","message":"Choose a due date.","field":"due_date"}`)}}
		c := remote.Client{Do: a.do}
		_, err := c.SignIn(ctx, housing.SignIn{})
		if housing.ErrorField(err) != "due_date" || housing.ErrorMessage(err) != "Choose a due date." {
			t.Errorf("got %v (field %q), want the server's field", err, housing.ErrorField(err))
		}
	})
	t.Run("RetryAfterFromTheHeader", func(t *testing.T) {
		a := &answer{res: remote.Response{Status: 429, Header: map[string]string{"retry-after": "30"},
			Body: []byte(`{"code":"rate_limited","message":"Too many attempts."}`)}}
		c := remote.Client{Do: a.do}
		_, err := c.SignIn(ctx, housing.SignIn{})
		var he *housing.Error
		if !errors.As(err, &he) || he.Code != housing.CodeRateLimited || he.RetryAfter != 30*time.Second {
			t.Errorf("got %+v, want rate limited for 30s", he)
		}
	})
	for name, res := range map[string]remote.Response{
		"ProxyPage":      {Status: 502, Body: []byte("<html>bad gateway</html>")},
		"JSONWithNoCode": {Status: 500, Body: []byte(`{"error":"boom"}`)},
	} {
		t.Run(name+"IsPlain", func(t *testing.T) {
			a := &answer{res: res}
			c := remote.Client{Do: a.do}
			_, err := c.Sync(ctx, housing.SyncRequest{Protocol: 1})
			var he *housing.Error
			if err == nil || errors.As(err, &he) {
				t.Errorf("got %v, want a plain error", err)
			}
		})
	}
	t.Run("NoAnswerIsPlain", func(t *testing.T) {
		offline := errors.New("no network")
		a := &answer{err: offline}
		c := remote.Client{Do: a.do}
		_, err := c.Queues(ctx, housing.ReviewFilter{})
		if !errors.Is(err, offline) {
			t.Errorf("got %v, want the Doer's error wrapped", err)
		}
	})
}
