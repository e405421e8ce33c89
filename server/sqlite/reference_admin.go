package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"doorstep/shared/housing"
)

// ReferenceAdminService implements housing.ReferenceAdminService over a
// DB: an admin's changes to the landlord's sites, teams and service
// standards, one record at a time. Each change is logged for phones in the
// same transaction, as ReferenceService.Put logs a bulk load, and each
// change to a standard is audited in standard_audit in that transaction
// too. Every method that changes something refuses anyone but an admin
// (CodeForbidden), whatever the API in front of it checked.
type ReferenceAdminService struct {
	DB *DB
}

var _ housing.ReferenceAdminService = (*ReferenceAdminService)(nil)

// PutSite adds the site s.ID, or renames it. A name that is already the
// site's changes nothing and logs nothing.
func (s *ReferenceAdminService) PutSite(ctx context.Context, by housing.Principal, st housing.Site) (housing.Site, error) {
	if err := requireAdmin(by); err != nil {
		return housing.Site{}, err
	}
	st.Name = strings.TrimSpace(st.Name)
	if err := st.Validate(); err != nil {
		return housing.Site{}, err
	}
	err := s.put(ctx, Reference{Sites: []housing.Site{st}}, putSites)
	return st, err
}

// PutFunction adds the team f.ID, or renames it. A name that is already
// the team's changes nothing and logs nothing. A new team with one of the
// six known IDs comes with its default standards (addDefaultStandards), as
// an imported one does.
func (s *ReferenceAdminService) PutFunction(ctx context.Context, by housing.Principal, f housing.Function) (housing.Function, error) {
	if err := requireAdmin(by); err != nil {
		return housing.Function{}, err
	}
	f.Name = strings.TrimSpace(f.Name)
	if err := f.Validate(); err != nil {
		return housing.Function{}, err
	}
	tx, err := s.DB.begin(ctx)
	if err != nil {
		return housing.Function{}, err
	}
	defer tx.Rollback()
	var n PutCounts
	if err := putFunctions(ctx, tx, Reference{Functions: []housing.Function{f}}, &n); err != nil {
		return housing.Function{}, err
	}
	if n.Added > 0 {
		if err := addDefaultStandards(ctx, tx, f.ID); err != nil {
			return housing.Function{}, err
		}
	}
	if err := tx.Commit(); err != nil {
		return housing.Function{}, fmt.Errorf("commit team: %w", err)
	}
	return f, nil
}

// put runs one of ReferenceService.Put's steps in a transaction of its
// own, so an admin's single change is stored and logged as a bulk load's
// would be.
func (s *ReferenceAdminService) put(ctx context.Context, ref Reference, step func(context.Context, *Tx, Reference, *PutCounts) error) error {
	tx, err := s.DB.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := step(ctx, tx, ref, &PutCounts{}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit reference change: %w", err)
	}
	return nil
}

// SetStandard adds the standard c.Standard.ID or changes it, checked by
// housing.CheckStandardChange against the one stored, and keeps the
// change, with who made it and why, in standard_audit: the audit row, the
// standard and the change log entry that sends it to phones are written in
// one transaction.
//
// A standard keeps its team and its kind of promise: promises already made
// name it, so moving it would move them (CodeInvalid, field function_id or
// kind); add another instead. A new standard may not take a kind its team
// already has. The reason is required (housing.StandardChange.Validate).
//
// A change that leaves the standard as it is stored changes nothing: it is
// neither audited nor sent to phones, and the stored standard is returned,
// so that sending the same change twice is harmless. The reason is checked
// all the same.
func (s *ReferenceAdminService) SetStandard(ctx context.Context, by housing.Principal, c housing.StandardChange) (housing.Standard, error) {
	if err := requireAdmin(by); err != nil {
		return housing.Standard{}, err
	}
	st, reason := cleanStandard(c.Standard), strings.TrimSpace(c.Reason)
	if err := (housing.StandardChange{Standard: st, Reason: reason}).Validate(); err != nil {
		return housing.Standard{}, err
	}

	tx, err := s.DB.begin(ctx)
	if err != nil {
		return housing.Standard{}, err
	}
	defer tx.Rollback()
	before, err := standardBefore(ctx, tx, st)
	if err != nil {
		return housing.Standard{}, err
	}
	if err := housing.CheckStandardChange(before, st); err != nil {
		return housing.Standard{}, err
	}
	if before != nil && *before == st {
		return st, nil
	}
	if err := putStandards(ctx, tx, Reference{Standards: []housing.Standard{st}}, &PutCounts{}); err != nil {
		return housing.Standard{}, err
	}
	if err := insertStandardAudit(ctx, tx, housing.StandardAudit{
		StandardID: st.ID, At: tx.now, By: by.OfficerID, ByName: by.Name, Before: before, After: st, Reason: reason,
	}); err != nil {
		return housing.Standard{}, err
	}
	if err := tx.Commit(); err != nil {
		return housing.Standard{}, fmt.Errorf("commit standard change: %w", err)
	}
	return st, nil
}

// requireAdmin refuses anyone but an admin.
func requireAdmin(by housing.Principal) error {
	if by.Role != housing.RoleAdmin || by.OfficerID == "" {
		return housing.Errorf(housing.CodeForbidden, "Only admins can change sites, teams and service standards.")
	}
	return nil
}

