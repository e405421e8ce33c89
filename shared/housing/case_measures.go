package housing

import "time"

// This file is the statutory measures of cases, for the supervisors' report
// and the yearly complaints performance report: each defined once, here,
// so the server's reports, the app's screens and the tests agree.
//
//   - CH01 (the regulator's Tenant Satisfaction Measure): stage 1 complaints
//     received in the period per 1,000 homes, and stage 2 likewise. A
//     complaint is received at stage 1 when the landlord became aware of it
//     (Case.AwareAt), and at stage 2 when the tenant asked for it (the
//     stage2_ack step's From). Homes are the landlord's tenancies in the
//     reader's scope that have not ended.
//   - CH02: of the complaints answered at each stage in the period (the
//     response step done in it), the share answered within the Code's
//     timescales: by the response step's due date, as extended within the
//     Code's limit (CaseStep.OnTime).
//   - Awaab's Law: for each step, those whose deadline fell in the period:
//     done on time, done late, and still not done past the deadline.
//   - Open cases by age: cases open now (not closed; a complaint answered at
//     stage 1 is not open), by working days since the landlord became aware.

// CaseMeasures are the case measures for one period and scope.
type CaseMeasures struct {
	From  Date `json:"from"`
	To    Date `json:"to"` // inclusive
	Homes int  `json:"homes"`

	// CH01.
	Stage1Received int     `json:"stage1_received"`
	Stage2Received int     `json:"stage2_received"`
	Stage1Per1000  float64 `json:"stage1_per_1000"`
	Stage2Per1000  float64 `json:"stage2_per_1000"`

	// CH02.
	Stage1Answered    int     `json:"stage1_answered"`
	Stage1OnTime      int     `json:"stage1_on_time"`
	Stage2Answered    int     `json:"stage2_answered"`
	Stage2OnTime      int     `json:"stage2_on_time"`
	Stage1OnTimeShare float64 `json:"stage1_on_time_share"` // 0..1; 0 when none answered
	Stage2OnTimeShare float64 `json:"stage2_on_time_share"`

	// Outcomes of the complaints answered in the period, at either stage.
	Upheld       int `json:"upheld"`
	PartlyUpheld int `json:"partly_upheld"`
	NotUpheld    int `json:"not_upheld"`

	HazardSteps []StepTally `json:"hazard_steps"` // one per Awaab's Law step, in step order
	OpenByAge   []AgeBand   `json:"open_by_age"`  // in AgeBands order
}

// StepTally counts one Awaab's Law step whose deadline fell in the period.
type StepTally struct {
	Step    Step `json:"step"`
	Due     int  `json:"due"`
	OnTime  int  `json:"on_time"`
	Late    int  `json:"late"`    // done after the deadline
	Overdue int  `json:"overdue"` // not done, and the deadline has passed
}

// AgeBand counts cases open now whose age falls in one band.
type AgeBand struct {
	Label      string `json:"label"`    // "Up to 5 working days"
	MaxDays    int    `json:"max_days"` // the band's upper bound in working days; 0 for the last, open-ended band
	Complaints int    `json:"complaints"`
	Hazards    int    `json:"hazards"`
}

// AgeBands are the bands open cases are counted in: up to 5, 10 and 20
// working days (the Code's acknowledgement, stage 1 and stage 2 clocks),
// and older.
func AgeBands() []AgeBand {
	return []AgeBand{
		{Label: "Up to 5 working days", MaxDays: 5},
		{Label: "6 to 10 working days", MaxDays: 10},
		{Label: "11 to 20 working days", MaxDays: 20},
		{Label: "Over 20 working days"},
	}
}

// NewCaseMeasures starts the measures of from to to (inclusive).
func NewCaseMeasures(from, to Date) CaseMeasures {
	m := CaseMeasures{From: from, To: to, OpenByAge: AgeBands()}
	for _, s := range hazardSteps {
		m.HazardSteps = append(m.HazardSteps, StepTally{Step: s})
	}
	return m
}

