package api

import (
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"doorstep/shared/housing"
)

// The routes of the events feed that the landlord's other systems read
// (docs/events.md), and of the integration tokens admins make for them
// (docs/admin-api.md, "Integration tokens").
const (
	EventsPath = "/api/v1/events"       // GET, with an integration token
	TokensPath = "/api/v1/admin/tokens" // GET lists, POST makes; POST /:id/revoke
)

// The per-address limit on reads of the feed: a burst of 60, then four a
// second, enough for a system catching up on a long backlog a thousand
// events a page, and a bound on what guessing tokens or hammering the
// database can cost.
const (
	DefaultFeedBurst = 60
	DefaultFeedEvery = 250 * time.Millisecond
)

// IntegrationHandler serves the events feed and the admin's token routes.
type IntegrationHandler struct {
	Service housing.IntegrationService
	// Sessions checks the bearer token of an admin on the token routes;
	// nil leaves those routes out. The feed takes integration tokens only,
	// and the token routes take sessions only: neither kind opens the
	// other's routes.
	Sessions housing.SessionService
	// Limiter limits reads of the feed per remote address; nil means
	// NewLimiter(DefaultFeedBurst, DefaultFeedEvery).
	Limiter *Limiter
	// Log receives one line per token made or revoked, never its secret;
	// nil means slog.Default().
	Log *slog.Logger
}

// Register adds the routes to e:
//
//	GET  /api/v1/events?after=ID&limit=N   Authorization: Bearer <integration token> → housing.FeedPage;
//	                                       401 unauthorized for any other token; 400 invalid for a bad
//	                                       after or limit; 429 rate_limited with Retry-After
//	GET  /api/v1/admin/tokens              → {"tokens": [housing.IntegrationToken]}, without secrets
//	POST /api/v1/admin/tokens              housing.NewIntegrationToken → 201 housing.IntegrationToken with its token
//	POST /api/v1/admin/tokens/:id/revoke   → 204; 404 not_found for an unknown token
//
// The token routes are behind RequireSession and RequireRole(admin).
func (h *IntegrationHandler) Register(e *echo.Echo) {
	if h.Limiter == nil {
		h.Limiter = NewLimiter(DefaultFeedBurst, DefaultFeedEvery)
	}
	if h.Log == nil {
		h.Log = slog.Default()
	}
	e.GET(EventsPath, h.events)
	if h.Sessions == nil {
		return
	}
	admin := []echo.MiddlewareFunc{RequireSession(h.Sessions), RequireRole(housing.RoleAdmin)}
	e.GET(TokensPath, h.list, admin...)
	e.POST(TokensPath, h.create, admin...)
	e.POST(TokensPath+"/:id/revoke", h.revoke, admin...)
}

func (h *IntegrationHandler) events(c echo.Context) error {
	if ok, wait := h.Limiter.Take(remoteAddr(c)); !ok {
		return &housing.Error{Code: housing.CodeRateLimited, RetryAfter: wait,
			Message: "Too many reads of the feed from this address. Wait as Retry-After says, then carry on from the cursor you stored."}
	}
	token, ok := bearerToken(c.Request())
	if !ok {
		c.Response().Header().Set("WWW-Authenticate", "Bearer")
		return housing.Errorf(housing.CodeUnauthorized, "Send an integration token: Authorization: Bearer dsi_...")
	}
	after, limit, qerr := feedQuery(c.Request().URL.RawQuery)
	if qerr != nil {
		// Who is asking comes first, as the service checks the token before
		// the cursor: a caller without a good token is told only that.
		after, limit = "", 1
	}
	page, err := h.Service.Events(c.Request().Context(), token, after, limit)
	if err == nil && qerr != nil {
		err = qerr
	}
	if err != nil {
		if housing.ErrorCode(err) == housing.CodeUnauthorized {
			c.Response().Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		}
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, page)
}

// feedQuery reads ?after=ID&limit=N. Each may be left out, and neither
// given twice. limit 0 (left out) means housing.DefaultFeedPage, and one
// over housing.MaxFeedPage means that many; what after is, the service
// decides.
func feedQuery(raw string) (after string, limit int, err error) {
	// echo's QueryParams drops what net/url cannot parse without a word;
	// a cursor read from what is left could skip events.
	q, err := url.ParseQuery(raw)
	if err != nil {
		return "", 0, housing.Errorf(housing.CodeInvalid, "The address's query cannot be read: it has a broken %%-escape or too many parts.")
	}
	if err := onceEach(q, housing.FieldAfter, housing.FieldLimit); err != nil {
		return "", 0, err
	}
	after = q.Get(housing.FieldAfter)
	if s := q.Get(housing.FieldLimit); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || strings.Trim(s, "0123456789") != "" {
			return "", 0, housing.Invalid(housing.FieldLimit, "limit is how many events to answer with, from 1 to %d; %q is not.", housing.MaxFeedPage, clip(s, 20))
		}
		limit = min(n, housing.MaxFeedPage)
	}
	return after, limit, nil
}

// clip is s cut to at most n bytes, for quoting input back.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// tokenList is the answer of GET /api/v1/admin/tokens.
type tokenList struct {
	Tokens []housing.IntegrationToken `json:"tokens"`
}

func (h *IntegrationHandler) list(c echo.Context) error {
	tokens, err := h.Service.Tokens(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, tokenList{Tokens: tokens})
}

func (h *IntegrationHandler) create(c echo.Context) error {
	var in housing.NewIntegrationToken
	if err := readJSON(c, &in); err != nil {
		return err
	}
	t, err := h.Service.CreateToken(c.Request().Context(), principal(c), in)
	if err != nil {
		return err
	}
	h.Log.Info("integration token made", "by", principal(c).OfficerID, "token_id", t.ID, "name", t.Name, "teams", strings.Join(t.Teams, ","))
	// The answer carries the secret, shown this once: no cache keeps it.
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, t)
}

func (h *IntegrationHandler) revoke(c echo.Context) error {
	id := c.Param("id")
	if err := h.Service.RevokeToken(c.Request().Context(), principal(c), id); err != nil {
		return err
	}
	h.Log.Info("integration token revoked", "by", principal(c).OfficerID, "token_id", id)
	return c.NoContent(http.StatusNoContent)
}
