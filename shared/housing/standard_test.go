package housing

import (
	"strings"
	"testing"
)

func TestDefaultStandards(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range DefaultStandards() {
		t.Run(s.ID, func(t *testing.T) {
			if err := s.Validate(); err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
			if seen[s.ID] {
				t.Errorf("ID %q appears twice", s.ID)
			}
			seen[s.ID] = true
			if got, want := s.ID, s.FunctionID+"."+s.Kind; got != want {
				t.Errorf("ID = %q, want %q (function.kind)", got, want)
			}
			if s.Source == "" {
				t.Error("Source is empty; officers are shown where the rule comes from")
			}
			if s.Limit == 0 {
				t.Error("Limit is 0; every default has a limit")
			}
		})
	}
}

func TestDefaultStandardsPerFunction(t *testing.T) {
	list := DefaultStandards()
	for _, f := range []string{FunctionRepairs, FunctionIncome, FunctionTenancy, FunctionASB, FunctionLettings, FunctionComplaints} {
		t.Run(f, func(t *testing.T) {
			if got := StandardsFor(list, f); len(got) == 0 {
				t.Errorf("StandardsFor(%q) is empty, want at least one", f)
			}
			if _, ok := FindStandard(list, f+".general"); !ok {
				t.Errorf("no %s.general standard", f)
			}
		})
	}
	for _, s := range list {
		switch s.FunctionID {
		case FunctionRepairs, FunctionIncome, FunctionTenancy, FunctionASB, FunctionLettings, FunctionComplaints:
		default:
			t.Errorf("standard %q has unknown function %q", s.ID, s.FunctionID)
		}
	}
}

// TestDefaultStandardsPublicRules pins the limits that come from law or the
// regulator, so a slip in the table cannot pass unnoticed.
func TestDefaultStandardsPublicRules(t *testing.T) {
	tests := []struct {
		id        string
		unit      Unit
		limit     int
		statutory bool
	}{
		{"complaints.stage1_ack", UnitWorkingDays, 5, true},
		{"complaints.stage1_response", UnitWorkingDays, 15, true},
		{"complaints.stage2_ack", UnitWorkingDays, 5, true},
		{"complaints.stage2_response", UnitWorkingDays, 25, true},
		{"repairs.damp_emergency", UnitHours, 24, true},
		{"repairs.damp_investigate", UnitWorkingDays, 10, true},
		{"repairs.damp_summary", UnitWorkingDays, 13, true},
		{"repairs.damp_safety_work", UnitWorkingDays, 15, true},
		{"repairs.emergency", UnitHours, 24, false},
		{"repairs.urgent", UnitWorkingDays, 5, false},
		{"repairs.routine", UnitWorkingDays, 20, false},
		{"asb.case_review", UnitWorkingDays, 5, false},
	}
	list := DefaultStandards()
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			s, ok := FindStandard(list, tt.id)
			if !ok {
				t.Fatalf("FindStandard(%q) not found", tt.id)
			}
			if s.Unit != tt.unit || s.Limit != tt.limit || s.Statutory != tt.statutory {
				t.Errorf("got %s %d statutory=%v, want %s %d statutory=%v",
					s.Unit, s.Limit, s.Statutory, tt.unit, tt.limit, tt.statutory)
			}
		})
	}
}

func TestDefaultStandardsFreshSlice(t *testing.T) {
	a := DefaultStandards()
	a[0].Limit = 999
	if got := DefaultStandards()[0].Limit; got == 999 {
		t.Errorf("DefaultStandards()[0].Limit = %d after changing an earlier result", got)
	}
}

func TestFindStandard(t *testing.T) {
	list := DefaultStandards()
	if s, ok := FindStandard(list, "repairs.routine"); !ok || s.Kind != "routine" {
		t.Errorf("FindStandard(repairs.routine) = %+v, %v, want the routine repair standard", s, ok)
	}
	if s, ok := FindStandard(list, "repairs.nope"); ok {
		t.Errorf("FindStandard(repairs.nope) = %+v, true, want not found", s)
	}
	if got := StandardsFor(list, "nobody"); got != nil {
		t.Errorf("StandardsFor(nobody) = %v, want nil", got)
	}
	for _, s := range StandardsFor(list, FunctionASB) {
		if s.FunctionID != FunctionASB {
			t.Errorf("StandardsFor(asb) includes %q of %q", s.ID, s.FunctionID)
		}
	}
}

