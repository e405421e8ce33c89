package housing

import (
	"fmt"
	"strings"
)

// Unit is what a standard's Soonest and Limit count.
type Unit string

const (
	UnitHours       Unit = "hours"        // clock hours; a due date is a day, so 24 hours allows the next day
	UnitWorkingDays Unit = "working_days" // days that are not weekends or England and Wales bank holidays
)

// The longest a standard may be, about a year in either unit. Anything longer
// is almost certainly a typing slip, and it keeps working-day counting short.
const (
	maxStandardHours       = 365 * 24
	maxStandardWorkingDays = 260
)

// Limits on the words of a standard, which an admin types and every
// officer's phone shows in the promise form.
const (
	MaxStandardName   = 120
	MaxStandardSource = 1000
)

// Standard is how soon a function can realistically keep one kind of promise,
// and the latest it is allowed to. The commitment form checks a due date
// against it (Check) and asks the officer for a reason to go past a warning.
// Admins edit standards; DefaultStandards seeds them.
type Standard struct {
	ID         string `json:"id"`          // "repairs.emergency", unique, stable
	FunctionID string `json:"function_id"` // the owning function, e.g. "repairs"
	Kind       string `json:"kind"`        // the kind of promise within the function, e.g. "emergency"
	Name       string `json:"name"`        // plain words for the picker: "Emergency repair (make safe)"
	Unit       Unit   `json:"unit"`
	Soonest    int    `json:"soonest"`   // the soonest the function can realistically meet, in Unit (0 = same day)
	Limit      int    `json:"limit"`     // the latest allowed, in Unit; 0 = no limit
	Statutory  bool   `json:"statutory"` // Limit is set by law or the regulator, not just policy
	Source     string `json:"source"`    // where the rule comes from, shown to the officer
}

// Validate returns an *Error with CodeInvalid saying what to fix, or nil.
func (s Standard) Validate() error {
	switch {
	case strings.TrimSpace(s.ID) == "":
		return Invalid(FieldID, "The standard needs an ID, such as \"repairs.emergency\".")
	case strings.TrimSpace(s.FunctionID) == "":
		return Invalid(FieldFunction, "The standard %q needs a function, such as \"repairs\".", s.ID)
	case strings.TrimSpace(s.Kind) == "":
		return Invalid(FieldKind, "The standard %q needs a kind of promise, such as \"emergency\".", s.ID)
	case strings.TrimSpace(s.Name) == "":
		return Invalid(FieldName, "The standard %q needs a name officers will recognise, such as \"Emergency repair (make safe)\".", s.ID)
	case s.Unit != UnitHours && s.Unit != UnitWorkingDays:
		return Invalid(FieldUnit, "The standard %q must count in %q or %q, not %q.", s.ID, UnitHours, UnitWorkingDays, s.Unit)
	case s.Soonest < 0:
		return Invalid(FieldSoonest, "The soonest time for %q cannot be negative; use 0 for the same day.", s.ID)
	case s.Limit < 0:
		return Invalid(FieldLimit, "The limit for %q cannot be negative; use 0 for no limit.", s.ID)
	case s.Limit != 0 && s.Limit < s.Soonest:
		return Invalid(FieldLimit, "The limit for %q (%s) is sooner than the soonest realistic time (%s).",
			s.ID, s.Unit.Amount(s.Limit), s.Unit.Amount(s.Soonest))
	case s.Unit == UnitHours && max(s.Soonest, s.Limit) > maxStandardHours,
		s.Unit == UnitWorkingDays && max(s.Soonest, s.Limit) > maxStandardWorkingDays:
		return Invalid(FieldLimit, "The standard %q is longer than a year: at most %s or %s.",
			s.ID, UnitHours.Amount(maxStandardHours), UnitWorkingDays.Amount(maxStandardWorkingDays))
	}
	// The ID travels to phones and in URLs (PUT /api/v1/admin/standards/:id),
	// as a site's or team's does; the words are shown at the door.
	if err := CheckSlug("service standard", s.ID); err != nil {
		return err
	}
	if err := checkText(FieldName, "standard's name", s.Name, MaxStandardName, true); err != nil {
		return err
	}
	return checkText(FieldSource, "source of the rule", s.Source, MaxStandardSource, false)
}

// DueCheck is what Standard.Check found about a due date.
type DueCheck struct {
	Earliest Date   `json:"earliest"`           // soonest realistic due date
	Latest   Date   `json:"latest,omitempty"`   // latest allowed due date; "" when no limit
	TooSoon  bool   `json:"too_soon,omitempty"` // sooner than the function can realistically meet
	TooLate  bool   `json:"too_late,omitempty"` // later than the limit
	Message  string `json:"message,omitempty"`  // plain-words warning, "" when fine
}

