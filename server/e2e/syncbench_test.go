package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"doorstep/app/remote"
	"doorstep/server/api"
	"doorstep/server/demo"
	"doorstep/server/e2e"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// The sync benchmarks measure the design's sync budgets against the real
// server binary on loopback: push N commitments from one device and pull
// them on a fresh one, beside PouchDB replicating the same number of records
// to pouchdb-server in the same run (../shared/bench/pouchdb-peer, when
// DOORSTEP_POUCH_PEER names a folder where it is installed; `make bench`
// installs it), and 200 devices syncing at once.
//
// Run them with `make bench`, or:
//
//	go test ./server/e2e -run '^$' -bench Sync -benchtime 1x -timeout 30m

// benchN is the number of records the design's sync budget names.
const benchN = 10000

// benchWords make the promises' text, as the PouchDB peer makes its own.
var benchWords = strings.Fields(`tenant repairs boiler window damp mould kitchen rent arrears visit estate landing stairwell
	neighbour noise garden fence door lock heating leak ceiling survey officer promise call friday monday
	contractor inspection report photo bathroom extractor fan ventilation benefit payment plan`)

var benchFunctions = []string{housing.FunctionRepairs, housing.FunctionIncome, housing.FunctionTenancy,
	housing.FunctionASB, housing.FunctionLettings, housing.FunctionComplaints}

// wireCounter counts the bytes a client sends and receives on its TCP
// connections, as the PouchDB peer's proxy does.
type wireCounter struct{ up, down atomic.Int64 }

type countedConn struct {
	net.Conn
	w *wireCounter
}

func (c countedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.w.down.Add(int64(n))
	return n, err
}

func (c countedConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.w.up.Add(int64(n))
	return n, err
}

func (w *wireCounter) client() *http.Client {
	var d net.Dialer
	return &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: 256,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return countedConn{Conn: c, w: w}, nil
		},
	}}
}

func (w *wireCounter) reset() { w.up.Store(0); w.down.Store(0) }

// benchDevice is one signed-in device driving the real protocol.
type benchDevice struct {
	c      remote.Client
	token  string
	id     string
	next   int64
	cursor string
}

func (d *benchDevice) sync(ctx context.Context, ms []housing.Mutation) (housing.SyncResponse, error) {
	// Patches, as the app asks: its own records come back as patches on
	// what it sent (docs/sync-protocol.md).
	resp, err := d.c.Sync(ctx, housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: d.id, Cursor: d.cursor, Patches: true, Mutations: ms})
	if err != nil {
		return resp, err
	}
	for _, r := range resp.Results {
		if r.Status != housing.ResultApplied && r.Status != housing.ResultDuplicate {
			return resp, fmt.Errorf("mutation %d: %s %s: %s", r.Seq, r.Status, r.Code, r.Reason)
		}
	}
	d.cursor = resp.Cursor
	return resp, nil
}

// pullAll pulls until the server has nothing more and returns the records
// received.
func (d *benchDevice) pullAll(ctx context.Context) (int, error) {
	n := 0
	for {
		resp, err := d.sync(ctx, nil)
		if err != nil {
			return n, err
		}
		n += len(resp.Changes)
		if !resp.HasMore {
			return n, nil
		}
	}
}

// commitments makes n commitment.make mutations as an officer's phone
// would, numbered from d.next.
func (d *benchDevice) commitments(officer housing.Officer, tenancies []housing.Tenancy, n int, r *rand.Rand, function func(i int) string) []housing.Mutation {
	ms := make([]housing.Mutation, n)
	for i := range ms {
		t := tenancies[r.Intn(len(tenancies))]
		words := make([]string, 14)
		for j := range words {
			words[j] = benchWords[r.Intn(len(benchWords))]
		}
		c := housing.Commitment{
			ID: uuid.Must(uuid.NewV7()).String(), TenancyID: t.ID, VisitID: uuid.Must(uuid.NewV7()).String(),
			SiteID: t.SiteID, Household: t.Household, Address: t.Address,
			MadeBy: officer.ID, MadeByName: officer.Name, FunctionID: function(i),
			What: strings.Join(words, " "), DueDate: housing.Date(fmt.Sprintf("2026-12-%02d", 1+i%28)), Token: housing.NewToken(),
		}
		data, _ := json.Marshal(c)
		ms[i] = housing.Mutation{Seq: d.next, Kind: housing.KindCommitmentMake, RecordID: c.ID,
			HappenedAt: time.Date(2026, 11, 23, 9, 0, i%60, 0, time.UTC), Data: data}
		d.next++
	}
	return ms
}

