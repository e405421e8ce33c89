package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// routes registers every route, in one place. Each area keeps its handlers in
// its own file, as a type with a Register method, and is registered here when
// its service is in s.Services. The session and role checks are applied here
// too (auth.go), so who may call what reads in one list.
//
// Echo matches the most specific route whatever the order, but go-app's
// handler, which takes every path left over, is registered last so that this
// list reads in the order requests are decided.
func (s *Server) routes() {
	e := s.Echo
	e.GET("/healthz", s.healthz)

	// The JSON API. Routes go on s.API (/api/v1), for example
	//	s.API.POST("/session", s.signIn)
	// Any other path under /api answers a JSON 404, never the app's page.
	s.API = e.Group("/api/v1")
	e.Any("/api", s.apiNotFound)
	e.Any("/api/*", s.apiNotFound)

	if sv := s.Services; sv.Sessions != nil {
		signedIn := RequireSession(sv.Sessions)
		(&SessionHandler{Service: sv.Sessions, Log: s.Log}).Register(e)
		if sv.Officers != nil {
			(&AdminHandler{Officers: sv.Officers, Sessions: sv.Sessions, Log: s.Log}).Register(e)
		}
		if sv.Imports != nil {
			(&ImportHandler{Service: sv.Imports, Log: s.Log}).Register(e, s.long, signedIn, RequireRole(housing.RoleAdmin))
		}
		if sv.ReferenceAdmin != nil {
			(&ReferenceAdminHandler{Service: sv.ReferenceAdmin, Sessions: sv.Sessions, Log: s.Log}).Register(e)
		}
		if sv.Sync != nil {
			(&SyncHandler{Service: sv.Sync, Principal: PrincipalOf}).Register(e, s.long, signedIn)
		}
		if sv.Review != nil {
			(&ReviewHandler{Service: sv.Review, Principal: PrincipalOf}).Register(e, signedIn, RequireRole(housing.RoleSupervisor))
		}
	}

	// The events feed for the landlord's other systems: integration
	// tokens, never sessions, and rate limited per address; the tokens'
	// admin routes come with it when sessions are served.
	if s.Services.Integrations != nil {
		(&IntegrationHandler{Service: s.Services.Integrations, Sessions: s.Services.Sessions, Log: s.Log}).Register(e)
	}

	// The tenant link pages: small server-rendered HTML, no app, no login,
	// rate limited per address.
	if s.Services.Tenants != nil {
		pages := &TenantPages{Service: s.Services.Tenants, Key: s.Services.TenantKey,
			Allow: NewLimiter(tenantBurst, tenantEvery).Allow, Log: s.Log}
		pages.Register(e)
	}

	// Static files, and the files crawlers look for at the root, which go-app
	// would otherwise fetch over HTTP from its own /web/ folder.
	e.GET("/web/*", s.web.serve, s.long)
	e.HEAD("/web/*", s.web.serve, s.long)
	// HEAD too: go-app's handler would try to fetch them over HTTP and fail.
	robots := func(c echo.Context) error { return s.web.serveFile(c, "robots.txt") }
	e.GET("/robots.txt", robots)
	e.HEAD("/robots.txt", robots)
	for _, p := range []string{"/sitemap.xml", "/ads.txt"} {
		e.GET(p, s.notFound)
		e.HEAD(p, s.notFound)
	}

	// Last: the PWA shell, its manifest and its service worker. Pages are
	// only read, so another method on a page's path answers 405.
	e.GET("/*", s.app)
	e.HEAD("/*", s.app)
}

// apiNotFound answers a path under /api that no route takes.
func (s *Server) apiNotFound(c echo.Context) error {
	return housing.Errorf(housing.CodeNotFound, "No API endpoint answers %s %s.", c.Request().Method, c.Request().URL.Path)
}

func (s *Server) notFound(c echo.Context) error {
	return housing.Errorf(housing.CodeNotFound, "There is nothing at %s.", c.Request().URL.Path)
}

// app hands a request to go-app. A path that names no page still gets the
// shell, which boots the app and shows its not-found page, but with status
// 404 so that a crawler or a link checker sees the truth.
func (s *Server) app(c echo.Context) error {
	// Through echo's Response, not its Writer, so that the status go-app
	// writes (or the 404 below) is the one the request log reports.
	var w http.ResponseWriter = c.Response()
	if p := c.Request().URL.Path; !ui.Routed(p) && isPagePath(p) {
		w = &statusWriter{ResponseWriter: w, status: http.StatusNotFound}
	}
	s.PWA.ServeHTTP(w, c.Request())
	return nil
}

// isPagePath reports whether go-app would answer p with a page rather than
// with one of its own files (app.js, the manifest, the worker...).
func isPagePath(p string) bool {
	switch p {
	case "/app.js", "/goapp.js", "/wasm_exec.js", "/app-worker.js", "/manifest.webmanifest",
		"/manifest.json", "/app.css", "/app.wasm", "/goapp.wasm":
		return false
	}
	return true
}

// statusWriter replaces a 200 status with its own, whether the handler
// writes the header or only the body.
type statusWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	w.wroteHeader = true
	if code == http.StatusOK {
		code = w.status
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
