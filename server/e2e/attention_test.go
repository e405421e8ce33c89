package e2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"doorstep/server/demo"
	"doorstep/server/e2e"
	"doorstep/shared/housing"
)

// TestCorrectRefusedPromise: a promise the server refuses can be put right on
// the phone, and the corrected promise reaches the server exactly once. Sarah
// promises, with no signal, that the landlord's estates team will cut back a
// hedge. Before her phone syncs, the landlord closes that team (in the
// database: there is no screen for teams), so the server refuses the promise
// as naming a team it does not have, while the visit it was made on goes
// through. Her phone lists the promise under "Needs attention" with the
// server's reason; she corrects it on the sync page, where bad input is
// stopped with a message and sends nothing, and sends it to Tenancy
// management instead.
func TestCorrectRefusedPromise(t *testing.T) {
	e2e.RequireChromium(t)
	const (
		team      = "estates"
		refused   = "Cut back the overgrown hedge by the footpath"
		corrected = "Ask the grounds contractor to cut back the hedge by the footpath"
	)
	// The landlord runs an estates team when Sarah's phone first syncs.
	dir := t.TempDir()
	changeLandlord(t, dir, `INSERT INTO functions (id, name) VALUES (?, 'Estates and grounds')`, team)
	srv := e2e.StartServerWith(t, e2e.ServerConfig{DataDir: dir})
	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	signinOnline(t, b, srv.URL, "sarah")

	// On the doorstep, with no signal, she logs a visit with a promise that
	// the estates team will keep. The phone knows the team and accepts it.
	b.SetOffline(true)
	tenancy := demo.TenancyID("RIV-00011")
	b.Open(srv.URL + "/visits/new?tenancy=" + tenancy)
	signinWait(t, b, `!!document.querySelector("#purpose-estate_inspection") && !!document.querySelector(".chosen-tenancy")`, "the visit form with its tenancy")
	b.Do(chromedpClick("#purpose-estate_inspection"))
	signinFill(t, b, "#notes", "Hedge by the footpath is blocking the pavement.")
	b.Do(chromedpClick("#add-promise"))
	signinFill(t, b, "#commitment-0-what", refused)
	signinFill(t, b, "#commitment-0-function", team)
	signinFill(t, b, "#commitment-0-due", string(housing.AddWorkingDays(housing.DateOf(time.Now()), 10)))
	b.Do(chromedpClick("#save"))
	signinWait(t, b, `/^\/visits\/[^\/]+$/.test(location.pathname) && location.pathname !== "/visits/new"`, "the visit summary")
	signinWait(t, b, `(document.querySelector(".sync-badge")||{}).textContent?.startsWith("2 to sync")`, "the visit and its promise to wait on the phone")

	// Meanwhile the landlord closes the estates team.
	srv.Stop()
	changeLandlord(t, dir, `DELETE FROM functions WHERE id = ?`, team)
	srv.Start()

	// Signal again: the visit goes, the promise is refused, and the phone
	// says why.
	b.SetOffline(false)
	b.Open(srv.URL + "/sync")
	signinWait(t, b, `!!document.querySelector(".attention-item") && (document.querySelector(".sync-badge")||{}).textContent?.includes("1 needs attention")`, "the refused promise on the sync page")
	item := b.Text(".attention-item")
	if !strings.Contains(item, "A new promise") || !strings.Contains(item, refused) {
		t.Errorf("the refused change reads %q, want a new promise with its words", item)
	}
	if !strings.Contains(item, "The server said: ") || !strings.Contains(item, "no team called") {
		t.Errorf("the refused change reads %q, want the server's reason, that it has no such team", item)
	}
	if got := promiseFact(t, b, "Waiting to sync"); got != "0" {
		t.Errorf("%s changes wait to sync after the refusal, want 0", got)
	}
	var promiseID, device string
	signinServerQuery(t, srv, `SELECT record_id, device_id FROM attention WHERE kind = ?`, []any{housing.KindCommitmentMake}, &promiseID, &device)
	if n := serverCount(t, srv, `SELECT COUNT(*) FROM visits WHERE tenancy_id = ?`, tenancy); n != 1 {
		t.Errorf("the server holds %d of the visit, want 1: only the promise was refused", n)
	}

	// She opens the correction, with the promise as it was sent and the
	// focus on its first field; Cancel takes her back to the list, and she
	// opens it again.
	promiseTap(t, b, "Correct and send again")
	signinWait(t, b, `document.activeElement?.id === "correction-what"`, "the focus on the correction's first field")
	promiseTap(t, b, "Cancel")
	signinWait(t, b, `!document.querySelector(".correction-form") && document.activeElement?.id === "attention-heading"`, "the focus back on Needs attention after Cancel")
	promiseTap(t, b, "Correct and send again")
	signinWait(t, b, `document.activeElement?.id === "correction-what"`, "the focus on the correction's first field again")
	if got := e2e.Eval[string](b, `document.querySelector("#correction-what").value`); got != refused {
		t.Errorf("the correction form starts with %q, want the promise as sent, %q", got, refused)
	}
	if got := e2e.Eval[string](b, `document.querySelector("#correction-function").value`); got != team {
		t.Errorf("the correction form starts with team %q, want the one sent, %q", got, team)
	}
	b.Screenshot(e2e.ArtifactPath(t, "attention-correction-form.png"))

	// Bad input is stopped on the phone with a message beside the field.
	t.Run("BadInputSendsNothing", func(t *testing.T) {
		b := b.For(t)
		for _, tc := range []struct {
			name, field, value, problem string
		}{
			{"ErrNoWords", "#correction-what", "   ", "Say what was promised, in plain words."},
			{"ErrNoTeam", "#correction-function", "", "Choose the team that will keep this promise."},
		} {
			t.Run(tc.name, func(t *testing.T) {
				b := b.For(t)
				signinFill(t, b, "#correction-what", corrected)
				signinFill(t, b, "#correction-function", housing.FunctionTenancy)
				signinFill(t, b, tc.field, tc.value)
				b.Do(chromedpClick(".correction-form button[type=submit]"))
				problem := tc.field + "-problem"
				signinWait(t, b, `!!document.querySelector("`+problem+`")`, "a message beside "+tc.field)
				if got := b.Text(problem); got != tc.problem {
					t.Errorf("the message reads %q, want %q", got, tc.problem)
				}
				if got := e2e.Eval[string](b, `document.activeElement?.id ?? ""`); "#"+got != tc.field {
					t.Errorf("the focus is on %q, want the field with the problem, %s", got, tc.field)
				}
				if got := promiseFact(t, b, "Waiting to sync"); got != "0" {
					t.Errorf("%s changes wait to sync after bad input, want 0", got)
				}
				if !e2e.Eval[bool](b, `!!document.querySelector(".attention-item .correction-form")`) {
					t.Error("the refused promise or its correction form went away after bad input")
				}
			})
		}
	})

	// A good correction goes to the server at once. The badge says Synced
	// with no attention only once nothing waits and nothing is refused.
	signinFill(t, b, "#correction-what", "  "+corrected+"  ")
	signinFill(t, b, "#correction-function", housing.FunctionTenancy)
	b.Do(chromedpClick(".correction-form button[type=submit]"))
	signinWait(t, b, `!document.querySelector(".attention-item") && (() => {
		const badge = (document.querySelector(".sync-badge")||{}).textContent || "";
		return badge.startsWith("Synced") && !badge.includes("attention") })()`, "the corrected promise to sync, with nothing needing attention")

	// The server holds the corrected promise once, and never the refused one.
	if n := serverCount(t, srv, `SELECT COUNT(*) FROM commitments WHERE tenancy_id = ?`, tenancy); n != 1 {
		t.Errorf("the server holds %d promises to the tenancy, want 1", n)
	}
	var what, function string
	signinServerQuery(t, srv, `SELECT what, function_id FROM commitments WHERE id = ?`, []any{promiseID}, &what, &function)
	if what != corrected || function != housing.FunctionTenancy {
		t.Errorf("the server's promise says %q for team %q, want %q for %q", what, function, corrected, housing.FunctionTenancy)
	}
	if n := serverCount(t, srv, `SELECT COUNT(*) FROM commitments WHERE what = ?`, refused); n != 0 {
		t.Errorf("the server holds %d promises as refused, want 0", n)
	}
	if n := serverCount(t, srv, `SELECT COUNT(*) FROM commitment_events WHERE commitment_id = ?`, promiseID); n != 1 {
		t.Errorf("the promise has %d events on the server, want 1: made once", n)
	}
	// The phone sent three changes: the visit, the promise and its
	// correction. The bad input never left it, and nothing else was refused.
	var last int
	signinServerQuery(t, srv, `SELECT last_mutation FROM devices WHERE device_id = ?`, []any{device}, &last)
	if last != 3 {
		t.Errorf("the server has %d changes from the phone, want 3 (visit, promise, correction)", last)
	}
	if n := serverCount(t, srv, `SELECT COUNT(*) FROM attention WHERE device_id = ?`, device); n != 1 {
		t.Errorf("the server refused %d of the phone's changes, want 1", n)
	}

	// The phone shows the corrected promise, and the refusal stays gone
	// after a reload.
	b.Open(srv.URL + "/promises/" + promiseID)
	signinWait(t, b, promiseFactIs("Team keeping it", "Tenancy management"), "the corrected promise on the phone")
	if text := e2e.Eval[string](b, `document.body.innerText`); !strings.Contains(text, corrected) {
		t.Errorf("the promise page does not show the corrected words %q", corrected)
	}
	b.Open(srv.URL + "/sync")
	signinWait(t, b, `document.body.innerText.includes("Nothing. The server has accepted everything")`, "an empty Needs attention list after a reload")
}

// changeLandlord runs statement with args on the data folder dir, seeding the
// demo landlord (without history) first if it is empty. The server must not
// be running: this is the landlord changing its own data.
func changeLandlord(t *testing.T, dir, statement string, args ...any) {
	t.Helper()
	ctx := context.Background()
	db := openDemoLandlord(t, dir)
	defer db.Close()
	if _, err := db.SQL().ExecContext(ctx, statement, args...); err != nil {
		t.Fatalf("%s: %v", statement, err)
	}
}

// serverCount runs a COUNT query with args on the running server's database.
func serverCount(t *testing.T, srv *e2e.Server, query string, args ...any) int {
	t.Helper()
	var n int
	signinServerQuery(t, srv, query, args, &n)
	return n
}
