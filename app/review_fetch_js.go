//go:build js && wasm

package main

import "context"

// get sends the GET with the browser's fetch, through the replica
// transport's call (transport_js.go), so the app has one fetch path. The
// service worker leaves /api alone: the answer is the server's or a
// network failure, never a cached copy.
func get(ctx context.Context, url, token string) (reviewAnswer, error) {
	status, body, err := call(ctx, "GET", url, token, nil, false)
	return reviewAnswer{status: status, body: body}, err
}
