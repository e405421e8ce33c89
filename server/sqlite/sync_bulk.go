package sqlite

import (
	"context"
	"fmt"

	"doorstep/shared/housing"
)

// A day's outbox is mostly new promises, one after another. Applied one by
// one, each costs a savepoint, a lookup and three inserts, every statement a
// round trip through cgo; here a run of them is checked first and then
// written with one insert per table for many rows. Only a run that would be
// applied whole goes this way: if any promise in it would be refused or
// counted a duplicate, or the database refuses the rows, nothing is written
// and the run is applied one by one as before, so every refusal keeps its
// reason, its attention item and its place.

// bulkRows is how many rows go in one insert: 100 promises of 32 values
// stay far below SQLite's limit on parameters.
const bulkRows = 100

// newPromisesAhead is how many of ms, from the first, make new promises.
func newPromisesAhead(ms []housing.Mutation) int {
	n := 0
	for n < len(ms) && ms[n].Kind == housing.KindCommitmentMake {
		n++
	}
	return n
}

// makeCommitments applies a run of commitment.make mutations together. ok
// is false, with nothing written, when the run must be applied one by one;
// an error is a failure of the database, not of the run.
func (a *applier) makeCommitments(ctx context.Context, ms []housing.Mutation) (results []housing.Result, ok bool, err error) {
	made := make([]housing.Commitment, 0, len(ms))
	ids := make([]string, 0, len(ms))
	seen := make(map[string]bool, len(ms))
	for _, m := range ms {
		if len(m.Data) > housing.MaxMutationBytes || len(m.RecordID) > maxRecordID {
			return nil, false, nil
		}
		c, err := recordOf[housing.Commitment](a, m)
		if err != nil || c.ID != m.RecordID || c.MadeBy != a.p.OfficerID || seen[c.ID] {
			return nil, false, nil
		}
		seen[c.ID] = true
		made, ids = append(made, c), append(ids, c.ID)
	}
	for chunk := range chunks(ids, 500) {
		in, args := inList("id", chunk)
		var n int
		// Any record already holding one of the IDs, of whatever kind,
		// sends the run one by one, where each gets its own answer.
		if err := a.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM record_ids WHERE `+in, args...).Scan(&n); err != nil {
			return nil, false, fmt.Errorf("look for record IDs already in use: %w", err)
		}
		if n > 0 {
			return nil, false, nil
		}
	}
	for i, c := range made {
		t, err := a.findTenancy(ctx, c.TenancyID)
		c.SiteID, c.Household, c.Address = t.SiteID, t.Household, t.Address
		c.MadeByName = a.p.Name
		c.Meta = a.meta(ms[i].HappenedAt)
		if err == nil {
			err = a.checkPromise(ctx, c)
		}
		switch housing.ErrorCode(err) {
		case "":
		case housing.CodeInternal:
			return nil, false, err
		default:
			return nil, false, nil // refused on its merits: one by one says why
		}
		made[i] = c
	}

	if _, err := a.tx.ExecContext(ctx, `SAVEPOINT promises`); err != nil {
		return nil, false, fmt.Errorf("savepoint: %w", err)
	}
	refused, err := a.insertOpened(ctx, made)
	if refused || err != nil {
		if _, rerr := a.tx.ExecContext(ctx, `ROLLBACK TO promises`); rerr != nil {
			return nil, false, fmt.Errorf("roll back to savepoint: %w", rerr)
		}
	}
	if _, rerr := a.tx.ExecContext(ctx, `RELEASE promises`); rerr != nil {
		return nil, false, fmt.Errorf("release savepoint: %w", rerr)
	}
	if refused || err != nil {
		return nil, false, err
	}
	results = make([]housing.Result, len(ms))
	for i, m := range ms {
		results[i] = housing.Result{Seq: m.Seq, Status: housing.ResultApplied, Version: 1}
	}
	return results, true, nil
}

// insertOpened stores new promises, their first history events and their
// change log entries, many rows to a statement. refused reports a row the
// database would not take (a tenant link token already in use, say).
func (a *applier) insertOpened(ctx context.Context, made []housing.Commitment) (refused bool, err error) {
	for len(made) > 0 {
		part := made[:min(len(made), bulkRows)]
		made = made[len(part):]
		var promises, events, changes []any
		for _, c := range part {
			c, hash := a.opened(c)
			row, err := commitmentRow(a.tx, c, hash)
			if err != nil {
				return false, err
			}
			promises = append(promises, row...)
			events = append(events, eventRow(c.ID, 1, c.History[0])...)
			changes = append(changes, a.madeChange(c, a.device).values(a.tx)...)
		}
		for _, stmt := range []struct {
			sql  string
			args []any
		}{
			{insertCommitmentsSQL(len(part)), promises},
			{insertEventsSQL(len(part)), events},
			{insertChangesSQL(len(part)), changes},
		} {
			if _, err := a.tx.ExecContext(ctx, stmt.sql, stmt.args...); err != nil {
				if housing.ErrorCode(mapError(err, "promise")) != housing.CodeInternal {
					return true, nil
				}
				return false, err
			}
		}
	}
	return false, nil
}
