package importcsv

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"doorstep/shared/housing"
)

// The columns of the four files (docs/import.md). Their spelling is the
// landlord's interface: it never changes once released.
const (
	ColSiteRef      = "site_ref"
	ColTeamRef      = "team_ref"
	ColName         = "name"
	ColUsername     = "username"
	ColRole         = "role"
	ColSites        = "sites"
	ColTeams        = "teams"
	ColEmail        = "email"
	ColTenancyRef   = "tenancy_ref"
	ColHousehold    = "household"
	ColAddressLine1 = "address_line1"
	ColAddressLine2 = "address_line2"
	ColTown         = "town"
	ColPostcode     = "postcode"
	ColStartDate    = "start_date"
	ColEndDate      = "end_date"
)

// column is one column of a file's format: its name, and whether the
// header row must have it. A column left out of a file that may leave it
// out reads as blank in every row.
type column struct {
	name     string
	required bool
}

// formats are the columns of each file, in the order docs/import.md lists
// them. Only what no row can do without is required: a staff.csv without
// its sites and teams columns would take every officer's scope away, so
// those are required too, though an admin's may be blank.
var formats = map[string][]column{
	housing.ImportSites: {{ColSiteRef, true}, {ColName, true}},
	housing.ImportTeams: {{ColTeamRef, true}, {ColName, true}},
	housing.ImportStaff: {{ColUsername, true}, {ColName, true}, {ColRole, true}, {ColSites, true}, {ColTeams, true}, {ColEmail, false}},
	housing.ImportTenancies: {{ColTenancyRef, true}, {ColSiteRef, true}, {ColHousehold, true}, {ColAddressLine1, true},
		{ColAddressLine2, false}, {ColTown, false}, {ColPostcode, false}, {ColStartDate, false}, {ColEndDate, false}},
}

// fileOrder is the order the files are applied in, each after those it
// refers to, and the order their problems are listed in.
var fileOrder = []string{housing.ImportSites, housing.ImportTeams, housing.ImportStaff, housing.ImportTenancies}

// Site is one row of sites.csv: a site, its ID the site_ref in lower case.
type Site struct {
	Line int
	Site housing.Site
}

// Team is one row of teams.csv: a team (a housing.Function), its ID the
// team_ref in lower case.
type Team struct {
	Line int
	Team housing.Function
}

// Staff is one row of staff.csv: an account as the landlord gives it, with
// its username normalized (housing.NormalizeUsername), its role, its sites
// and teams in lower case, sorted and without repeats, and its email. It
// has no ID: the store finds the account by username.
type Staff struct {
	Line    int
	Officer housing.Officer
}

// Tenancy is one row of tenancies.csv: a tenancy keyed by its reference,
// its SiteID the site_ref in lower case, its address the address lines and
// town joined with ", ". It has no ID, and Ended is not set: the store
// keeps a stored tenancy's ID and decides what has ended by its own day.
type Tenancy struct {
	Line    int
	Tenancy housing.Tenancy
}

// Set is an import's files, read: the rows of each file that passed every
// check, in file order. A file not given has no rows, and Given says so;
// that differs from a file given with a header and no rows, which for
// staff.csv means "no staff".
type Set struct {
	Files     []string // the files given, in the order they are applied
	Sites     []Site
	Teams     []Team
	Staff     []Staff
	Tenancies []Tenancy

	// refused holds, by file, the keys of the rows refused (a site_ref, a
	// username...), so the store does not report a row that names one of
	// them as naming something unknown: the row that defines it is wrong,
	// and is already reported. unread holds the files refused whole (not
	// UTF-8, not CSV, a bad header), whose every key counts as refused.
	refused map[string]map[string]bool
	unread  map[string]bool
}

// Given reports whether file (one of housing.Import*) was in the import.
func (s Set) Given(file string) bool { return slices.Contains(s.Files, file) }

// Refused reports whether a row of file with key (a site_ref or team_ref in
// lower case, a username, a tenancy_ref) was refused, or could have been:
// every key counts as refused in a file that could not be read at all.
func (s Set) Refused(file, key string) bool { return s.unread[file] || s.refused[file][key] }

