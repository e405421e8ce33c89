package e2e_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"doorstep/server/demo"
	"doorstep/server/e2e"
	"doorstep/shared/housing"
)

// clickText clicks the first button whose text is text, once it is there.
func (p page) clickText(text string) {
	p.t.Helper()
	find := fmt.Sprintf(`[...document.querySelectorAll("button")].find(b => b.textContent.trim() === %q && !b.disabled)`, text)
	p.waitFor("!!"+find, "a button "+text)
	e2e.Eval[bool](p.Browser, "("+find+").click(), true")
}

// syncNow opens the sync page and syncs, as an officer taps "Sync now".
func (p page) syncNow(base string) {
	p.t.Helper()
	p.Open(base + "/sync")
	p.clickText("Sync now")
	p.waitFor(`(() => { const t = (document.querySelector(".sync-badge")||{}).textContent || ""; return t.startsWith("Synced") })()`, "a finished sync")
}

// TestSyncJoinsTwoTeams: two officers of different teams on two phones. The
// tenancy officer, offline, promises a repair; once back in signal the
// promise reaches the repairs officer's phone, who picks it up; the tenancy
// officer's phone then shows it picked up.
func TestSyncJoinsTwoTeams(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	sarah := page{Browser: e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true}), t: t}
	tom := page{Browser: e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true}), t: t}
	sarah.signIn(srv.URL, "sarah") // tenancy management, Riverside
	tom.signIn(srv.URL, "tom")     // repairs, Riverside and Northgate
	sarah.WaitOfflineReady()

	sarah.SetOffline(true)
	sarah.Open(srv.URL + "/visits/new?tenancy=" + demo.TenancyID("RIV-00005"))
	sarah.click("#purpose-repairs_inspection")
	sarah.click("#add-promise")
	sarah.set("#commitment-0-what", "Fix the leaking bathroom tap")
	sarah.set("#commitment-0-function", housing.FunctionRepairs)
	sarah.set("#commitment-0-standard", "repairs.urgent")
	sarah.set("#commitment-0-due", string(housing.AddWorkingDays(housing.DateOf(time.Now()), 3)))
	sarah.click("#save")
	sarah.waitFor(`location.pathname.startsWith("/visits/") && location.pathname !== "/visits/new"`, "the visit summary")
	visit := e2e.Eval[string](sarah.Browser, `location.pathname`)
	if got := sarah.badge(); !strings.HasPrefix(got, "2 to sync") {
		t.Errorf("sarah's badge %q while offline, want 2 to sync", got)
	}

	sarah.SetOffline(false)
	sarah.syncNow(srv.URL)

	tom.syncNow(srv.URL)
	tom.Open(srv.URL + visit)
	tom.waitFor(`document.body.innerText.includes("Fix the leaking bathroom tap")`, "sarah's promise on tom's phone")
	tom.clickText("Picked up")
	tom.waitFor(`[...document.querySelectorAll(".promise-meta")].some(e => e.textContent.includes("Picked up"))`, "the promise picked up on tom's phone")
	tom.syncNow(srv.URL)

	sarah.syncNow(srv.URL)
	sarah.Open(srv.URL + visit)
	sarah.waitFor(`[...document.querySelectorAll(".promise-meta")].some(e => e.textContent.includes("Picked up"))`, "tom's pick-up on sarah's phone")
	sarah.Screenshot(e2e.ArtifactPath(t, "sync-picked-up-on-makers-phone.png"))
}
