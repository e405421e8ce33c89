package remote

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"

	"doorstep/shared/housing"
)

// Client calls one Doorstep server as one signed-in device.
type Client struct {
	// BaseURL is the server's origin, e.g. "http://127.0.0.1:8080", with no
	// trailing slash. In the browser, use the page's own origin.
	BaseURL string
	// Token is the device session's bearer token ("" before sign-in).
	Token string
	// HTTP sends the requests; nil means http.DefaultClient.
	HTTP *http.Client
	// GzipOver is the body size in bytes above which requests are sent
	// gzip-compressed; 0 means 1024, and a negative value never compresses.
	GzipOver int
}

// Sync makes one sync round trip (POST /api/v1/sync). An answer that is not
// a success is returned as the server's *housing.Error when it sent one;
// for CodeGap the response carries LastMutation, so the caller resends from
// LastMutation+1. Any other failure (no network, a proxy's error page) is
// a plain error: try again later.
func (c *Client) Sync(ctx context.Context, req housing.SyncRequest) (housing.SyncResponse, error) {
	var resp housing.SyncResponse
	err := c.do(ctx, "/api/v1/sync", req, &resp)
	return resp, err
}

// SignIn makes a device session (POST /api/v1/session) and, on success,
// keeps its token for the calls that follow.
func (c *Client) SignIn(ctx context.Context, in housing.SignIn) (housing.Session, error) {
	var s housing.Session
	if err := c.do(ctx, "/api/v1/session", in, &s); err != nil {
		return s, err
	}
	c.Token = s.Token
	return s, nil
}

// errorBody is a JSON error answer; last_mutation is set only with CodeGap.
type errorBody struct {
	Code         string `json:"code"`
	Message      string `json:"message"`
	LastMutation int64  `json:"last_mutation"`
}

func (c *Client) do(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	compressed := false
	if limit := c.gzipOver(); limit >= 0 && len(body) > limit {
		var buf bytes.Buffer
		zw := requestGzip.Get().(*gzip.Writer)
		defer requestGzip.Put(zw)
		zw.Reset(&buf)
		if _, err := zw.Write(body); err != nil {
			return fmt.Errorf("compress %s: %w", path, err)
		}
		if err := zw.Close(); err != nil {
			return fmt.Errorf("compress %s: %w", path, err)
		}
		body, compressed = buf.Bytes(), true
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(c.BaseURL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("new request %s: %w", path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if compressed {
		req.Header.Set("Content-Encoding", "gzip")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	// Ask for zstd, brotli or gzip, as a browser does, and undo any of
	// them here (setting the header turns off net/http's own gzip handling).
	req.Header.Set("Accept-Encoding", "zstd, br, gzip")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("post %s: %w", path, err)
	}
	defer res.Body.Close()
	var answer io.Reader = res.Body
	switch res.Header.Get("Content-Encoding") {
	case "zstd":
		zr, err := zstd.NewReader(res.Body, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(8<<20))
		if err != nil {
			return fmt.Errorf("read %s answer: %w", path, err)
		}
		defer zr.Close()
		answer = zr
	case "br":
		answer = brotli.NewReader(res.Body)
	case "gzip":
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			return fmt.Errorf("read %s answer: %w", path, err)
		}
		defer zr.Close()
		answer = zr
	}
	data, err := io.ReadAll(answer)
	if err != nil {
		return fmt.Errorf("read %s answer: %w", path, err)
	}
	if res.StatusCode/100 == 2 {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("decode %s answer: %w", path, err)
		}
		return nil
	}
	var e errorBody
	if json.Unmarshal(data, &e) != nil || e.Code == "" {
		return fmt.Errorf("post %s: server answered %s", path, res.Status)
	}
	if r, ok := out.(*housing.SyncResponse); ok {
		r.LastMutation = e.LastMutation
	}
	return &housing.Error{Code: e.Code, Message: e.Message}
}

// requestGzip reuses compressors for request bodies, at gzip's best speed
// as a browser's CompressionStream runs: a phone with a day's outbox sends
// hundreds of kilobytes, and the default level costs three times the time
// for a tenth fewer bytes.
var requestGzip = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return zw
}}

func (c *Client) gzipOver() int {
	if c.GzipOver == 0 {
		return 1024
	}
	return c.GzipOver
}
