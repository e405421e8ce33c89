package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"doorstep/server/demo/demotest"
	"doorstep/server/importcsv"
	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// The import's tests run on real SQLite files with the sample set in
// docs/examples (a landlord of three sites, seven teams, twelve staff and
// sixty tenancies, two of them ended) and hand-made files.

// importDay is the day the tests import on: the samples' two end dates
// are before it.
const importDay = housing.Date("2026-11-23")

// sampleFiles reads the sample set, in the order given by names (all four
// when none).
func sampleFiles(t *testing.T, names ...string) []housing.ImportFile {
	t.Helper()
	if len(names) == 0 {
		names = []string{housing.ImportSites, housing.ImportTeams, housing.ImportStaff, housing.ImportTenancies}
	}
	var out []housing.ImportFile
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("..", "..", "docs", "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, housing.ImportFile{Name: name, Data: data})
	}
	return out
}

// edited is file with each old replaced by new, failing the test if one is
// not there.
func edited(t *testing.T, f housing.ImportFile, oldNew ...string) housing.ImportFile {
	t.Helper()
	s := string(f.Data)
	for i := 0; i < len(oldNew); i += 2 {
		if !strings.Contains(s, oldNew[i]) {
			t.Fatalf("%s has no %q", f.Name, oldNew[i])
		}
		s = strings.Replace(s, oldNew[i], oldNew[i+1], 1)
	}
	return housing.ImportFile{Name: f.Name, Data: []byte(s)}
}

// importer is a database with its import service and a clock stopped on
// importDay.
type importer struct {
	t   *testing.T
	db  *sqlite.DB
	svc *sqlite.ImportService
}

func newImporter(t *testing.T) *importer {
	t.Helper()
	db := demotest.Empty(t)
	now := housing.LocalMidnight(importDay).Add(10 * time.Hour)
	db.Now = func() time.Time { return now }
	return &importer{t: t, db: db, svc: &sqlite.ImportService{DB: db}}
}

// run imports files as by with opts, failing the test on an error.
func (im *importer) run(by housing.Principal, opts housing.ImportOptions, files ...housing.ImportFile) housing.ImportReport {
	im.t.Helper()
	r, err := im.svc.Import(context.Background(), by, files, opts)
	if err != nil {
		var he *housing.Error
		if asError(err, &he) {
			im.t.Fatalf("import refused: %v %+v", err, he.Problems)
		}
		im.t.Fatalf("import: %v", err)
	}
	return r
}

// refuse imports files as by, expecting a refusal, and returns its problems.
func (im *importer) refuse(by housing.Principal, opts housing.ImportOptions, files ...housing.ImportFile) []housing.Problem {
	im.t.Helper()
	before := dump(im.t, im.db)
	_, err := im.svc.Import(context.Background(), by, files, opts)
	var he *housing.Error
	if !asError(err, &he) || he.Code != housing.CodeInvalid {
		im.t.Fatalf("got error %v, want one with code invalid", err)
	}
	if len(he.Problems) == 0 {
		im.t.Fatalf("got %v with no problems listed", err)
	}
	if after := dump(im.t, im.db); after != before {
		im.t.Errorf("a refused import changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	return he.Problems
}

// dump is every row of every table an import may write, and the change
// log's high-water mark, as text to compare.
func dump(t *testing.T, db *sqlite.DB) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"sites", "functions", "officers", "officer_sites", "officer_functions", "tenancies", "sessions", "changes", "imports", "standards"} {
		rows, err := db.SQL().Query(`SELECT * FROM ` + table + ` ORDER BY rowid`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %v\n", table, vals)
		}
		rows.Close()
	}
	fmt.Fprintf(&b, "high water %d\n", highWater(t, db))
	return b.String()
}

