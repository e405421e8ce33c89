package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"doorstep/app/remote"
	"doorstep/server/demo"
	"doorstep/server/e2e"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// The admin's screens in a real Chromium against the real server.

// TestAdminTightensAStandard: the admin opens the service standards from
// the home screen, is refused (by the server, on the limit field) when
// loosening a statutory limit, and tightens the urgent repairs limit from
// 5 to 3 working days with a reason; a repairs officer's phone, signed in
// before the change, syncs and its promise form warns with the new figure.
func TestAdminTightensAStandard(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)

	// Tom, a repairs officer, has his phone ready before the change.
	tom := page{Browser: e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true}), t: t}
	tom.signIn(srv.URL, "tom")

	admin := page{Browser: e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true}), t: t}
	admin.signIn(srv.URL, "admin")
	admin.click(`a[href="/admin"]`)
	admin.waitFor(`location.pathname === "/admin"`, "the admin's menu")
	admin.click(`a[href="/admin/standards"]`)
	admin.waitFor(`!!document.querySelector('li[data-standard="repairs.urgent"]')`, "the standards, loaded from the server")
	if row := admin.rowText("repairs.damp_investigate"); !strings.Contains(row, "Set by law") || !strings.Contains(row, "10 working days") || !strings.Contains(row, "Awaab") {
		t.Errorf("the statutory standard's row says:\n%s\nwant that it is set by law, its limit in working days, and why", row)
	}
	admin.Screenshot(e2e.ArtifactPath(t, "admin-standards.png"))

	// Loosening a statutory limit: the server refuses, on the limit field.
	admin.click(`li[data-standard="repairs.damp_investigate"] .standard-change`)
	admin.set("#standard-limit", "12")
	admin.set("#standard-reason", "The surveyors cannot keep up.")
	admin.click(`#standard-form button[type="submit"]`)
	admin.waitFor(shown("#standard-limit-problem"), "the server's refusal on the limit")
	if msg := admin.Text("#standard-limit-problem"); !strings.Contains(msg, "set by law at 10 working days at most") {
		t.Errorf("the limit's problem says %q, want the server's words on the legal limit", msg)
	}
	admin.Screenshot(e2e.ArtifactPath(t, "admin-standard-statutory.png"))
	admin.click(`#standard-form button[type="button"]`) // Cancel

	// Tightening the urgent repairs limit.
	admin.click(`li[data-standard="repairs.urgent"] .standard-change`)
	admin.waitFor(`(document.querySelector("#standard-limit")||{}).value === "5"`, "the form filled with the limit as it stands")
	admin.set("#standard-limit", "3")
	admin.set("#standard-reason", "The board's new target for urgent repairs.")
	admin.click(`#standard-form button[type="submit"]`)
	admin.waitFor(`(document.querySelector("#standards-answer")||{innerText:""}).innerText.includes("Saved Urgent repair")`, "the change saved")
	admin.waitFor(`(document.querySelector('li[data-standard="repairs.urgent"] .standard-limit')||{}).innerText === "3 working days"`, "the new limit listed")
	admin.waitFor(`(document.querySelector(".admin-history")||{innerText:""}).innerText.includes("The board's new target for urgent repairs.")`, "the change in the history")
	if h := admin.Text(".admin-history"); !strings.Contains(h, "latest from 5 working days to 3 working days") || !strings.Contains(h, "Morgan Ellis") {
		t.Errorf("the history says:\n%s\nwant who changed what", h)
	}
	admin.Screenshot(e2e.ArtifactPath(t, "admin-standard-tightened.png"))

	// Tom's phone syncs, and its promise form warns with the new figure: 4
	// working days was within the old limit of 5.
	due := housing.AddWorkingDays(housing.LocalDate(time.Now()), 4)
	reviewEventually(t, "tom's promise form warns with the new limit", func() bool {
		tom.syncNow(srv.URL)
		tom.Open(srv.URL + "/visits/new?tenancy=" + demo.TenancyID("RIV-00001"))
		tom.click("#add-promise")
		tom.set("#commitment-0-what", "Fix the front door lock")
		tom.set("#commitment-0-function", housing.FunctionRepairs)
		tom.set("#commitment-0-standard", "repairs.urgent")
		tom.set("#commitment-0-due", string(due))
		return e2e.Eval[bool](tom.Browser, `!!document.querySelector("#commitment-0-check")`) &&
			strings.Contains(tom.Text("#commitment-0-check"), "the service standard is 3 working days")
	})
	tom.Screenshot(e2e.ArtifactPath(t, "admin-standard-on-the-phone.png"))
	if v := admin.CSPViolations(); len(v) > 0 {
		t.Errorf("the admin pages break the Content-Security-Policy: %v", v)
	}
}

