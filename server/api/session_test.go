package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"doorstep/app/remote"
	"doorstep/server/api"
	"doorstep/server/demo"
	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// These tests drive the account routes through the real echo server, its
// error handler and a real SQLite file with the demo landlord, with real
// tokens from real sign-ins.

// accounts is a running server with the demo landlord, a settable clock
// and the log it wrote.
type accounts struct {
	t   *testing.T
	url string
	db  *store
	now time.Time
	log *syncBuffer
}

// syncBuffer is a log buffer safe to write from the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newAccounts starts the server as server/run.go wires it, over a fresh
// database with the demo landlord.
func newAccounts(t *testing.T) *accounts {
	t.Helper()
	db := openDemoDB(t)
	a := &accounts{t: t, db: db, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), log: &syncBuffer{}}
	db.Now = func() time.Time { return a.now }

	srv, err := api.New(api.Config{
		WebDir:   t.TempDir(),
		Log:      slog.New(slog.NewTextHandler(a.log, nil)),
		Services: api.Services{Sessions: db.SessionService, Officers: db.OfficerService, Sync: &sqlite.SyncService{DB: db.DB}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	a.url = ts.URL
	return a
}

// call sends a JSON request with an optional bearer token and returns the
// response with its body read.
func (a *accounts) call(method, path, token string, body any) (*http.Response, []byte) {
	a.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			a.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.url+path, r)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return res, data
}

// signIn signs a demo user in on a new device and returns the session.
func (a *accounts) signIn(user string) housing.Session {
	a.t.Helper()
	res, data := a.call(http.MethodPost, api.SessionPath, "", housing.SignIn{Username: user, Password: demo.Password, DeviceName: "Work phone"})
	if res.StatusCode != http.StatusCreated {
		a.t.Fatalf("sign in as %s: got %s %s, want 201", user, res.Status, data)
	}
	var s housing.Session
	if err := json.Unmarshal(data, &s); err != nil {
		a.t.Fatal(err)
	}
	return s
}

// wantSignedOut checks that token no longer opens any route: GET /sessions
// relies on the session check alone, and GET /me also looks the session up.
func (a *accounts) wantSignedOut(token string) {
	a.t.Helper()
	for _, path := range []string{api.SessionsPath, api.MePath} {
		res, data := a.call(http.MethodGet, path, token, nil)
		wantError(a.t, res, data, http.StatusUnauthorized, housing.CodeUnauthorized)
	}
}

// wantError checks an answer is the JSON error {"code","message"} with
// status and code, and with nothing else but the field it is about, if
// any (wantField checks which); it returns its message.
func wantError(t *testing.T, res *http.Response, data []byte, status int, code string) string {
	t.Helper()
	var e map[string]string
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatalf("got body %q, want a JSON error", data)
	}
	fields := 2
	if _, ok := e["field"]; ok {
		fields++
	}
	if res.StatusCode != status || e["code"] != code || e["message"] == "" || len(e) != fields || (fields == 3 && e["field"] == "") {
		t.Fatalf("got %s %s, want %d {code: %q, message, field?}", res.Status, data, status, code)
	}
	return e["message"]
}

// wantField checks that the JSON error in data names field.
func wantField(t *testing.T, data []byte, field string) {
	t.Helper()
	var e housing.ErrorBody
	if err := json.Unmarshal(data, &e); err != nil || e.Field != field {
		t.Fatalf("got %s, want an error about %q", data, field)
	}
}

