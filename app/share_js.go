//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/app/ui"
)

// share hands a tenant link to the phone's share sheet (Web Share API), or
// copies it where there is none, and says what happened.
func (w *wiring) share(ctx app.Context, a app.Action) {
	w.setCtx(ctx)
	link, _ := a.Value.(string)
	res := ui.ShareResult{Link: link, Seq: w.next(), Message: shareLink(link)}
	w.publish(func(ctx app.Context) { ctx.SetState(ui.StateShare, res) })
}

// shareLink offers link to the share sheet, or copies it to the clipboard,
// and returns what the officer should be told.
func shareLink(link string) string {
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