func TestStandardValidate(t *testing.T) {
	ok := Standard{ID: "repairs.x", FunctionID: "repairs", Kind: "x", Name: "X repair", Unit: UnitWorkingDays, Soonest: 1, Limit: 5}
	tests := []struct {
		name    string
		change  func(*Standard)
		wantErr string // a word the message must contain; "" for no error
	}{
		{"OK", func(*Standard) {}, ""},
		{"OKNoLimit", func(s *Standard) { s.Soonest, s.Limit = 5, 0 }, ""},
		{"OKHours", func(s *Standard) { s.Unit, s.Soonest, s.Limit = UnitHours, 0, 24 }, ""},
		{"OKLimitEqualsSoonest", func(s *Standard) { s.Soonest, s.Limit = 5, 5 }, ""},
		{"ErrNoID", func(s *Standard) { s.ID = " " }, "ID"},
		{"ErrNoFunction", func(s *Standard) { s.FunctionID = "" }, "function"},
		{"ErrNoKind", func(s *Standard) { s.Kind = "" }, "kind"},
		{"ErrNoName", func(s *Standard) { s.Name = "" }, "name"},
		{"ErrUnknownUnit", func(s *Standard) { s.Unit = "days" }, "working_days"},
		{"ErrNoUnit", func(s *Standard) { s.Unit = "" }, "hours"},
		{"ErrNegativeSoonest", func(s *Standard) { s.Soonest = -1 }, "negative"},
		{"ErrNegativeLimit", func(s *Standard) { s.Limit = -1 }, "no limit"},
		{"ErrLimitBeforeSoonest", func(s *Standard) { s.Soonest, s.Limit = 5, 4 }, "4 working days"},
		{"ErrOverAYearWorkingDays", func(s *Standard) { s.Limit = 2000 }, "year"},
		{"ErrOverAYearHours", func(s *Standard) { s.Unit, s.Soonest, s.Limit = UnitHours, 0, 10000 }, "year"},
		{"ErrIDNotASlug", func(s *Standard) { s.ID = "Repairs/X" }, "lower-case"},
		{"ErrIDTooLong", func(s *Standard) { s.ID = "repairs." + strings.Repeat("x", MaxSlug) }, "characters long"},
		{"ErrNameTooLong", func(s *Standard) { s.Name = strings.Repeat("x", MaxStandardName+1) }, "name"},
		{"ErrNameControl", func(s *Standard) { s.Name = "X\u202erepair" }, "invisible"},
		{"ErrSourceTooLong", func(s *Standard) { s.Source = strings.Repeat("x", MaxStandardSource+1) }, "source"},
		{"OKSourceEmpty", func(s *Standard) { s.Source = "" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.change(&s)
			err := s.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if got := ErrorCode(err); got != CodeInvalid {
				t.Fatalf("ErrorCode(Validate()) = %q, want %q (err %v)", got, CodeInvalid, err)
			}
			if got := ErrorMessage(err); !strings.Contains(got, tt.wantErr) {
				t.Errorf("message = %q, want it to mention %q", got, tt.wantErr)
			}
		})
	}
}

