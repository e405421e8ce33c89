package sqlite

import (
	"context"
	"fmt"
)

// changeRow is one entry of the change log: which record changed, and the
// keys a pull filters on to decide whose devices receive it. The record's
// current form is read when the change is pulled, so a record changed three
// times since a device last pulled is sent once.
type changeRow struct {
	Kind     string // a housing.Record* kind
	RecordID string
	Everyone bool // reference data: every officer receives it

	SiteID         string
	FunctionID     string
	PrevFunctionID string // a reassigned commitment's old function
	MadeBy         string // the maker; for attention, the officer it belongs to
	OwnerID        string
	PrevOwnerID    string // a reassigned commitment's old owner
	DeviceID       string // the device whose mutation caused it; "" for the server
}

// logChange appends c to the change log inside tx and returns its sequence
// number. Every write to a synced record must call it in the same
// transaction, or devices never hear of the write.
func logChange(ctx context.Context, tx *Tx, c changeRow) (int64, error) {
	res, err := tx.ExecContext(ctx, insertChangesSQL(1), c.values(tx)...)
	if err != nil {
		return 0, fmt.Errorf("log change: %w", err)
	}
	return res.LastInsertId()
}

// insertChangesSQL logs n changes in one statement; their sequence numbers
// follow the order of the rows.
func insertChangesSQL(n int) string {
	return `INSERT INTO changes (kind, record_id, everyone, site_id, function_id, prev_function_id,
		made_by, owner_id, prev_owner_id, device_id, at) VALUES ` + placeholders(n, 11)
}

// values are c's values for insertChangesSQL.
func (c changeRow) values(tx *Tx) []any {
	return []any{c.Kind, c.RecordID, c.Everyone, c.SiteID, c.FunctionID, c.PrevFunctionID,
		c.MadeBy, c.OwnerID, c.PrevOwnerID, c.DeviceID, formatTime(tx.now)}
}

// logReferenceChange records that a site, function, officer, standard or
// tenancy was added or changed, so every device in scope pulls its new form.
// Code that edits reference data (ReferenceService.Put, an admin adding a
// user) calls it inside the same transaction; kind is a housing.Record*
// kind. Tenancies are scoped by site; the rest go to everyone.
func logReferenceChange(ctx context.Context, tx *Tx, kind, id, siteID string) error {
	_, err := logChange(ctx, tx, changeRow{Kind: kind, RecordID: id, SiteID: siteID, Everyone: siteID == ""})
	return err
}

// highWater returns the newest sequence number in the change log, 0 when
// it is empty.
func highWater(ctx context.Context, q sqlQuerier) (int64, error) {
	var n int64
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&n); err != nil {
		return 0, fmt.Errorf("read high-water mark: %w", err)
	}
	return n, nil
}
