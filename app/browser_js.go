//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"syscall/js"
	"time"

	"doorstep/app/replica"
	"doorstep/shared/housing"
)

// jsBrowser is the browser the wasm runs in: the handlers' browser, and the
// Web Lock, wake-up events and tap marks that main wires in.
type jsBrowser struct{}

func (jsBrowser) now() time.Time { return time.Now() }

func (jsBrowser) origin() string { return js.Global().Get("location").Get("origin").String() }

func (jsBrowser) deviceName() string {
	ua := js.Global().Get("navigator").Get("userAgent").String()
	for _, k := range []string{"Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux"} {
		if strings.Contains(ua, k) {
			return k + " browser"
		}
	}
	return "Browser"
}

// share uses the Web Share API, or the clipboard where there is none.
func (jsBrowser) share(link string) string {
	nav := js.Global().Get("navigator")
	if !nav.Get("share").IsUndefined() {
		opts := js.Global().Get("Object").New()
		opts.Set("title", "Your promise")
		opts.Set("url", link)
		err := await(nav.Call("share", opts))
		if err.IsUndefined() || (err.Type() == js.TypeObject && err.Get("name").String() == "AbortError") {
			return "" // shared, or the officer closed the share sheet
		}
	}
	if clip := nav.Get("clipboard"); !clip.IsUndefined() && !clip.Get("writeText").IsUndefined() {
		if err := await(clip.Call("writeText", link)); err.IsUndefined() {
			return "Link copied. Paste it into a text or an email to the tenant."
		}
	}
	return "This phone could not copy the link. Show the tenant the QR code instead."
}

// download makes a Blob behind a temporary link with the download
// attribute, clicked once. A supervisor's export is fetched with the
// session's bearer token, which a plain link could not send, so the file is
// made here rather than by navigating to the route.
func (jsBrowser) download(name, mimeType string, data []byte) {
	win := js.Global()
	bytes := win.Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(bytes, data)
	opts := win.Get("Object").New()
	opts.Set("type", mimeType)
	blob := win.Get("Blob").New([]any{bytes}, opts)
	url := win.Get("URL").Call("createObjectURL", blob)
	doc := win.Get("document")
	a := doc.Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	a.Set("hidden", true)
	doc.Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	// The browser has the file once the click is handled; free the Blob a
	// little later rather than racing the download.
	var revoke js.Func
	revoke = js.FuncOf(func(js.Value, []js.Value) any {
		win.Get("URL").Call("revokeObjectURL", url)
		revoke.Release()
		return nil
	})
	win.Call("setTimeout", revoke, 60000)
}

// copy writes text to the clipboard, where the browser allows it.
func (jsBrowser) copy(text string) bool {
	clip := js.Global().Get("navigator").Get("clipboard")
	if clip.IsUndefined() || clip.Get("writeText").IsUndefined() {
		return false
	}
	return await(clip.Call("writeText", text)).IsUndefined()
}

// files reads the files chosen in the <input type=file> with ID input. A
// file is read whole, with File.arrayBuffer(); an import is bounded by the
// server (housing.MaxImportBytes), which refuses more.
func (jsBrowser) files(input string) ([]housing.ImportFile, error) {
	el := js.Global().Get("document").Call("getElementById", input)
	if !el.Truthy() || !el.Get("files").Truthy() {
		return nil, nil
	}
	list := el.Get("files")
	out := make([]housing.ImportFile, 0, list.Length())
	for i := range list.Length() {
		f := list.Index(i)
		buf, err := awaitValue(f.Call("arrayBuffer"))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f.Get("name").String(), err)
		}
		bytes := js.Global().Get("Uint8Array").New(buf)
		data := make([]byte, bytes.Get("length").Int())
		js.CopyBytesToGo(data, bytes)
		out = append(out, housing.ImportFile{Name: f.Get("name").String(), Data: data})
	}
	return out, nil
}

