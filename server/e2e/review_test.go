package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"doorstep/app/remote"
	"doorstep/server/demo"
	"doorstep/server/e2e"
	"doorstep/shared/housing"
)

// TestSupervisorReassignsAcrossSites is the supervisors' promise, in real
// browsers against the real server: promises made by officers on two sites
// (Sarah at Riverside Estate, Hannah at Northgate) reach the supervisor's
// queues, one overdue and one the tenant says is not right; the supervisor
// reassigns the overdue one to the income team's Priya, who works on
// neither of Sarah's sites, and Priya's phone, a second browser profile,
// receives it by sync.
func TestSupervisorReassignsAcrossSites(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	artifacts := reviewArtifacts(t)
	ctx := context.Background()
	suffix := uuid.NewString()[:8]

	// The officers' phones, as the API sees them.
	sarah := reviewSignIn(t, srv.URL, "sarah")
	hannah := reviewSignIn(t, srv.URL, "hannah")
	today := housing.LocalDate(time.Now())
	overdue := reviewPromise(t, ctx, sarah, reviewTenancy("RIV-00001"), "riverside",
		"Replace the broken gate latch "+suffix, housing.AddWorkingDays(today, -3))
	disputed := reviewPromise(t, ctx, hannah, reviewTenancy("NGT-00001"), "northgate",
		"Move the bin store away from the window "+suffix, housing.AddWorkingDays(today, 10))
	reviewTenantSays(t, srv.URL, disputed.Token, housing.TenantNotAgreed)

	// Priya's phone, in income at Northgate and Hollins Park, has synced and
	// does not hold Sarah's Riverside tenancy promise.
	priya := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	reviewBrowserSignIn(t, priya, srv.URL, "priya")
	if reviewHomeHas(priya, overdue.What) {
		t.Fatalf("Priya's phone holds the promise before it is reassigned to her")
	}

	// The supervisor signs in and sees both, from both sites.
	jo := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	reviewBrowserSignIn(t, jo, srv.URL, "jo")
	jo.Open(srv.URL + "/review")
	reviewWaitText(t, jo, "main", overdue.What)
	row := reviewRowText(jo, overdue.ID)
	for _, want := range []string{"RIV-00001", "Riverside Estate", "Tenancy management", "days over"} {
		if !strings.Contains(row, want) {
			t.Errorf("the overdue row lacks %q:\n%s", want, row)
		}
	}
	reviewScrollTo(jo, overdue.What)
	jo.Screenshot(filepath.Join(artifacts, "review-1-overdue.png"))
	reviewShowQueue(t, jo, "Disputed")
	reviewWaitText(t, jo, "main", disputed.What)
	row = reviewRowText(jo, disputed.ID)
	for _, want := range []string{"NGT-00001", "Northgate", "tenant says this isn't right"} {
		if !strings.Contains(row, want) {
			t.Errorf("the disputed row lacks %q:\n%s", want, row)
		}
	}
	reviewScrollTo(jo, disputed.What)
	jo.Screenshot(filepath.Join(artifacts, "review-2-disputed.png"))

	// The supervisor reassigns the overdue promise to Priya in income.
	reviewShowQueue(t, jo, "Overdue")
	reviewWaitText(t, jo, "main", overdue.What)
	form := "act-" + overdue.ID
	jo.Do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`[aria-controls=%q]`, form))))
	reviewChoose(t, jo, "#"+form+"-function", housing.FunctionIncome)
	reviewChoose(t, jo, "#"+form+"-owner", demo.OfficerID("priya"))
	jo.Do(chromedp.SendKeys(chromedp.CSS("#"+form+"-reason"), "It is about the rent account, not the tenancy."))
	jo.Screenshot(filepath.Join(artifacts, "review-3-reassign.png"))
	jo.Do(chromedp.Click(chromedp.CSS("#" + form + ` button[type="submit"]`)))
	reviewWaitText(t, jo, ".review-saved", "saved on this phone")

	// Sync carries it to the server; the queues, loaded again, name the new owner.
	ravi := reviewSignIn(t, srv.URL, "ravi")
	reviewEventually(t, "the server has the new owner", func() bool {
		c, ok := reviewServerCommitment(t, srv.URL, ravi.s.Token, overdue.ID)
		return ok && c.FunctionID == housing.FunctionIncome && c.OwnerID == demo.OfficerID("priya")
	})
	// The page shows the view kept on the phone first, then the server's.
	jo.Open(srv.URL + "/review")
	reviewEventually(t, "the queues name the new owner", func() bool {
		return strings.Contains(reviewRowText(jo, overdue.ID), "Income and rent · Priya Shah")
	})
	reviewScrollTo(jo, overdue.What)
	jo.Screenshot(filepath.Join(artifacts, "review-4-reassigned.png"))

	// Priya's phone receives it by sync, though she works at neither of
	// Sarah's sites. Opening the app again syncs at once.
	reviewEventually(t, "Priya's phone shows the promise", func() bool {
		priya.Open(srv.URL + "/")
		reviewWaitText(t, priya, ".sync-badge", "Synced")
		return reviewHomeHas(priya, overdue.What)
	})
	reviewScrollTo(priya, overdue.What)
	priya.Screenshot(filepath.Join(artifacts, "review-5-new-owner.png"))
	if v := jo.CSPViolations(); len(v) > 0 {
		t.Errorf("the review pages break the Content-Security-Policy: %v", v)
	}

	// Offline, the queues last loaded stay readable, marked with their age.
	jo.WaitOfflineReady()
	jo.SetOffline(true)
	jo.Open(srv.URL + "/review")
	reviewWaitText(t, jo, ".review-offline", "you are offline")
	if got := e2e.Eval[string](jo, `document.querySelector(".review-offline").innerText`); !strings.HasPrefix(got, "Last loaded ") {
		t.Errorf("the offline line says %q, want how old the queues are", got)
	}
	reviewWaitText(t, jo, "main", overdue.What)
	jo.Screenshot(filepath.Join(artifacts, "review-6-offline.png"))
	jo.SetOffline(false)
}

