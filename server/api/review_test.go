package api_test

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"doorstep/server/api"
	"doorstep/server/demo"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

func newUUID() string { return uuid.Must(uuid.NewV7()).String() }

// queueIDs returns the commitment IDs in each queue, in the order served.
func queueIDs(q housing.Queues) map[string][]string {
	out := map[string][]string{}
	for _, it := range q.Items {
		out[it.Queue] = append(out[it.Queue], it.Commitment.ID)
	}
	return out
}

// named turns commitment IDs back into the scenario's names, so a failure
// reads "[A H]" rather than two UUIDs.
func (s *reviewScenario) named(ids []string) []string {
	names := map[string]string{s.a.ID: "A", s.b.ID: "B", s.k1.ID: "K1", s.k2.ID: "K2", s.h.ID: "H", s.d.ID: "D",
		s.e.ID: "E", s.c.ID: "C", s.c2.ID: "C2", s.f.ID: "F", s.g.ID: "G"}
	out := []string{}
	for _, id := range ids {
		out = append(out, names[id])
	}
	return out
}

func (s *reviewScenario) queues(p *phone, q url.Values) housing.Queues {
	s.w.t.Helper()
	var out housing.Queues
	if status, code := s.w.get(p.client.Token, api.ReviewQueuesPath, q, &out); status != http.StatusOK {
		s.w.t.Fatalf("GET queues as %s: got %d %s", p.p.Name, status, code)
	}
	return out
}