// benchLandlord seeds a data folder with the demo landlord and signs in
// devices for officer username directly in the store (the API's sign-in
// limit per address is for people, not for a benchmark's 200 phones).
func benchLandlord(b *testing.B, username string, devices int) (dir string, officer housing.Officer, tenancies []housing.Tenancy, sessions []housing.Session) {
	b.Helper()
	ctx := context.Background()
	dir = b.TempDir()
	db := openDemoLandlord(b, dir)
	defer db.Close()
	for i := 0; i < devices; i++ {
		s, err := (&sqlite.SessionService{DB: db}).SignIn(ctx, housing.SignIn{Username: username, Password: demo.Password,
			DeviceName: fmt.Sprintf("bench phone %d", i), DeviceID: uuid.Must(uuid.NewV7()).String(), RemoteAddr: "127.0.0.1"})
		if err != nil {
			b.Fatalf("sign in device %d: %v", i, err)
		}
		sessions = append(sessions, s)
	}
	officer = sessions[0].Officer
	rows, err := db.SQL().Query(`SELECT id, reference, household, address, postcode, site_id FROM tenancies WHERE site_id IN (SELECT site_id FROM officer_sites WHERE officer_id = ?)`, officer.ID)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var t housing.Tenancy
		rows.Scan(&t.ID, &t.Reference, &t.Household, &t.Address, &t.Postcode, &t.SiteID)
		tenancies = append(tenancies, t)
	}
	if len(tenancies) == 0 {
		b.Fatalf("officer %s has no tenancies", username)
	}
	return dir, officer, tenancies, sessions
}

