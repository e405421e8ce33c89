package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"doorstep/server/importcsv"
	"doorstep/shared/housing"
)

// An import is worked out before anything is written: planImport reads
// what is stored, compares each row with it, and gathers every change to
// make, the report's counts and every problem between files or with what
// is stored. A dry run stops there; a real import writes the plan (apply)
// in the transaction it was made in.

// importPlan is what an import would change, and why it cannot.
type importPlan struct {
	problems []housing.Problem

	sites     []sitePut
	functions []functionPut
	staff     []staffPut
	tenancies []tenancyPut

	counts [4]housing.ImportCounts // by importFiles
}

// importFiles are the files in the order of importPlan.counts.
var importFiles = [4]string{housing.ImportSites, housing.ImportTeams, housing.ImportStaff, housing.ImportTenancies}

type sitePut struct {
	site  housing.Site
	added bool
}

type functionPut struct {
	function housing.Function
	added    bool
}

// staffPut is an account to add or change: as it will be, and what that
// changes beyond its own row.
type staffPut struct {
	line             int // in staff.csv; 0 for an account switched off for being left out
	officer          housing.Officer
	added            bool
	disabledByImport bool
	scopeChanged     bool   // its sites or teams differ from those stored
	switchedOff      bool   // it can sign in now and will not: its devices are signed out
	public           bool   // what phones hold of it changes, so the change is logged
	hash             string // a new account's password hash; "" for none (givePasswords)
}

// tenancyPut is a tenancy to add or change, as it will be.
type tenancyPut struct {
	tenancy housing.Tenancy
	added   bool
	left    string // the site it moves from, whose phones drop it; "" if none
	log     bool   // phones need to hear of it
}

// planImport works out what set changes against what tx sees, for by (the
// zero Principal from the command line), with opts.
func planImport(ctx context.Context, tx *Tx, set importcsv.Set, by housing.Principal, opts housing.ImportOptions) (*importPlan, error) {
	p := &importPlan{}
	sites, err := readSites(ctx, tx, siteFilter{})
	if err != nil {
		return nil, err
	}
	functions, err := readFunctions(ctx, tx, functionFilter{})
	if err != nil {
		return nil, err
	}
	knownSites := p.planSites(set, sites)
	knownFunctions := p.planFunctions(set, functions)
	if set.Given(housing.ImportStaff) {
		officers, err := readImportOfficers(ctx, tx)
		if err != nil {
			return nil, err
		}
		p.planStaff(set, officers, knownSites, knownFunctions, by, !opts.NoPasswords)
	}
	if set.Given(housing.ImportTenancies) {
		tenancies, err := readTenancies(ctx, tx, tenancyFilter{})
		if err != nil {
			return nil, err
		}
		p.planTenancies(set, tenancies, knownSites, importDay(opts, tx))
	}
	return p, nil
}

// reportAt is the plan's report, as made at now by by.
func (p *importPlan) reportAt(now time.Time, by housing.Principal, set importcsv.Set, dry bool) housing.ImportReport {
	r := housing.ImportReport{At: now, By: by.OfficerID, ByName: by.Name, DryRun: dry, Files: set.Files,
		Sites: p.counts[0], Teams: p.counts[1], Staff: p.counts[2], Tenancies: p.counts[3]}
	if r.By == "" {
		r.ByName = "command line"
	}
	if r.Files == nil {
		r.Files = []string{}
	}
	return r
}

// tally adds one record to a count (what), and, while rows holds fewer
// than housing.ImportSampleRows, adds how it reads to rows.
func tally(what *int, rows *[]string, row string) {
	*what++
	if len(*rows) < housing.ImportSampleRows {
		*rows = append(*rows, row)
	}
}

// counted returns the counts of file.
func (p *importPlan) counted(file string) *housing.ImportCounts {
	return &p.counts[slices.Index(importFiles[:], file)]
}

func (p *importPlan) problem(file string, line int, column, format string, args ...any) {
	p.problems = append(p.problems, housing.Problem{File: file, Line: line, Column: column, Message: fmt.Sprintf(format, args...)})
}

// planSites adds and renames the sites of sites.csv, and returns every
// site the import's other files may name: those stored and those added.
func (p *importPlan) planSites(set importcsv.Set, stored []housing.Site) map[string]bool {
	known := map[string]bool{}
	old := map[string]housing.Site{}
	for _, s := range stored {
		known[s.ID], old[s.ID] = true, s
	}
	if !set.Given(housing.ImportSites) {
		return known
	}
	n := p.counted(housing.ImportSites)
	for _, row := range set.Sites {
		s := row.Site
		was, ok := old[s.ID]
		switch {
		case !ok:
			p.sites = append(p.sites, sitePut{site: s, added: true})
			tally(&n.Added, &n.AddedRows, s.ID+": "+s.Name)
		case was != s:
			p.sites = append(p.sites, sitePut{site: s})
			tally(&n.Changed, &n.ChangedRows, fmt.Sprintf("%s: %s (was %s)", s.ID, s.Name, was.Name))
		default:
			n.Unchanged++
		}
		known[s.ID] = true
		delete(old, s.ID)
	}
	n.NotInFile = len(old)
	return known
}

