package importcsv

import (
	"slices"
	"strings"
	"time"

	"doorstep/shared/housing"
)

// The readers of each file's rows. Each checks every row on its own,
// reports what is wrong with it under its column, and keeps the rows with
// nothing wrong. A refused row's key is passed to refuse.

// Which column each housing.Field* of a validator's error is about, by
// file: a tenancy's address is its address lines and town joined, so its
// problems are put under the first line.
var (
	siteColumns    = map[string]string{housing.FieldID: ColSiteRef, housing.FieldName: ColName}
	teamColumns    = map[string]string{housing.FieldID: ColTeamRef, housing.FieldName: ColName}
	staffColumns   = map[string]string{housing.FieldUsername: ColUsername, housing.FieldName: ColName, housing.FieldRole: ColRole, housing.FieldSites: ColSites, housing.FieldFunctions: ColTeams, housing.FieldEmail: ColEmail}
	tenancyColumns = map[string]string{housing.FieldReference: ColTenancyRef, housing.FieldHousehold: ColHousehold,
		housing.FieldAddress: ColAddressLine1, housing.FieldPostcode: ColPostcode, housing.FieldSite: ColSiteRef}
)

func readSites(t *table, ps *problems, refuse func(string)) []Site {
	var out []Site
	seen := map[string]int{}
	for _, r := range t.rows {
		c := rowCheck{t: t, r: r, ps: ps, noun: "site"}
		s := housing.Site{ID: strings.ToLower(c.required(ColSiteRef)), Name: c.required(ColName)}
		if c.ok() {
			c.valid(s.Validate(), siteColumns)
		}
		c.unique(ColSiteRef, s.ID, seen)
		if !c.ok() {
			refuse(s.ID)
			continue
		}
		out = append(out, Site{Line: r.line, Site: s})
	}
	return out
}

func readTeams(t *table, ps *problems, refuse func(string)) []Team {
	var out []Team
	seen := map[string]int{}
	for _, r := range t.rows {
		c := rowCheck{t: t, r: r, ps: ps, noun: "team"}
		f := housing.Function{ID: strings.ToLower(c.required(ColTeamRef)), Name: c.required(ColName)}
		if c.ok() {
			c.valid(f.Validate(), teamColumns)
		}
		c.unique(ColTeamRef, f.ID, seen)
		if !c.ok() {
			refuse(f.ID)
			continue
		}
		out = append(out, Team{Line: r.line, Team: f})
	}
	return out
}

func readStaff(t *table, ps *problems, refuse func(string)) []Staff {
	var out []Staff
	seen := map[string]int{}
	for _, r := range t.rows {
		c := rowCheck{t: t, r: r, ps: ps, noun: "member of staff"}
		o := housing.Officer{
			Username:  housing.NormalizeUsername(c.required(ColUsername)),
			Name:      c.required(ColName),
			Role:      housing.Role(strings.ToLower(c.required(ColRole))),
			Sites:     c.refs(ColSites, "site"),
			Functions: c.refs(ColTeams, "team"),
			Email:     c.value(ColEmail),
		}
		if o.Username != "" {
			c.valid(housing.CheckUsername(o.Username), staffColumns)
		}
		if o.Name != "" {
			c.valid(housing.CheckName(o.Name), staffColumns)
		}
		switch {
		case o.Role == "":
		case !o.Role.Valid():
			c.fail(ColRole, "%q is not a role; a role is officer, supervisor or admin.", c.value(ColRole))
		case o.Role != housing.RoleAdmin && len(o.Sites) == 0 && len(o.Functions) == 0 && c.ok():
			c.fail(ColSites, "%s needs at least one site or team to see anything; sites and teams are both blank.", withArticle(o.Role))
		}
		c.valid(housing.CheckEmail(o.Email), staffColumns)
		if c.ok() {
			c.valid(o.Validate(), staffColumns)
		}
		c.unique(ColUsername, o.Username, seen)
		if !c.ok() {
			refuse(o.Username)
			continue
		}
		out = append(out, Staff{Line: r.line, Officer: o})
	}
	return out
}

