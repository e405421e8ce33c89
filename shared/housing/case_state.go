package housing

import (
	"time"
	"unicode/utf8"
)

// This file is the case state machine: the one place that says which
// intent may move a complaint or a hazard case from where it stands, and
// which clocks (steps) each starts.
//
// A complaint (the Complaint Handling Code):
//
//	open: stage1_ack ──acknowledge──▶ stage1_response (handler named) ──respond──▶ responded
//	        extend: once, within the stage's limit, with a reason the tenant reads
//	responded (or stage 1's answer late) ──escalate (tenant or staff)──▶ stage 2: stage2_ack
//	stage2_ack ──acknowledge (not stage 1's handler)──▶ stage2_response ──respond──▶ closed
//
// A hazard (Awaab's Law):
//
//	emergency:   make_safe (24 hours) ──step──▶ [works_arranged, works_started if works are needed]
//	significant: investigate (10 working days) ──step──▶ summary (3), and
//	             safety_work (5) if a significant hazard was found, and
//	             works_arranged (5), works_started (12 weeks) if further works are needed
//	unsafe: the home cannot be made safe in time ──▶ rehouse, due when the safety step is
//	every step done ──▶ closed
//
// Each step's clock starts when the step before it ends (CaseAct.At), not
// on a fixed schedule. A repeated intent is a success that changes nothing;
// one the case does not allow is refused with CodeIllegal and a reason.

// CaseAct is one intent applied to a case, with who made it and when.
type CaseAct struct {
	Kind   string
	Action CaseAction
	By     string // officer ID, or TenantActor
	ByName string
	// At is when it happened: the moment the next step's clock starts. The
	// server passes the officer's recorded time within BecameAware's bounds,
	// as a step done offline on Monday and synced on Tuesday ended on Monday.
	At time.Time
}

// OpenCase starts a case the phone recorded: c as validated (Case.Validate)
// with the tenancy's site, household and address and the officer who
// opened it filled in by the server, and aware the moment the landlord
// became aware (BecameAware). It sets the clock, the owning team, the
// status and the first step, whose CommitmentID the caller fills in.
func OpenCase(c Case, aware Awareness, rules CaseRules) (Case, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	c.AwareAt, c.RecordedAt, c.ReceivedAt = aware.At, aware.Recorded, aware.Received
	c.ClockNote, c.StartedOffline = aware.Note, aware.Offline
	c.Status, c.Version = CaseOpen, 1
	c.Steps, c.Stage, c.Stage1Handler, c.Stage2Handler = nil, 0, "", ""
	c.Outcome, c.Remedy, c.DecidedAt, c.Unsafe, c.UnsafeReason = "", "", time.Time{}, false, ""
	switch c.Kind {
	case CaseComplaint:
		c.FunctionID, c.Stage = FunctionComplaints, 1
		c.Hazard, c.Severity, c.SeverityReason = "", "", ""
		c = c.start(StepStage1Ack, aware.At)
	case CaseHazard:
		if err := CheckHazardCategory(rules.Hazards, c.Hazard, LocalDate(aware.At)); err != nil {
			return c, err
		}
		c.FunctionID = FunctionRepairs
		first := StepInvestigate
		if c.Severity == SeverityEmergency {
			first = StepMakeSafe
		}
		c = c.start(first, aware.At)
	}
	c.History = []Event{{Kind: KindCaseOpen, At: aware.Received, By: c.OpenedBy, ByName: c.OpenedName, To: string(c.Steps[0].Step), Note: aware.Note}}
	return c, nil
}