func TestSignInAPI(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		a := newAccounts(t)
		s := a.signIn("sarah")
		if !housing.ValidToken(s.Token) || s.Officer.Username != "sarah" || s.Officer.Role != housing.RoleOfficer {
			t.Fatalf("got session %+v", s)
		}
		res, data := a.call(http.MethodGet, api.MePath, s.Token, nil)
		var me housing.Session
		if res.StatusCode != http.StatusOK || json.Unmarshal(data, &me) != nil {
			t.Fatalf("GET /me: got %s %s", res.Status, data)
		}
		if me.ID != s.ID || me.Officer.Username != "sarah" || me.DeviceID != s.DeviceID || me.Token != "" {
			t.Fatalf("GET /me: got %+v, want sarah's session without its token", me)
		}
	})

	t.Run("TokensStoredAsHashes", func(t *testing.T) {
		a := newAccounts(t)
		tokens := []string{a.signIn("sarah").Token, a.signIn("tom").Token}
		rows, err := a.db.SQL().Query(`SELECT * FROM sessions`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var hashes []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				text := toText(v)
				for _, tok := range tokens {
					if strings.Contains(text, tok) {
						t.Fatalf("column %s holds a plaintext token", cols[i])
					}
				}
				if cols[i] == "token_hash" {
					hashes = append(hashes, text)
				}
			}
		}
		if len(hashes) != 2 || !(hashes[0] == housing.HashToken(tokens[0]) || hashes[1] == housing.HashToken(tokens[0])) {
			t.Fatalf("got token hashes %q, want the SHA-256 of each token", hashes)
		}
	})

	t.Run("ErrWrongPasswordThenDelayed", func(t *testing.T) {
		a := newAccounts(t)
		wrong := housing.SignIn{Username: "tom", Password: "password1", DeviceName: "Work phone"}
		for i := 0; i < sqlite.FreeSignInFailures; i++ {
			res, data := a.call(http.MethodPost, api.SessionPath, "", wrong)
			if msg := wantError(t, res, data, http.StatusUnauthorized, housing.CodeUnauthorized); msg != "Wrong username or password." {
				t.Fatalf("attempt %d: got message %q", i+1, msg)
			}
		}
		for _, pw := range []string{"password1", demo.Password} {
			res, data := a.call(http.MethodPost, api.SessionPath, "", housing.SignIn{Username: "tom", Password: pw})
			msg := wantError(t, res, data, http.StatusTooManyRequests, housing.CodeRateLimited)
			if !strings.HasPrefix(msg, "Too many wrong passwords for this account. Wait 2 seconds") {
				t.Fatalf("got message %q, want it to say to wait", msg)
			}
			retry, err := strconv.Atoi(res.Header.Get("Retry-After"))
			if want := int(sqlite.FirstSignInDelay.Seconds()); err != nil || retry != want {
				t.Fatalf("got Retry-After %q, want %d", res.Header.Get("Retry-After"), want)
			}
		}
		// Another account is not delayed by tom's failures.
		a.signIn("sarah")

		a.now = a.now.Add(sqlite.FirstSignInDelay)
		a.signIn("tom")
	})

	t.Run("ErrAddressRateLimited", func(t *testing.T) {
		a := newAccounts(t)
		// Each attempt names another account, so only the address limit
		// can stop them.
		for i := 0; i < api.DefaultSignInBurst; i++ {
			res, data := a.call(http.MethodPost, api.SessionPath, "", housing.SignIn{Username: "user" + strconv.Itoa(i), Password: "guess"})
			wantError(t, res, data, http.StatusUnauthorized, housing.CodeUnauthorized)
		}
		res, data := a.call(http.MethodPost, api.SessionPath, "", housing.SignIn{Username: "sarah", Password: demo.Password})
		msg := wantError(t, res, data, http.StatusTooManyRequests, housing.CodeRateLimited)
		retry, err := strconv.Atoi(res.Header.Get("Retry-After"))
		if !strings.Contains(msg, "from this network") || err != nil || retry < 1 || retry > int(api.DefaultSignInEvery.Seconds()) {
			t.Fatalf("got %q with Retry-After %q, want the network limit and a few seconds", msg, res.Header.Get("Retry-After"))
		}
	})

	t.Run("ErrDisabledOfficer", func(t *testing.T) {
		a := newAccounts(t)
		if err := a.db.DisableOfficer(context.Background(), demo.OfficerID("kwame")); err != nil {
			t.Fatal(err)
		}
		res, data := a.call(http.MethodPost, api.SessionPath, "", housing.SignIn{Username: "kwame", Password: demo.Password})
		if msg := wantError(t, res, data, http.StatusUnauthorized, housing.CodeUnauthorized); !strings.Contains(msg, "switched off") {
			t.Fatalf("got message %q, want it to say the account is switched off", msg)
		}
	})

	t.Run("ErrBadBody", func(t *testing.T) {
		a := newAccounts(t)
		res, data := a.call(http.MethodPost, api.SessionPath, "", "not a sign-in")
		wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)
		res, data = a.call(http.MethodPost, api.SessionPath, "", housing.SignIn{Username: "sarah"})
		if msg := wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid); msg != "Enter your password." {
			t.Fatalf("got message %q", msg)
		}
	})

	t.Run("LogsNoSecrets", func(t *testing.T) {
		a := newAccounts(t)
		s := a.signIn("grace")
		a.call(http.MethodPost, api.SessionPath, "", housing.SignIn{Username: "grace", Password: "secret-guess-42"})
		log := a.log.String()
		// A failed sign-in logs nothing typed: the username box may hold a
		// password typed into the wrong field.
		if strings.Contains(log, "outcome=unauthorized username=") {
			t.Errorf("got log %q: a failed sign-in logged the typed username", log)
		}
		for _, want := range []string{"outcome=ok username=grace", "outcome=unauthorized address="} {
			if !strings.Contains(log, want) {
				t.Errorf("got log %q, want it to contain %q", log, want)
			}
		}
		for _, secret := range []string{demo.Password + " ", "secret-guess-42", s.Token, housing.HashToken(s.Token)} {
			if strings.Contains(log, secret) {
				t.Errorf("the log holds the secret %q", secret)
			}
		}
	})
}

