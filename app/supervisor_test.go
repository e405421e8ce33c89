package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"doorstep/app/remote"
	"doorstep/app/replica"
	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// reviewServer is the server as a Doer: every request gets res, or err (no
// answer at all), and is recorded.
type reviewServer struct {
	res  remote.Response
	err  error
	urls []string
}

func (s *reviewServer) do(ctx context.Context, r remote.Request) (remote.Response, error) {
	s.urls = append(s.urls, r.Method+" "+r.URL+" "+r.Header["Authorization"])
	return s.res, s.err
}

var (
	answered  = func(body string) remote.Response { return remote.Response{Status: 200, Body: []byte(body)} }
	forbidden = remote.Response{Status: 403, Body: []byte(`{"code":"forbidden","message":"Only supervisors can do this."}`)}
	offline   = errors.New("fetch failed")
)

// newTestSupervisor is the supervisor's wiring with jo signed in and the
// server behind srv.
func newTestSupervisor(srv *reviewServer) (*supervisor, *fakeBrowser) {
	b := &fakeBrowser{at: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	jo := func() (replica.Account, bool) {
		return replica.Account{Officer: housing.Officer{ID: "officer-jo"}, Token: "jo-tok"}, true
	}
	return newSupervisor(b, remote.Client{BaseURL: "https://doorstep.test", Do: srv.do}, jo), b
}

// TestSupervisorLoads loads each of the supervisor's views over the one
// kept on the device: a fresh load replaces it, no answer keeps it marked
// offline, and a refusal keeps it with the server's reason.
func TestSupervisorLoads(t *testing.T) {
	ctx := context.Background()
	keptAt := time.Date(2026, 12, 1, 16, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		body string // the server's answer to a load
		load func(s *supervisor, c remote.Client) (ui.Loaded, string)
		url  string
	}{
		{"Queues", `{"today":"2026-12-02"}`, func(s *supervisor, c remote.Client) (ui.Loaded, string) {
			v := s.queues(ctx, c, housing.ReviewFilter{Sites: []string{"riverside"}}, ui.ReviewQueuesView{Loaded: ui.Loaded{LoadedAt: keptAt}, Queues: housing.Queues{Today: "2026-12-01"}})
			return v.Loaded, string(v.Queues.Today)
		}, "GET https://doorstep.test/api/v1/review/queues?site=riverside Bearer jo-tok"},
		{"Measures", `{"to":"2026-12-02"}`, func(s *supervisor, c remote.Client) (ui.Loaded, string) {
			v := s.measures(ctx, c, housing.ReviewFilter{}, ui.ReviewMeasuresView{Loaded: ui.Loaded{LoadedAt: keptAt}, Measures: housing.Measures{To: "2026-12-01"}})
			return v.Loaded, string(v.Measures.To)
		}, "GET https://doorstep.test/api/v1/review/measures Bearer jo-tok"},
		{"Timeline", `{"tenancy":{"id":"t1","reference":"2026-12-02"}}`, func(s *supervisor, c remote.Client) (ui.Loaded, string) {
			v := s.timeline(ctx, c, "t1", ui.ReviewTimelineView{Loaded: ui.Loaded{LoadedAt: keptAt}, TenancyID: "t1", Timeline: housing.Timeline{Tenancy: housing.Tenancy{Reference: "2026-12-01"}}})
			return v.Loaded, v.Timeline.Tenancy.Reference
		}, "GET https://doorstep.test/api/v1/review/tenancies/t1/timeline Bearer jo-tok"},
	} {
		t.Run(tc.name+"OK", func(t *testing.T) {
			srv := &reviewServer{res: answered(tc.body)}
			s, b := newTestSupervisor(srv)
			c, officer, ok := s.client()
			if !ok || officer != "officer-jo" {
				t.Fatalf("got officer %q, %v; want jo signed in", officer, ok)
			}
			l, data := tc.load(s, c)
			if data != "2026-12-02" || !l.LoadedAt.Equal(b.at) || l.Offline || l.Problem != "" || !fresh(l) {
				t.Errorf("got %q loaded %+v, want the server's view loaded now", data, l)
			}
			if !slices.Equal(srv.urls, []string{tc.url}) {
				t.Errorf("got requests %q, want %q", srv.urls, tc.url)
			}
		})
		t.Run(tc.name+"OfflineKeepsTheKeptView", func(t *testing.T) {
			s, _ := newTestSupervisor(&reviewServer{err: offline})
			c, _, _ := s.client()
			l, data := tc.load(s, c)
			if data != "2026-12-01" || !l.LoadedAt.Equal(keptAt) || !l.Offline || l.Problem != "" || fresh(l) {
				t.Errorf("got %q loaded %+v, want the kept view marked offline", data, l)
			}
			if got, want := l.Status(time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)), "Last loaded 2 hours ago — you are offline"; got != want {
				t.Errorf("got the line %q, want %q", got, want)
			}
		})
		t.Run(tc.name+"Refused", func(t *testing.T) {
			s, _ := newTestSupervisor(&reviewServer{res: forbidden})
			c, _, _ := s.client()
			l, data := tc.load(s, c)
			if data != "2026-12-01" || l.Offline || l.Problem != "Only supervisors can do this." || fresh(l) {
				t.Errorf("got %q loaded %+v, want the kept view with the server's reason", data, l)
			}
		})
	}
}

