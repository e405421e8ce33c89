package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"doorstep/app/remote"
	"doorstep/server/api"
	"doorstep/server/demo"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// TestLogKeepsNoSecrets runs the whole tenant path as server/run.go wires
// the server: an officer signs in and makes a promise with a tenant link,
// the tenant opens it, answers, gives feedback and mistypes the link; then
// the request log must hold no link token, session token, form token or
// password, from paths, query strings or errors alike.
func TestLogKeepsNoSecrets(t *testing.T) {
	ctx := context.Background()
	db := openDemoDB(t)
	const password, wrongPassword, typedPassword = "Tangerine-Lighthouse-4417", "Guessed-Wrongly-9902", "Marmalade-Sky-2260"
	longName := strings.Repeat("a", 5000) + ".css"
	sarah, err := db.OfficerByUsername(ctx, "sarah")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetPassword(ctx, housing.Principal{}, sarah.ID, password); err != nil {
		t.Fatal(err)
	}
	log := &syncBuffer{}
	s, err := api.New(api.Config{WebDir: newWebDir(t), Log: slog.New(slog.NewTextHandler(log, nil)), Services: api.Services{
		Sessions: db.SessionService, Officers: db.OfficerService, Sync: &sqlite.SyncService{DB: db.DB}, Tenants: db.TenantService,
		TenantKey: []byte("test key: 32 bytes of anything.."),
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)

	// The officer signs in (once wrongly) and makes the promise.
	phone := remote.Client{BaseURL: srv.URL}
	if _, err := phone.SignIn(ctx, housing.SignIn{Username: "sarah", Password: wrongPassword, DeviceName: "Work phone"}); err == nil {
		t.Fatal("a wrong password signed in")
	}
	session, err := phone.SignIn(ctx, housing.SignIn{Username: "sarah", Password: password, DeviceName: "Work phone"})
	if err != nil {
		t.Fatal(err)
	}
	c := housing.Commitment{
		ID: uuid.Must(uuid.NewV7()).String(), TenancyID: demo.TenancyID("RIV-00003"), SiteID: "riverside",
		MadeBy: sarah.ID, MadeByName: sarah.Name, FunctionID: housing.FunctionRepairs, What: "Replace the extractor fan",
		DueDate: housing.AddWorkingDays(housing.DateOf(time.Now()), 5), Token: housing.NewToken(),
	}
	data, _ := json.Marshal(c)
	resp, err := phone.Sync(ctx, housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: session.DeviceID, Mutations: []housing.Mutation{
		{Seq: 1, Kind: housing.KindCommitmentMake, RecordID: c.ID, HappenedAt: time.Now().UTC(), Data: data}}})
	if err != nil || resp.Results[0].Status != housing.ResultApplied {
		t.Fatalf("make promise: %+v, %v", resp.Results, err)
	}

	// The tenant opens the link, answers, gives feedback, and mistypes it.
	jar, _ := cookiejar.New(nil)
	tenant := &http.Client{Jar: jar}
	link := srv.URL + housing.TenantPath(c.Token)
	send := func(method, target string, form url.Values) string {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, target, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req.Header.Set("Accept", "text/html")
		res, err := tenant.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 500 {
			t.Errorf("%s %s: got %d", method, target, res.StatusCode)
		}
		return string(b)
	}
	page := send(http.MethodGet, link, nil)
	fields := url.Values{}
	for _, m := range formField.FindAllStringSubmatch(page, -1) {
		fields.Set(m[1], m[2])
	}
	csrf := fields.Get("csrf")
	if csrf == "" {
		t.Fatalf("the tenant page has no form token:\n%s", page)
	}
	var cookieSeed string
	for _, ck := range jar.Cookies(&url.URL{Scheme: "http", Host: strings.TrimPrefix(srv.URL, "http://"), Path: "/t/"}) {
		cookieSeed = ck.Value
	}
	send(http.MethodPost, link, url.Values{"csrf": {csrf}, "answer": {housing.TenantAgreed}})
	send(http.MethodPost, link, url.Values{"csrf": {csrf}, "answer": {"feedback"}, "fid": {fields.Get("fid")}, "TP01": {string(housing.FairlySatisfied)}})
	send(http.MethodPost, link, url.Values{"answer": {housing.TenantNotAgreed}}) // no form token: 403
	send(http.MethodGet, link+"?ok=agreed&token="+c.Token, nil)
	send(http.MethodGet, link+"/", nil)
	send(http.MethodGet, link+"/extra", nil)
	send(http.MethodPut, link, nil)
	send(http.MethodDelete, link+"/extra", nil)
	send(http.MethodHead, link, nil)
	send(http.MethodGet, srv.URL+"/visits?token="+c.Token+"&password="+password, nil)
	send(http.MethodGet, srv.URL+"/api/v1/nothing?token="+session.Token, nil)
	// A link mistyped or mangled on its way (a doubled slash, a dot
	// segment, a capital T, another letter) still holds the token.
	for _, p := range []string{"//t/", "/./t/", "/T/", "/x/", "/web/", "/api/v1/t/", "/t//", "/tenancies/x/"} {
		send(http.MethodGet, srv.URL+p+c.Token, nil)
		send(http.MethodPost, srv.URL+p+c.Token+"/more", nil)
	}
	send(http.MethodGet, srv.URL+"/web/"+longName, nil)
	send(http.MethodGet, srv.URL+"/no-such-page", nil)
	// A password typed into the username box.
	if _, err := phone.SignIn(ctx, housing.SignIn{Username: typedPassword, Password: wrongPassword, DeviceName: "Work phone"}); err == nil {
		t.Fatal("a password as the username signed in")
	}

	out := log.String()
	if !strings.Contains(out, "path=/t/:token") {
		t.Fatalf("the log has no tenant page request under its route pattern:\n%s", out)
	}
	// The log tells the truth about the status, even of a page go-app
	// answers, and bounds what an unmatched path puts in it.
	if !strings.Contains(out, "path=/no-such-page status=404") {
		t.Errorf("the log does not show /no-such-page answered 404:\n%s", out)
	}
	if strings.Contains(out, longName[:300]) {
		t.Errorf("the log holds a 5,000-character path whole")
	}
	for what, secret := range map[string]string{
		"the tenant link token": c.Token, "its hash": housing.HashToken(c.Token), "the session token": session.Token,
		"the password": password, "the wrong password": wrongPassword, "a password typed as the username": typedPassword, "the form token": csrf, "the form cookie": cookieSeed,
	} {
		if secret == "" {
			t.Errorf("%s is empty: the test did not see it", what)
			continue
		}
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %s:\n%s", what, out)
		}
	}
}
