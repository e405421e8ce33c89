package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// feedWorld is the synctest landlord with a clock that moves a minute at
// each step, its sync, tenant and integration services.
type feedWorld struct {
	t       *testing.T
	db      *sqlite.DB
	fx      synctest.Fixture
	sync    *sqlite.SyncService
	tenants *sqlite.TenantService
	feed    *sqlite.IntegrationService

	mu  sync.Mutex
	now time.Time
}

func newFeedWorld(t *testing.T, db *sqlite.DB) *feedWorld {
	t.Helper()
	w := &feedWorld{t: t, db: db, now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time {
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.now
	}
	w.fx = synctest.Seed(t, db.SQL())
	w.sync = &sqlite.SyncService{DB: db, PageChanges: synctest.PageChanges}
	w.tenants = &sqlite.TenantService{DB: db}
	w.feed = &sqlite.IntegrationService{DB: db}
	return w
}

// tick moves the clock on a minute.
func (w *feedWorld) tick() {
	w.mu.Lock()
	w.now = w.now.Add(time.Minute)
	w.mu.Unlock()
}

// token makes an integration token for teams.
func (w *feedWorld) token(teams ...string) string {
	w.t.Helper()
	tok, err := w.feed.CreateToken(context.Background(), w.fx.Principal("ada", "ada-laptop"), housing.NewIntegrationToken{Name: "Test " + strings.Join(teams, "+"), Teams: teams})
	if err != nil {
		w.t.Fatalf("make token for %v: %v", teams, err)
	}
	return tok.Token
}

// readAll reads the whole feed with token in pages of size, checking that
// each page's cursor and more agree with its events.
func (w *feedWorld) readAll(token string, size int) []housing.FeedEvent {
	w.t.Helper()
	var all []housing.FeedEvent
	after := ""
	for i := 0; ; i++ {
		if i > 100000 {
			w.t.Fatal("the feed never ended")
		}
		page, err := w.feed.Events(context.Background(), token, after, size)
		if err != nil {
			w.t.Fatalf("read feed after %q: %v", after, err)
		}
		if len(page.Events) > size {
			w.t.Fatalf("got %d events, asked for at most %d", len(page.Events), size)
		}
		if n := len(page.Events); n > 0 && page.Next != page.Events[n-1].ID || n == 0 && page.Next != after {
			w.t.Fatalf("page after %q of %d events says next %q", after, n, page.Next)
		}
		if page.More && len(page.Events) < size {
			w.t.Fatalf("page after %q has %d of %d events and says more", after, len(page.Events), size)
		}
		all = append(all, page.Events...)
		after = page.Next
		if !page.More {
			return all
		}
	}
}

// types lists events as "type team" strings, for comparing in order.
func types(events []housing.FeedEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Type + " " + e.Team
	}
	return out
}

// promiseLife makes a promise at riv1 for the tenancy team and takes it
// through its life: picked up, extended, reassigned to repairs, done by
// repairs, and kept on the tenant's word through their link. It returns
// the promise as made.
func (w *feedWorld) promiseLife() housing.Commitment {
	w.t.Helper()
	tom := synctest.NewDevice(w.t, w.sync, w.fx, "tom", "tom-"+synctest.NewID())
	rita := synctest.NewDevice(w.t, w.sync, w.fx, "rita", "rita-"+synctest.NewID())
	c := synctest.NewCommitment(tom.P, w.fx.Tenancies["riv1"], housing.FunctionTenancy)
	steps := []struct {
		d *synctest.Device
		m housing.Mutation
	}{
		{tom, tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c)},
		{tom, tom.Mutation(housing.KindCommitmentAcknowledge, c.ID, 1, housing.CommitmentAction{})},
		{tom, tom.Mutation(housing.KindCommitmentExtend, c.ID, 2, housing.CommitmentAction{DueDate: "2026-12-11", Reason: "Parts on order"})},
		{tom, tom.Mutation(housing.KindCommitmentReassign, c.ID, 3, housing.CommitmentAction{FunctionID: housing.FunctionRepairs, Reason: "A repair, not a tenancy matter"})},
		{rita, rita.Mutation(housing.KindCommitmentComplete, c.ID, 4, housing.CommitmentAction{Reason: "New washer fitted"})},
	}
	for _, s := range steps {
		w.tick()
		if r := s.d.Push(s.m).Results[0]; r.Status != housing.ResultApplied {
			w.t.Fatalf("%s: %s %s", s.m.Kind, r.Status, r.Reason)
		}
	}
	w.tick()
	if _, err := w.tenants.TenantRespond(context.Background(), c.Token, housing.CommitmentAction{Answer: housing.TenantDone}); err != nil {
		w.t.Fatalf("tenant confirms: %v", err)
	}
	return c
}

