package housing

import (
	"strings"
	"time"
)

// Meta says who made a record, on which device, when it happened on the
// device and when the server received it. The server orders records by its
// own change sequence, never by device clocks; HappenedAt is for people.
type Meta struct {
	CreatedBy  string    `json:"created_by"`           // officer ID, or "tenant"
	DeviceID   string    `json:"device_id"`            // the device's ID, or "tenant-link"
	HappenedAt time.Time `json:"happened_at"`          // device clock, UTC
	ReceivedAt time.Time `json:"received_at,omitzero"` // server clock, UTC; zero until synced
}

// Date is a civil date in the landlord's time zone, written "2006-01-02".
// Due dates are dates, not instants, so a phone's wrong clock or time zone
// never moves a promise.
type Date string

const dateLayout = "2006-01-02"

// DateOf returns the civil date of t in t's location.
func DateOf(t time.Time) Date { return Date(t.Format(dateLayout)) }

// ParseDate parses s as a Date and reports whether it is one.
func ParseDate(s string) (Date, bool) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return "", false
	}
	return Date(t.Format(dateLayout)), true
}

// Time returns midnight UTC at the start of d; the zero time if d is invalid.
func (d Date) Time() time.Time {
	t, _ := time.Parse(dateLayout, string(d))
	return t
}

// Valid reports whether d is a real calendar date.
func (d Date) Valid() bool { _, ok := ParseDate(string(d)); return ok && len(d) == len(dateLayout) }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d < e }

// AddDays returns d moved by n calendar days.
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// Human formats d for people, e.g. "Mon 30 Nov 2026".
func (d Date) Human() string {
	if !d.Valid() {
		return string(d)
	}
	return d.Time().Format("Mon 2 Jan 2006")
}

// FirstName returns the first word of a full name, which is all a tenant is
// shown of the officer who made a promise.
func FirstName(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}