// BenchmarkSync10k pushes 10,000 commitments from one device through POST
// /api/v1/sync in batches of housing.MaxMutationsPerBatch, then pulls them
// on a fresh device, counting bytes on the wire both ways.
func BenchmarkSync10k(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		dir, officer, tenancies, sessions := benchLandlord(b, "sarah", 2)
		srv := e2e.StartServerWith(b, e2e.ServerConfig{DataDir: dir, WebDir: b.TempDir()})
		var wire wireCounter
		hc := wire.client()
		phone := &benchDevice{c: remote.Client{BaseURL: srv.URL, Token: sessions[0].Token, Do: remote.HTTP(hc)}, id: sessions[0].DeviceID, next: 1}
		if _, err := phone.pullAll(ctx); err != nil { // the phone's own first sync, before the clock starts
			b.Fatal(err)
		}
		ms := phone.commitments(officer, tenancies, benchN, rand.New(rand.NewSource(1)), func(i int) string { return benchFunctions[i%len(benchFunctions)] })
		raw := 0
		for _, m := range ms {
			raw += len(m.Data)
		}
		floor := benchRawFloor(b, ms)

		wire.reset()
		start := time.Now()
		for len(ms) > 0 {
			n := min(len(ms), housing.MaxMutationsPerBatch)
			if _, err := phone.sync(ctx, ms[:n]); err != nil {
				b.Fatal(err)
			}
			ms = ms[n:]
		}
		if _, err := phone.pullAll(ctx); err != nil {
			b.Fatal(err)
		}
		push := time.Since(start)
		pushUp, pushDown := wire.up.Load(), wire.down.Load()

		wire.reset()
		start = time.Now()
		if _, err := phone.pullAll(ctx); err != nil {
			b.Fatal(err)
		}
		noop, noopBytes := time.Since(start), wire.up.Load()+wire.down.Load()

		fresh := &benchDevice{c: remote.Client{BaseURL: srv.URL, Token: sessions[1].Token, Do: remote.HTTP(hc)}, id: sessions[1].DeviceID, next: 1}
		wire.reset()
		start = time.Now()
		got, err := fresh.pullAll(ctx)
		if err != nil {
			b.Fatal(err)
		}
		pull := time.Since(start)
		pullUp, pullDown := wire.up.Load(), wire.down.Load()
		if got < benchN {
			b.Fatalf("fresh device pulled %d records, want at least %d", got, benchN)
		}

		b.ReportMetric(float64(benchN)/push.Seconds(), "push-mut/s")
		b.ReportMetric(float64(pushUp+pushDown), "push-B")
		b.ReportMetric(float64(benchN)/pull.Seconds(), "pull-rec/s")
		b.ReportMetric(float64(pullUp+pullDown), "pull-B")
		b.Logf("doorstep: n=%d raw_json=%d push %.2fs (%.0f mut/s) up=%d down=%d; no-op resync %.3fs %dB; fresh pull %.2fs (%.0f rec/s, %d records) up=%d down=%d",
			benchN, raw, push.Seconds(), float64(benchN)/push.Seconds(), pushUp, pushDown, noop.Seconds(), noopBytes,
			pull.Seconds(), float64(benchN)/pull.Seconds(), got, pullUp, pullDown)
		b.ReportMetric(floor.Seconds()/push.Seconds()*100, "push-%-of-floor")
		b.Logf("raw SQLite floor, same run: the %d mutations' JSON inserted with one prepared statement in one transaction: %.2fs (%.0f rows/s); push runs at %.0f%% of it (budget: at least 25%%)",
			benchN, floor.Seconds(), float64(benchN)/floor.Seconds(), floor.Seconds()/push.Seconds()*100)

		peer, ok := runPouchPeer(b)
		if !ok {
			continue
		}
		pouchPush, pouchPull := peer.Push.Seconds, peer.FreshPull.Seconds
		pouchPushB := float64(peer.Push.BytesUp + peer.Push.BytesDown)
		pouchPullB := float64(peer.FreshPull.BytesUp + peer.FreshPull.BytesDown)
		b.ReportMetric(pouchPush/push.Seconds(), "push-speedup-x")
		b.ReportMetric(float64(pushUp+pushDown)/pouchPushB, "push-bytes-ratio")
		b.ReportMetric(pouchPull/pull.Seconds(), "pull-speedup-x")
		b.ReportMetric(float64(pullUp+pullDown)/pouchPullB, "pull-bytes-ratio")
		b.Logf("pouchdb: push %.2fs (%.0f docs/s) %dB; fresh pull %.2fs (%.0f docs/s) %dB",
			pouchPush, peer.Push.DocsPerS, int64(pouchPushB), pouchPull, peer.FreshPull.DocsPerS, int64(pouchPullB))
		b.Logf("doorstep vs pouchdb: push %.1fx faster, %.2f of the bytes; fresh pull %.1fx faster, %.2f of the bytes (budget: push at least 10x and fresh pull at least 15x faster, each at most 0.25 of the bytes)",
			pouchPush/push.Seconds(), float64(pushUp+pushDown)/pouchPushB, pouchPull/pull.Seconds(), float64(pullUp+pullDown)/pouchPullB)
	}
}

// pouchResult is the PouchDB peer's one line of JSON.
type pouchResult struct {
	Push struct {
		Seconds   float64 `json:"seconds"`
		DocsPerS  float64 `json:"docs_per_s"`
		BytesUp   int64   `json:"bytes_up"`
		BytesDown int64   `json:"bytes_down"`
	} `json:"push"`
	FreshPull struct {
		Seconds   float64 `json:"seconds"`
		DocsPerS  float64 `json:"docs_per_s"`
		BytesUp   int64   `json:"bytes_up"`
		BytesDown int64   `json:"bytes_down"`
	} `json:"fresh_pull"`
}

