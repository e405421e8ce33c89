//go:build !(js && wasm)

package main

import (
	"context"
	"io"
	"net/http"
)

// get is the browser's fetch (review_fetch_js.go) done with net/http, so the
// client's handling of answers is tested natively.
func get(ctx context.Context, url, token string) (reviewAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return reviewAnswer{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return reviewAnswer{}, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return reviewAnswer{status: res.StatusCode, body: body}, err
}
