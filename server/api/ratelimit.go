package api

import (
	"math"
	"net"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// The per-address sign-in limit: a burst of 20 attempts, then one every 6
// seconds. It counts every attempt, right or wrong, because each costs a
// password hash (tens of milliseconds and 19 MiB); it is generous enough
// for a whole office signing in at nine behind one address, since sessions
// last for months. The per-account limit is in the store.
const (
	DefaultSignInBurst = 20
	DefaultSignInEvery = 6 * time.Second
)

// Limiter is a token bucket per key (a remote address, see limitKey): a key
// may make Burst requests at once and one more each Every. It lives in
// memory; a restart forgets it, which an address limit can afford.
type Limiter struct {
	burst int
	every time.Duration

	// Now returns the current time; tests replace it.
	Now func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	sweepAt int
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewLimiter returns a Limiter allowing burst requests at once per key and
// one more every every.
func NewLimiter(burst int, every time.Duration) *Limiter {
	return &Limiter{burst: burst, every: every, Now: time.Now, buckets: map[string]*bucket{}, sweepAt: 1024}
}

// Take takes one request from key's bucket. When the bucket is empty it
// returns false and how long until the next request is allowed. An IPv6
// address shares its bucket with its whole /64 (limitKey).
func (l *Limiter) Take(key string) (bool, time.Duration) {
	key = limitKey(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	b := l.refill(key, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration(math.Ceil((1 - b.tokens) * float64(l.every)))
	return false, wait
}

// Allow is Take without the wait, in the shape TenantPages.Allow takes.
func (l *Limiter) Allow(key string) bool {
	ok, _ := l.Take(key)
	return ok
}

// refill returns key's bucket topped up for the time since it was last
// used. Full buckets are forgotten now and then, so the map holds only
// keys seen lately.
func (l *Limiter) refill(key string, now time.Time) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.sweepAt {
			l.sweep(now)
		}
		b = &bucket{tokens: float64(l.burst), at: now}
		l.buckets[key] = b
		return b
	}
	if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens = math.Min(float64(l.burst), b.tokens+float64(elapsed)/float64(l.every))
		b.at = now
	}
	return b
}

// sweep drops the buckets that have refilled, which behave as new ones,
// and sets the next sweep at twice the size left, so sweeping costs O(1)
// per new key.
func (l *Limiter) sweep(now time.Time) {
	full := time.Duration(l.burst) * l.every
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
	l.sweepAt = max(1024, 2*len(l.buckets))
}

// remoteAddr is the caller's address for rate limits and logs: c.RealIP(),
// which answers through the server's IPExtractor (proxy.go), so forwarding
// headers count only from a trusted proxy and nobody can dodge a limit by
// sending a new header each time.
func remoteAddr(c echo.Context) string {
	return c.RealIP()
}

// limitKey is the key a per-address limit counts a remote address under.
// An IPv6 address counts as its /64: one subscriber line or host is given
// a whole /64 and may pick a new address in it for every request, so an
// exact-address limit would not limit it. An IPv4 address (also written as
// IPv4-mapped IPv6) is itself; anything that is not an address is left as
// it is.
func limitKey(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil {
		return addr
	}
	if ip4 := ip.To4(); ip4 != nil {
		return ip4.String()
	}
	return (&net.IPNet{IP: ip.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
}
