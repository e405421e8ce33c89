package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"doorstep/app/remote"
	"doorstep/server/demo"
	"doorstep/server/e2e"
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
	sarah.Open(srv.URL + "/visits/new?tenancy=" + demo.TenancyID("RIV-00004"))
	signinWait(t, sarah, `!!document.querySelector("#purpose-repairs_inspection") && !!document.querySelector(".chosen-tenancy")`, "the visit form with its tenancy")
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
	// His phone sends it shortly after the save, by itself.
	var status string
	for deadline := time.Now().Add(e2e.StepTimeout); status != string(housing.StatusAcknowledged); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the server holds the promise as %q after %v, want %q", status, e2e.StepTimeout, housing.StatusAcknowledged)
		}
		signinServerQuery(t, srv, `SELECT status FROM commitments WHERE id = ?`, []any{id}, &status)
	}

	// Sarah's phone hears of it at its next sync.
	sarah.Open(srv.URL + "/sync")
	promiseTap(t, sarah, "Sync now")
	signinWait(t, sarah, `(document.querySelector(".sync-badge")||{}).textContent?.startsWith("Synced")`, "Sarah's phone to sync")
	sarah.Open(srv.URL + promise)
	signinWait(t, sarah, `document.body.innerText.includes("Repair the front door lock")`, "the promise on Sarah's phone")
	// "Synced" was already in the badge before the tap, so the sync may
	// still be under way: the page must update itself when it lands.
	signinWait(t, sarah, `[...document.querySelectorAll(".facts dt")].some((e) => e.textContent === "Where it stands" && e.nextElementSibling && e.nextElementSibling.textContent === "Picked up")`,
		"Sarah's phone to show the promise picked up")
	if n := e2e.Eval[int](sarah, `[...document.querySelectorAll("button")].filter((b) => b.textContent === "Done" || b.textContent === "Picked up").length`); n != 0 {
		t.Errorf("Sarah, who is not on the repairs team, is offered %d buttons to move the promise along", n)
	}
	sarah.Screenshot(signinArtifact(t, "promise-picked-up.png"))

	// The maker shares the tenant's link: this phone has no share sheet, so
	// the link is copied, and the page says so.
	sarah.Do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission: &cdpbrowser.PermissionDescriptor{Name: "clipboard-read"}, Setting: cdpbrowser.PermissionSettingGranted})
		return err
	}))
	sarah.Do(chromedpClick(".tenant-link button"))
	signinWait(t, sarah, `[...document.querySelectorAll(".status")].some((e) => e.textContent.startsWith("Link copied"))`, "word that the link was copied")
	if got, want := e2e.Eval[string](sarah, `navigator.clipboard.readText()`), e2e.Eval[string](sarah, `document.querySelector(".link-text").textContent`); got != want {
		t.Errorf("the clipboard holds %q, want the tenant's link %q", got, want)
	}
}

// promiseTap taps the button or link whose text is text.
func promiseTap(t testing.TB, b *e2e.Browser, text string) {
	t.Helper()
	q, _ := json.Marshal(text)
	find := fmt.Sprintf(`[...document.querySelectorAll("button, a")].find((e) => e.textContent.trim() === %s && !e.disabled)`, q)
	signinWait(t, b, "!!"+find, "a button "+text)
	e2e.Eval[bool](b, "("+find+").click(), true")
}

// promiseFactIs is a JavaScript condition: the page's facts say value
// beside term.
func promiseFactIs(term, value string) string {
	t, _ := json.Marshal(term)
	v, _ := json.Marshal(value)
	return fmt.Sprintf(`[...document.querySelectorAll(".facts dt")].some((e) => e.textContent === %s && e.nextElementSibling.textContent === %s)`, t, v)
}

// promiseFact is the value beside a term in the page's list of facts.
func promiseFact(t testing.TB, b *e2e.Browser, term string) string {
	t.Helper()
	q, _ := json.Marshal(term)
	return e2e.Eval[string](b, fmt.Sprintf(`(() => { const dt = [...document.querySelectorAll(".facts dt")].find((e) => e.textContent === %s);
		return dt ? dt.nextElementSibling.textContent : "" })()`, q))
}

