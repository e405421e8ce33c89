//go:build js && wasm

package main

import "syscall/js"

// markTaps marks every form submission as "doorstep.tap" the moment it
// happens, in the capture phase, before any of the page's own handlers run.
// saveVisit measures "doorstep.save" from that mark to the moment the visit
// is durable: the wait an officer has after tapping Save. It is never
// released: it lives as long as the page.
func markTaps() {
	fn := js.FuncOf(func(js.Value, []js.Value) any {
		mark("doorstep.tap")
		return nil
	})
	js.Global().Get("document").Call("addEventListener", "submit", fn, true)
}

// measureSave records how long a save took: "doorstep.save" from the tap
// (from the start of the wiring's handler when there was no tap, as when a
// test raises the action itself) and "doorstep.save.wiring" from the start
// of the handler, both to now, when the records are durable.
func measureSave() {
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
