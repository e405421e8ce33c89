package housing_test

import (
	"strings"
	"testing"
	"time"

	"doorstep/shared/housing"
)

func TestCheckDueDate(t *testing.T) {
	made := housing.Date("2026-11-23")
	for _, tt := range []struct {
		name string
		due  housing.Date
		want string
	}{
		{"OKSameDay", "2026-11-23", ""},
		{"OKThreeYears", "2029-11-23", ""},
		{"OKDayBefore", "2026-11-22", ""},
		{"OKAYearBefore", "2025-11-23", ""},
		{"ErrOverAYearBefore", "2025-11-21", "more than a year before"},
		{"ErrLongAgo", "1999-01-01", "more than a year before"},
		{"ErrFarAhead", "9999-12-31", "more than 3 years ahead"},
		{"ErrNotADate", "2026-02-30", "not a real date"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			field := ""
			if tt.want != "" {
				field = housing.FieldDueDate
			}
			checkField(t, housing.CheckDueDate(tt.due, made), tt.want, field)
		})
	}
}

func TestMadeOn(t *testing.T) {
	received := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) // a Monday
	for _, tt := range []struct {
		name     string
		recorded time.Time
		want     housing.Date
	}{
		{"PhoneDay", time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC), "2026-11-20"},
		{"PhoneDayMonthsOffline", time.Date(2026, 6, 1, 23, 30, 0, 0, time.UTC), "2026-06-02"}, // BST
		{"ErrNoClock", time.Time{}, "2026-11-23"},
		{"ErrYearOne", time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), "2026-11-23"},
		{"ErrDaysAhead", received.Add(72 * time.Hour), "2026-11-23"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := housing.MadeOn(tt.recorded, received); got != tt.want {
				t.Errorf("MadeOn(%v) = %s, want %s", tt.recorded, got, tt.want)
			}
		})
	}
}

// TestValidateChecksVisitTimesOnThePhone checks that a visit carrying the
// phone's time (as the phone saves it) is refused by Validate for the times
// the server would refuse, so the officer hears it at the door.
func TestValidateChecksVisitTimesOnThePhone(t *testing.T) {
	v := housing.Visit{ID: id1, TenancyID: "t1", OfficerID: "o1", SiteID: "riverside",
		Purpose: housing.PurposeWelfareCheck, StartedAt: time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC)}
	v.HappenedAt = t0
	checkField(t, v.Validate(), "before 2000", housing.FieldStartedAt)
	v.StartedAt = t0.Add(48 * time.Hour)
	checkField(t, v.Validate(), "in the future", housing.FieldStartedAt)
	v.StartedAt, v.EndedAt = t0, t0.Add(48*time.Hour)
	checkField(t, v.Validate(), "in the future", housing.FieldEndedAt)
}

// TestStandardCheckWarnsPastTheBound checks that the form's due-date check
// flags a date more than MaxDueYears ahead even for a standard with no
// limit, with the words the server refuses it in.
func TestStandardCheckWarnsPastTheBound(t *testing.T) {
	s := housing.Standard{Unit: housing.UnitWorkingDays}
	c := s.Check("2026-11-23", "9999-12-31")
	if c.OK() || !c.TooLate || !strings.Contains(c.Message, "more than 3 years ahead") {
		t.Fatalf("got %+v, want too late: more than 3 years ahead", c)
	}
	if c := s.Check("2026-11-23", "2029-11-23"); !c.OK() {
		t.Fatalf("got %+v for three years ahead, want OK", c)
	}
}

func TestTransitionExtendBounds(t *testing.T) {
	c := commitmentIn(housing.StatusOpen)
	for _, tt := range []struct {
		name string
		on   housing.Date
		due  housing.Date
		want string
	}{
		{"OK", "", "2026-12-01", ""},
		{"ErrBeforeToday", "", "2020-01-01", "more than a year before"},
		{"ErrFarAhead", "", "9999-12-31", "years ahead"},
		// Made offline on the 20th: the 21st was still ahead then.
		{"OKMadeOfflineEarlier", "2026-11-20", "2026-11-21", ""},
		{"OKBeforeTheDayMade", "2026-11-20", "2026-11-19", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := housing.Transition(c, housing.Act{Kind: housing.KindCommitmentExtend, By: "maker", At: t0, On: tt.on,
				Action: housing.CommitmentAction{DueDate: tt.due, Reason: "Parts on order"}})
			checkValidation(t, err, tt.want)
		})
	}
}

// TestAuthorizeSaysWhoMay checks that a refusal is true for whoever asks:
// the maker of a promise is not told someone else made it.
func TestAuthorizeSaysWhoMay(t *testing.T) {
	c := commitmentIn(housing.StatusOpen) // made by "maker", owned by repairs
	maker := housing.Principal{OfficerID: "maker", Role: housing.RoleOfficer}
	other := housing.Principal{OfficerID: "fixer", Role: housing.RoleOfficer, Functions: []string{housing.FunctionIncome}}
	for _, tt := range []struct {
		name string
		p    housing.Principal
		kind string
		want string
	}{
		{"MakerBreaks", maker, housing.KindCommitmentBreak, "Only a supervisor can mark a promise broken."},
		{"OtherExtends", other, housing.KindCommitmentExtend, "Only the officer who made or owns this promise, or a supervisor"},
		{"OtherAcknowledges", other, housing.KindCommitmentAcknowledge, "Only the team that owns this promise"},
		{"OfficerAnswersForTenant", maker, housing.KindCommitmentTenant, "Only the tenant"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := housing.Authorize(tt.p, c, tt.kind)
			if housing.ErrorCode(err) != housing.CodeForbidden || !strings.Contains(housing.ErrorMessage(err), tt.want) {
				t.Fatalf("got %v, want forbidden saying %q", err, tt.want)
			}
		})
	}
}
