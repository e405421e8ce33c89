package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"doorstep/server/demo"
	"doorstep/server/e2e"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// TestSignInAgainAfterRevoke is issue 4's promise on the phone: an officer
// signs in once, works offline for as long as they must, and when the server
// has ended the phone's session meanwhile the app asks them to sign in
// again, keeps every record, and syncs them once they have.
func TestSignInAgainAfterRevoke(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})

	b.Open(srv.URL + "/signin")
	t.Run("WrongPasswordSaysSo", func(t *testing.T) {
		b := b.For(t)
		signinSubmit(t, b, "sarah", "not the password")
		signinWait(t, b, `!!document.querySelector("#signin-problem")`, "the sign-in problem")
		if got := b.Text("#signin-problem"); !strings.Contains(strings.ToLower(got), "password") {
			t.Errorf("sign-in problem %q, want it to mention the password", got)
		}
		if got := e2e.Eval[string](b, `location.pathname`); got != "/signin" {
			t.Errorf("after a wrong password the app went to %q", got)
		}
	})

	if got := e2e.Eval[string](b, `document.querySelector("#device-name").value`); got == "" {
		t.Error("the phone's name is not filled in")
	}
	signinFill(t, b, "#device-name", "Sarah's work phone")
	signinOnline(t, b, srv.URL, "sarah")
	if n := signinServerCount(t, srv, `SELECT COUNT(*) FROM sessions WHERE device_name = 'Sarah''s work phone'`); n != 1 {
		t.Errorf("the server holds %d sessions named for the phone, want 1", n)
	}

	// No signal, from a cold start: the officer keeps working.
	b.SetOffline(true)
	b.Restart()
	tenancy := demo.TenancyID("RIV-00002")
	b.Open(srv.URL + "/visits/new?tenancy=" + tenancy)
	signinWait(t, b, `!!document.querySelector("#purpose-tenancy_audit") && !!document.querySelector(".chosen-tenancy")`, "the visit form with its tenancy")
	b.Do(chromedpClick("#purpose-tenancy_audit"))
	signinFill(t, b, "#notes", "Audit done; the fence panel is down.")
	b.Do(chromedpClick("#add-promise"))
	signinFill(t, b, "#commitment-0-what", "Replace the broken fence panel")
	signinFill(t, b, "#commitment-0-function", housing.FunctionRepairs)
	signinWait(t, b, `!!document.querySelector("#commitment-0-standard")`, "the kinds of repair promise")
	signinFill(t, b, "#commitment-0-standard", "repairs.routine")
	signinFill(t, b, "#commitment-0-due", string(housing.AddWorkingDays(housing.DateOf(time.Now()), 10)))
	signinFitsThePhone(t, b, "the visit form")
	b.Do(chromedpClick("#save"))
	signinWait(t, b, `/^\/visits\/[^\/]+$/.test(location.pathname) && location.pathname !== "/visits/new"`, "the visit summary")
	signinWait(t, b, `[...document.querySelectorAll("[aria-live=polite]")].some((e) => e.textContent === "Saved on this phone")`,
		"the live region to say the visit is saved")
	if got := signinBadge(b); !strings.HasPrefix(got, "2 to sync") {
		t.Errorf("badge %q after saving offline, want 2 to sync (the visit and its promise)", got)
	}
	signinFitsThePhone(t, b, "the visit summary")
	b.Restart()
	b.Open(srv.URL + "/sync")
	signinWait(t, b, `(document.querySelector(".sync-badge")||{}).textContent?.startsWith("2 to sync")`, "the records after an offline reload")

	// Nothing is trapped on the phone: the unsynced records export as JSON.
	t.Run("ExportUnsynced", func(t *testing.T) {
		b := b.For(t)
		dir := t.TempDir()
		b.Do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
			return err
		}))
		promiseTap(t, b, "Export unsynced records")
		var files []string
		for deadline := time.Now().Add(e2e.StepTimeout); len(files) == 0; time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("no file was downloaded")
			}
			files, _ = filepath.Glob(filepath.Join(dir, "doorstep-unsynced-*.json"))
		}
		raw, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Mutations []housing.Mutation `json:"mutations"`
		}
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatalf("the export is not JSON: %v", err)
		}
		var kinds []string
		for _, m := range got.Mutations {
			kinds = append(kinds, m.Kind)
		}
		if want := []string{housing.KindVisitRecord, housing.KindCommitmentMake}; strings.Join(kinds, ",") != strings.Join(want, ",") {
			t.Errorf("the export holds %v, want %v", kinds, want)
		}
	})
	b.Open(srv.URL + "/")

	// Meanwhile whoever runs the server revokes every session of sarah's.
	out, err := exec.Command(e2e.Binary(t), "sessions", "revoke", "-data", srv.DataDir, "sarah").CombinedOutput()
	if err != nil {
		t.Fatalf("doorstep sessions revoke: %v\n%s", err, out)
	}

	// Signal again: the `online` event starts a sync, which the server
	// refuses; the app asks for a sign-in and keeps both records.
	b.SetOffline(false)
	signinWait(t, b, `!!document.querySelector(".banner") && document.querySelector(".banner").textContent.includes("Please sign in again")`, "the request to sign in again")
	if got, want := b.Text(".banner p"), "Please sign in again — your 2 unsynced records are safe on this phone."; got != want {
		t.Errorf("banner %q, want %q", got, want)
	}
	if got := signinBadge(b); !strings.HasPrefix(got, "2 to sync") {
		t.Errorf("badge %q while the session is ended, want 2 to sync", got)
	}
	if n := signinServerCount(t, srv, `SELECT COUNT(*) FROM visits WHERE notes = 'Audit done; the fence panel is down.'`); n != 0 {
		t.Fatalf("the server holds %d of the visit before the officer signed in again", n)
	}
	b.Screenshot(signinArtifact(t, "signin-again-banner.png"))

	// Signing in again sends what waited.
	b.Do(chromedpClick(".banner a.button"))
	signinWait(t, b, `location.pathname === "/signin" && !!document.querySelector("#username")`, "the sign-in page")
	signinSubmit(t, b, "sarah", demo.Password)
	signinWait(t, b, `location.pathname === "/"`, "the home page after signing in again")
	signinWait(t, b, `(document.querySelector(".sync-badge")||{}).textContent?.startsWith("Synced")`, "the waiting records to sync")
	if n := signinServerCount(t, srv, `SELECT COUNT(*) FROM visits WHERE notes = 'Audit done; the fence panel is down.'`); n != 1 {
		t.Errorf("the server holds %d of the visit, want 1", n)
	}
	if n := signinServerCount(t, srv, `SELECT COUNT(*) FROM commitments WHERE what = 'Replace the broken fence panel'`); n != 1 {
		t.Errorf("the server holds %d of the promise, want 1", n)
	}
	if n := e2e.Eval[int](b, `document.querySelectorAll(".banner").length`); n != 0 {
		t.Errorf("the sign-in banner is still shown after signing in again")
	}
}

