package housing

import (
	"testing"
	"time"
)

// Every date below was worked out by hand from a calendar, counting
// working days from the day after the clock starts and skipping weekends
// and England and Wales bank holidays: Christmas Day is Friday 25 December
// 2026, Boxing Day falls on Saturday 26 so its substitute is Monday 28
// December, and New Year's Day is Friday 1 January 2027.

// localAt returns the instant of a landlord's local clock time (GMT in winter,
// BST in summer), as an officer's phone would record it.
func localAt(t *testing.T, local string) time.Time {
	t.Helper()
	for _, zone := range []*time.Location{gmt, bst} {
		v, err := time.ParseInLocation("2006-01-02 15:04", local, zone)
		if err != nil {
			t.Fatal(err)
		}
		if LocalTime(v).Format("2006-01-02 15:04") == local {
			return v
		}
	}
	t.Fatalf("%s is not a local time", local)
	return time.Time{}
}

func TestStepDue(t *testing.T) {
	tests := []struct {
		name     string
		step     Step
		from     string // local time the clock starts
		wantDate Date
		wantTime string
	}{
		// Complaint Handling Code.
		{"Stage1AckFromAFriday", StepStage1Ack, "2026-11-27 17:30", "2026-12-04", ""},
		{"Stage1AckOverChristmas", StepStage1Ack, "2026-12-18 10:00", "2026-12-29", ""},
		{"Stage1AckFromASaturday", StepStage1Ack, "2026-11-28 11:00", "2026-12-04", ""},
		{"Stage1ResponseOverChristmasAndNewYear", StepStage1Response, "2026-12-22 09:00", "2027-01-08", ""},
		{"Stage2AckFromAMonday", StepStage2Ack, "2026-11-30 12:00", "2026-12-07", ""},
		{"Stage2ResponseOverChristmas", StepStage2Response, "2026-11-30 12:00", "2026-12-30", ""},
		// The landlord's day, not UTC's: 00:30 BST on Friday 5 June is
		// 23:30 UTC on Thursday 4 June.
		{"Stage1AckJustAfterMidnightInSummer", StepStage1Ack, "2026-06-05 00:30", "2026-06-12", ""},

		// Awaab's Law.
		{"EmergencyReportedAt1600", StepMakeSafe, "2026-12-04 16:00", "2026-12-05", "16:00"},
		{"EmergencyInSummer", StepMakeSafe, "2026-07-10 16:00", "2026-07-11", "16:00"},
		// 24 hours, not "the same time tomorrow": the clocks go back at
		// 02:00 BST on Sunday 25 October 2026.
		{"EmergencyOverTheClocksGoingBack", StepMakeSafe, "2026-10-24 16:00", "2026-10-25", "15:00"},
		{"EmergencyOnChristmasEve", StepMakeSafe, "2026-12-24 16:00", "2026-12-25", "16:00"},
		{"InvestigateOverChristmas", StepInvestigate, "2026-12-16 11:00", "2027-01-04", ""},
		{"SummaryFromChristmasEve", StepSummary, "2026-12-24 15:00", "2026-12-31", ""},
		{"SafetyWorkFromChristmasEve", StepSafetyWork, "2026-12-24 15:00", "2027-01-05", ""},
		{"WorksArrangedFromChristmasEve", StepWorksArranged, "2026-12-24 15:00", "2027-01-05", ""},
		{"WorksStartedTwelveWeeks", StepWorksStarted, "2026-12-24 15:00", "2027-03-18", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, tm := StepDue(tt.step, localAt(t, tt.from))
			if d != tt.wantDate || tm != tt.wantTime {
				t.Errorf("StepDue(%s, %s) = %s %q, want %s %q", tt.step, tt.from, d, tm, tt.wantDate, tt.wantTime)
			}
		})
	}
}

func TestCaseStepOnTime(t *testing.T) {
	safe := CaseStep{Step: StepMakeSafe, DueDate: "2026-12-05", DueTime: "16:00"}
	day := CaseStep{Step: StepSummary, DueDate: "2026-12-31"}
	tests := []struct {
		name     string
		step     CaseStep
		doneAt   string
		wantOn   bool
		now      string
		wantLate bool
	}{
		{"HoursDoneAtTheMinute", safe, "2026-12-05 16:00", true, "2026-12-06 09:00", false},
		{"HoursDoneAMinuteLate", safe, "2026-12-05 16:01", false, "2026-12-06 09:00", true},
		{"HoursNotDoneYet", safe, "", false, "2026-12-05 15:59", false},
		{"HoursNotDonePastTheTime", safe, "", false, "2026-12-05 16:01", true},
		{"DayDoneLateThatEvening", day, "2026-12-31 23:59", true, "2027-01-02 09:00", false},
		{"DayDoneTheNextMorning", day, "2027-01-01 00:01", false, "2027-01-02 09:00", true},
		{"DayNotDoneOnTheDay", day, "", false, "2026-12-31 22:00", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.step
			if tt.doneAt != "" {
				s.DoneAt = localAt(t, tt.doneAt)
			}
			if got := s.OnTime(); got != tt.wantOn {
				t.Errorf("OnTime = %v, want %v", got, tt.wantOn)
			}
			if got := s.Late(localAt(t, tt.now)); got != tt.wantLate {
				t.Errorf("Late(%s) = %v, want %v", tt.now, got, tt.wantLate)
			}
		})
	}
}

func TestCaseRulesFrom(t *testing.T) {
	std := DefaultStandards()
	if r := CaseRulesFrom(std, nil); r.Stage1Extension != 10 || r.Stage2Extension != 20 {
		t.Errorf("defaults give %d and %d working days, want 10 and 20", r.Stage1Extension, r.Stage2Extension)
	}
	for i := range std {
		if std[i].ID == Stage2ExtensionStandard {
			std[i].Limit = 10
		}
	}
	if r := CaseRulesFrom(std, nil); r.Stage2Extension != 10 {
		t.Errorf("a landlord's limit of 10 gives %d", r.Stage2Extension)
	}
	if r := CaseRulesFrom(nil, nil); r.Stage1Extension != 10 || r.Stage2Extension != 20 {
		t.Errorf("no standards give %d and %d, want the law's 10 and 20", r.Stage1Extension, r.Stage2Extension)
	}
}

func TestStage2ExtensionCannotBeLoosened(t *testing.T) {
	before, _ := FindStandard(DefaultStandards(), Stage2ExtensionStandard)
	looser := before
	looser.Limit = 25
	if err := CheckStandardChange(&before, looser); ErrorField(err) != FieldLimit {
		t.Errorf("loosening the stage 2 extension to 25 working days: %v, want refused on limit", err)
	}
	tighter := before
	tighter.Limit = 10
	if err := CheckStandardChange(&before, tighter); err != nil {
		t.Errorf("tightening it to 10: %v", err)
	}
}
