package sqlite

import (
	"testing"
	"time"

	"doorstep/shared/housing"
)

// TestReplayPromise checks that playing a promise's history again gives it
// as it stood after each step, from the due date and team it was made
// with, and that a step the state machine would not take again leaves the
// promise as it now is from there on rather than failing the backfill.
func TestReplayPromise(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	step := func(h time.Duration, kind, from, to, note string) housing.Event {
		return housing.Event{Kind: kind, At: at.Add(h * time.Hour), By: "tom", ByName: "Tom", From: from, To: to, Note: note}
	}
	now := housing.Commitment{
		ID: "p1", TenancyID: "riv1", SiteID: "riverside", MadeBy: "tom", FunctionID: "repairs", OwnerID: "rita",
		What: "Fix the tap", DueDate: "2026-12-11", DueTime: "14:00", Status: housing.StatusDone,
		AcknowledgedAt: at.Add(3 * time.Hour), DoneAt: at.Add(3 * time.Hour), Version: 4, DueVersion: 2, OwnerVersion: 3,
		History: []housing.Event{
			step(0, housing.KindCommitmentMake, "", "2026-12-04", ""),
			step(1, housing.KindCommitmentExtend, "2026-12-04", "2026-12-11", "Parts"),
			step(2, housing.KindCommitmentReassign, "tenancy", "repairs/rita", "A repair"),
			step(3, housing.KindCommitmentComplete, "open", "done", ""),
		},
	}
	states := replayPromise(now)
	want := []struct {
		status   housing.Status
		due      housing.Date
		dueTime  string
		function string
		owner    string
		version  int
	}{
		{housing.StatusOpen, "2026-12-04", "", "tenancy", "", 1},
		{housing.StatusOpen, "2026-12-11", "14:00", "tenancy", "", 2},
		{housing.StatusOpen, "2026-12-11", "14:00", "repairs", "rita", 3},
		{housing.StatusDone, "2026-12-11", "14:00", "repairs", "rita", 4},
	}
	for i, w := range want {
		s := states[i]
		if s.Status != w.status || s.DueDate != w.due || s.DueTime != w.dueTime || s.FunctionID != w.function || s.OwnerID != w.owner || s.Version != w.version {
			t.Errorf("after step %d: %s due %s %s, %s/%s, version %d; want %+v", i, s.Status, s.DueDate, s.DueTime, s.FunctionID, s.OwnerID, s.Version, w)
		}
	}
	if !states[3].DoneAt.Equal(now.DoneAt) || !states[2].DoneAt.IsZero() {
		t.Errorf("done at %v after the last step, %v before it", states[3].DoneAt, states[2].DoneAt)
	}

	// A cancel without its reason is a step the state machine refuses.
	odd := now
	odd.History = append([]housing.Event(nil), now.History[:2]...)
	odd.History = append(odd.History, step(2, housing.KindCommitmentCancel, "open", "cancelled", ""), now.History[3])
	states = replayPromise(odd)
	if states[1].DueDate != "2026-12-11" || states[1].Status != housing.StatusOpen {
		t.Errorf("before the refused step: %+v", states[1])
	}
	for i := 2; i < 4; i++ {
		if states[i].Status != odd.Status || states[i].Version != odd.Version {
			t.Errorf("step %d, from the refused one on: %s version %d; want the promise as it now is", i, states[i].Status, states[i].Version)
		}
	}
}