// runPouchPeer runs the PouchDB peer on the same N records, when it is
// installed in DOORSTEP_POUCH_PEER.
func runPouchPeer(b *testing.B) (pouchResult, bool) {
	var r pouchResult
	dir := os.Getenv("DOORSTEP_POUCH_PEER")
	if dir == "" {
		b.Logf("DOORSTEP_POUCH_PEER is not set: no PouchDB figures to compare with (make bench installs the peer)")
		return r, false
	}
	out, err := exec.Command("node", filepath.Join(dir, "peer.js"), fmt.Sprint(benchN), "100").Output()
	if err != nil {
		b.Fatalf("pouchdb peer: %v", err)
	}
	b.Logf("pouchdb peer: %s", strings.TrimSpace(string(out)))
	if err := json.Unmarshal(out, &r); err != nil {
		b.Fatalf("pouchdb peer output: %v", err)
	}
	return r, true
}

// fleetSites and fleetTeam shape the landlord BenchmarkSync200Devices
// runs against: 200 field officers are a large landlord's whole field
// force, working 20 patches (the demo's 3 sites and 17 more), each patch
// with a team of ten in the mix a patch has: three tenancy officers, two
// income officers, two repairs officers, and one each for ASB, lettings and
// complaints. Scope is the product's: each officer receives their patch's
// records and every promise owned by their function, wherever it was made.
const fleetSites = 20

var fleetTeam = []string{housing.FunctionTenancy, housing.FunctionTenancy, housing.FunctionTenancy,
	housing.FunctionIncome, housing.FunctionIncome, housing.FunctionRepairs, housing.FunctionRepairs,
	housing.FunctionASB, housing.FunctionLettings, housing.FunctionComplaints}

// fleetDevice is one officer's phone in the fleet, with the tenancies of
// their patch.
type fleetDevice struct {
	*benchDevice
	officer   housing.Officer
	tenancies []housing.Tenancy
}

