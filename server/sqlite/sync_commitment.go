package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"doorstep/shared/housing"
)

// insertCommitment stores a new commitment and its history. tokenHash is ""
// when the promise has no tenant link. The promise is stored before its
// history, here, in updateCommitment and in sync_bulk.go: as each history
// entry is inserted, the events feed's trigger (migration 010) copies the
// promise as it then stands.
func insertCommitment(ctx context.Context, tx *Tx, c housing.Commitment, tokenHash string) error {
	row, err := commitmentRow(tx, c, tokenHash)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, insertCommitmentsSQL(1), row...); err != nil {
		return mapError(err, "promise")
	}
	return insertEvents(ctx, tx, c.ID, 0, c.History)
}

// commitmentColumnsIn are the columns a new commitment is inserted with;
// commitmentRow gives their values in this order.
const commitmentColumnsIn = `id, tenancy_id, visit_id, site_id, household, address, made_by, made_by_name,
	function_id, owner_id, what, standard_id, due_date, due_time, override_reason,
	status, escalated, tenant_agreement, tenant_outcome, acknowledged_at, done_at, closed_at,
	token_hash, version, due_version, owner_version,
	created_by, device_id, happened_at, received_at, updated_at, doc`

// insertCommitmentsSQL inserts n commitments in one statement.
func insertCommitmentsSQL(n int) string {
	return `INSERT INTO commitments (` + commitmentColumnsIn + `) VALUES ` + placeholders(n, 32)
}

// commitmentRow is c's values for commitmentColumnsIn.
func commitmentRow(tx *Tx, c housing.Commitment, tokenHash string) ([]any, error) {
	var hash any
	if tokenHash != "" {
		hash = tokenHash
	}
	doc, err := commitmentDoc(c)
	if err != nil {
		return nil, err
	}
	return []any{c.ID, c.TenancyID, c.VisitID, c.SiteID, c.Household, c.Address, c.MadeBy, c.MadeByName,
		c.FunctionID, c.OwnerID, c.What, c.StandardID, string(c.DueDate), c.DueTime, c.OverrideReason,
		string(c.Status), c.Escalated, c.TenantAgreement, c.TenantOutcome,
		formatTime(c.AcknowledgedAt), formatTime(c.DoneAt), formatTime(c.ClosedAt),
		hash, c.Version, c.DueVersion, c.OwnerVersion,
		c.CreatedBy, c.DeviceID, formatTime(c.HappenedAt), formatTime(c.ReceivedAt), formatTime(tx.now), doc}, nil
}

// placeholders is "(?, ?), (?, ?)" for rows rows of cols values.
func placeholders(rows, cols int) string {
	row := "(" + strings.Repeat("?, ", cols-1) + "?)"
	return strings.Repeat(row+", ", rows-1) + row
}

// commitmentDoc is c as a pull sends it: with its history, never its token.
func commitmentDoc(c housing.Commitment) ([]byte, error) {
	c.Token = ""
	doc, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode promise: %w", err)
	}
	return doc, nil
}

// updateCommitment stores the fields the state machine may change, the
// history entries after the first stored ones, and the pulled form. c must
// carry its whole history.
func updateCommitment(ctx context.Context, tx *Tx, c housing.Commitment, stored int) error {
	doc, err := commitmentDoc(c)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `
		UPDATE commitments SET function_id = ?, owner_id = ?, due_date = ?, due_time = ?,
			status = ?, escalated = ?, tenant_agreement = ?, tenant_outcome = ?,
			acknowledged_at = ?, done_at = ?, closed_at = ?,
			version = ?, due_version = ?, owner_version = ?, updated_at = ?, doc = ?
		WHERE id = ?`,
		c.FunctionID, c.OwnerID, string(c.DueDate), c.DueTime,
		string(c.Status), c.Escalated, c.TenantAgreement, c.TenantOutcome,
		formatTime(c.AcknowledgedAt), formatTime(c.DoneAt), formatTime(c.ClosedAt),
		c.Version, c.DueVersion, c.OwnerVersion, formatTime(tx.now), doc, c.ID)
	if err != nil {
		return mapError(err, "promise")
	}
	return insertEvents(ctx, tx, c.ID, stored, c.History[stored:])
}

