//go:build js && wasm

package main

import (
	"strings"
	"sync"
	"syscall/js"
)

// The browser features the wiring uses, each degrading gracefully where a
// browser lacks it.

// withLock runs f while holding the Web Lock called name, so that only one
// tab syncs at a time; without the Web Locks API, or if the request fails,
// it just runs f: a sync without the lock is safe (the replica's store
// refuses a stale write), only less tidy.
func withLock(name string, f func()) {
	locks := js.Global().Get("navigator").Get("locks")
	if locks.IsUndefined() {
		f()
		return
	}
	ran := make(chan struct{})
	var once sync.Once
	run := func() { once.Do(func() { f(); close(ran) }) }
	var executor, cb, failed js.Func
	executor = js.FuncOf(func(this js.Value, p []js.Value) any {
		resolve := p[0]
		go func() {
			run()
			resolve.Invoke()
		}()
		return nil
	})
	// The lock is held until the promise returned here settles.
	cb = js.FuncOf(func(this js.Value, args []js.Value) any {
		return js.Global().Get("Promise").New(executor)
	})
	failed = js.FuncOf(func(this js.Value, args []js.Value) any {
		go run()
		return nil
	})
	locks.Call("request", name, cb).Call("catch", failed)
	<-ran
	// The lock's promise has settled (or never will); the callbacks are
	// released once the browser can no longer call them.
	var cleanup js.Func
	cleanup = js.FuncOf(func(this js.Value, args []js.Value) any {
		executor.Release()
		cb.Release()
		failed.Release()
		cleanup.Release()
		return nil
	})
	js.Global().Call("setTimeout", cleanup, 1000)
}

// onWindow calls f on each of the window or document events; it returns a
// function that removes the listeners.
func onEvent(target js.Value, event string, f func()) func() {
	fn := js.FuncOf(func(js.Value, []js.Value) any { go f(); return nil })
	target.Call("addEventListener", event, fn)
	return func() { target.Call("removeEventListener", event, fn); fn.Release() }
}

// visible reports whether the page is showing.
func visible() bool {
	return js.Global().Get("document").Get("visibilityState").String() == "visible"
}

// origin is the page's scheme, host and port.
func origin() string { return js.Global().Get("location").Get("origin").String() }

// deviceName names this phone for the officer's list of devices.
func deviceName() string {
	ua := js.Global().Get("navigator").Get("userAgent").String()
	for _, k := range []string{"Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux"} {
		if strings.Contains(ua, k) {
			return k + " browser"
		}
	}
	return "Browser"
}

// persistStorage asks once for persistent storage and reports the answer
// through done (persisted, supported).
func persistStorage(ask bool, done func(persisted, supported bool)) {
	storage := js.Global().Get("navigator").Get("storage")
	if storage.IsUndefined() || storage.Get("persist").IsUndefined() {
		done(false, false)
		return
	}
	method := "persisted"
	if ask {
		method = "persist"
	}
	var then js.Func
	then = js.FuncOf(func(this js.Value, args []js.Value) any {
		done(args[0].Truthy(), true)
		then.Release()
		return nil
	})
	storage.Call(method).Call("then", then)
}

// mark records a performance mark called name, for the benchmarks that
// read them.
func mark(name string) {
	if perf := js.Global().Get("performance"); !perf.IsUndefined() {
		perf.Call("mark", name)
	}
}
