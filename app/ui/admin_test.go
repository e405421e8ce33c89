package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// signedInAs is the account state of role signed in on the phone.
func signedInAs(role housing.Role) adminSignedIn {
	return adminSignedIn{account: Account{Known: true, SignedIn: true, Officer: housing.Officer{ID: "o-" + string(role), Role: role}}}
}

var (
	adminSites = []housing.Site{{ID: "riverside", Name: "Riverside Estate"}, {ID: "northgate", Name: "Northgate"}}
	adminTeams = []housing.Function{{ID: housing.FunctionRepairs, Name: "Repairs"}, {ID: housing.FunctionComplaints, Name: "Complaints"}}
)

// adminStandardsView is the default repairs and complaints standards, with
// one change made to the urgent repair.
func adminStandardsView() AdminStandardsView {
	var list []housing.Standard
	for _, s := range housing.DefaultStandards() {
		if s.FunctionID == housing.FunctionRepairs || s.FunctionID == housing.FunctionComplaints {
			list = append(list, s)
		}
	}
	before, _ := housing.FindStandard(list, "repairs.urgent")
	after := before
	after.Limit = 3
	return AdminStandardsView{Standards: list, Teams: adminTeams, History: []housing.StandardAudit{
		{StandardID: "repairs.urgent", At: time.Date(2026, 12, 2, 14, 3, 0, 0, time.UTC), ByName: "Morgan Ellis", Before: &before, After: after, Reason: "The board's new target."},
	}}
}

// TestAdminPagesRender draws each admin page as the server prerenders it,
// for an admin with loaded lists, and checks what an admin must be able to
// read.
func TestAdminPagesRender(t *testing.T) {
	admin := signedInAs(housing.RoleAdmin)
	tests := []struct {
		name string
		page app.UI
		want []string
	}{
		{"Menu", &AdminMenu{signed: admin}, []string{`href="/admin/staff"`, `href="/admin/places"`, `href="/admin/standards"`, `href="/admin/imports"`, `href="/admin/tokens"`}},
		{"Staff", &AdminStaff{signed: admin, view: AdminStaffView{Sites: adminSites, Teams: adminTeams, Users: []housing.Officer{
			{ID: "o1", Username: "ann.lee", Name: "Ann Lee", Role: housing.RoleOfficer, Sites: []string{"riverside", "northgate"}, Functions: []string{"repairs"},
				Email: "ann@example.org", Imported: true, Disabled: true},
			{ID: "o2", Username: "boss", Name: "Morgan Ellis", Role: housing.RoleAdmin},
		}}}, []string{"Ann Lee", "ann.lee", "Officer", "Northgate, Riverside Estate", "Repairs", "ann@example.org", "Switched off", "From staff.csv",
			"Switch on", "Reset password", "Devices", "Every site (an admin)", "Switch off", "Add a member of staff"}},
		{"Places", &AdminPlaces{signed: admin, view: AdminPlacesView{Sites: adminSites, Teams: adminTeams}},
			[]string{"Riverside Estate", "riverside", "Complaints", "Rename", "Add a site", "Add a team"}},
		{"Standards", &AdminStandards{signed: admin, view: adminStandardsView()}, []string{
			"Urgent repair", "1 working day", "5 working days", "Set by law", "Awaab", "never longer",
			"Making a damp or mould emergency safe (Awaab&#39;s Law)", "24 hours", "The same day", "Add a kind of promise for Complaints",
			"Morgan Ellis", "latest from 5 working days to 3 working days", "Why: The board&#39;s new target."}},
		{"Imports", &AdminImports{signed: admin, view: AdminImportsView{Imports: []housing.ImportReport{
			{ID: "i1", At: time.Date(2026, 12, 1, 22, 0, 0, 0, time.UTC), ByName: "Morgan Ellis", Files: []string{"staff.csv", "tenancies.csv"},
				Tenancies: housing.ImportCounts{Added: 57, Ended: 2}},
		}}}, []string{`type="file"`, `accept=".csv,text/csv"`, "multiple", "Check", "Apply", "Morgan Ellis · staff.csv, tenancies.csv", "57 added, 0 changed, 2 ended, 0 unchanged"}},
		{"Tokens", &AdminTokens{signed: admin, view: AdminTokensView{Teams: adminTeams, Tokens: []housing.IntegrationToken{
			{ID: "k1", Name: "Repairs system", Teams: []string{"repairs"}, CreatedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)},
			{ID: "k2", Name: "Old CRM", Teams: []string{housing.AllTeams}, RevokedAt: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)},
		}}}, []string{"Repairs system", "Repairs", "Never used", "Revoke", "Old CRM", "Every team", "Revoked", "Make a token"}},
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

