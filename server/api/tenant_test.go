package api_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"doorstep/server/api"
	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// tenantSite is a real server with the tenant pages over a SQLite file that
// holds the contract fixture, and one promise tom made at riv1.
type tenantSite struct {
	t     *testing.T
	srv   *httptest.Server
	db    *store
	tom   *synctest.Device
	rita  *synctest.Device
	c     housing.Commitment
	token string
}

func newTenantSite(t *testing.T) *tenantSite {
	t.Helper()
	sdb, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sdb.Close() })
	db := newStore(sdb)
	fx := synctest.Seed(t, db.SQL())
	svc := &sqlite.SyncService{DB: db.DB}
	s := newServer(t, api.Config{Services: api.Services{Tenants: db.TenantService, TenantKey: []byte("test key: 32 bytes of anything..")}})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	ts := &tenantSite{t: t, srv: srv, db: db,
		tom:  synctest.NewDevice(t, svc, fx, "tom", "tom-phone"),
		rita: synctest.NewDevice(t, svc, fx, "rita", "rita-phone")}
	ts.c, ts.token = ts.makePromise(fx)
	return ts
}

func (ts *tenantSite) makePromise(fx synctest.Fixture) (housing.Commitment, string) {
	c := synctest.NewCommitment(ts.tom.P, fx.Tenancies["riv1"], housing.FunctionRepairs)
	resp := ts.tom.Push(ts.tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c))
	if r := resp.Results[0]; r.Status != housing.ResultApplied {
		ts.t.Fatalf("make promise: got %+v", r)
	}
	return c, c.Token
}

// complete has rita's repairs team mark the promise done.
func (ts *tenantSite) complete(id string) {
	resp := ts.rita.Push(ts.rita.Mutation(housing.KindCommitmentComplete, id, 0, housing.CommitmentAction{}))
	if r := resp.Results[0]; r.Status != housing.ResultApplied {
		ts.t.Fatalf("complete: got %+v", r)
	}
}

// tenant is one phone's browser: it keeps cookies and follows redirects.
type tenant struct {
	t  *testing.T
	hc *http.Client
	ts *tenantSite
}

func (ts *tenantSite) tenant() *tenant {
	jar, _ := cookiejar.New(nil)
	return &tenant{t: ts.t, ts: ts, hc: &http.Client{Jar: jar}}
}