// TestFeedPromiseLife checks that a promise's life reaches the feed as it
// happened, each step once, in order, with the promise as it stood after
// each, and that each token reads exactly its teams' part: the team that
// made it until it left, the team it went to from then on.
func TestFeedPromiseLife(t *testing.T) {
	w := newFeedWorld(t, demotest.Empty(t))
	c := w.promiseLife()

	all := w.readAll(w.token(housing.AllTeams), 100)
	want := []string{
		"promise.made tenancy", "promise.picked_up tenancy", "promise.extended tenancy",
		"promise.reassigned repairs", "promise.done repairs", "promise.kept repairs",
	}
	if got := types(all); !slices.Equal(got, want) {
		t.Fatalf("every team's feed:\n got %q\nwant %q", got, want)
	}
	wantStatus := []housing.Status{housing.StatusOpen, housing.StatusAcknowledged, housing.StatusAcknowledged,
		housing.StatusOpen, housing.StatusDone, housing.StatusKept}
	for i, e := range all {
		if id, _ := strconv.Atoi(e.ID); i > 0 && strconv.Itoa(id) != e.ID {
			t.Errorf("event %d has ID %q, want a decimal number", i, e.ID)
		}
		if i > 0 {
			prev, _ := strconv.Atoi(all[i-1].ID)
			this, _ := strconv.Atoi(e.ID)
			if this <= prev {
				t.Errorf("event %d has ID %s after %s: IDs must rise", i, e.ID, all[i-1].ID)
			}
		}
		if e.Commitment == nil || e.Commitment.ID != c.ID {
			t.Fatalf("event %d (%s) carries promise %+v, want %s", i, e.Type, e.Commitment, c.ID)
		}
		if got := e.Commitment.Status; got != wantStatus[i] {
			t.Errorf("%s carries the promise %s, want %s as it stood then", e.Type, got, wantStatus[i])
		}
		if len(e.Commitment.History) != 0 || e.Commitment.Token != "" {
			t.Errorf("%s carries the promise's history or link token", e.Type)
		}
		if e.TenancyID != "riv1" || e.TenancyReference != "RIV-00001" || e.SiteID != "riverside" {
			t.Errorf("%s is at tenancy %q (%q), site %q; want riv1 (RIV-00001), riverside", e.Type, e.TenancyID, e.TenancyReference, e.SiteID)
		}
		if i > 0 && !e.At.After(all[i-1].At) {
			t.Errorf("%s at %v, not after the event before it", e.Type, e.At)
		}
	}
	if e := all[2]; e.From != "2026-12-04" || e.To != "2026-12-11" || e.Note != "Parts on order" || e.Commitment.DueDate != "2026-12-11" {
		t.Errorf("extended: from %q to %q note %q due %q", e.From, e.To, e.Note, e.Commitment.DueDate)
	}
	if e := all[3]; e.PrevTeam != housing.FunctionTenancy || e.From != housing.FunctionTenancy || e.To != housing.FunctionRepairs || e.Commitment.FunctionID != housing.FunctionRepairs {
		t.Errorf("reassigned: prev_team %q from %q to %q, promise with %q", e.PrevTeam, e.From, e.To, e.Commitment.FunctionID)
	}
	if e := all[5]; e.By != housing.TenantActor || e.ByName != "Tenant" || e.From != "done" || e.To != "kept" {
		t.Errorf("kept: by %q (%q) from %q to %q, want the tenant, done to kept", e.By, e.ByName, e.From, e.To)
	}
	if e := all[0]; e.By != "tom" || e.ByName != "Tom Okafor" || e.To != "2026-12-04" {
		t.Errorf("made: by %q (%q) to %q", e.By, e.ByName, e.To)
	}

	for _, tt := range []struct {
		name  string
		teams []string
		want  []*housing.FeedEvent
	}{
		{"MadeBy", []string{housing.FunctionTenancy}, []*housing.FeedEvent{&all[0], &all[1], &all[2], &all[3]}},
		{"MovedTo", []string{housing.FunctionRepairs}, []*housing.FeedEvent{&all[3], &all[4], &all[5]}},
		{"Both", []string{housing.FunctionRepairs, housing.FunctionTenancy}, []*housing.FeedEvent{&all[0], &all[1], &all[2], &all[3], &all[4], &all[5]}},
		{"Neither", []string{housing.FunctionIncome}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := w.readAll(w.token(tt.teams...), 100)
			var gotIDs, wantIDs []string
			for _, e := range got {
				gotIDs = append(gotIDs, e.ID+" "+e.Type)
			}
			for _, e := range tt.want {
				wantIDs = append(wantIDs, e.ID+" "+e.Type)
			}
			if !slices.Equal(gotIDs, wantIDs) {
				t.Errorf("token for %v read\n %q\nwant\n %q", tt.teams, gotIDs, wantIDs)
			}
		})
	}
}

