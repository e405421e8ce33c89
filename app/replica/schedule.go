package replica

import (
	"context"
	"errors"
	"math/rand"
	"time"
)

// When Run syncs, as the design asks: at start, when the tab is visible
// again, on the `online` event, shortly after each save, and on a timer.
// navigator.onLine is only a hint: a successful request is the proof.
const (
	SaveDelay   = 2 * time.Second  // after a save, so a visit's records go in one round trip
	SteadyEvery = 60 * time.Second // while all is well
	BackoffMin  = 5 * time.Second  // the first retry after a failure
	BackoffMax  = 10 * time.Minute // the longest wait between retries
)

// Backoff is exponential backoff with jitter: after n failures the wait is
// BackoffMin·2ⁿ⁻¹, capped at BackoffMax, times a random factor in [0.5, 1.5),
// so a hundred phones coming back into signal together do not retry in step.
// While all is well the wait is SteadyEvery times a factor in [0.75, 1.25),
// so phones that synced together (a team meeting's wifi) drift apart
// instead of reaching the server at the same second every minute.
type Backoff struct {
	Failures int
	Rand     func() float64 // [0, 1); nil means math/rand
}

// Next returns how long to wait before the next attempt.
func (b *Backoff) Next() time.Duration {
	f := rand.Float64
	if b.Rand != nil {
		f = b.Rand
	}
	if b.Failures == 0 {
		return time.Duration(float64(SteadyEvery) * (0.75 + f()/2))
	}
	d := BackoffMin
	for i := 1; i < b.Failures && d < BackoffMax; i++ {
		d *= 2
	}
	d = min(d, BackoffMax)
	return time.Duration(float64(d) * (0.5 + f()))
}

// Triggers are what wake Run.
const (
	TriggerStart   = "start"
	TriggerVisible = "visible"
	TriggerOnline  = "online"
	TriggerSave    = "save"
	TriggerManual  = "manual"
)

// Outcome records how a sync attempt went and returns how long to wait
// before the next timed one: about SteadyEvery after a success (the failures are
// forgotten), a growing backoff after a failure, and no timer at all (ok is
// false) while the officer must sign in again, since retrying cannot help
// until they do.
func (b *Backoff) Outcome(err error) (wait time.Duration, ok bool) {
	switch {
	case err == nil:
		b.Failures = 0
	case errors.Is(err, ErrNeedsSignIn):
		return 0, false
	default:
		b.Failures++
	}
	return b.Next(), true
}

// SyncLock is the name of the lock Run holds through each sync (see
// Options.Lock).
const SyncLock = "doorstep-sync"

// Run syncs whenever a trigger arrives or the timer fires, until ctx ends.
// Each attempt is one Sync inside Options.Lock; changed is called after
// every attempt. A save trigger waits SaveDelay so the rest of a burst of
// saves joins the same round trip. The timer is Options.After and the
// jitter Options.Rand, so tests drive Run with a fake clock.
func (r *Replica) Run(ctx context.Context, triggers <-chan string, changed func()) {
	b := Backoff{Rand: r.rand}
	timer := r.after(0) // TriggerStart
	for {
		select {
		case <-ctx.Done():
			return
		case t := <-triggers:
			if t == TriggerSave {
				timer = r.after(SaveDelay)
				continue
			}
		case <-timer:
		}
		var err error
		r.lock(SyncLock, func() { _, err = r.Sync(ctx) })
		wait, ok := b.Outcome(err)
		timer = nil // waiting for a sign-in, which sends a trigger
		if ok {
			timer = r.after(wait)
		}
		if changed != nil {
			changed()
		}
	}
}