func (tn *tenant) get(path string) (*http.Response, string) {
	tn.t.Helper()
	res, err := tn.hc.Get(tn.ts.srv.URL + path)
	if err != nil {
		tn.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var formField = regexp.MustCompile(`name="(csrf|fid)" value="([^"]+)"`)

// answer opens the page, then posts the form with the given fields, as a
// tenant pressing a button does.
func (tn *tenant) answer(fields url.Values) (*http.Response, string) {
	tn.t.Helper()
	_, page := tn.get(housing.TenantPath(tn.ts.token))
	for _, m := range formField.FindAllStringSubmatch(page, -1) {
		if fields.Get(m[1]) == "" {
			fields.Set(m[1], m[2])
		}
	}
	return tn.post(housing.TenantPath(tn.ts.token), fields)
}

func (tn *tenant) post(path string, fields url.Values) (*http.Response, string) {
	tn.t.Helper()
	res, err := tn.hc.PostForm(tn.ts.srv.URL+path, fields)
	if err != nil {
		tn.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (ts *tenantSite) commitment() housing.Commitment {
	ts.t.Helper()
	v, err := ts.db.TenantCommitment(context.Background(), ts.token)
	if err != nil {
		ts.t.Fatal(err)
	}
	return v.Commitment
}

func (ts *tenantSite) count(table string) int {
	ts.t.Helper()
	var n int
	if err := ts.db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		ts.t.Fatal(err)
	}
	return n
}

func TestTenantPage(t *testing.T) {
	ts := newTenantSite(t)
	tn := ts.tenant()
	res, body := tn.get(housing.TenantPath(ts.token))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("got status %d, want 200", res.StatusCode)
	}
	for _, want := range []string{"Fix the kitchen tap", "The repairs team", "Tom,", "1 River Walk", "Fri 4 Dec 2026", "Is this what you agreed?"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, leak := range []string{"Khan", "Leeds", "LS1", "Okafor", "<script"} {
		if strings.Contains(body, leak) {
			t.Errorf("page shows %q: a tenant page shows the first line of the address and the officer's first name only, and no script", leak)
		}
	}
	if n := len(body); n > 20*1024 {
		t.Errorf("page weighs %d bytes, over the 20 KB budget", n)
	}
	t.Logf("tenant page weight: %d bytes uncompressed", len(body))
	wantTenantHeaders(t, res)
}

// wantTenantHeaders checks that an answer of the tenant routes, a refusal
// too, is a private page: no referrer, no index, no cache, no script.
func wantTenantHeaders(t *testing.T, res *http.Response) {
	t.Helper()
	for header, want := range map[string]string{
		"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex", "Cache-Control": "no-store",
		"Content-Security-Policy": "default-src 'none'", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
		"Content-Type": "text/html",
	} {
		if got := res.Header.Get(header); !strings.Contains(got, want) {
			t.Errorf("got %s %q, want it to hold %q", header, got, want)
		}
	}
}

func TestTenantAnswers(t *testing.T) {
	t.Run("ConfirmThenReplay", func(t *testing.T) {
		ts := newTenantSite(t)
		tn := ts.tenant()
		changes := ts.count("changes")
		res, body := tn.answer(url.Values{"answer": {housing.TenantAgreed}})
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Thank you. We have recorded that this is what you agreed.") {
			t.Fatalf("got status %d and no thanks; body %q", res.StatusCode, body)
		}
		if got := ts.commitment().TenantAgreement; got != housing.TenantAgreed {
			t.Fatalf("got tenant agreement %q, want agreed", got)
		}
		if got := ts.count("changes"); got != changes+1 {
			t.Errorf("got %d new changes, want 1: the answer reaches phones through the change log", got-changes)
		}
		events := len(ts.commitment().History)
		tn.answer(url.Values{"answer": {housing.TenantAgreed}})
		if got := len(ts.commitment().History); got != events {
			t.Errorf("a replayed answer added %d events, want none", got-events)
		}
		if got := ts.count("changes"); got != changes+1 {
			t.Errorf("a replayed answer logged %d more changes, want none", got-changes-1)
		}
		// The officer's phone hears of it by sync.
		ts.tom.PullAll()
		if !strings.Contains(string(ts.tom.Records["commitment/"+ts.c.ID]), `"tenant_agreement":"agreed"`) {
			t.Errorf("tom's phone got %s, want the tenant's agreement", ts.tom.Records["commitment/"+ts.c.ID])
		}
	})
	t.Run("AnsweredPageShowsTheAnswer", func(t *testing.T) {
		ts := newTenantSite(t)
		tn := ts.tenant()
		_, body := tn.answer(url.Values{"answer": {housing.TenantAgreed}})
		_, page := tn.get(housing.TenantPath(ts.token)) // opened again later, without the thanks
		for _, p := range []string{body, page} {
			for _, gone := range []string{"Is this what you agreed?", `value="agreed"`} {
				if strings.Contains(p, gone) {
					t.Errorf("after agreeing the page still shows %q", gone)
				}
			}
			today := housing.LocalDate(time.Now()).Human()
			for _, want := range []string{"You told us this is what you agreed on " + today + " at ", "What happens next",
				"The repairs team will do it by Fri 4 Dec 2026", "Change your answer", `value="not_agreed"`} {
				if !strings.Contains(p, want) {
					t.Errorf("after agreeing the page lacks %q", want)
				}
			}
		}
		// Changing the answer works from that page, and the page follows.
		_, body = tn.answer(url.Values{"answer": {housing.TenantNotAgreed}, "comment": {"It was the bathroom tap"}})
		if got := ts.commitment().TenantAgreement; got != housing.TenantNotAgreed {
			t.Fatalf("after changing the answer: got %q, want not_agreed", got)
		}
		for _, want := range []string{"You told us this is not what you agreed on ", "It was the bathroom tap", "A manager will look at this promise", `value="agreed"`} {
			if !strings.Contains(body, want) {
				t.Errorf("after changing the answer the page lacks %q", want)
			}
		}
		if n := len(body); n > 20*1024 {
			t.Errorf("the answered page weighs %d bytes, over the 20 KB budget", n)
		}
	})
	t.Run("DoneAnsweredPage", func(t *testing.T) {
		ts := newTenantSite(t)
		ts.complete(ts.c.ID)
		tn := ts.tenant()
		_, body := tn.answer(url.Values{"answer": {housing.TenantDone}})
		if strings.Contains(body, "Was it done?") || strings.Contains(body, `value="done"`) {
			t.Errorf("after confirming it was done the page still asks")
		}
		for _, want := range []string{"You told us it was done on ", "Nothing more is needed", `value="not_done"`} {
			if !strings.Contains(body, want) {
				t.Errorf("after confirming it was done the page lacks %q", want)
			}
		}
	})
	t.Run("Dispute", func(t *testing.T) {
		ts := newTenantSite(t)
		res, body := ts.tenant().answer(url.Values{"answer": {housing.TenantNotAgreed}, "comment": {"It was the bathroom tap"}})
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "A manager will look at this promise") {
			t.Fatalf("got status %d; body %q", res.StatusCode, body)
		}
		c := ts.commitment()
		if c.TenantAgreement != housing.TenantNotAgreed || c.History[len(c.History)-1].Note != "It was the bathroom tap" {
			t.Fatalf("got agreement %q and last event %+v, want not_agreed with the comment", c.TenantAgreement, c.History[len(c.History)-1])
		}
	})
	t.Run("DoneBeforeItIsMarkedDone", func(t *testing.T) {
		ts := newTenantSite(t)
		res, _ := ts.tenant().post(housing.TenantPath(ts.token), nil)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("got %d, want 403 for a post without the form's token", res.StatusCode)
		}
		res, body := ts.tenant().answer(url.Values{"answer": {housing.TenantDone}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "has not been marked done yet") {
			t.Fatalf("got status %d; body %q", res.StatusCode, body)
		}
		if got := ts.commitment().Status; got != housing.StatusOpen {
			t.Errorf("got status %s, want open", got)
		}
	})
	t.Run("DoneKeeps", func(t *testing.T) {
		ts := newTenantSite(t)
		ts.complete(ts.c.ID)
		tn := ts.tenant()
		_, page := tn.get(housing.TenantPath(ts.token))
		if !strings.Contains(page, "Was it done?") {
			t.Fatalf("page for a done promise does not ask whether it was done")
		}
		tn.answer(url.Values{"answer": {housing.TenantDone}})
		if got := ts.commitment().Status; got != housing.StatusKept {
			t.Fatalf("got status %s, want kept", got)
		}
	})
	t.Run("NotDoneDisputes", func(t *testing.T) {
		ts := newTenantSite(t)
		ts.complete(ts.c.ID)
		ts.tenant().answer(url.Values{"answer": {housing.TenantNotDone}, "comment": {"Still dripping"}})
		if got := ts.commitment().Status; got != housing.StatusDisputed {
			t.Fatalf("got status %s, want disputed", got)
		}
	})
	t.Run("FeedbackOnceEvenIfReposted", func(t *testing.T) {
		ts := newTenantSite(t)
		tn := ts.tenant()
		_, page := tn.get(housing.TenantPath(ts.token))
		fields := url.Values{"answer": {"feedback"}, "TP01": {string(housing.FairlySatisfied)}, "comment": {"Quick and polite"}}
		for _, m := range formField.FindAllStringSubmatch(page, -1) {
			if fields.Get(m[1]) == "" {
				fields.Set(m[1], m[2])
			}
		}
		for i := 0; i < 2; i++ {
			if res, _ := tn.post(housing.TenantPath(ts.token), fields); res.StatusCode != http.StatusOK {
				t.Fatalf("post #%d: got %d", i+1, res.StatusCode)
			}
		}
		if got := ts.count("feedback"); got != 1 {
			t.Errorf("got %d feedback rows after a re-posted form, want 1", got)
		}
	})
	t.Run("LaterFeedbackReplaces", func(t *testing.T) {
		ts := newTenantSite(t)
		tn := ts.tenant()
		ts.tom.PullAll()
		changes := ts.count("changes")
		ratings := []housing.Rating{housing.VeryDissatisfied, housing.FairlySatisfied, housing.VerySatisfied}
		// Eight answers (three requests each) stay under the link's rate limit.
		const n = 8
		for i := range n {
			// Each post comes from a freshly opened page, with a new feedback ID.
			r := ratings[i%len(ratings)]
			if res, _ := tn.answer(url.Values{"answer": {"feedback"}, "TP01": {string(r)}, "comment": {"Answer " + strconv.Itoa(i+1)}}); res.StatusCode != http.StatusOK {
				t.Fatalf("post #%d: got %d", i+1, res.StatusCode)
			}
		}
		if got := ts.count("feedback"); got != 1 {
			t.Fatalf("got %d feedback rows after %d answers through one link, want 1", got, n)
		}
		if _, page := tn.get(housing.TenantPath(ts.token)); !strings.Contains(page, "your new answers replace the earlier ones") {
			t.Errorf("the feedback form does not say that sending again replaces the earlier answers")
		}
		if got := ts.count("feedback_answers"); got != 1 {
			t.Errorf("got %d stored ratings, want 1", got)
		}
		var rating, comment string
		if err := ts.db.SQL().QueryRow(`SELECT a.rating, f.comment FROM feedback f JOIN feedback_answers a ON a.feedback_id = f.id`).Scan(&rating, &comment); err != nil {
			t.Fatal(err)
		}
		last := "Answer " + strconv.Itoa(n)
		if want := string(ratings[(n-1)%len(ratings)]); rating != want || comment != last {
			t.Errorf("stored %q %q, want the last answer: %q %q", rating, comment, want, last)
		}
		if got := ts.count("changes") - changes; got != n {
			t.Errorf("got %d changes logged, want %d: the first answer and each replacement", got, n)
		}
		// The officer's phone holds one feedback record, in its latest form.
		ts.tom.PullAll()
		var held []string
		for key, raw := range ts.tom.Records {
			if strings.HasPrefix(key, housing.RecordFeedback+"/") {
				held = append(held, string(raw))
			}
		}
		if len(held) != 1 || !strings.Contains(held[0], `"comment":"`+last+`"`) {
			t.Errorf("tom's phone holds %d feedback records %v, want one saying %s", len(held), held, last)
		}
		// The same answer again changes nothing.
		tn.answer(url.Values{"answer": {"feedback"}, "TP01": {rating}, "comment": {last}})
		if got := ts.count("changes") - changes; got != n {
			t.Errorf("repeating the last answer logged %d more changes, want none", got-n)
		}
	})
}

func TestTenantCSRF(t *testing.T) {
	ts := newTenantSite(t)
	tn := ts.tenant()
	_, page := tn.get(housing.TenantPath(ts.token))
	csrf := formField.FindStringSubmatch(page)[2]
	tests := []struct {
		name   string
		client *http.Client
		fields url.Values
	}{
		{"NoToken", tn.hc, url.Values{"answer": {housing.TenantNotAgreed}}},
		{"WrongToken", tn.hc, url.Values{"answer": {housing.TenantNotAgreed}, "csrf": {"forged"}}},
		// Another site can copy a form token but cannot send the tenant's
		// cookie with it.
		{"TokenWithoutCookie", http.DefaultClient, url.Values{"answer": {housing.TenantNotAgreed}, "csrf": {csrf}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.client.PostForm(ts.srv.URL+housing.TenantPath(ts.token), tt.fields)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("got %d, want 403", res.StatusCode)
			}
			wantTenantHeaders(t, res)
			for _, want := range []string{"This form has expired", `<a href="">Open the page again</a>`} {
				if !strings.Contains(string(body), want) {
					t.Errorf("the refusal reads %q, want it to hold %q", body, want)
				}
			}
			if got := ts.commitment().TenantAgreement; got != "" {
				t.Errorf("got agreement %q recorded, want nothing changed", got)
			}
		})
	}
}

