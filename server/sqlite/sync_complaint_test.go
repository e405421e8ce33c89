package sqlite_test

import (
	"strings"
	"testing"
	"time"

	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// TestComplaintClockStartsAtTheDoor checks that a complaint's stage 1
// acknowledgement is due 5 working days from when the officer recorded it
// on the phone, not from when the phone synced: the Complaint Handling Code
// counts from when the landlord became aware. The phone's time is believed
// only within bounds, and the promise's history says when it was not.
func TestComplaintClockStartsAtTheDoor(t *testing.T) {
	monday := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) // the phone syncs
	friday := time.Date(2026, 12, 4, 15, 30, 0, 0, time.UTC)
	tests := []struct {
		name     string
		recorded time.Time
		wantDue  housing.Date
		wantNote string
	}{
		// Friday + 5 working days is the next Friday; counted from Monday
		// it would be the Monday after, two working days late.
		{"RecordedFridaySyncedMonday", friday, "2026-12-11", ""},
		{"ErrPhoneClockAhead", monday.Add(48 * time.Hour), "2026-12-14", "ahead of the server's"},
		{"ErrRecordedLongBefore", monday.Add(-30 * 24 * time.Hour), "2026-12-14", "more than 14 days before"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := demotest.Empty(t)
			db.Now = func() time.Time { return monday }
			fx := synctest.Seed(t, db.SQL())
			svc := &sqlite.SyncService{DB: db, PageChanges: synctest.PageChanges}
			tom := synctest.NewDevice(t, svc, fx, "tom", "tom-phone")
			f := housing.Feedback{
				ID: synctest.NewID(), TenancyID: "riv1", SiteID: "riverside", Source: housing.SourceOfficer,
				Answers:   map[housing.Question]housing.Rating{housing.TP01: housing.VeryDissatisfied},
				Comment:   "Nobody came about the damp.",
				Complaint: true,
			}
			m := tom.Mutation(housing.KindFeedbackGive, f.ID, 0, f)
			m.HappenedAt = tt.recorded
			resp := tom.Push(m)
			if got := resp.Results[0].Status; got != housing.ResultApplied {
				t.Fatalf("feedback: %s %s", got, resp.Results[0].Reason)
			}
			tom.PullAll()
			var routed []housing.Commitment
			for k := range tom.Records {
				if id, ok := strings.CutPrefix(k, "commitment/"); ok {
					routed = append(routed, tom.Commitment(id))
				}
			}
			if len(routed) != 1 {
				t.Fatalf("got %d promises, want the complaint's one", len(routed))
			}
			c := routed[0]
			if c.DueDate != tt.wantDue {
				t.Errorf("due %s, want %s", c.DueDate, tt.wantDue)
			}
			if !c.HappenedAt.Equal(tt.recorded) || !c.ReceivedAt.Equal(monday) {
				t.Errorf("kept times recorded %v, received %v; want %v, %v", c.HappenedAt, c.ReceivedAt, tt.recorded, monday)
			}
			note := c.History[0].Note
			if tt.wantNote == "" && note != "" || !strings.Contains(note, tt.wantNote) {
				t.Errorf("history note %q, want one containing %q", note, tt.wantNote)
			}
		})
	}
}
