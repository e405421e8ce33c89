package main

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/app/remote"
	"doorstep/app/replica"
	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// admin handles the admin's screens (ui/admin_state.go): it reads staff,
// sites and teams, standards, imports and tokens from the server with the
// device's session, and sends the admin's changes there at once. Nothing
// of it is made on the phone, so nothing waits in the outbox: a change
// that cannot reach the server is refused with that reason, and the form
// keeps what was typed.
//
// As with the supervisor's reads, the lists last loaded are kept on the
// device per officer (keptKey), so they stay readable offline with their
// age shown; the answers to changes (AdminDone), which may hold a password
// or a token's secret, are published in memory only and never kept. Each
// plain method holds the logic and each handle method publishes through
// its own context.
type admin struct {
	browser browser
	server  remote.Client                  // BaseURL and Do; the token is the signed-in device's
	account func() (replica.Account, bool) // who is signed in on this phone

	// mu guards the numbers of the latest load of each view, by state key
	// (an answer that arrives after a newer load began is dropped), and of
	// the answers to changes.
	mu    sync.Mutex
	loads map[string]int
	seq   int
}

func newAdmin(b browser, server remote.Client, account func() (replica.Account, bool)) *admin {
	return &admin{browser: b, server: server, account: account, loads: map[string]int{}}
}

// client returns the server's client for the signed-in device, and its
// officer; ok is false while nobody is signed in or the session has ended.
func (a *admin) client() (c remote.Client, officer string, ok bool) {
	return signedInClient(a.server, a.account)
}

// loaded returns how fresh a view is after a load that ended with err.
func (a *admin) loaded(before ui.Loaded, err error) ui.Loaded {
	return loadedAfter(a.browser.now(), before, err)
}

// notSignedIn is what an admin's page says while nobody is signed in.
const notSignedIn = "Sign in as an admin to manage Doorstep."

// staff loads the staff list over view, with the sites and teams the add
// form offers. The view changes only when all three arrive, so its lists
// always agree.
func (a *admin) staff(ctx context.Context, c remote.Client, view ui.AdminStaffView) ui.AdminStaffView {
	users, err := c.Users(ctx)
	var sites []housing.Site
	var teams []housing.Function
	if err == nil {
		sites, err = c.Sites(ctx)
	}
	if err == nil {
		teams, err = c.Teams(ctx)
	}
	view.Loaded = a.loaded(view.Loaded, err)
	if err == nil {
		view.Users, view.Sites, view.Teams = users, sites, teams
	}
	return view
}

// devices loads the devices officerID is signed in on.
func (a *admin) devices(ctx context.Context, c remote.Client, officerID string) ui.AdminDevicesView {
	ss, err := c.Devices(ctx, officerID)
	return ui.AdminDevicesView{Loaded: a.loaded(ui.Loaded{}, err), OfficerID: officerID, Sessions: ss}
}

// places loads the sites and teams over view.
func (a *admin) places(ctx context.Context, c remote.Client, view ui.AdminPlacesView) ui.AdminPlacesView {
	sites, err := c.Sites(ctx)
	var teams []housing.Function
	if err == nil {
		teams, err = c.Teams(ctx)
	}
	view.Loaded = a.loaded(view.Loaded, err)
	if err == nil {
		view.Sites, view.Teams = sites, teams
	}
	return view
}

// standards loads every standard, the teams they belong to and the changes
// made to them, over view.
func (a *admin) standards(ctx context.Context, c remote.Client, view ui.AdminStandardsView) ui.AdminStandardsView {
	list, err := c.Standards(ctx)
	var teams []housing.Function
	var history []housing.StandardAudit
	if err == nil {
		teams, err = c.Teams(ctx)
	}
	if err == nil {
		history, err = c.StandardHistory(ctx, "")
	}
	view.Loaded = a.loaded(view.Loaded, err)
	if err == nil {
		view.Standards, view.Teams, view.History = list, teams, history
	}
	return view
}