func TestReviewQueues(t *testing.T) {
	s := newReviewScenario(t)

	t.Run("EachQueueOnChristmasEve", func(t *testing.T) {
		q := s.queues(s.jo, nil)
		if q.Today != "2026-12-24" {
			t.Fatalf("got today %s, want 2026-12-24", q.Today)
		}
		got := queueIDs(q)
		want := map[string][]string{
			housing.QueueOverdue:        {"A"},
			housing.QueueDueSoon:        {"C"}, // 5 working days: 29, 30, 31 Dec, 4 and 5 Jan; C2 on the 6th is out
			housing.QueueDisputed:       {"D", "E"},
			housing.QueueUnacknowledged: {"F"}, // G came in this morning
			housing.QueueBroken:         {"B"},
		}
		for _, name := range housing.QueueNames[:5] {
			g, w := s.named(got[name]), want[name]
			slices.Sort(g)
			if !slices.Equal(g, w) {
				t.Errorf("queue %s: got %v, want %v", name, g, w)
			}
		}
		if len(q.Attention) != 1 || q.Attention[0].Attention.RecordID != s.f.ID || q.Attention[0].OfficerName != "Tom Bradley" ||
			q.Attention[0].Attention.Code != housing.CodeForbidden || q.Attention[0].What != s.f.What {
			t.Errorf("got attention %+v, want tom's refused break of F", q.Attention)
		}
		if s.tomBreakF.Status != housing.ResultRejected {
			t.Errorf("tom's break of F: got %s, want rejected", s.tomBreakF.Status)
		}
		for _, c := range q.Counts {
			n := len(got[c.Queue])
			if c.Queue == housing.QueueAttention {
				n = len(q.Attention)
			}
			if c.Count != n || c.Label == "" {
				t.Errorf("count of %s: got %d (%q), want %d rows and a label", c.Queue, c.Count, c.Label, n)
			}
		}
	})

	t.Run("RowsSayWhoWhatWhereAndHowLate", func(t *testing.T) {
		q := s.queues(s.jo, nil)
		var row housing.QueueItem
		for _, it := range q.Items {
			if it.Queue == housing.QueueOverdue {
				row = it
			}
		}
		want := housing.Names{TenancyRef: "RIV-00001", SiteName: "Riverside Estate", FunctionName: "Tenancy management"}
		if row.Names != want || row.DaysOver != 6 || row.Commitment.What != s.a.What || row.Commitment.DueDate != "2026-12-18" {
			t.Errorf("got overdue row %+v with %d days over, want A at %+v, 6 days over", row.Names, row.DaysOver, want)
		}
		if len(q.Options.Sites) != 3 || len(q.Options.Functions) != 6 || len(q.Options.Officers) == 0 {
			t.Errorf("got options %d sites, %d functions, %d officers; want 3, 6 and the staff", len(q.Options.Sites), len(q.Options.Functions), len(q.Options.Officers))
		}
	})

	t.Run("ScopeIsTheSupervisorsSitesAndFunctions", func(t *testing.T) {
		if got := s.named(queueIDs(s.queues(s.jo, nil))[housing.QueueOverdue]); slices.Contains(got, "H") {
			t.Errorf("jo (Riverside, Northgate; tenancy) sees H, an income promise at Hollins Park")
		}
		got := s.named(queueIDs(s.queues(s.ravi, nil))[housing.QueueOverdue])
		slices.Sort(got)
		if !slices.Equal(got, []string{"A", "H"}) {
			t.Errorf("ravi (every site): got overdue %v, want [A H]", got)
		}
	})

	t.Run("Filters", func(t *testing.T) {
		tests := []struct {
			name  string
			q     url.Values
			queue string
			want  []string
		}{
			{"Site", url.Values{"site": {"northgate"}}, housing.QueueDisputed, []string{"D", "E"}},
			{"SiteLeavesOthersOut", url.Values{"site": {"northgate"}}, housing.QueueOverdue, []string{}},
			{"Function", url.Values{"function": {"repairs"}}, housing.QueueUnacknowledged, []string{"F"}},
			{"FunctionLeavesOthersOut", url.Values{"function": {"repairs"}}, housing.QueueDisputed, []string{}},
			{"Officer", url.Values{"officer": {demo.OfficerID("hannah")}}, housing.QueueDisputed, []string{"D", "E"}},
			{"OfficerLeavesOthersOut", url.Values{"officer": {demo.OfficerID("hannah")}}, housing.QueueOverdue, []string{}},
			{"Status", url.Values{"status": {"broken"}}, housing.QueueBroken, []string{"B"}},
			{"StatusLeavesOthersOut", url.Values{"status": {"broken"}}, housing.QueueOverdue, []string{}},
			{"DueDateRange", url.Values{"from": {"2027-01-01"}, "to": {"2027-01-31"}}, housing.QueueDisputed, []string{"E"}},
			{"DueDateRangeLeavesOthersOut", url.Values{"from": {"2027-01-01"}, "to": {"2027-01-31"}}, housing.QueueOverdue, []string{}},
			{"SiteOutsideScopeNarrowsToNothing", url.Values{"site": {"hollins"}}, housing.QueueOverdue, []string{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := s.named(queueIDs(s.queues(s.jo, tt.q))[tt.queue])
				slices.Sort(got)
				if !slices.Equal(got, tt.want) {
					t.Errorf("queue %s: got %v, want %v", tt.queue, got, tt.want)
				}
			})
		}
		t.Run("ErrBadDate", func(t *testing.T) {
			if status, code := s.w.get(s.jo.client.Token, api.ReviewQueuesPath, url.Values{"from": {"24/12/2026"}}, nil); status != http.StatusBadRequest || code != housing.CodeInvalid {
				t.Errorf("got %d %s, want 400 invalid", status, code)
			}
		})
		t.Run("ErrUnknownStatus", func(t *testing.T) {
			if status, code := s.w.get(s.jo.client.Token, api.ReviewQueuesPath, url.Values{"status": {"lost"}}, nil); status != http.StatusBadRequest || code != housing.CodeInvalid {
				t.Errorf("got %d %s, want 400 invalid", status, code)
			}
		})
		t.Run("AttentionNarrowsByOfficer", func(t *testing.T) {
			if got := s.queues(s.jo, url.Values{"officer": {demo.OfficerID("sarah")}}).Attention; len(got) != 0 {
				t.Errorf("got %d attention items for sarah, want 0 (only tom had one refused)", len(got))
			}
		})
	})

	// G reached the repairs team on Christmas Eve. The 25th and the Boxing
	// Day substitute on the 28th are bank holidays and the 26th and 27th a
	// weekend, so its two working days are the 29th and 30th.
	t.Run("NotPickedUpCountsWorkingDaysAcrossBankHolidays", func(t *testing.T) {
		for _, tt := range []struct {
			day  string
			want []string
		}{
			{"2026-12-29T10:00:00Z", []string{"F"}},
			{"2026-12-30T10:00:00Z", []string{"F", "G"}},
		} {
			s.w.at(tt.day)
			got := s.named(queueIDs(s.queues(s.jo, nil))[housing.QueueUnacknowledged])
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("on %s: got %v, want %v", tt.day[:10], got, tt.want)
			}
		}
		s.w.at("2026-12-24T10:00:00Z")
	})
}

