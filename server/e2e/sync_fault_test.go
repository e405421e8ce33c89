package e2e_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"doorstep/app/remote"
	"doorstep/server/demo"
	"doorstep/server/e2e"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// The sync fault tests run the real server binary and break things the way
// the field does: the server killed in the middle of a batch, a response
// lost after the server committed, a day's outbox replayed, two phones
// acting on the same promises at once. Afterwards the store must hold every
// acknowledged mutation exactly once and the phones must agree.

// faultLandlord seeds a data folder with the demo landlord (no history) and
// signs one device in for each username directly in the store, so the
// tests need no sign-in round trips.
func faultLandlord(t *testing.T, usernames ...string) (string, map[string]housing.Session) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db := openDemoLandlord(t, dir)
	defer db.Close()
	sessions := map[string]housing.Session{}
	for _, u := range usernames {
		s, err := (&sqlite.SessionService{DB: db}).SignIn(ctx, housing.SignIn{Username: u, Password: demo.Password,
			DeviceName: u + "'s phone", DeviceID: uuid.Must(uuid.NewV7()).String(), RemoteAddr: "127.0.0.1"})
		if err != nil {
			t.Fatalf("sign in %s: %v", u, err)
		}
		sessions[u] = s
	}
	return dir, sessions
}

// phone is a device as the client keeps one: an outbox whose entries stay
// until the server's answer for them arrives, a cursor, and the records it
// has pulled.
type phone struct {
	t       *testing.T
	c       remote.Client
	id      string
	officer housing.Officer
	batch   int

	next    int64
	queued  []housing.Mutation // everything ever queued, in order
	outbox  []housing.Mutation // not yet answered
	results map[int64][]housing.Result
	cursor  string
	records map[string]json.RawMessage
}

func newPhone(t *testing.T, url string, s housing.Session) *phone {
	return &phone{
		t: t, c: remote.Client{BaseURL: url, Token: s.Token}, id: s.DeviceID, officer: s.Officer, batch: 100,
		next: 1, results: map[int64][]housing.Result{}, records: map[string]json.RawMessage{},
	}
}

// queue puts a mutation in the outbox, as saving a record does; base is
// the version of the promise the officer saw (0 when none).
func (ph *phone) queue(kind, id string, base int, data any) {
	raw, err := json.Marshal(data)
	if err != nil {
		ph.t.Fatal(err)
	}
	m := housing.Mutation{Seq: ph.next, Kind: kind, RecordID: id, BaseVersion: base, HappenedAt: time.Now().UTC(), Data: raw}
	ph.next++
	ph.queued = append(ph.queued, m)
	ph.outbox = append(ph.outbox, m)
}

// sync makes one round trip with the head of the outbox. Answered entries
// leave the outbox; a failed round trip leaves it as it was.
func (ph *phone) sync(ctx context.Context) (more bool, err error) {
	n := min(len(ph.outbox), ph.batch)
	resp, err := ph.c.Sync(ctx, housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: ph.id, Cursor: ph.cursor, Mutations: ph.outbox[:n]})
	if housing.ErrorCode(err) == housing.CodeGap {
		ph.t.Errorf("%s: the server lost mutations: %v (last %d)", ph.officer.Username, err, resp.LastMutation)
		return false, err
	} else if err != nil {
		return true, err
	}
	for _, r := range resp.Results {
		ph.results[r.Seq] = append(ph.results[r.Seq], r)
	}
	ph.outbox = ph.outbox[n:]
	if resp.Reset {
		ph.records = map[string]json.RawMessage{}
	}
	for _, ch := range resp.Changes {
		if ch.Removed {
			delete(ph.records, ch.Kind+"/"+ch.ID)
		} else {
			ph.records[ch.Kind+"/"+ch.ID] = ch.Data
		}
	}
	ph.cursor = resp.Cursor
	return len(ph.outbox) > 0 || resp.HasMore, nil
}

