//go:build js && wasm

package main

import (
	"context"
	"errors"
	"syscall/js"
)

// get sends a GET with the browser's fetch and the bearer token, and waits
// for the whole answer. The service worker leaves /api alone, so the answer
// is the server's or a network failure, never a cached copy.
func get(ctx context.Context, url, token string) (reviewAnswer, error) {
	type result struct {
		a   reviewAnswer
		err error
	}
	done := make(chan result, 1)
	finish := func(r result) {
		select {
		case done <- r:
		default: // the first outcome stands
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

	headers := js.Global().Get("Headers").New()
	headers.Call("set", "Authorization", "Bearer "+token)
	opts := js.Global().Get("Object").New()
	opts.Set("headers", headers)
	opts.Set("cache", "no-store")
	opts.Set("credentials", "omit")

	var answer reviewAnswer
	gotBody := fn(func(args []js.Value) {
		buf := js.Global().Get("Uint8Array").New(args[0])
		answer.body = make([]byte, buf.Get("length").Int())
		js.CopyBytesToGo(answer.body, buf)
		finish(result{a: answer})
	})
	gotResponse := fn(func(args []js.Value) {
		res := args[0]
		answer.status = res.Get("status").Int()
		if d := res.Get("headers").Call("get", "Content-Disposition"); d.Truthy() {
			answer.disposition = d.String()
		}
		res.Call("arrayBuffer").Call("then", gotBody).Call("catch", fail)
	})
	js.Global().Call("fetch", url, opts).Call("then", gotResponse).Call("catch", fail)

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
		return r.a, r.err
	case <-ctx.Done():
		go func() { <-done; release() }()
		return reviewAnswer{}, ctx.Err()
	}
}