func TestSessionsAPI(t *testing.T) {
	t.Run("RevokedTokenStopsAtOnce", func(t *testing.T) {
		a := newAccounts(t)
		phone, tablet := a.signIn("dan"), a.signIn("dan")
		res, data := a.call(http.MethodGet, api.SessionsPath, phone.Token, nil)
		var list struct{ Sessions []housing.Session }
		if res.StatusCode != http.StatusOK || json.Unmarshal(data, &list) != nil || len(list.Sessions) != 2 {
			t.Fatalf("GET /sessions: got %s %s, want dan's two devices", res.Status, data)
		}
		if bytes.Contains(data, []byte(`"token"`)) {
			t.Fatalf("GET /sessions: got %s, want no tokens", data)
		}
		if res, data := a.call(http.MethodDelete, api.SessionsPath+"/"+tablet.ID, phone.Token, nil); res.StatusCode != http.StatusNoContent {
			t.Fatalf("revoke: got %s %s, want 204", res.Status, data)
		}
		a.wantSignedOut(tablet.Token)
		if res, _ := a.call(http.MethodGet, api.MePath, phone.Token, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("the phone: got %s, want it still signed in", res.Status)
		}
	})

	t.Run("SignOut", func(t *testing.T) {
		a := newAccounts(t)
		s := a.signIn("owen")
		if res, data := a.call(http.MethodDelete, api.SessionPath, s.Token, nil); res.StatusCode != http.StatusNoContent {
			t.Fatalf("sign out: got %s %s, want 204", res.Status, data)
		}
		a.wantSignedOut(s.Token)
	})

	t.Run("ErrNoToken", func(t *testing.T) {
		a := newAccounts(t)
		for _, token := range []string{"", "not-a-token", housing.NewToken()} {
			res, data := a.call(http.MethodGet, api.MePath, token, nil)
			wantError(t, res, data, http.StatusUnauthorized, housing.CodeUnauthorized)
			if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Fatalf("got WWW-Authenticate %q, want Bearer", res.Header.Get("WWW-Authenticate"))
			}
		}
	})

	t.Run("ErrSomeoneElsesDevices", func(t *testing.T) {
		a := newAccounts(t)
		dan, sarah, admin := a.signIn("dan"), a.signIn("sarah"), a.signIn("admin")
		res, data := a.call(http.MethodGet, api.SessionsPath+"?officer="+dan.Officer.ID, sarah.Token, nil)
		wantError(t, res, data, http.StatusForbidden, housing.CodeForbidden)
		res, data = a.call(http.MethodDelete, api.SessionsPath+"/"+dan.ID, sarah.Token, nil)
		wantError(t, res, data, http.StatusForbidden, housing.CodeForbidden)

		if res, data := a.call(http.MethodGet, api.SessionsPath+"?officer="+dan.Officer.ID, admin.Token, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("admin lists dan's devices: got %s %s", res.Status, data)
		}
		if res, data := a.call(http.MethodDelete, api.SessionsPath+"/"+dan.ID, admin.Token, nil); res.StatusCode != http.StatusNoContent {
			t.Fatalf("admin revokes dan's device: got %s %s", res.Status, data)
		}
		a.wantSignedOut(dan.Token)
	})
}

