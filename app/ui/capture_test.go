package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// TestCaptureScreensRender draws each officer screen with loaded state, as
// the server prerenders it, and checks what an officer must be able to read.
func TestCaptureScreensRender(t *testing.T) {
	ref := Reference{Functions: []housing.Function{{ID: housing.FunctionRepairs, Name: "Repairs"}},
		Sites: []housing.Site{{ID: "riverside", Name: "Riverside Estate"}}}
	tenancy := housing.Tenancy{ID: "t1", Reference: "RIV-00001", Household: "Mrs A Khan", Address: "1 Ferry Lane", Postcode: "M5 4AB"}
	c := housing.Commitment{ID: "c1", TenancyID: "t1", What: "Fix the gate", FunctionID: housing.FunctionRepairs,
		DueDate: "2026-03-05", Status: housing.StatusOpen, Household: "Mrs A Khan", Address: "1 Ferry Lane",
		TenantAgreement: housing.TenantAgreed}
	visit := housing.Visit{ID: "v1", TenancyID: "t1", Purpose: housing.PurposeRepairs, StartedAt: time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)}
	officer := housing.Officer{Name: "Sarah Okafor", Username: "sarah", Role: housing.RoleOfficer, Sites: []string{"riverside"}, Functions: []string{housing.FunctionRepairs}}

	tests := []struct {
		name string
		page app.UI
		want []string
	}{
		{"HomeSignedOut", &Home{}, []string{"Sign in to start", "Log a visit", "Find a tenancy"}},
		{"SessionNeedsSignIn", &SessionBanner{account: Account{Known: true, SignedIn: true, NeedsSignIn: true}, sync: SyncState{Pending: 3}},
			[]string{"Please sign in again — your 3 unsynced records are safe on this phone.", `href="/signin"`}},
		{"HomeDay", &Home{account: Account{SignedIn: true}, ref: ref, sync: SyncState{Pending: 4},
			view: HomeView{Visits: []housing.Visit{visit}, Overdue: []housing.Commitment{c}, Tenancy: map[string]housing.Tenancy{"t1": tenancy}}},
			[]string{"Repairs inspection", "/visits/v1", "Fix the gate", "Repairs · Due Thu 5 Mar 2026 · Open", "Nothing due soon.", "4 records are waiting to sync."}},
		{"HomeDayMore", &Home{account: Account{SignedIn: true}, ref: ref,
			view: HomeView{Overdue: []housing.Commitment{c}, OverdueCount: 3, Tenancy: map[string]housing.Tenancy{}}},
			[]string{"Overdue promises (3)", "Fix the gate", `id="more-overdue"`, "Show more (1 of 3 shown)", "Nothing due soon."}},
		{"Tenancies", &Tenancies{query: "khan", view: SearchView{Query: "khan", Results: []housing.Tenancy{tenancy}, Held: 120}},
			[]string{`for="search"`, `type="search"`, "Name, address, postcode or reference", "/tenancies/t1", "RIV-00001", "1 tenancy matches.", "120 tenancies held on this phone."}},
		{"Tenancy", &Tenancy{id: "t1", ref: ref, view: TenancyView{Tenancy: tenancy, Commitments: []housing.Commitment{c}, Visits: []housing.Visit{visit}}},
			[]string{"Mrs A Khan", "RIV-00001", "/visits/new?tenancy=t1", "Log a visit here", "Fix the gate", "/visits/v1"}},
		{"Visit", &Visit{id: "v1", ref: ref, account: Account{SignedIn: true, Officer: officer},
			view: VisitView{Visit: visit, Tenancy: tenancy, Commitments: []housing.Commitment{c},
				Links: map[string]string{"c1": "https://doorstep.example/t/abc"}, Pending: map[string]bool{"c1": true}}},
			[]string{"Fix the gate", "Tenant confirmed this is what was agreed", "Waiting to sync", "<svg", "https://doorstep.example/t/abc",
				"Share the tenant&#39;s link", "Picked up", "Done"}},
		{"Promise", &Promise{id: "c1", ref: ref, account: Account{SignedIn: true, Officer: officer},
			view: PromiseView{Commitment: promiseWithHistory(c), Link: "https://doorstep.example/t/abc", Pending: true}},
			[]string{"Fix the gate", "Made to", "/tenancies/t1", "Mrs A Khan, 1 Ferry Lane", "Team keeping it", "Repairs",
				"<dd>Thu 5 Mar 2026</dd>", "Open", "Tenant confirmed this is what was agreed", "waiting to sync", "Picked up", "Done", "<svg",
				"What has happened", "Promised · ", "Sarah Okafor", "The tenant answered"}},
		{"SignIn", &SignIn{result: SignInResult{Problem: "That username and password do not match."}, form: SignInForm{DeviceName: "Pixel 7"}},
			[]string{`for="username"`, `autocomplete="username"`, `autocomplete="current-password"`, "That username and password do not match.", `role="alert"`,
				`for="device-name"`, `value="Pixel 7"`}},
		{"SettingsPending", &Settings{account: Account{SignedIn: true, Officer: officer, DeviceName: "Sarah's phone"}, ref: ref,
			sync: SyncState{Pending: 2}, signOut: true, exported: true},
			[]string{"Sarah Okafor", "Riverside Estate", "Repairs", "The browser may clear Doorstep&#39;s data", "2 records are not synced yet",
				"Sync now", "Export unsynced records", "Sign out anyway"}},
		{"SyncPage", &SyncPage{sync: SyncState{Pending: 2, LastError: "The server could not be reached."},
			attention: []AttentionItem{{ID: "a1", Kind: housing.KindCommitmentComplete, What: "Fix the gate", Reason: "The tenancy is not on your sites."}}},
			[]string{"Waiting to sync", "Never", "The server could not be reached.", "“Done” on a promise", "“Fix the gate”", "The tenancy is not on your sites.", "Send again as it was", "Dismiss"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html := app.HTMLString(tt.page)
			for _, want := range tt.want {
				if !strings.Contains(html, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
		})
	}
}

// TestSettingsSignOutNeedsExport checks that "Sign out anyway" is offered
// only after the unsynced records were offered for export.
func TestSettingsSignOutNeedsExport(t *testing.T) {
	p := &Settings{account: Account{SignedIn: true}, sync: SyncState{Pending: 1}, signOut: true}
	html := app.HTMLString(p)
	if !strings.Contains(html, "1 record is not synced yet") {
		t.Errorf("the warning lacks the count")
	}
	if strings.Contains(html, "Sign out anyway") {
		t.Errorf("got \"Sign out anyway\" before an export, want it only after")
	}
}

func TestAge(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"JustNow", now.Add(-30 * time.Second), "just now"},
		{"OneMinute", now.Add(-time.Minute), "1 minute ago"},
		{"Hours", now.Add(-5 * time.Hour), "5 hours ago"},
		{"Days", now.Add(-72 * time.Hour), "3 days ago"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := age(tt.t, now); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSignedOut(t *testing.T) {
	tests := []struct {
		name    string
		account Account
		want    bool
	}{
		{"NotKnownYet", Account{}, false},
		{"NobodySignedIn", Account{Known: true}, true},
		{"SignedIn", Account{Known: true, SignedIn: true}, false},
		{"SessionEnded", Account{Known: true, SignedIn: true, NeedsSignIn: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := signedOut(tt.account); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// promiseWithHistory is c as the server sends it back after the tenant
// confirmed it.
func promiseWithHistory(c housing.Commitment) housing.Commitment {
	at := time.Date(2026, 3, 2, 10, 40, 0, 0, time.UTC)
	c.MadeByName = "Sarah Okafor"
	c.History = []housing.Event{
		{Kind: housing.KindCommitmentMake, At: at, By: "o1", ByName: "Sarah Okafor"},
		{Kind: housing.KindCommitmentTenant, At: at.Add(time.Hour), By: housing.TenantActor, To: housing.TenantAgreed},
	}
	return c
}

// TestPromiseButtons: only the team that keeps a promise (or the officer
// named as its owner) says it is picked up or done, and only while work is
// still due.
func TestPromiseButtons(t *testing.T) {
	c := housing.Commitment{ID: "c1", What: "Fix the gate", FunctionID: housing.FunctionRepairs, MadeBy: "o1", Status: housing.StatusOpen}
	repairs := Account{SignedIn: true, Officer: housing.Officer{ID: "o2", Functions: []string{housing.FunctionRepairs}}}
	maker := Account{SignedIn: true, Officer: housing.Officer{ID: "o1", Functions: []string{housing.FunctionTenancy}}}
	named := Account{SignedIn: true, Officer: housing.Officer{ID: "o3", Functions: []string{housing.FunctionIncome}}}
	withOwner := c
	withOwner.OwnerID = "o3"
	picked := c
	picked.Status = housing.StatusAcknowledged
	kept := c
	kept.Status = housing.StatusKept
	tests := []struct {
		name    string
		account Account
		c       housing.Commitment
		want    []string
		notWant []string
	}{
		{"OwningTeamOpen", repairs, c, []string{"Picked up", "Done"}, nil},
		{"OwningTeamPickedUp", repairs, picked, []string{"Done"}, []string{"Picked up"}},
		{"OwningTeamKept", repairs, kept, nil, []string{"Picked up", "Done"}},
		{"Maker", maker, c, nil, []string{"Picked up", "Done"}},
		{"NamedOwner", named, withOwner, []string{"Picked up", "Done"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html := app.HTMLString(&Promise{id: "c1", account: tt.account, view: PromiseView{Commitment: tt.c}})
			for _, want := range tt.want {
				if !strings.Contains(html, ">"+want+"</button>") {
					t.Errorf("no %q button", want)
				}
			}
			for _, notWant := range tt.notWant {
				if strings.Contains(html, ">"+notWant+"</button>") {
					t.Errorf("a %q button", notWant)
				}
			}
		})
	}
}
