package housing

import (
	"testing"
	"time"
	_ "time/tzdata" // the reference rules, in the test binary only, so the test never depends on the machine
)

// TestLocalTimeMatchesTZDatabase checks the written-out rule against the
// time zone database, every 30 minutes across years either side of now,
// which takes in every change of the clocks.
func TestLocalTimeMatchesTZDatabase(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)
	for at := start; at.Before(end); at = at.Add(30 * time.Minute) {
		got, want := LocalTime(at), at.In(london)
		if got.Format(time.RFC3339) != want.Format(time.RFC3339) {
			t.Fatalf("at %s: got %s, want %s", at.Format(time.RFC3339), got.Format(time.RFC3339), want.Format(time.RFC3339))
		}
	}
}

func TestLocalMidnight(t *testing.T) {
	tests := []struct {
		name string
		d    Date
		want string
	}{
		{"Winter", "2026-12-24", "2026-12-24T00:00:00Z"},
		{"Summer", "2026-06-10", "2026-06-09T23:00:00Z"},
		{"ClocksGoForward", "2026-03-29", "2026-03-29T00:00:00Z"},
		{"DayAfterClocksGoForward", "2026-03-30", "2026-03-29T23:00:00Z"},
		{"ClocksGoBack", "2026-10-25", "2026-10-24T23:00:00Z"},
		{"DayAfterClocksGoBack", "2026-10-26", "2026-10-26T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := LocalMidnight(tt.d)
			if got.UTC().Format(time.RFC3339) != tt.want {
				t.Errorf("got %s, want %s", got.UTC().Format(time.RFC3339), tt.want)
			}
			if LocalDate(got) != tt.d || LocalDate(got.Add(-time.Nanosecond)) != tt.d.AddDays(-1) {
				t.Errorf("%s is not the first instant of %s", got, tt.d)
			}
		})
	}
}
