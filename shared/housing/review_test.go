package housing

import (
	"net/url"
	"reflect"
	"slices"
	"testing"
	"time"
)

// at is an instant in UTC, for the received and done times in the tests.
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReviewQueues(t *testing.T) {
	// Thursday 24 December 2026: Christmas Day (Friday) and the Boxing Day
	// substitute (Monday 28th) are bank holidays, and so is New Year's Day
	// (Friday 1 January 2027).
	const xmasEve Date = "2026-12-24"
	tests := []struct {
		name  string
		c     Commitment
		today Date
		want  []string
	}{
		{"OverdueOpen", Commitment{Status: StatusOpen, DueDate: "2026-12-23", Meta: Meta{ReceivedAt: at("2026-12-23T09:00:00Z")}}, xmasEve, []string{QueueOverdue}},
		{"OverdueAcknowledged", Commitment{Status: StatusAcknowledged, DueDate: "2026-12-01"}, xmasEve, []string{QueueOverdue}},
		{"DueTodayIsNotOverdue", Commitment{Status: StatusAcknowledged, DueDate: xmasEve}, xmasEve, []string{QueueDueSoon}},
		{"DoneLateIsNotOverdue", Commitment{Status: StatusDone, DueDate: "2026-12-01"}, xmasEve, nil},
		// Five working days from Christmas Eve: 29, 30, 31 December, 4 and 5 January.
		{"DueSoonReachesPastBankHolidays", Commitment{Status: StatusOpen, DueDate: "2027-01-05", Meta: Meta{ReceivedAt: at("2026-12-24T09:00:00Z")}}, xmasEve, []string{QueueDueSoon}},
		{"SixthWorkingDayIsNotDueSoon", Commitment{Status: StatusAcknowledged, DueDate: "2027-01-06"}, xmasEve, nil},
		{"BrokenIsNotDueSoon", Commitment{Status: StatusBroken, DueDate: "2026-12-29"}, xmasEve, []string{QueueBroken}},
		{"TenantSaysNotDone", Commitment{Status: StatusDisputed, DueDate: "2026-12-01"}, xmasEve, []string{QueueDisputed}},
		{"TenantSaysNotAgreed", Commitment{Status: StatusAcknowledged, DueDate: "2027-02-01", TenantAgreement: TenantNotAgreed}, xmasEve, []string{QueueDisputed}},
		{"NotAgreedThenKept", Commitment{Status: StatusKept, DueDate: "2026-12-01", TenantAgreement: TenantNotAgreed}, xmasEve, nil},
		{"NotAgreedThenCancelled", Commitment{Status: StatusCancelled, DueDate: "2026-12-01", TenantAgreement: TenantNotAgreed}, xmasEve, nil},
		// Received on Tuesday 22nd: two working days later is Thursday 24th.
		{"UnacknowledgedAfterTwoWorkingDays", Commitment{Status: StatusOpen, DueDate: "2027-02-01", Meta: Meta{ReceivedAt: at("2026-12-22T16:00:00Z")}}, xmasEve, []string{QueueUnacknowledged}},
		{"NotYetTwoWorkingDays", Commitment{Status: StatusOpen, DueDate: "2027-02-01", Meta: Meta{ReceivedAt: at("2026-12-23T08:00:00Z")}}, xmasEve, nil},
		// Received on Christmas Eve: the 25th and 28th are bank holidays and
		// the 26th and 27th a weekend, so the two days are the 29th and 30th.
		{"BankHolidaysDoNotCountOn29th", Commitment{Status: StatusOpen, DueDate: "2027-02-01", Meta: Meta{ReceivedAt: at("2026-12-24T11:00:00Z")}}, "2026-12-29", nil},
		{"BankHolidaysDoNotCountOn30th", Commitment{Status: StatusOpen, DueDate: "2027-02-01", Meta: Meta{ReceivedAt: at("2026-12-24T11:00:00Z")}}, "2026-12-30", []string{QueueUnacknowledged}},
		{"ReassignStartsTheClockAgain", Commitment{Status: StatusOpen, DueDate: "2027-02-01", Meta: Meta{ReceivedAt: at("2026-12-01T09:00:00Z")},
			History: []Event{{Kind: KindCommitmentMake, At: at("2026-12-01T09:00:00Z")}, {Kind: KindCommitmentReassign, At: at("2026-12-23T10:00:00Z")}}}, xmasEve, nil},
		{"AcknowledgedIsNotUnacknowledged", Commitment{Status: StatusAcknowledged, DueDate: "2027-02-01", Meta: Meta{ReceivedAt: at("2026-12-01T09:00:00Z")}}, xmasEve, nil},
		{"OverdueAndUnacknowledged", Commitment{Status: StatusOpen, DueDate: "2026-12-18", Meta: Meta{ReceivedAt: at("2026-12-14T09:00:00Z")}}, xmasEve, []string{QueueOverdue, QueueUnacknowledged}},
		{"Broken", Commitment{Status: StatusBroken, DueDate: "2026-12-01"}, xmasEve, []string{QueueBroken}},
		{"BrokenIsNotOverdue", Commitment{Status: StatusBroken, DueDate: "2026-12-23", Meta: Meta{ReceivedAt: at("2026-12-01T09:00:00Z")}}, xmasEve, []string{QueueBroken}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.ReviewQueues(tt.today); !slices.Equal(got, tt.want) {
				t.Errorf("got queues %v, want %v", got, tt.want)
			}
			// An officer's home lists follow the same rules: a promise is
			// listed as overdue on the phone exactly when a supervisor sees
			// it in the overdue queue.
			wantHome := ""
			for _, q := range []string{QueueOverdue, QueueBroken, QueueDueSoon} {
				if slices.Contains(tt.want, q) {
					wantHome = q
					break
				}
			}
			if got := tt.c.HomeList(tt.today); got != wantHome {
				t.Errorf("home list %q, want %q", got, wantHome)
			}
		})
	}
}