// reviewHomeHas reports whether the home page lists a promise saying what.
func reviewHomeHas(b *e2e.Browser, what string) bool {
	return e2e.Eval[bool](b, fmt.Sprintf(`document.querySelector("main").innerText.includes(%q)`, what))
}

// reviewScrollTo scrolls the list item saying text into view, for a
// screenshot that shows it.
func reviewScrollTo(b *e2e.Browser, text string) {
	e2e.Eval[bool](b, fmt.Sprintf(`(() => {
		const li = [...document.querySelectorAll("main li")].find(e => e.innerText.includes(%q));
		if (li) { li.scrollIntoView({block: "start"}); window.scrollBy(0, -72); } // clear the sticky header
		return !!li;
	})()`, text))
}

// reviewArtifacts returns the git-ignored folder for screenshots.
func reviewArtifacts(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(e2e.RepoRoot(t), "test-artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// reviewTenancy is the ID of a demo tenancy.
func reviewTenancy(ref string) string { return demo.TenancyID(ref) }

// reviewPhone is an officer's device as the API sees it.
type reviewPhone struct {
	client *remote.Client
	s      housing.Session
	next   int64
}

func reviewSignIn(t *testing.T, base, username string) *reviewPhone {
	t.Helper()
	c := &remote.Client{BaseURL: base}
	s, err := c.SignIn(context.Background(), housing.SignIn{Username: username, Password: demo.Password, DeviceName: username + " test phone"})
	if err != nil {
		t.Fatalf("sign in %s: %v", username, err)
	}
	return &reviewPhone{client: c, s: s, next: 1}
}

// reviewPromise makes a tenancy management promise on the phone's officer's
// behalf and syncs it.
func reviewPromise(t *testing.T, ctx context.Context, ph *reviewPhone, tenancyID, site, what string, due housing.Date) housing.Commitment {
	t.Helper()
	c := housing.Commitment{
		ID: uuid.Must(uuid.NewV7()).String(), TenancyID: tenancyID, SiteID: site, MadeBy: ph.s.Officer.ID,
		MadeByName: ph.s.Officer.Name, FunctionID: housing.FunctionTenancy, What: what, DueDate: due, Token: housing.NewToken(),
	}
	data, _ := json.Marshal(c)
	resp, err := ph.client.Sync(ctx, housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: ph.s.DeviceID, Mutations: []housing.Mutation{
		{Seq: ph.next, Kind: housing.KindCommitmentMake, RecordID: c.ID, HappenedAt: time.Now().UTC(), Data: data},
	}})
	if err != nil || len(resp.Results) != 1 || resp.Results[0].Status != housing.ResultApplied {
		t.Fatalf("make %q: %v %+v", what, err, resp.Results)
	}
	ph.next++
	return c
}

var reviewCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// reviewTenantSays answers on the tenant's page as the tenant's phone would:
// open the link, press a button of its form.
func reviewTenantSays(t *testing.T, base, token, answer string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	res, err := hc.Get(base + housing.TenantPath(token))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := reviewCSRF.FindSubmatch(page)
	if m == nil {
		t.Fatalf("the tenant page has no form:\n%s", page)
	}
	res, err = hc.PostForm(base+housing.TenantPath(token), url.Values{"csrf": {string(m[1])}, "answer": {answer}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("tenant answers %s: got %d", answer, res.StatusCode)
	}
}

// reviewBrowserSignIn signs in on the app's own page and waits for home
// and the first sync.
func reviewBrowserSignIn(t *testing.T, b *e2e.Browser, base, username string) {
	t.Helper()
	b.Open(base + "/signin")
	b.Do(
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password),
		chromedp.Click(chromedp.CSS(`.signin-form button[type="submit"]`)),
	)
	reviewWaitText(t, b, "main h1", "Today")
	// The first sync brings the officer's scope to the phone: a promise
	// must be on the phone before anyone can act on it there.
	reviewWaitText(t, b, ".sync-badge", "Synced")
}

// reviewShowQueue presses the count button of the queue whose label starts
// with label.
func reviewShowQueue(t *testing.T, b *e2e.Browser, label string) {
	t.Helper()
	ok := e2e.Eval[bool](b, fmt.Sprintf(`(() => {
		const q = [...document.querySelectorAll(".review-count")].find(e => e.querySelector(".review-count-label").innerText.startsWith(%q));
		if (!q) return false;
		q.click();
		return true;
	})()`, label))
	if !ok {
		t.Fatalf("no queue called %q", label)
	}
}

// reviewRowText is the text of the queue row of commitment id.
func reviewRowText(b *e2e.Browser, id string) string {
	return e2e.Eval[string](b, fmt.Sprintf(`(() => {
		const a = document.querySelector('[aria-controls="act-%s"]') || document.querySelector('#act-%s');
		const li = a && a.closest("li");
		return li ? li.innerText : "";
	})()`, id, id))
}

// reviewChoose picks value in a select as a person would, once the select
// offers it: the change event is what the page listens to.
func reviewChoose(t *testing.T, b *e2e.Browser, selector, value string) {
	t.Helper()
	pick := fmt.Sprintf(`(() => {
		const s = document.querySelector(%q);
		if (!s || ![...s.options].some(o => o.value === %q)) return false;
		s.value = %q;
		s.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`, selector, value, value)
	deadline := time.Now().Add(e2e.StepTimeout)
	for !e2e.Eval[bool](b, pick) {
		if time.Now().After(deadline) {
			t.Fatalf("no option %q in %s", value, selector)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// reviewWaitText waits until the element's text contains want.
func reviewWaitText(t *testing.T, b *e2e.Browser, selector, want string) {
	t.Helper()
	deadline := time.Now().Add(e2e.StepTimeout)
	text := fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText`, selector)
	for !strings.Contains(e2e.Eval[string](b, text), want) {
		if time.Now().After(deadline) {
			t.Fatalf("%s never said %q; it says %q", selector, want, e2e.Eval[string](b, text))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// reviewEventually polls cond until it holds, failing the test after twice
// the harness's step timeout: sync runs on the phone's own schedule.
func reviewEventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * e2e.StepTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// reviewServerCommitment finds commitment id in the queues the server
// gives the holder of token.
func reviewServerCommitment(t *testing.T, base, token, id string) (housing.Commitment, bool) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/review/queues", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var q housing.Queues
	if err := json.NewDecoder(res.Body).Decode(&q); err != nil {
		t.Fatalf("decode queues: %v", err)
	}
	for _, it := range q.Items {
		if it.Commitment.ID == id {
			return it.Commitment, true
		}
	}
	return housing.Commitment{}, false
}