// OK reports whether the due date needs no warning.
func (c DueCheck) OK() bool { return !c.TooSoon && !c.TooLate && c.Message == "" }

// Check says whether a promise made on madeOn and due on due is realistic for
// the function and within any limit, and why not.
//
// Working days count from the day after madeOn. Hours are turned into whole
// days, leniently because a due date has no time of day: the soonest rounds
// down (a 4-hour job can still be done the same day) and the limit rounds up
// (24 hours allows the next day, 25 the day after), so a warning means the
// date is surely too soon or too late.
func (s Standard) Check(madeOn, due Date) DueCheck {
	switch {
	case !madeOn.Valid():
		return DueCheck{Message: fmt.Sprintf("The visit date %q is not a real date.", madeOn)}
	case !due.Valid():
		return DueCheck{Earliest: s.earliest(madeOn), Message: fmt.Sprintf("The due date %q is not a real date.", due)}
	}
	c := DueCheck{Earliest: s.earliest(madeOn)}
	if s.Limit > 0 {
		c.Latest = s.latest(madeOn)
	}
	switch {
	case due.Before(madeOn):
		c.TooSoon = true
		c.Message = "The due date is before the visit."
	case due.Before(c.Earliest):
		c.TooSoon = true
		c.Message = fmt.Sprintf("%s takes at least %s: the earliest realistic date is %s.",
			s.Name, s.Unit.Amount(s.Soonest), c.Earliest.Human())
	case CheckDueDate(due, madeOn) != nil:
		// Past the bound every promise has (CheckDueDate), which the
		// server refuses whatever the reason: said here so the form shows
		// it at the door.
		c.TooLate = true
		c.Message = ErrorMessage(CheckDueDate(due, madeOn))
	case c.Latest != "" && c.Latest.Before(due):
		c.TooLate = true
		rule := "the service standard"
		if s.Statutory {
			rule = "the legal limit"
		}
		c.Message = fmt.Sprintf("%s: %s is %s — by %s at the latest.",
			s.Name, rule, s.Unit.Amount(s.Limit), c.Latest.Human())
	}
	return c
}

// earliest is the soonest realistic due date for a promise made on madeOn.
func (s Standard) earliest(madeOn Date) Date {
	if s.Unit == UnitHours {
		return madeOn.AddDays(s.Soonest / 24)
	}
	return AddWorkingDays(madeOn, s.Soonest)
}

// latest is the latest allowed due date for a promise made on madeOn; s must
// have a limit.
func (s Standard) latest(madeOn Date) Date {
	if s.Unit == UnitHours {
		return madeOn.AddDays((s.Limit + 23) / 24)
	}
	return AddWorkingDays(madeOn, s.Limit)
}

// Amount writes n of u for people: "1 working day", "24 hours".
func (u Unit) Amount(n int) string {
	word := "working day"
	if u == UnitHours {
		word = "hour"
	}
	if n != 1 {
		word += "s"
	}
	return fmt.Sprintf("%d %s", n, word)
}

// FindStandard returns the standard in list with the given ID.
func FindStandard(list []Standard, id string) (Standard, bool) {
	for _, s := range list {
		if s.ID == id {
			return s, true
		}
	}
	return Standard{}, false
}

// StandardsFor returns the standards in list owned by functionID, in list
// order; nil when there are none.
func StandardsFor(list []Standard, functionID string) []Standard {
	var out []Standard
	for _, s := range list {
		if s.FunctionID == functionID {
			out = append(out, s)
		}
	}
	return out
}

// Where the default standards come from, shown to officers.
const (
	sourceComplaintCode = "Housing Ombudsman Complaint Handling Code, statutory since 1 April 2024 (Social Housing (Regulation) Act 2023)."
	sourceAwaab         = "Awaab's Law: the Hazards in Social Housing (Prescribed Requirements) (England) Regulations 2025, in force since 27 October 2025. The clock starts when the landlord becomes aware of the hazard, which for a doorstep promise is the visit."
	sourcePolicy        = "Landlord policy, not law: a typical default that an admin can change to match this landlord's own targets."
)

