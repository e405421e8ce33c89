package sqlite

import (
	"strings"

	"doorstep/shared/housing"
)

// Readers take a small typed filter (tenancyFilter, commitmentFilter...),
// declared beside the SELECT and Scan that use it, and build their WHERE
// clause from its fields with a where. No SQL text is passed into a reader,
// so what a caller may ask for is what the filter's fields say.

// where collects the conditions of one SELECT's WHERE clause, joined with
// AND, and their arguments in order.
type where struct {
	conds []string
	args  []any
}

// and adds cond with its arguments.
func (w *where) and(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// in adds "col IN (...)" for vals; none makes the clause match nothing.
func (w *where) in(col string, vals []string) {
	cond, args := inList(col, vals)
	w.and(cond, args...)
}

// scope adds the condition that selects the rows of a kind's own table
// that p may see (scopeWhere).
func (w *where) scope(p housing.Principal, kind string) {
	cond, args := scopeWhere(p, kind)
	w.and(cond, args...)
}

// String is the clause's conditions, or "1" when there are none.
func (w *where) String() string {
	if len(w.conds) == 0 {
		return "1"
	}
	return strings.Join(w.conds, " AND ")
}

// receivedOn adds the condition that received_at falls on a day from from
// to to, both included, in the landlord's time zone; either may be "".
func (w *where) receivedOn(from, to housing.Date) {
	if from != "" {
		w.and("received_at >= ?", dayStart(from))
	}
	if to != "" {
		w.and("received_at < ?", dayStart(to.AddDays(1)))
	}
}

// dayStart is the instant the day d starts in the landlord's time zone, as
// stored text, so "received on d" is a range over received_at.
func dayStart(d housing.Date) string { return formatTime(housing.LocalMidnight(d)) }

// rowPage is one page of a snapshot: up to Limit rows stored after the row
// After, in the order they were stored (rowid). Every scope index ends in
// the rowid, so a page seeks straight to where the last one stopped (see
// SyncService.snapshot). The zero rowPage is every row.
type rowPage struct {
	After int64
	Limit int
}

// page adds p's condition and returns the query's tail: p's ORDER BY and
// LIMIT, or else ORDER BY orderBy ("" for none). Call it last, after every
// other condition, so the LIMIT's argument comes last.
func (w *where) page(p rowPage, orderBy string) string {
	if p.Limit > 0 {
		w.and("rowid > ?", p.After)
		w.args = append(w.args, p.Limit)
		return " ORDER BY rowid LIMIT ?"
	}
	if orderBy == "" {
		return ""
	}
	return " ORDER BY " + orderBy
}

// orderUnlessIDs is orderBy, or "" when the rows are read by ID (ids): a
// pull or a batch that names its rows needs them in no order, and sorting
// them would cost it a temporary b-tree.
func orderUnlessIDs(ids []string, orderBy string) string {
	if len(ids) > 0 {
		return ""
	}
	return orderBy
}
