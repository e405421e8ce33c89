package sqlite

import (
	"context"
)

// readStandardRecords returns the service standards matching where, for a
// pull. The standards come from housing.DefaultStandards once the calendar
// and standards land; until then none are sent.
func readStandardRecords(ctx context.Context, q sqlQuerier, where string, args ...any) ([]record, error) {
	return nil, nil
}
