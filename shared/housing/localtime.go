package housing

import "time"

// The landlord's civil time is the United Kingdom's: GMT in winter and
// British Summer Time (UTC+1) from 01:00 UTC on the last Sunday of March to
// 01:00 UTC on the last Sunday of October. It is written here as that rule,
// not loaded from the time zone database, so the WebAssembly client reckons
// "today" and "overdue" exactly as the server does without shipping tzdata.

var (
	gmt = time.FixedZone("GMT", 0)
	bst = time.FixedZone("BST", 60*60)
)

// LocalTime returns t in the landlord's time zone.
func LocalTime(t time.Time) time.Time {
	if summerTime(t) {
		return t.In(bst)
	}
	return t.In(gmt)
}

// LocalDate returns the landlord's civil date at instant t: the day a
// promise was made, kept or received, as people on the estate would say it.
func LocalDate(t time.Time) Date { return DateOf(LocalTime(t)) }

// LocalMidnight returns the instant day d starts in the landlord's time
// zone, so "received on d" is the range from LocalMidnight(d) to
// LocalMidnight(d.AddDays(1)).
func LocalMidnight(d Date) time.Time {
	utc := d.Time()
	if before := utc.Add(-time.Hour); summerTime(before) {
		return before
	}
	return utc
}

// summerTime reports whether British Summer Time is in force at t.
func summerTime(t time.Time) bool {
	t = t.UTC()
	y := t.Year()
	start := lastSunday(y, time.March).Add(time.Hour)
	end := lastSunday(y, time.October).Add(time.Hour)
	return !t.Before(start) && t.Before(end)
}

// lastSunday returns midnight UTC on the last Sunday of month m in year y.
func lastSunday(y int, m time.Month) time.Time {
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
	return last.AddDate(0, 0, -int(last.Weekday()))
}
