package housing

import (
	"testing"
	"time"
)

func TestBecameAware(t *testing.T) {
	received := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) // a Monday
	friday := time.Date(2026, 12, 4, 15, 30, 0, 0, time.UTC)
	tests := []struct {
		name     string
		recorded time.Time
		window   time.Duration
		wantAt   time.Time
		wantNote bool
	}{
		{"OfficersTime", friday, 0, friday, false},
		{"SameMoment", received, 0, received, false},
		{"AtTheWindowsEdge", received.Add(-DefaultAwareWindow), 0, received.Add(-DefaultAwareWindow), false},
		{"ErrTooLongBefore", received.Add(-DefaultAwareWindow - time.Second), 0, received, true},
		{"ErrPhoneClockAhead", received.Add(time.Minute), 0, received, true},
		{"ErrNoRecordedTime", time.Time{}, 0, received, true},
		{"ShorterWindow", friday, 48 * time.Hour, received, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := BecameAware(tt.recorded, received, tt.window)
			if !got.At.Equal(tt.wantAt) {
				t.Errorf("At = %v, want %v", got.At, tt.wantAt)
			}
			if (got.Note != "") != tt.wantNote {
				t.Errorf("Note = %q, want a note: %v", got.Note, tt.wantNote)
			}
			if !got.Recorded.Equal(tt.recorded) || !got.Received.Equal(received) {
				t.Errorf("kept times %v, %v; want %v, %v", got.Recorded, got.Received, tt.recorded, received)
			}
		})
	}
}
