package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// The admin's screens read and change what the server holds (staff and
// their devices, sites and teams, service standards, imports, integration
// tokens): unlike an officer's records, none of it is made on the phone, so
// every page needs signal. The wiring in app/admin*.go does the I/O: it
// handles the actions below and publishes the results under the state keys
// below, keeping the last lists loaded on the device so they stay readable
// offline. The server checks the admin's role on every route; the screens
// only spare others a page they cannot use.

// Paths of the admin's pages.
const (
	PathAdmin          = "/admin"
	PathAdminStaff     = "/admin/staff"
	PathAdminPlaces    = "/admin/places"
	PathAdminStandards = "/admin/standards"
	PathAdminImports   = "/admin/imports"
	PathAdminTokens    = "/admin/tokens"
)

// State keys the wiring publishes.
const (
	StateAdminStaff     = "admin.staff"     // AdminStaffView
	StateAdminDevices   = "admin.devices"   // AdminDevicesView: one person's devices
	StateAdminPlaces    = "admin.places"    // AdminPlacesView
	StateAdminStandards = "admin.standards" // AdminStandardsView
	StateAdminImports   = "admin.imports"   // AdminImportsView
	StateAdminTokens    = "admin.tokens"    // AdminTokensView
	StateAdminDone      = "admin.done"      // AdminDone: the answer to each change below
)

// Actions the admin's pages raise. Each change is answered with
// StateAdminDone and, when it was made, the page's view loaded again.
const (
	ActionAdminStaff     = "admin.staff.load"     // nothing
	ActionAdminDevices   = "admin.devices.load"   // string: the officer's ID
	ActionAdminPlaces    = "admin.places.load"    // nothing
	ActionAdminStandards = "admin.standards.load" // nothing
	ActionAdminImports   = "admin.imports.load"   // nothing
	ActionAdminTokens    = "admin.tokens.load"    // nothing

	ActionAdminAddUser       = "admin.user.add"       // housing.NewOfficer; an empty Password asks for one to be made
	ActionAdminSwitchUser    = "admin.user.switch"    // AdminSwitch
	ActionAdminSetPassword   = "admin.user.password"  // AdminPassword
	ActionAdminSignOutDevice = "admin.device.signout" // AdminDevice
	ActionAdminPutSite       = "admin.site.put"       // housing.Site
	ActionAdminPutTeam       = "admin.team.put"       // housing.Function
	ActionAdminSetStandard   = "admin.standard.set"   // housing.StandardChange
	ActionAdminImport        = "admin.import"         // AdminImport
	ActionAdminMakeToken     = "admin.token.make"     // housing.NewIntegrationToken
	ActionAdminRevokeToken   = "admin.token.revoke"   // string: the token's ID
	ActionAdminDownload      = "admin.download"       // AdminFile: a file the page made (the one-time passwords)
	ActionAdminCopy          = "admin.copy"           // string: text for the clipboard; answered with AdminDone
)

// AdminSwitch switches an account off (signing out its devices) or on.
type AdminSwitch struct {
	OfficerID string `json:"officer_id"`
	On        bool   `json:"on"`
}

// AdminPassword sets an account's password; "" asks for one to be made,
// which AdminDone.Secret then shows once.
type AdminPassword struct {
	OfficerID string `json:"officer_id"`
	Password  string `json:"password"`
}

// AdminDevice signs one of an officer's devices out.
type AdminDevice struct {
	OfficerID string `json:"officer_id"`
	SessionID string `json:"session_id"`
}

// AdminImport sends the CSV files chosen in the file input Input (its
// element ID): the wiring reads them from the browser.
type AdminImport struct {
	Input       string `json:"input"`
	DryRun      bool   `json:"dry_run"`
	NoPasswords bool   `json:"no_passwords"`
}

// AdminFile is a file for the browser to save.
type AdminFile struct {
	Name     string `json:"name"`
	MimeType string `json:"mime_type"`
	Text     string `json:"text"`
}