func TestReviewRoleGate(t *testing.T) {
	w := newReviewWorld(t)
	sarah, jo := w.signIn("sarah"), w.signIn("jo")
	tenancy := w.tenancy("RIV-00001")
	paths := []string{api.ReviewQueuesPath, "/api/v1/review/tenancies/" + tenancy.ID + "/timeline",
		api.ReviewMeasuresPath, api.ReviewCommitmentsPath, api.ReviewFeedbackPath}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			if status, code := w.get("", path, nil, nil); status != http.StatusUnauthorized || code != housing.CodeUnauthorized {
				t.Errorf("signed out: got %d %s, want 401 unauthorized", status, code)
			}
			if status, code := w.get(sarah.client.Token, path, nil, nil); status != http.StatusForbidden || code != housing.CodeForbidden {
				t.Errorf("an officer: got %d %s, want 403 forbidden", status, code)
			}
			resp := w.getRaw(jo.client.Token, path, nil)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("a supervisor: got %d, want 200", resp.StatusCode)
			}
		})
	}
	t.Run("StoreRefusesAnOfficerToo", func(t *testing.T) {
		svc := &sqlite.ReviewService{DB: w.db.DB}
		if _, err := svc.Queues(context.Background(), sarah.p, housing.ReviewFilter{}); housing.ErrorCode(err) != housing.CodeForbidden {
			t.Errorf("got %v, want forbidden", err)
		}
	})
}