// TestAdminAddsAndSwitchesOffStaff: the admin adds a member of staff,
// first seeing the server's refusals on the fields they concern, then with
// a password Doorstep makes and shows once, which signs in; then switches
// them off, which signs their device out. An officer sees no admin menu,
// and is told the admin pages are for admins.
func TestAdminAddsAndSwitchesOffStaff(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	ctx := context.Background()

	admin := page{Browser: e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true}), t: t}
	admin.signIn(srv.URL, "admin")
	admin.Open(srv.URL + "/admin/staff")
	admin.waitFor(`(document.querySelector("main")||{innerText:""}).innerText.includes("Sarah Okafor")`, "the staff list, loaded from the server")
	admin.click("#staff-add-open")
	admin.set("#staff-add-name", "Lena Novak")
	admin.set("#staff-add-username", "sarah") // taken
	admin.set("#staff-add-email", "lena.novak@example.org")
	admin.click("#staff-add-role-officer")
	admin.click("#staff-add-sites-riverside")
	admin.click("#staff-add-teams-repairs")
	admin.set("#staff-add-password", "password1234") // the server's rule refuses it
	admin.click(`#staff-add button[type="submit"]`)
	admin.waitFor(shown("#staff-add-password-problem"), "the server's refusal of the password, on its field")
	if msg := admin.Text("#staff-add-password-problem"); msg == "" {
		t.Error("the password's problem is empty")
	}
	admin.Screenshot(e2e.ArtifactPath(t, "admin-staff-refused.png"))

	admin.set("#staff-add-password", "") // Doorstep makes one
	admin.click(`#staff-add button[type="submit"]`)
	admin.waitFor(shown("#staff-add-form-problem"), "the server's refusal of a taken username")
	if msg := admin.Text("#staff-add-form-problem"); !strings.Contains(msg, "taken") {
		t.Errorf("the form says %q, want that the username is taken", msg)
	}
	// What was typed is all still there.
	if got := e2e.Eval[string](admin.Browser, `document.querySelector("#staff-add-name").value + "|" + document.querySelector("#staff-add-sites-riverside").checked`); got != "Lena Novak|true" {
		t.Errorf("after a refusal the form holds %q, want what was typed", got)
	}

	admin.set("#staff-add-username", "lena.novak")
	admin.click(`#staff-add button[type="submit"]`)
	admin.waitFor(`(document.querySelector("#staff-answer")||{innerText:""}).innerText.includes("Lena Novak can now sign in as lena.novak")`, "Lena added")
	password := admin.Text("#staff-answer-secret")
	admin.Screenshot(e2e.ArtifactPath(t, "admin-staff-added.png"))
	phone := &remote.Client{BaseURL: srv.URL}
	session, err := phone.SignIn(ctx, housing.SignIn{Username: "lena.novak", Password: password, DeviceName: "Lena's phone"})
	if err != nil {
		t.Fatalf("Lena signs in with the password shown once, %q: %v", password, err)
	}
	if session.Officer.Name != "Lena Novak" || session.Officer.Role != housing.RoleOfficer {
		t.Errorf("Lena's session: %+v", session.Officer)
	}
	row := fmt.Sprintf(`li[data-officer=%q]`, session.Officer.ID)
	admin.waitFor(`!!document.querySelector('`+row+`')`, "Lena listed")
	// Her email is sent with her account; the list shows it once the store
	// keeps it (docs/admin-api.md: GET users answers with email).
	if text := admin.innerText(row); !strings.Contains(text, "Riverside Estate") || !strings.Contains(text, "Repairs") || !strings.Contains(text, "Officer") {
		t.Errorf("Lena's row says:\n%s", text)
	}

	// Her devices list her phone; then the admin switches her off.
	admin.clickIn(row+" button", "Devices")
	admin.waitFor(`(document.querySelector('`+row+`')||{innerText:""}).innerText.includes("Lena's phone")`, "Lena's phone among her devices")
	admin.clickIn(row+" button", "Switch off")
	admin.click("#staff-switch-off")
	admin.waitFor(`(document.querySelector("#staff-answer")||{innerText:""}).innerText.includes("Lena Novak is switched off")`, "Lena switched off")
	admin.waitFor(`(document.querySelector('`+row+`')||{innerText:""}).innerText.includes("Switched off")`, "Lena's row saying so")
	admin.Screenshot(e2e.ArtifactPath(t, "admin-staff-switched-off.png"))
	if _, err := phone.Sync(ctx, housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: session.DeviceID, Mutations: []housing.Mutation{}}); housing.ErrorCode(err) != housing.CodeUnauthorized {
		t.Errorf("Lena's phone after she was switched off: got %v, want unauthorized", err)
	}

	// An officer sees no way in, and the pages say they are for admins.
	sarah := page{Browser: e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true}), t: t}
	sarah.signIn(srv.URL, "sarah")
	if e2e.Eval[bool](sarah.Browser, `!!document.querySelector('a[href="/admin"]')`) {
		t.Error("an officer's home screen links to the admin pages")
	}
	sarah.Open(srv.URL + "/admin/staff")
	sarah.waitFor(`(document.querySelector("main")||{innerText:""}).innerText.includes("Only admins can use these pages")`, "the page saying it is for admins")
	if e2e.Eval[bool](sarah.Browser, `document.querySelector("main").innerText.includes("Lena")`) {
		t.Error("an officer sees the staff list")
	}
	if v := admin.CSPViolations(); len(v) > 0 {
		t.Errorf("the admin pages break the Content-Security-Policy: %v", v)
	}
}