// cleanStandard trims what an admin typed, so validation judges what will
// be stored.
func cleanStandard(st housing.Standard) housing.Standard {
	st.ID = strings.TrimSpace(st.ID)
	st.FunctionID = strings.TrimSpace(st.FunctionID)
	st.Kind = strings.TrimSpace(st.Kind)
	st.Name = strings.TrimSpace(st.Name)
	st.Source = strings.TrimSpace(st.Source)
	return st
}

// standardBefore returns the stored form of st (nil when st is new), after
// checking that st keeps its team and kind, or, new, belongs to a team
// that exists and takes a kind that team does not have yet.
func standardBefore(ctx context.Context, tx *Tx, st housing.Standard) (*housing.Standard, error) {
	stored, err := readStandards(ctx, tx, standardFilter{IDs: []string{st.ID}})
	if err != nil {
		return nil, err
	}
	if len(stored) == 1 {
		before := stored[0]
		switch {
		case before.FunctionID != st.FunctionID:
			return nil, housing.Invalid(housing.FieldFunction, "%s belongs to the team %q; a standard cannot move to another team, since promises already made name it. Add a standard to %q instead.", before.Name, before.FunctionID, st.FunctionID)
		case before.Kind != st.Kind:
			return nil, housing.Invalid(housing.FieldKind, "%s is the kind of promise %q; its kind cannot change, since promises already made name it. Add another standard instead.", before.Name, before.Kind)
		}
		return &before, nil
	}
	functions, err := knownIDs(ctx, tx, "functions")
	if err != nil {
		return nil, err
	}
	if !functions[st.FunctionID] {
		return nil, housing.Invalid(housing.FieldFunction, "There is no team %q; add it under Sites and teams first.", st.FunctionID)
	}
	var taken string
	err = tx.QueryRowContext(ctx, `SELECT id FROM standards WHERE function_id = ? AND kind = ?`, st.FunctionID, st.Kind).Scan(&taken)
	switch {
	case err == nil:
		return nil, housing.Invalid(housing.FieldKind, "The team %q already has a standard for the kind of promise %q (%s); change that one instead.", st.FunctionID, st.Kind, taken)
	case !errNoRows(err):
		return nil, fmt.Errorf("check standard kind: %w", err)
	}
	return nil, nil
}

// insertStandardAudit keeps one change to a standard.
func insertStandardAudit(ctx context.Context, tx *Tx, a housing.StandardAudit) error {
	after, err := json.Marshal(a.After)
	if err != nil {
		return fmt.Errorf("encode standard: %w", err)
	}
	var before []byte
	if a.Before != nil {
		if before, err = json.Marshal(a.Before); err != nil {
			return fmt.Errorf("encode standard: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO standard_audit (standard_id, at, by, by_name, before, after, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.StandardID, formatTime(a.At), a.By, a.ByName, string(before), string(after), a.Reason); err != nil {
		return fmt.Errorf("audit standard change: %w", err)
	}
	return nil
}

// StandardHistory lists the changes to standard id, or to every standard
// when id is "", newest first. An ID no change was made to has none.
func (s *ReferenceAdminService) StandardHistory(ctx context.Context, id string) ([]housing.StandardAudit, error) {
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return readStandardAudit(ctx, tx, id)
}

// readStandardAudit reads the changes to standard id, or to all when id is
// "", newest first.
func readStandardAudit(ctx context.Context, q sqlQuerier, id string) ([]housing.StandardAudit, error) {
	var w where
	if id != "" {
		w.and("standard_id = ?", id)
	}
	rows, err := q.QueryContext(ctx, `
		SELECT standard_id, at, by, by_name, before, after, reason
		FROM standard_audit WHERE `+w.String()+` ORDER BY n DESC`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("read standard audit: %w", err)
	}
	defer rows.Close()
	out := []housing.StandardAudit{}
	for rows.Next() {
		var a housing.StandardAudit
		var at, before, after string
		if err := rows.Scan(&a.StandardID, &at, &a.By, &a.ByName, &before, &after, &a.Reason); err != nil {
			return nil, fmt.Errorf("scan standard audit: %w", err)
		}
		a.At = parseTime(at)
		if before != "" {
			a.Before = &housing.Standard{}
			if err := json.Unmarshal([]byte(before), a.Before); err != nil {
				return nil, fmt.Errorf("decode standard audit: %w", err)
			}
		}
		if err := json.Unmarshal([]byte(after), &a.After); err != nil {
			return nil, fmt.Errorf("decode standard audit: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Sites returns every site, by name.
func (s *ReferenceAdminService) Sites(ctx context.Context) ([]housing.Site, error) {
	return (&ReferenceService{DB: s.DB}).Sites(ctx)
}

// Functions returns every team, by name.
func (s *ReferenceAdminService) Functions(ctx context.Context) ([]housing.Function, error) {
	return (&ReferenceService{DB: s.DB}).Functions(ctx)
}

// Standards returns every service standard, by team and name.
func (s *ReferenceAdminService) Standards(ctx context.Context) ([]housing.Standard, error) {
	return (&ReferenceService{DB: s.DB}).Standards(ctx)
}
