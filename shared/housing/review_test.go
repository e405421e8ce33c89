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

func TestMeasureDefinitions(t *testing.T) {
	tests := []struct {
		name                          string
		c                             Commitment
		onTime, late, disputed, yesNo bool
	}{
		{"KeptOnTheDueDate", Commitment{Status: StatusKept, DueDate: "2026-11-10", DoneAt: at("2026-11-10T16:00:00Z"), TenantOutcome: TenantDone}, true, false, false, true},
		// 23:30 UTC on 10 June is 00:30 on 11 June in London: a day late.
		{"DoneLateByLondonTime", Commitment{Status: StatusDone, DueDate: "2026-06-10", DoneAt: at("2026-06-10T23:30:00Z")}, false, true, false, false},
		{"DoneBeforeTheDueDate", Commitment{Status: StatusDone, DueDate: "2026-11-10", DoneAt: at("2026-11-02T10:00:00Z"), TenantAgreement: TenantAgreed}, true, false, false, true},
		{"DisputedIsNotKept", Commitment{Status: StatusDisputed, DueDate: "2026-11-10", DoneAt: at("2026-11-02T10:00:00Z"), TenantOutcome: TenantNotDone}, false, false, true, false},
		{"OpenIsNeither", Commitment{Status: StatusOpen, DueDate: "2026-11-10", TenantAgreement: TenantNotAgreed}, false, false, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.KeptOnTime(); got != tt.onTime {
				t.Errorf("got KeptOnTime %v, want %v", got, tt.onTime)
			}
			if got := tt.c.KeptLate(); got != tt.late {
				t.Errorf("got KeptLate %v, want %v", got, tt.late)
			}
			if got := tt.c.DisputedByTenant(); got != tt.disputed {
				t.Errorf("got DisputedByTenant %v, want %v", got, tt.disputed)
			}
			if got := tt.c.ConfirmedByTenant(); got != tt.yesNo {
				t.Errorf("got ConfirmedByTenant %v, want %v", got, tt.yesNo)
			}
		})
	}
}

func TestAcknowledgeTime(t *testing.T) {
	t.Run("FromReceived", func(t *testing.T) {
		c := Commitment{AcknowledgedAt: at("2026-11-03T09:00:00Z"), Meta: Meta{ReceivedAt: at("2026-11-02T09:00:00Z")}}
		if got, ok := c.AcknowledgeTime(); !ok || got != 24*time.Hour {
			t.Errorf("got %v, %v; want 24h, true", got, ok)
		}
	})
	t.Run("FromLastReassign", func(t *testing.T) {
		c := Commitment{AcknowledgedAt: at("2026-11-05T21:00:00Z"), Meta: Meta{ReceivedAt: at("2026-11-02T09:00:00Z")},
			History: []Event{{Kind: KindCommitmentReassign, At: at("2026-11-05T09:00:00Z")}}}
		if got, ok := c.AcknowledgeTime(); !ok || got != 12*time.Hour {
			t.Errorf("got %v, %v; want 12h, true", got, ok)
		}
	})
	t.Run("NotYet", func(t *testing.T) {
		c := Commitment{Meta: Meta{ReceivedAt: at("2026-11-02T09:00:00Z")}}
		if _, ok := c.AcknowledgeTime(); ok {
			t.Errorf("got a time for a promise nobody picked up")
		}
	})
}

func TestMedianDays(t *testing.T) {
	h := time.Hour
	tests := []struct {
		name string
		ds   []time.Duration
		want float64
	}{
		{"None", nil, 0},
		{"One", []time.Duration{36 * h}, 1.5},
		{"OddCount", []time.Duration{72 * h, 12 * h, 24 * h}, 1},
		{"EvenCountMeansMiddleTwo", []time.Duration{12 * h, 24 * h, 48 * h, 96 * h}, 1.5},
		{"RoundsToTenths", []time.Duration{25 * h}, 1}, // 1.04 days
		{"RoundsHalfUp", []time.Duration{27*h + 36*time.Minute}, 1.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MedianDays(tt.ds); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPercent(t *testing.T) {
	tests := []struct{ part, whole, want int }{{0, 0, 0}, {1, 3, 33}, {2, 3, 67}, {1, 8, 13}, {5, 5, 100}}
	for _, tt := range tests {
		if got := Percent(tt.part, tt.whole); got != tt.want {
			t.Errorf("Percent(%d, %d): got %d, want %d", tt.part, tt.whole, got, tt.want)
		}
	}
}

func TestWeekStart(t *testing.T) {
	for d, want := range map[Date]Date{"2026-11-23": "2026-11-23", "2026-11-29": "2026-11-23", "2026-11-25": "2026-11-23", "2026-11-22": "2026-11-16"} {
		if got := WeekStart(d); got != want {
			t.Errorf("WeekStart(%s): got %s, want %s", d, got, want)
		}
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
