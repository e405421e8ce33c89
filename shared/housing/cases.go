package housing

import (
	"slices"
	"time"
	"unicode/utf8"
)

// This file is the statutory cases: a complaint under the Housing
// Ombudsman's Complaint Handling Code, and a hazard under Awaab's Law. A
// case is recorded at the door like a promise, and each of its legal clocks
// is a promise of its own (a "step"), owned by the case's team, so it takes
// its place in the queues, the history, the tenant page and the measures
// through the machinery every promise has. The clocks are in case_clocks.go
// and the case state machine is in case_state.go.

// CaseKind says which law a case follows.
type CaseKind string

const (
	CaseComplaint CaseKind = "complaint" // the Complaint Handling Code: stage 1, then stage 2 on request
	CaseHazard    CaseKind = "hazard"    // Awaab's Law: emergency or significant
)

// Step is one clock of a case. Each is carried by one promise whose CaseID
// and Step name it, made by the server when the step's clock starts.
type Step string

const (
	// Complaint Handling Code.
	StepStage1Ack      Step = "stage1_ack"      // 5 working days from the complaint
	StepStage1Response Step = "stage1_response" // 10 working days from the acknowledgement; one extension
	StepStage2Ack      Step = "stage2_ack"      // 5 working days from the tenant's request
	StepStage2Response Step = "stage2_response" // 20 working days from the acknowledgement; one extension

	// Awaab's Law.
	StepMakeSafe      Step = "make_safe"      // emergency: investigate and make safe within 24 hours of the report
	StepInvestigate   Step = "investigate"    // significant: within 10 working days of the report
	StepSummary       Step = "summary"        // written summary to the tenant: 3 working days from the investigation ending
	StepSafetyWork    Step = "safety_work"    // 5 working days from the investigation ending
	StepWorksArranged Step = "works_arranged" // further works: steps taken to start them within 5 working days
	StepWorksStarted  Step = "works_started"  // further works physically started within 12 weeks
	StepRehouse       Step = "rehouse"        // alternative accommodation, when the home cannot be made safe in time
)

// Severity is how an officer classes a hazard under Awaab's Law.
const (
	SeverityEmergency   = "emergency"
	SeveritySignificant = "significant"
)

// Outcome is what a complaint response decided.
const (
	OutcomeUpheld       = "upheld"
	OutcomePartlyUpheld = "partly_upheld"
	OutcomeNotUpheld    = "not_upheld"
)

// Outcomes lists the decisions in the order a form offers them.
var Outcomes = []string{OutcomeUpheld, OutcomePartlyUpheld, OutcomeNotUpheld}

// CaseStatus is where a case stands as a whole; each step has its own state.
type CaseStatus string

const (
	CaseOpen      CaseStatus = "open"      // a clock is running
	CaseResponded CaseStatus = "responded" // a complaint answered at stage 1: the tenant may still ask for stage 2
	CaseClosed    CaseStatus = "closed"    // nothing more is due: answered at stage 2, or every hazard step done
)

// Case is a complaint or a hazard raised by a tenant, with the clocks the
// law sets for it. The phone makes it (case.open) with the fields up to
// Severity reason and its tenant link; the server fills in the clock
// (AwareAt and the rest), the steps, and everything after.
type Case struct {
	ID         string   `json:"id"` // UUIDv7 made on the device
	Kind       CaseKind `json:"kind"`
	TenancyID  string   `json:"tenancy_id"`
	VisitID    string   `json:"visit_id,omitempty"`
	FeedbackID string   `json:"feedback_id,omitempty"` // the feedback marked "this is a complaint" that opened it
	SiteID     string   `json:"site_id"`
	Household  string   `json:"household"`
	Address    string   `json:"address"`
	OpenedBy   string   `json:"opened_by"` // officer ID
	OpenedName string   `json:"opened_name"`
	FunctionID string   `json:"function_id"` // the team that owns every step: complaints, or repairs for a hazard

	Summary string `json:"summary"` // what the tenant complained of, or the hazard seen, in plain words

	// A hazard's category (HazardCategory.ID), how the officer classed it
	// and why.
	Hazard         string `json:"hazard,omitempty"`
	Severity       string `json:"severity,omitempty"`
	SeverityReason string `json:"severity_reason,omitempty"`

	// The clock: when the landlord became aware (BecameAware), both times
	// it was chosen from, why the server's time was used if it was, and
	// whether the officer recorded it offline (the clock started before the
	// server heard of it).
	AwareAt        time.Time `json:"aware_at,omitzero"`
	RecordedAt     time.Time `json:"recorded_at,omitzero"`
	ReceivedAt     time.Time `json:"received_at,omitzero"`
	ClockNote      string    `json:"clock_note,omitempty"`
	StartedOffline bool      `json:"started_offline,omitempty"`

	Status CaseStatus `json:"status"`

	// A complaint's stage (1 or 2) and who handles each stage: the officer
	// who acknowledged it. Stage 2 must be handled by someone else.
	Stage         int    `json:"stage,omitempty"`
	Stage1Handler string `json:"stage1_handler,omitempty"`
	Stage2Handler string `json:"stage2_handler,omitempty"`

	// The decision at the latest stage answered: what was decided, any
	// remedy, and when.
	Outcome   string    `json:"outcome,omitempty"`
	Remedy    string    `json:"remedy,omitempty"`
	DecidedAt time.Time `json:"decided_at,omitzero"`

	// Unsafe is set when the home cannot be made safe in time: the rehouse
	// step offers the household somewhere else to stay.
	Unsafe       bool   `json:"unsafe,omitempty"`
	UnsafeReason string `json:"unsafe_reason,omitempty"`

	Steps []CaseStep `json:"steps,omitempty"` // in the order their clocks started

	// Token is the tenant link's secret, made on the device; it travels once,
	// in case.open, and the server keeps only its hash.
	Token string `json:"token,omitempty"`

	Version int     `json:"version"`
	History []Event `json:"history,omitempty"` // Event.Kind is the case intent; From/To a step or stage
	Meta
}