// benchFleet seeds a data folder with the demo landlord grown to
// fleetSites patches of ten tenancies or more, and one officer per device,
// each signed in on their own phone directly in the store (the API's
// sign-in limit per address is for people, not for a benchmark's fleet).
func benchFleet(b *testing.B, devices int) (dir string, fleet []fleetDevice) {
	b.Helper()
	ctx := context.Background()
	dir = b.TempDir()
	db := openDemoLandlord(b, dir)
	defer db.Close()
	reference := &sqlite.ReferenceService{DB: db}
	officers, sessions := &sqlite.OfficerService{DB: db}, &sqlite.SessionService{DB: db}
	sites, err := reference.Sites(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for i := len(sites); i < fleetSites; i++ {
		site := housing.Site{ID: fmt.Sprintf("patch-%02d", i+1), Name: fmt.Sprintf("Patch %d", i+1)}
		if _, err := db.SQL().Exec(`INSERT INTO sites (id, name) VALUES (?, ?)`, site.ID, site.Name); err != nil {
			b.Fatal(err)
		}
		for n := 1; n <= 10; n++ {
			if _, err := db.SQL().Exec(`INSERT INTO tenancies (id, reference, household, address, postcode, site_id) VALUES (?, ?, ?, ?, ?, ?)`,
				uuid.Must(uuid.NewV7()).String(), fmt.Sprintf("P%02d-%05d", i+1, n), fmt.Sprintf("Household %d", n),
				fmt.Sprintf("%d Patch Road, Leeds", n), "LS1 1AA", site.ID); err != nil {
				b.Fatal(err)
			}
		}
		sites = append(sites, site)
	}
	// A password anyone may set: the demo's published one is refused for a
	// new account (sqlite.hashNewPassword).
	const fleetPassword = "Heron-Quarry-Lantern-58"
	for i := 0; i < devices; i++ {
		site := sites[i%len(sites)].ID
		username := fmt.Sprintf("fleet%03d", i)
		if _, err := officers.CreateOfficer(ctx, housing.NewOfficer{Username: username, Name: fmt.Sprintf("Officer %d", i), Role: housing.RoleOfficer,
			Sites: []string{site}, Functions: []string{fleetTeam[(i/len(sites))%len(fleetTeam)]}, Password: fleetPassword}); err != nil {
			b.Fatalf("create officer %d: %v", i, err)
		}
		s, err := sessions.SignIn(ctx, housing.SignIn{Username: username, Password: fleetPassword,
			DeviceName: "phone", DeviceID: uuid.Must(uuid.NewV7()).String(), RemoteAddr: "127.0.0.1"})
		if err != nil {
			b.Fatalf("sign in officer %d: %v", i, err)
		}
		tenancies, err := reference.Tenancies(ctx, []string{site})
		if err != nil || len(tenancies) == 0 {
			b.Fatalf("tenancies of %s: %d, %v", site, len(tenancies), err)
		}
		fleet = append(fleet, fleetDevice{benchDevice: &benchDevice{token: s.Token, id: s.DeviceID, next: 1}, officer: s.Officer, tenancies: tenancies})
	}
	return dir, fleet
}

// BenchmarkSync200Devices has 200 officers' phones each push a visit's
// worth of promises (3 commitments, owned by any function) and pull what
// is new in their scope, all at the same moment, for a few rounds, and
// reports the latency of a sync round trip and how many records each
// answer carried.
func BenchmarkSync200Devices(b *testing.B) {
	const devices, rounds = 200, 10
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		dir, fleet := benchFleet(b, devices)
		srv := e2e.StartServerWith(b, e2e.ServerConfig{DataDir: dir, WebDir: b.TempDir()})
		var wire wireCounter
		hc := wire.client()
		for _, d := range fleet {
			d.c = remote.Client{BaseURL: srv.URL, Token: d.token, Do: remote.HTTP(hc)}
			if _, err := d.pullAll(ctx); err != nil { // each phone's first sync, before the clock starts
				b.Fatal(err)
			}
		}
		var (
			mu        sync.Mutex
			latencies []time.Duration
			errs      int
			received  int
		)
		// A round's worth of the same kind of mutations, for the floor;
		// made on copies, so the phones' own numbering is untouched.
		var sample []housing.Mutation
		for j, d := range fleet {
			r, spare := rand.New(rand.NewSource(int64(-1-j))), *d.benchDevice
			sample = append(sample, spare.commitments(d.officer, d.tenancies, 3, r, func(int) string { return benchFunctions[r.Intn(len(benchFunctions))] })...)
		}
		floor := benchRawFloor(b, sample)
		wire.reset()
		for round := 0; round < rounds; round++ {
			timer := newRoundTimer(hc.Transport, devices)
			roundClient := &http.Client{Transport: timer}
			var done sync.WaitGroup
			for j, d := range fleet {
				r := rand.New(rand.NewSource(int64(round*devices + j)))
				ms := d.commitments(d.officer, d.tenancies, 3, r, func(int) string { return benchFunctions[r.Intn(len(benchFunctions))] })
				d.c.Do = remote.HTTP(roundClient)
				done.Add(1)
				go func() {
					defer done.Done()
					resp, err := d.sync(ctx, ms)
					mu.Lock()
					defer mu.Unlock()
					received += len(resp.Changes)
					if err != nil {
						errs++
						b.Logf("device %d: %v", j, err)
					}
				}()
			}
			timer.ready.Wait()
			close(timer.start)
			done.Wait()
			latencies = append(latencies, timer.took...)
		}
		p50, p99, worst := percentiles(latencies)
		b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(errs), "errors")
		b.ReportMetric(float64(received)/float64(len(latencies)), "records/answer")
		b.Logf("%d officers' phones x %d rounds at once: %d round trips, p50 %v, p99 %v, max %v, errors %d; %.0f records per answer, %d bytes down in all (budget: p99 <= 150ms, no error)",
			devices, rounds, len(latencies), p50, p99, worst, errs, float64(received)/float64(len(latencies)), wire.down.Load())
		// The phones share this machine's cores with the server, so a round
		// trip includes their own work; the server's log says how long it
		// took to answer.
		served := serverSyncLatencies(b, srv.Output(), len(latencies))
		sp50, sp99, sworst := percentiles(served)
		b.ReportMetric(float64(sp99.Microseconds())/1000, "server-p99-ms")
		b.Logf("inside the server: p50 %v, p99 %v, max %v", sp50, sp99, sworst)
		b.Logf("raw SQLite floor, same run: one round's %d mutations' JSON inserted with one prepared statement in one transaction: %v",
			len(sample), floor.Round(time.Microsecond))
	}
}