// TestFeedFeedback checks feedback and complaints in the feed: feedback
// about a promise belongs to its team, feedback about no promise only to
// tokens for every team, and a complaint about a promise to the
// complaints team and that promise's team, followed by the complaints
// team's promise to acknowledge it.
func TestFeedFeedback(t *testing.T) {
	w := newFeedWorld(t, demotest.Empty(t))
	c := w.promiseLife()
	start := len(w.readAll(w.token(housing.AllTeams), 100))
	tom := synctest.NewDevice(t, w.sync, w.fx, "tom", "tom-phone-2")

	w.tick()
	if err := w.tenants.TenantFeedback(context.Background(), c.Token, housing.Feedback{
		Answers: map[housing.Question]housing.Rating{housing.TP01: housing.VerySatisfied}, Comment: "Quick and tidy",
	}); err != nil {
		t.Fatal(err)
	}
	w.tick()
	general := synctest.NewFeedback(w.fx.Tenancies["riv2"], "")
	general.Comment = "Likes the new bins"
	tom.Push(tom.Mutation(housing.KindFeedbackGive, general.ID, 0, general))
	w.tick()
	complaint := synctest.NewFeedback(w.fx.Tenancies["riv1"], "")
	complaint.CommitmentID, complaint.Complaint, complaint.Comment = c.ID, true, "The tap drips again"
	tom.Push(tom.Mutation(housing.KindFeedbackGive, complaint.ID, 0, complaint))

	all := w.readAll(w.token(housing.AllTeams), 100)[start:]
	want := []string{"feedback.given repairs", "feedback.given ", "complaint.made complaints", "promise.made complaints"}
	if got := types(all); !slices.Equal(got, want) {
		t.Fatalf("every team's feed after the promise:\n got %q\nwant %q", got, want)
	}
	if e := all[0]; e.By != housing.TenantActor || e.Feedback == nil || e.Feedback.Comment != "Quick and tidy" ||
		e.Commitment == nil || e.Commitment.ID != c.ID || e.Note != "Quick and tidy" {
		t.Errorf("tenant's feedback: %+v", e)
	}
	if e := all[1]; e.Feedback == nil || e.Feedback.ID != general.ID || e.Commitment != nil || e.By != "tom" || e.ByName != "Tom Okafor" || e.TenancyReference != "RIV-00002" {
		t.Errorf("feedback about no promise: %+v", e)
	}
	if e := all[2]; e.Feedback == nil || e.Feedback.ID != complaint.ID || !e.Feedback.Complaint || e.Commitment == nil || e.Commitment.FunctionID != housing.FunctionRepairs {
		t.Errorf("complaint: %+v", e)
	}
	if e := all[3]; e.Commitment == nil || e.Commitment.ID != sqlite.ComplaintID(complaint.ID) {
		t.Errorf("complaint's promise: %+v", e)
	}

	for _, tt := range []struct {
		team string
		want []string
	}{
		{housing.FunctionRepairs, []string{"feedback.given repairs", "complaint.made complaints"}},
		{housing.FunctionComplaints, []string{"complaint.made complaints", "promise.made complaints"}},
		{housing.FunctionTenancy, nil},
	} {
		got := w.readAll(w.token(tt.team), 100)
		var tail []housing.FeedEvent
		for _, e := range got {
			if id, _ := strconv.Atoi(e.ID); id > start {
				tail = append(tail, e)
			}
		}
		if got := types(tail); !slices.Equal(got, tt.want) {
			t.Errorf("%s token read after the promise's life\n %q\nwant\n %q", tt.team, got, tt.want)
		}
	}

	// A tenant who answers again replaces their feedback: phones see one
	// record, the feed a new event under the same feedback ID.
	w.tick()
	if err := w.tenants.TenantFeedback(context.Background(), c.Token, housing.Feedback{
		Answers: map[housing.Question]housing.Rating{housing.TP01: housing.FairlySatisfied}, Comment: "Drips again now",
	}); err != nil {
		t.Fatal(err)
	}
	again := w.readAll(w.token(housing.FunctionRepairs), 100)
	last := again[len(again)-1]
	if last.Type != housing.FeedFeedbackGiven || last.Feedback.ID != all[0].Feedback.ID || last.Feedback.Comment != "Drips again now" || last.ID == all[0].ID {
		t.Errorf("replaced feedback: got %s %s %+v; want a new feedback.given for feedback %s", last.ID, last.Type, last.Feedback, all[0].Feedback.ID)
	}
}

