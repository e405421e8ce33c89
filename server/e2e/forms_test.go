package e2e_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"doorstep/server/demo"
	"doorstep/server/e2e"
	"doorstep/shared/housing"
)

// The forms' issue: once the visit form had said "Choose the purpose of the
// visit.", a tap on one purpose chose the next, and the visit was saved and
// synced with a purpose the officer had not picked. These tests drive every
// form with inline problems in a real Chromium against the real server: each
// shows its problems first, then the officer picks every choice it offers,
// and what the phone shows (read back from IndexedDB after a cold start) and
// what the server holds after sync must be what was picked.

// formsProblem waits until the problem slot of field is shown with want, and
// checks the page did not move on (nothing was saved).
func formsProblem(t testing.TB, b *e2e.Browser, field, want string) {
	t.Helper()
	sel, _ := json.Marshal("#" + field + "-problem")
	text, _ := json.Marshal(want)
	signinWait(t, b, fmt.Sprintf(`(() => { const e = document.querySelector(%s); return !!e && !e.hidden && e.textContent === %s })()`, sel, text),
		fmt.Sprintf("%q beside %s", want, field))
	if shown := e2e.Eval[[]string](b, `[...document.querySelectorAll(".field-problem")].filter((e) => !e.hidden).map((e) => e.id)`); len(shown) != 1 {
		t.Errorf("the page shows problems %q, want only the one beside %s", shown, field)
	}
	// The form moves the focus to what needs fixing once it has drawn the
	// problem; a tap before that could land on a page that is scrolling.
	signinWait(t, b, fmt.Sprintf(`[%q, %q].includes(document.activeElement?.id)`, field, field+"-problem"),
		"the focus on "+field)
	if got := e2e.Eval[string](b, `location.pathname`); got != "/visits/new" && strings.HasPrefix(field, "commitment") {
		t.Errorf("the form went to %s with a problem beside %s", got, field)
	}
}

// formsTap taps the element with id as a finger would, and checks that the
// screen then shows it chosen.
func formsTap(t testing.TB, b *e2e.Browser, id string) {
	t.Helper()
	b.Do(chromedpClick(fmt.Sprintf(`[id=%q]`, id)))
	signinWait(t, b, fmt.Sprintf(`document.getElementById(%q).checked`, id), id+" to be chosen")
}

// formsChecked is the value of the checked radio button named name, "" when
// none is.
func formsChecked(b *e2e.Browser, name string) string {
	return e2e.Eval[string](b, fmt.Sprintf(`(document.querySelector('input[name=%q]:checked') || {}).value || ""`, name))
}

// formsOptions are the values and labels a select offers, without the
// option that chooses nothing ("Choose a team", "Any"), which has no value.
func formsOptions(t testing.TB, b *e2e.Browser, selector string) [][2]string {
	t.Helper()
	sel, _ := json.Marshal(selector + " option")
	return e2e.Eval[[][2]string](b, fmt.Sprintf(`[...document.querySelectorAll(%s)].filter((o) => o.getAttribute("value")).map((o) => [o.value, o.textContent])`, sel))
}