// storage asks navigator.storage.persist() (or, without ask, only reads
// persisted()) and waits for the answer. A browser may wait for the
// officer to answer a prompt before it settles.
func (jsBrowser) storage(ask bool) (persisted, supported bool) {
	storage := js.Global().Get("navigator").Get("storage")
	if storage.IsUndefined() || storage.Get("persist").IsUndefined() {
		return false, false
	}
	method := "persisted"
	if ask {
		method = "persist"
	}
	done := make(chan bool, 1)
	// A rejection's reason is no boolean: not persisted.
	settled := js.FuncOf(func(this js.Value, args []js.Value) any {
		done <- len(args) > 0 && args[0].Type() == js.TypeBoolean && args[0].Bool()
		return nil
	})
	defer settled.Release()
	storage.Call(method).Call("then", settled, settled)
	return <-done, true
}

func (jsBrowser) mark(name string) {
	if perf := js.Global().Get("performance"); !perf.IsUndefined() {
		perf.Call("mark", name)
	}
}

// measureSave records "doorstep.save" from the tap on Save (markTaps), or
// from the start of the handler when there was no tap, as when a test
// raises the action itself, and "doorstep.save.wiring" from the start of
// the handler: both to now. The benchmarks read them.
func (jsBrowser) measureSave() {
	perf := js.Global().Get("performance")
	if perf.IsUndefined() {
		return
	}
	from := "doorstep.save.start"
	if perf.Call("getEntriesByName", "doorstep.tap", "mark").Length() > 0 {
		from = "doorstep.tap"
	}
	perf.Call("measure", "doorstep.save", from)
	perf.Call("measure", "doorstep.save.wiring", "doorstep.save.start")
}

// markTaps marks every form submission as "doorstep.tap" the moment it
// happens, in the capture phase, before any of the page's own handlers run:
// the wait an officer has after tapping Save starts there. It is never
// released: it lives as long as the page.
func (b jsBrowser) markTaps() {
	fn := js.FuncOf(func(js.Value, []js.Value) any {
		b.mark("doorstep.tap")
		return nil
	})
	js.Global().Get("document").Call("addEventListener", "submit", fn, true)
}

// onWake calls wake with a replica trigger when the phone comes back
// online and when the page is shown again. The listeners live as long as
// the page.
func (jsBrowser) onWake(wake func(trigger string)) {
	listen := func(target js.Value, event string, f func()) {
		target.Call("addEventListener", event, js.FuncOf(func(js.Value, []js.Value) any { go f(); return nil }))
	}
	listen(js.Global(), "online", func() { wake(replica.TriggerOnline) })
	doc := js.Global().Get("document")
	listen(doc, "visibilitychange", func() {
		if doc.Get("visibilityState").String() == "visible" {
			wake(replica.TriggerVisible)
		}
	})
}

// lock runs f while holding the Web Lock called name, so that only one tab
// syncs at a time (replica.Options.Lock). Without the Web Locks API, or if
// the request fails, it just runs f: a sync without the lock is safe (the
// replica's store refuses a stale write), only less tidy.
func (jsBrowser) lock(name string, f func()) {
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

// awaitValue waits for a JavaScript promise to settle and returns what it
// resolved to, or its rejection as an error.
func awaitValue(promise js.Value) (js.Value, error) {
	type settled struct {
		v   js.Value
		err error
	}
	done := make(chan settled, 1)
	resolved := js.FuncOf(func(_ js.Value, args []js.Value) any {
		v := js.Undefined()
		if len(args) > 0 {
			v = args[0]
		}
		done <- settled{v: v}
		return nil
	})
	rejected := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "the browser refused"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		done <- settled{err: errors.New(msg)}
		return nil
	})
	defer resolved.Release()
	defer rejected.Release()
	promise.Call("then", resolved, rejected)
	s := <-done
	return s.v, s.err
}

// await waits for a JavaScript promise to settle and returns its rejection
// reason, or undefined when it resolved.
func await(promise js.Value) js.Value {
	done := make(chan js.Value, 1)
	resolved := js.FuncOf(func(js.Value, []js.Value) any { done <- js.Undefined(); return nil })
	rejected := js.FuncOf(func(_ js.Value, args []js.Value) any {
		reason := js.Null()
		if len(args) > 0 && !args[0].IsUndefined() {
			reason = args[0]
		}
		done <- reason
		return nil
	})
	defer resolved.Release()
	defer rejected.Release()
	promise.Call("then", resolved, rejected)
	return <-done
}
