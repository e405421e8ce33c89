package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

func TestLoadedStatus(t *testing.T) {
	now := time.Date(2026, 12, 24, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		l    Loaded
		want string
	}{
		{"FreshOnline", Loaded{LoadedAt: now.Add(-time.Minute)}, ""},
		{"OfflineTwoHours", Loaded{Offline: true, LoadedAt: now.Add(-2*time.Hour - 5*time.Minute)}, "Last loaded 2 hours ago — you are offline"},
		{"OfflineOneMinute", Loaded{Offline: true, LoadedAt: now.Add(-70 * time.Second)}, "Last loaded 1 minute ago — you are offline"},
		{"OfflineDays", Loaded{Offline: true, LoadedAt: now.Add(-75 * time.Hour)}, "Last loaded 3 days ago — you are offline"},
		{"OfflineNeverLoaded", Loaded{Offline: true}, "You are offline, and nothing has been loaded on this device yet."},
		{"FirstLoad", Loaded{Loading: true}, "Loading…"},
		{"Reloading", Loaded{Loading: true, LoadedAt: now.Add(-20 * time.Second)}, "Updating… (showing what was loaded just now)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.l.Status(now); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReviewDue(t *testing.T) {
	open := housing.Commitment{Status: housing.StatusOpen, DueDate: "2026-12-18"}
	tests := []struct {
		name     string
		c        housing.Commitment
		daysOver int
		want     string
	}{
		{"SixDaysOver", open, 6, "Fri 18 Dec 2026 · 6 days over"},
		{"OneDayOver", open, 1, "Fri 18 Dec 2026 · 1 day over"},
		{"Today", open, 0, "Fri 18 Dec 2026 · due today"},
		{"Tomorrow", open, -1, "Fri 18 Dec 2026 · due tomorrow"},
		{"InThreeDays", open, -3, "Fri 18 Dec 2026 · due in 3 days"},
		{"DisputedSaysNoLateness", housing.Commitment{Status: housing.StatusDisputed, DueDate: "2026-12-18"}, 6, "Fri 18 Dec 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reviewDue(tt.c, tt.daysOver); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReviewCheck(t *testing.T) {
	c := housing.Commitment{Status: housing.StatusAcknowledged, FunctionID: "tenancy", DueDate: "2026-12-18", Version: 2}
	tests := []struct {
		name string
		a    ActRequest
		code string
	}{
		{"Reassign", ActRequest{Kind: housing.KindCommitmentReassign, Action: housing.CommitmentAction{FunctionID: "repairs", Reason: "Theirs."}}, ""},
		{"ErrReassignWithoutReason", ActRequest{Kind: housing.KindCommitmentReassign, Action: housing.CommitmentAction{FunctionID: "repairs"}}, housing.CodeInvalid},
		{"ErrReassignToTheSameTeam", ActRequest{Kind: housing.KindCommitmentReassign, Action: housing.CommitmentAction{FunctionID: "tenancy", Reason: "x"}}, housing.CodeInvalid},
		{"Extend", ActRequest{Kind: housing.KindCommitmentExtend, Action: housing.CommitmentAction{DueDate: "2027-01-08", Reason: "Parts."}}, ""},
		{"ErrExtendWithoutDate", ActRequest{Kind: housing.KindCommitmentExtend, Action: housing.CommitmentAction{Reason: "Parts."}}, housing.CodeInvalid},
		{"Escalate", ActRequest{Kind: housing.KindCommitmentEscalate, Action: housing.CommitmentAction{Reason: "Third call."}}, ""},
		{"ErrBreakWithoutApology", ActRequest{Kind: housing.KindCommitmentBreak}, housing.CodeInvalid},
		{"Break", ActRequest{Kind: housing.KindCommitmentBreak, Action: housing.CommitmentAction{Reason: "We are sorry."}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := housing.ErrorCode(reviewCheck(c, tt.a)); got != tt.code {
				t.Errorf("got code %q, want %q", got, tt.code)
			}
		})
	}
}

func TestChartGeometry(t *testing.T) {
	t.Run("BarLength", func(t *testing.T) {
		full := float64(barChartWidth - barTextRoom)
		for _, tt := range []struct{ v, max, want float64 }{{0, 10, 0}, {5, 10, full / 2}, {10, 10, full}, {12, 10, full}, {3, 0, 0}} {
			if got := barLength(tt.v, tt.max); got != tt.want {
				t.Errorf("barLength(%v, %v): got %v, want %v", tt.v, tt.max, got, tt.want)
			}
		}
	})
	t.Run("TrendPoints", func(t *testing.T) {
		x0, y0 := trendPoint(0, 8, 0, 10)
		x7, y7 := trendPoint(7, 8, 10, 10)
		if x0 != trendLeft || x7 != trendWidth-8 {
			t.Errorf("got x from %v to %v, want %d to %d", x0, x7, trendLeft, trendWidth-8)
		}
		if y0 != trendHeight-trendBottom || y7 != trendTop {
			t.Errorf("got y from %v (zero) to %v (top), want %d and %d", y0, y7, trendHeight-trendBottom, trendTop)
		}
	})
	t.Run("TrendTopIsEven", func(t *testing.T) {
		if got := trendTopOf([]reviewSeries{{Values: []int{3, 7}}, {Values: []int{1}}}); got != 8 {
			t.Errorf("got %d, want 8", got)
		}
		if got := trendTopOf(nil); got != 1 {
			t.Errorf("got %d for no data, want 1", got)
		}
	})
}

func TestReviewEventWords(t *testing.T) {
	names := map[string]string{"tenancy": "Tenancy management", "income": "Income and rent", "p1": "Priya Shah"}
	tests := []struct {
		e    housing.Event
		want string
	}{
		{housing.Event{Kind: housing.KindCommitmentReassign, From: "tenancy", To: "income/p1"}, "Reassigned from Tenancy management to Income and rent (Priya Shah)"},
		{housing.Event{Kind: housing.KindCommitmentExtend, From: "2027-01-05", To: "2027-01-12"}, "Due date moved from Tue 5 Jan 2027 to Tue 12 Jan 2027"},
		{housing.Event{Kind: housing.KindCommitmentTenant, To: housing.TenantNotAgreed}, "The tenant says this isn't what was agreed"},
		{housing.Event{Kind: housing.KindCommitmentTenant, From: "done", To: "disputed"}, "The tenant says it wasn't done"},
	}
	for _, tt := range tests {
		if got := reviewEventWords(tt.e, names); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.e.Kind, got, tt.want)
		}
	}
}

// TestReviewRenders draws each page with a loaded view, as the server
// prerenders it, and checks what a supervisor must be able to read.
func TestReviewRenders(t *testing.T) {
	c := housing.Commitment{ID: "c1", TenancyID: "t1", What: "Fix the fence", Household: "Mrs A Khan", Status: housing.StatusOpen,
		DueDate: "2026-12-18", MadeByName: "Sarah Okafor", FunctionID: "tenancy"}
	queues := housing.Queues{
		Today:  "2026-12-24",
		Counts: []housing.QueueCount{{Queue: housing.QueueOverdue, Label: "Overdue", Count: 1}, {Queue: housing.QueueAttention, Label: "Needs attention", Count: 0}},
		Items: []housing.QueueItem{{Queue: housing.QueueOverdue, Commitment: c, DaysOver: 6,
			Names: housing.Names{TenancyRef: "RIV-00001", SiteName: "Riverside Estate", FunctionName: "Tenancy management"}}},
	}
	t.Run("QueuesOffline", func(t *testing.T) {
		p := &Review{view: ReviewQueuesView{Loaded: Loaded{Offline: true, LoadedAt: time.Now().Add(-2 * time.Hour)}, Queues: queues}}
		html := app.HTMLString(p)
		for _, want := range []string{"Last loaded 2 hours ago — you are offline", "Fix the fence", "RIV-00001", "Riverside Estate",
			"Tenancy management", "6 days over", "Overdue", "/review/tenancy/t1", "Act on this promise"} {
			if !strings.Contains(html, want) {
				t.Errorf("the queues page lacks %q", want)
			}
		}
	})
	t.Run("Measures", func(t *testing.T) {
		m := housing.Measures{From: "2026-12-14", To: "2026-12-24", Tally: housing.Tally{Made: 10, KeptOnTime: 1},
			Weeks:        []housing.Week{{Start: "2026-12-14", Tally: housing.Tally{Made: 4}}, {Start: "2026-12-21", Tally: housing.Tally{Made: 6}}},
			Satisfaction: []housing.Satisfaction{{Question: housing.TP01, Label: "Overall satisfaction", Satisfied: 2, Responses: 3, Percent: 67}}}
		html := app.HTMLString(&ReviewMeasures{view: ReviewMeasuresView{Measures: m}})
		for _, want := range []string{"<svg", "67% of 3 answers", "TP01 Overall satisfaction", "1 (10%)", "Download promises (CSV)", "polyline"} {
			if !strings.Contains(html, want) {
				t.Errorf("the measures page lacks %q", want)
			}
		}
	})
	t.Run("Timeline", func(t *testing.T) {
		at := time.Date(2026, 12, 14, 9, 0, 0, 0, time.UTC)
		p := &ReviewTimeline{id: "t1", view: ReviewTimelineView{TenancyID: "t1", Timeline: housing.Timeline{
			Tenancy: housing.Tenancy{ID: "t1", Reference: "RIV-00001", Household: "Mrs A Khan", Address: "1 Ferry Lane, Salford"},
			Entries: []housing.TimelineEntry{
				{Kind: housing.EntryCommitment, At: at, ByName: "Sarah Okafor", Commitment: &c, FunctionName: "Tenancy management"},
				{Kind: housing.EntryEvent, At: at.Add(time.Hour), ByName: "Joanne Fletcher", What: c.What, CommitmentID: "c1",
					Event: &housing.Event{Kind: housing.KindCommitmentBreak, Note: "We are sorry."}},
			},
		}}}
		html := app.HTMLString(p)
		for _, want := range []string{"RIV-00001 timeline", "Promise made", "Sarah Okafor", "Marked broken", "We are sorry."} {
			if !strings.Contains(html, want) {
				t.Errorf("the timeline lacks %q", want)
			}
		}
	})
}

func TestReviewLink(t *testing.T) {
	tests := []struct {
		name string
		role housing.Role
		want bool
	}{
		{"Officer", housing.RoleOfficer, false},
		{"Supervisor", housing.RoleSupervisor, true},
		{"Admin", housing.RoleAdmin, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html := app.HTMLString(app.Div().Body(ReviewLink(Account{SignedIn: true, Officer: housing.Officer{Role: tt.role}})))
			if got := strings.Contains(html, `href="/review"`); got != tt.want {
				t.Errorf("got a link %v, want %v", got, tt.want)
			}
		})
	}
}

// TestReviewKeepsRowsWhileAFormIsOpen checks that queues arriving while a
// supervisor fills in an action form wait until it closes: a reload moves
// the rows, and the row under the form would start it afresh.
func TestReviewKeepsRowsWhileAFormIsOpen(t *testing.T) {
	view := func(id string) ReviewQueuesView {
		return ReviewQueuesView{Queues: housing.Queues{Items: []housing.QueueItem{{Commitment: housing.Commitment{ID: id}}}}}
	}
	shown := func(p *Review) string { return p.view.Queues.Items[0].Commitment.ID }

	var p Review
	p.arrived = view("first")
	p.arrive()
	if got := shown(&p); got != "first" {
		t.Fatalf("with no form open the page shows %q, want the view that arrived", got)
	}
	p.open = "first"
	p.arrived = view("second")
	p.arrive()
	if got := shown(&p); got != "first" {
		t.Errorf("with a form open the page shows %q, want the rows it had until the form closes", got)
	}
	p.closeForm()
	if got := shown(&p); got != "second" {
		t.Errorf("after the form closed the page shows %q, want the view that arrived meanwhile", got)
	}
}
