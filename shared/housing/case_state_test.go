package housing

import (
	"strings"
	"testing"
	"time"
)

var testRules = CaseRules{Stage1Extension: 10, Stage2Extension: 20, Hazards: DefaultHazardCategories()}

// openComplaint opens a complaint recorded at recorded (local time) and
// received by the server at received.
func openComplaint(t *testing.T, recorded, received string) Case {
	t.Helper()
	c := Case{
		ID: "0192c4d0-0000-7000-8000-000000000001", Kind: CaseComplaint, TenancyID: "t1", SiteID: "riverside",
		OpenedBy: "sarah", OpenedName: "Sarah Okafor", Summary: "Nobody came about the leak, three times.",
	}
	c, err := OpenCase(c, BecameAware(localAt(t, recorded), localAt(t, received), 0), testRules)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// act applies one intent at a local time and fails the test if it is refused.
func act(t *testing.T, c Case, kind, by, when string, a CaseAction) Case {
	t.Helper()
	next, _, err := CaseTransition(c, CaseAct{Kind: kind, Action: a, By: by, ByName: by, At: localAt(t, when)}, testRules)
	if err != nil {
		t.Fatalf("%s by %s at %s: %v", kind, by, when, err)
	}
	return next
}

func stepDue(t *testing.T, c Case, s Step) string {
	t.Helper()
	st, ok := c.Step(s)
	if !ok {
		t.Fatalf("step %s has not started; steps %+v", s, c.Steps)
	}
	return strings.TrimSpace(string(st.DueDate) + " " + st.DueTime)
}

func TestComplaintMadeOnFridaySyncedOnMonday(t *testing.T) {
	c := openComplaint(t, "2026-11-27 17:30", "2026-11-30 08:45")
	if got := stepDue(t, c, StepStage1Ack); got != "2026-12-04" {
		t.Errorf("acknowledgement due %s, want Fri 4 Dec (5 working days from Friday, not Monday)", got)
	}
	if !c.StartedOffline || c.ClockNote != "" {
		t.Errorf("started offline %v, note %q: want marked offline with the officer's time believed", c.StartedOffline, c.ClockNote)
	}
	if c.Status != CaseOpen || c.Stage != 1 || c.FunctionID != FunctionComplaints {
		t.Errorf("opened as %s, stage %d, team %s", c.Status, c.Stage, c.FunctionID)
	}
}

func TestComplaintFromAPhoneWhoseClockRunsFast(t *testing.T) {
	c := openComplaint(t, "2026-12-01 10:00", "2026-11-30 08:45")
	if got := stepDue(t, c, StepStage1Ack); got != "2026-12-07" {
		t.Errorf("acknowledgement due %s, want Mon 7 Dec: from the server's Monday", got)
	}
	if c.ClockNote == "" || c.StartedOffline {
		t.Errorf("note %q, offline %v: want the server's time said in a note", c.ClockNote, c.StartedOffline)
	}
}

// TestComplaintThroughBothStages walks a complaint over Christmas: each
// step's date follows from the moment the step before it ended.
func TestComplaintThroughBothStages(t *testing.T) {
	c := openComplaint(t, "2026-12-18 10:00", "2026-12-18 10:02")
	if got := stepDue(t, c, StepStage1Ack); got != "2026-12-29" {
		t.Fatalf("acknowledgement due %s, want Tue 29 Dec", got)
	}
	c = act(t, c, KindCaseAcknowledge, "amira", "2026-12-22 09:00", CaseAction{})
	if c.Stage1Handler != "amira" {
		t.Errorf("stage 1 handler %q, want amira", c.Stage1Handler)
	}
	if got := stepDue(t, c, StepStage1Response); got != "2027-01-08" {
		t.Fatalf("answer due %s, want Fri 8 Jan (10 working days from Tue 22 Dec)", got)
	}

	// One extension, of at most 10 working days: Fri 22 Jan at the latest.
	_, _, err := CaseTransition(c, CaseAct{Kind: KindCaseExtend, By: "amira", At: localAt(t, "2027-01-06 12:00"),
		Action: CaseAction{DueDate: "2027-01-25", Reason: "Waiting for the contractor's report."}}, testRules)
	if ErrorField(err) != FieldDueDate || !strings.Contains(ErrorMessage(err), "Fri 22 Jan 2027") {
		t.Errorf("extending past 10 working days: %v, want refused naming Fri 22 Jan 2027", err)
	}
	c = act(t, c, KindCaseExtend, "amira", "2027-01-06 12:00", CaseAction{DueDate: "2027-01-22", Reason: "Waiting for the contractor's report."})
	if st, _ := c.Step(StepStage1Response); !st.Extended || st.DueDate != "2027-01-22" || st.ExtensionReason == "" {
		t.Errorf("after the extension: %+v", st)
	}
	if _, _, err := CaseTransition(c, CaseAct{Kind: KindCaseExtend, By: "amira", At: localAt(t, "2027-01-07 12:00"),
		Action: CaseAction{DueDate: "2027-01-21", Reason: "Again."}}, testRules); ErrorCode(err) != CodeIllegal {
		t.Errorf("a second extension: %v, want illegal", err)
	}

	c = act(t, c, KindCaseRespond, "amira", "2027-01-20 15:00", CaseAction{Outcome: OutcomePartlyUpheld, Remedy: "£50 for the missed appointments.", Reason: "Two of the three visits were missed."})
	if c.Status != CaseResponded || c.Outcome != OutcomePartlyUpheld {
		t.Errorf("after the answer: status %s, outcome %s", c.Status, c.Outcome)
	}
	if st, _ := c.Step(StepStage1Response); !st.OnTime() {
		t.Errorf("answered within the extension but not on time: %+v", st)
	}

	// The tenant asks for stage 2 from their link, in their own words or none.
	c = act(t, c, KindCaseEscalate, TenantActor, "2027-01-25 19:00", CaseAction{})
	if c.Stage != 2 || c.Status != CaseOpen {
		t.Fatalf("after the request: stage %d, status %s", c.Stage, c.Status)
	}
	if got := stepDue(t, c, StepStage2Ack); got != "2027-02-01" {
		t.Errorf("stage 2 acknowledgement due %s, want Mon 1 Feb (5 working days from Mon 25 Jan)", got)
	}
	if again, out, err := CaseTransition(c, CaseAct{Kind: KindCaseEscalate, By: TenantActor, At: localAt(t, "2027-01-26 08:00")}, testRules); err != nil || out != Unchanged || again.Version != c.Version {
		t.Errorf("asking again: %v, %v: want an unchanged success", out, err)
	}

	// Stage 2 must be handled by someone else.
	_, _, err = CaseTransition(c, CaseAct{Kind: KindCaseAcknowledge, By: "amira", ByName: "Amira Shah", At: localAt(t, "2027-01-26 09:00")}, testRules)
	if ErrorCode(err) != CodeIllegal || !strings.Contains(ErrorMessage(err), "Amira Shah handled this complaint at stage 1") {
		t.Errorf("stage 1's handler acknowledging stage 2: %v, want illegal with the reason", err)
	}
	c = act(t, c, KindCaseAcknowledge, "tom", "2027-01-26 09:00", CaseAction{})
	if got := stepDue(t, c, StepStage2Response); got != "2027-02-23" {
		t.Errorf("stage 2 answer due %s, want Tue 23 Feb (20 working days from Tue 26 Jan)", got)
	}
	c = act(t, c, KindCaseRespond, "tom", "2027-02-19 11:00", CaseAction{Outcome: OutcomeUpheld, Reason: "We agree the repair took too long."})
	if c.Status != CaseClosed || c.Outcome != OutcomeUpheld || c.Stage2Handler != "tom" {
		t.Errorf("after stage 2: status %s, outcome %s, handler %s", c.Status, c.Outcome, c.Stage2Handler)
	}
	if len(c.History) != 7 || c.Version != 7 {
		t.Errorf("history %d entries at version %d, want 7 and 7", len(c.History), c.Version)
	}
}

func TestStage2ExtensionUsesTheLandlordsLimit(t *testing.T) {
	c := openComplaint(t, "2026-11-02 10:00", "2026-11-02 10:00")
	c = act(t, c, KindCaseAcknowledge, "amira", "2026-11-03 10:00", CaseAction{})
	c = act(t, c, KindCaseRespond, "amira", "2026-11-10 10:00", CaseAction{Outcome: OutcomeNotUpheld, Reason: "The repair was done on the day agreed."})
	c = act(t, c, KindCaseEscalate, "sarah", "2026-11-11 10:00", CaseAction{Reason: "The tenant says the repair failed again."})
	c = act(t, c, KindCaseAcknowledge, "tom", "2026-11-12 10:00", CaseAction{})
	due := stepDue(t, c, StepStage2Response) // 20 working days from Thu 12 Nov
	if due != "2026-12-10" {
		t.Fatalf("stage 2 answer due %s, want Thu 10 Dec", due)
	}
	strict := testRules
	strict.Stage2Extension = 10
	// 10 working days after Thu 10 Dec is Thu 24 Dec.
	_, _, err := CaseTransition(c, CaseAct{Kind: KindCaseExtend, By: "tom", At: localAt(t, "2026-12-01 10:00"),
		Action: CaseAction{DueDate: "2026-12-29", Reason: "An independent survey is booked."}}, strict)
	if ErrorField(err) != FieldDueDate || !strings.Contains(ErrorMessage(err), "Thu 24 Dec 2026") {
		t.Errorf("past this landlord's 10 working days: %v", err)
	}
	if _, _, err := CaseTransition(c, CaseAct{Kind: KindCaseExtend, By: "tom", At: localAt(t, "2026-12-01 10:00"),
		Action: CaseAction{DueDate: "2026-12-29", Reason: "An independent survey is booked."}}, testRules); err != nil {
		t.Errorf("within the law's 20: %v", err)
	}
}

func TestCaseStateMachineRefusesIllegalSteps(t *testing.T) {
	fresh := openComplaint(t, "2026-11-02 10:00", "2026-11-02 10:00")
	acked := act(t, fresh, KindCaseAcknowledge, "amira", "2026-11-03 10:00", CaseAction{})
	hazard := openHazard(t, SeveritySignificant, "2026-11-02 10:00")
	tests := []struct {
		name      string
		c         Case
		kind      string
		by        string
		a         CaseAction
		wantCode  string
		wantField string
	}{
		{"RespondBeforeAcknowledge", fresh, KindCaseRespond, "amira", CaseAction{Outcome: OutcomeUpheld, Reason: "Yes."}, CodeIllegal, ""},
		{"ExtendBeforeAcknowledge", fresh, KindCaseExtend, "amira", CaseAction{DueDate: "2026-11-30", Reason: "Busy."}, CodeIllegal, ""},
		{"StageTwoBeforeAnAnswerThatIsNotLate", acked, KindCaseEscalate, TenantActor, CaseAction{}, CodeIllegal, ""},
		{"RespondWithoutAnOutcome", acked, KindCaseRespond, "amira", CaseAction{Reason: "Yes."}, CodeInvalid, FieldOutcome},
		{"RespondWithoutWords", acked, KindCaseRespond, "amira", CaseAction{Outcome: OutcomeUpheld}, CodeInvalid, FieldReason},
		{"ExtendWithoutAReason", acked, KindCaseExtend, "amira", CaseAction{DueDate: "2026-11-20"}, CodeInvalid, FieldReason},
		{"ExtendToAnEarlierDate", acked, KindCaseExtend, "amira", CaseAction{DueDate: "2026-11-10", Reason: "Busy."}, CodeInvalid, FieldDueDate},
		{"StaffStageTwoWithoutAReason", acked, KindCaseEscalate, "sarah", CaseAction{}, CodeInvalid, FieldReason},
		{"HazardStepOnAComplaint", acked, KindCaseStep, "amira", CaseAction{Step: StepInvestigate}, CodeIllegal, ""},
		{"ComplaintAnswerOnAHazard", hazard, KindCaseRespond, "raj", CaseAction{Outcome: OutcomeUpheld, Reason: "Yes."}, CodeIllegal, ""},
		{"StepNotStarted", hazard, KindCaseStep, "raj", CaseAction{Step: StepSafetyWork}, CodeIllegal, ""},
		{"UnsafeWithoutAReason", hazard, KindCaseUnsafe, "raj", CaseAction{}, CodeInvalid, FieldReason},
		{"UnknownIntent", hazard, "case.delete", "raj", CaseAction{}, CodeInvalid, FieldKind},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, out, err := CaseTransition(tt.c, CaseAct{Kind: tt.kind, By: tt.by, Action: tt.a, At: localAt(t, "2026-11-04 10:00")}, testRules)
			if ErrorCode(err) != tt.wantCode || ErrorField(err) != tt.wantField {
				t.Fatalf("got %v (field %q), want %s on %q", err, ErrorField(err), tt.wantCode, tt.wantField)
			}
			if ErrorMessage(err) == "" || out != Unchanged || got.Version != tt.c.Version {
				t.Errorf("a refusal must say why and change nothing: %q, %v, version %d", ErrorMessage(err), out, got.Version)
			}
		})
	}
}

