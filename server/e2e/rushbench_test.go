package e2e_test

import (
	"context"
	"fmt"
	"math/rand"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"doorstep/app/remote"
	"doorstep/server/e2e"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// The morning rush (issue 14): a landlord's 1,000 officers open Doorstep on
// new phones within a few minutes of each other, each signing in and
// taking its first snapshot, while 200 phones already signed in keep
// syncing as usual. The budget: every new phone signed in and synced
// within 5 minutes, no phone seeing an error, and the p99 of the others'
// ordinary syncs at most 500 ms.
//
// Phones reach the server from their own addresses, as through a mobile
// network: the server trusts 127.0.0.1 as its proxy and each phone names
// its own address in X-Real-IP, so the per-address sign-in limits apply to
// each phone as they would in the field, not to the benchmark as a whole.
const (
	rushPhones   = 1_000
	rushWindow   = 2 * time.Minute // new phones arrive evenly over this
	rushBudget   = 5 * time.Minute
	rushPassword = "Otter-Granary-Pencil-31"
)

func BenchmarkSyncMorningRush(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		dir, fleet := benchFleet(b, 200)
		rush := rushStaff(b, dir)
		srv := e2e.StartServerWith(b, e2e.ServerConfig{DataDir: dir, WebDir: b.TempDir(), Args: []string{"-trusted-proxies", "127.0.0.1"}})
		var wire wireCounter
		hc := wire.client()
		for _, d := range fleet {
			d.c = remote.Client{BaseURL: srv.URL, Token: d.token, Do: remote.HTTP(hc)}
			if _, err := d.pullAll(ctx); err != nil {
				b.Fatal(err)
			}
		}

		// The phones already signed in sync every few seconds while the
		// rush lasts: a visit's promise pushed, what is new pulled.
		stop := make(chan struct{})
		var (
			mu        sync.Mutex
			ordinary  []time.Duration
			errs      []string
			ordinaryW sync.WaitGroup
		)
		fail := func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			errs = append(errs, fmt.Sprintf(format, args...))
		}
		for j, d := range fleet {
			ordinaryW.Go(func() {
				r := rand.New(rand.NewSource(int64(j)))
				tick := time.NewTicker(3*time.Second + time.Duration(j)*7*time.Millisecond)
				defer tick.Stop()
				for {
					select {
					case <-stop:
						return
					case <-tick.C:
					}
					ms := d.commitments(d.officer, d.tenancies, 1, r, func(int) string { return benchFunctions[r.Intn(len(benchFunctions))] })
					start := time.Now()
					_, err := d.sync(ctx, ms)
					took := time.Since(start)
					if err != nil {
						fail("ordinary phone %d: %v", j, err)
						continue
					}
					mu.Lock()
					ordinary = append(ordinary, took)
					mu.Unlock()
				}
			})
		}

		// The rush: each new phone signs in over the API and takes its
		// first snapshot.
		var (
			rushW     sync.WaitGroup
			rushTimes []time.Duration
			records   int
		)
		begin := time.Now()
		for j, username := range rush {
			rushW.Go(func() {
				time.Sleep(rushWindow * time.Duration(j) / rushPhones)
				client := &http.Client{Transport: fromAddress{ip: fmt.Sprintf("10.%d.%d.%d", j>>16&255, j>>8&255, j&255+1), base: hc.Transport}}
				c := remote.Client{BaseURL: srv.URL, Do: remote.HTTP(client)}
				start := time.Now()
				s, err := c.SignIn(ctx, housing.SignIn{Username: username, Password: rushPassword, DeviceName: "phone", DeviceID: uuid.Must(uuid.NewV7()).String()})
				if err != nil {
					fail("new phone %s: sign in: %v", username, err)
					return
				}
				c.Token = s.Token
				phone := &benchDevice{c: c, token: s.Token, id: s.DeviceID, next: 1}
				n, err := phone.pullAll(ctx)
				if err != nil {
					fail("new phone %s: first sync: %v", username, err)
					return
				}
				mu.Lock()
				rushTimes = append(rushTimes, time.Since(start))
				records += n
				mu.Unlock()
			})
		}
		rushW.Wait()
		whole := time.Since(begin)
		close(stop)
		ordinaryW.Wait()

		var sample []housing.Mutation
		for j, d := range fleet {
			r, spare := rand.New(rand.NewSource(int64(-1-j))), *d.benchDevice
			sample = append(sample, spare.commitments(d.officer, d.tenancies, 1, r, func(int) string { return benchFunctions[r.Intn(len(benchFunctions))] })...)
		}
		floor := benchRawFloor(b, sample)

		rp50, rp99, rworst := percentiles(rushTimes)
		op50, op99, oworst := percentiles(ordinary)
		b.ReportMetric(whole.Seconds(), "rush-s")
		b.ReportMetric(float64(op99.Microseconds())/1000, "ordinary-p99-ms")
		b.ReportMetric(float64(len(errs)), "errors")
		for _, e := range errs[:min(len(errs), 5)] {
			b.Log(e)
		}
		if len(errs) > 0 {
			// What the server said of them: its log's first errors.
			n := 0
			for line := range strings.Lines(srv.Output()) {
				if strings.Contains(line, "level=ERROR") && n < 5 {
					b.Log("server: " + strings.TrimSpace(line))
					n++
				}
			}
		}
		b.Logf("\n"+
			"morning rush: %d new phones arriving over %v, each signing in and taking its first snapshot (%d records in all):\n"+
			"  all done in %v (budget %v); per phone p50 %v, p99 %v, max %v\n"+
			"  %d ordinary syncs of %d phones meanwhile: p50 %v, p99 %v (budget 500ms), max %v\n"+
			"  errors: %d (budget 0)\n"+
			"  raw SQLite floor, same run: %d mutations' JSON inserted with one prepared statement in one transaction: %v",
			len(rush), rushWindow, records, whole.Round(time.Millisecond), rushBudget, rp50, rp99, rworst,
			len(ordinary), len(fleet), op50, op99, oworst, len(errs), len(sample), floor.Round(time.Microsecond))
	}
}

