package e2e_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"doorstep/server/e2e"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// TestOwningTeamPicksUpAPromise joins two functions on two phones (issue
// 5): a tenancy officer promises a repair at a door with no signal; once she
// has signal again the repairs officer's phone shows the promise, he says it
// is picked up, and her phone shows that it was.
func TestOwningTeamPicksUpAPromise(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	sarah := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	tom := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	signinOnline(t, sarah, srv.URL, "sarah")
	signinOnline(t, tom, srv.URL, "tom")

	// Sarah, tenancy management, offline at the door.
	sarah.SetOffline(true)
	sarah.Open(srv.URL + "/visits/new?tenancy=" + sqlite.DemoTenancyID("RIV-00004"))
	signinWait(t, sarah, `!!document.querySelector("#purpose-repairs_inspection")`, "the visit form")
	sarah.Do(chromedpClick("#purpose-repairs_inspection"))
	sarah.Do(chromedpClick("#add-promise"))
	signinFill(t, sarah, "#commitment-0-what", "Repair the front door lock")
	signinFill(t, sarah, "#commitment-0-function", housing.FunctionRepairs)
	signinWait(t, sarah, `!!document.querySelector("#commitment-0-standard")`, "the kinds of repair promise")
	signinFill(t, sarah, "#commitment-0-standard", "repairs.urgent")
	signinFill(t, sarah, "#commitment-0-due", string(housing.AddWorkingDays(housing.DateOf(time.Now()), 3)))
	sarah.Do(chromedpClick("#save"))
	signinWait(t, sarah, `!!document.querySelector('.promise-card a[href^="/promises/"]')`, "the visit summary")
	promise := e2e.Eval[string](sarah, `document.querySelector('.promise-card a[href^="/promises/"]').getAttribute("href")`)
	id := strings.TrimPrefix(promise, "/promises/")

	// Signal again: her phone sends it by itself.
	sarah.SetOffline(false)
	signinWait(t, sarah, `(document.querySelector(".sync-badge")||{}).textContent?.startsWith("Synced")`, "Sarah's phone to sync")

	// Tom, repairs, on another estate's round: the promise is on his home
	// page once his phone syncs.
	tom.Open(srv.URL + "/sync")
	promiseTap(t, tom, "Sync now")
	tom.Open(srv.URL + "/")
	link := fmt.Sprintf(`a[href=%q]`, promise)
	signinWait(t, tom, fmt.Sprintf(`!!document.querySelector(%q)`, link), "the promise on the repairs officer's home page")
	tom.Do(chromedpClick(link))
	signinWait(t, tom, `location.pathname.startsWith("/promises/") && document.body.innerText.includes("Repair the front door lock")`, "the promise page")
	tom.Screenshot(signinArtifact(t, "promise-owning-team.png"))
	promiseTap(t, tom, "Picked up")
	signinWait(t, tom, `[...document.querySelectorAll(".status")].some((e) => e.textContent === "Saved on this phone")`, "the pick-up to be saved")
	if got := promiseFact(t, tom, "Where it stands"); got != "Picked up" {
		t.Errorf("Tom's phone says the promise is %q, want Picked up", got)
	}
	signinWait(t, tom, `(document.querySelector(".sync-badge")||{}).textContent?.startsWith("Synced")`, "Tom's phone to sync")
	var status string
	signinServerQuery(t, srv, `SELECT status FROM commitments WHERE id = ?`, []any{id}, &status)
	if status != string(housing.StatusAcknowledged) {
		t.Errorf("the server holds the promise as %q, want %q", status, housing.StatusAcknowledged)
	}

	// Sarah's phone hears of it at its next sync.
	sarah.Open(srv.URL + "/sync")
	promiseTap(t, sarah, "Sync now")
	signinWait(t, sarah, `(document.querySelector(".sync-badge")||{}).textContent?.startsWith("Synced")`, "Sarah's phone to sync")
	sarah.Open(srv.URL + promise)
	signinWait(t, sarah, `document.body.innerText.includes("Repair the front door lock")`, "the promise on Sarah's phone")
	if got := promiseFact(t, sarah, "Where it stands"); got != "Picked up" {
		t.Errorf("Sarah's phone says the promise is %q, want Picked up", got)
	}
	if n := e2e.Eval[int](sarah, `[...document.querySelectorAll("button")].filter((b) => b.textContent === "Done" || b.textContent === "Picked up").length`); n != 0 {
		t.Errorf("Sarah, who is not on the repairs team, is offered %d buttons to move the promise along", n)
	}
	sarah.Screenshot(signinArtifact(t, "promise-picked-up.png"))
}

// promiseTap taps the button or link whose text is text.
func promiseTap(t testing.TB, b *e2e.Browser, text string) {
	t.Helper()
	q, _ := json.Marshal(text)
	find := fmt.Sprintf(`[...document.querySelectorAll("button, a")].find((e) => e.textContent.trim() === %s && !e.disabled)`, q)
	signinWait(t, b, "!!"+find, "a button "+text)
	e2e.Eval[bool](b, "("+find+").click(), true")
}

// promiseFact is the value beside a term in the page's list of facts.
func promiseFact(t testing.TB, b *e2e.Browser, term string) string {
	t.Helper()
	q, _ := json.Marshal(term)
	return e2e.Eval[string](b, fmt.Sprintf(`(() => { const dt = [...document.querySelectorAll(".facts dt")].find((e) => e.textContent === %s);
		return dt ? dt.nextElementSibling.textContent : "" })()`, q))
}
