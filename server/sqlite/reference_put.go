package sqlite

import (
	"context"
	"fmt"
	"slices"

	"doorstep/shared/housing"
)

// Reference is a landlord's reference data as ReferenceService.Put stores
// it. Any list may be empty; records are keyed by ID, and a record not
// named is left as it is.
type Reference struct {
	Sites     []housing.Site
	Functions []housing.Function
	Standards []housing.Standard
	Staff     []Staff
	Tenancies []housing.Tenancy
}

// Staff is a member of staff as Put stores them: the account (ID,
// username, name, role, sites, functions, and whether it is switched off)
// and, for a new account, the hash of its first password from HashPassword.
// An empty PasswordHash makes an account that cannot sign in until an admin
// sets a password (OfficerService.SetPassword). An account already stored
// keeps its password, and its username, which never changes.
type Staff struct {
	housing.Officer
	PasswordHash string
}

// PutCounts says what Put did with the records it was given.
type PutCounts struct {
	Added, Changed, Unchanged int
}

// Put stores ref in one transaction: a record new by ID is added, a stored
// one that differs is changed, and each addition and change is logged, so
// phones already signed in pull it at their next sync. Nothing is deleted.
//
// One bad record refuses the whole put, which then changes nothing:
// CodeInvalid for a bad field, an ID, username or tenancy reference given
// twice, a site or function that neither exists nor is in ref, a changed
// username, or a put that would switch off the last admin able to sign in;
// CodeConflict for a username or tenancy reference another record holds.
// An account switched off loses its sessions at once, as DisableOfficer's
// does. A tenancy moved to another site leaves the phones of the old one
// at their next sync.
func (s *ReferenceService) Put(ctx context.Context, ref Reference) (PutCounts, error) {
	ref, err := cleanReference(ref)
	if err != nil {
		return PutCounts{}, err
	}
	tx, err := s.DB.begin(ctx)
	if err != nil {
		return PutCounts{}, err
	}
	defer tx.Rollback()
	var n PutCounts
	for _, put := range []func(context.Context, *Tx, Reference, *PutCounts) error{
		putSites, putFunctions, putStandards, putStaff, putTenancies,
	} {
		if err := put(ctx, tx, ref, &n); err != nil {
			return PutCounts{}, err
		}
	}
	if err := tx.Commit(); err != nil {
		return PutCounts{}, fmt.Errorf("commit reference data: %w", err)
	}
	return n, nil
}

// cleanReference returns ref with its staff cleaned as CreateOfficer
// cleans a new account, after checking every record on its own and that no
// key is given twice.
func cleanReference(ref Reference) (Reference, error) {
	twice := func(what, key string, seen map[string]bool) error {
		if seen[key] {
			return housing.Errorf(housing.CodeInvalid, "The %s %q is given twice.", what, key)
		}
		seen[key] = true
		return nil
	}
	seen := map[string]bool{}
	for _, st := range ref.Sites {
		if err := st.Validate(); err != nil {
			return ref, err
		}
		if err := twice("site", st.ID, seen); err != nil {
			return ref, err
		}
	}
	seen = map[string]bool{}
	for _, f := range ref.Functions {
		if err := f.Validate(); err != nil {
			return ref, err
		}
		if err := twice("team", f.ID, seen); err != nil {
			return ref, err
		}
	}
	seen = map[string]bool{}
	for _, st := range ref.Standards {
		if err := st.Validate(); err != nil {
			return ref, fmt.Errorf("service standard %s: %w", st.ID, err)
		}
		if err := twice("service standard", st.ID, seen); err != nil {
			return ref, err
		}
	}
	staff := make([]Staff, len(ref.Staff))
	ids, usernames := map[string]bool{}, map[string]bool{}
	for i, st := range ref.Staff {
		st.Officer = cleanOfficer(st.Officer)
		if !housing.ValidID(st.ID) {
			return ref, housing.Errorf(housing.CodeInvalid, "The account %q has no ID, or one that is not a UUID.", st.Username)
		}
		if err := st.Validate(); err != nil {
			return ref, err
		}
		if st.PasswordHash != "" {
			if _, err := decodeHash(st.PasswordHash); err != nil {
				return ref, housing.Errorf(housing.CodeInvalid, "The password of %q is not a hash from HashPassword.", st.Username)
			}
		}
		if err := twice("account ID", st.ID, ids); err != nil {
			return ref, err
		}
		if err := twice("username", st.Username, usernames); err != nil {
			return ref, err
		}
		staff[i] = st
	}
	ref.Staff = staff
	ids, refs := map[string]bool{}, map[string]bool{}
	for _, t := range ref.Tenancies {
		if err := t.Validate(); err != nil {
			return ref, err
		}
		if err := twice("tenancy ID", t.ID, ids); err != nil {
			return ref, err
		}
		if err := twice("tenancy reference", t.Reference, refs); err != nil {
			return ref, err
		}
	}
	return ref, nil
}

