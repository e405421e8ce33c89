package sqlite

import (
	"context"
	"fmt"

	"doorstep/shared/housing"
)

// standardFilter selects service standards: those with IDs (every one when
// empty), a page at a time for a snapshot (Page), else by function and
// name when not read by ID.
type standardFilter struct {
	IDs  []string
	Page rowPage
}

func readStandards(ctx context.Context, q sqlQuerier, f standardFilter) ([]housing.Standard, error) {
	var w where
	if len(f.IDs) > 0 {
		w.in("id", f.IDs)
	}
	tail := w.page(f.Page, orderUnlessIDs(f.IDs, "function_id, name"))
	rows, err := q.QueryContext(ctx, `
		SELECT id, function_id, kind, name, unit, soonest, lim, statutory, source
		FROM standards WHERE `+w.String()+tail, w.args...)
	if err != nil {
		return nil, fmt.Errorf("read standards: %w", err)
	}
	defer rows.Close()
	var out []housing.Standard
	for rows.Next() {
		var s housing.Standard
		var unit string
		if err := rows.Scan(&s.ID, &s.FunctionID, &s.Kind, &s.Name, &unit, &s.Soonest, &s.Limit, &s.Statutory, &s.Source); err != nil {
			return nil, fmt.Errorf("scan standard: %w", err)
		}
		s.Unit = housing.Unit(unit)
		out = append(out, s)
	}
	return out, rows.Err()
}