func TestAdminAPI(t *testing.T) {
	a := newAccounts(t)
	sarah, jo, admin := a.signIn("sarah"), a.signIn("jo"), a.signIn("admin")

	t.Run("ErrNotAdmin", func(t *testing.T) {
		for _, s := range []housing.Session{sarah, jo} {
			res, data := a.call(http.MethodGet, api.UsersPath, s.Token, nil)
			wantError(t, res, data, http.StatusForbidden, housing.CodeForbidden)
			res, data = a.call(http.MethodPost, api.UsersPath, s.Token, housing.NewOfficer{Username: "mallory"})
			wantError(t, res, data, http.StatusForbidden, housing.CodeForbidden)
		}
		res, data := a.call(http.MethodGet, api.UsersPath, "", nil)
		wantError(t, res, data, http.StatusUnauthorized, housing.CodeUnauthorized)
	})

	t.Run("List", func(t *testing.T) {
		res, data := a.call(http.MethodGet, api.UsersPath, admin.Token, nil)
		var list struct{ Users []housing.Officer }
		if res.StatusCode != http.StatusOK || json.Unmarshal(data, &list) != nil || len(list.Users) != len(demo.Users) {
			t.Fatalf("got %s %s, want the %d demo users", res.Status, data, len(demo.Users))
		}
		if bytes.Contains(data, []byte("argon2")) {
			t.Fatalf("got %s, want no password hashes", data)
		}
	})

	t.Run("AddThenDisable", func(t *testing.T) {
		in := housing.NewOfficer{Username: "lena", Name: "Lena Novak", Role: housing.RoleOfficer,
			Sites: []string{"hollins"}, Functions: []string{"asb"}, Password: "blue kettle mornings"}
		res, data := a.call(http.MethodPost, api.UsersPath, admin.Token, in)
		var lena housing.Officer
		if res.StatusCode != http.StatusCreated || json.Unmarshal(data, &lena) != nil || lena.Username != "lena" {
			t.Fatalf("add: got %s %s", res.Status, data)
		}
		res, data = a.call(http.MethodPost, api.UsersPath, admin.Token, in)
		wantError(t, res, data, http.StatusConflict, housing.CodeConflict)

		res, data = a.call(http.MethodPost, api.SessionPath, "", housing.SignIn{Username: "lena", Password: in.Password})
		var s housing.Session
		if res.StatusCode != http.StatusCreated || json.Unmarshal(data, &s) != nil {
			t.Fatalf("lena signs in: got %s %s", res.Status, data)
		}

		res, data = a.call(http.MethodPost, api.UsersPath+"/"+lena.ID+"/disable", admin.Token, nil)
		if res.StatusCode != http.StatusOK || !bytes.Contains(data, []byte(`"disabled":true`)) {
			t.Fatalf("disable: got %s %s", res.Status, data)
		}
		a.wantSignedOut(s.Token)
		res, data = a.call(http.MethodPost, api.SessionPath, "", housing.SignIn{Username: "lena", Password: in.Password})
		wantError(t, res, data, http.StatusUnauthorized, housing.CodeUnauthorized)
	})

	t.Run("ErrWeakPassword", func(t *testing.T) {
		path := api.UsersPath + "/" + jo.Officer.ID + "/password"
		// Each pair is a password for the new account "joanne" and one for
		// jo: the last is each one's own username.
		for _, pw := range [][2]string{{"short", "short"}, {"password", "password"}, {"12345678", "12345678"},
			{"doorstep", "doorstep"}, {"DOORSTEP", "DOORSTEP"}, {"Joanne2026", "jo123456"}} {
			in := housing.NewOfficer{Username: "joanne", Name: "Joanne Bell", Role: housing.RoleOfficer, Sites: []string{"hollins"}, Password: pw[0]}
			res, data := a.call(http.MethodPost, api.UsersPath, admin.Token, in)
			wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)
			wantField(t, data, housing.FieldPassword)
			res, data = a.call(http.MethodPost, path, admin.Token, map[string]string{"password": pw[1]})
			wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)
			wantField(t, data, housing.FieldPassword)
		}
		// Nothing changed: no account was added, and jo is still signed in
		// with the password she had.
		if _, err := a.db.OfficerByUsername(context.Background(), "joanne"); housing.ErrorCode(err) != housing.CodeNotFound {
			t.Fatalf("got %v, want no account added", err)
		}
		if res, data := a.call(http.MethodGet, api.MePath, jo.Token, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("jo after refused resets: got %s %s, want still signed in", res.Status, data)
		}
		a.signIn("jo")
	})

	t.Run("ResetPassword", func(t *testing.T) {
		tablet := a.signIn("sarah")
		path := api.UsersPath + "/" + sarah.Officer.ID + "/password"
		res, data := a.call(http.MethodPost, path, admin.Token, map[string]string{"password": "short"})
		wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)
		if res, data := a.call(http.MethodPost, path, admin.Token, map[string]string{"password": "new sarah words"}); res.StatusCode != http.StatusNoContent {
			t.Fatalf("reset: got %s %s", res.Status, data)
		}
		// Every device of sarah's is signed out; the admin is not.
		a.wantSignedOut(sarah.Token)
		a.wantSignedOut(tablet.Token)
		if res, data := a.call(http.MethodGet, api.MePath, admin.Token, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("the admin after resetting sarah's password: got %s %s", res.Status, data)
		}
		res, data = a.call(http.MethodPost, api.SessionPath, "", housing.SignIn{Username: "sarah", Password: "new sarah words"})
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("sign in with the new password: got %s %s", res.Status, data)
		}
	})

	t.Run("ResetOwnPasswordKeepsThisDevice", func(t *testing.T) {
		laptop := a.signIn("admin")
		path := api.UsersPath + "/" + admin.Officer.ID + "/password"
		if res, data := a.call(http.MethodPost, path, admin.Token, map[string]string{"password": "admin new words"}); res.StatusCode != http.StatusNoContent {
			t.Fatalf("reset: got %s %s", res.Status, data)
		}
		if res, data := a.call(http.MethodGet, api.MePath, admin.Token, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("the device the admin reset from: got %s %s, want still signed in", res.Status, data)
		}
		a.wantSignedOut(laptop.Token)
	})
}