// TestFeedPaging checks that reading in pages of 2 gives the events of one
// read, none twice and none skipped, for a token of every team and one of
// one team, and that a page says more exactly when more follow.
func TestFeedPaging(t *testing.T) {
	w := newFeedWorld(t, demotest.Empty(t))
	for range 3 {
		w.promiseLife()
	}
	for _, teams := range [][]string{{housing.AllTeams}, {housing.FunctionRepairs}, {housing.FunctionTenancy, housing.FunctionIncome}} {
		tok := w.token(teams...)
		whole := w.readAll(tok, housing.MaxFeedPage)
		paged := w.readAll(tok, 2)
		if len(whole) == 0 || !slices.Equal(types(paged), types(whole)) || !sameIDs(paged, whole) {
			t.Errorf("token for %v: pages of 2 gave %d events, one read %d:\n%q\n%q", teams, len(paged), len(whole), ids(paged), ids(whole))
		}
		page, err := w.feed.Events(context.Background(), tok, whole[len(whole)-1].ID, 2)
		if err != nil || len(page.Events) != 0 || page.More || page.Next != whole[len(whole)-1].ID {
			t.Errorf("token for %v after the last event: %+v %v, want no events, no more, the same cursor", teams, page, err)
		}
	}
}

// asError reports whether err is a *housing.Error, and sets he to it.
func asError(err error, he **housing.Error) bool { return errors.As(err, he) }

func ids(events []housing.FeedEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.ID
	}
	return out
}

func sameIDs(a, b []housing.FeedEvent) bool { return slices.Equal(ids(a), ids(b)) }