// AdminDone answers a change an admin asked for. Action and ID say which
// form asked (the action's name, and the record it was about), so a page
// shows the answer beside the form that raised it and nowhere else. It is
// never kept on the device: a password or token made is shown once.
type AdminDone struct {
	Action string `json:"action"`
	ID     string `json:"id,omitempty"`
	Seq    int    `json:"seq"` // increases with every answer, so a repeat is seen as new

	// Problem says why nothing changed, in words to show: the server's
	// refusal, or that it could not be reached (Offline). Field is the
	// refusal's housing.Error Field, the input it concerns, and Problems an
	// import's bad rows.
	Problem  string            `json:"problem,omitempty"`
	Field    string            `json:"field,omitempty"`
	Problems []housing.Problem `json:"problems,omitempty"`
	Offline  bool              `json:"offline,omitempty"`

	// What the change made, to show once: a password made for an account,
	// an account added, an import's report (with any one-time passwords),
	// a token with its secret.
	Secret  string                    `json:"-"`
	Officer *housing.Officer          `json:"officer,omitempty"`
	Report  *housing.ImportReport     `json:"report,omitempty"`
	Token   *housing.IntegrationToken `json:"token,omitempty"`
	Message string                    `json:"message,omitempty"` // what happened, when there is nothing else to show
}

// AdminStaffView is the staff list as last loaded, with the sites and
// teams the add form offers.
type AdminStaffView struct {
	Loaded
	Users []housing.Officer  `json:"users"`
	Sites []housing.Site     `json:"sites"`
	Teams []housing.Function `json:"teams"`
}

// AdminDevicesView is one officer's signed-in devices as last loaded.
type AdminDevicesView struct {
	Loaded
	OfficerID string            `json:"officer_id"`
	Sessions  []housing.Session `json:"sessions"`
}

// AdminPlacesView is the sites and teams as last loaded.
type AdminPlacesView struct {
	Loaded
	Sites []housing.Site     `json:"sites"`
	Teams []housing.Function `json:"teams"`
}

// AdminStandardsView is every team's service standards and the changes
// made to them, as last loaded.
type AdminStandardsView struct {
	Loaded
	Standards []housing.Standard      `json:"standards"`
	Teams     []housing.Function      `json:"teams"`
	History   []housing.StandardAudit `json:"history"`
}

// AdminImportsView is the history of imports as last loaded.
type AdminImportsView struct {
	Loaded
	Imports []housing.ImportReport `json:"imports"`
}

// AdminTokensView is the integration tokens as last loaded, with the teams
// a new one may be scoped to.
type AdminTokensView struct {
	Loaded
	Tokens []housing.IntegrationToken `json:"tokens"`
	Teams  []housing.Function         `json:"teams"`
}

// adminSignedIn makes an admin's page load once the phone knows that an
// admin is signed in, as reviewSignedIn does for the supervisors' pages;
// for anyone else it loads nothing, and the page says it is for admins.
type adminSignedIn struct {
	account   Account
	loadedFor string
}

// observe follows the account and calls load when an admin is signed in
// and the page has not loaded for them yet.
func (s *adminSignedIn) observe(ctx app.Context, load func(app.Context)) {
	ctx.ObserveState(StateAccount, &s.account).OnChange(func() { s.loadOnce(ctx, load) })
	s.loadOnce(ctx, load)
}

func (s *adminSignedIn) loadOnce(ctx app.Context, load func(app.Context)) {
	if s.admin() && s.account.Officer.ID != s.loadedFor {
		s.loadedFor = s.account.Officer.ID
		load(ctx)
	}
}

// admin reports whether an admin is signed in on the phone.
func (s *adminSignedIn) admin() bool {
	return s.account.SignedIn && s.account.Officer.Role == housing.RoleAdmin
}

// AdminLink is the way into the admin's screens from the home screen:
// shown only to an admin.
func AdminLink(a Account) app.UI {
	return app.If(a.SignedIn && a.Officer.Role == housing.RoleAdmin, func() app.UI {
		return app.A().Class("button button-secondary").Href(PathAdmin).Text("Admin")
	})
}