// planFunctions is planSites for teams.csv.
func (p *importPlan) planFunctions(set importcsv.Set, stored []housing.Function) map[string]bool {
	known := map[string]bool{}
	old := map[string]housing.Function{}
	for _, f := range stored {
		known[f.ID], old[f.ID] = true, f
	}
	if !set.Given(housing.ImportTeams) {
		return known
	}
	n := p.counted(housing.ImportTeams)
	for _, row := range set.Teams {
		f := row.Team
		was, ok := old[f.ID]
		switch {
		case !ok:
			p.functions = append(p.functions, functionPut{function: f, added: true})
			tally(&n.Added, &n.AddedRows, f.ID+": "+f.Name)
		case was != f:
			p.functions = append(p.functions, functionPut{function: f})
			tally(&n.Changed, &n.ChangedRows, fmt.Sprintf("%s: %s (was %s)", f.ID, f.Name, was.Name))
		default:
			n.Unchanged++
		}
		known[f.ID] = true
		delete(old, f.ID)
	}
	n.NotInFile = len(old)
	return known
}

// importOfficer is a stored account as an import sees it.
type importOfficer struct {
	housing.Officer
	disabledByImport bool
	hasPassword      bool
}

// canSignInAsAdmin reports whether o is an admin who can sign in: switched
// on, with a password.
func (o importOfficer) canSignInAsAdmin() bool {
	return o.Role == housing.RoleAdmin && !o.Disabled && o.hasPassword
}

// readImportOfficers reads every account, with what only an import needs:
// whether an import switched it off, and whether it has a password.
func readImportOfficers(ctx context.Context, tx *Tx) ([]importOfficer, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+officerColumns+`, o.disabled_by_import, o.password_hash <> '' FROM officers o`)
	if err != nil {
		return nil, fmt.Errorf("read officers: %w", err)
	}
	defer rows.Close()
	var out []importOfficer
	for rows.Next() {
		var o importOfficer
		var role, sites, fns string
		if err := rows.Scan(&o.ID, &o.Username, &o.Name, &role, &o.Disabled, &o.Email, &o.Imported, &sites, &fns,
			&o.disabledByImport, &o.hasPassword); err != nil {
			return nil, fmt.Errorf("scan officer: %w", err)
		}
		o.Role, o.Sites, o.Functions = housing.Role(role), splitIDs(sites), splitIDs(fns)
		o.Username = housing.NormalizeUsername(o.Username)
		out = append(out, o)
	}
	return out, rows.Err()
}

