package housing

import "slices"

// Site is an office or estate that tenancies and officers belong to.
type Site struct {
	ID   string `json:"id"` // a short slug, e.g. "riverside"
	Name string `json:"name"`
}

// Function is a team that keeps promises: repairs, income, tenancy
// management, ASB, lettings, complaints.
type Function struct {
	ID   string `json:"id"` // a short slug, e.g. "repairs"
	Name string `json:"name"`
}

// The functions every landlord has. Their IDs are stable.
const (
	FunctionRepairs    = "repairs"
	FunctionIncome     = "income"
	FunctionTenancy    = "tenancy"
	FunctionASB        = "asb"
	FunctionLettings   = "lettings"
	FunctionComplaints = "complaints"
)

// Role says what an officer may do beyond their own records.
type Role string

const (
	RoleOfficer    Role = "officer"    // acts on their own records and their functions' commitments
	RoleSupervisor Role = "supervisor" // also reassigns, extends, escalates and breaks others' commitments
	RoleAdmin      Role = "admin"      // also manages users and service standards
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r == RoleOfficer || r == RoleSupervisor || r == RoleAdmin }

// AtLeast reports whether r carries every right of min.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() }

func (r Role) rank() int {
	switch r {
	case RoleAdmin:
		return 3
	case RoleSupervisor:
		return 2
	case RoleOfficer:
		return 1
	}
	return 0
}

// Officer is a member of staff who signs in to Doorstep.
type Officer struct {
	ID        string   `json:"id"`
	Username  string   `json:"username"`
	Name      string   `json:"name"`
	Role      Role     `json:"role"`
	Sites     []string `json:"sites"`     // site IDs
	Functions []string `json:"functions"` // function IDs
	Disabled  bool     `json:"disabled,omitempty"`
	// Email is where the landlord reaches them; it comes with an import
	// (staff.csv) or an admin, is shown on the admin screens only, and
	// never travels to phones by sync.
	Email string `json:"email,omitempty"`
	// Imported marks an account that the landlord's staff.csv manages: one
	// missing from a later staff.csv is switched off. Accounts made by hand
	// (`doorstep user add`, the admin screen) are not, until a staff.csv
	// names them. Admin screens only; never sent by sync.
	Imported bool `json:"imported,omitempty"`
}

// FirstName is the part of the name a tenant sees.
func (o Officer) FirstName() string { return FirstName(o.Name) }

// Tenancy is a household at a property.
type Tenancy struct {
	ID        string `json:"id"`
	Reference string `json:"reference"` // the landlord's tenancy reference, e.g. "RIV-00042"
	Household string `json:"household"` // e.g. "Mrs A Khan and Mr B Khan"
	Address   string `json:"address"`   // full property address, lines separated by ", "
	Postcode  string `json:"postcode"`
	SiteID    string `json:"site_id"`
	// StartDate and EndDate come from the landlord's housing management
	// system; "" when it gave none.
	StartDate Date `json:"start_date,omitempty"`
	EndDate   Date `json:"end_date,omitempty"`
	// Ended is set when an import finds EndDate on or before its day: the
	// tenancy is kept with its history, on the server, but leaves officers'
	// phones (a pull sends it to them as removed).
	Ended bool `json:"ended,omitempty"`
}

// Principal is who is making a request: a signed-in officer on one device.
type Principal struct {
	OfficerID string   `json:"officer_id"`
	Name      string   `json:"name"`
	Role      Role     `json:"role"`
	Sites     []string `json:"sites"`
	Functions []string `json:"functions"`
	SessionID string   `json:"session_id"`
	DeviceID  string   `json:"device_id"`
}

// InSite reports whether the principal works at site.
func (p Principal) InSite(site string) bool { return slices.Contains(p.Sites, site) }

// InFunction reports whether the principal works in function.
func (p Principal) InFunction(function string) bool { return slices.Contains(p.Functions, function) }
