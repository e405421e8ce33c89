package housing

import "time"

// This file is the measures of how promises are kept, for the supervisors'
// report: each is defined once, here, on one commitment, and a report
// counts the commitments made in its period for which the measure holds,
// so the server's reports, the app's screens and the tests agree. What
// puts a commitment in a review queue is in review.go.

// KeptOnTime reports whether the promise was delivered by its due date: the
// status is kept or done and the day it was marked done (in the landlord's
// time zone) is on or before the due date.
func (c Commitment) KeptOnTime() bool {
	return c.delivered() && !c.DueDate.Before(LocalDate(c.DoneAt))
}

// KeptLate reports whether the promise was delivered after its due date: the
// status is kept or done and the day it was marked done is after the due
// date (the date in force then: an extension moves it).
func (c Commitment) KeptLate() bool {
	return c.delivered() && c.DueDate.Before(LocalDate(c.DoneAt))
}

func (c Commitment) delivered() bool {
	return (c.Status == StatusKept || c.Status == StatusDone) && !c.DoneAt.IsZero()
}

// Broken reports whether a supervisor has recorded that the promise was not
// kept in time (with an apology to the tenant) and it has been neither
// delivered nor given a new date since: both move it out of broken.
func (c Commitment) Broken() bool { return c.Status == StatusBroken }

// ConfirmedByTenant reports whether the tenant has said yes through their
// link: "this is what we agreed" or "it was done".
func (c Commitment) ConfirmedByTenant() bool {
	return c.TenantAgreement == TenantAgreed || c.TenantOutcome == TenantDone
}

// AcknowledgeTime returns how long the owning function took to pick up the
// promise after it was handed over (HandedOverAt), and whether it has been
// picked up at all. Marking a promise done picks it up. MedianDays turns a
// function's times into the measure.
func (c Commitment) AcknowledgeTime() (time.Duration, bool) {
	from := c.HandedOverAt()
	if c.AcknowledgedAt.IsZero() || from.IsZero() || c.AcknowledgedAt.Before(from) {
		return 0, false
	}
	return c.AcknowledgedAt.Sub(from), true
}

// Tally counts commitments by outcome. Made counts every commitment that
// reached the server in the period, cancelled ones too; each other field
// counts those for which the measure of that name holds, on the
// commitment as it stands now, so they overlap (a promise can be kept late
// and disputed) and need not add up.
type Tally struct {
	Made       int `json:"made"`
	KeptOnTime int `json:"kept_on_time"` // Commitment.KeptOnTime
	KeptLate   int `json:"kept_late"`    // Commitment.KeptLate
	Broken     int `json:"broken"`       // Commitment.Broken
	Disputed   int `json:"disputed"`     // Commitment.DisputedByTenant
	Confirmed  int `json:"confirmed"`    // Commitment.ConfirmedByTenant
}

// Add counts c.
func (t *Tally) Add(c Commitment) {
	t.Made++
	if c.KeptOnTime() {
		t.KeptOnTime++
	}
	if c.KeptLate() {
		t.KeptLate++
	}
	if c.Broken() {
		t.Broken++
	}
	if c.DisputedByTenant() {
		t.Disputed++
	}
	if c.ConfirmedByTenant() {
		t.Confirmed++
	}
}

// ConfirmedPercent is the share of promises made that the tenant confirmed,
// in whole percent; 0 when none were made.
func (t Tally) ConfirmedPercent() int { return Percent(t.Confirmed, t.Made) }

// AcknowledgeMedian is how quickly one function picks up its handoffs.
type AcknowledgeMedian struct {
	FunctionID   string  `json:"function_id"`
	FunctionName string  `json:"function_name"`
	MedianDays   float64 `json:"median_days"` // Median of Commitment.AcknowledgeTime in days, to one decimal
	Count        int     `json:"count"`       // promises picked up
	Waiting      int     `json:"waiting"`     // promises not yet picked up
}

// Satisfaction is one Tenant Satisfaction Measure over a period: the
// percentage of counted answers (Rating.Counted) that are satisfied
// (Rating.Satisfied), as the regulator counts it. Responses goes with it
// everywhere, because a percentage of five answers misleads.
type Satisfaction struct {
	Question  Question `json:"question"`
	Label     string   `json:"label"`
	Satisfied int      `json:"satisfied"`
	Responses int      `json:"responses"`
	Percent   int      `json:"percent"` // Percent(Satisfied, Responses)
}

// Week is the trend's one week, Monday to Sunday, of promises made in it.
type Week struct {
	Start Date `json:"start"` // a Monday
	Tally
}

// Measures is the supervisor's picture of one period and scope.
type Measures struct {
	From         Date                `json:"from"`
	To           Date                `json:"to"`
	LoadedAt     time.Time           `json:"loaded_at"`
	Filter       ReviewFilter        `json:"filter"`
	Tally        Tally               `json:"tally"`
	Acknowledge  []AcknowledgeMedian `json:"acknowledge"` // by function name
	Satisfaction []Satisfaction      `json:"satisfaction"`
	Weeks        []Week              `json:"weeks"` // oldest first
	Options      ReviewOptions       `json:"options"`
}

// Percent returns part of whole in whole percent, rounded half up; 0 when
// whole is 0.
func Percent(part, whole int) int {
	if whole <= 0 {
		return 0
	}
	return (200*part + whole) / (2 * whole)
}

// MedianDays returns the median of ds in days of 24 hours, rounded to one
// decimal; 0 for none. With an even count it is the mean of the middle two.
func MedianDays(ds []time.Duration) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	tenths := (m*10 + 12*time.Hour) / (24 * time.Hour)
	return float64(tenths) / 10
}

// WeekStart returns the Monday on or before d.
func WeekStart(d Date) Date {
	wd := int(d.Time().Weekday()) // Sunday is 0
	return d.AddDays(-((wd + 6) % 7))
}