func TestStageTwoWhenTheAnswerIsLate(t *testing.T) {
	c := openComplaint(t, "2026-11-02 10:00", "2026-11-02 10:00")
	c = act(t, c, KindCaseAcknowledge, "amira", "2026-11-03 10:00", CaseAction{})
	// The answer was due Tue 17 Nov; on Wed 18 Nov it is late.
	if _, _, err := CaseTransition(c, CaseAct{Kind: KindCaseEscalate, By: TenantActor, At: localAt(t, "2026-11-17 18:00")}, testRules); ErrorCode(err) != CodeIllegal {
		t.Errorf("on the day it is due: %v, want refused", err)
	}
	c = act(t, c, KindCaseEscalate, TenantActor, "2026-11-18 08:00", CaseAction{})
	if c.Stage != 2 {
		t.Errorf("stage %d after a late answer, want 2", c.Stage)
	}
}

func openHazard(t *testing.T, severity, reported string) Case {
	t.Helper()
	c := Case{
		ID: "0192c4d0-0000-7000-8000-000000000002", Kind: CaseHazard, TenancyID: "t1", SiteID: "riverside",
		OpenedBy: "sarah", OpenedName: "Sarah Okafor", Summary: "Black mould across the bedroom ceiling.",
		Hazard: HazardDampMould, Severity: severity, SeverityReason: "A baby sleeps in the room.",
	}
	c, err := OpenCase(c, BecameAware(localAt(t, reported), localAt(t, reported), 0), testRules)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEmergencyHazardReportedAt1600(t *testing.T) {
	c := openHazard(t, SeverityEmergency, "2026-12-04 16:00")
	if c.FunctionID != FunctionRepairs || len(c.Steps) != 1 {
		t.Fatalf("team %s, steps %+v", c.FunctionID, c.Steps)
	}
	if got := stepDue(t, c, StepMakeSafe); got != "2026-12-05 16:00" {
		t.Errorf("make safe due %s, want Sat 5 Dec 16:00", got)
	}
	c = act(t, c, KindCaseStep, "raj", "2026-12-05 11:00", CaseAction{Step: StepMakeSafe})
	if c.Status != CaseClosed {
		t.Errorf("made safe with no further works: status %s, want closed", c.Status)
	}
}

func TestSignificantHazardStepsFollowTheInvestigation(t *testing.T) {
	c := openHazard(t, SeveritySignificant, "2026-12-16 11:00")
	if got := stepDue(t, c, StepInvestigate); got != "2027-01-04" {
		t.Fatalf("investigation due %s, want Mon 4 Jan", got)
	}
	// The investigation ends early, on Christmas Eve: the next steps count
	// from then, not from the day it was due.
	c = act(t, c, KindCaseStep, "raj", "2026-12-24 15:00", CaseAction{Step: StepInvestigate, Found: true, Works: true})
	want := map[Step]string{
		StepSummary: "2026-12-31", StepSafetyWork: "2027-01-05", StepWorksArranged: "2027-01-05", StepWorksStarted: "2027-03-18",
	}
	for s, d := range want {
		if got := stepDue(t, c, s); got != d {
			t.Errorf("%s due %s, want %s", s, got, d)
		}
	}
	// The home cannot be made safe in time: somewhere safe is due when the
	// safety work is.
	c = act(t, c, KindCaseUnsafe, "raj", "2026-12-29 10:00", CaseAction{Reason: "The ceiling must come down; the family cannot stay."})
	if got := stepDue(t, c, StepRehouse); got != "2027-01-05" {
		t.Errorf("rehouse due %s, want the safety work's Tue 5 Jan", got)
	}
	for _, s := range []Step{StepSummary, StepSafetyWork, StepRehouse, StepWorksArranged} {
		c = act(t, c, KindCaseStep, "raj", "2027-01-04 10:00", CaseAction{Step: s})
	}
	if c.Status != CaseOpen {
		t.Errorf("with the works not started: status %s, want open", c.Status)
	}
	c = act(t, c, KindCaseStep, "raj", "2027-02-01 10:00", CaseAction{Step: StepWorksStarted})
	if c.Status != CaseClosed {
		t.Errorf("every step done: status %s, want closed", c.Status)
	}
	if again, out, err := CaseTransition(c, CaseAct{Kind: KindCaseStep, By: "raj", At: localAt(t, "2027-02-02 10:00"), Action: CaseAction{Step: StepWorksStarted}}, testRules); err != nil || out != Unchanged || again.Version != c.Version {
		t.Errorf("the same step again: %v, %v: want an unchanged success", out, err)
	}
}

func TestHazardCategoryMustBeInForce(t *testing.T) {
	rules := testRules
	rules.Hazards = append(DefaultHazardCategories(), HazardCategory{ID: "excess_cold", Name: "Excess cold", InForce: "2027-10-01"})
	c := Case{ID: "0192c4d0-0000-7000-8000-000000000003", Kind: CaseHazard, TenancyID: "t1", Summary: "No heating.",
		Hazard: "excess_cold", Severity: SeveritySignificant, SeverityReason: "Elderly tenant."}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	if _, err := OpenCase(c, BecameAware(now, now, 0), rules); ErrorField(err) != FieldHazard || !strings.Contains(ErrorMessage(err), "Fri 1 Oct 2027") {
		t.Errorf("a category not yet in force: %v", err)
	}
	c.Hazard = "asbestos"
	if _, err := OpenCase(c, BecameAware(now, now, 0), rules); ErrorField(err) != FieldHazard {
		t.Errorf("an unknown category: %v", err)
	}
}

func TestAuthorizeCase(t *testing.T) {
	c := Case{FunctionID: FunctionComplaints, OpenedBy: "sarah", Stage1Handler: "amira"}
	officer := func(id string, fns ...string) Principal {
		return Principal{OfficerID: id, Role: RoleOfficer, Functions: fns}
	}
	tenant := Principal{OfficerID: TenantActor}
	tests := []struct {
		name string
		p    Principal
		kind string
		ok   bool
	}{
		{"TeamAcknowledges", officer("tom", FunctionComplaints), KindCaseAcknowledge, true},
		{"OtherTeamCannot", officer("raj", FunctionRepairs), KindCaseRespond, false},
		{"StageOneHandlerMayAct", officer("amira"), KindCaseExtend, true},
		{"SupervisorMayAct", Principal{OfficerID: "boss", Role: RoleSupervisor}, KindCaseRespond, true},
		{"OpenerMayTakeItToStageTwo", officer("sarah", FunctionTenancy), KindCaseEscalate, true},
		{"OpenerCannotAnswer", officer("sarah", FunctionTenancy), KindCaseRespond, false},
		{"TenantMayAskForStageTwo", tenant, KindCaseEscalate, true},
		{"TenantCannotAnswer", tenant, KindCaseRespond, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := AuthorizeCase(tt.p, c, tt.kind)
			if (err == nil) != tt.ok || (err != nil && ErrorCode(err) != CodeForbidden) {
				t.Errorf("got %v, want allowed: %v", err, tt.ok)
			}
		})
	}
}