// putSites adds and changes ref's sites.
func putSites(ctx context.Context, tx *Tx, ref Reference, n *PutCounts) error {
	stored, err := byID(ref.Sites, func(s housing.Site) string { return s.ID }, func(ids []string) ([]housing.Site, error) {
		return readSites(ctx, tx, siteFilter{IDs: ids})
	})
	if err != nil {
		return err
	}
	for _, st := range ref.Sites {
		old, ok := stored[st.ID]
		switch {
		case !ok:
			_, err = tx.ExecContext(ctx, `INSERT INTO sites (id, name) VALUES (?, ?)`, st.ID, st.Name)
		case old != st:
			_, err = tx.ExecContext(ctx, `UPDATE sites SET name = ? WHERE id = ?`, st.Name, st.ID)
		}
		if err := countPut(ctx, tx, n, ok, old == st, err, housing.RecordSite, st.ID, ""); err != nil {
			return fmt.Errorf("site %s: %w", st.ID, err)
		}
	}
	return nil
}

// putFunctions adds and changes ref's functions.
func putFunctions(ctx context.Context, tx *Tx, ref Reference, n *PutCounts) error {
	stored, err := byID(ref.Functions, func(f housing.Function) string { return f.ID }, func(ids []string) ([]housing.Function, error) {
		return readFunctions(ctx, tx, functionFilter{IDs: ids})
	})
	if err != nil {
		return err
	}
	for _, f := range ref.Functions {
		old, ok := stored[f.ID]
		switch {
		case !ok:
			_, err = tx.ExecContext(ctx, `INSERT INTO functions (id, name) VALUES (?, ?)`, f.ID, f.Name)
		case old != f:
			_, err = tx.ExecContext(ctx, `UPDATE functions SET name = ? WHERE id = ?`, f.Name, f.ID)
		}
		if err := countPut(ctx, tx, n, ok, old == f, err, housing.RecordFunction, f.ID, ""); err != nil {
			return fmt.Errorf("team %s: %w", f.ID, err)
		}
	}
	return nil
}

