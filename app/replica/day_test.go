package replica_test

import (
	"slices"
	"testing"
	"time"

	"doorstep/shared/housing"
)

// TestDay checks what the home screen lists for an officer: today's visits
// by the landlord's clock, and only their own open promises, each in one
// list.
func TestDay(t *testing.T) {
	srv := newFakeServer()
	const today = housing.Date("2026-06-02") // a Tuesday in British Summer Time
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for id, started := range map[string]string{
		"v-noon":          "2026-06-02T12:00:00Z",
		"v-past-midnight": "2026-06-01T23:30:00Z", // 00:30 BST on the 2nd: today
		"v-late":          "2026-06-01T22:30:00Z", // 23:30 BST on the 1st: yesterday
	} {
		srv.change(housing.RecordVisit, id, housing.Visit{ID: id, TenancyID: "t1", SiteID: "riverside", Purpose: housing.PurposeWelfareCheck, StartedAt: at(started)})
	}
	me := "officer-sarah" // as fakeServer signs sarah in: tenancy management
	promise := func(id, function, madeBy, owner string, due housing.Date, status housing.Status) {
		srv.change(housing.RecordCommitment, id, housing.Commitment{ID: id, TenancyID: "t1", SiteID: "riverside", What: id,
			FunctionID: function, MadeBy: madeBy, OwnerID: owner, DueDate: due, Status: status})
	}
	promise("made-overdue", housing.FunctionRepairs, me, "", "2026-05-29", housing.StatusOpen)
	promise("owned-due-soon", housing.FunctionRepairs, "someone", me, "2026-06-04", housing.StatusAcknowledged)
	promise("team-broken", housing.FunctionTenancy, "someone", "", "2026-05-20", housing.StatusBroken)
	promise("team-due-today", housing.FunctionTenancy, "someone", "", today, housing.StatusOpen)
	promise("other-team-overdue", housing.FunctionRepairs, "someone", "", "2026-05-29", housing.StatusOpen)
	promise("team-far-off", housing.FunctionTenancy, "someone", "", "2026-07-30", housing.StatusOpen)
	promise("team-done", housing.FunctionTenancy, "someone", "", "2026-05-29", housing.StatusDone)
	p := newPhone(t, srv)

	d := p.r.Day(today)
	ids := func(cs []housing.Commitment) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	var visits []string
	for _, v := range d.Visits {
		visits = append(visits, v.ID)
	}
	for _, tc := range []struct {
		list      string
		got, want []string
	}{
		{"visits", visits, []string{"v-noon", "v-past-midnight"}},
		{"overdue", ids(d.Overdue), []string{"made-overdue"}},
		{"broken", ids(d.Broken), []string{"team-broken"}},
		{"due soon", ids(d.DueSoon), []string{"team-due-today", "owned-due-soon"}},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.list, tc.got, tc.want)
		}
	}
	if d.Today != today {
		t.Errorf("got the day %s, want %s", d.Today, today)
	}
}