// syncAll syncs until the outbox is empty and the pull is done, retrying
// failed round trips as the client's backoff would (a restarting server
// answers nothing for a moment), up to a number of failures in a row.
func (ph *phone) syncAll(ctx context.Context) {
	ph.t.Helper()
	failures := 0
	for {
		more, err := ph.sync(ctx)
		switch {
		case housing.ErrorCode(err) == housing.CodeGap:
			ph.t.FailNow()
		case err != nil:
			if failures++; failures > 200 {
				ph.t.Fatalf("%s: sync keeps failing: %v", ph.officer.Username, err)
			}
			time.Sleep(50 * time.Millisecond)
		case !more:
			return
		default:
			failures = 0
		}
	}
}

// commitment returns the phone's copy of a promise.
func (ph *phone) commitment(id string) housing.Commitment {
	ph.t.Helper()
	var c housing.Commitment
	raw, ok := ph.records["commitment/"+id]
	if !ok {
		ph.t.Fatalf("%s has no promise %s", ph.officer.Username, id)
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		ph.t.Fatal(err)
	}
	return c
}

// checkAnswered fails unless every mutation the phone queued was answered,
// and answered applied or duplicate (or, when allowed, refused on its
// merits).
func (ph *phone) checkAnswered(refusalsAllowed bool) {
	ph.t.Helper()
	if len(ph.outbox) != 0 {
		ph.t.Errorf("%s: %d mutations never answered", ph.officer.Username, len(ph.outbox))
	}
	for _, m := range ph.queued {
		rs := ph.results[m.Seq]
		if len(rs) == 0 {
			ph.t.Errorf("%s: mutation %d (%s) has no answer", ph.officer.Username, m.Seq, m.Kind)
			continue
		}
		for _, r := range rs {
			switch r.Status {
			case housing.ResultApplied, housing.ResultDuplicate:
			case housing.ResultRejected, housing.ResultConflict:
				if !refusalsAllowed {
					ph.t.Errorf("%s: mutation %d (%s): %s %s: %s", ph.officer.Username, m.Seq, m.Kind, r.Status, r.Code, r.Reason)
				}
			default:
				ph.t.Errorf("%s: mutation %d: status %q", ph.officer.Username, m.Seq, r.Status)
			}
		}
	}
}

// queueWork queues n visits at the officer's tenancies, each with a
// promise the officer then picks up: three mutations a visit, with notes
// long enough to make a batch take a while to apply.
func (ph *phone) queueWork(n int) {
	site := ph.officer.Sites[0]
	prefix := map[string]string{"riverside": "RIV", "northgate": "NGT", "hollins": "HOL"}[site]
	for i := 0; i < n; i++ {
		tenancy := demo.TenancyID(fmt.Sprintf("%s-%05d", prefix, 1+(int(ph.next)+i)%40))
		start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		v := housing.Visit{ID: uuid.Must(uuid.NewV7()).String(), TenancyID: tenancy, OfficerID: ph.officer.ID, SiteID: site,
			Purpose: housing.PurposeTenancyAudit, Notes: strings.Repeat("Checked every room with the tenant. ", 80),
			StartedAt: start, EndedAt: start.Add(30 * time.Minute)}
		ph.queue(housing.KindVisitRecord, v.ID, 0, v)
		c := housing.Commitment{ID: uuid.Must(uuid.NewV7()).String(), TenancyID: tenancy, VisitID: v.ID, SiteID: site,
			MadeBy: ph.officer.ID, MadeByName: ph.officer.Name, FunctionID: housing.FunctionTenancy,
			What: "Send a copy of the tenancy agreement", DueDate: "2026-12-04", Token: housing.NewToken()}
		ph.queue(housing.KindCommitmentMake, c.ID, 0, c)
		ph.queue(housing.KindCommitmentAcknowledge, c.ID, 1, housing.CommitmentAction{})
	}
}