// planStaff adds and changes the accounts of staff.csv, which is the whole
// list of staff the landlord's system manages: an account it managed
// before (Imported) and now leaves out is switched off, never deleted; one
// made by hand is left alone unless the file names it, when it becomes
// managed. An account an import switched off comes back on when it
// reappears; one an admin switched off stays off. The last admin able to
// sign in, and the admin running the import, are never switched off or
// made something else.
//
// withPasswords says whether new accounts get a password, and so whether a
// new admin can sign in.
func (p *importPlan) planStaff(set importcsv.Set, stored []importOfficer, sites, functions map[string]bool, by housing.Principal, withPasswords bool) {
	n := p.counted(housing.ImportStaff)
	byUsername := map[string]importOfficer{}
	adminsBefore := 0
	for _, o := range stored {
		byUsername[o.Username] = o
		if o.canSignInAsAdmin() {
			adminsBefore++
		}
	}
	after := map[string]importOfficer{} // every account as it will be, by username
	for _, o := range stored {
		after[o.Username] = o
	}
	lines := map[string]int{} // username → staff.csv line
	for _, row := range set.Staff {
		o := row.Officer
		lines[o.Username] = row.Line
		p.checkKnown(set, row.Line, importcsv.ColSites, "site", housing.ImportSites, o.Sites, sites)
		p.checkKnown(set, row.Line, importcsv.ColTeams, "team", housing.ImportTeams, o.Functions, functions)
		was, ok := byUsername[o.Username]
		if !ok {
			id, err := uuid.NewV7()
			if err != nil {
				panic("sqlite: no randomness for an account ID: " + err.Error()) // crypto/rand never fails on supported platforms
			}
			o.ID, o.Imported = id.String(), true
			p.staff = append(p.staff, staffPut{line: row.Line, officer: o, added: true, public: true})
			tally(&n.Added, &n.AddedRows, describeOfficer(o))
			after[o.Username] = importOfficer{Officer: o, hasPassword: withPasswords}
			continue
		}
		next := was.Officer
		next.Name, next.Role, next.Sites, next.Functions, next.Email, next.Imported = o.Name, o.Role, o.Sites, o.Functions, o.Email, true
		if was.Disabled && was.disabledByImport {
			next.Disabled = false // it reappears: the import that switched it off switches it on
		}
		changed := changedOfficer(was.Officer, next)
		if len(changed) == 0 {
			n.Unchanged++
			continue
		}
		put := staffPut{line: row.Line, officer: next,
			scopeChanged: !slices.Equal(was.Sites, next.Sites) || !slices.Equal(was.Functions, next.Functions),
			public:       next.Name != was.Name || next.Role != was.Role || next.Disabled != was.Disabled || !slices.Equal(was.Sites, next.Sites) || !slices.Equal(was.Functions, next.Functions)}
		p.staff = append(p.staff, put)
		tally(&n.Changed, &n.ChangedRows, describeOfficer(next)+": "+strings.Join(changed, ", "))
		after[o.Username] = importOfficer{Officer: next, hasPassword: was.hasPassword}
	}
	for _, o := range stored {
		if _, named := lines[o.Username]; named || set.Refused(housing.ImportStaff, o.Username) {
			continue // a refused row names its account too; it is reported already
		}
		if !o.Imported || o.Disabled {
			n.NotInFile++ // made by hand, or already off: left as it is
			continue
		}
		next := o.Officer
		next.Disabled = true
		p.staff = append(p.staff, staffPut{officer: next, disabledByImport: true, switchedOff: true, public: true})
		tally(&n.Ended, &n.EndedRows, describeOfficer(next)+": not in staff.csv")
		after[o.Username] = importOfficer{Officer: next, hasPassword: o.hasPassword, disabledByImport: true}
	}
	p.checkAdmins(byUsername, after, lines, adminsBefore, by)
}

// checkAdmins refuses a staff.csv that would switch off or demote the admin
// running the import, or leave no admin able to sign in where there was
// one: someone must always be able to manage accounts, and the admin at
// the screen must not lose it half-way.
func (p *importPlan) checkAdmins(before, after map[string]importOfficer, lines map[string]int, adminsBefore int, by housing.Principal) {
	if by.OfficerID != "" {
		for _, o := range after {
			if o.ID != by.OfficerID {
				continue
			}
			switch {
			case o.Disabled && !before[o.Username].Disabled:
				p.problem(housing.ImportStaff, 0, "", "You are signed in as %s, who is not in this staff.csv: the import would switch off your own account. Add yourself to staff.csv as an admin.", o.Username)
			case o.Role != housing.RoleAdmin:
				p.problem(housing.ImportStaff, lines[o.Username], importcsv.ColRole, "You are signed in as %s, an admin; this row would make you %s %s, and you would lose the admin screens. Keep yourself an admin here, or ask another admin to change it.", o.Username, article(o.Role), o.Role)
			}
		}
	}
	adminsAfter := 0
	for _, o := range after {
		if o.canSignInAsAdmin() {
			adminsAfter++
		}
	}
	if adminsBefore == 0 || adminsAfter > 0 {
		return
	}
	var lost []string
	line := 0
	for _, o := range before {
		if o.canSignInAsAdmin() {
			lost = append(lost, o.Username)
			if l := lines[o.Username]; l > 0 && (line == 0 || l < line) {
				line = l
			}
		}
	}
	slices.Sort(lost)
	column := ""
	if line > 0 {
		column = importcsv.ColRole
	}
	p.problem(housing.ImportStaff, line, column, "This staff.csv would leave no admin who can sign in (it switches off or changes the role of %s). Keep at least one of them an admin.", strings.Join(lost, ", "))
}

// checkKnown reports each of refs (in column of a row on line of staff.csv)
// that is neither stored nor added by file (sites.csv or teams.csv),
// unless file's row for it was refused and so already reported.
func (p *importPlan) checkKnown(set importcsv.Set, line int, column, what, file string, refs []string, known map[string]bool) {
	for _, ref := range refs {
		if !known[ref] && !set.Refused(file, ref) {
			p.problem(housing.ImportStaff, line, column, "There is no %s %q: it is neither in %s nor already in Doorstep.", what, ref, file)
		}
	}
}