func insertEvents(ctx context.Context, tx *Tx, id string, stored int, events []housing.Event) error {
	for i, e := range events {
		if _, err := tx.ExecContext(ctx, insertEventsSQL(1), eventRow(id, stored+i+1, e)...); err != nil {
			return mapError(err, "promise history")
		}
	}
	return nil
}

// insertEventsSQL inserts n history events in one statement.
func insertEventsSQL(n int) string {
	return `INSERT INTO commitment_events (commitment_id, n, kind, at, by, by_name, from_value, to_value, note) VALUES ` + placeholders(n, 9)
}

// eventRow is e's values for insertEventsSQL, as the nth event of id.
func eventRow(id string, n int, e housing.Event) []any {
	return []any{id, n, e.Kind, formatTime(e.At), e.By, e.ByName, e.From, e.To, e.Note}
}

// commitmentColumns are read by scanCommitment, in this order.
const commitmentColumns = `id, tenancy_id, visit_id, site_id, household, address, made_by, made_by_name,
	function_id, owner_id, what, standard_id, due_date, due_time, override_reason,
	status, escalated, tenant_agreement, tenant_outcome, acknowledged_at, done_at, closed_at,
	version, due_version, owner_version, created_by, device_id, happened_at, received_at`

// commitmentFilter selects commitments: those matching every field set.
// The zero filter selects every commitment, in no particular order.
type commitmentFilter struct {
	IDs       []string
	TokenHash string // the hash of the tenant link token
	TenancyID string
	// Scope keeps to the commitments p may see (the sync scope).
	Scope *housing.Principal

	// The narrowing a supervisor chooses (housing.ReviewFilter): on one of
	// Sites, owned by one of Functions, made or owned by OfficerID, in
	// Status.
	Sites     []string
	Functions []string
	OfficerID string
	Status    housing.Status
	// Live keeps to the promises still to be delivered or disputed by the
	// tenant: every review queue's candidates. Closed, settled promises
	// are never read for them.
	Live bool
	// DueFrom and DueTo bound the due date, both included.
	DueFrom, DueTo housing.Date
	// ReceivedFrom and ReceivedTo bound the day the server received it, in
	// the landlord's time zone, both included.
	ReceivedFrom, ReceivedTo housing.Date

	Page  rowPage // a snapshot's page, in the order stored
	Order commitmentOrder
}

// commitmentOrder is the order commitments are read in, when not a page.
type commitmentOrder int

const (
	anyOrder    commitmentOrder = iota
	storedOrder                 // as stored: the order they reached the server
	dueOrder                    // soonest due first, then by ID
)

// where is f's condition on the commitments table, with the query's tail
// (its ORDER BY and LIMIT). The columns are unqualified.
func (f commitmentFilter) where() (where, string) {
	var w where
	if len(f.IDs) > 0 {
		w.in("id", f.IDs)
	}
	if f.TokenHash != "" {
		w.and("token_hash = ?", f.TokenHash)
	}
	if f.TenancyID != "" {
		w.and("tenancy_id = ?", f.TenancyID)
	}
	if f.Scope != nil {
		w.scope(*f.Scope, housing.RecordCommitment)
	}
	if len(f.Sites) > 0 {
		w.in("site_id", f.Sites)
	}
	if len(f.Functions) > 0 {
		w.in("function_id", f.Functions)
	}
	if f.OfficerID != "" {
		w.and("(made_by = ? OR owner_id = ?)", f.OfficerID, f.OfficerID)
	}
	if f.Status != "" {
		w.and("status = ?", string(f.Status))
	}
	if f.Live {
		w.and("(status IN ('open', 'acknowledged', 'broken', 'disputed') OR tenant_agreement = 'not_agreed')")
	}
	if f.DueFrom != "" {
		w.and("due_date >= ?", string(f.DueFrom))
	}
	if f.DueTo != "" {
		w.and("due_date <= ?", string(f.DueTo))
	}
	w.receivedOn(f.ReceivedFrom, f.ReceivedTo)
	order := ""
	switch f.Order {
	case storedOrder:
		order = "rowid"
	case dueOrder:
		order = "due_date, id"
	}
	return w, w.page(f.Page, order)
}