// storeCounts reads, from the stopped server's database, what a device's
// work left behind: the counts that would grow if anything were stored
// twice.
type storeCounts struct {
	LastMutation int64
	Visits       int // visits from the device
	Commitments  int // promises from the device
	BadHistories int // promises from the device whose history is not exactly made, picked up
	Changes      int // change log entries caused by the device
	Attention    int // refused mutations of the device
}

func readStoreCounts(t *testing.T, dir, device string) storeCounts {
	t.Helper()
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s storeCounts
	err = db.SQL().QueryRow(`SELECT
		COALESCE((SELECT last_mutation FROM devices WHERE device_id = ?1), 0),
		(SELECT COUNT(*) FROM visits WHERE device_id = ?1),
		(SELECT COUNT(*) FROM commitments WHERE device_id = ?1),
		(SELECT COUNT(*) FROM commitments c WHERE device_id = ?1 AND
			(SELECT group_concat(kind, ' ') FROM (SELECT kind FROM commitment_events e WHERE e.commitment_id = c.id ORDER BY n))
			IS NOT 'commitment.make commitment.acknowledge'),
		(SELECT COUNT(*) FROM changes WHERE device_id = ?1),
		(SELECT COUNT(*) FROM attention WHERE device_id = ?1)`, device).
		Scan(&s.LastMutation, &s.Visits, &s.Commitments, &s.BadHistories, &s.Changes, &s.Attention)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// wantExactlyOnce checks the store against the work a phone queued with
// queueWork: n visits, n promises each made and picked up once.
func wantExactlyOnce(t *testing.T, got storeCounts, ph *phone, n int) {
	t.Helper()
	want := storeCounts{LastMutation: ph.next - 1, Visits: n, Commitments: n, Changes: 3 * n}
	if got != want {
		t.Errorf("store holds %+v, want %+v", got, want)
	}
}

// bodySent is a transport that closes sent once a request's body has been
// handed to the connection, so a test can act while the server is reading
// or applying it.
type bodySent struct {
	sent chan struct{}
	once sync.Once
}

func (b *bodySent) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body = &eofSignal{ReadCloser: req.Body, done: func() { b.once.Do(func() { close(b.sent) }) }}
	}
	return http.DefaultTransport.RoundTrip(req)
}

type eofSignal struct {
	io.ReadCloser
	done func()
}

func (e *eofSignal) Read(p []byte) (int, error) {
	n, err := e.ReadCloser.Read(p)
	if err == io.EOF {
		e.done()
	}
	return n, err
}

func TestSyncSurvivesKillMidBatch(t *testing.T) {
	ctx := context.Background()
	dir, sessions := faultLandlord(t, "sarah")
	srv := e2e.StartServerWith(t, e2e.ServerConfig{DataDir: dir, WebDir: t.TempDir()})
	ph := newPhone(t, srv.URL, sessions["sarah"])
	ph.syncAll(ctx) // the first pull, before any work
	ph.batch = 300

	// Kill the server at different moments after a batch has left the
	// phone: before it is read, while it is applied, after it committed.
	const perRound = 100
	delays := []time.Duration{0, time.Millisecond, 5 * time.Millisecond, 20 * time.Millisecond, 80 * time.Millisecond, 300 * time.Millisecond}
	for _, delay := range delays {
		ph.queueWork(perRound)
		tr := &bodySent{sent: make(chan struct{})}
		ph.c.Do = remote.HTTP(&http.Client{Transport: tr})
		done := make(chan error, 1)
		go func() { _, err := ph.sync(ctx); done <- err }()
		<-tr.sent
		time.Sleep(delay)
		srv.Kill()
		err := <-done
		first := ph.next - 3*perRound

		srv.Start()
		ph.c.Do = nil
		ph.syncAll(ctx)
		// Say where the kill fell: a retry answered duplicate means the
		// batch had committed before the server died.
		state := "before the batch committed"
		if err == nil {
			state = "after the answer had gone"
		} else if rs := ph.results[first]; len(rs) > 0 && rs[0].Status == housing.ResultDuplicate {
			state = "after the batch committed, before the answer went"
		}
		t.Logf("killed %v after the batch left: %s", delay, state)
	}
	ph.checkAnswered(false)
	srv.Stop()
	wantExactlyOnce(t, readStoreCounts(t, dir, ph.id), ph, perRound*len(delays))
}

