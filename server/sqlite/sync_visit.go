package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"doorstep/shared/housing"
)

// sqlQuerier is what both *sql.DB and *Tx offer, so a reader runs inside a
// transaction or on its own: a service method reads inside its
// transaction, a pull outside any (see SyncService.pull).
type sqlQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func insertVisit(ctx context.Context, tx *Tx, v housing.Visit) error {
	doc, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode visit: %w", err)
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO visits (id, tenancy_id, officer_id, site_id, purpose, notes, started_at, ended_at,
			created_by, device_id, happened_at, received_at, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.ID, v.TenancyID, v.OfficerID, v.SiteID, string(v.Purpose), v.Notes,
		formatTime(v.StartedAt), formatTime(v.EndedAt),
		v.CreatedBy, v.DeviceID, formatTime(v.HappenedAt), formatTime(v.ReceivedAt), doc)
	if err != nil {
		return mapError(err, "visit")
	}
	return nil
}

// visitFilter selects visits: those with IDs, at TenancyID and in Scope's
// sync scope, as far as each is set, in the order stored.
type visitFilter struct {
	IDs       []string
	TenancyID string
	Scope     *housing.Principal
}

// readVisits returns the visits f selects.
func readVisits(ctx context.Context, q sqlQuerier, f visitFilter) ([]housing.Visit, error) {
	var w where
	if len(f.IDs) > 0 {
		w.in("id", f.IDs)
	}
	if f.TenancyID != "" {
		w.and("tenancy_id = ?", f.TenancyID)
	}
	if f.Scope != nil {
		w.scope(*f.Scope, housing.RecordVisit)
	}
	tail := w.page(rowPage{}, orderUnlessIDs(f.IDs, "rowid"))
	rows, err := q.QueryContext(ctx, `
		SELECT id, tenancy_id, officer_id, site_id, purpose, notes, started_at, ended_at,
			created_by, device_id, happened_at, received_at
		FROM visits WHERE `+w.String()+tail, w.args...)
	if err != nil {
		return nil, fmt.Errorf("read visits: %w", err)
	}
	defer rows.Close()
	var out []housing.Visit
	for rows.Next() {
		var v housing.Visit
		var purpose, started, ended, happened, received string
		if err := rows.Scan(&v.ID, &v.TenancyID, &v.OfficerID, &v.SiteID, &purpose, &v.Notes, &started, &ended,
			&v.CreatedBy, &v.DeviceID, &happened, &received); err != nil {
			return nil, fmt.Errorf("scan visit: %w", err)
		}
		v.Purpose = housing.Purpose(purpose)
		v.StartedAt, v.EndedAt = parseTime(started), parseTime(ended)
		v.HappenedAt, v.ReceivedAt = parseTime(happened), parseTime(received)
		out = append(out, v)
	}
	return out, rows.Err()
}