// TestAdminPagesOnlyForAdmins draws every admin page for someone else: an
// officer or a supervisor reads that the pages are for admins and sees none
// of their content; nobody signed in is asked to sign in.
func TestAdminPagesOnlyForAdmins(t *testing.T) {
	pages := map[string]func(adminSignedIn) app.UI{
		"Menu":      func(s adminSignedIn) app.UI { return &AdminMenu{signed: s} },
		"Staff":     func(s adminSignedIn) app.UI { return &AdminStaff{signed: s} },
		"Places":    func(s adminSignedIn) app.UI { return &AdminPlaces{signed: s} },
		"Standards": func(s adminSignedIn) app.UI { return &AdminStandards{signed: s, view: adminStandardsView()} },
		"Imports":   func(s adminSignedIn) app.UI { return &AdminImports{signed: s} },
		"Tokens":    func(s adminSignedIn) app.UI { return &AdminTokens{signed: s} },
	}
	for name, page := range pages {
		for _, role := range []housing.Role{housing.RoleOfficer, housing.RoleSupervisor} {
			t.Run(name+string(role), func(t *testing.T) {
				html := app.HTMLString(page(signedInAs(role)))
				if !strings.Contains(html, "Only admins can use these pages") {
					t.Error("the page does not say it is for admins")
				}
				for _, never := range []string{"Urgent repair", "Add a member of staff", `type="file"`, "Make a token", "Add a site", "admin-menu-item"} {
					if strings.Contains(html, never) {
						t.Errorf("a %s sees %q", role, never)
					}
				}
			})
		}
		t.Run(name+"NobodySignedIn", func(t *testing.T) {
			if html := app.HTMLString(page(adminSignedIn{})); !strings.Contains(html, "as an admin to manage Doorstep") {
				t.Error("the page does not ask for an admin to sign in")
			}
		})
	}
}

func TestAdminLink(t *testing.T) {
	for _, tt := range []struct {
		role housing.Role
		want bool
	}{{housing.RoleOfficer, false}, {housing.RoleSupervisor, false}, {housing.RoleAdmin, true}} {
		html := app.HTMLString(&Home{account: Account{SignedIn: true, Officer: housing.Officer{Role: tt.role}}})
		if got := strings.Contains(html, `href="/admin"`); got != tt.want {
			t.Errorf("%s: the home screen links to the admin pages: %v, want %v", tt.role, got, tt.want)
		}
	}
}

// TestAdminFormsKeepTheirShape draws each admin form with nothing to say
// and with a problem at each input it can name (as the server's
// housing.Error.Field names it, or "" for the form's own slot), and checks
// that the problem shows in that input's slot and moves nothing, as
// TestFormsKeepTheirShape does for the officer's forms.
func TestAdminFormsKeepTheirShape(t *testing.T) {
	const said = "Something to fix here."
	admin := signedInAs(housing.RoleAdmin)
	std := adminStandardsView()
	tests := []struct {
		name   string
		render func(d AdminDone) app.UI
		slots  map[string]string // slot → the Field that shows there
	}{
		{"AddStaff", func(d AdminDone) app.UI {
			return &AdminStaff{signed: admin, view: AdminStaffView{Sites: adminSites, Teams: adminTeams}, adding: true,
				add: staffDraft{Role: housing.RoleOfficer, answer: d}}
		}, map[string]string{"staff-add-name": "name", "staff-add-username": "username", "staff-add-email": "email", "staff-add-role": "role",
			"staff-add-sites": "sites", "staff-add-functions": "functions", "staff-add-password": "password", "staff-add-form": ""}},
		{"ResetPassword", func(d AdminDone) app.UI {
			return &AdminStaff{signed: admin, view: AdminStaffView{Users: []housing.Officer{{ID: "o1", Name: "Ann Lee"}}}, open: "password:o1", panel: d}
		}, map[string]string{"staff-new-password": "password", "staff-password": ""}},
		{"AddSite", func(d AdminDone) app.UI {
			return &AdminPlaces{signed: admin, view: AdminPlacesView{Sites: adminSites, Teams: adminTeams}, editing: "site:", draft: placeDraft{answer: d}}
		}, map[string]string{"place-name": "name", "place-id": "id", "place-form": ""}},
		{"RenameTeam", func(d AdminDone) app.UI {
			return &AdminPlaces{signed: admin, view: AdminPlacesView{Sites: adminSites, Teams: adminTeams}, editing: "team:repairs", draft: placeDraft{ID: "repairs", answer: d}}
		}, map[string]string{"place-name": "name", "place-form": ""}},
		{"ChangeStandard", func(d AdminDone) app.UI {
			return &AdminStandards{signed: admin, view: std, editing: "repairs.damp_investigate", draft: standardDraft{Soonest: "1", Limit: "12", answer: d}}
		}, map[string]string{"standard-soonest": "soonest", "standard-limit": "limit", "standard-reason": "reason", "standard-form": ""}},
		{"AddStandard", func(d AdminDone) app.UI {
			return &AdminStandards{signed: admin, view: std, editing: "new:complaints", draft: standardDraft{Unit: housing.UnitWorkingDays, answer: d}}
		}, map[string]string{"standard-name": "name", "standard-unit": "unit", "standard-soonest": "soonest", "standard-limit": "limit",
			"standard-source": "source", "standard-reason": "reason", "standard-form": ""}},
		{"MakeToken", func(d AdminDone) app.UI {
			return &AdminTokens{signed: admin, view: AdminTokensView{Teams: adminTeams}, making: true, draft: tokenDraft{answer: d}}
		}, map[string]string{"token-name": "name", "token-teams": "teams", "token-form": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			baseHTML := app.HTMLString(tt.render(AdminDone{}))
			base := shape(baseHTML)
			for slot, fieldName := range tt.slots {
				html := app.HTMLString(tt.render(AdminDone{Problem: said, Field: fieldName}))
				got := shape(html)
				if _, always := problemSlot(baseHTML, slot); !always {
					got = withoutLast(t, html, slot)
				}
				if i, was, now := firstDifference(base, got); i >= 0 {
					t.Errorf("a problem at %s changes the form's shape at tag %d: <%s> became <%s>", slot, i, was, now)
				}
				if got, ok := problemSlot(html, slot); !ok || got != said {
					t.Errorf("a problem about %q shows %q in the slot %s (found: %v), want %q", fieldName, got, slot, ok, said)
				}
				if n := strings.Count(html, said); n != 1 {
					t.Errorf("a problem about %q is shown %d times, want once", fieldName, n)
				}
			}
		})
	}
}