// imports loads the history of imports over view.
func (a *admin) imports(ctx context.Context, c remote.Client, view ui.AdminImportsView) ui.AdminImportsView {
	list, err := c.Imports(ctx)
	view.Loaded = a.loaded(view.Loaded, err)
	if err == nil {
		view.Imports = list
	}
	return view
}

// tokens loads the integration tokens over view, with the teams a new one
// may read. The two come from different routes and need not agree, so
// each list that arrives is shown: the form can offer the teams even when
// the tokens cannot be read.
func (a *admin) tokens(ctx context.Context, c remote.Client, view ui.AdminTokensView) ui.AdminTokensView {
	teams, teamsErr := c.Teams(ctx)
	if teamsErr == nil {
		view.Teams = teams
	}
	list, err := c.Tokens(ctx)
	if err == nil {
		view.Tokens = list
		err = teamsErr
	}
	view.Loaded = a.loaded(view.Loaded, err)
	return view
}

// publishView loads one of the admin's views under state: it shows the
// view kept on the device at once, marked as loading, then the server's
// over it, and keeps a fresh one on the device for the next time, offline.
// An answer that arrives after a newer load of the same view began is
// dropped.
func publishView[V any](a *admin, ctx app.Context, state string, loaded func(*V) *ui.Loaded, load func(context.Context, remote.Client, V) V) {
	n := a.begin(state)
	var view V
	c, officer, ok := a.client()
	if !ok {
		loaded(&view).Problem = notSignedIn
		ctx.SetState(state, view)
		return
	}
	key := keptKey(state, officer)
	ctx.GetState(key, &view)
	loaded(&view).Loading = true
	ctx.SetState(state, view)
	view = load(ctx, c, view)
	a.latest(state, n, func() {
		if fresh(*loaded(&view)) {
			ctx.SetState(key, view).Persist()
		}
		ctx.SetState(state, view)
	})
}

// begin numbers a new load of the view under state.
func (a *admin) begin(state string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.loads[state]++
	return a.loads[state]
}

// latest runs publish if no load of the view under state began after n.
func (a *admin) latest(state string, n int, publish func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.loads[state] == n {
		publish()
	}
}

func (a *admin) next() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seq++
	return a.seq
}

func (a *admin) handleStaff(ctx app.Context, _ app.Action) {
	publishView(a, ctx, ui.StateAdminStaff, func(v *ui.AdminStaffView) *ui.Loaded { return &v.Loaded }, a.staff)
}

func (a *admin) handlePlaces(ctx app.Context, _ app.Action) {
	publishView(a, ctx, ui.StateAdminPlaces, func(v *ui.AdminPlacesView) *ui.Loaded { return &v.Loaded }, a.places)
}

func (a *admin) handleStandards(ctx app.Context, _ app.Action) {
	publishView(a, ctx, ui.StateAdminStandards, func(v *ui.AdminStandardsView) *ui.Loaded { return &v.Loaded }, a.standards)
}

func (a *admin) handleImports(ctx app.Context, _ app.Action) {
	publishView(a, ctx, ui.StateAdminImports, func(v *ui.AdminImportsView) *ui.Loaded { return &v.Loaded }, a.imports)
}

func (a *admin) handleTokens(ctx app.Context, _ app.Action) {
	publishView(a, ctx, ui.StateAdminTokens, func(v *ui.AdminTokensView) *ui.Loaded { return &v.Loaded }, a.tokens)
}

// handleDevices loads one person's devices. They are not kept on the
// device: which devices are signed in is only worth knowing now.
func (a *admin) handleDevices(ctx app.Context, act app.Action) {
	id, _ := act.Value.(string)
	n := a.begin(ui.StateAdminDevices)
	c, _, ok := a.client()
	if !ok {
		ctx.SetState(ui.StateAdminDevices, ui.AdminDevicesView{OfficerID: id, Loaded: ui.Loaded{Problem: notSignedIn}})
		return
	}
	ctx.SetState(ui.StateAdminDevices, ui.AdminDevicesView{OfficerID: id, Loaded: ui.Loaded{Loading: true}})
	view := a.devices(ctx, c, id)
	a.latest(ui.StateAdminDevices, n, func() { ctx.SetState(ui.StateAdminDevices, view) })
}