// signinOnline signs username in on the sign-in page, waits for the first
// sync to bring their records, and for the service worker to hold the app,
// so that it starts with no network from then on.
func signinOnline(t testing.TB, b *e2e.Browser, base, username string) {
	t.Helper()
	if !e2e.Eval[bool](b, `location.pathname === "/signin" && !!document.querySelector("main[data-mounted]")`) {
		b.Open(base + "/signin")
	}
	signinSubmit(t, b, username, demo.Password)
	signinWait(t, b, `location.pathname === "/"`, "the home page after signing in")
	signinWait(t, b, `(document.querySelector(".sync-badge")||{}).textContent?.startsWith("Synced")`, "the first sync")
	b.WaitOfflineReady()
}

// signinFitsThePhone fails the test when anything on the page is wider
// than the screen: an officer would have to scroll sideways to find it.
func signinFitsThePhone(t testing.TB, b *e2e.Browser, where string) {
	t.Helper()
	wide := e2e.Eval[string](b, `(() => {
		const w = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= w) return "";
		return [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > w + 1)
			.slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + " (" + Math.round(e.getBoundingClientRect().right) + " px)").join(", ");
	})()`)
	if wide != "" {
		t.Errorf("%s is wider than the phone: %s", where, wide)
	}
}

// signinSubmit fills in the sign-in form and taps Sign in.
func signinSubmit(t testing.TB, b *e2e.Browser, username, password string) {
	t.Helper()
	signinFill(t, b, "#username", username)
	signinFill(t, b, "#password", password)
	b.Do(chromedpClick(".signin-form button[type=submit]"))
}

