package housing

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// holidayDates returns just the dates of hs.
func holidayDates(hs []Holiday) []Date {
	ds := make([]Date, len(hs))
	for i, h := range hs {
		ds[i] = h.Date
	}
	return ds
}

// TestBankHolidaysGOVUK compares whole years with the dates GOV.UK publishes
// for England and Wales.
func TestBankHolidaysGOVUK(t *testing.T) {
	tests := []struct {
		year int
		want []Date
	}{
		{2020, []Date{"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28"}},
		{2021, []Date{"2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28"}},
		{2022, []Date{"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"}},
		{2023, []Date{"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"}},
		{2024, []Date{"2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26"}},
		{2025, []Date{"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"}},
		{2026, []Date{"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"}},
		{2027, []Date{"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"}},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.year), func(t *testing.T) {
			if got := holidayDates(BankHolidays(tt.year)); !slices.Equal(got, tt.want) {
				t.Errorf("BankHolidays(%d) = %v, want %v", tt.year, got, tt.want)
			}
		})
	}
}

func TestBankHoliday(t *testing.T) {
	tests := []struct {
		name     string
		date     Date
		wantName string // "" when the date is not a bank holiday
	}{
		{"EasterMonday2024", "2024-04-01", "Easter Monday"},
		{"EasterMonday2025", "2025-04-21", "Easter Monday"},
		{"EasterMonday2026", "2026-04-06", "Easter Monday"},
		{"EasterMonday2027", "2027-03-29", "Easter Monday"},
		{"EasterMondayLatestPossible2038", "2038-04-26", "Easter Monday"},
		{"EasterMondayEarly2008", "2008-03-24", "Easter Monday"},
		{"GoodFriday2024", "2024-03-29", "Good Friday"},
		{"GoodFriday2026", "2026-04-03", "Good Friday"},
		{"EasterSundayIsNot", "2026-04-05", ""},
		{"EarlyMay2026", "2026-05-04", "Early May bank holiday"},
		{"Spring2026", "2026-05-25", "Spring bank holiday"},
		{"Summer2026", "2026-08-31", "Summer bank holiday"},
		{"NewYear2022SaturdayOnMonday3", "2022-01-03", "New Year's Day (substitute day)"},
		{"NewYear2022SaturdayItselfIsNot", "2022-01-01", ""},
		{"NewYear2023SundayOnMonday2", "2023-01-02", "New Year's Day (substitute day)"},
		{"Christmas2021SaturdayOnMonday27", "2021-12-27", "Christmas Day (substitute day)"},
		{"Christmas2021BoxingDayOnTuesday28", "2021-12-28", "Boxing Day (substitute day)"},
		{"Christmas2022SundayBoxingDayMonday26", "2022-12-26", "Boxing Day"},
		{"Christmas2022SundayOnTuesday27", "2022-12-27", "Christmas Day (substitute day)"},
		{"Christmas2026FridayItself", "2026-12-25", "Christmas Day"},
		{"BoxingDay2026SaturdayOnMonday28", "2026-12-28", "Boxing Day (substitute day)"},
		{"BoxingDay2026SaturdayItselfIsNot", "2026-12-26", ""},
		{"Spring2022MovedToThursday2June", "2022-06-02", "Spring bank holiday"},
		{"Spring2022NotOnMonday30May", "2022-05-30", ""},
		{"PlatinumJubilee2022", "2022-06-03", "Platinum Jubilee bank holiday"},
		{"StateFuneral2022", "2022-09-19", "Bank holiday for the State Funeral of Queen Elizabeth II"},
		{"Coronation2023", "2023-05-08", "Bank holiday for the coronation of King Charles III"},
		{"EarlyMay2023StillMonday1", "2023-05-01", "Early May bank holiday"},
		{"VEDay2020", "2020-05-08", "Early May bank holiday (VE day)"},
		{"EarlyMay2020NotOnMonday4", "2020-05-04", ""},
		{"VEDay1995", "1995-05-08", "Early May bank holiday (VE day)"},
		{"EarlyMay1995NotOnMonday1", "1995-05-01", ""},
		{"GoldenJubilee2002", "2002-06-03", "Golden Jubilee bank holiday"},
		{"Spring2002MovedToTuesday4June", "2002-06-04", "Spring bank holiday"},
		{"Spring2002NotOnMonday27May", "2002-05-27", ""},
		{"RoyalWedding2011", "2011-04-29", "Royal wedding"},
		{"Spring2012MovedToMonday4June", "2012-06-04", "Spring bank holiday"},
		{"DiamondJubilee2012", "2012-06-05", "Diamond Jubilee bank holiday"},
		{"Spring2012NotOnMonday28May", "2012-05-28", ""},
		{"OrdinaryWeekday", "2026-11-30", ""},
		{"InvalidDate", "2026-02-30", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := BankHoliday(tt.date)
			if want := tt.wantName != ""; ok != want {
				t.Fatalf("BankHoliday(%s) ok = %v, want %v (name %q)", tt.date, ok, want, got)
			}
			if got != tt.wantName {
				t.Errorf("BankHoliday(%s) = %q, want %q", tt.date, got, tt.wantName)
			}
		})
	}
}