func TestTenantUnknownLinks(t *testing.T) {
	ts := newTenantSite(t)
	tn := ts.tenant()
	_, waiting := tn.get(housing.TenantPath(housing.NewToken()))
	if !strings.Contains(waiting, "once your housing officer&rsquo;s phone is back online") && !strings.Contains(waiting, "back online") {
		t.Fatalf("a not-yet-synced token got %q, want the friendly waiting page", waiting)
	}
	for _, tc := range []struct{ name, path string }{
		{"Malformed", "/t/not-a-token"},
		{"TooLong", "/t/" + strings.Repeat("A", 200)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := tn.get(tc.path)
			if res.StatusCode != http.StatusOK || body != waiting {
				t.Errorf("got status %d and a different page, want exactly the not-yet-synced page", res.StatusCode)
			}
		})
	}
	t.Run("Expired", func(t *testing.T) {
		ts.complete(ts.c.ID)
		tn.answer(url.Values{"answer": {housing.TenantDone}})
		if res, body := tn.get(housing.TenantPath(ts.token)); res.StatusCode != http.StatusOK || body == waiting {
			t.Fatalf("a kept promise's link stopped at once; want it to work until it expires")
		}
		ts.db.Now = func() time.Time { return time.Now().Add(housing.TenantLinkLifetime + 24*time.Hour) }
		if _, body := tn.get(housing.TenantPath(ts.token)); body != waiting {
			t.Errorf("an expired link shows the promise; want the not-yet-synced page")
		}
	})
}

func TestTenantRateLimit(t *testing.T) {
	ts := newTenantSite(t)
	tn := ts.tenant()
	limited := 0
	for i := 0; i < 60; i++ {
		res, body := tn.get(housing.TenantPath(housing.NewToken()))
		if res.StatusCode == http.StatusTooManyRequests {
			limited++
			if got := res.Header.Get("Retry-After"); got != "60" {
				t.Errorf("a 429 with Retry-After %q, want 60, as its page says a minute", got)
			}
			if limited == 1 {
				wantTenantHeaders(t, res)
				if !strings.Contains(body, "Please wait a minute") {
					t.Errorf("the 429 page reads %q, want it to say to wait a minute", body)
				}
			}
		}
	}
	if limited == 0 {
		t.Fatalf("60 quick requests from one address were never limited")
	}
}