// DefaultStandards returns the standards a new landlord starts with: the
// statutory limits of the Complaint Handling Code and Awaab's Law, and
// typical policy targets for the rest. Each call returns a fresh slice.
func DefaultStandards() []Standard {
	return []Standard{
		// Repairs: Awaab's Law for damp and mould, then typical priorities.
		{
			ID: "repairs.damp_emergency", FunctionID: FunctionRepairs, Kind: "damp_emergency",
			Name: "Making a damp or mould emergency safe (Awaab's Law)", Unit: UnitHours, Soonest: 0, Limit: 24, Statutory: true,
			Source: sourceAwaab + " An emergency hazard must be investigated and made safe within 24 hours.",
		},
		{
			ID: "repairs.damp_investigate", FunctionID: FunctionRepairs, Kind: "damp_investigate",
			Name: "Damp and mould investigation (Awaab's Law)", Unit: UnitWorkingDays, Soonest: 1, Limit: 10, Statutory: true,
			Source: sourceAwaab + " A significant hazard must be investigated within 10 working days.",
		},
		{
			ID: "repairs.damp_summary", FunctionID: FunctionRepairs, Kind: "damp_summary",
			Name: "Written summary of damp and mould findings (Awaab's Law)", Unit: UnitWorkingDays, Soonest: 1, Limit: 13, Statutory: true,
			Source: sourceAwaab + " The tenant gets a written summary within 3 working days of the investigation ending; the investigation has 10, so from the visit the latest is 10 + 3 = 13 working days.",
		},
		{
			ID: "repairs.damp_safety_work", FunctionID: FunctionRepairs, Kind: "damp_safety_work",
			Name: "Damp and mould safety work (Awaab's Law)", Unit: UnitWorkingDays, Soonest: 1, Limit: 15, Statutory: true,
			Source: sourceAwaab + " Safety work must be done within 5 working days of the investigation ending (not of the written summary); the investigation has 10, so from the visit the latest is 10 + 5 = 15 working days. Promise sooner when the investigation ends sooner.",
		},
		{
			ID: "repairs.emergency", FunctionID: FunctionRepairs, Kind: "emergency",
			Name: "Emergency repair (make safe)", Unit: UnitHours, Soonest: 0, Limit: 24,
			Source: sourcePolicy + " Emergency repairs are attended and made safe within 24 hours.",
		},
		{
			ID: "repairs.urgent", FunctionID: FunctionRepairs, Kind: "urgent",
			Name: "Urgent repair", Unit: UnitWorkingDays, Soonest: 1, Limit: 5,
			Source: sourcePolicy + " Urgent repairs are done within 5 working days.",
		},
		{
			ID: "repairs.routine", FunctionID: FunctionRepairs, Kind: "routine",
			Name: "Routine repair", Unit: UnitWorkingDays, Soonest: 5, Limit: 20,
			Source: sourcePolicy + " Routine repairs are done within 20 working days; booking a trade takes about 5.",
		},
		{
			ID: "repairs.general", FunctionID: FunctionRepairs, Kind: "general",
			Name: "Other repairs promise", Unit: UnitWorkingDays, Soonest: 1, Limit: 20,
			Source: sourcePolicy,
		},

		// Income.
		{
			ID: "income.callback", FunctionID: FunctionIncome, Kind: "callback",
			Name: "Callback about rent or arrears", Unit: UnitWorkingDays, Soonest: 1, Limit: 5,
			Source: sourcePolicy,
		},
		{
			ID: "income.payment_plan", FunctionID: FunctionIncome, Kind: "payment_plan",
			Name: "Rent payment plan", Unit: UnitWorkingDays, Soonest: 1, Limit: 10,
			Source: sourcePolicy + " The Pre-Action Protocol for possession claims based on rent arrears expects a landlord to try to agree an affordable plan before going to court, but sets no deadline.",
		},
		{
			ID: "income.benefit_referral", FunctionID: FunctionIncome, Kind: "benefit_referral",
			Name: "Referral for benefits or money advice", Unit: UnitWorkingDays, Soonest: 1, Limit: 10,
			Source: sourcePolicy,
		},
		{
			ID: "income.general", FunctionID: FunctionIncome, Kind: "general",
			Name: "Other income promise", Unit: UnitWorkingDays, Soonest: 1, Limit: 20,
			Source: sourcePolicy,
		},

		// Tenancy management.
		{
			ID: "tenancy.follow_up", FunctionID: FunctionTenancy, Kind: "follow_up",
			Name: "Tenancy follow-up visit or call", Unit: UnitWorkingDays, Soonest: 1, Limit: 10,
			Source: sourcePolicy,
		},
		{
			ID: "tenancy.general", FunctionID: FunctionTenancy, Kind: "general",
			Name: "Other tenancy promise", Unit: UnitWorkingDays, Soonest: 1, Limit: 20,
			Source: sourcePolicy,
		},

		// Anti-social behaviour.
		{
			ID: "asb.serious", FunctionID: FunctionASB, Kind: "serious",
			Name: "Contact about serious ASB, threats or hate incidents", Unit: UnitHours, Soonest: 0, Limit: 24,
			Source: sourcePolicy + " Many landlords contact the reporter of serious anti-social behaviour within 24 hours.",
		},
		{
			ID: "asb.case_review", FunctionID: FunctionASB, Kind: "case_review",
			Name: "ASB case review with the reporter", Unit: UnitWorkingDays, Soonest: 1, Limit: 5,
			Source: sourcePolicy + " Responding within 5 working days is a common target. The statutory ASB Case Review (community trigger) has its own local timescales.",
		},
		{
			ID: "asb.general", FunctionID: FunctionASB, Kind: "general",
			Name: "Other ASB promise", Unit: UnitWorkingDays, Soonest: 1, Limit: 20,
			Source: sourcePolicy,
		},

		// Lettings.
		{
			ID: "lettings.viewing", FunctionID: FunctionLettings, Kind: "viewing",
			Name: "Viewing of a home to let", Unit: UnitWorkingDays, Soonest: 1, Limit: 10,
			Source: sourcePolicy,
		},
		{
			ID: "lettings.general", FunctionID: FunctionLettings, Kind: "general",
			Name: "Other lettings promise", Unit: UnitWorkingDays, Soonest: 1, Limit: 20,
			Source: sourcePolicy,
		},

		// Complaints: the Housing Ombudsman's Complaint Handling Code.
		{
			ID: "complaints.stage1_ack", FunctionID: FunctionComplaints, Kind: "stage1_ack",
			Name: "Stage 1 complaint acknowledgement", Unit: UnitWorkingDays, Soonest: 0, Limit: 5, Statutory: true,
			Source: sourceComplaintCode + " A stage 1 complaint is logged and acknowledged within 5 working days of being made.",
		},
		{
			ID: "complaints.stage1_response", FunctionID: FunctionComplaints, Kind: "stage1_response",
			Name: "Stage 1 complaint response", Unit: UnitWorkingDays, Soonest: 1, Limit: 15, Statutory: true,
			Source: sourceComplaintCode + " The response is due within 10 working days of the acknowledgement, which is due within 5 of the complaint, so from the complaint the latest is 5 + 10 = 15 working days. An extension of up to 10 more working days needs a reason given to the tenant.",
		},
		{
			ID: "complaints.stage2_ack", FunctionID: FunctionComplaints, Kind: "stage2_ack",
			Name: "Stage 2 complaint acknowledgement", Unit: UnitWorkingDays, Soonest: 0, Limit: 5, Statutory: true,
			Source: sourceComplaintCode + " A request to escalate to stage 2 is acknowledged within 5 working days.",
		},
		{
			ID: "complaints.stage2_response", FunctionID: FunctionComplaints, Kind: "stage2_response",
			Name: "Stage 2 complaint response", Unit: UnitWorkingDays, Soonest: 1, Limit: 25, Statutory: true,
			Source: sourceComplaintCode + " The response is due within 20 working days of the acknowledgement, which is due within 5 of the request, so from the request the latest is 5 + 20 = 25 working days. An extension of up to 20 more working days needs a reason given to the tenant.",
		},
		{
			ID: Stage1ExtensionStandard, FunctionID: FunctionComplaints, Kind: "stage1_extension",
			Name: "Extension of a stage 1 complaint answer", Unit: UnitWorkingDays, Soonest: 0, Limit: Stage1ExtensionMaxDays, Statutory: true,
			Source: sourceComplaintCode + " The stage 1 answer may be put back once, by no more than 10 working days, with the reason given to the tenant. Complaint cases read their limit here.",
		},
		{
			ID: Stage2ExtensionStandard, FunctionID: FunctionComplaints, Kind: "stage2_extension",
			Name: "Extension of a stage 2 complaint answer", Unit: UnitWorkingDays, Soonest: 0, Limit: Stage2ExtensionMaxDays, Statutory: true,
			Source: sourceComplaintCode + " The stage 2 answer may be put back once, with the reason given to the tenant; sources differ between 10 and 20 working days, so this landlord may set its own limit up to 20. Complaint cases read their limit here.",
		},
		{
			ID: "complaints.general", FunctionID: FunctionComplaints, Kind: "general",
			Name: "Other complaints promise", Unit: UnitWorkingDays, Soonest: 1, Limit: 10,
			Source: sourcePolicy,
		},
	}
}
