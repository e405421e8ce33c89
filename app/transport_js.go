//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"syscall/js"

	"doorstep/shared/housing"
)

// fetchTransport is the replica's Transport in the browser: the server's
// JSON API over fetch. net/http is not used in the wasm: linking it adds
// about a megabyte to app.wasm as served.
type fetchTransport struct {
	origin string
}

// errorBody is a JSON error answer; last_mutation comes only with a gap.
type errorBody struct {
	Code         string `json:"code"`
	Message      string `json:"message"`
	LastMutation int64  `json:"last_mutation"`
}

func (t fetchTransport) Sync(ctx context.Context, token string, req housing.SyncRequest) (housing.SyncResponse, error) {
	var resp housing.SyncResponse
	status, body, err := call(ctx, "POST", t.origin+"/api/v1/sync", token, mustMarshal(req), true)
	if err != nil {
		return resp, err
	}
	if status/100 != 2 {
		var e errorBody
		if json.Unmarshal(body, &e) != nil || e.Code == "" {
			return resp, fmt.Errorf("sync: server answered %d", status)
		}
		resp.LastMutation = e.LastMutation
		return resp, &housing.Error{Code: e.Code, Message: e.Message}
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return resp, fmt.Errorf("decode sync answer: %w", err)
	}
	return resp, nil
}

func (t fetchTransport) SignIn(ctx context.Context, in housing.SignIn) (housing.Session, error) {
	var s housing.Session
	status, body, err := call(ctx, "POST", t.origin+"/api/v1/session", "", mustMarshal(in), false)
	if err != nil {
		return s, housing.Errorf(housing.CodeInternal, "No connection to the server. Signing in needs signal; try again when you have some.")
	}
	if status/100 != 2 {
		var e errorBody
		if json.Unmarshal(body, &e) != nil || e.Code == "" {
			return s, fmt.Errorf("sign in: server answered %d", status)
		}
		return s, &housing.Error{Code: e.Code, Message: e.Message}
	}
	return s, json.Unmarshal(body, &s)
}

func (t fetchTransport) SignOut(ctx context.Context, token string) error {
	_, _, err := call(ctx, "DELETE", t.origin+"/api/v1/session", token, nil, false)
	return err
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("encode request: " + err.Error())
	}
	return b
}

// call sends one request with fetch and waits for the whole answer. With
// compress set and the browser able to, the body goes gzip-compressed
// (CompressionStream), as the sync endpoint accepts; the browser itself
// asks for and undoes compressed answers. A network failure is an error; an
// HTTP error status is not.
func call(ctx context.Context, method, url, token string, body []byte, compress bool) (int, []byte, error) {
	type result struct {
		status int
		body   []byte
		err    error
	}
	done := make(chan result, 1)
	finish := func(r result) {
		select {
		case done <- r:
		default:
		}
	}
	var funcs []js.Func
	fn := func(f func(args []js.Value)) js.Func {
		jf := js.FuncOf(func(this js.Value, args []js.Value) any { f(args); return nil })
		funcs = append(funcs, jf)
		return jf
	}
	fail := fn(func(args []js.Value) {
		msg := "fetch failed"
		if len(args) > 0 {
			msg = args[0].Call("toString").String()
		}
		finish(result{err: errors.New(msg)})
	})
	var status int
	gotBody := fn(func(args []js.Value) {
		buf := js.Global().Get("Uint8Array").New(args[0])
		b := make([]byte, buf.Get("length").Int())
		js.CopyBytesToGo(b, buf)
		finish(result{status: status, body: b})
	})
	gotResponse := fn(func(args []js.Value) {
		status = args[0].Get("status").Int()
		args[0].Call("arrayBuffer").Call("then", gotBody).Call("catch", fail)
	})

	headers := js.Global().Get("Headers").New()
	if token != "" {
		headers.Call("set", "Authorization", "Bearer "+token)
	}
	opts := js.Global().Get("Object").New()
	opts.Set("method", method)
	opts.Set("headers", headers)
	opts.Set("cache", "no-store")
	opts.Set("credentials", "omit")
	send := func(payload js.Value) {
		if !payload.IsUndefined() {
			opts.Set("body", payload)
		}
		js.Global().Call("fetch", url, opts).Call("then", gotResponse).Call("catch", fail)
	}
	switch {
	case body == nil:
		send(js.Undefined())
	default:
		headers.Call("set", "Content-Type", "application/json")
		data := js.Global().Get("Uint8Array").New(len(body))
		js.CopyBytesToJS(data, body)
		cs := js.Global().Get("CompressionStream")
		if !compress || cs.IsUndefined() || len(body) < 1024 {
			send(data)
			break
		}
		headers.Call("set", "Content-Encoding", "gzip")
		blob := js.Global().Get("Blob").New([]any{data})
		stream := blob.Call("stream").Call("pipeThrough", cs.New("gzip"))
		gotCompressed := fn(func(args []js.Value) { send(args[0]) })
		js.Global().Get("Response").New(stream).Call("arrayBuffer").Call("then", gotCompressed).Call("catch", fail)
	}

	// The callbacks are released once the promise has settled, never
	// before: JavaScript may still call them after ctx ends.
	release := func() {
		for _, f := range funcs {
			f.Release()
		}
	}
	select {
	case r := <-done:
		release()
		return r.status, r.body, r.err
	case <-ctx.Done():
		go func() { <-done; release() }()
		return 0, nil, ctx.Err()
	}
}
