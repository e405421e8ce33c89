package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"doorstep/server/demo"
	"doorstep/server/e2e"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// The officer's phone in a real Chromium against the real server: the
// capture path of issue 3, offline from a cold start.

// page is a browser tab with the small steps an officer's taps are made of.
type page struct {
	*e2e.Browser
	t *testing.T
}

// set types a value into a field as a person would: the value changes and
// the input and change events fire. A choice is made once it is offered: a
// list drawn from the phone's records (the teams, say) fills in only after
// they are read, which on a busy machine can be after the page has mounted.
func (p page) set(selector, value string) {
	p.t.Helper()
	sel, _ := json.Marshal(selector)
	val, _ := json.Marshal(value)
	p.waitFor(fmt.Sprintf(`(() => { const e = document.querySelector(%s);
		return !!e && (e.tagName !== "SELECT" || [...e.options].some(o => o.value === %s)) })()`, sel, val), "field "+selector+" offering "+value)
	if !e2e.Eval[bool](p.Browser, fmt.Sprintf(`(() => { const e = document.querySelector(%s); if (!e) return false;
		e.value = %s; e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, sel, val)) {
		p.t.Fatalf("no field %s", selector)
	}
}

func (p page) click(selector string) {
	p.t.Helper()
	p.waitFor(fmt.Sprintf(`!!document.querySelector(%q)`, selector), "element "+selector)
	p.Do(chromedpClick(selector))
}

// waitFor polls a JavaScript condition until it holds.
func (p page) waitFor(condition, what string) {
	p.t.Helper()
	deadline := time.Now().Add(e2e.StepTimeout)
	for !e2e.Eval[bool](p.Browser, condition) {
		if time.Now().After(deadline) {
			p.t.Fatalf("waited %v for %s; console errors: %q; page text: %s", e2e.StepTimeout, what, p.ConsoleErrors(),
				e2e.Eval[string](p.Browser, `document.body.innerText.slice(0, 1500)`))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (p page) text() string { return e2e.Eval[string](p.Browser, `document.body.innerText`) }

// signIn signs a demo user in and waits for the first sync to bring the
// tenancies onto the phone.
func (p page) signIn(base, username string) {
	p.t.Helper()
	p.Open(base + "/signin")
	p.set("#username", username)
	p.set("#password", demo.Password)
	p.click(".signin-form button[type=submit]")
	p.waitFor(`location.pathname === "/"`, "the home page after sign-in")
	p.waitFor(`(document.querySelector(".sync-badge")||{}).textContent?.startsWith("Synced")`, "the first sync")
}

// badge is the header's sync state.
func (p page) badge() string {
	return e2e.Eval[string](p.Browser, `document.querySelector(".sync-badge").textContent`)
}

func TestCaptureOffline(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	p := page{Browser: e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true}), t: t}
	p.signIn(srv.URL, "sarah")
	p.WaitOfflineReady()

	// No signal from here on, from a cold start.
	srv.Stop()
	p.Restart()
	p.SetOffline(true)
	tenancy := demo.TenancyID("RIV-00001")
	p.Open(srv.URL + "/visits/new?tenancy=" + tenancy)
	p.waitFor(`!!document.querySelector("#purpose-welfare_check") && !!document.querySelector(".chosen-tenancy")`, "the visit form with its tenancy")

	t.Run("InvalidInputSavesNothing", func(t *testing.T) {
		p := page{Browser: p.For(t), t: t}
		p.click("#add-promise")
		p.click("#save")
		p.waitFor(`!!document.querySelector(".field-problem")`, "a message beside the field")
		if got := p.badge(); strings.Contains(got, "to sync") {
			t.Errorf("an invalid visit was saved: badge %q", got)
		}
	})

	today := housing.DateOf(time.Now())
	tooSoon := housing.AddWorkingDays(today, 1)   // routine repairs take at least 5 working days
	realistic := housing.AddWorkingDays(today, 3) // a rent callback: 1 to 5 working days
	p.click("#purpose-welfare_check")
	p.set("#notes", "Damp in the back bedroom; rent account queried.")
	p.set("#commitment-0-what", "Send a surveyor to inspect the damp in the back bedroom")
	p.set("#commitment-0-function", housing.FunctionRepairs)
	p.waitFor(`!!document.querySelector("#commitment-0-standard")`, "the kinds of repair promise")
	p.set("#commitment-0-standard", "repairs.routine")
	p.set("#commitment-0-due", string(tooSoon))
	// The too-soon date brings a warning and a reason field above the "Add
	// another promise" button; wait for them, so the click is not aimed at
	// where the button was before the page moved.
	p.waitFor(`!!document.querySelector("#commitment-0-check") && !!document.querySelector("#commitment-0-reason")`, "the warning and its reason field")
	p.click("#add-promise")
	p.set("#commitment-1-what", "Call back about the rent account")
	p.set("#commitment-1-function", housing.FunctionIncome)
	p.waitFor(`!!document.querySelector("#commitment-1-standard")`, "the kinds of income promise")
	p.set("#commitment-1-standard", "income.callback")
	p.set("#commitment-1-due", string(realistic))
	p.click("#q-TP01-fairly_satisfied")
	p.set("#feedback-comment", "Happy someone came round.")

	t.Run("UnrealisticDateNeedsAReason", func(t *testing.T) {
		p := page{Browser: p.For(t), t: t}
		p.waitFor(`!!document.querySelector("#commitment-0-check")`, "the realistic-promise warning")
		if msg := p.Text("#commitment-0-check"); !strings.Contains(msg, "at least 5 working days") {
			t.Errorf("warning %q, want it to say routine repairs take at least 5 working days", msg)
		}
		p.click("#save")
		p.waitFor(`!!document.querySelector("#commitment-0-reason-problem")`, "a request for a reason")
		if got := p.badge(); strings.Contains(got, "to sync") {
			t.Errorf("a promise with an unexplained date was saved: badge %q", got)
		}
	})

	p.set("#commitment-0-reason", "Tenant is vulnerable; surveyor has a slot.")
	p.click("#save")
	p.waitFor(`location.pathname.startsWith("/visits/") && location.pathname !== "/visits/new"`, "the visit summary")
	visitPath := e2e.Eval[string](p.Browser, `location.pathname`)
	p.waitFor(`document.querySelectorAll("svg[aria-label]").length >= 2`, "a QR code per promise")
	if got := p.badge(); !strings.HasPrefix(got, "4 to sync") {
		t.Errorf("badge %q after saving, want 4 to sync (visit, two promises, feedback)", got)
	}

	// A cold reload, still offline: everything is still there.
	p.Restart()
	p.SetOffline(true)
	p.Open(srv.URL + visitPath)
	p.waitFor(`document.body.innerText.includes("Call back about the rent account")`, "the visit after a reload")
	text := p.text()
	for _, want := range []string{"Send a surveyor", "Call back about the rent account"} {
		if !strings.Contains(text, want) {
			t.Errorf("the visit page lost %q after a reload", want)
		}
	}
	if got := p.badge(); !strings.HasPrefix(got, "4 to sync") {
		t.Errorf("badge %q after a reload, want 4 to sync", got)
	}
	p.Screenshot(e2e.ArtifactPath(t, "capture-visit-offline.png"))

	// Signal again: the records reach the server.
	srv.Start()
	p.SetOffline(false)
	p.Open(srv.URL + "/sync")
	p.waitFor(`(document.querySelector(".sync-badge")||{}).textContent?.startsWith("Synced")`, "the records to sync")
	db, err := sqlite.Open(context.Background(), srv.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var visits, promises, feedback int
	db.SQL().QueryRow(`SELECT COUNT(*) FROM visits WHERE notes LIKE 'Damp in the back bedroom%'`).Scan(&visits)
	db.SQL().QueryRow(`SELECT COUNT(*) FROM commitments WHERE what IN ('Send a surveyor to inspect the damp in the back bedroom', 'Call back about the rent account')`).Scan(&promises)
	db.SQL().QueryRow(`SELECT COUNT(*) FROM feedback WHERE comment = 'Happy someone came round.'`).Scan(&feedback)
	if visits != 1 || promises != 2 || feedback != 1 {
		t.Errorf("server holds %d visits, %d promises, %d feedback; want 1, 2, 1", visits, promises, feedback)
	}
}