// TestSupervisorSignedIn checks the reads are asked for only with a live
// session: nobody signed in, or a session the server ended, reads nothing.
func TestSupervisorSignedIn(t *testing.T) {
	for name, acc := range map[string]func() (replica.Account, bool){
		"Nobody":      func() (replica.Account, bool) { return replica.Account{}, false },
		"NeedsSignIn": func() (replica.Account, bool) { return replica.Account{Token: "old", NeedsSignIn: true}, true },
	} {
		t.Run(name, func(t *testing.T) {
			s := newSupervisor(&fakeBrowser{}, remote.Client{}, acc)
			if _, _, ok := s.client(); ok {
				t.Error("got a client for the server, want none")
			}
		})
	}
}

// TestKeptTimelines checks the device keeps the most recent timelines,
// newest first, one per tenancy.
func TestKeptTimelines(t *testing.T) {
	var k keptTimelines
	for i := range keptTimelineCount + 5 {
		k = k.with(ui.ReviewTimelineView{TenancyID: fmt.Sprint("t", i)})
	}
	k = k.with(ui.ReviewTimelineView{TenancyID: "t10", Timeline: housing.Timeline{Hidden: 3}})
	if len(k.Views) != keptTimelineCount {
		t.Fatalf("got %d kept, want %d", len(k.Views), keptTimelineCount)
	}
	if k.Views[0].TenancyID != "t10" || k.Views[0].Timeline.Hidden != 3 || k.Views[1].TenancyID != "t24" {
		t.Errorf("got %s then %s first, want the newest, t10, then t24", k.Views[0].TenancyID, k.Views[1].TenancyID)
	}
	for _, v := range k.Views[1:] {
		if v.TenancyID == "t10" {
			t.Error("t10 is kept twice")
		}
	}
	if got := k.find("t4"); got.TenancyID != "t4" || !got.LoadedAt.IsZero() {
		t.Errorf("got %+v for a timeline no longer kept, want an empty one", got)
	}
	if got := k.find("t24"); got.TenancyID != "t24" {
		t.Errorf("got %+v, want t24's kept view", got)
	}
}

func TestSupervisorExport(t *testing.T) {
	ctx := context.Background()
	ex := ui.ReviewExport{What: ui.ExportFeedback, Filter: housing.ReviewFilter{From: "2026-11-02", To: "2026-12-24"}}
	t.Run("NamesTheFileByItsPeriod", func(t *testing.T) {
		srv := &reviewServer{res: answered("id,received_on\n")}
		s, _ := newTestSupervisor(srv)
		c, _, _ := s.client()
		name, data, problem := s.export(ctx, c, ex)
		if name != "doorstep-feedback-2026-11-02-to-2026-12-24.csv" || string(data) != "id,received_on\n" || problem != "" {
			t.Errorf("got %q, %q, %q", name, data, problem)
		}
		want := "GET https://doorstep.test/api/v1/review/export/feedback.csv?from=2026-11-02&to=2026-12-24 Bearer jo-tok"
		if !slices.Equal(srv.urls, []string{want}) {
			t.Errorf("got requests %q, want %q", srv.urls, want)
		}
	})
	t.Run("Offline", func(t *testing.T) {
		s, _ := newTestSupervisor(&reviewServer{err: offline})
		c, _, _ := s.client()
		if _, _, problem := s.export(ctx, c, ex); problem != "The export needs the server, and this device cannot reach it. Try again when you are online." {
			t.Errorf("got %q", problem)
		}
	})
	t.Run("Refused", func(t *testing.T) {
		s, _ := newTestSupervisor(&reviewServer{res: forbidden})
		c, _, _ := s.client()
		if _, _, problem := s.export(ctx, c, ex); problem != "Only supervisors can do this." {
			t.Errorf("got %q", problem)
		}
	})
}