// putStandards adds and changes ref's service standards.
func putStandards(ctx context.Context, tx *Tx, ref Reference, n *PutCounts) error {
	functions, err := knownIDs(ctx, tx, "functions")
	if err != nil {
		return err
	}
	stored, err := byID(ref.Standards, func(s housing.Standard) string { return s.ID }, func(ids []string) ([]housing.Standard, error) {
		return readStandards(ctx, tx, standardFilter{IDs: ids})
	})
	if err != nil {
		return err
	}
	for _, st := range ref.Standards {
		if !functions[st.FunctionID] {
			return housing.Errorf(housing.CodeInvalid, "The service standard %s belongs to a team, %q, that does not exist.", st.ID, st.FunctionID)
		}
		old, ok := stored[st.ID]
		switch {
		case !ok:
			_, err = tx.ExecContext(ctx, `
				INSERT INTO standards (id, function_id, kind, name, unit, soonest, lim, statutory, source)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				st.ID, st.FunctionID, st.Kind, st.Name, string(st.Unit), st.Soonest, st.Limit, st.Statutory, st.Source)
		case old != st:
			_, err = tx.ExecContext(ctx, `
				UPDATE standards SET function_id = ?, kind = ?, name = ?, unit = ?, soonest = ?, lim = ?, statutory = ?, source = ?
				WHERE id = ?`,
				st.FunctionID, st.Kind, st.Name, string(st.Unit), st.Soonest, st.Limit, st.Statutory, st.Source, st.ID)
		}
		if err := countPut(ctx, tx, n, ok, old == st, err, housing.RecordStandard, st.ID, ""); err != nil {
			return fmt.Errorf("service standard %s: %w", st.ID, err)
		}
	}
	return nil
}

// putStaff adds and changes ref's staff, keeping an admin able to sign in
// if there was one.
func putStaff(ctx context.Context, tx *Tx, ref Reference, n *PutCounts) error {
	if len(ref.Staff) == 0 {
		return nil
	}
	adminsBefore, err := countSignInAdmins(ctx, tx)
	if err != nil {
		return err
	}
	sites, err := knownIDs(ctx, tx, "sites")
	if err != nil {
		return err
	}
	functions, err := knownIDs(ctx, tx, "functions")
	if err != nil {
		return err
	}
	stored, err := byID(ref.Staff, func(s Staff) string { return s.ID }, func(ids []string) ([]Staff, error) {
		os, err := readOfficers(ctx, tx, officerFilter{IDs: ids})
		out := make([]Staff, len(os))
		for i, o := range os {
			out[i].Officer = o
		}
		return out, err
	})
	if err != nil {
		return err
	}
	for _, st := range ref.Staff {
		o := st.Officer
		for _, id := range o.Sites {
			if !sites[id] {
				return housing.Errorf(housing.CodeInvalid, "%s works at a site, %q, that does not exist.", o.Username, id)
			}
		}
		for _, id := range o.Functions {
			if !functions[id] {
				return housing.Errorf(housing.CodeInvalid, "%s works in a team, %q, that does not exist.", o.Username, id)
			}
		}
		old, ok := stored[o.ID]
		same := ok && sameOfficer(old.Officer, o)
		switch {
		case !ok:
			err = insertOfficer(ctx, tx, o, st.PasswordHash)
		case old.Username != o.Username:
			return housing.Errorf(housing.CodeInvalid, "The account %s signs in as %q; a username cannot change, so %q cannot replace it.", o.ID, old.Username, o.Username)
		case !same:
			err = updateOfficer(ctx, tx, old.Officer, o)
		}
		if err := countPut(ctx, tx, n, ok, same, err, housing.RecordOfficer, o.ID, ""); err != nil {
			return err
		}
	}
	adminsAfter, err := countSignInAdmins(ctx, tx)
	if err != nil {
		return err
	}
	if adminsBefore > 0 && adminsAfter == 0 {
		return housing.Errorf(housing.CodeInvalid, "That would switch off the last admin who can sign in; keep one, so someone can always manage accounts.")
	}
	return nil
}

// sameOfficer reports whether a and b hold the same account details.
func sameOfficer(a, b housing.Officer) bool {
	return a.Name == b.Name && a.Role == b.Role && a.Disabled == b.Disabled &&
		slices.Equal(a.Sites, b.Sites) && slices.Equal(a.Functions, b.Functions)
}

// updateOfficer stores o's name, role, scope and switch in place of old's,
// ending every session of an account switched off.
func updateOfficer(ctx context.Context, tx *Tx, old, o housing.Officer) error {
	if _, err := tx.ExecContext(ctx, `UPDATE officers SET name = ?, role = ?, disabled = ? WHERE id = ?`,
		o.Name, string(o.Role), o.Disabled, o.ID); err != nil {
		return mapError(err, "officer")
	}
	if !slices.Equal(old.Sites, o.Sites) || !slices.Equal(old.Functions, o.Functions) {
		for _, table := range []string{"officer_sites", "officer_functions"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE officer_id = ?`, o.ID); err != nil {
				return fmt.Errorf("clear officer's %s: %w", table, err)
			}
		}
		if err := insertOfficerScope(ctx, tx, o); err != nil {
			return err
		}
	}
	if o.Disabled && !old.Disabled {
		if _, err := revokeOfficerSessions(ctx, tx, o.ID); err != nil {
			return err
		}
	}
	return nil
}