func TestReviewMeasures(t *testing.T) {
	s := newReviewScenario(t)
	measures := func(p *phone, q url.Values) housing.Measures {
		t.Helper()
		var m housing.Measures
		if status, code := s.w.get(p.client.Token, api.ReviewMeasuresPath, q, &m); status != http.StatusOK {
			t.Fatalf("GET measures: got %d %s", status, code)
		}
		return m
	}
	period := url.Values{"from": {"2026-12-14"}, "to": {"2026-12-24"}}

	// Jo's scope holds A, B, K1, K2, D, E, C, C2, F and G (not H). K1 was
	// done on its due date and K2 two days after; B is broken; D and E are
	// disputed; the tenants of K1 and K2 said yes.
	t.Run("Tally", func(t *testing.T) {
		got := measures(s.jo, period).Tally
		want := housing.Tally{Made: 10, KeptOnTime: 1, KeptLate: 1, Broken: 1, Disputed: 2, Confirmed: 2}
		if got != want {
			t.Errorf("got %+v, want %+v", got, want)
		}
		if got.ConfirmedPercent() != 20 {
			t.Errorf("got %d%% confirmed, want 20%%", got.ConfirmedPercent())
		}
	})

	// Tenancy management picked up A, E, C and C2 at once (0 h), K1 after
	// 4 h, and B, K2 and D after 24 h: the middle two of eight are 0 h and
	// 4 h, so the median is 2 h, 0.083 days, shown as 0.1. Repairs has not
	// picked up F or G.
	t.Run("MedianDaysToPickUpPerFunction", func(t *testing.T) {
		got := measures(s.jo, period).Acknowledge
		want := []housing.AcknowledgeMedian{
			{FunctionID: "repairs", FunctionName: "Repairs", MedianDays: 0, Count: 0, Waiting: 2},
			{FunctionID: "tenancy", FunctionName: "Tenancy management", MedianDays: 0.1, Count: 8, Waiting: 0},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
	})

	// TP01: very satisfied (sarah's), fairly satisfied (hannah's), very
	// dissatisfied (the tenant's): 2 of 3. TP06: fairly dissatisfied, and a
	// "prefer not to say" that is not counted: 0 of 1. TP07: neither, very
	// dissatisfied, fairly satisfied: 1 of 3. TP08: 2 of 2.
	t.Run("TenantSatisfactionMeasures", func(t *testing.T) {
		got := measures(s.jo, period).Satisfaction
		want := []housing.Satisfaction{
			{Question: housing.TP01, Label: housing.TP01.Short(), Satisfied: 2, Responses: 3, Percent: 67},
			{Question: housing.TP06, Label: housing.TP06.Short(), Satisfied: 0, Responses: 1, Percent: 0},
			{Question: housing.TP07, Label: housing.TP07.Short(), Satisfied: 1, Responses: 3, Percent: 33},
			{Question: housing.TP08, Label: housing.TP08.Short(), Satisfied: 2, Responses: 2, Percent: 100},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
		// Ravi supervises Hollins Park too, where kwame's tenant was very satisfied.
		if tp01 := measures(s.ravi, period).Satisfaction[0]; tp01.Satisfied != 3 || tp01.Responses != 4 || tp01.Percent != 75 {
			t.Errorf("ravi's TP01: got %+v, want 3 of 4, 75%%", tp01)
		}
	})

	t.Run("WeeklyTrend", func(t *testing.T) {
		got := measures(s.jo, period).Weeks
		want := []housing.Week{
			{Start: "2026-12-14", Tally: housing.Tally{Made: 4, KeptOnTime: 1, KeptLate: 1, Broken: 1, Confirmed: 2}},
			{Start: "2026-12-21", Tally: housing.Tally{Made: 6, Disputed: 2}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
	})

	t.Run("DefaultPeriodIsEightWeeksToToday", func(t *testing.T) {
		m := measures(s.jo, nil)
		if m.From != "2026-11-02" || m.To != "2026-12-24" || len(m.Weeks) != 8 || m.Weeks[7].Start != "2026-12-21" || m.Tally.Made != 10 {
			t.Errorf("got %s to %s in %d weeks (last %+v), made %d; want 2026-11-02 to 2026-12-24 in 8, made 10",
				m.From, m.To, len(m.Weeks), m.Weeks[len(m.Weeks)-1].Start, m.Tally.Made)
		}
	})

	t.Run("PeriodIsWhenTheServerReceivedThem", func(t *testing.T) {
		if got := measures(s.jo, url.Values{"from": {"2026-12-21"}, "to": {"2026-12-21"}}).Tally.Made; got != 2 {
			t.Errorf("made on the 21st: got %d, want 2 (D and E)", got)
		}
	})
}

// readCSV fetches an export and parses it with encoding/csv, which fails on
// any quoting mistake.
func readCSV(t *testing.T, w *reviewWorld, token, path string, q url.Values) (*http.Response, [][]string) {
	t.Helper()
	resp := w.getRaw(token, path, q)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: got %d: %s", path, resp.StatusCode, body)
	}
	// RFC 4180 ends every record with CRLF, line breaks inside a quoted
	// field included; some spreadsheets split a row at a lone LF.
	if lf, crlf := strings.Count(string(body), "\n"), strings.Count(string(body), "\r\n"); lf != crlf || !strings.HasSuffix(string(body), "\r\n") {
		t.Errorf("GET %s: %d of %d line ends are a bare LF, want every one CRLF", path, lf-crlf, lf)
	}
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatalf("parse %s: %v\n%s", path, err, body)
	}
	return resp, rows
}

// byColumn returns row as a map from the header's names.
func byColumn(header, row []string) map[string]string {
	m := map[string]string{}
	for i, h := range header {
		m[h] = row[i]
	}
	return m
}

func TestReviewExports(t *testing.T) {
	s := newReviewScenario(t)
	period := url.Values{"from": {"2026-12-14"}, "to": {"2026-12-24"}}

	t.Run("Commitments", func(t *testing.T) {
		resp, rows := readCSV(t, s.w, s.jo.client.Token, api.ReviewCommitmentsPath, period)
		if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("got Content-Type %q", ct)
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
			t.Errorf("got Content-Disposition %q, want an attachment named .csv", cd)
		}
		if !slices.Equal(rows[0], sqlite.CommitmentColumns) {
			t.Fatalf("got header %v", rows[0])
		}
		if got := len(rows) - 1; got != 10 {
			t.Fatalf("got %d promises, want 10 (jo's scope, not H)", got)
		}
		found := map[string]map[string]string{}
		for _, r := range rows[1:] {
			found[r[0]] = byColumn(rows[0], r)
		}
		k2 := found[s.k2.ID]
		want := map[string]string{"tenancy_ref": "RIV-00002", "site": "Riverside Estate", "team": "Tenancy management",
			"made_by": "Sarah Okafor", "received_on": "2026-12-14", "due_date": "2026-12-15", "status": "done",
			"kept_on_time": "no", "kept_late": "yes", "confirmed_by_tenant": "yes", "done_at": "2026-12-17 10:00", "days_over": "0"}
		for k, v := range want {
			if k2[k] != v {
				t.Errorf("K2 %s: got %q, want %q", k, k2[k], v)
			}
		}
		if got := found[s.a.ID]["days_over"]; got != "6" {
			t.Errorf("A days_over: got %q, want 6", got)
		}
		// The formula comes back as text: quoted by CSV, defused by the quote mark.
		if got := found[s.c2.ID]["what"]; got != "'"+evilWhat {
			t.Errorf("C2 what: got %q, want %q", got, "'"+evilWhat)
		}
	})

	t.Run("Feedback", func(t *testing.T) {
		_, rows := readCSV(t, s.w, s.jo.client.Token, api.ReviewFeedbackPath, period)
		if !slices.Equal(rows[0], sqlite.FeedbackColumns) {
			t.Fatalf("got header %v", rows[0])
		}
		if got := len(rows) - 1; got != 3 {
			t.Fatalf("got %d feedback rows, want 3 (not kwame's at Hollins Park)", got)
		}
		found := map[string]map[string]string{}
		for _, r := range rows[1:] {
			found[byColumn(rows[0], r)["source"]+"/"+byColumn(rows[0], r)["recorded_by"]] = byColumn(rows[0], r)
		}
		tenant := found["tenant/The tenant"]
		if tenant["comment"] != "'"+evilComment || tenant["TP01"] != "Very dissatisfied" || tenant["commitment_id"] != s.k1.ID {
			t.Errorf("got the tenant's row %v", tenant)
		}
		sarah := found["officer/Sarah Okafor"]
		if sarah["comment"] != "'-Fine overall." || sarah["TP08"] != "Strongly agree" || sarah["received_on"] != "2026-12-14" {
			t.Errorf("got sarah's row %v", sarah)
		}
	})

	t.Run("OfficerIsRefused", func(t *testing.T) {
		if status, code := s.w.get(s.sarah.client.Token, api.ReviewFeedbackPath, nil, nil); status != http.StatusForbidden || code != housing.CodeForbidden {
			t.Errorf("got %d %s, want 403 forbidden", status, code)
		}
	})

	t.Run("BadFilterIsJSONError", func(t *testing.T) {
		if status, code := s.w.get(s.jo.client.Token, api.ReviewCommitmentsPath, url.Values{"to": {"2026-02-30"}}, nil); status != http.StatusBadRequest || code != housing.CodeInvalid {
			t.Errorf("got %d %s, want 400 invalid", status, code)
		}
	})
}

func TestSafeCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Fix the tap", "Fix the tap"},
		{"=1+1", "'=1+1"},
		{"+44 7700 900123", "'+44 7700 900123"},
		{"-2", "'-2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tTabbed", "'\tTabbed"},
		{"\rReturn", "'\rReturn"},
		{"12", "12"},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := api.SafeCell(tt.in); got != tt.want {
			t.Errorf("SafeCell(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestReviewActions(t *testing.T) {
	s := newReviewScenario(t)
	ctx := context.Background()
	row := func(p *phone, queue, id string) (housing.QueueItem, bool) {
		for _, it := range s.queues(p, nil).Items {
			if it.Queue == queue && it.Commitment.ID == id {
				return it, true
			}
		}
		return housing.QueueItem{}, false
	}
	s.jo.pullAll()
	base := func(c housing.Commitment) int {
		got, ok := s.jo.commitment(c.ID)
		if !ok {
			t.Fatalf("jo's phone lacks %s", c.What)
		}
		return got.Version
	}

	// Priya works in income at Northgate and Hollins Park: A, a tenancy
	// promise at Riverside, is not hers until jo hands it over.
	t.Run("ReassignMovesIntoTheNewOwnersScope", func(t *testing.T) {
		s.priya.pullAll()
		if _, ok := s.priya.commitment(s.a.ID); ok {
			t.Fatalf("priya's phone has A before it was reassigned")
		}
		s.jo.ok(mutation{housing.KindCommitmentReassign, s.a.ID, base(s.a), housing.CommitmentAction{
			FunctionID: housing.FunctionIncome, OwnerID: s.priya.p.OfficerID, Reason: "It is about the rent account."}})
		s.priya.pullAll()
		got, ok := s.priya.commitment(s.a.ID)
		if !ok || got.FunctionID != housing.FunctionIncome || got.OwnerID != s.priya.p.OfficerID || got.Status != housing.StatusOpen {
			t.Fatalf("priya's phone: got %+v (held %v), want A owned by income and priya, open", got, ok)
		}
		it, ok := row(s.jo, housing.QueueOverdue, s.a.ID)
		if !ok || it.FunctionName != "Income and rent" || it.OwnerName != "Priya Shah" {
			t.Errorf("jo's overdue row for A: got %+v (found %v), want income, Priya Shah", it.Names, ok)
		}
		if _, ok := row(s.jo, housing.QueueUnacknowledged, s.a.ID); ok {
			t.Errorf("A counts as not picked up at once: the two working days start at the handover")
		}
		last := got.History[len(got.History)-1]
		if last.Kind != housing.KindCommitmentReassign || last.By != s.jo.p.OfficerID || last.Note != "It is about the rent account." || last.From != "tenancy" {
			t.Errorf("got last event %+v, want jo's reassign with the reason", last)
		}
	})

	t.Run("ExtendShowsTheTenantTheNewDateAndWhy", func(t *testing.T) {
		s.jo.ok(mutation{housing.KindCommitmentExtend, s.c.ID, base(s.c), housing.CommitmentAction{DueDate: "2027-01-12", Reason: "The surveyor is away until the 11th."}})
		if _, ok := row(s.jo, housing.QueueDueSoon, s.c.ID); ok {
			t.Errorf("C is still due soon after moving to 12 January")
		}
		v, err := s.w.db.TenantCommitment(ctx, s.c.Token)
		if err != nil {
			t.Fatal(err)
		}
		last := v.Commitment.History[len(v.Commitment.History)-1]
		if v.Commitment.DueDate != "2027-01-12" || last.Note != "The surveyor is away until the 11th." || last.From != "2027-01-05" {
			t.Errorf("tenant sees due %s and %+v, want 2027-01-12 with the reason", v.Commitment.DueDate, last)
		}
		page := s.w.tenantPage(s.c.Token)
		for _, want := range []string{"Tue 12 Jan 2027", "The surveyor is away until the 11th."} {
			if !strings.Contains(page, want) {
				t.Errorf("the tenant's page lacks %q", want)
			}
		}
	})

	t.Run("ExtendNeedsAReason", func(t *testing.T) {
		r := s.jo.push(mutation{housing.KindCommitmentExtend, s.e.ID, base(s.e), housing.CommitmentAction{DueDate: "2027-02-12"}})
		if r[0].Status != housing.ResultRejected || r[0].Code != housing.CodeInvalid {
			t.Errorf("got %s %s, want rejected invalid", r[0].Status, r[0].Code)
		}
	})

	t.Run("Escalate", func(t *testing.T) {
		s.jo.ok(mutation{housing.KindCommitmentEscalate, s.e.ID, base(s.e), housing.CommitmentAction{Reason: "Second complaint this month."}})
		if it, ok := row(s.jo, housing.QueueDisputed, s.e.ID); !ok || !it.Commitment.Escalated {
			t.Errorf("E in the disputed queue: got escalated %v (found %v), want true", it.Commitment.Escalated, ok)
		}
	})

	t.Run("BreakWithAnApologyForTheTenant", func(t *testing.T) {
		apology := "We are sorry: the door entry needs a part we are still waiting for."
		s.jo.ok(mutation{housing.KindCommitmentBreak, s.f.ID, base(s.f), housing.CommitmentAction{Reason: apology}})
		if _, ok := row(s.jo, housing.QueueBroken, s.f.ID); !ok {
			t.Errorf("F is not in the broken queue")
		}
		if _, ok := row(s.jo, housing.QueueUnacknowledged, s.f.ID); ok {
			t.Errorf("F is still waiting to be picked up after it was marked broken")
		}
		v, err := s.w.db.TenantCommitment(ctx, s.f.Token)
		if err != nil {
			t.Fatal(err)
		}
		if last := v.Commitment.History[len(v.Commitment.History)-1]; v.Commitment.Status != housing.StatusBroken || last.Note != apology {
			t.Errorf("tenant sees %s and %+v, want broken with the apology", v.Commitment.Status, last)
		}
		if page := s.w.tenantPage(s.f.Token); !strings.Contains(page, apology) {
			t.Errorf("the tenant's page lacks the apology")
		}
	})

	t.Run("OfficerCannotBreakAnothersPromise", func(t *testing.T) {
		r := s.hannah.push(act(housing.KindCommitmentBreak, s.e, housing.CommitmentAction{Reason: "Sorry."}))
		if r[0].Status != housing.ResultRejected || r[0].Code != housing.CodeForbidden {
			t.Errorf("got %s %s, want rejected forbidden", r[0].Status, r[0].Code)
		}
	})
}

func TestReviewTimeline(t *testing.T) {
	s := newReviewScenario(t)
	timeline := func(p *phone, id string) (housing.Timeline, int) {
		var tl housing.Timeline
		status, _ := s.w.get(p.client.Token, "/api/v1/review/tenancies/"+id+"/timeline", nil, &tl)
		return tl, status
	}

	t.Run("EverythingAtTheHouseholdInTimeOrder", func(t *testing.T) {
		tl, status := timeline(s.jo, s.riv1.ID)
		if status != http.StatusOK {
			t.Fatalf("got %d", status)
		}
		var got []string
		for i, e := range tl.Entries {
			if i > 0 && e.At.Before(tl.Entries[i-1].At) {
				t.Errorf("entry %d (%s) is before entry %d", i, e.Kind, i-1)
			}
			label := e.Kind
			switch {
			case e.Commitment != nil:
				label += ":" + s.named([]string{e.Commitment.ID})[0]
			case e.Event != nil:
				label += ":" + s.named([]string{e.CommitmentID})[0] + ":" + e.Event.Kind
			}
			got = append(got, label+" by "+e.ByName)
		}
		want := []string{
			"visit by Sarah Okafor",
			"commitment:A by Sarah Okafor",
			"event:A:commitment.acknowledge by Sarah Okafor",
			"feedback by Sarah Okafor",
			"commitment:C by Sarah Okafor",
			"event:C:commitment.acknowledge by Sarah Okafor",
			"commitment:C2 by Sarah Okafor",
			"event:C2:commitment.acknowledge by Sarah Okafor",
		}
		if !slices.Equal(got, want) {
			t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if tl.Tenancy.Reference != "RIV-00001" || tl.SiteName != "Riverside Estate" {
			t.Errorf("got tenancy %s at %s", tl.Tenancy.Reference, tl.SiteName)
		}
	})

	t.Run("TheTenantsAnswersAreInIt", func(t *testing.T) {
		tl, _ := timeline(s.jo, s.ngt1.ID)
		var tenant bool
		for _, e := range tl.Entries {
			if e.Event != nil && e.Event.Kind == housing.KindCommitmentTenant && e.ByName == "Tenant" && e.Event.To == string(housing.StatusDisputed) {
				tenant = true
			}
		}
		if !tenant {
			t.Errorf("the tenant's 'not done' on D is not in NGT-00001's timeline")
		}
	})

	t.Run("OutOfScopeIsNotFound", func(t *testing.T) {
		if _, status := timeline(s.jo, s.hol1.ID); status != http.StatusNotFound {
			t.Errorf("jo and HOL-00001: got %d, want 404", status)
		}
		if _, status := timeline(s.jo, "no-such-tenancy"); status != http.StatusNotFound {
			t.Errorf("an unknown tenancy: got %d, want 404", status)
		}
		if tl, status := timeline(s.ravi, s.hol1.ID); status != http.StatusOK || len(tl.Entries) == 0 {
			t.Errorf("ravi and HOL-00001: got %d with %d entries, want 200 with H", status, len(tl.Entries))
		}
	})

	// Jo supervises tenancy management on Riverside and Northgate. A
	// tenancy-team promise at a Hollins Park home lets her follow it there,
	// but not read what other teams recorded at that home: kwame's visit
	// notes, his income promise H and his feedback.
	t.Run("OnlyWhatTheScopeCovers", func(t *testing.T) {
		visit := housing.Visit{ID: newUUID(), TenancyID: s.hol1.ID, OfficerID: s.kwame.p.OfficerID, SiteID: s.hol1.SiteID,
			Purpose: housing.PurposeWelfareCheck, Notes: "Private: neighbour dispute notes.", StartedAt: s.w.clock}
		x, mx := s.kwame.promise(s.hol1, housing.FunctionTenancy, "2027-01-29", "Check the succession papers")
		s.kwame.ok(mutation{housing.KindVisitRecord, visit.ID, 0, visit}, mx)

		tl, status := timeline(s.jo, s.hol1.ID)
		if status != http.StatusOK {
			t.Fatalf("jo and HOL-00001 with a tenancy promise there: got %d, want 200", status)
		}
		for _, e := range tl.Entries {
			switch {
			case e.Commitment != nil && e.Commitment.ID == x.ID:
			case e.Event != nil && e.CommitmentID == x.ID:
			default:
				t.Errorf("jo sees a %s entry by %s outside her scope", e.Kind, e.ByName)
			}
		}
		if len(tl.Entries) == 0 {
			t.Errorf("jo does not see the tenancy promise she follows")
		}
		// The visit, H and kwame's feedback are left out, and counted.
		if tl.Hidden != 3 {
			t.Errorf("hidden = %d, want 3 (a visit, a promise and feedback)", tl.Hidden)
		}
		all, _ := timeline(s.ravi, s.hol1.ID)
		if all.Hidden != 0 {
			t.Errorf("ravi supervises Hollins Park: hidden = %d, want 0", all.Hidden)
		}
	})
}
