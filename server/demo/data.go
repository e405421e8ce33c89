package demo

import "doorstep/shared/housing"

// The demo landlord: its sites, teams, staff and the streets its tenancies
// are on. The places and people are made up; the shapes (street names, UK
// postcodes, tenancy references) are realistic so the app looks and sorts
// as it will for a real landlord.

// Password is every demo account's password. It is printed by `make run`
// and listed in README.md; a real landlord starts with an empty database
// and adds accounts with `doorstep user add`.
const Password = "doorstep"

// User is a demo account as README.md and the start-up banner list it.
type User struct {
	Username  string
	Password  string
	Name      string
	Role      housing.Role
	Sites     []string // site IDs
	Functions []string // function IDs
}

// Users are the demo landlord's staff: officers in each team, two
// supervisors and one admin. Tests rely on their usernames, scopes and
// order.
var Users = []User{
	{"sarah", Password, "Sarah Okafor", housing.RoleOfficer, []string{"riverside"}, []string{housing.FunctionTenancy}},
	{"hannah", Password, "Hannah Wright", housing.RoleOfficer, []string{"northgate"}, []string{housing.FunctionTenancy}},
	{"kwame", Password, "Kwame Mensah", housing.RoleOfficer, []string{"hollins"}, []string{housing.FunctionTenancy}},
	{"tom", Password, "Tom Bradley", housing.RoleOfficer, []string{"riverside", "northgate"}, []string{housing.FunctionRepairs}},
	{"priya", Password, "Priya Shah", housing.RoleOfficer, []string{"northgate", "hollins"}, []string{housing.FunctionIncome}},
	{"dan", Password, "Dan Murphy", housing.RoleOfficer, []string{"hollins"}, []string{housing.FunctionASB}},
	{"owen", Password, "Owen Price", housing.RoleOfficer, []string{"riverside", "northgate", "hollins"}, []string{housing.FunctionLettings}},
	{"grace", Password, "Grace Lee", housing.RoleOfficer, []string{"riverside", "northgate", "hollins"}, []string{housing.FunctionComplaints}},
	{"jo", Password, "Joanne Fletcher", housing.RoleSupervisor, []string{"riverside", "northgate"}, []string{housing.FunctionTenancy, housing.FunctionASB, housing.FunctionLettings}},
	{"ravi", Password, "Ravi Patel", housing.RoleSupervisor, []string{"riverside", "northgate", "hollins"}, []string{housing.FunctionRepairs, housing.FunctionIncome, housing.FunctionComplaints}},
	{"admin", Password, "Morgan Ellis", housing.RoleAdmin, nil, nil},
}

// functions are the six functions every landlord has, with their stable
// IDs.
var functions = []housing.Function{
	{ID: housing.FunctionRepairs, Name: "Repairs"},
	{ID: housing.FunctionIncome, Name: "Income and rent"},
	{ID: housing.FunctionTenancy, Name: "Tenancy management"},
	{ID: housing.FunctionASB, Name: "Anti-social behaviour"},
	{ID: housing.FunctionLettings, Name: "Lettings"},
	{ID: housing.FunctionComplaints, Name: "Complaints"},
}

// site is a site and what its tenancies are made from.
type site struct {
	housing.Site
	Prefix    string // of tenancy references, e.g. "RIV" in "RIV-00042"
	Town      string
	District  string // the postcode's outward code, e.g. "M6"
	Tenancies int
	Streets   []string
	Blocks    []string // blocks of flats on the estate
}

var sites = []site{
	{
		Site:   housing.Site{ID: "riverside", Name: "Riverside Estate"},
		Prefix: "RIV", Town: "Salford", District: "M6", Tenancies: 80,
		Streets: []string{"Willow Road", "Ferry Lane", "Wharf Street", "Tannery Walk", "Barge Close", "Weir View", "Lock Keeper's Way", "Mill Race"},
		Blocks:  []string{"Kingfisher House", "Heron Court"},
	},
	{
		Site:   housing.Site{ID: "northgate", Name: "Northgate"},
		Prefix: "NGT", Town: "Leeds", District: "LS7", Tenancies: 70,
		Streets: []string{"Northgate Road", "Beech Grove", "Cavendish Terrace", "Sefton Avenue", "Holly Bank", "Granby Street", "Chapel Street"},
		Blocks:  []string{"Sefton Towers"},
	},
	{
		Site:   housing.Site{ID: "hollins", Name: "Hollins Park"},
		Prefix: "HOL", Town: "Bury", District: "BL9", Tenancies: 50,
		Streets: []string{"Hollins Lane", "Park View", "Thrush Close", "Rowan Drive", "Mayfield Avenue", "Hazel Grove"},
		Blocks:  []string{"Elm Court"},
	},
}

// Names for households, drawn from the mix of a British city.
var (
	women = []string{"Amira", "Sarah", "Grace", "Chloe", "Fatima", "Joanne", "Agnieszka", "Precious", "Emma",
		"Siobhan", "Aisha", "Margaret", "Leanne", "Priya", "Olivia", "Nadia", "Bernadette", "Yasmin", "Kelly", "Ewa"}
	men = []string{"Daniel", "Mohammed", "Tomasz", "Kevin", "Liam", "Oluwaseun", "Gary", "Imran", "Patrick",
		"Jamal", "Stephen", "Arjun", "Connor", "Dariusz", "Tyrone", "Colin", "Bilal", "Ryan", "Desmond", "Harry"}
	surnames = []string{"Khan", "Doyle", "Okafor", "Nowak", "Smith", "Ahmed", "Walsh", "Patel", "Jones", "Hussain",
		"Murphy", "Kowalski", "Williams", "Begum", "Taylor", "Mensah", "O'Brien", "Brown", "Ali", "Campbell",
		"Evans", "Adeyemi", "Clarke", "Singh", "Hughes", "Wilson", "Robinson", "Igwe", "Wood", "Kaur"}
)

// postcodeUnit holds the letters a postcode's last two places may use: the
// alphabet without C, I, K, M, O and V, as Royal Mail allows.
const postcodeUnit = "ABDEFGHJLNPQRSTUWXYZ"