// formsChooseNothing chooses a select's first option ("Choose a team",
// "Any") as a person would, after having chosen another.
func formsChooseNothing(t testing.TB, b *e2e.Browser, selector string) {
	t.Helper()
	sel, _ := json.Marshal(selector)
	signinWait(t, b, fmt.Sprintf(`!!document.querySelector(%s)`, sel), "the field "+selector)
	e2e.Eval[bool](b, fmt.Sprintf(`(() => { const e = document.querySelector(%s); e.selectedIndex = 0;
		e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, sel))
}

// formsVisit is what one pass through the visit form picked.
type formsVisit struct {
	id, tenancy, notes      string
	purpose                 housing.Purpose
	what, team, teamName    string
	due                     housing.Date
	reason                  string
	answers                 map[housing.Question]housing.Rating
	comment                 string
	complaint, handedToThem bool
}

// TestVisitFormSavesWhatWasPicked fills the visit form once per purpose.
// Each time it first asks to save an empty form, so the purpose's problem is
// on screen when the purpose is tapped, and meets each of the promise's
// problems before it fills the field; across the passes every purpose, every
// team and every answer to every feedback question (prefer not to say
// included) is picked once at least.
func TestVisitFormSavesWhatWasPicked(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	signinOnline(t, b, srv.URL, "sarah")
	b.SetOffline(true)

	// With no tenancy and no start time, the form says so.
	b.Open(srv.URL + "/visits/new")
	signinWait(t, b, `!!document.querySelector("#purpose-other")`, "the visit form")
	b.Do(chromedpClick("#save"))
	formsProblem(t, b, "tenancy", "Choose the tenancy you visited.")

	today := housing.DateOf(time.Now())
	var visits []formsVisit
	var teams [][2]string
	for i, purpose := range housing.Purposes {
		v := formsVisit{
			tenancy: demo.TenancyID(fmt.Sprintf("RIV-%05d", 21+i)),
			purpose: purpose,
			notes:   "Forms test visit " + strconv.Itoa(i),
			what:    "Forms test promise " + strconv.Itoa(i),
			due:     housing.AddWorkingDays(today, 10),
			answers: map[housing.Question]housing.Rating{},
			comment: "Forms test comment " + strconv.Itoa(i),
			// Every other visit is a complaint, with the phone handed over.
			complaint: i%2 == 1, handedToThem: i%2 == 1,
		}
		b.Open(srv.URL + "/visits/new?tenancy=" + v.tenancy)
		signinWait(t, b, `!!document.querySelector("#purpose-other") && !!document.querySelector(".chosen-tenancy")`, "the visit form with its tenancy")

		b.Do(chromedpClick("#save"))
		formsProblem(t, b, "purpose", "Choose the purpose of the visit.")
		formsTap(t, b, "purpose-"+string(purpose))
		if got := formsChecked(b, "purpose"); got != string(purpose) {
			t.Errorf("pass %d: tapped %s, the screen shows %q chosen", i, purpose, got)
		}
		signinFill(t, b, "#notes", v.notes)
		if i == 0 {
			signinFill(t, b, "#started", "")
			b.Do(chromedpClick("#save"))
			formsProblem(t, b, "started", "Say when the visit started.")
			signinFill(t, b, "#started", time.Now().Format("2006-01-02T15:04"))
		}

		// The promise, one problem at a time.
		b.Do(chromedpClick("#add-promise"))
		b.Do(chromedpClick("#save"))
		formsProblem(t, b, "commitment-0-what", "Say what was promised, in plain words.")
		signinFill(t, b, "#commitment-0-what", v.what)
		b.Do(chromedpClick("#save"))
		formsProblem(t, b, "commitment-0-function", "Choose the team that will keep this promise.")
		if teams == nil {
			teams = formsOptions(t, b, "#commitment-0-function")
			if len(teams) < 2 {
				t.Fatalf("the form offers teams %v", teams)
			}
		}
		v.team, v.teamName = teams[i%len(teams)][0], teams[i%len(teams)][1]
		if i == 0 {
			// A team, then "Choose a team" again: no team is chosen.
			signinFill(t, b, "#commitment-0-function", v.team)
			formsChooseNothing(t, b, "#commitment-0-function")
			b.Do(chromedpClick("#save"))
			formsProblem(t, b, "commitment-0-function", "Choose the team that will keep this promise.")
		}
		signinFill(t, b, "#commitment-0-function", v.team)
		b.Do(chromedpClick("#save"))
		formsProblem(t, b, "commitment-0-due", "Choose the date the promise is due.")
		if v.team == housing.FunctionRepairs {
			// Too soon for a routine repair: the reason is asked for.
			signinWait(t, b, `!!document.querySelector("#commitment-0-standard")`, "the kinds of repair promise")
			signinFill(t, b, "#commitment-0-standard", "repairs.routine")
			v.due = housing.AddWorkingDays(today, 1)
			signinFill(t, b, "#commitment-0-due", string(v.due))
			signinWait(t, b, `!!document.querySelector("#commitment-0-check")`, "the warning about the date")
			b.Do(chromedpClick("#save"))
			formsProblem(t, b, "commitment-0-reason", "Give a reason to keep this date, or choose another date.")
			v.reason = "Forms test reason " + strconv.Itoa(i)
			signinFill(t, b, "#commitment-0-reason", v.reason)
		} else {
			signinFill(t, b, "#commitment-0-due", string(v.due))
		}

		// The tenant's feedback: question j gets answer i+j, so over the
		// passes each question gets every answer.
		if v.handedToThem {
			formsTap(t, b, "hand-over")
			signinWait(t, b, `document.querySelector("#feedback").classList.contains("feedback-large")`, "the larger feedback text")
		}
		for j, q := range housing.Questions {
			r := housing.Ratings[(i+j)%len(housing.Ratings)]
			v.answers[q] = r
			formsTap(t, b, "q-"+string(q)+"-"+string(r))
		}
		for q, r := range v.answers {
			if got := formsChecked(b, "q-"+string(q)); got != string(r) {
				t.Errorf("pass %d: picked %s for %s, the screen shows %q", i, r, q, got)
			}
		}
		signinFill(t, b, "#feedback-comment", v.comment)
		if v.complaint {
			formsTap(t, b, "complaint")
		}

		b.Do(chromedpClick("#save"))
		signinWait(t, b, `/^\/visits\/[^\/]+$/.test(location.pathname) && location.pathname !== "/visits/new"`, "the visit summary")
		v.id = strings.TrimPrefix(e2e.Eval[string](b, `location.pathname`), "/visits/")
		visits = append(visits, v)
	}
	if len(housing.Purposes) < len(housing.Ratings) || len(housing.Purposes) < len(teams) {
		t.Fatalf("%d passes cannot pick each of %d answers and %d teams", len(housing.Purposes), len(housing.Ratings), len(teams))
	}
	want := fmt.Sprintf("%d to sync", 3*len(visits))
	if got := signinBadge(b); !strings.HasPrefix(got, want) {
		t.Errorf("badge %q after saving, want %s (each visit, its promise and its feedback)", got, want)
	}

	// The phone, from a cold start with no signal, shows what was picked:
	// it reads the visits back from IndexedDB.
	b.Restart()
	b.SetOffline(true)
	for _, v := range visits {
		b.Open(srv.URL + "/visits/" + v.id)
		signinWait(t, b, `!!document.querySelector(".promise-meta")`, "visit "+v.notes)
		if got := b.Text("h1"); got != v.purpose.Label() {
			t.Errorf("%s: the phone shows purpose %q, want %q", v.notes, got, v.purpose.Label())
		}
		if got := b.Text(".promise-meta"); !strings.HasPrefix(got, v.teamName+" · Due "+v.due.Human()) {
			t.Errorf("%s: the phone shows the promise as %q, want it kept by %s, due %s", v.notes, got, v.teamName, v.due.Human())
		}
		summary := e2e.Eval[[]string](b, `[...document.querySelectorAll(".feedback-summary li")].map((e) => e.textContent)`)
		var wantSummary []string
		for _, q := range housing.Questions {
			wantSummary = append(wantSummary, q.Short()+": "+v.answers[q].LabelFor(q))
		}
		wantSummary = append(wantSummary, "Comment: "+v.comment)
		if v.complaint {
			wantSummary = append(wantSummary, "This is a complaint")
		}
		if strings.Join(summary, "\n") != strings.Join(wantSummary, "\n") {
			t.Errorf("%s: the phone shows feedback %q, want %q", v.notes, summary, wantSummary)
		}
	}

	// Signal again: the server holds what was picked.
	b.SetOffline(false)
	b.Open(srv.URL + "/sync")
	signinWait(t, b, `(document.querySelector(".sync-badge")||{}).textContent?.startsWith("Synced")`, "the visits to sync")
	if n := signinServerCount(t, srv, `SELECT COUNT(*) FROM attention WHERE reason LIKE '%team%' OR kind <> 'commitment.cancel'`); n != 0 {
		t.Errorf("the server refused %d of the phone's changes, want none", n)
	}
	for _, v := range visits {
		var purpose, notes, what, team, due, reason string
		signinServerQuery(t, srv, `SELECT purpose, notes FROM visits WHERE id = ?`, []any{v.id}, &purpose, &notes)
		if purpose != string(v.purpose) || notes != v.notes {
			t.Errorf("the server holds visit %q with purpose %s, want %q with %s", notes, purpose, v.notes, v.purpose)
		}
		signinServerQuery(t, srv, `SELECT what, function_id, due_date, override_reason FROM commitments WHERE visit_id = ?`, []any{v.id},
			&what, &team, &due, &reason)
		if what != v.what || team != v.team || due != string(v.due) || reason != v.reason {
			t.Errorf("%s: the server holds promise (%q, %s, %s, %q), want (%q, %s, %s, %q)", v.notes, what, team, due, reason, v.what, v.team, v.due, v.reason)
		}
		var comment, answers string
		var complaint bool
		signinServerQuery(t, srv, `SELECT f.comment, f.complaint, (SELECT group_concat(a.question || '=' || a.rating, ' ')
			FROM (SELECT * FROM feedback_answers WHERE feedback_id = f.id ORDER BY question) a) FROM feedback f WHERE f.visit_id = ?`,
			[]any{v.id}, &comment, &complaint, &answers)
		var wantAnswers []string
		for _, q := range housing.Questions {
			wantAnswers = append(wantAnswers, string(q)+"="+string(v.answers[q]))
		}
		if comment != v.comment || complaint != v.complaint || answers != strings.Join(wantAnswers, " ") {
			t.Errorf("%s: the server holds feedback (%q, complaint %v, %s), want (%q, complaint %v, %s)", v.notes,
				comment, complaint, answers, v.comment, v.complaint, strings.Join(wantAnswers, " "))
		}
	}
}

// formsCorrect opens the correction of the first refused change titled
// title on the sync page, waits for the focus on its first field, and
// returns the text of its field id (the visit's notes, the promise's
// words), which names the record.
func formsCorrect(t testing.TB, b *e2e.Browser, title, first, id string) string {
	t.Helper()
	q, _ := json.Marshal(title)
	find := fmt.Sprintf(`[...document.querySelectorAll(".attention-item")].find((li) => li.querySelector("strong")?.textContent === %s)
		?.querySelector("button[data-item]")`, q)
	signinWait(t, b, "!!("+find+")", "a refused change: "+title)
	e2e.Eval[bool](b, "("+find+").click(), true")
	signinWait(t, b, fmt.Sprintf(`document.activeElement?.id === %q`, first), "the correction form")
	return e2e.Eval[string](b, fmt.Sprintf(`document.querySelector("#%s").value`, id))
}

// formsAttention is how many refused changes the sync page lists.
func formsAttention(b *e2e.Browser) int {
	return e2e.Eval[int](b, `document.querySelectorAll(".attention-item").length`)
}

// formsSendAgain sends the open correction and waits until the phone has
// taken it off the list.
func formsSendAgain(t testing.TB, b *e2e.Browser) {
	t.Helper()
	n := formsAttention(b)
	b.Do(chromedpClick(".correction-form button[type=submit]"))
	signinWait(t, b, fmt.Sprintf(`!document.querySelector(".correction-form") && document.querySelectorAll(".attention-item").length < %d`, n),
		"the correction to leave the list")
}

// TestCorrectionFormSavesWhatWasPicked: the "needs attention" correction
// form saves the purpose and the team the officer picks there. Sarah saves
// visits with promises offline; before her phone syncs, the landlord takes
// her estate away from her, so the server refuses them all; it gives the
// estate back, and she corrects each refused visit to a different purpose
// and each promise to a different team, meeting each of the form's problems
// first.
func TestCorrectionFormSavesWhatWasPicked(t *testing.T) {
	e2e.RequireChromium(t)
	dir := t.TempDir()
	const sarah = `(SELECT id FROM officers WHERE username = 'sarah')`
	changeLandlord(t, dir, `SELECT 1`)
	srv := e2e.StartServerWith(t, e2e.ServerConfig{DataDir: dir})
	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	signinOnline(t, b, srv.URL, "sarah")
	b.SetOffline(true)

	today := housing.DateOf(time.Now())
	n := len(housing.Purposes)
	var refs []string
	for i := range n {
		ref := fmt.Sprintf("RIV-%05d", 41+i)
		refs = append(refs, "'"+ref+"'")
		b.Open(srv.URL + "/visits/new?tenancy=" + demo.TenancyID(ref))
		signinWait(t, b, `!!document.querySelector("#purpose-other") && !!document.querySelector(".chosen-tenancy")`, "the visit form with its tenancy")
		// Each visit starts with another purpose than the one it is
		// corrected to.
		formsTap(t, b, "purpose-"+string(housing.Purposes[(i+1)%n]))
		signinFill(t, b, "#notes", "Correction test visit "+strconv.Itoa(i))
		b.Do(chromedpClick("#add-promise"))
		signinFill(t, b, "#commitment-0-what", "Correction test promise "+strconv.Itoa(i))
		signinFill(t, b, "#commitment-0-function", housing.FunctionRepairs)
		signinWait(t, b, `!!document.querySelector("#commitment-0-standard")`, "the kinds of repair promise")
		signinFill(t, b, "#commitment-0-standard", "repairs.routine")
		signinFill(t, b, "#commitment-0-due", string(housing.AddWorkingDays(today, 10)))
		b.Do(chromedpClick("#save"))
		signinWait(t, b, `/^\/visits\/[^\/]+$/.test(location.pathname) && location.pathname !== "/visits/new"`, "the visit summary")
	}

	tenancies := strings.Join(refs, ", ")

	// The tenancies are moved to another estate, and everything is refused.
	var site, other string
	signinServerQuery(t, srv, `SELECT site_id, (SELECT id FROM sites WHERE id <> site_id LIMIT 1) FROM officer_sites WHERE officer_id = `+sarah,
		nil, &site, &other)
	srv.Stop()
	changeLandlord(t, dir, `UPDATE tenancies SET site_id = ? WHERE reference IN (`+tenancies+`)`, other)
	srv.Start()
	b.SetOffline(false)
	b.Open(srv.URL + "/sync")
	signinWait(t, b, fmt.Sprintf(`document.querySelectorAll(".attention-item").length === %d`, 2*n), "every visit and promise to be refused")

	// They are hers again; she corrects each change.
	srv.Stop()
	changeLandlord(t, dir, `UPDATE tenancies SET site_id = ? WHERE reference IN (`+tenancies+`)`, site)
	srv.Start()

	purposes := map[string]housing.Purpose{} // by the visit's notes
	for k, purpose := range housing.Purposes {
		notes := formsCorrect(t, b, "A visit", "correction-purpose", "correction-notes")
		formsChooseNothing(t, b, "#correction-purpose")
		b.Do(chromedpClick(".correction-form button[type=submit]"))
		formsProblem(t, b, "correction-purpose", "Choose the purpose of the visit.")
		signinFill(t, b, "#correction-purpose", string(purpose))
		if k == 0 {
			signinFill(t, b, "#correction-notes", notes+", corrected")
			notes += ", corrected"
		}
		formsSendAgain(t, b)
		purposes[notes] = purpose
	}

	type promise struct {
		team, reason string
		due          housing.Date
	}
	promises := map[string]promise{} // by the promise's words
	var teams [][2]string
	emptied := false
	for k := range n {
		what := formsCorrect(t, b, "A new promise", "correction-what", "correction-what")
		if teams == nil {
			teams = formsOptions(t, b, "#correction-function")
			if len(teams) < 2 {
				t.Fatalf("the correction offers teams %v: %s", teams, e2e.Eval[string](b, `document.querySelector("#correction-function").outerHTML`))
			}
		}
		p := promise{team: teams[k%len(teams)][0], due: housing.AddWorkingDays(today, 12)}
		if k == 0 {
			signinFill(t, b, "#correction-what", "  ")
			b.Do(chromedpClick(".correction-form button[type=submit]"))
			formsProblem(t, b, "correction-what", "Say what was promised, in plain words.")
			signinFill(t, b, "#correction-what", what)
			signinFill(t, b, "#correction-due", "")
			b.Do(chromedpClick(".correction-form button[type=submit]"))
			formsProblem(t, b, "correction-due", "Choose the date the promise is due.")
		}
		if p.team == housing.FunctionRepairs {
			// Still a routine repair, now too soon: a reason is needed.
			p.due, p.reason = housing.AddWorkingDays(today, 1), "Correction test reason"
			signinFill(t, b, "#correction-due", string(p.due))
			signinWait(t, b, `!!document.querySelector("#correction-check")`, "the warning about the date")
			b.Do(chromedpClick(".correction-form button[type=submit]"))
			formsProblem(t, b, "correction-reason", "Give a reason to keep this date, or choose another date.")
			signinFill(t, b, "#correction-reason", p.reason)
		} else {
			if !emptied {
				emptied = true
				formsChooseNothing(t, b, "#correction-function")
				b.Do(chromedpClick(".correction-form button[type=submit]"))
				formsProblem(t, b, "correction-function", "Choose the team that will keep this promise.")
			}
			signinFill(t, b, "#correction-function", p.team)
			signinFill(t, b, "#correction-due", string(p.due))
		}
		formsSendAgain(t, b)
		promises[what] = p
	}
	if len(teams) > n {
		t.Fatalf("%d corrections cannot pick each of %d teams", n, len(teams))
	}
	signinWait(t, b, `(() => { const badge = (document.querySelector(".sync-badge")||{}).textContent || "";
		return badge.startsWith("Synced") && !badge.includes("attention") })()`, "the corrections to sync, with nothing needing attention")

	// The server holds what was picked...
	visitIDs, promiseIDs := map[string]string{}, map[string]string{}
	for notes, want := range purposes {
		var id, purpose string
		signinServerQuery(t, srv, `SELECT id, purpose FROM visits WHERE notes = ?`, []any{notes}, &id, &purpose)
		if purpose != string(want) {
			t.Errorf("%s: the server holds purpose %s, want %s", notes, purpose, want)
		}
		visitIDs[notes] = id
	}
	for what, want := range promises {
		var id, team, due, reason string
		signinServerQuery(t, srv, `SELECT id, function_id, due_date, override_reason FROM commitments WHERE what = ?`, []any{what}, &id, &team, &due, &reason)
		if team != want.team || due != string(want.due) || reason != want.reason {
			t.Errorf("%s: the server holds (%s, %s, %q), want (%s, %s, %q)", what, team, due, reason, want.team, want.due, want.reason)
		}
		promiseIDs[what] = id
	}

	// ...and so does the phone, from a cold start with no signal.
	teamNames := map[string]string{}
	for _, o := range teams {
		teamNames[o[0]] = o[1]
	}
	b.Restart()
	b.SetOffline(true)
	for notes, id := range visitIDs {
		b.Open(srv.URL + "/visits/" + id)
		signinWait(t, b, `!!document.querySelector(".promise-meta")`, "visit "+notes)
		if got := b.Text("h1"); got != purposes[notes].Label() {
			t.Errorf("%s: the phone shows purpose %q, want %q", notes, got, purposes[notes].Label())
		}
	}
	for what, id := range promiseIDs {
		b.Open(srv.URL + "/promises/" + id)
		signinWait(t, b, `!!document.querySelector(".facts")`, "promise "+what)
		if got := promiseFact(t, b, "Team keeping it"); got != teamNames[promises[what].team] {
			t.Errorf("%s: the phone shows team %q, want %q", what, got, teamNames[promises[what].team])
		}
		if got := promiseFact(t, b, "Due"); got != promises[what].due.Human() {
			t.Errorf("%s: the phone shows due %q, want %q", what, got, promises[what].due.Human())
		}
	}
}

// formsLastRequest is the query of the newest request the page has finished
// whose path is path, and how many such requests it has made.
func formsLastRequest(b *e2e.Browser, path string) (query string, count int) {
	r := e2e.Eval[[]string](b, fmt.Sprintf(`(() => {
		const done = performance.getEntriesByType("resource").map((e) => new URL(e.name)).filter((u) => u.pathname === %q);
		return [done.length ? done[done.length-1].search.replace(/^\?/, "") : "", String(done.length)] })()`, path))
	count, _ = strconv.Atoi(r[1])
	return r[0], count
}

// TestReviewFiltersApplyWhatWasPicked: the supervisors' filters, on the
// queues and on the measures, refuse an end date before the start date
// beside the form and ask the server nothing; then each site, team, officer
// and status is picked in turn, and "Any" after it, and the server is asked
// for exactly that and answers with it.
func TestReviewFiltersApplyWhatWasPicked(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	reviewBrowserSignIn(t, b, srv.URL, "jo")
	today := housing.DateOf(time.Now())

	for _, page := range []struct {
		path, api, form string
		selects         []string
	}{
		{"/review", "/api/v1/review/queues", "review-filter", []string{"site", "function", "officer", "status"}},
		{"/review/measures", "/api/v1/review/measures", "review-period", []string{"site", "function", "officer"}},
	} {
		b.Open(srv.URL + page.path)
		form := "#" + page.form
		signinWait(t, b, fmt.Sprintf(`document.querySelectorAll("%s-site option").length > 1`, form), "the filters' options on "+page.path)
		_, before := formsLastRequest(b, page.api)
		if before == 0 {
			t.Fatalf("%s asked the server nothing", page.path)
		}
		e2e.Eval[bool](b, `document.querySelector(".review-filters").open = true`)

		// An end before the start is refused on the phone.
		signinFill(t, b, form+"-from", string(housing.AddWorkingDays(today, 5)))
		signinFill(t, b, form+"-to", string(today))
		b.Do(chromedpClick(form + " button[type=submit]"))
		formsProblem(t, b, page.form, "The end date is before the start date.")
		if _, n := formsLastRequest(b, page.api); n != before {
			t.Errorf("%s: the server was asked %d more times after a refused filter, want 0", page.path, n-before)
		}
		signinFill(t, b, form+"-from", "")
		signinFill(t, b, form+"-to", "")

		// apply shows the filter and waits for the server's answer, which
		// the form then shows: the phone must have asked for what was
		// picked in select name, and nothing in the others, and show it
		// still. (The dates are the measures' default period.)
		apply := func(name, want string) {
			t.Helper()
			_, n := formsLastRequest(b, page.api)
			b.Do(chromedpClick(form + " button[type=submit]"))
			signinWait(t, b, fmt.Sprintf(`performance.getEntriesByType("resource").filter((e) => new URL(e.name).pathname === %q).length > %d`, page.api, n),
				fmt.Sprintf("the server's answer to %s=%q", name, want))
			signinWait(t, b, `![...document.querySelectorAll(".review-status")].some((e) => /^(Loading|Updating)/.test(e.textContent))`, "the view to update")
			query, _ := formsLastRequest(b, page.api)
			asked, err := url.ParseQuery(query)
			if err != nil {
				t.Fatal(err)
			}
			for _, other := range page.selects {
				w := ""
				if other == name {
					w = want
				}
				if got := asked.Get(other); got != w {
					t.Errorf("%s: with %s=%q picked the phone asked for %s=%q, want %q", page.path, name, want, other, got, w)
				}
			}
			shown := e2e.Eval[string](b, fmt.Sprintf(`document.querySelector("%s-%s").selectedOptions[0]?.getAttribute("value") ?? ""`, form, name))
			if shown != want {
				t.Errorf("%s: after the server's answer the %s filter shows %q, want %q", page.path, name, shown, want)
			}
			if got := e2e.Eval[bool](b, fmt.Sprintf(`document.querySelector("#%s-problem").hidden`, page.form)); !got {
				t.Errorf("%s: the problem is still shown after a good filter", page.path)
			}
		}
		for _, name := range page.selects {
			options := formsOptions(t, b, form+"-"+name)
			if len(options) < 2 {
				t.Fatalf("%s: the %s filter offers %v", page.path, name, options)
			}
			for _, o := range options {
				signinFill(t, b, form+"-"+name, o[0])
				apply(name, o[0])
			}
			formsChooseNothing(t, b, form+"-"+name)
			apply(name, "")
		}
	}
}

// TestSignInFormShowsEachProblem: the sign-in form says which field is
// empty beside it, then shows the server's refusal of a wrong password in
// its own slot, one problem at a time; and the phone's name typed there is
// the one the server records for the session.
func TestSignInFormShowsEachProblem(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	b.Open(srv.URL + "/signin")
	submit := func() { b.Do(chromedpClick(".signin-form button[type=submit]")) }

	submit()
	formsProblem(t, b, "username", "Enter your username.")
	signinFill(t, b, "#username", "sarah")
	submit()
	formsProblem(t, b, "password", "Enter your password.")
	signinFill(t, b, "#password", "not the password")
	submit()
	signinWait(t, b, `(() => { const e = document.querySelector("#signin-problem"); return !!e && !e.hidden && /password/i.test(e.textContent) })()`,
		"the server's refusal")
	if shown := e2e.Eval[[]string](b, `[...document.querySelectorAll(".field-problem")].filter((e) => !e.hidden).map((e) => e.id)`); len(shown) != 1 {
		t.Errorf("the page shows problems %q, want only the server's", shown)
	}
	if got := e2e.Eval[string](b, `location.pathname`); got != "/signin" {
		t.Errorf("after a wrong password the app went to %q", got)
	}

	const phone = "Forms test phone"
	signinFill(t, b, "#password", demo.Password)
	signinFill(t, b, "#device-name", phone)
	submit()
	signinWait(t, b, `location.pathname === "/"`, "the home page after signing in")
	var username string
	signinServerQuery(t, srv, `SELECT o.username FROM sessions s JOIN officers o ON o.id = s.officer_id WHERE s.device_name = ?`, []any{phone}, &username)
	if username != "sarah" {
		t.Errorf("the server's session for %q is %q's, want sarah's", phone, username)
	}
}

// TestReviewActionSavesWhatWasPicked: the supervisor's action form on a
// queue row shows each of its problems, then Jo reassigns promises to every
// team she is offered, extends one, escalates one and marks one broken, one
// promise each; the server holds what she picked.
func TestReviewActionSavesWhatWasPicked(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	reviewBrowserSignIn(t, b, srv.URL, "jo")
	b.Open(srv.URL + "/review")
	signinWait(t, b, `!!document.querySelector(".review-count")`, "the queues")
	reviewShowQueue(t, b, "Overdue")
	signinWait(t, b, `document.querySelectorAll('[aria-controls^="act-"]').length > 0`, "the overdue promises")
	rows := e2e.Eval[[]string](b, `[...document.querySelectorAll('[aria-controls^="act-"]')].map((e) => e.getAttribute("aria-controls"))`)

	type picked struct{ kind, team, due string }
	want := map[string]picked{} // by commitment ID
	var teams [][2]string
	left := map[string]bool{} // teams not yet picked
	kinds := []string{housing.KindCommitmentExtend, housing.KindCommitmentEscalate, housing.KindCommitmentBreak}
	due := string(housing.AddWorkingDays(housing.DateOf(time.Now()), 15))
	for i, form := range rows {
		if teams != nil && len(left) == 0 && len(kinds) == 0 {
			break
		}
		id := strings.TrimPrefix(form, "act-")
		reviewShowQueue(t, b, "Overdue")
		signinWait(t, b, fmt.Sprintf(`!!document.querySelector('[aria-controls=%q]')`, form), "the row of "+id)
		b.Do(chromedpClick(fmt.Sprintf(`[aria-controls=%q]`, form)))
		signinWait(t, b, fmt.Sprintf(`!!document.querySelector("#%s-function")`, form), "the action form")
		submit := func() { b.Do(chromedpClick("#" + form + ` button[type="submit"]`)) }
		current := e2e.Eval[string](b, fmt.Sprintf(`document.querySelector("#%s-function").value`, form))
		if teams == nil {
			teams = formsOptions(t, b, "#"+form+"-function")
			for _, o := range teams {
				left[o[0]] = true
			}
			// The first row meets the reassign form's problems.
			submit()
			formsProblem(t, b, form, "Say why the promise is moving to another owner.")
			signinFill(t, b, "#"+form+"-reason", "Forms test")
			submit()
			formsProblem(t, b, form, "That would change nothing: choose another team, officer or date.")
		}
		var team string
		for _, o := range teams {
			if left[o[0]] && o[0] != current {
				team = o[0]
				break
			}
		}
		p := picked{kind: housing.KindCommitmentReassign, team: team}
		if team == "" {
			if len(kinds) == 0 {
				continue
			}
			p = picked{kind: kinds[0]}
			kinds = kinds[1:]
		}
		formsTap(t, b, form+"-kind-"+p.kind)
		if got := formsChecked(b, form+"-kind"); got != p.kind {
			t.Errorf("row %d: tapped %s, the screen shows %q chosen", i, p.kind, got)
		}
		switch p.kind {
		case housing.KindCommitmentReassign:
			signinFill(t, b, "#"+form+"-function", team)
			delete(left, team)
		case housing.KindCommitmentExtend:
			submit()
			formsProblem(t, b, form, "Choose the new due date.")
			p.due = due
			signinFill(t, b, "#"+form+"-due", due)
		}
		signinFill(t, b, "#"+form+"-reason", "")
		if p.kind != housing.KindCommitmentReassign {
			submit()
			formsProblem(t, b, form, map[string]string{
				housing.KindCommitmentExtend:   "Say why the date is changing; the tenant will see it.",
				housing.KindCommitmentEscalate: "Say why the promise needs escalating.",
				housing.KindCommitmentBreak:    "Write an apology for the tenant: it is shown on their page.",
			}[p.kind])
		}
		signinFill(t, b, "#"+form+"-reason", "Forms test: "+p.kind)
		submit()
		signinWait(t, b, fmt.Sprintf(`!document.querySelector("#%s")`, form), "the action to be saved")
		want[id] = p
	}
	if len(left) > 0 || len(kinds) > 0 {
		t.Fatalf("the overdue queue had too few promises: teams %v and actions %v not picked", left, kinds)
	}
	reviewWaitText(t, b, ".sync-badge", "Synced")

	for id, p := range want {
		var team, dueDate, status string
		var escalated bool
		reviewEventually(t, "the server to hold "+p.kind+" on "+id, func() bool {
			signinServerQuery(t, srv, `SELECT function_id, due_date, status, escalated FROM commitments WHERE id = ?`, []any{id}, &team, &dueDate, &status, &escalated)
			switch p.kind {
			case housing.KindCommitmentReassign:
				return team == p.team
			case housing.KindCommitmentExtend:
				return dueDate == p.due
			case housing.KindCommitmentEscalate:
				return escalated
			}
			return status == string(housing.StatusBroken)
		})
	}
}
