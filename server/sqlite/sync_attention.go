package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"doorstep/shared/housing"
)

// insertAttention stores a refused (or conflicting) mutation and logs it for
// the officer's devices. Data that is not valid JSON is left out, since it
// is carried as raw JSON.
func insertAttention(ctx context.Context, tx *Tx, a housing.Attention) error {
	data := ""
	if len(a.Data) > 0 && json.Valid(a.Data) {
		data = string(a.Data)
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO attention (id, device_id, seq, officer_id, kind, record_id, code, reason, data, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.DeviceID, a.Seq, a.OfficerID, a.Kind, a.RecordID, a.Code, a.Reason, data, formatTime(a.ReceivedAt))
	if err != nil {
		return mapError(err, "attention item")
	}
	_, err = logChange(ctx, tx, changeRow{Kind: housing.RecordAttention, RecordID: a.ID, MadeBy: a.OfficerID, DeviceID: a.DeviceID})
	return err
}

// attentionFilter selects attention items: those with IDs and in Scope's
// sync scope (p's own items), as far as each is set; a page at a time for a
// snapshot (Page).
type attentionFilter struct {
	IDs   []string
	Scope *housing.Principal
	Page  rowPage
}

// readAttention returns the attention items f selects.
func readAttention(ctx context.Context, q sqlQuerier, f attentionFilter) ([]housing.Attention, error) {
	var w where
	if len(f.IDs) > 0 {
		w.in("id", f.IDs)
	}
	if f.Scope != nil {
		w.scope(*f.Scope, housing.RecordAttention)
	}
	tail := w.page(f.Page, "")
	rows, err := q.QueryContext(ctx, `
		SELECT id, device_id, seq, officer_id, kind, record_id, code, reason, data, received_at
		FROM attention WHERE `+w.String()+tail, w.args...)
	if err != nil {
		return nil, fmt.Errorf("read attention: %w", err)
	}
	defer rows.Close()
	var out []housing.Attention
	for rows.Next() {
		var a housing.Attention
		var data, received string
		if err := rows.Scan(&a.ID, &a.DeviceID, &a.Seq, &a.OfficerID, &a.Kind, &a.RecordID, &a.Code, &a.Reason, &data, &received); err != nil {
			return nil, fmt.Errorf("scan attention: %w", err)
		}
		if data != "" {
			a.Data = json.RawMessage(data)
		}
		a.ReceivedAt = parseTime(received)
		out = append(out, a)
	}
	return out, rows.Err()
}