// dropAnswers is a transport that makes the whole round trip, so the server
// commits and answers, and then loses every other answer on the way back.
type dropAnswers struct {
	mu      sync.Mutex
	n       int
	dropped int
}

func (d *dropAnswers) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.n++; d.n%2 == 1 {
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		d.dropped++
		return nil, errors.New("the answer was lost on the way back")
	}
	return res, nil
}

func TestSyncLostAnswerIsRetriedSafely(t *testing.T) {
	ctx := context.Background()
	dir, sessions := faultLandlord(t, "hannah")
	srv := e2e.StartServerWith(t, e2e.ServerConfig{DataDir: dir, WebDir: t.TempDir()})
	ph := newPhone(t, srv.URL, sessions["hannah"])
	ph.batch = 60
	const n = 100
	ph.queueWork(n)
	drop := &dropAnswers{}
	ph.c.Do = remote.HTTP(&http.Client{Transport: drop})
	ph.syncAll(ctx)

	ph.checkAnswered(false)
	duplicates := 0
	for _, rs := range ph.results {
		for _, r := range rs {
			if r.Status == housing.ResultDuplicate {
				duplicates++
			}
		}
	}
	if drop.dropped == 0 || duplicates == 0 {
		t.Errorf("got %d answers lost and %d duplicates, want some of each: the retries were not exercised", drop.dropped, duplicates)
	}
	srv.Stop()
	wantExactlyOnce(t, readStoreCounts(t, dir, ph.id), ph, n)
}

func TestSyncReplayOfADayChangesNothing(t *testing.T) {
	ctx := context.Background()
	dir, sessions := faultLandlord(t, "kwame")
	srv := e2e.StartServerWith(t, e2e.ServerConfig{DataDir: dir, WebDir: t.TempDir()})
	ph := newPhone(t, srv.URL, sessions["kwame"])
	ph.batch = 40
	const n = 60 // a busy day: 60 visits, 180 mutations
	ph.queueWork(n)
	ph.syncAll(ctx)
	ph.checkAnswered(false)
	srv.Stop()
	before := readStoreCounts(t, dir, ph.id)
	wantExactlyOnce(t, before, ph, n)

	// The phone, restored from a backup, sends its whole day again, twice.
	srv.Start()
	for round := 1; round <= 2; round++ {
		ph.results = map[int64][]housing.Result{}
		ph.outbox = append([]housing.Mutation(nil), ph.queued...)
		ph.syncAll(ctx)
		for _, m := range ph.queued {
			if rs := ph.results[m.Seq]; len(rs) != 1 || rs[0].Status != housing.ResultDuplicate {
				t.Fatalf("replay %d: mutation %d answered %+v, want one duplicate", round, m.Seq, rs)
			}
		}
	}
	srv.Stop()
	if after := readStoreCounts(t, dir, ph.id); after != before {
		t.Errorf("after two replays the store holds %+v, want it unchanged: %+v", after, before)
	}
}