func TestStandardCheck(t *testing.T) {
	list := DefaultStandards()
	find := func(id string) Standard {
		s, ok := FindStandard(list, id)
		if !ok {
			t.Fatalf("FindStandard(%q) not found", id)
		}
		return s
	}
	noLimit := Standard{ID: "tenancy.x", FunctionID: "tenancy", Kind: "x", Name: "X", Unit: UnitWorkingDays, Soonest: 2}
	tests := []struct {
		name         string
		s            Standard
		madeOn, due  Date
		want         DueCheck // Message is checked separately
		wantMessage  string   // exact message; "" for none
		wantMentions string   // a phrase the message must contain, when not exact
	}{
		{
			name: "OKRoutine", s: find("repairs.routine"), madeOn: "2026-11-23", due: "2026-12-07",
			want: DueCheck{Earliest: "2026-11-30", Latest: "2026-12-21"},
		},
		{
			name: "OKRoutineOnEarliest", s: find("repairs.routine"), madeOn: "2026-11-23", due: "2026-11-30",
			want: DueCheck{Earliest: "2026-11-30", Latest: "2026-12-21"},
		},
		{
			name: "OKRoutineOnLatest", s: find("repairs.routine"), madeOn: "2026-11-23", due: "2026-12-21",
			want: DueCheck{Earliest: "2026-11-30", Latest: "2026-12-21"},
		},
		{
			name: "TooSoonRoutine", s: find("repairs.routine"), madeOn: "2026-11-23", due: "2026-11-27",
			want:        DueCheck{Earliest: "2026-11-30", Latest: "2026-12-21", TooSoon: true},
			wantMessage: "Routine repair takes at least 5 working days: the earliest realistic date is Mon 30 Nov 2026.",
		},
		{
			name: "TooLatePolicy", s: find("repairs.routine"), madeOn: "2026-11-23", due: "2026-12-22",
			want:         DueCheck{Earliest: "2026-11-30", Latest: "2026-12-21", TooLate: true},
			wantMentions: "the service standard is 20 working days",
		},
		{
			name: "TooLateStatutory", s: find("repairs.damp_investigate"), madeOn: "2026-11-20", due: "2026-12-07",
			want:        DueCheck{Earliest: "2026-11-23", Latest: "2026-12-04", TooLate: true},
			wantMessage: "Damp and mould investigation (Awaab's Law): the legal limit is 10 working days — by Fri 4 Dec 2026 at the latest.",
		},
		{
			name: "TooLateStatutoryComplaint", s: find("complaints.stage1_response"), madeOn: "2026-12-21", due: "2027-01-15",
			want:         DueCheck{Earliest: "2026-12-22", Latest: "2027-01-14", TooLate: true},
			wantMentions: "the legal limit is 15 working days — by Thu 14 Jan 2027",
		},
		{
			name: "OKHoursSameDay", s: find("repairs.emergency"), madeOn: "2026-11-27", due: "2026-11-27",
			want: DueCheck{Earliest: "2026-11-27", Latest: "2026-11-28"},
		},
		{
			name: "OKHoursNextCalendarDay", s: find("repairs.emergency"), madeOn: "2026-11-27", due: "2026-11-28",
			want: DueCheck{Earliest: "2026-11-27", Latest: "2026-11-28"},
		},
		{
			name: "TooLateHoursTwoDays", s: find("repairs.damp_emergency"), madeOn: "2026-11-27", due: "2026-11-29",
			want:        DueCheck{Earliest: "2026-11-27", Latest: "2026-11-28", TooLate: true},
			wantMessage: "Making a damp or mould emergency safe (Awaab's Law): the legal limit is 24 hours — by Sat 28 Nov 2026 at the latest.",
		},
		{
			name: "OKHoursLimitRoundsUp", s: Standard{Name: "X", Unit: UnitHours, Limit: 25}, madeOn: "2026-11-27", due: "2026-11-29",
			want: DueCheck{Earliest: "2026-11-27", Latest: "2026-11-29"},
		},
		{
			name: "OKHoursSoonestRoundsDown", s: Standard{Name: "X", Unit: UnitHours, Soonest: 4, Limit: 24}, madeOn: "2026-11-27", due: "2026-11-27",
			want: DueCheck{Earliest: "2026-11-27", Latest: "2026-11-28"},
		},
		{
			name: "TooSoonHours", s: Standard{Name: "Gas safety check", Unit: UnitHours, Soonest: 48}, madeOn: "2026-11-27", due: "2026-11-28",
			want:        DueCheck{Earliest: "2026-11-29", TooSoon: true},
			wantMessage: "Gas safety check takes at least 48 hours: the earliest realistic date is Sun 29 Nov 2026.",
		},
		{
			name: "DueBeforeVisit", s: find("repairs.emergency"), madeOn: "2026-11-27", due: "2026-11-26",
			want:        DueCheck{Earliest: "2026-11-27", Latest: "2026-11-28", TooSoon: true},
			wantMessage: "The due date is before the visit.",
		},
		{
			name: "DueBeforeVisitSoonestZeroWorkingDays", s: find("complaints.stage1_ack"), madeOn: "2026-11-27", due: "2026-11-20",
			want:        DueCheck{Earliest: "2026-11-27", Latest: "2026-12-04", TooSoon: true},
			wantMessage: "The due date is before the visit.",
		},
		{
			name: "OKNoLimitFarAhead", s: noLimit, madeOn: "2026-11-23", due: "2029-11-23",
			want: DueCheck{Earliest: "2026-11-25"},
		},
		{
			// MaxDueYears bounds every promise, with or without a limit.
			name: "TooLateNoLimitPastTheBound", s: noLimit, madeOn: "2026-11-23", due: "2030-01-01",
			want:         DueCheck{Earliest: "2026-11-25", TooLate: true},
			wantMentions: "more than 3 years ahead",
		},
		{
			name: "InvalidDue", s: find("repairs.urgent"), madeOn: "2026-11-23", due: "2026-11-31",
			want:         DueCheck{Earliest: "2026-11-24"},
			wantMentions: "not a real date",
		},
		{
			name: "InvalidMadeOn", s: find("repairs.urgent"), madeOn: "", due: "2026-11-30",
			want:         DueCheck{},
			wantMentions: "not a real date",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.s.Check(tt.madeOn, tt.due)
			msg := got.Message
			got.Message = ""
			if got != tt.want {
				t.Errorf("Check(%s, %s) = %+v, want %+v", tt.madeOn, tt.due, got, tt.want)
			}
			switch {
			case tt.wantMessage != "":
				if msg != tt.wantMessage {
					t.Errorf("Message = %q, want %q", msg, tt.wantMessage)
				}
			case tt.wantMentions != "":
				if !strings.Contains(msg, tt.wantMentions) {
					t.Errorf("Message = %q, want it to contain %q", msg, tt.wantMentions)
				}
			default:
				if msg != "" {
					t.Errorf("Message = %q, want none", msg)
				}
			}
			got.Message = msg
			wantOK := tt.wantMessage == "" && tt.wantMentions == ""
			if got.OK() != wantOK {
				t.Errorf("OK() = %v, want %v", got.OK(), wantOK)
			}
		})
	}
}