// rushStaff adds rushPhones officers to the landlord in dir, spread over
// its sites and teams as the fleet is, each with rushPassword and no
// device yet, and returns their usernames. They are loaded as an import
// loads staff (ReferenceService.Put), with one hash for all, since each
// hash costs tens of milliseconds and the sign-ins are what is measured.
func rushStaff(b *testing.B, dir string) []string {
	b.Helper()
	ctx := context.Background()
	db := openDemoLandlord(b, dir)
	defer db.Close()
	reference := &sqlite.ReferenceService{DB: db}
	sites, err := reference.Sites(ctx)
	if err != nil {
		b.Fatal(err)
	}
	hash, err := sqlite.HashPassword(rushPassword)
	if err != nil {
		b.Fatal(err)
	}
	var staff []sqlite.Staff
	var usernames []string
	for i := 0; i < rushPhones; i++ {
		username := fmt.Sprintf("rush%04d", i)
		staff = append(staff, sqlite.Staff{PasswordHash: hash, Officer: housing.Officer{
			ID: uuid.Must(uuid.NewV7()).String(), Username: username, Name: fmt.Sprintf("Rush Officer %d", i), Role: housing.RoleOfficer,
			Sites: []string{sites[i%len(sites)].ID}, Functions: []string{fleetTeam[(i/len(sites))%len(fleetTeam)]},
		}})
		usernames = append(usernames, username)
	}
	if _, err := reference.Put(ctx, sqlite.Reference{Staff: staff}); err != nil {
		b.Fatal(err)
	}
	return usernames
}

// fromAddress is a phone's connection through the landlord's proxy: it
// names the phone's own address in X-Real-IP.
type fromAddress struct {
	ip   string
	base http.RoundTripper
}

func (f fromAddress) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Real-IP", f.ip)
	return f.base.RoundTrip(r)
}
