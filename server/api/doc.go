// Package api is Doorstep's HTTP server: echo with its middleware, the JSON
// API under /api, the tenant link pages under /t/, the static files under
// /web/ (app.wasm in brotli when the browser accepts it) and, for every other
// path, go-app's handler, which serves the PWA shell, its manifest and its
// service worker.
//
// Handlers return errors; one echo HTTPErrorHandler (error.go) turns them into
// {"code","message"} bodies, and one table maps housing error codes to HTTP
// statuses. Each area registers its routes from its own file; routes.go lists
// them in one place.
package api
