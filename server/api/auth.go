package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"doorstep/shared/housing"
)

// This file is the one place where the API checks who is calling and what
// their role and scope allow. Handlers put RequireSession (and, for wider
// rights, RequireRole) in front of their routes and read the caller with
// PrincipalOf. The rules about commitments themselves are housing's
// (Principal.Visible, Authorize), applied by the services.

// principalKey is where RequireSession leaves the principal in the echo
// context.
const principalKey = "doorstep.principal"

// RequireSession lets a request through only with a valid device session,
// sent as `Authorization: Bearer <token>`. Anything else is 401
// {"code":"unauthorized"}. Cookies are never read, so no other site can
// make a signed-in request on an officer's behalf (no CSRF surface).
func RequireSession(sessions housing.SessionService) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			token, ok := bearerToken(c.Request())
			if !ok {
				c.Response().Header().Set("WWW-Authenticate", "Bearer")
				return housing.Errorf(housing.CodeUnauthorized, "Sign in to continue.")
			}
			p, err := sessions.Authenticate(c.Request().Context(), token)
			if err != nil {
				if housing.ErrorCode(err) == housing.CodeUnauthorized {
					c.Response().Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
				}
				return err
			}
			c.Set(principalKey, p)
			return next(c)
		}
	}
}

// RequireRole refuses (403) a caller whose role does not carry every right
// of min: RequireRole(housing.RoleSupervisor) lets supervisors and admins
// through, RequireRole(housing.RoleAdmin) admins only. It goes after
// RequireSession.
func RequireRole(min housing.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p, err := PrincipalOf(c)
			if err != nil {
				return err
			}
			if !p.Role.AtLeast(min) {
				return housing.Errorf(housing.CodeForbidden, "Only %ss can do this.", min)
			}
			return next(c)
		}
	}
}

// PrincipalOf returns the signed-in officer and device making the request,
// as RequireSession found them. On a route without RequireSession it
// returns CodeUnauthorized, so a wiring mistake fails closed. Its shape fits
// the Principal field of the other handlers (SyncHandler, ReviewHandler).
func PrincipalOf(c echo.Context) (housing.Principal, error) {
	p, ok := c.Get(principalKey).(housing.Principal)
	if !ok || p.OfficerID == "" {
		return housing.Principal{}, housing.Errorf(housing.CodeUnauthorized, "Sign in to continue.")
	}
	return p, nil
}

// principal is PrincipalOf for handlers behind RequireSession, where the
// principal is always there.
func principal(c echo.Context) housing.Principal {
	p, _ := PrincipalOf(c)
	return p
}

// RequireSite refuses a principal who does not work at site (admins work
// everywhere). Reads answer CodeNotFound rather than this where saying
// "forbidden" would confirm that a record exists.
func RequireSite(p housing.Principal, site string) error {
	if p.Role == housing.RoleAdmin || p.InSite(site) {
		return nil
	}
	return housing.Errorf(housing.CodeForbidden, "You do not work at this site.")
}

// RequireSelfOrAdmin refuses anyone but the officer themself or an admin,
// for an officer's own account and devices.
func RequireSelfOrAdmin(p housing.Principal, officerID string) error {
	if p.OfficerID == officerID || p.Role == housing.RoleAdmin {
		return nil
	}
	return housing.Errorf(housing.CodeForbidden, "Only an admin can do this for another officer.")
}

// bearerToken returns the token of an `Authorization: Bearer` header.
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