// tokenSync is the sync service as a device sees it over HTTP: the real
// client with a real session token.
type tokenSync struct{ client *remote.Client }

func (s tokenSync) Sync(ctx context.Context, _ housing.Principal, req housing.SyncRequest) (housing.SyncResponse, error) {
	return s.client.Sync(ctx, req)
}

// TestScopeOverHTTP shows, with real sign-ins, that an officer's token
// reaches only their own sites' records and cannot act as a supervisor.
func TestScopeOverHTTP(t *testing.T) {
	a := newAccounts(t)
	s := a.signIn("sarah") // riverside, tenancy management
	tenancies, err := a.db.Tenancies(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	fx := synctest.Fixture{Officers: map[string]housing.Officer{"sarah": s.Officer}}
	d := synctest.NewDevice(t, tokenSync{&remote.Client{BaseURL: a.url, Token: s.Token}}, fx, "sarah", s.DeviceID)

	d.PullAll()
	var riverside, other housing.Tenancy
	for _, tn := range tenancies {
		switch {
		case tn.SiteID == "riverside" && riverside.ID == "":
			riverside = tn
		case tn.SiteID != "riverside" && other.ID == "":
			other = tn
		}
		if tn.SiteID != "riverside" && d.Has(housing.RecordTenancy, tn.ID) {
			t.Fatalf("sarah's device got tenancy %s at %s, outside her sites", tn.Reference, tn.SiteID)
		}
	}
	if got, want := d.Count(housing.RecordTenancy), 80; got != want {
		t.Fatalf("sarah's device got %d tenancies, want riverside's %d", got, want)
	}

	c := synctest.NewCommitment(d.P, riverside, housing.FunctionRepairs)
	elsewhere := synctest.NewVisit(d.P, other)
	resp := d.Push(
		d.Mutation(housing.KindCommitmentMake, c.ID, 0, c),
		d.Mutation(housing.KindCommitmentBreak, c.ID, 1, housing.CommitmentAction{Reason: "Sorry"}),
		d.Mutation(housing.KindVisitRecord, elsewhere.ID, 0, elsewhere),
	)
	for i, want := range []struct{ status, code string }{
		{housing.ResultApplied, ""},
		{housing.ResultRejected, housing.CodeForbidden}, // only supervisors break a promise
		{housing.ResultRejected, housing.CodeNotFound},  // another site's tenancy is not hers to see
	} {
		if got := resp.Results[i]; got.Status != want.status || got.Code != want.code {
			t.Errorf("result %d: got %+v, want %s %s", i, got, want.status, want.code)
		}
	}

	// A revoked device's sync stops at once, with the JSON 401.
	if res, data := a.call(http.MethodDelete, api.SessionPath, s.Token, nil); res.StatusCode != http.StatusNoContent {
		t.Fatalf("sign out: got %s %s", res.Status, data)
	}
	_, err = d.Send()
	if housing.ErrorCode(err) != housing.CodeUnauthorized {
		t.Fatalf("sync after sign-out: got %v, want unauthorized", err)
	}
}

// toText renders a scanned SQL value as text.
func toText(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	case nil:
		return ""
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// TestChangePasswordAPI is an officer choosing their own password over
// HTTP: a wrong current password or a weak new one changes nothing; the
// right one keeps this device signed in and signs out the others.
func TestChangePasswordAPI(t *testing.T) {
	a := newAccounts(t)
	phone, tablet := a.signIn("sarah"), a.signIn("sarah")
	if phone.MustChangePassword {
		t.Errorf("a password the officer chose asks to be changed: %+v", phone)
	}

	res, data := a.call(http.MethodPost, api.PasswordPath, "", housing.PasswordChange{Current: demo.Password, New: "orange tram hillside"})
	wantError(t, res, data, http.StatusUnauthorized, housing.CodeUnauthorized)
	res, data = a.call(http.MethodPost, api.PasswordPath, phone.Token, housing.PasswordChange{Current: "not it", New: "orange tram hillside"})
	wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)
	wantField(t, data, housing.FieldCurrentPassword)
	res, data = a.call(http.MethodPost, api.PasswordPath, phone.Token, housing.PasswordChange{Current: demo.Password, New: "sarah"})
	wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)
	wantField(t, data, housing.FieldPassword)
	res, data = a.call(http.MethodPost, api.PasswordPath, phone.Token, "not a change")
	wantError(t, res, data, http.StatusBadRequest, housing.CodeInvalid)

	res, data = a.call(http.MethodPost, api.PasswordPath, phone.Token, housing.PasswordChange{Current: demo.Password, New: "orange tram hillside"})
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("change: got %s %s, want 204", res.Status, data)
	}
	if res, data := a.call(http.MethodGet, api.MePath, phone.Token, nil); res.StatusCode != http.StatusOK {
		t.Errorf("the device that changed it: got %s %s, want still signed in", res.Status, data)
	}
	a.wantSignedOut(tablet.Token)
	res, data = a.call(http.MethodPost, api.SessionPath, "", housing.SignIn{Username: "sarah", Password: "orange tram hillside", DeviceName: "Work phone"})
	if res.StatusCode != http.StatusCreated {
		t.Errorf("signing in with the new password: got %s %s", res.Status, data)
	}
}