// TestRefusedChangeNeedsAttention: a change the server refuses never
// wedges the phone or vanishes. The repairs officer marks a promise done
// with no signal while its maker cancels it; when his phone syncs, the
// server refuses the "done", and his phone lists it under "Needs attention"
// with the server's reason until he dismisses it.
func TestRefusedChangeNeedsAttention(t *testing.T) {
	e2e.RequireChromium(t)
	ctx := context.Background()
	srv := e2e.StartServer(t)
	tom := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	signinOnline(t, tom, srv.URL, "tom")

	// Sarah's phone, as the sync client speaks to the server, promises a repair.
	s, err := (&remote.Client{BaseURL: srv.URL}).SignIn(ctx, housing.SignIn{Username: "sarah", Password: demo.Password, DeviceName: "e2e"})
	if err != nil {
		t.Fatal(err)
	}
	sarah := newPhone(t, srv.URL, s)
	today := housing.DateOf(time.Now())
	visit := housing.Visit{ID: uuid.Must(uuid.NewV7()).String(), TenancyID: demo.TenancyID("RIV-00005"), OfficerID: s.Officer.ID,
		SiteID: "riverside", Purpose: housing.PurposeRepairs, StartedAt: time.Now().UTC().Add(-time.Hour)}
	visit.EndedAt = visit.StartedAt.Add(30 * time.Minute)
	promise := housing.Commitment{ID: uuid.Must(uuid.NewV7()).String(), TenancyID: visit.TenancyID, VisitID: visit.ID,
		SiteID: "riverside", MadeBy: s.Officer.ID, MadeByName: s.Officer.Name, What: "Clear the blocked gutter", FunctionID: housing.FunctionRepairs, StandardID: "repairs.urgent",
		DueDate: housing.AddWorkingDays(today, 2), Token: housing.NewToken()}
	sarah.queue(housing.KindVisitRecord, visit.ID, 0, visit)
	sarah.queue(housing.KindCommitmentMake, promise.ID, 0, promise)
	sarah.syncAll(ctx)
	sarah.checkAnswered(false)

	// Tom's phone gets it at its next sync (a page load starts one; the
	// badge said "Synced" before it, so only the promise itself shows that it
	// has landed), and with no signal he marks it done.
	tom.Open(srv.URL + "/promises/" + promise.ID)
	signinWait(t, tom, promiseFactIs("Where it stands", "Open"), "the promise on Tom's phone")
	tom.SetOffline(true)
	promiseTap(t, tom, "Done")
	signinWait(t, tom, `[...document.querySelectorAll(".status")].some((e) => e.textContent === "Saved on this phone")`, "the done to be saved")

	// Meanwhile Sarah cancels it.
	sarah.queue(housing.KindCommitmentCancel, promise.ID, sarah.commitment(promise.ID).Version, housing.CommitmentAction{Reason: "The tenant cleared it himself."})
	sarah.syncAll(ctx)
	sarah.checkAnswered(false)

	// Signal again: the server refuses Tom's "done", and his phone says so.
	tom.SetOffline(false)
	signinWait(t, tom, `(document.querySelector(".sync-badge")||{}).textContent?.includes("1 needs attention")`, "the refusal in the header")
	tom.Open(srv.URL + "/sync")
	signinWait(t, tom, `!!document.querySelector(".attention-item")`, "the refused change on the sync page")
	item := tom.Text(".attention-item")
	if !strings.Contains(item, "“Done” on a promise") || !strings.Contains(item, "Clear the blocked gutter") {
		t.Errorf("the refused change reads %q, want what was refused and the promise's words", item)
	}
	if !strings.Contains(item, "The server said: ") || !strings.Contains(strings.ToLower(item), "cancelled") {
		t.Errorf("the refused change reads %q, want the server's reason, which names the cancellation", item)
	}
	if got := promiseFact(t, tom, "Waiting to sync"); got != "0" {
		t.Errorf("%s changes wait to sync after the refusal, want 0: a refused change must not wedge the queue", got)
	}
	tom.Screenshot(signinArtifact(t, "attention-refused-done.png"))
	promiseTap(t, tom, "Dismiss")
	signinWait(t, tom, `!document.querySelector(".attention-item")`, "the dismissed item to go")
	if got := signinBadge(tom); strings.Contains(got, "attention") {
		t.Errorf("badge %q after dismissing, want no attention", got)
	}
	tom.Open(srv.URL + "/promises/" + promise.ID)
	signinWait(t, tom, `document.body.innerText.includes("Clear the blocked gutter")`, "the promise")
	if got := promiseFact(t, tom, "Where it stands"); got != "Cancelled" {
		t.Errorf("Tom's phone says the promise is %q, want Cancelled, as the server has it", got)
	}
}
