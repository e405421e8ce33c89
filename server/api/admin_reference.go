package api

import (
	"log/slog"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"doorstep/shared/housing"
)

// Where admins manage the landlord's sites, teams and service standards
// (docs/admin-api.md).
const (
	SitesPath     = "/api/v1/admin/sites"
	TeamsPath     = "/api/v1/admin/teams"
	StandardsPath = "/api/v1/admin/standards"
)

// ReferenceAdminHandler serves the admin routes for sites, teams and
// service standards.
type ReferenceAdminHandler struct {
	Service housing.ReferenceAdminService
	// Sessions checks the caller's token.
	Sessions housing.SessionService
	// Log receives one line per change; nil means slog.Default().
	Log *slog.Logger
}

// Register adds the routes to e, behind RequireSession and
// RequireRole(housing.RoleAdmin):
//
//	GET /api/v1/admin/sites                       → {"sites": [...]}
//	PUT /api/v1/admin/sites/:id                   {"name"} → 200 housing.Site: added or renamed
//	GET /api/v1/admin/teams                       → {"teams": [...]}
//	PUT /api/v1/admin/teams/:id                   {"name"} → 200 housing.Function: added or renamed
//	GET /api/v1/admin/standards                   → {"standards": [...]}
//	PUT /api/v1/admin/standards/:id               housing.StandardChange → 200 housing.Standard, audited;
//	                                              a loosened statutory limit is 400 invalid, field limit
//	GET /api/v1/admin/standards/history?standard= → {"changes": [...]}, newest first; every standard's without it
func (h *ReferenceAdminHandler) Register(e *echo.Echo) {
	if h.Log == nil {
		h.Log = slog.Default()
	}
	mw := []echo.MiddlewareFunc{RequireSession(h.Sessions), RequireRole(housing.RoleAdmin)}
	e.GET(SitesPath, h.sites, mw...)
	e.PUT(SitesPath+"/:id", h.putSite, mw...)
	e.GET(TeamsPath, h.teams, mw...)
	e.PUT(TeamsPath+"/:id", h.putTeam, mw...)
	e.GET(StandardsPath, h.standards, mw...)
	e.PUT(StandardsPath+"/:id", h.setStandard, mw...)
	e.GET(StandardsPath+"/history", h.history, mw...)
}

// The answers of the lists.
type (
	siteList struct {
		Sites []housing.Site `json:"sites"`
	}
	teamList struct {
		Teams []housing.Function `json:"teams"`
	}
	standardList struct {
		Standards []housing.Standard `json:"standards"`
	}
	changeList struct {
		Changes []housing.StandardAudit `json:"changes"`
	}
)

// placeName is the body of PUT /api/v1/admin/sites/:id and .../teams/:id:
// the ID is the path's.
type placeName struct {
	Name string `json:"name"`
}

func (h *ReferenceAdminHandler) sites(c echo.Context) error {
	list, err := h.Service.Sites(c.Request().Context())
	if err != nil {
		return err
	}
	return listJSON(c, siteList{Sites: orEmpty(list)})
}

func (h *ReferenceAdminHandler) teams(c echo.Context) error {
	list, err := h.Service.Functions(c.Request().Context())
	if err != nil {
		return err
	}
	return listJSON(c, teamList{Teams: orEmpty(list)})
}

func (h *ReferenceAdminHandler) standards(c echo.Context) error {
	list, err := h.Service.Standards(c.Request().Context())
	if err != nil {
		return err
	}
	return listJSON(c, standardList{Standards: orEmpty(list)})
}

func (h *ReferenceAdminHandler) history(c echo.Context) error {
	q, err := url.ParseQuery(c.Request().URL.RawQuery)
	if err != nil {
		return housing.Errorf(housing.CodeInvalid, "The address cannot be read: it has a broken %%-escape or too many parts.")
	}
	if err := onceEach(q, "standard"); err != nil {
		return err
	}
	list, err := h.Service.StandardHistory(c.Request().Context(), q.Get("standard"))
	if err != nil {
		return err
	}
	return listJSON(c, changeList{Changes: orEmpty(list)})
}

func (h *ReferenceAdminHandler) putSite(c echo.Context) error {
	var in placeName
	if err := readJSON(c, &in); err != nil {
		return err
	}
	p := principal(c)
	s, err := h.Service.PutSite(c.Request().Context(), p, housing.Site{ID: c.Param("id"), Name: in.Name})
	if err != nil {
		return err
	}
	h.Log.Info("site saved", "by", p.OfficerID, "site_id", s.ID)
	return c.JSON(http.StatusOK, s)
}

func (h *ReferenceAdminHandler) putTeam(c echo.Context) error {
	var in placeName
	if err := readJSON(c, &in); err != nil {
		return err
	}
	p := principal(c)
	f, err := h.Service.PutFunction(c.Request().Context(), p, housing.Function{ID: c.Param("id"), Name: in.Name})
	if err != nil {
		return err
	}
	h.Log.Info("team saved", "by", p.OfficerID, "function_id", f.ID)
	return c.JSON(http.StatusOK, f)
}

// setStandard takes the standard's ID from the path; a body that names
// another is refused rather than guessed at.
func (h *ReferenceAdminHandler) setStandard(c echo.Context) error {
	var in housing.StandardChange
	if err := readJSON(c, &in); err != nil {
		return err
	}
	id := c.Param("id")
	switch in.Standard.ID {
	case "":
		in.Standard.ID = id
	case id:
	default:
		return housing.Invalid(housing.FieldID, "The address names the standard %q, but the body names %q.", id, in.Standard.ID)
	}
	p := principal(c)
	s, err := h.Service.SetStandard(c.Request().Context(), p, in)
	if err != nil {
		return err
	}
	// The reason is the admin's own words, kept in the audit; the log
	// says only who changed what.
	h.Log.Info("standard saved", "by", p.OfficerID, "standard_id", s.ID)
	return c.JSON(http.StatusOK, s)
}

// listJSON answers a list an admin reads, which must never be cached: it
// changes with every admin's change.
func listJSON(c echo.Context, v any) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, v)
}

// orEmpty makes a nil list an empty one, so that the answer says [] and
// not null.
func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
