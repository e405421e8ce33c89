package replica_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"doorstep/app/replica"
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

// TestRun drives the scheduler through failures, a success and a revoked
// session with a fake clock: no test here sleeps.
func TestRun(t *testing.T) {
	clock := newFakeClock()
	r := replica.New(replica.NewMemStore(), nil, replica.Options{Rand: func() float64 { return 0.5 }, After: clock.after})

	results := make(chan error)    // what the next sync returns
	attempts := make(chan int, 16) // one per sync, in order
	n := 0
	sync := func(context.Context) error {
		n++
		attempts <- n
		return <-results
	}
	settled := make(chan struct{}, 16) // after each attempt, once Run set its timer
	changed := func() { settled <- struct{}{} }
	triggers := make(chan string)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		r.Run(ctx, triggers, sync, changed)
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
		<-attempts
		results <- err
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
	attempt(replica.ErrNeedsSignIn)
	select {
	case d := <-clock.asked:
		t.Fatalf("got a timer of %v while the officer must sign in, want none", d)
	default:
	}
	triggers <- replica.TriggerManual
	<-attempts
	results <- nil
	<-settled
	wantWait(replica.SteadyEvery)
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
