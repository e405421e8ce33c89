package housing

import "time"

// The bounds on the dates and times a record may carry. A phone's clock can
// be wrong and a request can be forged, so the server checks every date
// against them; the phone's own forms check the same ones before saving.
const (
	// MaxDueYears is how far ahead of the day it is made a promise may
	// fall due: no service standard is longer, and a date further out is a
	// typo (9999-12-31) that would hide the promise from every overdue list.
	MaxDueYears = 3

	// MaxPastDueDays is how long before the day it is set a due date may
	// fall: an officer writing up last week's visit records a promise that
	// may already be due (and so shows as overdue at once), but a date more
	// than a year before is a typo or a lost clock.
	MaxPastDueDays = 366

	// ClockSlack is how far ahead of the server's clock a phone's times may
	// be believed: a day, for a phone whose clock is off.
	ClockSlack = 24 * time.Hour
)

// EarliestRecord is the earliest time a record may carry: no record of this
// service is older, and a phone showing 0001-01-01 has lost its clock.
var EarliestRecord = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// MadeOn returns the landlord's date on which something recorded on a phone
// at recorded, and received by the server at received, was made: the
// phone's day, as the officer saw it (a promise made offline on Friday and
// synced on Monday was made on Friday), unless the phone's clock is
// unbelievable (missing, before EarliestRecord or more than ClockSlack
// ahead of the server's), when it is the server's day.
func MadeOn(recorded, received time.Time) Date {
	if recorded.IsZero() || recorded.Before(EarliestRecord) || recorded.After(received.Add(ClockSlack)) {
		return LocalDate(received)
	}
	return LocalDate(recorded)
}

// CheckDueDate says what is wrong with due as the date a promise falls due,
// set (made or extended) on day made: it may be up to MaxPastDueDays before
// that day (a promise written up after the event, already due) and at most
// MaxDueYears after it.
func CheckDueDate(due, made Date) error {
	switch {
	case !due.Valid():
		return Invalid(FieldDueDate, "The due date %q is not a real date.", due)
	case due.Before(made.AddDays(-MaxPastDueDays)):
		return Invalid(FieldDueDate, "The due date %s is more than a year before %s, the day it was set; check the date.", due.Human(), made.Human())
	case made.Time().AddDate(MaxDueYears, 0, 0).Before(due.Time()):
		return Invalid(FieldDueDate, "The due date %s is more than %d years ahead; choose a nearer date.", due.Human(), MaxDueYears)
	}
	return nil
}

// CheckVisitTimes says what is wrong with a visit's start and end (end may
// be zero) as received by the server at now: not before EarliestRecord and
// not more than ClockSlack after now.
func CheckVisitTimes(started, ended, now time.Time) error {
	latest := now.Add(ClockSlack)
	for _, t := range []struct {
		field string
		at    time.Time
	}{{FieldStartedAt, started}, {FieldEndedAt, ended}} {
		switch {
		case t.at.IsZero():
		case t.at.Before(EarliestRecord):
			return Invalid(t.field, "The visit's time %s is before %d; check the phone's date.", t.at.UTC().Format("2 Jan 2006"), EarliestRecord.Year())
		case t.at.After(latest):
			return Invalid(t.field, "The visit's time %s is in the future; check the phone's date.", LocalTime(t.at).Format("2 Jan 2006 15:04"))
		}
	}
	return nil
}
