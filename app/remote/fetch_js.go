//go:build js && wasm

package remote

import (
	"context"
	"errors"
	"strings"
	"syscall/js"
)

// platformDoer is what a Client without a Doer uses in the browser.
var platformDoer Doer = Fetch

// Fetch is the Doer of the wasm: the browser's fetch. The browser asks for
// and undoes compressed answers by itself; a body the request asks to
// compress goes gzip-compressed through CompressionStream where the browser
// has it. The service worker leaves /api alone, so an answer is the
// server's or a failure, never a cached copy.
func Fetch(ctx context.Context, r Request) (Response, error) {
	type result struct {
		res Response
		err error
	}
	done := make(chan result, 1)
	finish := func(r result) {
		select {
		case done <- r:
		default: // already settled
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
	var res Response
	gotBody := fn(func(args []js.Value) {
		buf := js.Global().Get("Uint8Array").New(args[0])
		res.Body = make([]byte, buf.Get("length").Int())
		js.CopyBytesToGo(res.Body, buf)
		finish(result{res: res})
	})
	gotHeader := fn(func(args []js.Value) {
		res.Header[strings.ToLower(args[1].String())] = args[0].String()
	})
	gotResponse := fn(func(args []js.Value) {
		res.Status = args[0].Get("status").Int()
		res.Header = map[string]string{}
		args[0].Get("headers").Call("forEach", gotHeader)
		args[0].Call("arrayBuffer").Call("then", gotBody).Call("catch", fail)
	})

	headers := js.Global().Get("Headers").New()
	for k, v := range r.Header {
		headers.Call("set", k, v)
	}
	opts := js.Global().Get("Object").New()
	opts.Set("method", r.Method)
	opts.Set("headers", headers)
	opts.Set("cache", "no-store")
	opts.Set("credentials", "omit")
	send := func(payload js.Value) {
		if !payload.IsUndefined() {
			opts.Set("body", payload)
		}
		js.Global().Call("fetch", r.URL, opts).Call("then", gotResponse).Call("catch", fail)
	}
	cs := js.Global().Get("CompressionStream")
	switch {
	case r.Body == nil:
		send(js.Undefined())
	case !r.Compress || cs.IsUndefined():
		send(bytesToJS(r.Body))
	default:
		headers.Call("set", "Content-Encoding", "gzip")
		blob := js.Global().Get("Blob").New([]any{bytesToJS(r.Body)})
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
		return r.res, r.err
	case <-ctx.Done():
		go func() { <-done; release() }()
		return Response{}, ctx.Err()
	}
}

// bytesToJS copies b into a new Uint8Array.
func bytesToJS(b []byte) js.Value {
	data := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(data, b)
	return data
}
