package api

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"doorstep/shared/housing"
)

// UsersPath is where admins manage staff accounts.
const UsersPath = "/api/v1/admin/users"

// AdminHandler serves the account routes only admins may use.
type AdminHandler struct {
	Officers housing.OfficerService
	// Sessions checks the caller's token.
	Sessions housing.SessionService
	// Log receives one line per change to an account; nil means
	// slog.Default().
	Log *slog.Logger
}

// Register adds the admin routes to e, behind RequireSession and
// RequireRole(housing.RoleAdmin):
//
//	GET  /api/v1/admin/users               every account → {"users": [...]}
//	POST /api/v1/admin/users               housing.NewOfficer → 201 housing.Officer
//	POST /api/v1/admin/users/:id/disable   → 200 housing.Officer; their devices are signed out
//	POST /api/v1/admin/users/:id/enable    → 200 housing.Officer
//	POST /api/v1/admin/users/:id/password  {"password"} → 204; signs out every device of theirs
//	                                       (but the caller's own, for an admin's own password)
//	                                       and lifts their sign-in delays; a common password,
//	                                       the username or the app's name is 400 invalid
func (h *AdminHandler) Register(e *echo.Echo) {
	if h.Log == nil {
		h.Log = slog.Default()
	}
	mw := []echo.MiddlewareFunc{RequireSession(h.Sessions), RequireRole(housing.RoleAdmin)}
	e.GET(UsersPath, h.list, mw...)
	e.POST(UsersPath, h.create, mw...)
	e.POST(UsersPath+"/:id/disable", h.disable, mw...)
	e.POST(UsersPath+"/:id/enable", h.enable, mw...)
	e.POST(UsersPath+"/:id/password", h.password, mw...)
}

// userList is the answer of GET /api/v1/admin/users.
type userList struct {
	Users []housing.Officer `json:"users"`
}

func (h *AdminHandler) list(c echo.Context) error {
	officers, err := h.Officers.Officers(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, userList{Users: officers})
}

func (h *AdminHandler) create(c echo.Context) error {
	var in housing.NewOfficer
	if err := readJSON(c, &in); err != nil {
		return err
	}
	o, err := h.Officers.CreateOfficer(c.Request().Context(), in)
	if err != nil {
		return err
	}
	h.Log.Info("user added", "by", principal(c).OfficerID, "officer_id", o.ID, "username", o.Username, "role", o.Role)
	return c.JSON(http.StatusCreated, o)
}

func (h *AdminHandler) disable(c echo.Context) error {
	return h.change(c, "user disabled", h.Officers.DisableOfficer)
}

func (h *AdminHandler) enable(c echo.Context) error {
	return h.change(c, "user enabled", h.Officers.EnableOfficer)
}

// change applies an account change by ID, logs it and answers with the
// account as it now is.
func (h *AdminHandler) change(c echo.Context, what string, apply func(ctx context.Context, id string) error) error {
	ctx, id := c.Request().Context(), c.Param("id")
	if err := apply(ctx, id); err != nil {
		return err
	}
	h.Log.Info(what, "by", principal(c).OfficerID, "officer_id", id)
	o, err := h.Officers.Officer(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}

// newPassword is the body of POST /api/v1/admin/users/:id/password.
type newPassword struct {
	Password string `json:"password"`
}

func (h *AdminHandler) password(c echo.Context) error {
	var in newPassword
	if err := readJSON(c, &in); err != nil {
		return err
	}
	id := c.Param("id")
	// The caller is passed on so that an admin resetting their own password
	// stays signed in here while their other devices are signed out.
	if err := h.Officers.SetPassword(c.Request().Context(), principal(c), id, in.Password); err != nil {
		return err
	}
	h.Log.Info("password reset", "by", principal(c).OfficerID, "officer_id", id)
	return c.NoContent(http.StatusNoContent)
}