// countSignInAdmins counts the admins whose accounts are switched on.
func countSignInAdmins(ctx context.Context, tx *Tx) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM officers WHERE role = 'admin' AND disabled = 0`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count admins: %w", err)
	}
	return n, nil
}

// putTenancies adds and changes ref's tenancies.
func putTenancies(ctx context.Context, tx *Tx, ref Reference, n *PutCounts) error {
	if len(ref.Tenancies) == 0 {
		return nil
	}
	sites, err := knownIDs(ctx, tx, "sites")
	if err != nil {
		return err
	}
	stored, err := byID(ref.Tenancies, func(t housing.Tenancy) string { return t.ID }, func(ids []string) ([]housing.Tenancy, error) {
		return readTenancies(ctx, tx, tenancyFilter{IDs: ids})
	})
	if err != nil {
		return err
	}
	for _, t := range ref.Tenancies {
		if !sites[t.SiteID] {
			return housing.Errorf(housing.CodeInvalid, "Tenancy %s is on a site, %q, that does not exist.", t.Reference, t.SiteID)
		}
		old, ok := stored[t.ID]
		if !ok || old.Reference != t.Reference {
			var holder string
			err := tx.QueryRowContext(ctx, `SELECT id FROM tenancies WHERE reference = ?`, t.Reference).Scan(&holder)
			if err != nil && !errNoRows(err) {
				return fmt.Errorf("check tenancy reference: %w", err)
			}
			if holder != "" && holder != t.ID {
				return housing.Errorf(housing.CodeConflict, "Another tenancy has the reference %s.", t.Reference)
			}
		}
		switch {
		case !ok:
			_, err = tx.ExecContext(ctx, `
				INSERT INTO tenancies (id, reference, household, address, postcode, site_id, start_date, end_date, ended)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				t.ID, t.Reference, t.Household, t.Address, t.Postcode, t.SiteID, t.StartDate, t.EndDate, t.Ended)
		case old != t:
			_, err = tx.ExecContext(ctx, `
				UPDATE tenancies SET reference = ?, household = ?, address = ?, postcode = ?, site_id = ?,
					start_date = ?, end_date = ?, ended = ?
				WHERE id = ?`,
				t.Reference, t.Household, t.Address, t.Postcode, t.SiteID, t.StartDate, t.EndDate, t.Ended, t.ID)
		}
		if err := countPut(ctx, tx, n, ok, old == t, err, housing.RecordTenancy, t.ID, t.SiteID); err != nil {
			return fmt.Errorf("tenancy %s: %w", t.Reference, err)
		}
		// The phones of the site it left hear of it too, and drop it: the
		// log entry reaches them by its site, and the record, now outside
		// their scope, goes to them as removed.
		if ok && old.SiteID != t.SiteID {
			if err := logReferenceChange(ctx, tx, housing.RecordTenancy, t.ID, old.SiteID); err != nil {
				return err
			}
		}
	}
	return nil
}

// countPut finishes putting one record: err is the write's error, stored
// whether the record was there before, and same whether it was unchanged.
// It counts the record and logs any addition or change for phones.
func countPut(ctx context.Context, tx *Tx, n *PutCounts, stored, same bool, err error, kind, id, siteID string) error {
	if err != nil {
		if housing.ErrorCode(err) != housing.CodeInternal {
			return err // refused on its merits
		}
		return mapError(err, kindNoun[kind])
	}
	switch {
	case stored && same:
		n.Unchanged++
		return nil
	case stored:
		n.Changed++
	default:
		n.Added++
	}
	return logReferenceChange(ctx, tx, kind, id, siteID)
}

// byID reads the stored forms of the records in put, by ID, a few hundred
// IDs at a time.
func byID[T any](put []T, id func(T) string, read func(ids []string) ([]T, error)) (map[string]T, error) {
	ids := make([]string, len(put))
	for i, r := range put {
		ids[i] = id(r)
	}
	out := make(map[string]T, len(put))
	for chunk := range chunks(ids, 500) {
		rs, err := read(chunk)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			out[id(r)] = r
		}
	}
	return out, nil
}

// knownIDs returns every ID in table (sites or functions), as a set.
func knownIDs(ctx context.Context, tx *Tx, table string) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM `+table)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", table, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list %s: %w", table, err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// kindNoun is what a person calls a reference record of each kind, for
// errors that name the kind.
var kindNoun = map[string]string{
	housing.RecordSite: "site", housing.RecordFunction: "team", housing.RecordStandard: "service standard",
	housing.RecordOfficer: "account", housing.RecordTenancy: "tenancy",
}