// Add counts case c as it stands at now.
func (m *CaseMeasures) Add(c Case, now time.Time) {
	in := func(t time.Time) bool {
		if t.IsZero() {
			return false
		}
		d := LocalDate(t)
		return !d.Before(m.From) && !m.To.Before(d)
	}
	switch c.Kind {
	case CaseComplaint:
		if in(c.AwareAt) {
			m.Stage1Received++
		}
		if s, ok := c.Step(StepStage2Ack); ok && in(s.From) {
			m.Stage2Received++
		}
		for _, stage := range []struct {
			step             Step
			answered, onTime *int
		}{{StepStage1Response, &m.Stage1Answered, &m.Stage1OnTime}, {StepStage2Response, &m.Stage2Answered, &m.Stage2OnTime}} {
			s, ok := c.Step(stage.step)
			if !ok || !in(s.DoneAt) {
				continue
			}
			*stage.answered++
			if s.OnTime() {
				*stage.onTime++
			}
			if stage.step == StepStage2Response || c.Stage == 1 {
				m.countOutcome(c.Outcome)
			} else if c.Stage == 2 {
				// Answered at stage 1 in the period, then taken further: the
				// stage 1 decision is the one in the history.
				m.countOutcome(stage1Outcome(c))
			}
		}
	case CaseHazard:
		for _, s := range c.Steps {
			if !in(s.Deadline()) {
				continue
			}
			t := m.stepTally(s.Step)
			t.Due++
			switch {
			case s.OnTime():
				t.OnTime++
			case s.Done():
				t.Late++
			case s.Deadline().Before(now):
				t.Overdue++
			}
		}
	}
	if c.Status == CaseOpen {
		age := WorkingDaysBetween(LocalDate(c.AwareAt), LocalDate(now))
		for i := range m.OpenByAge {
			if b := &m.OpenByAge[i]; b.MaxDays == 0 || age <= b.MaxDays {
				if c.Kind == CaseComplaint {
					b.Complaints++
				} else {
					b.Hazards++
				}
				break
			}
		}
	}
}

// Finish works out the rates once every case is added, with homes the
// number of homes in scope.
func (m *CaseMeasures) Finish(homes int) {
	m.Homes = homes
	if homes > 0 {
		m.Stage1Per1000 = float64(m.Stage1Received) * 1000 / float64(homes)
		m.Stage2Per1000 = float64(m.Stage2Received) * 1000 / float64(homes)
	}
	if m.Stage1Answered > 0 {
		m.Stage1OnTimeShare = float64(m.Stage1OnTime) / float64(m.Stage1Answered)
	}
	if m.Stage2Answered > 0 {
		m.Stage2OnTimeShare = float64(m.Stage2OnTime) / float64(m.Stage2Answered)
	}
}

func (m *CaseMeasures) countOutcome(o string) {
	switch o {
	case OutcomeUpheld:
		m.Upheld++
	case OutcomePartlyUpheld:
		m.PartlyUpheld++
	case OutcomeNotUpheld:
		m.NotUpheld++
	}
}

// stepTally returns the tally of step s.
func (m *CaseMeasures) stepTally(s Step) *StepTally {
	for i := range m.HazardSteps {
		if m.HazardSteps[i].Step == s {
			return &m.HazardSteps[i]
		}
	}
	m.HazardSteps = append(m.HazardSteps, StepTally{Step: s})
	return &m.HazardSteps[len(m.HazardSteps)-1]
}

// hazardSteps are Awaab's Law's steps in the order a report lists them.
var hazardSteps = []Step{StepMakeSafe, StepInvestigate, StepSummary, StepSafetyWork, StepWorksArranged, StepWorksStarted, StepRehouse}

// stage1Outcome is the decision a complaint now at stage 2 was given at
// stage 1: the To of its first case.respond event.
func stage1Outcome(c Case) string {
	for _, e := range c.History {
		if e.Kind == KindCaseRespond {
			return e.To
		}
	}
	return ""
}

// ComplaintsYear returns the regulator's reporting year that starts in
// April of year y: 1 April y to 31 March y+1.
func ComplaintsYear(y int) (from, to Date) {
	return Date(time.Date(y, time.April, 1, 0, 0, 0, 0, time.UTC).Format(dateLayout)),
		Date(time.Date(y+1, time.March, 31, 0, 0, 0, 0, time.UTC).Format(dateLayout))
}
