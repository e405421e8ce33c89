package replica

import (
	"slices"
	"sort"

	"doorstep/shared/housing"
)

// Day is an officer's day as the phone's home screen lists it.
type Day struct {
	Today   housing.Date
	Visits  []housing.Visit      // started on Today, in the landlord's time; newest first
	Overdue []housing.Commitment // still to do, past their date
	Broken  []housing.Commitment // recorded as not kept in time, still to put right
	DueSoon []housing.Commitment // due within housing.DueSoonDays working days
}

// Day returns the signed-in officer's day on today: the visits held that
// started on it, and their open promises in the home screen's lists
// (housing.Commitment.HomeList). A promise is theirs when they made it, own
// it, or it is for one of their teams: the phone also holds promises of
// other teams at their sites, which are not theirs to keep.
func (r *Replica) Day(today housing.Date) Day {
	d := Day{Today: today}
	r.mu.Lock()
	for _, v := range r.ix().visits {
		if housing.LocalDate(v.StartedAt) == today {
			d.Visits = append(d.Visits, v)
		}
	}
	r.mu.Unlock()
	sort.Slice(d.Visits, func(i, j int) bool { return d.Visits[i].StartedAt.After(d.Visits[j].StartedAt) })
	a, _ := r.Account()
	soon := housing.AddWorkingDays(today, housing.DueSoonDays)
	for _, c := range r.Commitments(CommitmentFilter{DueBy: soon, OpenOnly: true}) {
		mine := c.MadeBy == a.Officer.ID || c.OwnerID == a.Officer.ID || slices.Contains(a.Officer.Functions, c.FunctionID)
		if !mine {
			continue
		}
		switch c.HomeList(today) {
		case housing.QueueOverdue:
			d.Overdue = append(d.Overdue, c)
		case housing.QueueBroken:
			d.Broken = append(d.Broken, c)
		case housing.QueueDueSoon:
			d.DueSoon = append(d.DueSoon, c)
		}
	}
	return d
}
