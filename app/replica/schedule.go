package replica

import (
	"context"
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
type Backoff struct {
	Failures int
	Rand     func() float64 // [0, 1); nil means math/rand
}

// Next returns how long to wait before the next attempt.
func (b *Backoff) Next() time.Duration {
	if b.Failures == 0 {
		return SteadyEvery
	}
	d := BackoffMin
	for i := 1; i < b.Failures && d < BackoffMax; i++ {
		d *= 2
	}
	d = min(d, BackoffMax)
	f := rand.Float64
	if b.Rand != nil {
		f = b.Rand
	}
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

// Run syncs whenever a trigger arrives or the timer fires, until ctx ends.
// sync wraps Replica.Sync (the wiring adds the browser's Web Lock around it);
// changed is called after every attempt. A save trigger waits SaveDelay so
// the rest of a burst of saves joins the same round trip.
func (r *Replica) Run(ctx context.Context, triggers <-chan string, sync func(context.Context) error, changed func()) {
	var b Backoff
	timer := time.NewTimer(0) // TriggerStart
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case t := <-triggers:
			if t == TriggerSave {
				resetTimer(timer, SaveDelay)
				continue
			}
		case <-timer.C:
		}
		err := sync(ctx)
		if err == nil {
			b.Failures = 0
		} else if err != ErrNeedsSignIn {
			b.Failures++
		}
		if changed != nil {
			changed()
		}
		if err == ErrNeedsSignIn {
			timer.Stop() // wait for a sign-in (which sends a trigger)
			continue
		}
		resetTimer(timer, b.Next())
	}
}

func resetTimer(t *time.Timer, d time.Duration) {
	if !t.Stop() {
		select {
		case <-t.C:
		default:
		}
	}
	t.Reset(d)
}