// TestLandlordStartsFromEmpty is a landlord's first day, in Chromium
// against the real server started without the demo: the first admin, made
// on the command line, signs in and imports the sample files on the admin
// screen (checking them first); an imported officer signs in on a phone
// with the one-time password the screen showed, finds an imported tenancy
// offline and logs a visit that reaches the server once back in signal;
// the admin tightens a standard and the officer's phone, after a sync,
// warns with the new figure.
func TestLandlordStartsFromEmpty(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServerWith(t, e2e.ServerConfig{NoDemo: true})
	const adminPassword = "kettle harbour lantern"
	cmd := exec.Command(e2e.Binary(t), "user", "add", "-data", srv.DataDir, "-username", "pat", "-name", "Pat Jones", "-role", "admin", "-password-stdin")
	cmd.Stdin = strings.NewReader(adminPassword + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("doorstep user add: %v\n%s", err, out)
	}

	examples := filepath.Join(e2e.RepoRoot(t), "docs", "examples")
	var files []string
	for _, name := range []string{"sites.csv", "teams.csv", "staff.csv", "tenancies.csv"} {
		files = append(files, filepath.Join(examples, name))
	}
	admin := page{Browser: e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true}), t: t}
	admin.signInWith(srv.URL, "pat", adminPassword)
	admin.click(`a[href="/admin"]`)
	admin.click(`a[href="/admin/imports"]`)
	admin.waitFor(`!!document.querySelector("#import-files")`, "the file input")
	admin.Do(chromedp.SetUploadFiles(chromedp.CSS("#import-files"), files))
	admin.waitFor(`(document.querySelector("#import-chosen")||{innerText:""}).innerText.includes("tenancies.csv")`, "the files' names")
	admin.click("#import-check")
	admin.waitFor(`(document.querySelector("#import-result")||{innerText:""}).innerText.includes("Checked:")`, "the dry run's report")
	if got := admin.innerText("#import-result"); !strings.Contains(got, "60 added") || !strings.Contains(got, "12 added") {
		t.Errorf("the check says:\n%s\nwant 60 tenancies and 12 staff to add", got)
	}
	if n := serverCount(t, srv, `SELECT COUNT(*) FROM tenancies`); n != 0 {
		t.Fatalf("the check stored %d tenancies; a dry run changes nothing", n)
	}
	admin.Screenshot(e2e.ArtifactPath(t, "landlord-import-checked.png"))
	admin.click("#import-apply")
	admin.waitFor(`(document.querySelector("#import-result")||{innerText:""}).innerText.includes("Applied.")`, "the import applied")
	admin.waitFor(`!!document.querySelector(".import-passwords")`, "the one-time passwords")
	password := e2e.Eval[string](admin.Browser, `[...document.querySelectorAll(".import-passwords tbody tr")]
		.filter(r => r.cells[0].innerText.trim() === "amira.hussain").map(r => r.cells[1].innerText.trim())[0] || ""`)
	if password == "" {
		t.Fatalf("no one-time password shown for amira.hussain:\n%s", admin.innerText("#import-result"))
	}
	admin.Screenshot(e2e.ArtifactPath(t, "landlord-import-applied.png"))

	// Amira, an imported tenancy officer at Meadowbank, signs in on her
	// phone, loses signal, finds a tenancy and logs a visit.
	amira := page{Browser: e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true}), t: t}
	amira.signInWith(srv.URL, "amira.hussain", password)
	amira.WaitOfflineReady()
	amira.SetOffline(true)
	amira.Open(srv.URL + "/tenancies")
	amira.set("#search", "Robinson")
	amira.waitFor(`document.body.innerText.includes("108 Barley Close")`, "the imported tenancy in the search")
	if strings.Contains(amira.text(), "Castle Hill") {
		t.Error("Amira's phone holds tenancies of a site she does not work at")
	}
	e2e.Eval[bool](amira.Browser, `[...document.querySelectorAll("a.row")].find(a => a.innerText.includes("108 Barley Close")).click(), true`)
	amira.click(`a[href^="/visits/new?tenancy="]`) // not the menu's New visit, which names no tenancy
	amira.click("#purpose-welfare_check")
	amira.set("#notes", "First visit logged on the landlord's own data.")
	amira.click("#add-promise")
	amira.set("#commitment-0-what", "Fix the leaking kitchen tap")
	amira.set("#commitment-0-function", housing.FunctionRepairs)
	amira.set("#commitment-0-standard", "repairs.routine")
	amira.set("#commitment-0-due", string(housing.AddWorkingDays(housing.LocalDate(time.Now()), 10)))
	amira.click("#save")
	amira.waitFor(`location.pathname.startsWith("/visits/") && location.pathname !== "/visits/new"`, "the visit summary")
	amira.SetOffline(false)
	amira.syncNow(srv.URL)
	if n := serverCount(t, srv, `SELECT COUNT(*) FROM visits WHERE tenancy_id = ? AND notes = ?`,
		sqlite.ImportTenancyID("MEA-0014"), "First visit logged on the landlord's own data."); n != 1 {
		t.Fatalf("the server holds %d of Amira's visits, want 1", n)
	}

	// The landlord's repairs system reads her promise from the events
	// feed, with a token the admin makes on the tokens screen.
	admin.Open(srv.URL + "/admin/tokens")
	admin.click("#token-make-open")
	admin.set("#token-name", "Repairs system")
	admin.click("#token-teams-repairs")
	admin.click(`#token-form button[type="submit"]`)
	admin.waitFor(`!!document.querySelector("#token-secret")`, "the token, shown once")
	token := admin.Text("#token-secret")
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var feed housing.FeedPage
	err = json.NewDecoder(res.Body).Decode(&feed)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/events with the admin's token: %d, %v", res.StatusCode, err)
	}
	if len(feed.Events) != 1 || feed.Events[0].Type != housing.FeedPromiseMade || feed.Events[0].TenancyReference != "MEA-0014" ||
		feed.Events[0].Commitment == nil || feed.Events[0].Commitment.What != "Fix the leaking kitchen tap" {
		t.Errorf("the repairs feed holds %+v, want Amira's promise made at MEA-0014", feed.Events)
	}

	// The admin tightens urgent repairs from 5 working days to 3; Amira's
	// phone syncs and warns with the new figure.
	admin.Open(srv.URL + "/admin/standards")
	admin.click(`li[data-standard="repairs.urgent"] .standard-change`)
	admin.waitFor(`(document.querySelector("#standard-limit")||{}).value === "5"`, "the urgent repairs limit as it stands")
	admin.set("#standard-limit", "3")
	admin.set("#standard-reason", "Our board's target for urgent repairs.")
	admin.click(`#standard-form button[type="submit"]`)
	admin.waitFor(`(document.querySelector("#standards-answer")||{innerText:""}).innerText.includes("Saved")`, "the change saved")
	due := housing.AddWorkingDays(housing.LocalDate(time.Now()), 4)
	reviewEventually(t, "Amira's promise form warns with the new limit", func() bool {
		amira.syncNow(srv.URL)
		amira.Open(srv.URL + "/visits/new?tenancy=" + sqlite.ImportTenancyID("MEA-0014"))
		amira.click("#add-promise")
		amira.set("#commitment-0-what", "Fix the front door lock")
		amira.set("#commitment-0-function", housing.FunctionRepairs)
		amira.set("#commitment-0-standard", "repairs.urgent")
		amira.set("#commitment-0-due", string(due))
		return e2e.Eval[bool](amira.Browser, `!!document.querySelector("#commitment-0-check")`) &&
			strings.Contains(amira.Text("#commitment-0-check"), "the service standard is 3 working days")
	})
	amira.Screenshot(e2e.ArtifactPath(t, "landlord-standard-on-the-phone.png"))
	for _, b := range []page{admin, amira} {
		if errs := b.ConsoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	}
}

