package housing

import (
	"fmt"
	"time"
)

// DefaultAwareWindow is how long before the server received a record the
// officer's own recorded time is believed, for starting a statutory clock:
// 14 days, twice the week an officer may work offline.
const DefaultAwareWindow = 14 * 24 * time.Hour

// OfflineAfter is how long a record may take to reach the server before
// its clock counts as started offline: longer than a sync on a poor signal.
const OfflineAfter = 10 * time.Minute

// Awareness is when the landlord became aware of something a tenant raised
// at the door, the moment the Complaint Handling Code's and Awaab's Law's
// clocks count from. Both times it was chosen from are kept.
type Awareness struct {
	At       time.Time // when the clock starts
	Recorded time.Time // when the officer recorded it, by the phone's clock
	Received time.Time // when the server received it, by its own clock

	// Offline says the officer's time was used and the server heard of it
	// more than OfflineAfter later: the clock started on a phone with no
	// signal, which staff are shown so a late-looking date is understood.
	Offline bool

	// Note says, in plain words for staff, why At is the server's time and
	// not the officer's; empty when the officer's time was used.
	Note string
}

// BecameAware decides when the landlord became aware of something recorded
// on a phone at recorded and received by the server at received. The tenant
// told the officer at the door, so the officer's time counts: a complaint
// made on Friday and synced on Monday is due as if the landlord heard on
// Friday. A phone's clock can be wrong, so that time is believed only within
// bounds: never after the server received it, and never more than window
// before (zero means DefaultAwareWindow). Outside them the server's time is
// used, and the Note says so.
func BecameAware(recorded, received time.Time, window time.Duration) Awareness {
	if window <= 0 {
		window = DefaultAwareWindow
	}
	a := Awareness{At: received, Recorded: recorded, Received: received}
	switch {
	case recorded.IsZero():
		a.Note = "The phone did not say when this was recorded, so the clock starts when the server received it."
	case recorded.After(received):
		a.Note = "The phone's clock was ahead of the server's, so the clock starts when the server received it."
	case received.Sub(recorded) > window:
		a.Note = fmt.Sprintf("The phone says this was recorded more than %d days before it reached the server, so the clock starts when the server received it.", int(window/(24*time.Hour)))
	default:
		a.At = recorded
		a.Offline = received.Sub(recorded) > OfflineAfter
	}
	return a
}