func TestBankHolidaysEveryYear(t *testing.T) {
	for year := 1978; year <= 2100; year++ {
		hs := BankHolidays(year)
		if !slices.IsSortedFunc(hs, func(a, b Holiday) int { return strings.Compare(string(a.Date), string(b.Date)) }) {
			t.Errorf("BankHolidays(%d) not sorted: %v", year, hs)
		}
		for i, h := range hs {
			if !h.Date.Valid() || h.Date.Time().Year() != year {
				t.Errorf("BankHolidays(%d)[%d] = %v, not a date in the year", year, i, h)
			}
			if wd := h.Date.Time().Weekday(); wd == time.Saturday || wd == time.Sunday {
				t.Errorf("BankHolidays(%d)[%d] = %v falls on a %v", year, i, h, wd)
			}
			if i > 0 && hs[i-1].Date == h.Date {
				t.Errorf("BankHolidays(%d) has %s twice", year, h.Date)
			}
		}
		if len(hs) < 8 {
			t.Errorf("BankHolidays(%d) has %d holidays, want at least 8", year, len(hs))
		}
	}
}

func TestBankHolidaysFarFuture(t *testing.T) {
	hs := BankHolidays(2040)
	if got, want := len(hs), 8; got != want {
		t.Fatalf("len(BankHolidays(2040)) = %d, want %d: %v", got, want, hs)
	}
	// 1 January 2040 is a Sunday and Easter Sunday is 1 April 2040.
	want := []Date{"2040-01-02", "2040-03-30", "2040-04-02", "2040-05-07", "2040-05-28", "2040-08-27", "2040-12-25", "2040-12-26"}
	if got := holidayDates(hs); !slices.Equal(got, want) {
		t.Errorf("BankHolidays(2040) = %v, want %v", got, want)
	}
}

// TestBankHolidayProclamations checks each one-off change against the rules: a moved
// holiday must be one the rules make, and it must be gone afterwards.
func TestBankHolidayProclamations(t *testing.T) {
	for _, p := range proclamations {
		t.Run(string(p.Date), func(t *testing.T) {
			year := p.Date.Time().Year()
			if p.Moved != "" {
				if !slices.Contains(holidayDates(ruleHolidays(year)), p.Moved) {
					t.Errorf("proclamation moves %s, which the rules do not make a holiday", p.Moved)
				}
				if name, ok := BankHoliday(p.Moved); ok {
					t.Errorf("BankHoliday(%s) = %q, want no holiday after the move", p.Moved, name)
				}
			}
			if got, ok := BankHoliday(p.Date); !ok || got != p.Name {
				t.Errorf("BankHoliday(%s) = %q, %v, want %q, true", p.Date, got, ok, p.Name)
			}
		})
	}
}

func TestBankHolidaysReturnsCopy(t *testing.T) {
	hs := BankHolidays(2026)
	hs[0] = Holiday{"2026-11-30", "Not a holiday"}
	if _, ok := BankHoliday("2026-11-30"); ok {
		t.Error("changing BankHolidays' result changed the calendar")
	}
	if got, want := BankHolidays(2026)[0].Date, Date("2026-01-01"); got != want {
		t.Errorf("BankHolidays(2026)[0] = %s, want %s", got, want)
	}
}

func TestIsWorkingDay(t *testing.T) {
	tests := []struct {
		name string
		date Date
		want bool
	}{
		{"Monday", "2026-11-30", true},
		{"Friday", "2026-11-27", true},
		{"Saturday", "2026-11-28", false},
		{"Sunday", "2026-11-29", false},
		{"GoodFriday", "2026-04-03", false},
		{"BoxingDaySubstitute", "2026-12-28", false},
		{"DayAfterBoxingDaySubstitute", "2026-12-29", true},
		{"Invalid", "2026-13-01", false},
		{"Empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsWorkingDay(tt.date); got != tt.want {
				t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.date, got, tt.want)
			}
		})
	}
}

