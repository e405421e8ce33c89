package api_test

import (
	"testing"
	"time"

	"doorstep/server/api"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	l := api.NewLimiter(2, 10*time.Second)
	l.Now = func() time.Time { return now }

	take := func(key string, wantOK bool, wantWait time.Duration) {
		t.Helper()
		ok, wait := l.Take(key)
		if ok != wantOK || wait != wantWait {
			t.Fatalf("Take(%q) at %s: got %v, %v; want %v, %v", key, now.Format("15:04:05"), ok, wait, wantOK, wantWait)
		}
	}
	t.Run("Burst", func(t *testing.T) {
		take("10.0.0.1", true, 0)
		take("10.0.0.1", true, 0)
		take("10.0.0.1", false, 10*time.Second)
	})
	t.Run("KeysApart", func(t *testing.T) {
		take("10.0.0.2", true, 0)
	})
	t.Run("IPv6ByNetwork", func(t *testing.T) {
		take("2001:db8:1:2::1", true, 0)
		take("2001:db8:1:2:ffff:ffff:ffff:ffff", true, 0)
		take("2001:db8:1:2::99", false, 10*time.Second)
		take("2001:db8:1:3::1", true, 0)
		take("::ffff:10.0.0.2", true, 0) // IPv4-mapped: the IPv4 address's own bucket
		take("10.0.0.2", false, 10*time.Second)
	})
	t.Run("Refills", func(t *testing.T) {
		now = now.Add(4 * time.Second)
		take("10.0.0.1", false, 6*time.Second)
		now = now.Add(6 * time.Second)
		take("10.0.0.1", true, 0)
		take("10.0.0.1", false, 10*time.Second)
		now = now.Add(time.Hour)
		take("10.0.0.1", true, 0)
		take("10.0.0.1", true, 0)
		take("10.0.0.1", false, 10*time.Second)
	})
}
