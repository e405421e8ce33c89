package sqlite

import "context"

// seedStandards is replaced once housing.DefaultStandards lands.
func seedStandards(ctx context.Context, tx *Tx) error { return nil }
