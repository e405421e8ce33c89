package remote

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"doorstep/shared/housing"
)

// Request is one HTTP request as a Doer sends it.
type Request struct {
	Method string
	URL    string
	Header map[string]string
	Body   []byte // nil: no body
	// Compress asks for Body to go gzip-compressed, with Content-Encoding:
	// gzip. The Client sets it only for a route that accepts it and a body
	// worth compressing; a Doer that cannot compress sends Body as it is.
	Compress bool
}

// Response is a whole answer as a Doer returns it.
type Response struct {
	Status int
	Header map[string]string // names in lower case
	Body   []byte            // with any Content-Encoding already undone
}

// Doer sends one request and waits for the whole answer. Any HTTP status is
// an answer; an error means there was none (no network, the request was
// cancelled).
type Doer func(ctx context.Context, req Request) (Response, error)

// DefaultGzipOver is the body size in bytes above which a Client sends a
// request body gzip-compressed, where the route accepts it.
const DefaultGzipOver = 1024

// Client calls one Doorstep server as one signed-in device.
type Client struct {
	// BaseURL is the server's origin, e.g. "http://127.0.0.1:8080". In the
	// browser, use the page's own origin.
	BaseURL string
	// Token is the device session's bearer token ("" before sign-in).
	Token string
	// Do sends the requests; nil means this platform's own: Fetch in the
	// wasm, HTTP(nil) elsewhere.
	Do Doer
	// GzipOver is the body size in bytes above which requests are sent
	// gzip-compressed; 0 means DefaultGzipOver, and a negative value never
	// compresses.
	GzipOver int
}

// Sync makes one sync round trip (POST /api/v1/sync). A refusal is the
// server's *housing.Error; for CodeGap the response carries LastMutation
// too, so the caller resends from LastMutation+1. Any other failure (no
// network, a proxy's error page) is a plain error: try again later.
func (c *Client) Sync(ctx context.Context, req housing.SyncRequest) (housing.SyncResponse, error) {
	var resp housing.SyncResponse
	err := c.call(ctx, "POST", "/api/v1/sync", "", req, &resp)
	if e := housingError(err); e != nil && e.Code == housing.CodeGap {
		resp.LastMutation = e.LastMutation
	}
	return resp, err
}

// SignIn makes a device session (POST /api/v1/session) and, on success,
// keeps its token for the calls that follow.
func (c *Client) SignIn(ctx context.Context, in housing.SignIn) (housing.Session, error) {
	var s housing.Session
	if err := c.call(ctx, "POST", "/api/v1/session", "", in, &s); err != nil {
		return s, err
	}
	c.Token = s.Token
	return s, nil
}

// SignOut ends this device's session (DELETE /api/v1/session) and forgets
// its token. The server's *housing.Error comes back as it is: signing out
// with a session the server already ended is CodeUnauthorized.
func (c *Client) SignOut(ctx context.Context) error {
	if err := c.call(ctx, "DELETE", "/api/v1/session", "", nil, nil); err != nil {
		return err
	}
	c.Token = ""
	return nil
}

// call sends in (nil: no body) as JSON to path?query and decodes a
// successful answer into out (nil: the answer is not read).
func (c *Client) call(ctx context.Context, method, path, query string, in, out any) error {
	res, err := c.send(ctx, method, path, query, in)
	if err != nil {
		return err
	}
	return decodeAnswer(res, path, out)
}

// decodeAnswer decodes a successful answer from path into out (nil: the
// answer is not read).
func decodeAnswer(res Response, path string, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(res.Body, out); err != nil {
		return fmt.Errorf("decode %s answer: %w", path, err)
	}
	return nil
}

// send makes one request with in (nil: no body) as JSON and returns a
// successful answer. Every route that takes a JSON body accepts it
// gzip-compressed.
func (c *Client) send(ctx context.Context, method, path, query string, in any) (Response, error) {
	if in == nil {
		return c.sendBody(ctx, method, path, query, "", nil)
	}
	body, err := json.Marshal(in)
	if err != nil {
		return Response{}, fmt.Errorf("encode %s: %w", path, err)
	}
	return c.sendBody(ctx, method, path, query, "application/json", body)
}

// sendBody makes one request with body (nil: none) of contentType, and
// returns a successful answer. Only a JSON body is compressed.
func (c *Client) sendBody(ctx context.Context, method, path, query, contentType string, body []byte) (Response, error) {
	req := Request{Method: method, URL: strings.TrimSuffix(c.BaseURL, "/") + path, Header: map[string]string{}}
	if query != "" {
		req.URL += "?" + query
	}
	if body != nil {
		req.Body, req.Header["Content-Type"] = body, contentType
		limit := c.GzipOver
		if limit == 0 {
			limit = DefaultGzipOver
		}
		req.Compress = contentType == "application/json" && limit >= 0 && len(body) > limit
	}
	if c.Token != "" {
		req.Header["Authorization"] = "Bearer " + c.Token
	}
	do := c.Do
	if do == nil {
		do = platformDoer
	}
	res, err := do(ctx, req)
	if err != nil {
		return res, fmt.Errorf("%s %s: %w", strings.ToLower(method), path, err)
	}
	if res.Status/100 == 2 {
		return res, nil
	}
	return res, refusal(method, path, res)
}

// refusal is the error an answer other than a success stands for: the
// server's *housing.Error when the body is Doorstep's, with RetryAfter from
// the header of a rate-limited answer; otherwise a plain error, as for no
// answer at all.
func refusal(method, path string, res Response) error {
	var b housing.ErrorBody
	if json.Unmarshal(res.Body, &b) != nil || b.Err() == nil {
		return fmt.Errorf("%s %s: the server answered %d", strings.ToLower(method), path, res.Status)
	}
	e := b.Err()
	if s, err := strconv.Atoi(res.Header["retry-after"]); err == nil && s > 0 {
		e.RetryAfter = time.Duration(s) * time.Second
	}
	return e
}

// housingError returns the *housing.Error inside err, or nil.
func housingError(err error) *housing.Error {
	var e *housing.Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
