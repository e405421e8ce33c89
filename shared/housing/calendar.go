package housing

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// Holiday is a bank holiday in England and Wales.
type Holiday struct {
	Date Date   `json:"date"`
	Name string `json:"name"`
}

// proclamation is a one-off change made by royal proclamation: a usual bank
// holiday moved to another day, or an extra day. Moved is the computed date it
// replaces, or "" for an extra day.
type proclamation struct {
	Moved Date
	Holiday
}

// proclamations are the one-off changes to the computed calendar. A new
// proclamation is one line here.
var proclamations = []proclamation{
	{"1995-05-01", Holiday{"1995-05-08", "Early May bank holiday (VE day)"}},
	{"", Holiday{"1999-12-31", "Millennium celebrations"}},
	{"2002-05-27", Holiday{"2002-06-04", "Spring bank holiday"}},
	{"", Holiday{"2002-06-03", "Golden Jubilee bank holiday"}},
	{"", Holiday{"2011-04-29", "Royal wedding"}},
	{"2012-05-28", Holiday{"2012-06-04", "Spring bank holiday"}},
	{"", Holiday{"2012-06-05", "Diamond Jubilee bank holiday"}},
	{"2020-05-04", Holiday{"2020-05-08", "Early May bank holiday (VE day)"}},
	{"2022-05-30", Holiday{"2022-06-02", "Spring bank holiday"}},
	{"", Holiday{"2022-06-03", "Platinum Jubilee bank holiday"}},
	{"", Holiday{"2022-09-19", "Bank holiday for the State Funeral of Queen Elizabeth II"}},
	{"", Holiday{"2023-05-08", "Bank holiday for the coronation of King Charles III"}},
}

// holidayCache holds each year's bank holidays once computed. Only the years
// a Date can name (four digits) are kept, so it holds at most 10,000 small
// slices.
var holidayCache = struct {
	sync.Mutex
	years map[int][]Holiday
}{years: map[int][]Holiday{}}

// BankHolidays returns the bank holidays in England and Wales in year, sorted
// by date. The slice is the caller's to change.
//
// They are computed from the rules in force since 1978, so the calendar never
// runs out: New Year's Day, Good Friday, Easter Monday, the early May, spring
// and summer bank holidays, Christmas Day and Boxing Day, each moved to the
// next free weekday when it falls on a weekend, then the proclamations. Years
// before 1978 get the same rules, not the days that were observed; nothing
// here needs them.
func BankHolidays(year int) []Holiday {
	return slices.Clone(bankHolidays(year))
}

// bankHolidays returns the cached holidays of year; callers must not change it.
func bankHolidays(year int) []Holiday {
	if year < 0 || year > 9999 {
		return computeBankHolidays(year)
	}
	holidayCache.Lock()
	defer holidayCache.Unlock()
	hs, ok := holidayCache.years[year]
	if !ok {
		hs = computeBankHolidays(year)
		holidayCache.years[year] = hs
	}
	return hs
}

// BankHoliday returns the name of the bank holiday on d and whether d is one.
func BankHoliday(d Date) (name string, ok bool) {
	if !d.Valid() {
		return "", false
	}
	return holidayOn(d.Time())
}

// IsWorkingDay reports whether d is a weekday that is not a bank holiday in
// England and Wales. An invalid date is not a working day.
func IsWorkingDay(d Date) bool {
	return d.Valid() && isWorkingDay(d.Time())
}