func TestStepPromiseIsMovedOnlyByItsCase(t *testing.T) {
	c := openHazard(t, SeverityEmergency, "2026-12-04 16:00")
	st := c.Steps[0]
	st.CommitmentID = "0192c4d0-0000-7000-8000-000000000009"
	p := c.StepCommitment(st)
	if p.CaseID != c.ID || p.Step != StepMakeSafe || p.DueDate != "2026-12-05" || p.DueTime != "16:00" || p.FunctionID != FunctionRepairs {
		t.Fatalf("step promise %+v", p)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("the step promise does not validate: %v", err)
	}
	for _, kind := range []string{KindCommitmentAcknowledge, KindCommitmentComplete, KindCommitmentCancel, KindCommitmentExtend} {
		if _, _, err := Transition(p, Act{Kind: kind, At: time.Now(), Action: CommitmentAction{Reason: "x", DueDate: "2026-12-09"}}); ErrorCode(err) != CodeIllegal {
			t.Errorf("%s on a step promise: %v, want illegal", kind, err)
		}
	}
	if _, _, err := Transition(p, Act{Kind: KindCommitmentReassign, At: time.Now(), Action: CommitmentAction{FunctionID: FunctionRepairs, OwnerID: "raj", Reason: "Raj is on call."}}); err != nil {
		t.Errorf("reassigning a step promise: %v", err)
	}
	done := act(t, c, KindCaseStep, "raj", "2026-12-05 11:00", CaseAction{Step: StepMakeSafe})
	_, finished, _ := StepChanges(c, done)
	if len(finished) != 1 {
		t.Fatalf("StepChanges found %d steps done, want 1", len(finished))
	}
	p = StepDone(p, finished[0], Event{Kind: KindCaseStep, At: finished[0].DoneAt, By: "raj"})
	if p.Status != StatusDone || !p.KeptOnTime() || p.Version != 1 {
		t.Errorf("after the step: status %s, kept on time %v, version %d", p.Status, p.KeptOnTime(), p.Version)
	}
}