func TestSyncTwoPhonesOnTheSamePromises(t *testing.T) {
	ctx := context.Background()
	dir, sessions := faultLandlord(t, "sarah", "tom", "admin")
	srv := e2e.StartServerWith(t, e2e.ServerConfig{DataDir: dir, WebDir: t.TempDir()})
	sarah := newPhone(t, srv.URL, sessions["sarah"]) // tenancy officer at Riverside
	tom := newPhone(t, srv.URL, sessions["tom"])     // repairs, Riverside and Northgate
	sarah.syncAll(ctx)
	tom.syncAll(ctx)

	// Sarah promises 20 repairs at the door; Tom's phone receives them.
	var ids []string
	for i := 0; i < 20; i++ {
		tenancy := demo.TenancyID(fmt.Sprintf("RIV-%05d", i+1))
		c := housing.Commitment{ID: uuid.Must(uuid.NewV7()).String(), TenancyID: tenancy, SiteID: "riverside",
			MadeBy: sarah.officer.ID, MadeByName: sarah.officer.Name, FunctionID: housing.FunctionRepairs,
			What: "Fix the leaking gutter", DueDate: "2026-12-14", Token: housing.NewToken()}
		sarah.queue(housing.KindCommitmentMake, c.ID, 0, c)
		ids = append(ids, c.ID)
	}
	sarah.syncAll(ctx)
	tom.syncAll(ctx)
	for _, id := range ids {
		tom.commitment(id)
	}

	// Both act on every promise while offline, then sync at the same time,
	// in small batches so their transactions interleave.
	for i, id := range ids {
		sarah.queue(housing.KindCommitmentExtend, id, 1, housing.CommitmentAction{DueDate: "2026-12-18", Reason: "Scaffolding is needed."})
		if i%2 == 0 {
			sarah.queue(housing.KindCommitmentEscalate, id, 1, housing.CommitmentAction{Reason: "The tenant has a baby at home."})
		}
		tom.queue(housing.KindCommitmentAcknowledge, id, 1, housing.CommitmentAction{})
		tom.queue(housing.KindCommitmentComplete, id, 1, housing.CommitmentAction{})
	}
	// Sarah's second thought, still based on the version 1 she saw: stale
	// once her first new date (or Tom's work) has gone in.
	for _, id := range ids {
		sarah.queue(housing.KindCommitmentExtend, id, 1, housing.CommitmentAction{DueDate: "2026-12-21", Reason: "The scaffolding firm is busy."})
	}
	sarah.batch, tom.batch = 7, 5
	var wg sync.WaitGroup
	for _, ph := range []*phone{sarah, tom} {
		wg.Add(1)
		go func() { defer wg.Done(); ph.syncAll(ctx) }()
	}
	wg.Wait()
	sarah.syncAll(ctx)
	tom.syncAll(ctx)
	sarah.checkAnswered(true)
	tom.checkAnswered(false)

	admin := newPhone(t, srv.URL, sessions["admin"])
	admin.syncAll(ctx)
	for _, id := range ids {
		want := string(admin.records["commitment/"+id])
		if got := string(sarah.records["commitment/"+id]); got != want {
			t.Errorf("promise %s on sarah's phone:\n%s\nthe server has\n%s", id, got, want)
		}
		if got := string(tom.records["commitment/"+id]); got != want {
			t.Errorf("promise %s on tom's phone:\n%s\nthe server has\n%s", id, got, want)
		}
		c := admin.commitment(id)
		kinds := map[string]int{}
		for _, e := range c.History {
			kinds[e.Kind]++
		}
		if kinds[housing.KindCommitmentAcknowledge] != 1 || kinds[housing.KindCommitmentComplete] != 1 || kinds[housing.KindCommitmentExtend] > 1 {
			t.Errorf("promise %s history %v, want one pick-up, one completion and at most one new date", id, kinds)
		}
	}

	// Every refusal of Sarah's reached her phone as an attention item.
	refused := 0
	for _, rs := range sarah.results {
		for _, r := range rs {
			if r.Status == housing.ResultRejected || r.Status == housing.ResultConflict {
				refused++
			}
		}
	}
	attention := 0
	for k := range sarah.records {
		if strings.HasPrefix(k, "attention/") {
			attention++
		}
	}
	if refused == 0 || attention != refused {
		t.Errorf("sarah has %d attention items for %d refusals, want one each (and some refusals)", attention, refused)
	}
}
