package sqlite

import (
	"context"
	"fmt"

	"doorstep/shared/housing"
)

// seedStandards stores housing.DefaultStandards, the service standards
// drawn from public rules, as a new landlord's starting point; an admin
// edits them afterwards. Each is validated first, so a bad default fails
// the seed rather than reaching an officer's form.
func seedStandards(ctx context.Context, tx *Tx) error {
	for _, s := range housing.DefaultStandards() {
		if err := s.Validate(); err != nil {
			return fmt.Errorf("default standard %s: %w", s.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO standards (id, function_id, kind, name, unit, soonest, lim, statutory, source)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.ID, s.FunctionID, s.Kind, s.Name, string(s.Unit), s.Soonest, s.Limit, s.Statutory, s.Source); err != nil {
			return fmt.Errorf("seed standard %s: %w", s.ID, err)
		}
	}
	return nil
}