// signInWith signs username in with password and waits for the first sync.
func (p page) signInWith(base, username, password string) {
	p.t.Helper()
	p.Open(base + "/signin")
	p.set("#username", username)
	p.set("#password", password)
	p.click(".signin-form button[type=submit]")
	p.waitFor(`location.pathname === "/"`, "the home page after sign-in")
	p.waitFor(`(document.querySelector(".sync-badge")||{}).textContent?.startsWith("Synced")`, "the first sync")
}

// rowText is the text of the row of standard id.
func (p page) rowText(id string) string {
	return p.innerText(fmt.Sprintf(`li[data-standard=%q]`, id))
}

// innerText is the text of the first element matching selector as a
// person reads it, "" when there is none.
func (p page) innerText(selector string) string {
	return e2e.Eval[string](p.Browser, fmt.Sprintf(`(document.querySelector(%q)||{innerText:""}).innerText`, selector))
}

// clickIn clicks the first element matching selector whose text is text,
// once there is one.
func (p page) clickIn(selector, text string) {
	p.t.Helper()
	find := fmt.Sprintf(`[...document.querySelectorAll(%q)].find(e => e.innerText.trim() === %q)`, selector, text)
	p.waitFor("!!"+find, fmt.Sprintf("%s saying %q", selector, text))
	e2e.Eval[bool](p.Browser, `(() => { const e = `+find+`; e.click(); return true })()`)
}

// shown is a condition that holds once the element matching selector is
// there and not hidden.
func shown(selector string) string {
	return fmt.Sprintf(`(e => !!e && !e.hidden)(document.querySelector(%q))`, selector)
}
