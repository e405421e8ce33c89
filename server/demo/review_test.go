package demo_test

import (
	"context"
	"testing"
	"time"

	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// TestHistoryFillsTheReviewScreens checks that `make run` shows a
// supervisor something in every queue and every measure: the demo
// history is what a first look at the supervisors' screens is judged on.
// It runs on several days, since the history moves with the date.
func TestHistoryFillsTheReviewScreens(t *testing.T) {
	for _, day := range []string{"2026-11-23T10:00:00Z", "2026-12-24T15:00:00Z", "2027-03-08T09:00:00Z"} {
		t.Run(day[:10], func(t *testing.T) {
			now, _ := time.Parse(time.RFC3339, day)
			db := demotest.HistoryAt(t, now)
			ctx := context.Background()
			svc := &sqlite.ReviewService{DB: db}
			counts := map[string]int{}
			for _, name := range []string{"jo", "ravi"} {
				q, err := svc.Queues(ctx, demotest.Principal(t, db, name), housing.ReviewFilter{})
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range q.Counts {
					counts[c.Queue] += c.Count
				}
			}
			t.Logf("queues of jo and ravi together: %v", counts)
			for _, name := range housing.QueueNames {
				if name != housing.QueueAttention && counts[name] == 0 {
					t.Errorf("no demo supervisor has anything in the %s queue", name)
				}
			}
			m, err := svc.Measures(ctx, demotest.Principal(t, db, "admin"), housing.ReviewFilter{})
			if err != nil {
				t.Fatal(err)
			}
			tl := m.Tally
			t.Logf("admin's measures: %+v", tl)
			if tl.Made == 0 || tl.KeptOnTime == 0 || tl.KeptLate == 0 || tl.Broken == 0 || tl.Disputed == 0 || tl.Confirmed == 0 {
				t.Errorf("got demo measures %+v, want some of each", tl)
			}
			for _, s := range m.Satisfaction {
				if s.Responses == 0 {
					t.Errorf("no demo answers to %s", s.Question)
				}
			}
			if len(m.Acknowledge) < 2 {
				t.Errorf("got pick-up times for %d functions, want several", len(m.Acknowledge))
			}
			weeks := 0
			for _, w := range m.Weeks {
				if w.Made > 0 {
					weeks++
				}
			}
			if weeks < 3 {
				t.Errorf("got promises in %d of the trend's weeks, want a trend of at least 3", weeks)
			}
		})
	}
}
