package importcsv_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"doorstep/server/importcsv"
	"doorstep/shared/housing"
)

// samples reads the sample set in docs/examples.
func samples(t *testing.T) []housing.ImportFile {
	t.Helper()
	var out []housing.ImportFile
	for _, name := range []string{housing.ImportSites, housing.ImportTeams, housing.ImportStaff, housing.ImportTenancies} {
		data, err := os.ReadFile(filepath.Join("..", "..", "docs", "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, housing.ImportFile{Name: name, Data: data})
	}
	return out
}

func TestParseSamples(t *testing.T) {
	set, ps := importcsv.Parse(samples(t))
	if len(ps) > 0 {
		t.Fatalf("the sample files have problems: %v", ps)
	}
	if got, want := []int{len(set.Sites), len(set.Teams), len(set.Staff), len(set.Tenancies)}, []int{3, 7, 12, 60}; !slices.Equal(got, want) {
		t.Errorf("got %v sites, teams, staff and tenancies, want %v", got, want)
	}
	if got, want := set.Files, []string{housing.ImportSites, housing.ImportTeams, housing.ImportStaff, housing.ImportTenancies}; !slices.Equal(got, want) {
		t.Errorf("got files %v, want %v", got, want)
	}
	first := set.Tenancies[0]
	want := housing.Tenancy{Reference: "MEA-0007", SiteID: "meadowbank", Household: "Ms F Hughes",
		Address: "86 Meadow Lane, Fenwick", Postcode: "FN3 4GF", StartDate: "1992-09-28"}
	if first.Line != 2 || first.Tenancy != want {
		t.Errorf("got first tenancy %+v on line %d, want %+v on line 2", first.Tenancy, first.Line, want)
	}
	o := set.Staff[1].Officer
	if o.Username != "daniel.osei" || o.Role != housing.RoleSupervisor || !slices.Equal(o.Sites, []string{"brookside", "castlehill", "meadowbank"}) ||
		!slices.Equal(o.Functions, []string{"asb", "estates", "tenancy"}) || o.Email != "daniel.osei@fenwickhomes.example" {
		t.Errorf("got supervisor %+v", o)
	}
}

// TestParseForgiving checks what a housing system's export may do that is
// not a mistake: a BOM, columns in any order and in any case, spaces
// around values, refs in capitals, British dates, list items with spaces
// and blanks, a file name in capitals, optional columns left out, blank
// rows at the end and a row that stops short.
func TestParseForgiving(t *testing.T) {
	files := []housing.ImportFile{
		{Name: "exports/SITES.CSV", Data: []byte("\xEF\xBB\xBFName , Site_Ref\r\n Riverside Estate , RIVERSIDE \r\n,\r\n")},
		{Name: "staff.csv", Data: []byte("teams,sites,role,name,username\nRepairs; ,riverside ; Northgate;riverside,Officer,Sam Lee, Sam.Lee \n")},
		{Name: "tenancies.csv", Data: []byte("tenancy_ref,site_ref,household,address_line1,town,start_date,end_date\n" +
			"RIV-1,Riverside,Mrs A Khan,1 River Walk,Leeds,31/03/2020,1/4/2025\n" +
			"RIV-2,riverside,Mr B Khan,2 River Walk\n")},
	}
	set, ps := importcsv.Parse(files)
	if len(ps) > 0 {
		t.Fatalf("got problems %v", ps)
	}
	if got, want := set.Sites, []importcsv.Site{{Line: 2, Site: housing.Site{ID: "riverside", Name: "Riverside Estate"}}}; !slices.Equal(got, want) {
		t.Errorf("got sites %+v, want %+v", got, want)
	}
	o := set.Staff[0].Officer
	if o.Username != "sam.lee" || o.Role != housing.RoleOfficer || !slices.Equal(o.Sites, []string{"northgate", "riverside"}) || !slices.Equal(o.Functions, []string{"repairs"}) {
		t.Errorf("got staff %+v", o)
	}
	got := set.Tenancies[0].Tenancy
	if got.SiteID != "riverside" || got.Address != "1 River Walk, Leeds" || got.StartDate != "2020-03-31" || got.EndDate != "2025-04-01" {
		t.Errorf("got tenancy %+v", got)
	}
	if got := set.Tenancies[1].Tenancy; got.Address != "2 River Walk" || got.EndDate != "" {
		t.Errorf("got short row %+v", got)
	}
	if !set.Given(housing.ImportSites) || set.Given(housing.ImportTeams) {
		t.Errorf("got files %v, want sites.csv given and teams.csv not", set.Files)
	}
}

// TestParseRefusals gives each kind of mistake in a file of its own and
// checks that it is reported with its file, line and column.
func TestParseRefusals(t *testing.T) {
	const tenancyHeader = "tenancy_ref,site_ref,household,address_line1,address_line2,town,postcode,start_date,end_date\n"
	const staffHeader = "username,name,role,sites,teams,email\n"
	long := strings.Repeat("x", 101)
	for _, tc := range []struct {
		name string
		file string
		data string
		want []housing.Problem // Message is matched as a part
	}{
		{"UnknownFile", "properties.csv", "a,b\n", []housing.Problem{{File: "properties.csv", Message: "is not one of the files"}}},
		{"Empty", housing.ImportSites, "", []housing.Problem{{File: housing.ImportSites, Message: "is empty"}}},
		{"NotUTF8", housing.ImportSites, "site_ref,name\nriverside,Riverside\nnorthgate,Caf\xe9 Row\n",
			[]housing.Problem{{File: housing.ImportSites, Line: 3, Message: "not UTF-8"}}},
		{"Binary", housing.ImportSites, "PK\x03\x04\x00\x00binary", []housing.Problem{{File: housing.ImportSites, Message: "not a CSV file"}}},
		{"BareQuote", housing.ImportSites, "site_ref,name\nriverside,Riverside\nnorth\"gate,Northgate\n",
			[]housing.Problem{{File: housing.ImportSites, Line: 3, Message: "not valid CSV"}}},
		{"Semicolons", housing.ImportSites, "site_ref;name\nriverside;Riverside\n", []housing.Problem{{File: housing.ImportSites, Line: 1, Message: "separates its columns with \";\""}}},
		{"MissingColumn", housing.ImportSites, "site_ref\nriverside\n", []housing.Problem{{File: housing.ImportSites, Column: "name", Message: "missing from the header row"}}},
		{"UnknownColumn", housing.ImportSites, "site_ref,name,manager\nriverside,Riverside,Jo\n",
			[]housing.Problem{{File: housing.ImportSites, Line: 1, Column: "manager", Message: "is not a column of sites.csv"}}},
		{"ColumnTwice", housing.ImportSites, "site_ref,name,Name\nriverside,Riverside,R\n",
			[]housing.Problem{{File: housing.ImportSites, Line: 1, Column: "name", Message: "twice"}}},
		{"ValueUnderNoColumn", housing.ImportSites, "site_ref,name\nriverside,Riverside,extra\nnorthgate,Northgate\n",
			[]housing.Problem{{File: housing.ImportSites, Line: 2, Message: "has 3 values"}}},
		{"DuplicateRefAnyCase", housing.ImportSites, "site_ref,name\nriverside,Riverside\nnorthgate,Northgate\nRiverside,Riverside again\n",
			[]housing.Problem{{File: housing.ImportSites, Line: 4, Column: "site_ref", Message: "also on line 2"}}},
		{"BadRef", housing.ImportTeams, "team_ref,name\nrepairs team,Repairs\n",
			[]housing.Problem{{File: housing.ImportTeams, Line: 2, Column: "team_ref", Message: "may use only lower-case letters"}}},
		{"NameTooLong", housing.ImportTeams, "team_ref,name\nrepairs," + long + "\n",
			[]housing.Problem{{File: housing.ImportTeams, Line: 2, Column: "name", Message: "under 100 characters"}}},
		{"BlankName", housing.ImportTeams, "team_ref,name\nrepairs,\n",
			[]housing.Problem{{File: housing.ImportTeams, Line: 2, Column: "name", Message: "blank"}}},
		{"BadRole", housing.ImportStaff, staffHeader + "sam,Sam Lee,manager,riverside,repairs,\n",
			[]housing.Problem{{File: housing.ImportStaff, Line: 2, Column: "role", Message: "\"manager\" is not a role"}}},
		{"BadUsername", housing.ImportStaff, staffHeader + "sam lee,Sam Lee,officer,riverside,repairs,\n",
			[]housing.Problem{{File: housing.ImportStaff, Line: 2, Column: "username", Message: "only lower-case letters"}}},
		{"DuplicateUsernameAnyCase", housing.ImportStaff, staffHeader + "sam,Sam Lee,officer,riverside,,\nSAM,Sam Lee,officer,riverside,,\n",
			[]housing.Problem{{File: housing.ImportStaff, Line: 3, Column: "username", Message: "also on line 2"}}},
		{"NoScope", housing.ImportStaff, staffHeader + "sam,Sam Lee,officer,,,\n",
			[]housing.Problem{{File: housing.ImportStaff, Line: 2, Column: "sites", Message: "at least one site or team"}}},
		{"CommaInList", housing.ImportStaff, staffHeader + "sam,Sam Lee,officer,\"riverside,northgate\",,\n",
			[]housing.Problem{{File: housing.ImportStaff, Line: 2, Column: "sites", Message: "semicolon"}}},
		{"BadEmail", housing.ImportStaff, staffHeader + "sam,Sam Lee,officer,riverside,,sam at example.org\n",
			[]housing.Problem{{File: housing.ImportStaff, Line: 2, Column: "email", Message: "no spaces"}}},
		{"BadDate", housing.ImportTenancies, tenancyHeader + "RIV-1,riverside,Mrs A Khan,1 River Walk,,,,03/31/2020,\n",
			[]housing.Problem{{File: housing.ImportTenancies, Line: 2, Column: "start_date", Message: "is not a date"}}},
		{"EndBeforeStart", housing.ImportTenancies, tenancyHeader + "RIV-1,riverside,Mrs A Khan,1 River Walk,,,,2020-03-31,2019-01-01\n",
			[]housing.Problem{{File: housing.ImportTenancies, Line: 2, Column: "end_date", Message: "ends (2019-01-01) before it starts (2020-03-31)"}}},
		{"BlankHousehold", housing.ImportTenancies, tenancyHeader + "RIV-1,riverside,  ,1 River Walk,,,,,\n",
			[]housing.Problem{{File: housing.ImportTenancies, Line: 2, Column: "household", Message: "blank"}}},
		{"ReferenceTooLong", housing.ImportTenancies, tenancyHeader + strings.Repeat("R", 41) + ",riverside,Mrs A Khan,1 River Walk,,,,,\n",
			[]housing.Problem{{File: housing.ImportTenancies, Line: 2, Column: "tenancy_ref", Message: "under 40 characters"}}},
		{"AddressTooLong", housing.ImportTenancies, tenancyHeader + "RIV-1,riverside,Mrs A Khan,1 River Walk," + strings.Repeat("y", 300) + ",,,,\n",
			[]housing.Problem{{File: housing.ImportTenancies, Line: 2, Column: "address_line1", Message: "make one address"}}},
		{"ControlCharacter", housing.ImportTenancies, tenancyHeader + "RIV-1,riverside,Mrs A Khan\u202e,1 River Walk,,,,,\n",
			[]housing.Problem{{File: housing.ImportTenancies, Line: 2, Column: "household", Message: "invisible or control character"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ps := importcsv.Parse([]housing.ImportFile{{Name: tc.file, Data: []byte(tc.data)}})
			if len(ps) != len(tc.want) {
				t.Fatalf("got problems %+v, want %+v", ps, tc.want)
			}
			for i, p := range ps {
				w := tc.want[i]
				if p.File != w.File || p.Line != w.Line || p.Column != w.Column || !strings.Contains(p.Message, w.Message) {
					t.Errorf("got problem %+v, want %+v", p, w)
				}
			}
		})
	}
}

// TestParseEveryBadRow checks that every bad row is reported, not just the
// first, that the good rows are still read, and that the refused rows'
// keys are known as refused.
func TestParseEveryBadRow(t *testing.T) {
	data := "site_ref,name\nriverside,Riverside\nbad ref,Bad\nnorthgate,\nhollins,Hollins Park\n"
	set, ps := importcsv.Parse([]housing.ImportFile{{Name: housing.ImportSites, Data: []byte(data)}})
	var lines []int
	for _, p := range ps {
		lines = append(lines, p.Line)
	}
	if !slices.Equal(lines, []int{3, 4}) {
		t.Errorf("got problems on lines %v (%+v), want 3 and 4", lines, ps)
	}
	if len(set.Sites) != 2 || set.Sites[1].Line != 5 {
		t.Errorf("got sites %+v, want riverside and hollins", set.Sites)
	}
	if !set.Refused(housing.ImportSites, "northgate") || set.Refused(housing.ImportSites, "riverside") {
		t.Errorf("want northgate refused and riverside not")
	}
}

// TestParseUnreadFile checks that a file refused whole (here for its
// header) counts every key as refused, so that what names one is not
// reported again.
func TestParseUnreadFile(t *testing.T) {
	set, ps := importcsv.Parse([]housing.ImportFile{{Name: housing.ImportStaff, Data: []byte("username,name,role,sites,teams,mail\nsam,Sam,officer,a,,x\n")}})
	if len(ps) != 1 || ps[0].Column != "mail" {
		t.Errorf("got %+v, want the mail column refused", ps)
	}
	if !set.Given(housing.ImportStaff) || !set.Refused(housing.ImportStaff, "anyone") || len(set.Staff) != 0 {
		t.Errorf("want staff.csv given, with no rows, and every username refused")
	}
}

func TestParseFileTwice(t *testing.T) {
	f := housing.ImportFile{Name: housing.ImportSites, Data: []byte("site_ref,name\nriverside,Riverside\n")}
	_, ps := importcsv.Parse([]housing.ImportFile{f, f})
	if len(ps) != 1 || !strings.Contains(ps[0].Message, "given twice") {
		t.Errorf("got %+v, want one problem saying sites.csv is given twice", ps)
	}
}

func TestLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("site_ref,name\n")
	for i := range importcsv.MaxProblems + 10 {
		fmt.Fprintf(&b, "site%d,\n", i)
	}
	_, all := importcsv.Parse([]housing.ImportFile{{Name: housing.ImportSites, Data: []byte(b.String())}})
	if len(all) != importcsv.MaxProblems+10 {
		t.Fatalf("Parse found %d problems, want every one of %d", len(all), importcsv.MaxProblems+10)
	}
	ps := importcsv.Limit(all)
	if len(ps) != importcsv.MaxProblems+1 {
		t.Fatalf("got %d problems, want %d", len(ps), importcsv.MaxProblems+1)
	}
	if last := ps[len(ps)-1]; !strings.Contains(last.Message, "10 more problems") {
		t.Errorf("got last problem %+v, want one saying 10 more", last)
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want housing.Date
		ok   bool
	}{
		{"2025-03-31", "2025-03-31", true},
		{"31/03/2025", "2025-03-31", true},
		{"1/3/2025", "2025-03-01", true},
		{"03/31/2025", "", false}, // month first is not read
		{"2025-02-30", "", false},
		{"0025-03-31", "", false},
		{"31.03.2025", "", false},
		{"yesterday", "", false},
	} {
		got, ok := importcsv.ParseDate(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseDate(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
