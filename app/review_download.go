package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// download hands data to the browser as a file called name: a Blob behind a
// temporary link with the download attribute, clicked once. The export is
// fetched with the session's bearer token, which a plain link could not
// send, so the file is made here rather than by navigating to the route.
func download(name, mimeType string, data []byte) {
	if !app.IsClient {
		return
	}
	win := app.Window()
	bytes := win.Get("Uint8Array").New(len(data))
	app.CopyBytesToJS(bytes, data)
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
	win.Call("setTimeout", app.FuncOf(func(this app.Value, args []app.Value) any {
		win.Get("URL").Call("revokeObjectURL", url)
		return nil
	}), 60000)
}
