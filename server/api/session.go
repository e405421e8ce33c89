package api

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"doorstep/shared/housing"
)

// The session routes. A device signs in once and keeps its bearer token for
// months, working offline in between; the token goes in the Authorization
// header of every call.
const (
	SessionPath  = "/api/v1/session"          // POST signs in, DELETE signs this device out
	PasswordPath = "/api/v1/session/password" // POST: the officer chooses their own password
	SessionsPath = "/api/v1/sessions"         // GET lists devices; DELETE /:id revokes one
	MePath       = "/api/v1/me"               // GET: who is signed in on this device
)

// maxFormBytes bounds the JSON bodies of the account routes, which are small.
const maxFormBytes = 64 << 10

// SessionHandler serves sign-in, sign-out, the caller's devices and /me.
type SessionHandler struct {
	Service housing.SessionService
	// Limiter limits sign-in attempts per remote address; nil means
	// NewLimiter(DefaultSignInBurst, DefaultSignInEvery).
	Limiter *Limiter
	// Log receives one line per sign-in attempt; nil means slog.Default().
	Log *slog.Logger
}

// Register adds the session routes to e:
//
//	POST   /api/v1/session       {username, password, device_name, device_id?} → 201 housing.Session with its token;
//	                             401 unauthorized for a wrong username or password; 429 rate_limited with
//	                             Retry-After while this address must wait (Limiter), or must wait before
//	                             trying this username again (the store's growing delay)
//	                             the answer's must_change_password says the password was a one-time one
//	POST   /api/v1/session/password  {current_password, password} → 204; the officer's other devices are
//	                             signed out; 400 invalid on current_password or password; 429 as sign-in
//	DELETE /api/v1/session       signs out the calling device → 204
//	GET    /api/v1/sessions      the caller's devices (an admin: ?officer=ID) → {"sessions": [...]}
//	DELETE /api/v1/sessions/:id  revokes one device's session → 204
//	GET    /api/v1/me            the calling device's session and officer → housing.Session
func (h *SessionHandler) Register(e *echo.Echo) {
	if h.Limiter == nil {
		h.Limiter = NewLimiter(DefaultSignInBurst, DefaultSignInEvery)
	}
	if h.Log == nil {
		h.Log = slog.Default()
	}
	auth := RequireSession(h.Service)
	e.POST(SessionPath, h.signIn)
	e.POST(PasswordPath, h.changePassword, auth)
	e.DELETE(SessionPath, h.signOut, auth)
	e.GET(SessionsPath, h.list, auth)
	e.DELETE(SessionsPath+"/:id", h.revoke, auth)
	e.GET(MePath, h.me, auth)
}

func (h *SessionHandler) signIn(c echo.Context) error {
	addr := remoteAddr(c)
	if ok, wait := h.Limiter.Take(addr); !ok {
		h.Log.Warn("sign-in", "outcome", housing.CodeRateLimited, "limit", "address", "address", addr)
		return &housing.Error{Code: housing.CodeRateLimited, RetryAfter: wait,
			Message: "Too many sign-in attempts from this network. Wait " + waitWords(wait) + " and try again."}
	}
	var in housing.SignIn
	if err := readJSON(c, &in); err != nil {
		return err
	}
	// The store's per-address sign-in delay counts an IPv6 caller by its
	// /64, as the Limiter does.
	in.RemoteAddr = limitKey(addr)
	s, err := h.Service.SignIn(c.Request().Context(), in)
	if err != nil {
		// Nothing typed is logged: a password typed into the username box
		// would otherwise be kept in the log.
		h.Log.Warn("sign-in", "outcome", housing.ErrorCode(err), "address", addr)
		return err
	}
	h.Log.Info("sign-in", "outcome", "ok", "username", s.Officer.Username, "address", addr,
		"officer_id", s.Officer.ID, "session_id", s.ID, "device_id", s.DeviceID)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, s)
}