func highWater(t *testing.T, db *sqlite.DB) int64 {
	t.Helper()
	var n int64
	if err := db.SQL().QueryRow(`SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantCounts(t *testing.T, what string, got housing.ImportCounts, added, changed, ended, unchanged, notInFile int) {
	t.Helper()
	if got.Added != added || got.Changed != changed || got.Ended != ended || got.Unchanged != unchanged || got.NotInFile != notInFile {
		t.Errorf("%s: got %d added, %d changed, %d ended, %d unchanged, %d not in the file; want %d, %d, %d, %d, %d (%+v)",
			what, got.Added, got.Changed, got.Ended, got.Unchanged, got.NotInFile, added, changed, ended, unchanged, notInFile, got)
	}
}

func TestImportSamples(t *testing.T) {
	im := newImporter(t)
	ctx := context.Background()
	r := im.run(housing.Principal{}, housing.ImportOptions{}, sampleFiles(t)...)
	wantCounts(t, "sites", r.Sites, 3, 0, 0, 0, 0)
	wantCounts(t, "teams", r.Teams, 7, 0, 0, 0, 0)
	wantCounts(t, "staff", r.Staff, 12, 0, 0, 0, 0)
	wantCounts(t, "tenancies", r.Tenancies, 60, 0, 0, 0, 0)
	if r.ID == "" || r.DryRun || r.ByName != "command line" || len(r.Files) != 4 {
		t.Errorf("got report %+v", r)
	}
	if len(r.Tenancies.AddedRows) != housing.ImportSampleRows || r.Tenancies.AddedRows[0] != "MEA-0007 Ms F Hughes, 86 Meadow Lane, Fenwick (meadowbank)" {
		t.Errorf("got added rows %q", r.Tenancies.AddedRows)
	}
	if len(r.Passwords) != 12 || r.Passwords[0].Username != "lena.marsh" {
		t.Fatalf("got passwords %+v, want one for each of the 12 new accounts in staff.csv's order", r.Passwords)
	}
	// A one-time password signs its account in.
	if _, err := (&sqlite.SessionService{DB: im.db}).SignIn(ctx, housing.SignIn{Username: "lena.marsh", Password: r.Passwords[0].Password, DeviceName: "test"}); err != nil {
		t.Errorf("lena.marsh cannot sign in with her one-time password: %v", err)
	}

	// The tenancies keep their dates; the two whose end date has passed
	// have ended. IDs come from the references.
	ts, err := (&sqlite.ReferenceService{DB: im.db}).Tenancies(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ended []string
	for _, tn := range ts {
		if tn.ID != sqlite.ImportTenancyID(tn.Reference) {
			t.Errorf("tenancy %s has ID %s, want %s", tn.Reference, tn.ID, sqlite.ImportTenancyID(tn.Reference))
		}
		if tn.Ended {
			ended = append(ended, tn.Reference+" "+string(tn.EndDate))
		}
	}
	if want := []string{"CAS-0057 2024-11-15", "MEA-0035 2025-06-30"}; !slices.Equal(ended, want) {
		t.Errorf("got ended %v, want %v", ended, want)
	}
	officers, err := (&sqlite.OfficerService{DB: im.db}).Officers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range officers {
		if !o.Imported || o.Email != o.Username+"@fenwickhomes.example" {
			t.Errorf("got account %+v, want it imported with its email", o)
		}
	}

	// The six known teams came with Doorstep's standards; the landlord's
	// own team (estates) with none.
	standards, err := (&sqlite.ReferenceService{DB: im.db}).Standards(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byTeam := map[string]int{}
	for _, st := range standards {
		byTeam[st.FunctionID]++
	}
	for _, st := range housing.DefaultStandards() {
		if byTeam[st.FunctionID] == 0 {
			t.Errorf("team %s came without its standards", st.FunctionID)
		}
	}
	if len(standards) != len(housing.DefaultStandards()) || byTeam["estates"] != 0 {
		t.Errorf("got %d standards (%v), want the %d defaults and none for estates", len(standards), byTeam, len(housing.DefaultStandards()))
	}

	// Again, unchanged: nothing is written, nothing is logged, no one gets
	// a new password; the import is kept in the history all the same.
	high := highWater(t, im.db)
	again := im.run(housing.Principal{}, housing.ImportOptions{}, sampleFiles(t)...)
	wantCounts(t, "sites again", again.Sites, 0, 0, 0, 3, 0)
	wantCounts(t, "teams again", again.Teams, 0, 0, 0, 7, 0)
	wantCounts(t, "staff again", again.Staff, 0, 0, 0, 12, 0)
	wantCounts(t, "tenancies again", again.Tenancies, 0, 0, 0, 60, 0)
	if len(again.Passwords) != 0 {
		t.Errorf("got passwords %+v for accounts that exist", again.Passwords)
	}
	if got := highWater(t, im.db); got != high {
		t.Errorf("an unchanged import logged changes: high-water mark %d, was %d", got, high)
	}
	history, err := im.svc.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 2 || history[0].ID != again.ID || history[1].ID != r.ID {
		t.Fatalf("got history %+v, want the two imports, newest first", history)
	}
	if len(history[1].Passwords) != 0 || history[1].Tenancies.Added != 60 {
		t.Errorf("got kept report %+v, want its counts and no passwords", history[1])
	}

	// The same files on a new database give the same tenancy IDs.
	other := newImporter(t)
	other.run(housing.Principal{}, housing.ImportOptions{NoPasswords: true}, sampleFiles(t)...)
	ts2, err := (&sqlite.ReferenceService{DB: other.db}).Tenancies(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ts, ts2) {
		t.Errorf("the same files imported into a new database gave other tenancies")
	}
}

func TestImportDryRun(t *testing.T) {
	im := newImporter(t)
	before := dump(t, im.db)
	r := im.run(housing.Principal{}, housing.ImportOptions{DryRun: true}, sampleFiles(t)...)
	if !r.DryRun || r.ID != "" || len(r.Passwords) != 0 {
		t.Errorf("got dry run report %+v, want no ID and no passwords", r)
	}
	wantCounts(t, "tenancies", r.Tenancies, 60, 0, 0, 0, 0)
	wantCounts(t, "staff", r.Staff, 12, 0, 0, 0, 0)
	if after := dump(t, im.db); after != before {
		t.Errorf("a dry run changed the database:\n%s", after)
	}

	// After a real import, a dry run of changed files shows the changes and
	// still writes nothing.
	im.run(housing.Principal{}, housing.ImportOptions{NoPasswords: true}, sampleFiles(t)...)
	before = dump(t, im.db)
	tenancies := edited(t, sampleFiles(t, housing.ImportTenancies)[0],
		"MEA-0007,meadowbank,Ms F Hughes", "MEA-0007,castlehill,Ms F Hughes",
		"MEA-0014,meadowbank,Ms A Robinson,108 Barley Close,,Fenwick,FN3 1LF,1993-05-27,", "MEA-0014,meadowbank,Ms A Robinson,108 Barley Close,,Fenwick,FN3 1LF,1993-05-27,2026-11-01")
	r = im.run(housing.Principal{}, housing.ImportOptions{DryRun: true}, tenancies)
	wantCounts(t, "tenancies", r.Tenancies, 0, 1, 1, 58, 0)
	if want := "MEA-0007 Ms F Hughes, 86 Meadow Lane, Fenwick (castlehill): site meadowbank → castlehill"; !slices.Equal(r.Tenancies.ChangedRows, []string{want}) {
		t.Errorf("got changed rows %q, want %q", r.Tenancies.ChangedRows, want)
	}
	if want := "MEA-0014 Ms A Robinson, 108 Barley Close, Fenwick (meadowbank), ended 2026-11-01"; !slices.Equal(r.Tenancies.EndedRows, []string{want}) {
		t.Errorf("got ended rows %q, want %q", r.Tenancies.EndedRows, want)
	}
	if after := dump(t, im.db); after != before {
		t.Errorf("a dry run changed the database")
	}
}

// TestImportRefusals gives files with mistakes between them and with what
// is stored, beside mistakes in single rows: each is reported with its
// file, line and column, and nothing changes.
func TestImportRefusals(t *testing.T) {
	im := newImporter(t)
	im.run(housing.Principal{}, housing.ImportOptions{NoPasswords: true}, sampleFiles(t)...)
	files := sampleFiles(t)
	sites := edited(t, files[0], "brookside,Brookside Court", "brookside,")                                                                          // line 4: blank name
	staff := edited(t, files[2], "amira.hussain,Amira Hussain,officer,meadowbank,tenancy", "amira.hussain,Amira Hussain,officer,meadowbank,housing") // line 4: no such team
	tenancies := edited(t, files[3],
		"MEA-0007,meadowbank", "MEA-0007,hollins", // line 2: no such site
		"MEA-0014,meadowbank", "MEA-0014,brookside", // line 3: brookside's row is refused, so not reported again
		"1992-09-28", "28/09/1992", // a British date is fine
		"1993-05-27", "1993-27-05") // line 3: bad date
	ps := im.refuse(housing.Principal{}, housing.ImportOptions{}, sites, files[1], staff, tenancies)
	want := []housing.Problem{
		{File: "sites.csv", Line: 4, Column: "name"},
		{File: "staff.csv", Line: 4, Column: "teams", Message: `There is no team "housing": it is neither in teams.csv nor already in Doorstep.`},
		{File: "tenancies.csv", Line: 2, Column: "site_ref", Message: `There is no site "hollins": it is neither in sites.csv nor already in Doorstep.`},
		{File: "tenancies.csv", Line: 3, Column: "start_date"},
	}
	if len(ps) != len(want) {
		t.Fatalf("got problems %+v, want %+v", ps, want)
	}
	for i, p := range ps {
		w := want[i]
		if p.File != w.File || p.Line != w.Line || p.Column != w.Column || (w.Message != "" && p.Message != w.Message) {
			t.Errorf("got problem %+v, want %+v", p, w)
		}
	}

	// A staff.csv refused whole, or a row of it, switches no one off: the
	// accounts it would name are not known to be left out.
	ps = im.refuse(housing.Principal{}, housing.ImportOptions{},
		housing.ImportFile{Name: housing.ImportStaff, Data: []byte("username,name,role,sites,teams,mail\n")})
	if len(ps) != 1 || ps[0].Column != "mail" {
		t.Errorf("got %+v, want only the header refused", ps)
	}
	ps = im.refuse(housing.Principal{}, housing.ImportOptions{}, edited(t, files[2], "lena.marsh,Lena Marsh,admin", "lena.marsh,Lena Marsh,boss"))
	if len(ps) != 1 || ps[0].Line != 2 || ps[0].Column != "role" {
		t.Errorf("got %+v, want only line 2's role refused", ps)
	}

	// Past importcsv.MaxProblems, the rest are summed up in one last problem.
	var many strings.Builder
	many.WriteString("tenancy_ref,site_ref,household,address_line1\n")
	for i := range importcsv.MaxProblems + 5 {
		fmt.Fprintf(&many, "X-%d,nowhere,Mr X,%d Nowhere Road\n", i, i)
	}
	many.WriteString("X-bad,nowhere,,1 Nowhere Road\n")
	ps = im.refuse(housing.Principal{}, housing.ImportOptions{}, housing.ImportFile{Name: housing.ImportTenancies, Data: []byte(many.String())})
	if len(ps) != importcsv.MaxProblems+1 || ps[0].Line != 2 || !strings.Contains(ps[len(ps)-1].Message, "6 more problems") {
		t.Errorf("got %d problems, the first %+v and the last %+v; want %d, from line 2, ending with 6 more", len(ps), ps[0], ps[len(ps)-1], importcsv.MaxProblems+1)
	}

	// Files that are not an import's: refused by name; too large: refused
	// whole.
	ps = im.refuse(housing.Principal{}, housing.ImportOptions{}, housing.ImportFile{Name: "properties.xlsx", Data: []byte("PK")})
	if ps[0].File != "properties.xlsx" {
		t.Errorf("got %+v, want the file refused by its name", ps)
	}
	_, err := im.svc.Import(context.Background(), housing.Principal{}, []housing.ImportFile{{Name: housing.ImportTenancies, Data: make([]byte, housing.MaxImportBytes+1)}}, housing.ImportOptions{})
	if housing.ErrorCode(err) != housing.CodeTooLarge {
		t.Errorf("got %v for files over the limit, want too_large", err)
	}
}

// TestImportStaffRules checks who staff.csv switches off and on: an
// imported account left out is switched off (its devices signed out), one
// made by hand is left alone, one an admin switched off stays off, one the
// import switched off comes back; and the last admin and the admin running
// the import are never switched off or demoted.
func TestImportStaffRules(t *testing.T) {
	im := newImporter(t)
	ctx := context.Background()
	officers := &sqlite.OfficerService{DB: im.db}
	sessions := &sqlite.SessionService{DB: im.db}
	first, err := officers.CreateOfficer(ctx, housing.NewOfficer{Username: "admin", Name: "First Admin", Role: housing.RoleAdmin, Password: "tea at the lighthouse"})
	if err != nil {
		t.Fatal(err)
	}
	im.run(housing.Principal{}, housing.ImportOptions{NoPasswords: true}, sampleFiles(t)...)
	byName := func(username string) housing.Officer {
		t.Helper()
		o, err := officers.OfficerByUsername(ctx, username)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	if err := officers.SetPassword(ctx, housing.Principal{}, byName("tom.whitfield").ID, "a long walk home"); err != nil {
		t.Fatal(err)
	}
	tomSession, err := sessions.SignIn(ctx, housing.SignIn{Username: "tom.whitfield", Password: "a long walk home", DeviceName: "phone"})
	if err != nil {
		t.Fatal(err)
	}
	// An admin switches grace.okonkwo off by hand.
	if err := officers.DisableOfficer(ctx, byName("grace.okonkwo").ID); err != nil {
		t.Fatal(err)
	}

	staff := sampleFiles(t, housing.ImportStaff)[0]
	without := func(usernames ...string) housing.ImportFile {
		var lines []string
		for _, l := range strings.Split(string(staff.Data), "\n") {
			if !slices.ContainsFunc(usernames, func(u string) bool { return strings.HasPrefix(l, u+",") }) {
				lines = append(lines, l)
			}
		}
		return housing.ImportFile{Name: staff.Name, Data: []byte(strings.Join(lines, "\n"))}
	}
	r := im.run(housing.Principal{}, housing.ImportOptions{}, without("tom.whitfield"))
	wantCounts(t, "staff without tom", r.Staff, 0, 0, 1, 11, 1) // admin (by hand) is not in the file; grace is, and stays off
	if o := byName("tom.whitfield"); !o.Disabled {
		t.Errorf("tom.whitfield, left out of staff.csv, is still switched on")
	}
	if _, err := sessions.Authenticate(ctx, tomSession.Token); housing.ErrorCode(err) != housing.CodeUnauthorized {
		t.Errorf("tom.whitfield's phone is still signed in: %v", err)
	}
	if o := byName("admin"); o.Disabled || o.Imported {
		t.Errorf("the admin made by hand was touched: %+v", o)
	}
	if o := byName("grace.okonkwo"); !o.Disabled {
		t.Errorf("grace.okonkwo, switched off by an admin, was switched on by an import")
	}

	// tom comes back in the next staff.csv, and is switched on; grace stays off.
	r = im.run(housing.Principal{}, housing.ImportOptions{}, staff)
	wantCounts(t, "staff with tom", r.Staff, 0, 1, 0, 11, 1)
	if o := byName("tom.whitfield"); o.Disabled {
		t.Errorf("tom.whitfield, back in staff.csv, is still switched off")
	}
	if o := byName("grace.okonkwo"); !o.Disabled {
		t.Errorf("grace.okonkwo, switched off by an admin, was switched on by an import")
	}

	// A staff.csv naming the hand-made admin makes it imported.
	withAdmin := housing.ImportFile{Name: staff.Name, Data: append(slices.Clone(staff.Data), "admin,First Admin,admin,,,it@fenwickhomes.example\n"...)}
	r = im.run(housing.Principal{}, housing.ImportOptions{}, withAdmin)
	wantCounts(t, "staff with admin", r.Staff, 0, 1, 0, 12, 0)
	if o := byName("admin"); !o.Imported || o.Email != "it@fenwickhomes.example" || o.ID != first.ID {
		t.Errorf("got %+v, want the hand-made admin imported, with its email", o)
	}

	// The admin running the import may not switch themself off, nor make
	// themself an officer.
	staff = withAdmin
	lena := byName("lena.marsh")
	asLena := housing.Principal{OfficerID: lena.ID, Name: lena.Name, Role: housing.RoleAdmin}
	ps := im.refuse(asLena, housing.ImportOptions{}, without("lena.marsh"))
	if len(ps) != 1 || ps[0].File != "staff.csv" || !strings.Contains(ps[0].Message, "your own account") {
		t.Errorf("got %+v, want the import refused for switching off the admin running it", ps)
	}
	demoted := edited(t, staff, "lena.marsh,Lena Marsh,admin,,", "lena.marsh,Lena Marsh,officer,meadowbank,")
	ps = im.refuse(asLena, housing.ImportOptions{}, demoted)
	if len(ps) != 1 || ps[0].Line != 2 || ps[0].Column != "role" {
		t.Errorf("got %+v, want line 2's role refused", ps)
	}

	// With lena the only admin who can sign in, no staff.csv may take that
	// away, even from the command line.
	if err := officers.DisableOfficer(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	if err := officers.SetPassword(ctx, housing.Principal{}, lena.ID, "lena's own words"); err != nil {
		t.Fatal(err)
	}
	ps = im.refuse(housing.Principal{}, housing.ImportOptions{}, demoted)
	if len(ps) != 1 || ps[0].Line != 2 || !strings.Contains(ps[0].Message, "no admin who can sign in") {
		t.Errorf("got %+v, want the import refused for leaving no admin", ps)
	}
}

// TestImportEmailStaysOffPhones checks that staff's email addresses, and
// whether staff.csv manages them, are shown to admins and never sent to
// phones, in a snapshot or a change pulled later; and that a change of
// email alone logs nothing for phones.
func TestImportEmailStaysOffPhones(t *testing.T) {
	im := newImporter(t)
	im.run(housing.Principal{}, housing.ImportOptions{NoPasswords: true}, sampleFiles(t)...)
	fx := fixtureOf(t, im.db)
	phone := synctest.NewDevice(t, &sqlite.SyncService{DB: im.db}, fx, "amira.hussain", "amira-phone")
	phone.PullAll()
	wantNoEmail := func(when string) {
		t.Helper()
		n := 0
		for key, raw := range phone.Records {
			if strings.HasPrefix(key, housing.RecordOfficer+"/") {
				n++
				if s := string(raw); strings.Contains(s, "email") || strings.Contains(s, "@") || strings.Contains(s, "imported") {
					t.Errorf("%s: a phone got officer %s", when, s)
				}
			}
		}
		if n != 12 {
			t.Errorf("%s: the phone holds %d officers, want 12", when, n)
		}
	}
	wantNoEmail("snapshot")

	staff := sampleFiles(t, housing.ImportStaff)[0]
	high := highWater(t, im.db)
	im.run(housing.Principal{}, housing.ImportOptions{}, edited(t, staff, "tom.whitfield@", "tom.w@"))
	if got := highWater(t, im.db); got != high {
		t.Errorf("a new email logged a change for phones: high-water mark %d, was %d", got, high)
	}
	im.run(housing.Principal{}, housing.ImportOptions{}, edited(t, staff, "Tom Whitfield,officer,castlehill,tenancy,tom.whitfield@", "Tom Whitfield-Ray,officer,castlehill,tenancy,tom.wr@"))
	if highWater(t, im.db) == high {
		t.Fatalf("a new name logged no change")
	}
	phone.PullAll()
	wantNoEmail("change pulled")
	if got := string(phone.Records[housing.RecordOfficer+"/"+fx.Officers["tom.whitfield"].ID]); !strings.Contains(got, "Tom Whitfield-Ray") {
		t.Errorf("the phone holds tom as %s, want his new name", got)
	}
}

// fixtureOf is the accounts in db as a synctest fixture, by username, for
// devices that sync as them.
func fixtureOf(t *testing.T, db *sqlite.DB) synctest.Fixture {
	t.Helper()
	officers, err := (&sqlite.OfficerService{DB: db}).Officers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fx := synctest.Fixture{Officers: map[string]housing.Officer{}}
	for _, o := range officers {
		fx.Officers[o.Username] = o
	}
	return fx
}

// TestImportMovesPhonesScope re-imports the samples with a tenancy ended,
// one moved to another site and an officer's sites changed, and checks
// that phones that synced before drop and gain exactly the right records,
// and that a promise at the ended tenancy stays on the phones that held
// it: with pulls served from the changes held in memory (reaches) and
// from SQLite (changeScopeWhere).
func TestImportMovesPhonesScope(t *testing.T) {
	for _, tc := range []struct {
		name   string
		recent int
	}{{"FromMemory", 0}, {"FromSQLite", -1}} {
		t.Run(tc.name, func(t *testing.T) { testImportMovesPhonesScope(t, tc.recent) })
	}
}

func testImportMovesPhonesScope(t *testing.T, recent int) {
	im := newImporter(t)
	im.run(housing.Principal{}, housing.ImportOptions{NoPasswords: true}, sampleFiles(t)...)
	svc := &sqlite.SyncService{DB: im.db, RecentChanges: recent}
	fx := fixtureOf(t, im.db)
	tenancies, err := (&sqlite.ReferenceService{DB: im.db}).Tenancies(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	byRef := map[string]housing.Tenancy{}
	for _, tn := range tenancies {
		byRef[tn.Reference] = tn
	}
	amira := synctest.NewDevice(t, svc, fx, "amira.hussain", "amira-phone") // meadowbank, tenancy
	tom := synctest.NewDevice(t, svc, fx, "tom.whitfield", "tom-phone")     // castlehill, tenancy
	kate := synctest.NewDevice(t, svc, fx, "kate.robinson", "kate-phone")   // meadowbank and brookside, estates
	phones := []*synctest.Device{amira, tom, kate}
	for _, d := range phones {
		d.PullAll()
	}
	wantTenancies := func(d *synctest.Device, sites ...string) map[string]bool {
		t.Helper()
		want := map[string]bool{}
		for _, tn := range tenancies {
			if slices.Contains(sites, tn.SiteID) && !tn.Ended {
				want[tn.ID] = true
			}
		}
		return want
	}
	held := func(d *synctest.Device) map[string]bool {
		out := map[string]bool{}
		for key := range d.Records {
			if id, ok := strings.CutPrefix(key, housing.RecordTenancy+"/"); ok {
				out[id] = true
			}
		}
		return out
	}
	check := func(when string, d *synctest.Device, want map[string]bool) {
		t.Helper()
		got := held(d)
		for id := range want {
			if !got[id] {
				t.Errorf("%s: %s lacks tenancy %s", when, d.P.Name, id)
			}
		}
		for id := range got {
			if !want[id] {
				t.Errorf("%s: %s holds tenancy %s, which it should not", when, d.P.Name, id)
			}
		}
	}
	check("first sync", amira, wantTenancies(amira, "meadowbank"))
	check("first sync", tom, wantTenancies(tom, "castlehill"))
	check("first sync", kate, wantTenancies(kate, "meadowbank", "brookside"))
	if amira.Has(housing.RecordTenancy, byRef["MEA-0035"].ID) {
		t.Errorf("a tenancy that ended before the first import reached a phone")
	}

	// amira makes a promise at MEA-0007, which is about to end.
	ending := byRef["MEA-0007"]
	c := synctest.NewCommitment(amira.P, ending, housing.FunctionTenancy)
	amira.Push(amira.Mutation(housing.KindCommitmentMake, c.ID, 0, c))
	kate.PullAll()
	if !kate.Has(housing.RecordCommitment, c.ID) {
		t.Fatalf("kate's phone did not get the promise made on her site")
	}

	files := sampleFiles(t)
	moved := byRef["MEA-0014"]
	re := im.run(housing.Principal{}, housing.ImportOptions{},
		edited(t, files[2], "amira.hussain,Amira Hussain,officer,meadowbank,", "amira.hussain,Amira Hussain,officer,brookside,"),
		edited(t, files[3],
			"MEA-0007,meadowbank,Ms F Hughes,86 Meadow Lane,,Fenwick,FN3 4GF,1992-09-28,", "MEA-0007,meadowbank,Ms F Hughes,86 Meadow Lane,,Fenwick,FN3 4GF,1992-09-28,2026-11-20",
			"MEA-0014,meadowbank", "MEA-0014,castlehill"))
	wantCounts(t, "tenancies", re.Tenancies, 0, 1, 1, 58, 0)
	wantCounts(t, "staff", re.Staff, 0, 1, 0, 11, 0)

	// Each phone syncs as its officer now is.
	fx = fixtureOf(t, im.db)
	amira.P = fx.Principal("amira.hussain", "amira-phone")
	for _, d := range phones {
		d.PullAll()
	}
	tenancies, err = (&sqlite.ReferenceService{DB: im.db}).Tenancies(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	check("after the import", amira, wantTenancies(amira, "brookside"))
	check("after the import", tom, wantTenancies(tom, "castlehill"))
	check("after the import", kate, wantTenancies(kate, "meadowbank", "brookside"))
	if !tom.Has(housing.RecordTenancy, moved.ID) || kate.Has(housing.RecordTenancy, moved.ID) {
		t.Errorf("MEA-0014 did not move from meadowbank's phones to castlehill's")
	}
	if kate.Has(housing.RecordTenancy, ending.ID) {
		t.Errorf("the ended tenancy MEA-0007 is still on kate's phone")
	}
	if !kate.Has(housing.RecordCommitment, c.ID) {
		t.Errorf("the promise at the ended tenancy left kate's phone")
	}
	if got := kate.Commitment(c.ID); got.Household != ending.Household || got.Address != ending.Address {
		t.Errorf("the promise at the ended tenancy shows %q, %q; want its household and address", got.Household, got.Address)
	}
	// The ended tenancy is still on the server, with its history, and its
	// site's officers may still log a visit there from a phone that has
	// not heard it ended.
	v := synctest.NewVisit(kate.P, ending)
	if res := kate.Push(kate.Mutation(housing.KindVisitRecord, v.ID, 0, v)).Results[0]; res.Status != housing.ResultApplied {
		t.Errorf("a visit at an ended tenancy was %s (%s), want applied", res.Status, res.Reason)
	}
}
