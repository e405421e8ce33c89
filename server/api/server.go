package api

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// DefaultBodyLimit is the largest request body accepted unless Config says
// otherwise: the sync protocol's largest request. A route may hold its own
// bodies to less.
const DefaultBodyLimit = housing.MaxRequestBytes

// How long a request may take to arrive and its answer to leave, counted
// from when its handler starts (see Config). A phone on a weak signal
// sends a day's outbox to sync and fetches the app's files; a tenant's form
// or a supervisor's query is small.
const (
	DefaultReadTimeout  = 30 * time.Second
	DefaultWriteTimeout = 2 * time.Minute
	DefaultLongTimeout  = 5 * time.Minute
)

// Config configures New. The zero value of each field has a sensible default.
type Config struct {
	// WebDir is the folder served under /web/: app.wasm, app.wasm.br, app.css
	// and the icons. Default "web".
	WebDir string

	// Log receives one line per request and the errors behind 5xx answers.
	// Default slog.Default().
	Log *slog.Logger

	// BodyLimit is the largest request body in bytes. Default DefaultBodyLimit.
	BodyLimit int64

	// ReadTimeout bounds reading a request's body from when its handler
	// starts, however slowly it trickles in; a body still arriving then is
	// answered 408 and the connection closed. WriteTimeout bounds writing
	// the answer to a client that reads it slowly, counted from the end of
	// ReadTimeout. LongTimeout replaces both on the routes that carry a
	// phone's bulk data: sync, and the app's files under /web/. Zero means
	// DefaultReadTimeout, DefaultWriteTimeout and DefaultLongTimeout.
	// http.Server's ReadHeaderTimeout and IdleTimeout (server/run.go) cover
	// the time before a handler starts and between requests.
	ReadTimeout, WriteTimeout, LongTimeout time.Duration

	// TrustedProxies are the networks of the reverse proxies in front of
	// the server (ParseTrustedProxies reads them). Only a request whose
	// direct peer is in one of them may name the caller's address in
	// X-Forwarded-For or X-Real-IP, and say in X-Forwarded-Proto that it
	// arrived over HTTPS. Default none: the peer is the caller, and only the
	// server's own TLS is HTTPS.
	TrustedProxies []*net.IPNet

	// Services are the store's services that the handlers call.
	Services Services
}

// Services are what the handlers need from the store, as the service
// interfaces that package housing declares, so that a SQLite or a PostgreSQL
// store can sit behind them. A nil service leaves its routes out; server/run.go
// fills them from the store.
type Services struct {
	// Sessions signs devices in and turns bearer tokens into principals.
	// Every route that needs a signed-in officer needs it.
	Sessions housing.SessionService
	// Officers manages staff accounts (admin routes).
	Officers housing.OfficerService
	// ReferenceAdmin manages sites, teams and service standards (admin
	// routes).
	ReferenceAdmin housing.ReferenceAdminService
	// Sync applies devices' mutations and pages their scope.
	Sync housing.SyncService
	// Review answers the supervisors' queues, timelines, measures and exports.
	Review housing.ReviewService
	// Tenants serves the tenant link pages under /t/.
	Tenants housing.TenantService
	// Imports applies the landlord's CSV files (admin routes).
	Imports housing.ImportService
	// Integrations serves the events feed to the landlord's other systems
	// and lets admins make and revoke their tokens (the token routes also
	// need Sessions).
	Integrations housing.IntegrationService
	// TenantKey signs the tenant pages' forms against cross-site posts; it
	// must stay the same across restarts (run.go keeps it in the data folder).
	TenantKey []byte
}

// Server is Doorstep's HTTP handler. Echo is exported so that each area can
// register its routes from its own file (see routes.go), and so that tests
// can serve it with httptest.
type Server struct {
	Echo *echo.Echo

	// API is the group /api/v1, where the JSON routes live. Any other path
	// under /api answers a JSON 404.
	API *echo.Group

	// PWA is go-app's handler; it answers every path no other route takes.
	PWA *app.Handler

	Log      *slog.Logger
	Services Services

	web     webFiles
	proxies proxies
	// long sets the deadlines of the routes that carry bulk data.
	long echo.MiddlewareFunc
}

// New returns a Server with its middleware and every route registered. It
// fails if the web folder cannot be read.
func New(cfg Config) (*Server, error) {
	if cfg.WebDir == "" {
		cfg.WebDir = "web"
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = DefaultBodyLimit
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = DefaultReadTimeout
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = DefaultWriteTimeout
	}
	if cfg.LongTimeout <= 0 {
		cfg.LongTimeout = DefaultLongTimeout
	}

	pwa, err := NewPWA(cfg.WebDir)
	if err != nil {
		return nil, err
	}
	if pwa.WasmContentLength == "" {
		cfg.Log.Warn("web/app.wasm is missing: the app will not start in a browser until `make wasm` builds it", "web", cfg.WebDir)
	}

	if proxies(cfg.TrustedProxies).trustsEveryone() {
		cfg.Log.Warn("the trusted proxies cover every address: any client can name its own address in X-Forwarded-For or X-Real-IP, for every rate limit and the log, and claim HTTPS in X-Forwarded-Proto; name only the proxies in front of the server",
			"trusted_proxies", fmt.Sprint(cfg.TrustedProxies))
	}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	s := &Server{
		Echo:     e,
		PWA:      pwa,
		Log:      cfg.Log,
		Services: cfg.Services,
		web:      webFiles{dir: cfg.WebDir},
		proxies:  proxies(cfg.TrustedProxies),
		long:     deadlines(cfg.LongTimeout, cfg.LongTimeout),
	}
	e.HTTPErrorHandler = s.handleError
	// Every c.RealIP() (the rate limits, the request log) answers through
	// this one extractor, so no handler can trust a forwarding header that
	// the configuration does not.
	e.IPExtractor = s.proxies.ipExtractor()

	// Outermost first: every request gets an ID, then one log line (after the
	// error handler has chosen the status), then panics become 500s.
	e.Use(
		middleware.RequestID(),
		s.logRequests(),
		middleware.RecoverWithConfig(middleware.RecoverConfig{
			DisableErrorHandler: true, // the logger's error handling answers
			LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
				return fmt.Errorf("panic: %w\n%s", err, stack)
			},
		}),
		deadlines(cfg.ReadTimeout, cfg.WriteTimeout),
		s.securityHeaders,
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
			Limit: fmt.Sprintf("%dB", cfg.BodyLimit),
			// An import's upload holds a landlord's files, up to 64 MiB:
			// its route reads the body under a limit of its own (import.go).
			Skipper: func(c echo.Context) bool {
				return c.Request().Method == http.MethodPost && c.Path() == ImportsPath
			},
		}),
		compressText,
	)
	s.routes()
	return s, nil
}

// ServeHTTP serves a request through echo.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Echo.ServeHTTP(w, r)
}