// MaxProblems is how many problems Limit lists; past it, one more problem
// says how many were left out. A file with a mistake in every row (dates
// in the wrong order, say) would otherwise answer with a problem for each
// of 100,000 rows, when the first few say what to fix.
const MaxProblems = 1000

// Parse reads files: each must be named one of housing.ImportSites,
// ImportTeams, ImportStaff or ImportTenancies (by its base name, in any
// case), at most once, and hold UTF-8 CSV in its format. It returns the
// rows that passed and a problem for every one that did not, in file order
// then line order; the caller adds its own and cuts them with Limit. A
// file with a problem in its encoding, its CSV or its header row has no
// rows checked.
func Parse(files []housing.ImportFile) (Set, []housing.Problem) {
	set := Set{refused: map[string]map[string]bool{}, unread: map[string]bool{}}
	var ps problems
	byName := map[string][]byte{}
	for _, f := range files {
		name := strings.ToLower(path.Base(strings.ReplaceAll(f.Name, `\`, "/")))
		switch _, known := formats[name]; {
		case !known:
			ps.file(f.Name, "", "is not one of the files an import takes: %s, %s, %s or %s.",
				housing.ImportSites, housing.ImportTeams, housing.ImportStaff, housing.ImportTenancies)
		case byName[name] != nil:
			ps.file(name, "", "is given twice; give each file once.")
		default:
			byName[name] = f.Data
			if f.Data == nil {
				byName[name] = []byte{}
			}
		}
	}
	for _, name := range fileOrder {
		data, ok := byName[name]
		if !ok {
			continue
		}
		set.Files = append(set.Files, name)
		t, ok := readTable(name, data, &ps)
		if !ok {
			set.unread[name] = true
			continue
		}
		switch name {
		case housing.ImportSites:
			set.Sites = readSites(t, &ps, set.refuse(name))
		case housing.ImportTeams:
			set.Teams = readTeams(t, &ps, set.refuse(name))
		case housing.ImportStaff:
			set.Staff = readStaff(t, &ps, set.refuse(name))
		case housing.ImportTenancies:
			set.Tenancies = readTenancies(t, &ps, set.refuse(name))
		}
	}
	sortProblems(ps.list)
	return set, ps.list
}

// refuse returns the function that marks a row of file refused, by key.
func (s *Set) refuse(file string) func(key string) {
	keys := map[string]bool{}
	s.refused[file] = keys
	return func(key string) {
		if key != "" {
			keys[key] = true
		}
	}
}

// Limit returns ps sorted (see sortProblems) and cut to MaxProblems, with
// one more problem at the end that says how many were left out.
func Limit(ps []housing.Problem) []housing.Problem {
	sortProblems(ps)
	if len(ps) <= MaxProblems {
		return ps
	}
	more := len(ps) - MaxProblems
	return append(ps[:MaxProblems:MaxProblems], housing.Problem{File: ps[MaxProblems].File,
		Message: fmt.Sprintf("%d more problems are not listed; fix these and import again to see them.", more)})
}

// sortProblems sorts ps by file, in the order files are applied, then by
// line, keeping the order they were found in within a line.
func sortProblems(ps []housing.Problem) {
	rank := func(file string) int {
		if i := slices.Index(fileOrder, file); i >= 0 {
			return i
		}
		return -1 // a file that is not one of the four comes first
	}
	slices.SortStableFunc(ps, func(a, b housing.Problem) int {
		if d := rank(a.File) - rank(b.File); d != 0 {
			return d
		}
		return a.Line - b.Line
	})
}

// problems collects the problems of an import as they are found.
type problems struct {
	list []housing.Problem
}

// file adds a problem with a whole file (or its header row's column).
func (p *problems) file(file, column, format string, args ...any) {
	p.list = append(p.list, housing.Problem{File: file, Column: column, Message: fmt.Sprintf(format, args...)})
}

// row adds a problem with one line's column.
func (p *problems) row(file string, line int, column, format string, args ...any) {
	p.list = append(p.list, housing.Problem{File: file, Line: line, Column: column, Message: fmt.Sprintf(format, args...)})
}
