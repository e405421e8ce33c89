package housing

import (
	"testing"
	"time"
)

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