// changedOfficer names what differs between an account as stored and as
// it will be, for a dry run to show.
func changedOfficer(was, next housing.Officer) []string {
	var out []string
	for _, c := range []struct {
		what string
		same bool
	}{
		{"name", was.Name == next.Name},
		{"role " + string(was.Role) + " → " + string(next.Role), was.Role == next.Role},
		{"sites", slices.Equal(was.Sites, next.Sites)},
		{"teams", slices.Equal(was.Functions, next.Functions)},
		{"email", was.Email == next.Email},
		{"now managed by staff.csv", was.Imported == next.Imported},
		{"switched on again", was.Disabled == next.Disabled},
	} {
		if !c.same {
			out = append(out, c.what)
		}
	}
	return out
}

// describeOfficer is how an account reads in a report:
// "sean.kelly Sean Kelly (officer; sites castlehill, meadowbank; teams
// repairs)", leaving out sites or teams it has none of.
func describeOfficer(o housing.Officer) string {
	parts := []string{string(o.Role)}
	if len(o.Sites) > 0 {
		parts = append(parts, "sites "+strings.Join(o.Sites, ", "))
	}
	if len(o.Functions) > 0 {
		parts = append(parts, "teams "+strings.Join(o.Functions, ", "))
	}
	return fmt.Sprintf("%s %s (%s)", o.Username, o.Name, strings.Join(parts, "; "))
}

func article(r housing.Role) string {
	if r == housing.RoleOfficer {
		return "an"
	}
	return "a"
}

// planTenancies adds and changes the tenancies of tenancies.csv, keyed by
// reference. A stored tenancy keeps its ID; a new one gets
// ImportTenancyID. A tenancy whose end date is on or before today has
// ended, and leaves phones. One left out of the file is left as it is.
func (p *importPlan) planTenancies(set importcsv.Set, stored []housing.Tenancy, sites map[string]bool, today housing.Date) {
	n := p.counted(housing.ImportTenancies)
	byRef := make(map[string]housing.Tenancy, len(stored))
	ids := make(map[string]string, len(stored)) // ID → reference
	for _, t := range stored {
		byRef[t.Reference] = t
		ids[t.ID] = t.Reference
	}
	matched := 0
	for _, row := range set.Tenancies {
		t := row.Tenancy
		if !sites[t.SiteID] {
			if !set.Refused(housing.ImportSites, t.SiteID) {
				p.problem(housing.ImportTenancies, row.Line, importcsv.ColSiteRef, "There is no site %q: it is neither in %s nor already in Doorstep.", t.SiteID, housing.ImportSites)
			}
			continue
		}
		t.Ended = t.EndDate != "" && !today.Before(t.EndDate)
		was, ok := byRef[t.Reference]
		if !ok {
			t.ID = ImportTenancyID(t.Reference)
			if holder, taken := ids[t.ID]; taken {
				p.problem(housing.ImportTenancies, row.Line, importcsv.ColTenancyRef, "The ID this tenancy would get is held by tenancy %s; ask for help.", holder)
				continue
			}
			p.tenancies = append(p.tenancies, tenancyPut{tenancy: t, added: true, log: !t.Ended})
			tally(&n.Added, &n.AddedRows, describeTenancy(t))
			continue
		}
		matched++
		t.ID = was.ID
		if t == was {
			n.Unchanged++
			continue
		}
		put := tenancyPut{tenancy: t, log: !(was.Ended && t.Ended)}
		if was.SiteID != t.SiteID && !was.Ended {
			put.left = was.SiteID
		}
		p.tenancies = append(p.tenancies, put)
		if t.Ended && !was.Ended {
			tally(&n.Ended, &n.EndedRows, describeTenancy(t))
		} else {
			tally(&n.Changed, &n.ChangedRows, describeTenancy(t)+": "+strings.Join(changedTenancy(was, t), ", "))
		}
	}
	n.NotInFile = len(stored) - matched
}

// changedTenancy names what differs between a tenancy as stored and as it
// will be.
func changedTenancy(was, t housing.Tenancy) []string {
	var out []string
	for _, c := range []struct {
		what string
		same bool
	}{
		{"household", was.Household == t.Household},
		{"address", was.Address == t.Address},
		{"postcode", was.Postcode == t.Postcode},
		{"site " + was.SiteID + " → " + t.SiteID, was.SiteID == t.SiteID},
		{"start date", was.StartDate == t.StartDate},
		{"end date", was.EndDate == t.EndDate},
		{"no longer ended", was.Ended == t.Ended || t.Ended},
	} {
		if !c.same {
			out = append(out, c.what)
		}
	}
	return out
}

// describeTenancy is how a tenancy reads in a report:
// "RIV-0042 Mrs A Khan, 1 River Walk (riverside)", with its end date once
// it has ended.
func describeTenancy(t housing.Tenancy) string {
	s := fmt.Sprintf("%s %s, %s (%s)", t.Reference, t.Household, t.Address, t.SiteID)
	if t.Ended {
		s += ", ended " + string(t.EndDate)
	}
	return s
}