// signinFill sets a field's value as typing would: the value changes and
// the input and change events fire.
func signinFill(t testing.TB, b *e2e.Browser, selector, value string) {
	t.Helper()
	sel, _ := json.Marshal(selector)
	val, _ := json.Marshal(value)
	signinWait(t, b, fmt.Sprintf(`!!document.querySelector(%s)`, sel), "the field "+selector)
	e2e.Eval[bool](b, fmt.Sprintf(`(() => { const e = document.querySelector(%s); e.value = %s;
		e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, sel, val))
}

// signinWait polls a JavaScript condition until it holds, failing the test
// with the page's text after e2e.StepTimeout.
func signinWait(t testing.TB, b *e2e.Browser, condition, what string) {
	t.Helper()
	deadline := time.Now().Add(e2e.StepTimeout)
	for !e2e.Eval[bool](b, condition) {
		if time.Now().After(deadline) {
			// The console's errors say whether the wasm stopped (a Go panic
			// leaves the last page drawn, deaf to every tap).
			problems := e2e.Eval[[]string](b, `[...document.querySelectorAll(".field-problem")].filter((e) => !e.hidden).map((e) => e.id + ": " + e.textContent)`)
			t.Fatalf("waited %v for %s; problems shown: %q; console errors: %q; page text: %s", e2e.StepTimeout, what, problems, b.ConsoleErrors(), e2e.Eval[string](b, `document.body.innerText.slice(0, 1500)`))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func signinBadge(b *e2e.Browser) string {
	return e2e.Eval[string](b, `document.querySelector(".sync-badge").textContent`)
}

// signinServerCount runs a COUNT query on the running server's database.
func signinServerCount(t testing.TB, srv *e2e.Server, query string) int {
	t.Helper()
	var n int
	signinServerQuery(t, srv, query, nil, &n)
	return n
}

// signinServerQuery reads one row from the running server's database into
// dest.
func signinServerQuery(t testing.TB, srv *e2e.Server, query string, args []any, dest ...any) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), srv.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SQL().QueryRow(query, args...).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// signinArtifact is a path under the repository's git-ignored
// test-artifacts folder, for a screenshot to look at.
func signinArtifact(t testing.TB, name string) string {
	t.Helper()
	dir := filepath.Join(e2e.RepoRoot(t), "test-artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}

// TestSignOutOnASharedPhone: signing out never throws unsynced records
// away, and the next officer on the phone sees nothing of the last one's.
func TestSignOutOnASharedPhone(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	signinOnline(t, b, srv.URL, "sarah")

	b.SetOffline(true)
	b.Open(srv.URL + "/visits/new?tenancy=" + demo.TenancyID("RIV-00006"))
	signinWait(t, b, `!!document.querySelector("#purpose-welfare_check") && !!document.querySelector(".chosen-tenancy")`, "the visit form with its tenancy")
	b.Do(chromedpClick("#purpose-welfare_check"))
	signinFill(t, b, "#notes", "Welfare check: all well, asked about the lift.")
	b.Do(chromedpClick("#save"))
	signinWait(t, b, `/^\/visits\/[^\/]+$/.test(location.pathname) && location.pathname !== "/visits/new"`, "the visit summary")
	visitPath := e2e.Eval[string](b, `location.pathname`)

	// With a record unsynced, Sign out warns and offers sync and export.
	b.Open(srv.URL + "/settings")
	promiseTap(t, b, "Sign out")
	signinWait(t, b, `!!document.querySelector("#signout-warning")`, "the warning about unsynced records")
	if got := b.Text("#signout-warning p"); !strings.HasPrefix(got, "1 record is not synced yet.") {
		t.Errorf("warning %q, want it to say 1 record is not synced yet", got)
	}
	if n := e2e.Eval[int](b, `[...document.querySelectorAll("button")].filter((e) => e.textContent === "Sign out anyway").length`); n != 0 {
		t.Error("the phone offers to sign out with unsynced records before they were exported")
	}
	b.Screenshot(signinArtifact(t, "signout-warning.png"))

	// Signal: Sync now sends it, and then signing out is one tap.
	b.SetOffline(false)
	promiseTap(t, b, "Sync now")
	signinWait(t, b, `(document.querySelector(".sync-badge")||{}).textContent?.startsWith("Synced")`, "the record to sync")
	promiseTap(t, b, "Sign out")
	signinWait(t, b, `location.pathname === "/signin" && !!document.querySelector("#username")`, "the sign-in page after signing out")

	// The next officer on this phone sees nothing of Sarah's.
	signinOnline(t, b, srv.URL, "hannah")
	b.Open(srv.URL + visitPath)
	signinWait(t, b, `!!document.querySelector(".field-problem")`, "the visit page to say the visit is not here")
	if text := e2e.Eval[string](b, `document.body.innerText`); strings.Contains(text, "asked about the lift") {
		t.Error("the next officer on the phone sees the last officer's visit")
	}
	if got := signinServerCount(t, srv, `SELECT COUNT(*) FROM visits WHERE notes = 'Welfare check: all well, asked about the lift.'`); got != 1 {
		t.Errorf("the server holds %d of Sarah's visit, want 1", got)
	}
}