// refused is the answer to a change the server refused, or could not be
// asked: nothing changed, and the form keeps what was typed.
func refused(err error) ui.AdminDone {
	var e *housing.Error
	if errors.As(err, &e) {
		return ui.AdminDone{Problem: e.Message, Field: e.Field, Problems: e.Problems}
	}
	return ui.AdminDone{Offline: true, Problem: "This needs the server, and this device cannot reach it. Nothing has changed, and what you typed is kept: try again when you are online."}
}

// addUser adds a member of staff. With no password given it makes one,
// which the answer shows once.
func (a *admin) addUser(ctx context.Context, c remote.Client, in housing.NewOfficer) ui.AdminDone {
	var made string
	if in.Password == "" {
		made = newPassword()
		in.Password = made
	}
	o, err := c.AddUser(ctx, in)
	if err != nil {
		return refused(err)
	}
	return ui.AdminDone{Officer: &o, Secret: made, Message: o.Name + " can now sign in as " + o.Username + "."}
}

// switchUser switches an account off or on.
func (a *admin) switchUser(ctx context.Context, c remote.Client, s ui.AdminSwitch) ui.AdminDone {
	o, err := c.SwitchUser(ctx, s.OfficerID, s.On)
	if err != nil {
		return refused(err)
	}
	msg := o.Name + " is switched off, and signed out of every device."
	if s.On {
		msg = o.Name + " is switched on, and can sign in again."
	}
	return ui.AdminDone{Officer: &o, Message: msg}
}

// setPassword sets an account's password, making one when none is given,
// which the answer shows once.
func (a *admin) setPassword(ctx context.Context, c remote.Client, p ui.AdminPassword) ui.AdminDone {
	var made string
	if p.Password == "" {
		made = newPassword()
		p.Password = made
	}
	if err := c.SetUserPassword(ctx, p.OfficerID, p.Password); err != nil {
		return refused(err)
	}
	return ui.AdminDone{Secret: made, Message: "The new password is set, and every device they were signed in on is signed out."}
}

// signOutDevice signs one device out.
func (a *admin) signOutDevice(ctx context.Context, c remote.Client, d ui.AdminDevice) ui.AdminDone {
	if err := c.SignOutDevice(ctx, d.SessionID); err != nil {
		return refused(err)
	}
	return ui.AdminDone{Message: "That device is signed out. Whatever it had not synced stays on it until someone signs in there again."}
}

func (a *admin) putSite(ctx context.Context, c remote.Client, s housing.Site) ui.AdminDone {
	s, err := c.PutSite(ctx, s)
	if err != nil {
		return refused(err)
	}
	return ui.AdminDone{Message: "Saved " + s.Name + ". Phones get it at their next sync."}
}

func (a *admin) putTeam(ctx context.Context, c remote.Client, f housing.Function) ui.AdminDone {
	f, err := c.PutTeam(ctx, f)
	if err != nil {
		return refused(err)
	}
	return ui.AdminDone{Message: "Saved " + f.Name + ". Phones get it at their next sync."}
}

func (a *admin) setStandard(ctx context.Context, c remote.Client, ch housing.StandardChange) ui.AdminDone {
	s, err := c.SetStandard(ctx, ch)
	if err != nil {
		return refused(err)
	}
	return ui.AdminDone{Message: "Saved " + s.Name + ". Officers' phones warn with it from their next sync."}
}