// CaseTransition applies a to c and returns the case afterwards. It checks
// the state machine only; AuthorizeCase says whether the actor may try.
func CaseTransition(c Case, a CaseAct, rules CaseRules) (Case, Outcome, error) {
	switch {
	case utf8.RuneCountInString(a.Action.Reason) > MaxComment:
		return c, Unchanged, Invalid(FieldReason, "Keep the reason under %d characters.", MaxComment)
	case utf8.RuneCountInString(a.Action.Remedy) > MaxRemedy:
		return c, Unchanged, Invalid(FieldRemedy, "Keep the remedy under %d characters.", MaxRemedy)
	}
	next := c
	next.Steps = append([]CaseStep(nil), c.Steps...)
	next.History = append([]Event(nil), c.History...)
	ev := Event{Kind: a.Kind, At: a.At, By: a.By, ByName: a.ByName, Note: a.Action.Reason}

	switch a.Kind {
	case KindCaseAcknowledge, KindCaseRespond, KindCaseExtend, KindCaseEscalate:
		if c.Kind != CaseComplaint {
			return c, Unchanged, Errorf(CodeIllegal, "Only a complaint can be %s; record the steps of a hazard as they are done.", caseVerb(a.Kind))
		}
	case KindCaseStep, KindCaseUnsafe:
		if c.Kind != CaseHazard {
			return c, Unchanged, Errorf(CodeIllegal, "A complaint moves on by being acknowledged and answered, not step by step.")
		}
	default:
		return c, Unchanged, Invalid(FieldKind, "%q is not something that can be done to a case.", a.Kind)
	}

	ack, response := StepStage1Ack, StepStage1Response
	if c.Stage == 2 {
		ack, response = StepStage2Ack, StepStage2Response
	}

	switch a.Kind {
	case KindCaseAcknowledge:
		st, _ := c.Step(ack)
		if st.Done() {
			return c, Unchanged, nil
		}
		if c.Stage == 2 && a.By == c.Stage1Handler {
			return c, Unchanged, Errorf(CodeIllegal, "%s handled this complaint at stage 1, so someone else must handle stage 2.", nameOr(a.ByName, "You"))
		}
		next = next.finish(ack, a)
		if c.Stage == 2 {
			next.Stage2Handler = a.By
		} else {
			next.Stage1Handler = a.By
		}
		next = next.start(response, a.At)
		ev.To = string(response)

	case KindCaseRespond:
		st, started := c.Step(response)
		switch {
		case st.Done() && c.Outcome == a.Action.Outcome:
			return c, Unchanged, nil
		case st.Done():
			return c, Unchanged, Errorf(CodeIllegal, "This complaint has already been answered at stage %d.", c.Stage)
		case !started:
			return c, Unchanged, Errorf(CodeIllegal, "Acknowledge the complaint before you answer it.")
		case !validOutcome(a.Action.Outcome):
			return c, Unchanged, Invalid(FieldOutcome, "Choose whether the complaint is upheld, partly upheld or not upheld.")
		case blank(a.Action.Reason):
			return c, Unchanged, Invalid(FieldReason, "Write the answer the tenant will read: what was found and what happens now.")
		case c.Stage == 2 && a.By == c.Stage1Handler:
			return c, Unchanged, Errorf(CodeIllegal, "%s handled this complaint at stage 1, so someone else must answer stage 2.", nameOr(a.ByName, "You"))
		}
		next = next.finish(response, a)
		next.Outcome, next.Remedy, next.DecidedAt = a.Action.Outcome, a.Action.Remedy, a.At
		next.Status = CaseResponded
		if c.Stage == 2 {
			next.Status = CaseClosed
		}
		ev.To = a.Action.Outcome

	case KindCaseExtend:
		st, started := c.Step(response)
		limit := rules.Stage1Extension
		if c.Stage == 2 {
			limit = rules.Stage2Extension
		}
		d := a.Action.DueDate
		switch {
		case st.Extended && st.DueDate == d:
			return c, Unchanged, nil
		case !started:
			return c, Unchanged, Errorf(CodeIllegal, "Acknowledge the complaint before you extend the time to answer it.")
		case st.Done():
			return c, Unchanged, Errorf(CodeIllegal, "This complaint has already been answered at stage %d.", c.Stage)
		case st.Extended:
			return c, Unchanged, Errorf(CodeIllegal, "The time to answer at stage %d has been extended once already; the Code allows one extension.", c.Stage)
		case !d.Valid():
			return c, Unchanged, Invalid(FieldDueDate, "Choose the new date for the answer.")
		case blank(a.Action.Reason):
			return c, Unchanged, Invalid(FieldReason, "Say why more time is needed; the tenant reads it.")
		case !st.DueDate.Before(d):
			return c, Unchanged, Invalid(FieldDueDate, "The new date must be after %s, the date the answer is due now.", st.DueDate.Human())
		}
		if latest := AddWorkingDays(st.DueDate, limit); latest.Before(d) {
			return c, Unchanged, Invalid(FieldDueDate, "At stage %d the answer can be put back by at most %s: by %s at the latest.", c.Stage, UnitWorkingDays.Amount(limit), latest.Human())
		}
		next = next.update(response, func(s *CaseStep) {
			ev.From, ev.To = string(s.DueDate), string(d)
			s.DueDate, s.DueTime, s.Extended, s.ExtensionReason = d, "", true, a.Action.Reason
		})

	case KindCaseEscalate:
		switch {
		case c.Stage == 2:
			return c, Unchanged, nil
		case blank(a.Action.Reason) && a.By != TenantActor:
			return c, Unchanged, Invalid(FieldReason, "Say why the complaint goes to stage 2, in the tenant's words where you can.")
		case c.Status != CaseResponded && !c.stage1Late(a.At):
			return c, Unchanged, Errorf(CodeIllegal, "A complaint goes to stage 2 once it has been answered at stage 1, or when that answer is late.")
		}
		next.Stage, next.Status = 2, CaseOpen
		next = next.start(StepStage2Ack, a.At)
		ev.From, ev.To = "stage 1", "stage 2"

	case KindCaseStep:
		s := a.Action.Step
		st, started := c.Step(s)
		switch {
		case st.Done():
			return c, Unchanged, nil
		case !started:
			return c, Unchanged, Errorf(CodeIllegal, "%q is not due on this case yet.", StepLabel(s))
		}
		next = next.finish(s, a)
		switch s {
		case StepInvestigate:
			next = next.start(StepSummary, a.At)
			if a.Action.Found {
				next = next.start(StepSafetyWork, a.At)
			}
			fallthrough
		case StepMakeSafe:
			if a.Action.Works {
				next = next.start(StepWorksArranged, a.At).start(StepWorksStarted, a.At)
			}
		}
		ev.To = string(s)

	case KindCaseUnsafe:
		switch {
		case c.Unsafe:
			return c, Unchanged, nil
		case blank(a.Action.Reason):
			return c, Unchanged, Invalid(FieldReason, "Say why the home cannot be made safe in time; the tenant reads it.")
		case c.Status == CaseClosed:
			return c, Unchanged, Errorf(CodeIllegal, "Every step of this hazard is done.")
		}
		next.Unsafe, next.UnsafeReason = true, a.Action.Reason
		next = next.start(StepRehouse, a.At)
		// Somewhere safe is due when the home should have been safe: the
		// first safety step still open, and never before today.
		due := LocalDate(a.At)
		for _, st := range c.Steps {
			if !st.Done() && (st.Step == StepMakeSafe || st.Step == StepInvestigate || st.Step == StepSafetyWork) && due.Before(st.DueDate) {
				due = st.DueDate
				break
			}
		}
		next = next.update(StepRehouse, func(s *CaseStep) { s.DueDate = due })
		ev.To = string(StepRehouse)
	}

	if next.Kind == CaseHazard && next.allDone() {
		next.Status = CaseClosed
	}
	next.Version = c.Version + 1
	next.History = append(next.History, ev)
	return next, Changed, nil
}