func TestAddWorkingDays(t *testing.T) {
	tests := []struct {
		name string
		from Date
		n    int
		want Date
	}{
		{"ZeroIsSameDay", "2026-11-25", 0, "2026-11-25"},
		{"ZeroOnSaturdayIsSaturday", "2026-11-28", 0, "2026-11-28"},
		{"NextDay", "2026-11-25", 1, "2026-11-26"},
		{"FridayToMonday", "2026-11-27", 1, "2026-11-30"},
		{"AcrossWeekend", "2026-11-26", 3, "2026-12-01"},
		{"SaturdayToMonday", "2026-11-28", 1, "2026-11-30"},
		{"FiveIsAWeekLater", "2026-11-23", 5, "2026-11-30"},
		{"TwentyFromMonday", "2026-11-23", 20, "2026-12-21"},
		{"AcrossChristmas2026", "2026-12-24", 1, "2026-12-29"},
		{"AcrossChristmasAndNewYear2026", "2026-12-24", 4, "2027-01-04"},
		{"AcrossChristmas2022", "2022-12-23", 1, "2022-12-28"},
		{"AcrossEaster2026", "2026-04-02", 1, "2026-04-07"},
		{"AcrossEaster2027", "2027-03-25", 2, "2027-03-31"},
		{"AcrossEarlyMay2026", "2026-05-01", 1, "2026-05-05"},
		{"BackOne", "2026-11-26", -1, "2026-11-25"},
		{"BackFromMondayToFriday", "2026-11-30", -1, "2026-11-27"},
		{"BackFromSaturdayToFriday", "2026-11-28", -1, "2026-11-27"},
		{"BackAcrossEaster2026", "2026-04-07", -1, "2026-04-02"},
		{"BackAcrossNewYear2027", "2027-01-04", -4, "2026-12-24"},
		{"InvalidUnchanged", "2026-02-30", 3, "2026-02-30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AddWorkingDays(tt.from, tt.n); got != tt.want {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	tests := []struct {
		name     string
		from, to Date
		want     int
	}{
		{"Equal", "2026-11-25", "2026-11-25", 0},
		{"NextDay", "2026-11-25", "2026-11-26", 1},
		{"FridayToMonday", "2026-11-27", "2026-11-30", 1},
		{"MondayToFriday", "2026-11-30", "2026-11-27", -1},
		{"SaturdayToSunday", "2026-11-28", "2026-11-29", 0},
		{"SundayToSaturday", "2026-11-29", "2026-11-28", 0},
		{"SaturdayBackToFriday", "2026-11-28", "2026-11-27", -1},
		{"FridayToSaturday", "2026-11-27", "2026-11-28", 0},
		{"AcrossEaster2026", "2026-04-02", "2026-04-07", 1},
		{"AcrossChristmasAndNewYear2026", "2026-12-24", "2027-01-04", 4},
		{"BackAcrossChristmasAndNewYear2026", "2027-01-04", "2026-12-24", -4},
		// 2026 has 261 weekdays, and all 8 bank holidays fall on one.
		{"WholeYear2026", "2025-12-31", "2026-12-31", 253},
		{"InvalidFrom", "2026-02-30", "2026-03-02", 0},
		{"InvalidTo", "2026-03-02", "nope", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WorkingDaysBetween(tt.from, tt.to); got != tt.want {
				t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

// TestWorkingDaysBetweenInvertsAdd checks the promise in the doc comment on
// every start day around Christmas and Easter, weekends and holidays included.
func TestWorkingDaysBetweenInvertsAdd(t *testing.T) {
	for _, start := range []Date{"2026-03-20", "2026-12-14"} {
		for i := range 30 {
			d := start.AddDays(i)
			for n := -25; n <= 25; n++ {
				e := AddWorkingDays(d, n)
				if got := WorkingDaysBetween(d, e); got != n {
					t.Fatalf("WorkingDaysBetween(%s, AddWorkingDays(%s, %d) = %s) = %d, want %d", d, d, n, e, got, n)
				}
				if n != 0 && !IsWorkingDay(e) {
					t.Fatalf("AddWorkingDays(%s, %d) = %s, not a working day", d, n, e)
				}
			}
		}
	}
}