// TestFeedConcurrentWriters checks that a reader paging while phones write
// skips nothing: with one writer at a time, an event ID seen means every
// lower one is already there.
func TestFeedConcurrentWriters(t *testing.T) {
	w := newFeedWorld(t, demotest.Empty(t))
	tok := w.token(housing.AllTeams)
	const phones, promises = 4, 30
	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan error, phones)
	for i := range phones {
		d := synctest.NewDevice(t, w.sync, w.fx, "tom", fmt.Sprintf("tom-phone-%d", i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range promises {
				c := synctest.NewCommitment(d.P, w.fx.Tenancies["riv1"], housing.FunctionRepairs)
				m := d.Mutation(housing.KindCommitmentMake, c.ID, 0, c)
				if _, err := d.Send(m); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	var read []housing.FeedEvent
	after := ""
	for finished := false; ; {
		select {
		case <-done:
			finished = true
		default:
		}
		page, err := w.feed.Events(context.Background(), tok, after, 3)
		if err != nil {
			t.Fatal(err)
		}
		read = append(read, page.Events...)
		after = page.Next
		if finished && !page.More {
			break
		}
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	whole := w.readAll(tok, housing.MaxFeedPage)
	if len(whole) != phones*promises || !sameIDs(read, whole) {
		t.Errorf("read %d events while writers wrote, %d after; want %d, the same", len(read), len(whole), phones*promises)
	}
}

// TestFeedReplayedBatch checks that a batch sent again (a phone that never
// heard the answer) and a tenant's repeated answer add no event.
func TestFeedReplayedBatch(t *testing.T) {
	w := newFeedWorld(t, demotest.Empty(t))
	tok := w.token(housing.AllTeams)
	tom := synctest.NewDevice(t, w.sync, w.fx, "tom", "tom-phone")
	var ms []housing.Mutation
	var c housing.Commitment
	for i := range 3 {
		c = synctest.NewCommitment(tom.P, w.fx.Tenancies["riv1"], housing.FunctionRepairs)
		ms = append(ms, tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c))
		if i == 0 {
			ms = append(ms, tom.Mutation(housing.KindCommitmentAcknowledge, c.ID, 1, housing.CommitmentAction{}))
		}
	}
	f := synctest.NewFeedback(w.fx.Tenancies["riv1"], "")
	ms = append(ms, tom.Mutation(housing.KindFeedbackGive, f.ID, 0, f))
	ms = append(ms, tom.Mutation(housing.KindCommitmentComplete, c.ID, 1, housing.CommitmentAction{}))
	tom.Push(ms...)
	before := w.readAll(tok, 100)
	if len(before) != 6 {
		t.Fatalf("got %d events, want 6: %q", len(before), types(before))
	}
	for range 2 {
		w.tick()
		resp := tom.Push(ms...)
		for _, r := range resp.Results {
			if r.Status != housing.ResultDuplicate {
				t.Fatalf("resent mutation %d: %s, want duplicate", r.Seq, r.Status)
			}
		}
		for range 2 {
			if _, err := w.tenants.TenantRespond(context.Background(), c.Token, housing.CommitmentAction{Answer: housing.TenantDone}); err != nil {
				t.Fatal(err)
			}
		}
	}
	after := w.readAll(tok, 100)
	if got, want := types(after), append(types(before), "promise.kept repairs"); !slices.Equal(got, want) {
		t.Errorf("after resending and the tenant answering twice:\n got %q\nwant %q", got, want)
	}
}

// TestFeedRefusals checks what Events refuses: a token that opens nothing
// (CodeUnauthorized, the same for every way) before anything else, and a
// cursor that is not an event ID of this feed (CodeInvalid, about after).
func TestFeedRefusals(t *testing.T) {
	w := newFeedWorld(t, demotest.Empty(t))
	w.promiseLife()
	ctx := context.Background()
	good := w.token(housing.AllTeams)
	revoked, err := w.feed.CreateToken(ctx, housing.Principal{}, housing.NewIntegrationToken{Name: "Old system", Teams: []string{housing.AllTeams}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.feed.RevokeToken(ctx, housing.Principal{}, revoked.ID); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, token string }{
		{"ErrEmpty", ""},
		{"ErrSessionToken", housing.NewToken()},
		{"ErrNoPrefix", strings.TrimPrefix(good, sqlite.IntegrationTokenPrefix)},
		{"ErrTruncated", good[:len(good)-1]},
		{"ErrUnknown", good[:len(good)-2] + "AA"},
		{"ErrRevoked", revoked.Token},
		{"ErrBadCursorToo", good + " "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.feed.Events(ctx, tt.token, "not-a-cursor", 10)
			if housing.ErrorCode(err) != housing.CodeUnauthorized {
				t.Errorf("got %v, want unauthorized", err)
			}
		})
	}
	all := w.readAll(good, 100)
	last := all[len(all)-1].ID
	for _, after := range []string{"abc", "-1", "+1", " 1", "1.0", "0x1", "1e3", "99999999999999999999", "1000000"} {
		t.Run("ErrCursor"+after, func(t *testing.T) {
			_, err := w.feed.Events(ctx, good, after, 10)
			var he *housing.Error
			if housing.ErrorCode(err) != housing.CodeInvalid || !asError(err, &he) || he.Field != housing.FieldAfter {
				t.Errorf("after %q: got %v, want invalid about %q", after, err, housing.FieldAfter)
			}
		})
	}
	for _, tt := range []struct {
		name         string
		after        string
		limit, want  int
		wantMore     bool
		wantNextLast bool
	}{
		{"Start", "", 2, 2, true, false},
		{"Zero", "0", 2, 2, true, false},
		{"Last", last, 2, 0, false, true},
		{"DefaultLimit", "", 0, len(all), false, true},
		{"LimitOverMax", "", housing.MaxFeedPage + 1, len(all), false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			page, err := w.feed.Events(ctx, good, tt.after, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Events) != tt.want || page.More != tt.wantMore || tt.wantNextLast && page.Next != last {
				t.Errorf("after %q limit %d: %d events, more %v, next %q", tt.after, tt.limit, len(page.Events), page.More, page.Next)
			}
		})
	}
}

// TestIntegrationTokens checks making, listing and revoking tokens: what
// is refused, that the secret is shown once and stored only as a hash,
// and that use is recorded at most once a minute.
func TestIntegrationTokens(t *testing.T) {
	w := newFeedWorld(t, demotest.Empty(t))
	ctx := context.Background()
	ada := w.fx.Principal("ada", "ada-laptop")
	for _, tt := range []struct {
		name  string
		in    housing.NewIntegrationToken
		field string
	}{
		{"ErrNoName", housing.NewIntegrationToken{Name: "  ", Teams: []string{"repairs"}}, housing.FieldName},
		{"ErrControlInName", housing.NewIntegrationToken{Name: "Repairs\nsystem", Teams: []string{"repairs"}}, housing.FieldName},
		{"ErrNoTeams", housing.NewIntegrationToken{Name: "Repairs system"}, housing.FieldTeams},
		{"ErrBlankTeams", housing.NewIntegrationToken{Name: "Repairs system", Teams: []string{" ", ""}}, housing.FieldTeams},
		{"ErrUnknownTeam", housing.NewIntegrationToken{Name: "Repairs system", Teams: []string{"repairs", "gardening"}}, housing.FieldTeams},
		{"ErrNotATeamID", housing.NewIntegrationToken{Name: "Repairs system", Teams: []string{"Repairs Team"}}, housing.FieldTeams},
		{"ErrAllAndMore", housing.NewIntegrationToken{Name: "Repairs system", Teams: []string{"*", "repairs"}}, housing.FieldTeams},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.feed.CreateToken(ctx, ada, tt.in)
			var he *housing.Error
			if !asError(err, &he) || he.Code != housing.CodeInvalid || he.Field != tt.field {
				t.Errorf("got %v, want invalid about %q", err, tt.field)
			}
		})
	}
	toks, err := w.feed.Tokens(ctx)
	if err != nil || len(toks) != 0 {
		t.Fatalf("after refusals: %d tokens, %v; want none", len(toks), err)
	}

	made, err := w.feed.CreateToken(ctx, ada, housing.NewIntegrationToken{Name: " Repairs system (Civica) ", Teams: []string{"repairs", " income", "repairs"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(made.Token, sqlite.IntegrationTokenPrefix) || len(made.Token) != 47 || housing.ValidToken(made.Token) {
		t.Errorf("token %q: want dsi_ and 43 characters, not a session token's shape", made.Token)
	}
	if made.Name != "Repairs system (Civica)" || !slices.Equal(made.Teams, []string{"repairs", "income"}) || made.CreatedBy != "ada" || !made.CreatedAt.Equal(w.now) {
		t.Errorf("made %+v", made)
	}
	var stored int
	w.db.SQL().QueryRow(`SELECT COUNT(*) FROM integration_tokens WHERE token_hash = ? AND instr(token_hash, ?) = 0`, housing.HashToken(made.Token), made.Token[4:]).Scan(&stored)
	if stored != 1 {
		t.Error("the token's hash is not what is stored")
	}
	toks, _ = w.feed.Tokens(ctx)
	if len(toks) != 1 || toks[0].Token != "" || toks[0].ID != made.ID || !toks[0].LastUsedAt.IsZero() {
		t.Fatalf("listed %+v, want the one token without its secret, never used", toks)
	}

	// Use is written on the first read, then not again within a minute.
	use := func() time.Time {
		t.Helper()
		if _, err := w.feed.Events(ctx, made.Token, "", 10); err != nil {
			t.Fatal(err)
		}
		toks, _ := w.feed.Tokens(ctx)
		return toks[0].LastUsedAt
	}
	first := w.now
	if got := use(); !got.Equal(first) {
		t.Errorf("last used %v, want %v", got, first)
	}
	w.mu.Lock()
	w.now = w.now.Add(30 * time.Second)
	w.mu.Unlock()
	if got := use(); !got.Equal(first) {
		t.Errorf("30 s later: last used %v, want still %v", got, first)
	}
	w.tick()
	if got := use(); !got.Equal(w.now) {
		t.Errorf("a minute later: last used %v, want %v", got, w.now)
	}

	if err := w.feed.RevokeToken(ctx, ada, made.ID); err != nil {
		t.Fatal(err)
	}
	revokedAt := w.now
	w.tick()
	if err := w.feed.RevokeToken(ctx, ada, made.ID); err != nil {
		t.Errorf("revoke twice: %v, want no error", err)
	}
	toks, _ = w.feed.Tokens(ctx)
	if !toks[0].RevokedAt.Equal(revokedAt) {
		t.Errorf("revoked at %v, want %v (the first time)", toks[0].RevokedAt, revokedAt)
	}
	if _, err := w.feed.Events(ctx, made.Token, "", 10); housing.ErrorCode(err) != housing.CodeUnauthorized {
		t.Errorf("read with a revoked token: %v, want unauthorized", err)
	}
	if err := w.feed.RevokeToken(ctx, ada, "no-such-token"); housing.ErrorCode(err) != housing.CodeNotFound {
		t.Errorf("revoke an unknown token: %v, want not found", err)
	}
}