// AuthorizeCase says whether p may send intent kind for case c, which the
// caller has already found in p's scope (Principal.CaseVisible):
//   - any officer may open a case at a tenancy in their scope;
//   - the case's team, the handler of its stage and supervisors move it on;
//   - the tenant (through their link), the officer who opened it, the team
//     and supervisors may ask for stage 2.
func AuthorizeCase(p Principal, c Case, kind string) error {
	if p.OfficerID == TenantActor {
		if kind == KindCaseEscalate {
			return nil
		}
		return Errorf(CodeForbidden, "A tenant can only ask for the complaint to go to stage 2.")
	}
	team := p.InFunction(c.FunctionID) || p.Role.AtLeast(RoleSupervisor) ||
		(p.OfficerID != "" && (p.OfficerID == c.Stage1Handler || p.OfficerID == c.Stage2Handler))
	switch kind {
	case KindCaseOpen:
		return nil
	case KindCaseAcknowledge, KindCaseRespond, KindCaseExtend, KindCaseStep, KindCaseUnsafe:
		if !team {
			return Errorf(CodeForbidden, "Only the team that owns this case, or a supervisor, can do that.")
		}
	case KindCaseEscalate:
		if !team && c.OpenedBy != p.OfficerID {
			return Errorf(CodeForbidden, "Only the officer who recorded this complaint, its team or a supervisor can take it to stage 2 for the tenant.")
		}
	default:
		return Invalid(FieldKind, "%q is not something that can be done to a case.", kind)
	}
	return nil
}

// start begins step s's clock at from. Its CommitmentID is the caller's to
// fill in: the server makes it from the case's ID and the step.
func (c Case) start(s Step, from time.Time) Case {
	if _, ok := c.Step(s); ok {
		return c
	}
	due, at := StepDue(s, from)
	c.Steps = append(c.Steps, CaseStep{Step: s, From: from, DueDate: due, DueTime: at})
	return c
}

// finish marks step s done by a.
func (c Case) finish(s Step, a CaseAct) Case {
	return c.update(s, func(st *CaseStep) { st.DoneAt, st.DoneBy = a.At, a.By })
}

// update applies f to step s of a copy of c's steps.
func (c Case) update(s Step, f func(*CaseStep)) Case {
	steps := append([]CaseStep(nil), c.Steps...)
	for i := range steps {
		if steps[i].Step == s {
			f(&steps[i])
		}
	}
	c.Steps = steps
	return c
}

// stage1Late reports whether stage 1 is past a statutory date at now: the
// acknowledgement not made in time, or the answer not given in time.
func (c Case) stage1Late(now time.Time) bool {
	if ack, ok := c.Step(StepStage1Ack); ok && !ack.Done() {
		return ack.Late(now)
	}
	answer, ok := c.Step(StepStage1Response)
	return ok && !answer.Done() && answer.Late(now)
}