// CaseStep is one clock of a case as it stands.
type CaseStep struct {
	Step         Step      `json:"step"`
	CommitmentID string    `json:"commitment_id"` // the promise that carries it
	From         time.Time `json:"from"`          // the moment its clock counts from
	DueDate      Date      `json:"due_date"`
	DueTime      string    `json:"due_time,omitempty"` // "15:04", for a clock in hours
	DoneAt       time.Time `json:"done_at,omitzero"`
	DoneBy       string    `json:"done_by,omitempty"`
	// Extended says the step's date was moved once, as the Code allows,
	// with the reason the tenant reads.
	Extended        bool   `json:"extended,omitempty"`
	ExtensionReason string `json:"extension_reason,omitempty"`
}

// Done reports whether the step has been completed.
func (s CaseStep) Done() bool { return !s.DoneAt.IsZero() }

// HazardCategory is a kind of hazard Awaab's Law covers, and the day its
// duties came into force. Admins add categories as later phases start;
// an officer can class a hazard only in a category in force on the day it
// was reported.
type HazardCategory struct {
	ID      string `json:"id"` // a slug: "damp_mould"
	Name    string `json:"name"`
	InForce Date   `json:"in_force"`
	Source  string `json:"source,omitempty"`
}

// The hazard categories every landlord starts with: the first phase of
// Awaab's Law.
const (
	HazardDampMould = "damp_mould"
	HazardEmergency = "emergency_hazard"
)

// DefaultHazardCategories returns the categories of Awaab's Law's first
// phase; each call returns a fresh slice.
func DefaultHazardCategories() []HazardCategory {
	return []HazardCategory{
		{ID: HazardDampMould, Name: "Damp and mould", InForce: "2025-10-27", Source: sourceAwaab},
		{ID: HazardEmergency, Name: "Any other emergency hazard", InForce: "2025-10-27", Source: sourceAwaab + " Emergency hazards of every kind are covered from the first phase."},
	}
}

// Mutation kinds for cases. Every kind but case.open acts on a case named
// by the mutation's RecordID and carries a CaseAction.
const (
	KindCaseOpen        = "case.open"        // Data: Case
	KindCaseAcknowledge = "case.acknowledge" // complaint: acknowledge the current stage; the actor handles it
	KindCaseRespond     = "case.respond"     // complaint: the stage's answer: Outcome, Remedy?, Reason (the answer in words)
	KindCaseExtend      = "case.extend"      // complaint: move the response date once: DueDate, Reason the tenant reads
	KindCaseEscalate    = "case.escalate"    // complaint: stage 2, asked by the tenant (link) or staff: Reason
	KindCaseStep        = "case.step"        // hazard: a step done: Step, Found?, Works?, Reason (note)
	KindCaseUnsafe      = "case.unsafe"      // hazard: the home cannot be made safe in time: Reason
)

// CaseKinds lists the case intents a device may send.
var CaseKinds = []string{
	KindCaseOpen, KindCaseAcknowledge, KindCaseRespond, KindCaseExtend,
	KindCaseEscalate, KindCaseStep, KindCaseUnsafe,
}

// CaseAction carries the fields a case intent gives.
type CaseAction struct {
	Step    Step   `json:"step,omitempty"`    // case.step
	Found   bool   `json:"found,omitempty"`   // case.step investigate: a significant hazard was found, so safety work is due
	Works   bool   `json:"works,omitempty"`   // case.step investigate or make_safe: further works are needed
	Outcome string `json:"outcome,omitempty"` // case.respond
	Remedy  string `json:"remedy,omitempty"`  // case.respond
	DueDate Date   `json:"due_date,omitempty"`
	Reason  string `json:"reason,omitempty"` // the answer, the extension's reason, the request, a note
}