func readTenancies(t *table, ps *problems, refuse func(string)) []Tenancy {
	var out []Tenancy
	seen := map[string]int{}
	for _, r := range t.rows {
		c := rowCheck{t: t, r: r, ps: ps, noun: "tenancy"}
		tn := housing.Tenancy{
			Reference: c.required(ColTenancyRef),
			SiteID:    strings.ToLower(c.required(ColSiteRef)),
			Household: c.required(ColHousehold),
			Address:   joinAddress(c.required(ColAddressLine1), c.value(ColAddressLine2), c.value(ColTown)),
			Postcode:  c.value(ColPostcode),
			StartDate: c.date(ColStartDate),
			EndDate:   c.date(ColEndDate),
		}
		if tn.SiteID != "" {
			if err := housing.CheckSlug("site", tn.SiteID); err != nil {
				c.fail(ColSiteRef, "%s", housing.ErrorMessage(err))
			}
		}
		if tn.StartDate != "" && tn.EndDate != "" && tn.EndDate.Before(tn.StartDate) {
			c.fail(ColEndDate, "The tenancy ends (%s) before it starts (%s).", tn.EndDate, tn.StartDate)
		}
		if c.ok() {
			// The ID is the store's to give; any will do for the check.
			tn.ID = "-"
			c.valid(tn.Validate(), tenancyColumns)
			tn.ID = ""
		}
		c.unique(ColTenancyRef, tn.Reference, seen)
		if !c.ok() {
			refuse(tn.Reference)
			continue
		}
		out = append(out, Tenancy{Line: r.line, Tenancy: tn})
	}
	return out
}

// joinAddress is a tenancy's address: its lines and town, the blank ones
// left out, joined with ", ".
func joinAddress(parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), ", ")
}

// rowCheck checks one row's values, reporting each problem under its
// column; ok says whether it found none.
type rowCheck struct {
	t      *table
	r      row
	ps     *problems
	noun   string // what a row is, for messages: "tenancy"
	failed bool
}

func (c *rowCheck) ok() bool { return !c.failed && !c.r.bad }

func (c *rowCheck) fail(col, format string, args ...any) {
	c.ps.row(c.t.file, c.r.line, col, format, args...)
	c.failed = true
}

// value is the row's value in col, trimmed.
func (c *rowCheck) value(col string) string { return c.t.value(c.r, col) }

// required is value, reporting it when blank. A bad row is already
// reported, and is not checked further.
func (c *rowCheck) required(col string) string {
	v := c.value(col)
	if v == "" && !c.r.bad {
		c.fail(col, "Every %s needs a %s; this one is blank.", c.noun, col)
	}
	return v
}

// valid reports err, a housing validator's, under the column its field is
// about (columns), unless it is nil.
func (c *rowCheck) valid(err error, columns map[string]string) {
	if err == nil {
		return
	}
	col := columns[housing.ErrorField(err)]
	msg := housing.ErrorMessage(err)
	if col == ColAddressLine1 {
		msg += " (address_line1, address_line2 and town make one address)"
	}
	c.fail(col, "%s", msg)
}

// unique reports key (in col) when an earlier row of the file has it.
func (c *rowCheck) unique(col, key string, seen map[string]int) {
	if key == "" || c.r.bad {
		return
	}
	if line, twice := seen[key]; twice {
		c.fail(col, "%q is also on line %d; give each %s once.", key, line, c.noun)
		return
	}
	seen[key] = c.r.line
}

// refs reads col as a list of site or team refs (what), separated by ";":
// each trimmed and in lower case, blanks dropped, sorted and without
// repeats, as an account stores them. It reports each that is not a valid
// ref.
func (c *rowCheck) refs(col, what string) []string {
	var out []string
	for _, ref := range strings.Split(c.value(col), ";") {
		ref = strings.ToLower(strings.TrimSpace(ref))
		if ref == "" {
			continue
		}
		if strings.Contains(ref, ",") {
			c.fail(col, "%q holds a comma; put a semicolon between %ss, like riverside;northgate.", ref, what)
			continue
		}
		if err := housing.CheckSlug(what, ref); err != nil {
			c.fail(col, "%s", housing.ErrorMessage(err))
			continue
		}
		out = append(out, ref)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// The dates a row may hold: years a tenancy can have started or ended in.
// A date outside them is a mistake in the export (a year of 0025, say).
const (
	firstYear = 1900
	lastYear  = 2099
)

// date reads col as a date, written as 2025-03-31 or, as British systems
// export it, 31/03/2025 (day first, never month first), reporting one that
// is neither. Blank is no date.
func (c *rowCheck) date(col string) housing.Date {
	v := c.value(col)
	if v == "" {
		return ""
	}
	d, ok := ParseDate(v)
	if !ok {
		c.fail(col, "%q is not a date between %d and %d; write it as 2025-03-31 or 31/03/2025 (day, month, year).", v, firstYear, lastYear)
	}
	return d
}

// ParseDate reads s as a date written as 2025-03-31 or 31/03/2025 (day
// first; 1/3/2025 is the first of March), from 1900 to 2099.
func ParseDate(s string) (housing.Date, bool) {
	for _, layout := range []string{"2006-01-02", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= firstYear && t.Year() <= lastYear {
			return housing.DateOf(t), true
		}
	}
	return "", false
}

// withArticle is "an officer" or "a supervisor", capitalised to start a
// sentence.
func withArticle(r housing.Role) string {
	if r == housing.RoleOfficer {
		return "An " + string(r)
	}
	return "A " + string(r)
}
