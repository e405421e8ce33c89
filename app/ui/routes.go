package ui

import (
	"regexp"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The paths of the pages. Links use these constants so that a renamed page
// cannot leave a dead link behind.
const (
	PathHome      = "/"
	PathTenancies = "/tenancies"
	PathTenancy   = "/tenancies/" // followed by the tenancy's ID
	PathNewVisit  = "/visits/new"
	PathVisit     = "/visits/"   // followed by the visit's ID
	PathPromise   = "/promises/" // followed by the commitment's ID
	PathSync      = "/sync"
	PathSettings  = "/settings"
	PathSignIn    = "/signin"
	PathReview    = "/review"
)

// route is one page: an exact path, or a pattern when pattern is set.
type route struct {
	path    string
	pattern *regexp.Regexp
	page    func() app.Composer
}

// routes lists every page. An exact path wins over a pattern (go-app looks
// exact paths up first), so /visits/new is never taken for a visit's ID.
var routes = []route{
	{path: PathHome, page: func() app.Composer { return &Home{} }},
	{path: PathTenancies, page: func() app.Composer { return &Tenancies{} }},
	{pattern: regexp.MustCompile(`^/tenancies/[^/]+$`), page: func() app.Composer { return &Tenancy{} }},
	{path: PathNewVisit, page: func() app.Composer { return &NewVisit{} }},
	{pattern: regexp.MustCompile(`^/visits/[^/]+$`), page: func() app.Composer { return &Visit{} }},
	{pattern: regexp.MustCompile(`^/promises/[^/]+$`), page: func() app.Composer { return &Promise{} }},
	{path: PathSync, page: func() app.Composer { return &SyncPage{} }},
	{path: PathSettings, page: func() app.Composer { return &Settings{} }},
	{path: PathSignIn, page: func() app.Composer { return &SignIn{} }},
	{path: PathReview, page: func() app.Composer { return &Review{} }},
	{path: PathReviewMeasures, page: func() app.Composer { return &ReviewMeasures{} }},
	{pattern: regexp.MustCompile(`^/review/tenancy/[^/]+$`), page: func() app.Composer { return &ReviewTimeline{} }},
	{path: PathAdmin, page: func() app.Composer { return &AdminMenu{} }},
	{path: PathAdminStaff, page: func() app.Composer { return &AdminStaff{} }},
	{path: PathAdminPlaces, page: func() app.Composer { return &AdminPlaces{} }},
	{path: PathAdminStandards, page: func() app.Composer { return &AdminStandards{} }},
	{path: PathAdminImports, page: func() app.Composer { return &AdminImports{} }},
	{path: PathAdminTokens, page: func() app.Composer { return &AdminTokens{} }},
}

var routesOnce sync.Once

// Routes registers every page with go-app. The wasm client calls it before
// app.RunWhenOnBrowser and the server before serving, so both know the same
// paths and the server prerenders a deep link as the client will show it.
//
// Any other path shows NotFound. go-app v10 ignores app.NotFound and shows its
// own page, so NotFound is registered as a last, catch-all pattern; the
// server uses Routed to answer such a path with status 404. Calling Routes
// again does nothing.
func Routes() {
	routesOnce.Do(func() {
		for _, r := range routes {
			if r.pattern != nil {
				app.RouteWithRegexp(r.pattern.String(), r.page)
			} else {
				app.Route(r.path, r.page)
			}
		}
		app.RouteWithRegexp(`^/`, func() app.Composer { return &NotFound{} })
	})
}

// Routed reports whether path names a page, rather than the not-found page.
func Routed(path string) bool {
	for _, r := range routes {
		if r.path == path || (r.pattern != nil && r.pattern.MatchString(path)) {
			return true
		}
	}
	return false
}