// changePassword lets a signed-in officer choose their own password. The
// address limit of sign-in applies too: a wrong current password is a
// password guess.
func (h *SessionHandler) changePassword(c echo.Context) error {
	addr := remoteAddr(c)
	if ok, wait := h.Limiter.Take(addr); !ok {
		return &housing.Error{Code: housing.CodeRateLimited, RetryAfter: wait,
			Message: "Too many password attempts from this network. Wait " + waitWords(wait) + " and try again."}
	}
	var in housing.PasswordChange
	if err := readJSON(c, &in); err != nil {
		return err
	}
	in.RemoteAddr = limitKey(addr)
	p := principal(c)
	if err := h.Service.ChangePassword(c.Request().Context(), p, in); err != nil {
		h.Log.Warn("change password", "outcome", housing.ErrorCode(err), "officer_id", p.OfficerID, "address", addr)
		return err
	}
	h.Log.Info("change password", "outcome", "ok", "officer_id", p.OfficerID, "session_id", p.SessionID, "address", addr)
	return c.NoContent(http.StatusNoContent)
}

func (h *SessionHandler) signOut(c echo.Context) error {
	p := principal(c)
	token, _ := bearerToken(c.Request())
	if err := h.Service.SignOut(c.Request().Context(), token); err != nil {
		return err
	}
	h.Log.Info("sign-out", "officer_id", p.OfficerID, "session_id", p.SessionID, "address", remoteAddr(c))
	return c.NoContent(http.StatusNoContent)
}

// sessionList is the answer of GET /api/v1/sessions.
type sessionList struct {
	Sessions []housing.Session `json:"sessions"`
}

func (h *SessionHandler) list(c echo.Context) error {
	q, err := url.ParseQuery(c.Request().URL.RawQuery)
	if err != nil {
		return housing.Errorf(housing.CodeInvalid, "The address cannot be read: it has a broken %%-escape or too many parts.")
	}
	if err := onceEach(q, "officer"); err != nil {
		return err
	}
	ss, err := h.Service.Sessions(c.Request().Context(), principal(c), q.Get("officer"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, sessionList{Sessions: ss})
}

func (h *SessionHandler) revoke(c echo.Context) error {
	p := principal(c)
	id := c.Param("id")
	if err := h.Service.RevokeSession(c.Request().Context(), p, id); err != nil {
		return err
	}
	h.Log.Info("revoke session", "by", p.OfficerID, "session_id", id, "address", remoteAddr(c))
	return c.NoContent(http.StatusNoContent)
}

// me answers with the calling device's own session: its officer (role,
// sites, functions) and device, never its token.
func (h *SessionHandler) me(c echo.Context) error {
	p := principal(c)
	ss, err := h.Service.Sessions(c.Request().Context(), p, "")
	if err != nil {
		return err
	}
	for _, s := range ss {
		if s.ID == p.SessionID {
			c.Response().Header().Set("Cache-Control", "no-store")
			return c.JSON(http.StatusOK, s)
		}
	}
	return housing.Errorf(housing.CodeUnauthorized, "This device is not signed in. Sign in again.")
}

// readJSON decodes a small JSON body, plain or gzip-compressed (the remote
// client compresses bodies over 1 KB), into v. Anything unreadable is a
// CodeInvalid or CodeTooLarge error that says what was wrong.
func readJSON(c echo.Context, v any) error {
	tooLarge := housing.Errorf(housing.CodeTooLarge, "The request is over %d KB.", maxFormBytes>>10)
	data, err := io.ReadAll(io.LimitReader(c.Request().Body, maxFormBytes+1))
	if err != nil {
		return readBodyError(err) // 408 past the read deadline (errorResponse)
	}
	if len(data) > maxFormBytes {
		return tooLarge
	}
	switch enc := strings.ToLower(strings.TrimSpace(c.Request().Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return housing.Errorf(housing.CodeInvalid, "The request says it is gzip-compressed but is not.")
		}
		data, err = io.ReadAll(io.LimitReader(zr, maxFormBytes+1))
		if err != nil {
			return housing.Errorf(housing.CodeInvalid, "The request says it is gzip-compressed but is not.")
		}
		if len(data) > maxFormBytes {
			return tooLarge
		}
	default:
		return housing.Errorf(housing.CodeInvalid, "Send the request plain or gzip-compressed, not %q.", enc)
	}
	if err := json.Unmarshal(data, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return housing.Errorf(housing.CodeInvalid, "The request is not valid: the field %s has the wrong type.", te.Field)
		}
		return housing.Errorf(housing.CodeInvalid, "The request is not valid JSON.")
	}
	return nil
}

// waitWords says a wait in the words a person would use.
func waitWords(d time.Duration) string {
	if d <= time.Minute {
		return "a minute"
	}
	return fmt.Sprintf("%d minutes", int((d+time.Minute-1)/time.Minute))
}
