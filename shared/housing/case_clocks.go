package housing

import "time"

// This file is the statutory clocks of a case: how long the law gives for
// each step, counted from the moment the step before it ended (or, for the
// first, from when the landlord became aware). Working days skip weekends
// and England and Wales bank holidays (calendar.go) and start the day after
// the clock starts; hours count from the moment itself.

// The Housing Ombudsman's Complaint Handling Code (statutory since 1 April
// 2024), in working days.
const (
	ComplaintAckDays       = 5  // acknowledge a complaint, or a request for stage 2
	Stage1ResponseDays     = 10 // answer at stage 1, from the acknowledgement
	Stage2ResponseDays     = 20 // answer at stage 2, from the acknowledgement
	Stage1ExtensionMaxDays = 10 // one extension at stage 1, at most this
	// Stage2ExtensionMaxDays is the longest extension at stage 2 the law
	// allows, as Doorstep reads it; sources disagree between 10 and 20, so
	// the standard Stage2ExtensionStandard holds the landlord's own limit
	// (never longer than this: a statutory limit cannot be loosened).
	Stage2ExtensionMaxDays = 20
)

// Awaab's Law (the Hazards in Social Housing (Prescribed Requirements)
// (England) Regulations 2025).
const (
	EmergencyHours         = 24 // investigate and make safe, from the report
	InvestigateDays        = 10 // significant hazard: investigate, from the report
	SummaryDays            = 3  // written summary, from the investigation ending
	SafetyWorkDays         = 5  // safety work, from the investigation ending
	WorksArrangedDays      = 5  // steps to start further works, from the investigation ending
	WorksStartedCalendarWk = 12 // further works physically started, from the investigation ending
)

// The standards that hold a landlord's own extension limits for complaint
// responses, in working days: an admin may tighten them, never loosen them.
const (
	Stage1ExtensionStandard = "complaints.stage1_extension"
	Stage2ExtensionStandard = "complaints.stage2_extension"
)

// CaseRules is what a landlord has set that the case clocks read: its
// extension limits and its hazard categories.
type CaseRules struct {
	Stage1Extension int // working days; CaseRulesFrom reads it from the standards
	Stage2Extension int
	Hazards         []HazardCategory
}

// CaseRulesFrom reads a landlord's case rules from its standards and hazard
// categories. A missing or unlimited standard means the law's own limit; a
// longer one (which CheckStandardChange never lets an admin set) is cut to
// the law's.
func CaseRulesFrom(standards []Standard, hazards []HazardCategory) CaseRules {
	limit := func(id string, law int) int {
		s, ok := FindStandard(standards, id)
		if !ok || s.Unit != UnitWorkingDays || s.Limit <= 0 || s.Limit > law {
			return law
		}
		return s.Limit
	}
	return CaseRules{
		Stage1Extension: limit(Stage1ExtensionStandard, Stage1ExtensionMaxDays),
		Stage2Extension: limit(Stage2ExtensionStandard, Stage2ExtensionMaxDays),
		Hazards:         hazards,
	}
}

// StepDue returns when step s falls due if its clock starts at from: a date
// in the landlord's time zone, and for a clock in hours the time of day too
// ("15:04"). An emergency reported at 16:00 is due by 16:00 the next day.
// StepRehouse has no clock of its own (the state machine dates it from the
// safety step it stands in for) and is due the day it is flagged.
func StepDue(s Step, from time.Time) (Date, string) {
	day := LocalDate(from)
	switch s {
	case StepStage1Ack, StepStage2Ack:
		return AddWorkingDays(day, ComplaintAckDays), ""
	case StepStage1Response:
		return AddWorkingDays(day, Stage1ResponseDays), ""
	case StepStage2Response:
		return AddWorkingDays(day, Stage2ResponseDays), ""
	case StepMakeSafe:
		due := LocalTime(from.Add(EmergencyHours * time.Hour))
		return DateOf(due), due.Format("15:04")
	case StepInvestigate:
		return AddWorkingDays(day, InvestigateDays), ""
	case StepSummary:
		return AddWorkingDays(day, SummaryDays), ""
	case StepSafetyWork:
		return AddWorkingDays(day, SafetyWorkDays), ""
	case StepWorksArranged:
		return AddWorkingDays(day, WorksArrangedDays), ""
	case StepWorksStarted:
		return day.AddDays(7 * WorksStartedCalendarWk), ""
	}
	return day, ""
}

// OnTime reports whether the step was done by its due date (and time, for
// a clock in hours).
func (s CaseStep) OnTime() bool {
	if !s.Done() {
		return false
	}
	return !s.Deadline().Before(s.DoneAt)
}

// Late reports whether the step is past its deadline at now: done after
// it, or still not done.
func (s CaseStep) Late(now time.Time) bool {
	if s.Done() {
		return !s.OnTime()
	}
	return s.Deadline().Before(now)
}

// Deadline is the last instant the step is on time: its due time that day,
// or the end of its due day, in the landlord's time zone.
func (s CaseStep) Deadline() time.Time {
	if s.DueTime != "" {
		if t, err := time.Parse("15:04", s.DueTime); err == nil {
			return LocalMidnight(s.DueDate).Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
		}
	}
	return LocalMidnight(s.DueDate.AddDays(1)).Add(-time.Nanosecond)
}

// StepLabel is a step in plain words, for staff and tenants alike.
func StepLabel(s Step) string {
	switch s {
	case StepStage1Ack:
		return "Acknowledge the complaint (stage 1)"
	case StepStage1Response:
		return "Answer the complaint (stage 1)"
	case StepStage2Ack:
		return "Acknowledge the request for stage 2"
	case StepStage2Response:
		return "Answer the complaint (stage 2)"
	case StepMakeSafe:
		return "Investigate and make the home safe"
	case StepInvestigate:
		return "Investigate the hazard"
	case StepSummary:
		return "Send the tenant a written summary of the findings"
	case StepSafetyWork:
		return "Do the work to make the home safe"
	case StepWorksArranged:
		return "Arrange the further work needed"
	case StepWorksStarted:
		return "Start the further work on site"
	case StepRehouse:
		return "Offer somewhere safe to stay until the home is safe"
	}
	return string(s)
}