// readCommitments returns the commitments f selects, each with its
// history. The token is never read back: only its hash is stored.
func readCommitments(ctx context.Context, q sqlQuerier, f commitmentFilter) ([]housing.Commitment, error) {
	w, tail := f.where()
	rows, err := q.QueryContext(ctx, `SELECT `+commitmentColumns+` FROM commitments WHERE `+w.String()+tail, w.args...)
	if err != nil {
		return nil, fmt.Errorf("read promises: %w", err)
	}
	defer rows.Close()
	var out []housing.Commitment
	for rows.Next() {
		c, err := scanCommitment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read promises: %w", err)
	}
	if err := readHistories(ctx, q, out); err != nil {
		return nil, err
	}
	return out, nil
}

// anyCommitment reports whether f selects any commitment.
func anyCommitment(ctx context.Context, q sqlQuerier, f commitmentFilter) (bool, error) {
	w, _ := f.where()
	var found bool
	if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM commitments WHERE `+w.String()+`)`, w.args...).Scan(&found); err != nil {
		return false, fmt.Errorf("look for promises: %w", err)
	}
	return found, nil
}

func scanCommitment(rows *sql.Rows) (housing.Commitment, error) {
	var c housing.Commitment
	var due, status, acked, done, closed, happened, received string
	err := rows.Scan(&c.ID, &c.TenancyID, &c.VisitID, &c.SiteID, &c.Household, &c.Address, &c.MadeBy, &c.MadeByName,
		&c.FunctionID, &c.OwnerID, &c.What, &c.StandardID, &due, &c.DueTime, &c.OverrideReason,
		&status, &c.Escalated, &c.TenantAgreement, &c.TenantOutcome, &acked, &done, &closed,
		&c.Version, &c.DueVersion, &c.OwnerVersion, &c.CreatedBy, &c.DeviceID, &happened, &received)
	if err != nil {
		return c, fmt.Errorf("scan promise: %w", err)
	}
	c.DueDate, c.Status = housing.Date(due), housing.Status(status)
	c.AcknowledgedAt, c.DoneAt, c.ClosedAt = parseTime(acked), parseTime(done), parseTime(closed)
	c.HappenedAt, c.ReceivedAt = parseTime(happened), parseTime(received)
	return c, nil
}

// readHistories fills in the history of each commitment in cs.
func readHistories(ctx context.Context, q sqlQuerier, cs []housing.Commitment) error {
	if len(cs) == 0 {
		return nil
	}
	at := make(map[string]int, len(cs))
	ids := make([]string, len(cs))
	for i, c := range cs {
		at[c.ID], ids[i] = i, c.ID
	}
	var w where
	w.in("commitment_id", ids)
	rows, err := q.QueryContext(ctx, `
		SELECT commitment_id, kind, at, by, by_name, from_value, to_value, note
		FROM commitment_events WHERE `+w.String()+` ORDER BY commitment_id, n`, w.args...)
	if err != nil {
		return fmt.Errorf("read promise history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, when string
		var e housing.Event
		if err := rows.Scan(&id, &e.Kind, &when, &e.By, &e.ByName, &e.From, &e.To, &e.Note); err != nil {
			return fmt.Errorf("scan promise history: %w", err)
		}
		e.At = parseTime(when)
		i := at[id]
		cs[i].History = append(cs[i].History, e)
	}
	return rows.Err()
}

// findCommitment returns one commitment with its history, or CodeNotFound.
func findCommitment(ctx context.Context, tx *Tx, id string) (housing.Commitment, error) {
	cs, err := readCommitments(ctx, tx, commitmentFilter{IDs: []string{id}})
	if err != nil {
		return housing.Commitment{}, err
	}
	if len(cs) == 0 {
		return housing.Commitment{}, housing.Errorf(housing.CodeNotFound, "That promise was not found.")
	}
	return cs[0], nil
}

// errNoRows reports whether err is sql.ErrNoRows.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
