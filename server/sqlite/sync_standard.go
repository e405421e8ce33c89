package sqlite

import (
	"context"
	"fmt"

	"doorstep/shared/housing"
)

// readStandards returns the service standards matching where (see
// sqlQuerier).
func readStandards(ctx context.Context, q sqlQuerier, where string, args ...any) ([]housing.Standard, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT id, function_id, kind, name, unit, soonest, lim, statutory, source
		FROM standards WHERE `+where, args...)
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