func (c Case) allDone() bool {
	for _, s := range c.Steps {
		if !s.Done() {
			return false
		}
	}
	return len(c.Steps) > 0
}

func validOutcome(o string) bool {
	for _, v := range Outcomes {
		if o == v {
			return true
		}
	}
	return false
}

func caseVerb(kind string) string {
	switch kind {
	case KindCaseAcknowledge:
		return "acknowledged"
	case KindCaseRespond:
		return "answered"
	case KindCaseExtend:
		return "given more time"
	}
	return "taken to stage 2"
}

func nameOr(name, or string) string {
	if name == "" {
		return or
	}
	return name
}

// OutcomeLabel is a complaint decision in plain words.
func OutcomeLabel(o string) string {
	switch o {
	case OutcomeUpheld:
		return "Upheld"
	case OutcomePartlyUpheld:
		return "Partly upheld"
	case OutcomeNotUpheld:
		return "Not upheld"
	}
	return o
}

// StepChanges compares a case before and after an intent: the steps whose
// clocks started, those done, and those whose date moved. The server turns
// each into a change to the step's promise (Case.StepCommitment).
func StepChanges(before, after Case) (started, done, moved []CaseStep) {
	for _, s := range after.Steps {
		old, had := before.Step(s.Step)
		switch {
		case !had:
			started = append(started, s)
		case s.Done() && !old.Done():
			done = append(done, s)
		case s.DueDate != old.DueDate || s.DueTime != old.DueTime:
			moved = append(moved, s)
		}
	}
	return started, done, moved
}

// StepCommitment is the promise that carries step s of case c: owned by the
// case's team (and, for an answer, the stage's handler), due when the step
// is, made in the name of the officer who opened the case, so it shows in
// their scope as in the team's.
func (c Case) StepCommitment(s CaseStep) Commitment {
	owner := ""
	switch s.Step {
	case StepStage1Response:
		owner = c.Stage1Handler
	case StepStage2Response:
		owner = c.Stage2Handler
	}
	what := StepLabel(s.Step) + ": " + c.Summary
	if r := []rune(what); len(r) > MaxWhat {
		what = string(r[:MaxWhat-1]) + "…"
	}
	return Commitment{
		ID: s.CommitmentID, TenancyID: c.TenancyID, VisitID: c.VisitID, SiteID: c.SiteID,
		Household: c.Household, Address: c.Address, MadeBy: c.OpenedBy, MadeByName: c.OpenedName,
		FunctionID: c.FunctionID, OwnerID: owner, What: what, StandardID: stepStandard(c, s.Step),
		DueDate: s.DueDate, DueTime: s.DueTime, Status: StatusOpen, CaseID: c.ID, Step: s.Step,
	}
}

// stepStandard names the standard a step's promise is shown against.
func stepStandard(c Case, s Step) string {
	switch s {
	case StepStage1Ack, StepStage1Response, StepStage2Ack, StepStage2Response:
		return "complaints." + string(s)
	case StepMakeSafe:
		if c.Hazard == HazardDampMould {
			return "repairs.damp_emergency"
		}
		return "repairs.emergency"
	case StepInvestigate:
		return "repairs.damp_investigate"
	case StepSummary:
		return "repairs.damp_summary"
	case StepSafetyWork:
		return "repairs.damp_safety_work"
	}
	return ""
}

// StepDone returns a step's promise once the case says the step is done:
// done (and so picked up) at the step's moment, with the event in its
// history. The tenant has no link to a step's promise, so done is where it
// stays; the case's own link is where the tenant follows it.
func StepDone(c Commitment, s CaseStep, ev Event) Commitment {
	c.History = append(append([]Event(nil), c.History...), ev)
	if c.AcknowledgedAt.IsZero() {
		c.AcknowledgedAt = s.DoneAt
	}
	ev.From, ev.To = string(c.Status), string(StatusDone)
	c.History[len(c.History)-1] = ev
	c.Status, c.DoneAt = StatusDone, s.DoneAt
	c.Version++
	return c
}

// StepMoved returns a step's promise once the case moved the step's date
// (an extension), with the old and new dates in its history.
func StepMoved(c Commitment, s CaseStep, ev Event) Commitment {
	ev.From, ev.To = string(c.DueDate), string(s.DueDate)
	c.History = append(append([]Event(nil), c.History...), ev)
	c.DueDate, c.DueTime = s.DueDate, s.DueTime
	c.Version++
	c.DueVersion = c.Version
	if c.Status == StatusBroken {
		c.Status = StatusOpen
	}
	return c
}
