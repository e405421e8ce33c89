package synctest

import (
	"database/sql"
	"testing"

	"doorstep/shared/housing"
)

// Fixture is the small landlord every contract test runs against: two
// sites, the six functions with the default standards, officers whose
// scopes overlap in the ways that matter, and a few tenancies.
//
//	tom   officer     riverside  tenancy     makes promises at the door
//	rita  officer     hillside   repairs     keeps repairs promises, any site
//	ivan  officer     hillside   income
//	cara  officer     hillside   complaints
//	sue   supervisor  riverside  tenancy
//	ada   admin       both       all
type Fixture struct {
	Officers  map[string]housing.Officer
	Tenancies map[string]housing.Tenancy // riv1, riv2 (riverside), hill1 (hillside)
}

// Principal returns officer name signed in on device.
func (f Fixture) Principal(name, device string) housing.Principal {
	o, ok := f.Officers[name]
	if !ok {
		panic("synctest: no officer " + name)
	}
	return housing.Principal{
		OfficerID: o.ID, Name: o.Name, Role: o.Role, Sites: o.Sites, Functions: o.Functions,
		SessionID: "session-" + device, DeviceID: device,
	}
}

// NewFixture returns the fixture's records without storing them.
func NewFixture() Fixture {
	all := []string{housing.FunctionRepairs, housing.FunctionIncome, housing.FunctionTenancy,
		housing.FunctionASB, housing.FunctionLettings, housing.FunctionComplaints}
	officer := func(id, name string, role housing.Role, sites, fns []string) housing.Officer {
		return housing.Officer{ID: id, Username: id, Name: name, Role: role, Sites: sites, Functions: fns}
	}
	return Fixture{
		Officers: map[string]housing.Officer{
			"tom":  officer("tom", "Tom Okafor", housing.RoleOfficer, []string{"riverside"}, []string{housing.FunctionTenancy}),
			"rita": officer("rita", "Rita Patel", housing.RoleOfficer, []string{"hillside"}, []string{housing.FunctionRepairs}),
			"ivan": officer("ivan", "Ivan Novak", housing.RoleOfficer, []string{"hillside"}, []string{housing.FunctionIncome}),
			"cara": officer("cara", "Cara Jones", housing.RoleOfficer, []string{"hillside"}, []string{housing.FunctionComplaints}),
			"sue":  officer("sue", "Sue Brennan", housing.RoleSupervisor, []string{"riverside"}, []string{housing.FunctionTenancy}),
			"ada":  officer("ada", "Ada Lovell", housing.RoleAdmin, []string{"riverside", "hillside"}, all),
		},
		Tenancies: map[string]housing.Tenancy{
			"riv1":  {ID: "riv1", Reference: "RIV-00001", Household: "Mrs A Khan", Address: "1 River Walk, Leeds", Postcode: "LS1 1AA", SiteID: "riverside"},
			"riv2":  {ID: "riv2", Reference: "RIV-00002", Household: "Mr B Osei", Address: "2 River Walk, Leeds", Postcode: "LS1 1AB", SiteID: "riverside"},
			"hill1": {ID: "hill1", Reference: "HIL-00001", Household: "Ms C Wright", Address: "9 Hill Rise, Leeds", Postcode: "LS2 2BB", SiteID: "hillside"},
		},
	}
}

// Seed stores the fixture in a freshly migrated database and returns it.
// It writes the reference tables directly: reference data reaches devices
// through the snapshot, not the change log.
func Seed(tb testing.TB, db *sql.DB) Fixture {
	tb.Helper()
	f := NewFixture()
	exec := func(q string, args ...any) {
		tb.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			tb.Fatalf("seed fixture: %v", err)
		}
	}
	exec(`INSERT INTO sites (id, name) VALUES ('riverside', 'Riverside'), ('hillside', 'Hillside')`)
	exec(`INSERT INTO functions (id, name) VALUES ('repairs', 'Repairs'), ('income', 'Income'), ('tenancy', 'Tenancy management'),
		('asb', 'Anti-social behaviour'), ('lettings', 'Lettings'), ('complaints', 'Complaints')`)
	for _, o := range f.Officers {
		exec(`INSERT INTO officers (id, username, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, 'not-a-hash', '2026-01-01T00:00:00Z')`,
			o.ID, o.Username, o.Name, string(o.Role))
		for _, s := range o.Sites {
			exec(`INSERT INTO officer_sites (officer_id, site_id) VALUES (?, ?)`, o.ID, s)
		}
		for _, fn := range o.Functions {
			exec(`INSERT INTO officer_functions (officer_id, function_id) VALUES (?, ?)`, o.ID, fn)
		}
	}
	for _, st := range housing.DefaultStandards() {
		exec(`INSERT INTO standards (id, function_id, kind, name, unit, soonest, lim, statutory, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			st.ID, st.FunctionID, st.Kind, st.Name, string(st.Unit), st.Soonest, st.Limit, st.Statutory, st.Source)
	}
	for _, t := range f.Tenancies {
		exec(`INSERT INTO tenancies (id, reference, household, address, postcode, site_id) VALUES (?, ?, ?, ?, ?, ?)`,
			t.ID, t.Reference, t.Household, t.Address, t.Postcode, t.SiteID)
	}
	return f
}