// Limits on what an officer types into a case.
const (
	MaxCaseSummary = MaxComment
	MaxRemedy      = MaxComment
)

// Case field names in errors.
const (
	FieldCaseKind       = "kind"
	FieldSummary        = "summary"
	FieldHazard         = "hazard"
	FieldSeverity       = "severity"
	FieldSeverityReason = "severity_reason"
	FieldOutcome        = "outcome"
	FieldRemedy         = "remedy"
	FieldStep           = "step"
)

// Validate checks a case as the phone opens it: its ID, what the phone
// filled in and what the officer entered (ValidateInput).
func (c Case) Validate() error {
	switch {
	case !ValidID(c.ID):
		return Invalid(FieldID, "The case has no valid ID; please record it again.")
	case c.TenancyID == "":
		return Invalid(FieldTenancy, "Choose the tenancy the case is about.")
	}
	if err := c.ValidateInput(); err != nil {
		return err
	}
	if c.Token != "" && !ValidToken(c.Token) {
		return Invalid(FieldToken, "The tenant link is damaged; please record the case again.")
	}
	return nil
}

// ValidateInput checks what the officer enters, in the order the form asks
// for it. Whether a hazard category exists and is in force is the server's
// and the form's to check against the categories they hold
// (CheckHazardCategory).
func (c Case) ValidateInput() error {
	switch {
	case c.Kind != CaseComplaint && c.Kind != CaseHazard:
		return Invalid(FieldCaseKind, "Choose whether this is a complaint or a hazard.")
	case blank(c.Summary) && c.Kind == CaseComplaint:
		return Invalid(FieldSummary, "Say what the complaint is about, in the tenant's words where you can.")
	case blank(c.Summary):
		return Invalid(FieldSummary, "Describe the hazard: where it is and what you saw.")
	case utf8.RuneCountInString(c.Summary) > MaxCaseSummary:
		return Invalid(FieldSummary, "Keep the description under %d characters.", MaxCaseSummary)
	}
	if c.Kind == CaseComplaint {
		return nil
	}
	switch {
	case c.Hazard == "":
		return Invalid(FieldHazard, "Choose what kind of hazard this is.")
	case c.Severity != SeverityEmergency && c.Severity != SeveritySignificant:
		return Invalid(FieldSeverity, "Choose whether the hazard is an emergency or significant.")
	case blank(c.SeverityReason):
		return Invalid(FieldSeverityReason, "Say why you classed it as %s: the repairs team and the tenant read it.", c.Severity)
	case utf8.RuneCountInString(c.SeverityReason) > MaxComment:
		return Invalid(FieldSeverityReason, "Keep the reason under %d characters.", MaxComment)
	}
	return nil
}

// CheckHazardCategory says whether hazard is one of list, in force on day.
func CheckHazardCategory(list []HazardCategory, hazard string, day Date) error {
	i := slices.IndexFunc(list, func(h HazardCategory) bool { return h.ID == hazard })
	switch {
	case i < 0:
		return Invalid(FieldHazard, "%q is not a kind of hazard this landlord records; choose one from the list.", hazard)
	case day.Before(list[i].InForce):
		return Invalid(FieldHazard, "Awaab's Law covers %s from %s; record it as a repair promise until then.", list[i].Name, list[i].InForce.Human())
	}
	return nil
}

// CaseVisible reports whether p may see case c: the same rule as a promise
// (Principal.Visible): its site, its team, the officer who opened it or
// handles a stage of it; admins see everything.
func (p Principal) CaseVisible(c Case) bool {
	return p.Role == RoleAdmin || p.InSite(c.SiteID) || p.InFunction(c.FunctionID) ||
		c.OpenedBy == p.OfficerID || (p.OfficerID != "" && (c.Stage1Handler == p.OfficerID || c.Stage2Handler == p.OfficerID))
}

// Step returns the case's step s and whether its clock has started.
func (c Case) Step(s Step) (CaseStep, bool) {
	for _, st := range c.Steps {
		if st.Step == s {
			return st, true
		}
	}
	return CaseStep{}, false
}

// TenantCaseView is everything a tenant's link page for a case may show:
// the case with its steps (Token cleared), the team's name, the officer's
// first name and enough of the address to recognise the home.
type TenantCaseView struct {
	Case         Case      `json:"case"`
	FunctionName string    `json:"function_name"`
	OpenedFirst  string    `json:"opened_first"`
	AddressLine  string    `json:"address_line"`
	ExpiresAt    time.Time `json:"expires_at,omitzero"`
}