// importFiles reads the files chosen in the page's file input and sends
// them, to check (a dry run) or to apply.
func (a *admin) importFiles(ctx context.Context, c remote.Client, in ui.AdminImport) ui.AdminDone {
	files, err := a.browser.files(in.Input)
	switch {
	case err != nil:
		return ui.AdminDone{Problem: "The files could not be read: " + err.Error() + ". Choose them again."}
	case len(files) == 0:
		return ui.AdminDone{Problem: "Choose the CSV files first: any of sites.csv, teams.csv, staff.csv and tenancies.csv."}
	}
	report, err := c.Import(ctx, files, housing.ImportOptions{DryRun: in.DryRun, NoPasswords: in.NoPasswords})
	if err != nil {
		return refused(err)
	}
	return ui.AdminDone{Report: &report}
}

func (a *admin) makeToken(ctx context.Context, c remote.Client, in housing.NewIntegrationToken) ui.AdminDone {
	t, err := c.MakeToken(ctx, in)
	if err != nil {
		return refused(err)
	}
	return ui.AdminDone{Token: &t}
}

func (a *admin) revokeToken(ctx context.Context, c remote.Client, id string) ui.AdminDone {
	if err := c.RevokeToken(ctx, id); err != nil {
		return refused(err)
	}
	return ui.AdminDone{Message: "The token is revoked: the system using it can no longer read anything."}
}

// change sends one change with do, publishes the answer for the form that
// asked (action, about the record id) and, once the change is made, loads
// the page's view again with reload.
func (a *admin) change(ctx app.Context, action, id string, do func(context.Context, remote.Client) ui.AdminDone, reload func(app.Context)) {
	done := ui.AdminDone{Problem: "Sign in again as an admin first. Nothing has changed, and what you typed is kept."}
	if c, _, ok := a.client(); ok {
		done = do(ctx, c)
	}
	done.Action, done.ID, done.Seq = action, id, a.next()
	ctx.SetState(ui.StateAdminDone, done)
	if done.Problem == "" && reload != nil {
		reload(ctx)
	}
}

func (a *admin) reloadStaff(ctx app.Context)     { a.handleStaff(ctx, app.Action{}) }
func (a *admin) reloadPlaces(ctx app.Context)    { a.handlePlaces(ctx, app.Action{}) }
func (a *admin) reloadStandards(ctx app.Context) { a.handleStandards(ctx, app.Action{}) }
func (a *admin) reloadImports(ctx app.Context)   { a.handleImports(ctx, app.Action{}) }
func (a *admin) reloadTokens(ctx app.Context)    { a.handleTokens(ctx, app.Action{}) }

func (a *admin) handleAddUser(ctx app.Context, act app.Action) {
	in, _ := act.Value.(housing.NewOfficer)
	a.change(ctx, ui.ActionAdminAddUser, "", func(cx context.Context, c remote.Client) ui.AdminDone { return a.addUser(cx, c, in) }, a.reloadStaff)
}

func (a *admin) handleSwitchUser(ctx app.Context, act app.Action) {
	s, _ := act.Value.(ui.AdminSwitch)
	a.change(ctx, ui.ActionAdminSwitchUser, s.OfficerID, func(cx context.Context, c remote.Client) ui.AdminDone { return a.switchUser(cx, c, s) }, a.reloadStaff)
}

func (a *admin) handleSetPassword(ctx app.Context, act app.Action) {
	p, _ := act.Value.(ui.AdminPassword)
	a.change(ctx, ui.ActionAdminSetPassword, p.OfficerID, func(cx context.Context, c remote.Client) ui.AdminDone { return a.setPassword(cx, c, p) }, nil)
}

func (a *admin) handleSignOutDevice(ctx app.Context, act app.Action) {
	d, _ := act.Value.(ui.AdminDevice)
	a.change(ctx, ui.ActionAdminSignOutDevice, d.SessionID, func(cx context.Context, c remote.Client) ui.AdminDone { return a.signOutDevice(cx, c, d) },
		func(ctx app.Context) { a.handleDevices(ctx, app.Action{Value: d.OfficerID}) })
}

func (a *admin) handlePutSite(ctx app.Context, act app.Action) {
	s, _ := act.Value.(housing.Site)
	a.change(ctx, ui.ActionAdminPutSite, s.ID, func(cx context.Context, c remote.Client) ui.AdminDone { return a.putSite(cx, c, s) }, a.reloadPlaces)
}