func TestReviewFilter(t *testing.T) {
	t.Run("QueryRoundTrip", func(t *testing.T) {
		f := ReviewFilter{Sites: []string{"riverside", "hollins"}, Functions: []string{"repairs"}, OfficerID: "o1", Status: StatusOpen, From: "2026-11-01", To: "2026-11-30"}
		v, err := url.ParseQuery(f.Query())
		if err != nil {
			t.Fatal(err)
		}
		if got := ReviewFilterFrom(v); !reflect.DeepEqual(got, f) {
			t.Errorf("got %+v, want %+v", got, f)
		}
	})
	t.Run("CommaSeparated", func(t *testing.T) {
		got := ReviewFilterFrom(url.Values{"site": {"a, b", "c"}})
		if !slices.Equal(got.Sites, []string{"a", "b", "c"}) {
			t.Errorf("got sites %v, want [a b c]", got.Sites)
		}
	})
	tests := []struct {
		name string
		f    ReviewFilter
		code string
	}{
		{"OK", ReviewFilter{From: "2026-11-01", To: "2026-11-30", Status: StatusBroken}, ""},
		{"ErrBadFrom", ReviewFilter{From: "2026-13-01"}, CodeInvalid},
		{"ErrBadTo", ReviewFilter{To: "yesterday"}, CodeInvalid},
		{"ErrToBeforeFrom", ReviewFilter{From: "2026-11-02", To: "2026-11-01"}, CodeInvalid},
		{"ErrUnknownStatus", ReviewFilter{Status: "lost"}, CodeInvalid},
		{"ErrFromTooEarly", ReviewFilter{From: "0000-01-01"}, CodeInvalid},
		{"ErrToTooLate", ReviewFilter{To: "9999-12-31"}, CodeInvalid},
		{"WidestPeriod", ReviewFilter{From: FirstFilterDate, To: LastFilterDate}, ""},
		{"AsManySitesAsAllowed", ReviewFilter{Sites: make([]string, MaxFilterValues)}, ""},
		{"ErrTooManySites", ReviewFilter{Sites: make([]string, MaxFilterValues+1)}, CodeInvalid},
		{"ErrTooManyFunctions", ReviewFilter{Functions: make([]string, MaxFilterValues+1)}, CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(tt.f.Validate()); got != tt.code {
				t.Errorf("got code %q, want %q", got, tt.code)
			}
		})
	}
}