func TestAdminAsked(t *testing.T) {
	var a adminAsked
	a.action, a.id = ActionAdminSwitchUser, "o1"
	for _, d := range []AdminDone{{Action: ActionAdminSwitchUser, ID: "o2"}, {Action: ActionAdminSetPassword, ID: "o1"}, {Action: ActionAdminCopy}} {
		if a.answered(d) || !a.waiting() {
			t.Errorf("%+v answered the switch of o1", d)
		}
	}
	if !a.answered(AdminDone{Action: ActionAdminSwitchUser, ID: "o1"}) || a.waiting() {
		t.Error("the switch of o1 was not answered")
	}
	if a.answered(AdminDone{Action: ActionAdminSwitchUser, ID: "o1"}) {
		t.Error("the same answer was taken twice")
	}
}

func TestStandardWords(t *testing.T) {
	day := housing.Standard{Unit: housing.UnitWorkingDays, Soonest: 1, Limit: 2}
	hours := housing.Standard{Unit: housing.UnitHours, Soonest: 0, Limit: 24}
	none := housing.Standard{Unit: housing.UnitWorkingDays, Soonest: 5}
	for _, tt := range []struct{ got, want string }{
		{soonestWords(day), "1 working day"}, {limitWords(day), "2 working days"},
		{soonestWords(hours), "The same day"}, {limitWords(hours), "24 hours"},
		{limitWords(none), "No limit"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	before := housing.Standard{Name: "Urgent repair", Unit: housing.UnitWorkingDays, Soonest: 1, Limit: 5}
	after := before
	after.Soonest, after.Limit = 0, 0
	if got, want := changeWords(housing.StandardAudit{Before: &before, After: after}), "soonest from 1 working day to The same day; latest from 5 working days to No limit."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := changeWords(housing.StandardAudit{After: before}); got != "added, soonest 1 working day, latest 5 working days." {
		t.Errorf("an addition: got %q", got)
	}
}

// TestStandardDraft builds the change a form sends: the stored standard
// with only the figures typed, or a new kind of promise named from its
// words.
func TestStandardDraft(t *testing.T) {
	p := &AdminStandards{view: adminStandardsView(), editing: "repairs.damp_investigate",
		draft: standardDraft{Soonest: " 2 ", Limit: "8", Reason: " Our target. "}}
	ch, err := p.change()
	stored, _ := housing.FindStandard(p.view.Standards, "repairs.damp_investigate")
	want := stored
	want.Soonest, want.Limit = 2, 8
	if err != nil || ch.Standard != want || ch.Reason != "Our target." {
		t.Errorf("got %+v, %v; want %+v", ch, err, want)
	}

	p.draft.Limit = "eight"
	if _, err := p.change(); housing.ErrorField(err) != housing.FieldLimit {
		t.Errorf("a limit in words: got %v, want a problem at the limit", err)
	}
	p.draft.Limit = "-1"
	if _, err := p.change(); housing.ErrorField(err) != housing.FieldLimit {
		t.Errorf("a negative limit: got %v, want a problem at the limit", err)
	}

	p.editing = "new:complaints"
	p.draft = standardDraft{Name: "Call back about a complaint!", Unit: housing.UnitHours, Soonest: "0", Limit: "48", Reason: "New.", Statutory: true, Source: " Our code. "}
	ch, err = p.change()
	if err != nil || ch.Standard.ID != "complaints.call_back_about_a_complaint" || ch.Standard.Kind != "call_back_about_a_complaint" ||
		ch.Standard.FunctionID != "complaints" || ch.Standard.Unit != housing.UnitHours || !ch.Standard.Statutory || ch.Standard.Source != "Our code." || ch.Standard.Limit != 48 {
		t.Errorf("got %+v, %v", ch.Standard, err)
	}
	if err := ch.Validate(); err != nil {
		t.Errorf("the new standard does not validate: %v", err)
	}
	p.editing = "new:repairs"
	p.draft.Name = "Urgent"
	if _, err := p.change(); housing.ErrorField(err) != housing.FieldName {
		t.Errorf("a kind the team has: got %v, want a problem at the name", err)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Hollins Park":                   "hollins-park",
		"  St. Mary's Court ":            "st-marys-court",
		"Estate services/ASB":            "estate-services-asb",
		"Block 7":                        "block-7",
		"!!!":                            "",
		strings.Repeat("long name ", 10): "long-name-long-name-long-name-long-name",
	} {
		got := slug(in)
		if got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
		if got != "" && housing.CheckSlug("site", got) != nil {
			t.Errorf("slug(%q) = %q, which is not a valid ID", in, got)
		}
	}
}

func TestImportWords(t *testing.T) {
	for _, tt := range []struct {
		p    housing.Problem
		want string
	}{
		{housing.Problem{File: "staff.csv", Line: 3, Column: "role", Message: "Choose officer, supervisor or admin."}, "staff.csv, line 3, column role: Choose officer, supervisor or admin."},
		{housing.Problem{File: "tenancies.csv", Message: "This file is not UTF-8."}, "tenancies.csv: This file is not UTF-8."},
	} {
		if got := problemWords(tt.p); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
	if got := countWords("Staff", housing.ImportCounts{Added: 1, Changed: 2, Ended: 3, Unchanged: 4}); got != "1 added, 2 changed, 3 switched off, 4 unchanged." {
		t.Errorf("got %q", got)
	}
	csv := passwordsCSV([]housing.OneTimePassword{{Username: "ann", Password: "dofa-kume-tiso-ravu"}, {Username: "bo.day", Password: "x"}})
	if csv != "username,password\nann,dofa-kume-tiso-ravu\nbo.day,x\n" {
		t.Errorf("got %q", csv)
	}
}

// TestImportResult draws what an applied import shows: its counts, its
// first rows and the passwords, with the warning that they are shown once;
// and a refused one, with every problem where it is.
func TestImportResult(t *testing.T) {
	admin := signedInAs(housing.RoleAdmin)
	report := &housing.ImportReport{At: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC), Staff: housing.ImportCounts{Added: 1, AddedRows: []string{"ann.lee Ann Lee, officer"}},
		Passwords: []housing.OneTimePassword{{Username: "ann.lee", Password: "dofa-kume-tiso-ravu"}}}
	p := &AdminImports{signed: admin, result: AdminDone{Action: ActionAdminImport, Report: report}}
	html := app.HTMLString(p)
	for _, want := range []string{"Applied.", "1 added, 0 changed, 0 switched off, 0 unchanged.", "ann.lee Ann Lee, officer", "dofa-kume-tiso-ravu",
		"shown only now", "Download the passwords (CSV)"} {
		if !strings.Contains(html, want) {
			t.Errorf("the applied import lacks %q", want)
		}
	}
	if f, ok := p.passwordsFile(); !ok || f.Name != "doorstep-passwords-2026-12-02.csv" || !strings.Contains(f.Text, "ann.lee,dofa-kume-tiso-ravu") {
		t.Errorf("got the file %+v", f)
	}

	p.result = AdminDone{Action: ActionAdminImport, Problem: "2 rows are wrong.", Problems: []housing.Problem{
		{File: "staff.csv", Line: 3, Column: "role", Message: "Choose a role."}, {File: "tenancies.csv", Line: 9, Column: "site_ref", Message: "Unknown site."}}}
	html = app.HTMLString(p)
	for _, want := range []string{"2 rows are wrong.", "Nothing has changed", "staff.csv, line 3, column role: Choose a role.", "tenancies.csv, line 9, column site_ref: Unknown site."} {
		if !strings.Contains(html, want) {
			t.Errorf("the refused import lacks %q", want)
		}
	}
	if strings.Contains(html, "dofa") {
		t.Error("a refused import shows the passwords of the one before")
	}
}