func (a *admin) handlePutTeam(ctx app.Context, act app.Action) {
	f, _ := act.Value.(housing.Function)
	a.change(ctx, ui.ActionAdminPutTeam, f.ID, func(cx context.Context, c remote.Client) ui.AdminDone { return a.putTeam(cx, c, f) }, a.reloadPlaces)
}

func (a *admin) handleSetStandard(ctx app.Context, act app.Action) {
	ch, _ := act.Value.(housing.StandardChange)
	a.change(ctx, ui.ActionAdminSetStandard, ch.Standard.ID, func(cx context.Context, c remote.Client) ui.AdminDone { return a.setStandard(cx, c, ch) }, a.reloadStandards)
}

func (a *admin) handleImport(ctx app.Context, act app.Action) {
	in, _ := act.Value.(ui.AdminImport)
	reload := a.reloadImports
	if in.DryRun {
		reload = nil // a check changes nothing
	}
	a.change(ctx, ui.ActionAdminImport, "", func(cx context.Context, c remote.Client) ui.AdminDone { return a.importFiles(cx, c, in) }, reload)
}

func (a *admin) handleMakeToken(ctx app.Context, act app.Action) {
	in, _ := act.Value.(housing.NewIntegrationToken)
	a.change(ctx, ui.ActionAdminMakeToken, "", func(cx context.Context, c remote.Client) ui.AdminDone { return a.makeToken(cx, c, in) }, a.reloadTokens)
}

func (a *admin) handleRevokeToken(ctx app.Context, act app.Action) {
	id, _ := act.Value.(string)
	a.change(ctx, ui.ActionAdminRevokeToken, id, func(cx context.Context, c remote.Client) ui.AdminDone { return a.revokeToken(cx, c, id) }, a.reloadTokens)
}

// handleDownload hands a file the page made to the browser.
func (a *admin) handleDownload(ctx app.Context, act app.Action) {
	if f, ok := act.Value.(ui.AdminFile); ok {
		a.browser.download(f.Name, f.MimeType, []byte(f.Text))
	}
}

// copyText puts text on the clipboard, and says whether it could.
func (a *admin) copyText(text string) ui.AdminDone {
	if a.browser.copy(text) {
		return ui.AdminDone{Message: "Copied. Paste it somewhere safe now."}
	}
	return ui.AdminDone{Problem: "This browser would not copy it. Select the text and copy it yourself, or download it."}
}

func (a *admin) handleCopy(ctx app.Context, act app.Action) {
	text, _ := act.Value.(string)
	done := a.copyText(text)
	done.Action, done.Seq = ui.ActionAdminCopy, a.next()
	ctx.SetState(ui.StateAdminDone, done)
}

// passwordConsonants and passwordVowels make the passwords an admin gives
// out: letters that cannot be mistaken for one another when read out or
// typed on a phone.
const (
	passwordConsonants = "bdfghjkmnprstvz"
	passwordVowels     = "aeiou"
)

// newPassword makes a password for an admin to give a member of staff
// once, such as "dofa-kume-tiso-ravu": four groups of consonant, vowel,
// consonant, vowel from crypto/rand, about 50 bits, which is plenty behind
// the server's sign-in delays, and easy to read out and type. It passes
// the server's password rule: long, all letters, no common word.
func newPassword() string {
	groups := make([]string, 4)
	for i := range groups {
		groups[i] = string([]byte{pick(passwordConsonants), pick(passwordVowels), pick(passwordConsonants), pick(passwordVowels)})
	}
	return strings.Join(groups, "-")
}

// pick returns a letter of from chosen by crypto/rand, every letter as
// likely as another: a byte that would favour the first letters is drawn
// again.
func pick(from string) byte {
	n := len(from)
	var b [1]byte
	for {
		rand.Read(b[:]) // never fails (crypto/rand)
		if int(b[0]) < 256-256%n {
			return from[int(b[0])%n]
		}
	}
}
