package replica_test

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"doorstep/app/replica"
	"doorstep/shared/housing"
)

// fakeClock is Run's timer under test control: each wait Run asks for is
// sent on asked, and Run's timer fires only when the test calls fire.
type fakeClock struct {
	asked chan time.Duration
	timer chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{asked: make(chan time.Duration, 16), timer: make(chan time.Time)}
}

func (c *fakeClock) after(d time.Duration) <-chan time.Time {
	c.asked <- d
	return c.timer
}

// heldServer is a transport whose every sync round trip is one attempt of
// Run's, answered by the test, and which checks that the attempt holds the
// sync lock.
type heldServer struct {
	held     *atomic.Bool
	attempts chan int   // one per round trip, in order
	results  chan error // what the round trip returns
	n        int
	unlocked int // round trips made without the lock
}

func (s *heldServer) Sync(ctx context.Context, token string, req housing.SyncRequest) (housing.SyncResponse, error) {
	if !s.held.Load() {
		s.unlocked++
	}
	s.n++
	s.attempts <- s.n
	if err := <-s.results; err != nil {
		return housing.SyncResponse{}, err
	}
	return housing.SyncResponse{Protocol: housing.ProtocolVersion, Results: []housing.Result{}, Cursor: strconv.Itoa(s.n)}, nil
}

func (s *heldServer) SignIn(ctx context.Context, in housing.SignIn) (housing.Session, error) {
	return housing.Session{ID: "s1", Token: "tok", DeviceID: "d1", Officer: housing.Officer{ID: "o1", Username: in.Username}}, nil
}

func (s *heldServer) SignOut(ctx context.Context, token string) error { return nil }

// TestRun drives the scheduler through failures, a success and a revoked
// session with a fake clock: no test here sleeps.
func TestRun(t *testing.T) {
	clock := newFakeClock()
	var held atomic.Bool
	srv := &heldServer{held: &held, attempts: make(chan int, 16), results: make(chan error)}
	var lockNames []string
	lock := func(name string, f func()) {
		lockNames = append(lockNames, name)
		held.Store(true)
		defer held.Store(false)
		f()
	}
	r := replica.New(replica.NewMemStore(), srv, replica.Options{Rand: func() float64 { return 0.5 }, After: clock.after, Lock: lock})
	ctx, cancel := context.WithCancel(context.Background())
	if err := r.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SignIn(ctx, "sarah", "right", "test phone"); err != nil {
		t.Fatal(err)
	}

	settled := make(chan struct{}, 16) // after each attempt, once Run set its timer
	changed := func() { settled <- struct{}{} }
	triggers := make(chan string)
	done := make(chan struct{})
	go func() {
		r.Run(ctx, triggers, changed)
		close(done)
	}()
	defer func() { cancel(); <-done }()

	wantWait := func(want time.Duration) {
		t.Helper()
		if got := <-clock.asked; got != want {
			t.Fatalf("got a wait of %v, want %v", got, want)
		}
	}
	attempt := func(err error) {
		t.Helper()
		clock.timer <- time.Time{}
		<-srv.attempts
		srv.results <- err
		<-settled
	}
	offline := errors.New("no connection")

	wantWait(0) // the start trigger
	attempt(offline)
	wantWait(replica.BackoffMin)
	attempt(offline)
	wantWait(2 * replica.BackoffMin)
	attempt(offline)
	wantWait(4 * replica.BackoffMin)

	// A save brings the next attempt forward, and success resets the backoff.
	triggers <- replica.TriggerSave
	wantWait(replica.SaveDelay)
	attempt(nil)
	wantWait(replica.SteadyEvery)
	attempt(offline)
	wantWait(replica.BackoffMin)

	// A revoked session stops the timer: only a trigger (the sign-in) wakes Run.
	attempt(housing.Errorf(housing.CodeUnauthorized, "Sign in again."))
	select {
	case d := <-clock.asked:
		t.Fatalf("got a timer of %v while the officer must sign in, want none", d)
	default:
	}
	if _, err := r.SignIn(ctx, "sarah", "right", "test phone"); err != nil {
		t.Fatal(err)
	}
	triggers <- replica.TriggerManual
	<-srv.attempts
	srv.results <- nil
	<-settled
	wantWait(replica.SteadyEvery)

	if srv.unlocked != 0 {
		t.Errorf("%d round trips ran without the sync lock, want none", srv.unlocked)
	}
	for _, name := range lockNames {
		if name != replica.SyncLock {
			t.Errorf("Run took the lock %q, want %q", name, replica.SyncLock)
		}
	}
	if len(lockNames) != srv.n {
		t.Errorf("Run took the lock %d times for %d attempts, want once each", len(lockNames), srv.n)
	}
}

// TestBackoffJitter checks every wait stays within half and one and a half
// times its step, whatever the random number, and never exceeds the cap by
// more than the jitter.
func TestBackoffJitter(t *testing.T) {
	for _, r := range []float64{0, 0.25, 0.5, 0.75, 0.999999} {
		b := replica.Backoff{Rand: func() float64 { return r }}
		step := replica.BackoffMin
		for failures := 1; failures <= 12; failures++ {
			got, ok := b.Outcome(errors.New("offline"))
			if !ok {
				t.Fatalf("rand %v, failure %d: got no timer", r, failures)
			}
			if lo, hi := step/2, step*3/2; got < lo || got >= hi {
				t.Errorf("rand %v, failure %d: got %v, want within [%v, %v)", r, failures, got, lo, hi)
			}
			step = min(step*2, replica.BackoffMax)
		}
		if got, _ := b.Outcome(nil); got < replica.SteadyEvery*3/4 || got >= replica.SteadyEvery*5/4 {
			t.Errorf("rand %v: got %v after a success, want within a quarter of %v", r, got, replica.SteadyEvery)
		}
		if b.Failures != 0 {
			t.Errorf("rand %v: got %d failures remembered after a success, want 0", r, b.Failures)
		}
	}
}