// roundTimer times one round of round trips: every request waits at the
// start line until all are ready, and each is timed from the moment it goes
// out to the last byte of its answer. The answers are handed back for
// decoding only once every phone has its own: real phones encode their
// requests and decode their answers on their own processors, and here 200
// simulated phones share the server's two cores, so their JSON work must
// not be counted as the server's latency.
type roundTimer struct {
	base  http.RoundTripper
	ready sync.WaitGroup // each request is at the start line
	start chan struct{}  // closed to send them all
	got   sync.WaitGroup // each answer is in
	mu    sync.Mutex
	took  []time.Duration
}

func newRoundTimer(base http.RoundTripper, requests int) *roundTimer {
	t := &roundTimer{base: base, start: make(chan struct{})}
	t.ready.Add(requests)
	t.got.Add(requests)
	return t
}

func (t *roundTimer) RoundTrip(req *http.Request) (*http.Response, error) {
	t.ready.Done()
	<-t.start
	began := time.Now()
	res, err := t.base.RoundTrip(req)
	var body []byte
	if err == nil {
		body, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	took := time.Since(began)
	t.mu.Lock()
	t.took = append(t.took, took)
	t.mu.Unlock()
	t.got.Done()
	t.got.Wait()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	return res, nil
}

// percentiles sorts ds and returns its median, 99th percentile and maximum.
func percentiles(ds []time.Duration) (p50, p99, max time.Duration) {
	sort.Slice(ds, func(a, c int) bool { return ds[a] < ds[c] })
	return ds[len(ds)*50/100], ds[len(ds)*99/100], ds[len(ds)-1]
}

// serverSyncLatencies reads the latencies of the last n sync requests from
// the server's request log.
func serverSyncLatencies(b *testing.B, log string, n int) []time.Duration {
	var out []time.Duration
	for _, line := range strings.Split(log, "\n") {
		if !strings.Contains(line, "path="+api.SyncPath+" ") {
			continue
		}
		_, after, ok := strings.Cut(line, " latency=")
		if !ok {
			continue
		}
		field, _, _ := strings.Cut(after, " ")
		d, err := time.ParseDuration(field)
		if err != nil {
			b.Fatalf("server log: latency %q: %v", field, err)
		}
		out = append(out, d)
	}
	if len(out) < n {
		b.Fatalf("server log holds %d sync requests; want at least %d", len(out), n)
	}
	return out[len(out)-n:]
}

// benchRawFloor inserts each mutation's record ID, kind and JSON into a
// bare table of a new database, opened as the server opens its own, with
// one prepared statement in one transaction, and returns how long that
// took: the raw SQLite floor that sync figures are read against, so a
// ratio means the same on a slow machine as on a fast one.
func benchRawFloor(b *testing.B, ms []housing.Mutation) time.Duration {
	b.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SQL().ExecContext(ctx, `CREATE TABLE floor (id TEXT PRIMARY KEY, kind TEXT NOT NULL, data TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO floor (id, kind, data) VALUES (?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range ms {
		if _, err := stmt.ExecContext(ctx, m.RecordID, m.Kind, string(m.Data)); err != nil {
			b.Fatal(err)
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}