// AddWorkingDays returns the n-th working day after d, or before d when n is
// negative; d itself when n is 0, even if d is not a working day. Counting
// starts the day after d, so from a Friday one working day is the Monday
// (or the Tuesday after a bank holiday Monday). An invalid d is returned as is.
func AddWorkingDays(d Date, n int) Date {
	if !d.Valid() || n == 0 {
		return d
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	t := d.Time()
	for n > 0 {
		t = t.AddDate(0, 0, step)
		if isWorkingDay(t) {
			n--
		}
	}
	return DateOf(t)
}

// WorkingDaysBetween counts the working days after from up to and including
// to. When to is before from it counts the working days from to up to but not
// including from, and returns that count negated. Either way it is the inverse
// of AddWorkingDays: WorkingDaysBetween(d, AddWorkingDays(d, n)) == n. It
// returns 0 when the dates are equal or either is invalid.
func WorkingDaysBetween(from, to Date) int {
	if !from.Valid() || !to.Valid() || from == to {
		return 0
	}
	sign := 1
	lo, hi := from.Time(), to.Time() // count (lo, hi]
	if to < from {
		sign = -1
		lo, hi = to.Time().AddDate(0, 0, -1), from.Time().AddDate(0, 0, -1) // count [to, from)
	}
	n := 0
	for t := lo.AddDate(0, 0, 1); !t.After(hi); t = t.AddDate(0, 0, 1) {
		if isWorkingDay(t) {
			n++
		}
	}
	return sign * n
}

// isWorkingDay is IsWorkingDay for a midnight UTC time.
func isWorkingDay(t time.Time) bool {
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, ok := holidayOn(t)
	return !ok
}

// holidayOn looks t's date up among its year's bank holidays.
func holidayOn(t time.Time) (string, bool) {
	d := DateOf(t)
	for _, h := range bankHolidays(t.Year()) {
		if h.Date == d {
			return h.Name, true
		}
	}
	return "", false
}

// computeBankHolidays applies the rules, then the proclamations, to year.
func computeBankHolidays(year int) []Holiday {
	hs := ruleHolidays(year)
	for _, p := range proclamations {
		if p.Date.Time().Year() != year {
			continue
		}
		if p.Moved != "" {
			hs = slices.DeleteFunc(hs, func(h Holiday) bool { return h.Date == p.Moved })
		}
		hs = append(hs, p.Holiday)
	}
	slices.SortFunc(hs, func(a, b Holiday) int { return strings.Compare(string(a.Date), string(b.Date)) })
	return hs
}

// ruleHolidays returns year's bank holidays by the usual rules alone,
// unsorted.
func ruleHolidays(year int) []Holiday {
	day := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	easter := easterSunday(year)
	hs := []Holiday{
		{DateOf(nextWeekday(day(time.January, 1))), "New Year's Day"},
		{DateOf(easter.AddDate(0, 0, -2)), "Good Friday"},
		{DateOf(easter.AddDate(0, 0, 1)), "Easter Monday"},
		{DateOf(firstMonday(day(time.May, 1))), "Early May bank holiday"},
		{DateOf(firstMonday(day(time.May, 25))), "Spring bank holiday"},
		{DateOf(firstMonday(day(time.August, 25))), "Summer bank holiday"},
	}
	// Christmas Day and Boxing Day move to the next weekdays the other does
	// not already take.
	christmas, boxing := day(time.December, 25), day(time.December, 26)
	switch christmas.Weekday() {
	case time.Friday: // Boxing Day on Monday 28
		boxing = day(time.December, 28)
	case time.Saturday: // Christmas Day on Monday 27, Boxing Day on Tuesday 28
		christmas, boxing = day(time.December, 27), day(time.December, 28)
	case time.Sunday: // Boxing Day keeps Monday 26, Christmas Day on Tuesday 27
		christmas = day(time.December, 27)
	}
	christmasName, boxingName := "Christmas Day", "Boxing Day"
	if christmas.Day() != 25 {
		christmasName += " (substitute day)"
	}
	if boxing.Day() != 26 {
		boxingName += " (substitute day)"
	}
	if hs[0].Date != DateOf(day(time.January, 1)) {
		hs[0].Name += " (substitute day)"
	}
	return append(hs, Holiday{DateOf(christmas), christmasName}, Holiday{DateOf(boxing), boxingName})
}

// easterSunday returns Easter Sunday of year by the anonymous Gregorian
// algorithm (Meeus/Jones/Butcher).
func easterSunday(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// nextWeekday returns t, or the Monday after it when t is on a weekend.
func nextWeekday(t time.Time) time.Time {
	switch t.Weekday() {
	case time.Saturday:
		return t.AddDate(0, 0, 2)
	case time.Sunday:
		return t.AddDate(0, 0, 1)
	}
	return t
}

// firstMonday returns the first Monday on or after t. From 1 May it is the
// early May bank holiday; from 25 May or 25 August, the last Monday of May or
// August.
func firstMonday(t time.Time) time.Time {
	return t.AddDate(0, 0, (int(time.Monday)-int(t.Weekday())+7)%7)
}
