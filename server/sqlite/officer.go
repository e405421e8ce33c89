package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"doorstep/shared/housing"
)

// OfficerService implements housing.OfficerService over a DB: staff
// accounts (officers, supervisors and admins), their sites and functions,
// and their passwords. The API's admin routes and the `doorstep user`
// command call it; a landlord's staff list is loaded in bulk through
// ReferenceService.Put.
type OfficerService struct {
	DB *DB
}

var _ housing.OfficerService = (*OfficerService)(nil)

// CreateOfficer adds a member of staff with a new UUIDv7 ID. The username
// is stored normalized (housing.NormalizeUsername); the password only as an
// argon2id hash. Devices already signed in hear of the new officer at their
// next sync.
func (s *OfficerService) CreateOfficer(ctx context.Context, in housing.NewOfficer) (housing.Officer, error) {
	in = cleanNewOfficer(in)
	if err := in.Validate(); err != nil {
		return housing.Officer{}, err
	}
	// Hash before the transaction: it is the slow part and needs no lock.
	hash, err := hashNewPassword(in.Username, in.Password)
	if err != nil {
		return housing.Officer{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return housing.Officer{}, fmt.Errorf("officer id: %w", err)
	}
	tx, err := s.DB.begin(ctx)
	if err != nil {
		return housing.Officer{}, err
	}
	defer tx.Rollback()
	o := housing.Officer{ID: id.String(), Username: in.Username, Name: in.Name, Role: in.Role, Sites: in.Sites, Functions: in.Functions, Email: in.Email}
	if err := insertOfficer(ctx, tx, o, hash); err != nil {
		return housing.Officer{}, err
	}
	if err := logReferenceChange(ctx, tx, housing.RecordOfficer, o.ID, ""); err != nil {
		return housing.Officer{}, err
	}
	o, err = findOfficer(ctx, tx, o.ID)
	if err != nil {
		return housing.Officer{}, err
	}
	if err := tx.Commit(); err != nil {
		return housing.Officer{}, fmt.Errorf("commit new officer: %w", err)
	}
	return o, nil
}

// cleanNewOfficer trims what a person typed and drops repeated sites and
// functions, so validation judges what will be stored.
func cleanNewOfficer(in housing.NewOfficer) housing.NewOfficer {
	in.Username = housing.NormalizeUsername(in.Username)
	in.Name = strings.TrimSpace(in.Name)
	in.Role = housing.Role(strings.ToLower(strings.TrimSpace(string(in.Role))))
	in.Sites = cleanIDs(in.Sites)
	in.Functions = cleanIDs(in.Functions)
	in.Email = strings.TrimSpace(in.Email)
	return in
}

// cleanOfficer is cleanNewOfficer for an account given whole (an import).
func cleanOfficer(o housing.Officer) housing.Officer {
	n := cleanNewOfficer(housing.NewOfficer{Username: o.Username, Name: o.Name, Role: o.Role, Sites: o.Sites, Functions: o.Functions})
	o.Username, o.Name, o.Role, o.Sites, o.Functions = n.Username, n.Name, n.Role, n.Sites, n.Functions
	return o
}

func cleanIDs(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id = strings.ToLower(strings.TrimSpace(id)); id != "" {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// insertOfficer stores o, a validated, cleaned new account, with a
// password hash ("" for none yet). Unknown sites and functions are refused
// by name, with the choices, and a username already taken as CodeConflict.
func insertOfficer(ctx context.Context, tx *Tx, o housing.Officer, hash string) error {
	if err := checkKnown(ctx, tx, "sites", "site", o.Sites); err != nil {
		return err
	}
	if err := checkKnown(ctx, tx, "functions", "team", o.Functions); err != nil {
		return err
	}
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM officers WHERE username = ?`, o.Username).Scan(&taken); err != nil {
		return fmt.Errorf("check username: %w", err)
	}
	if taken > 0 {
		return housing.Errorf(housing.CodeConflict, "The username %q is taken; choose another.", o.Username)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO officers (id, username, name, role, password_hash, disabled, email, imported, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.ID, o.Username, o.Name, string(o.Role), hash, o.Disabled, o.Email, o.Imported, formatTime(tx.now)); err != nil {
		return mapError(err, "officer")
	}
	return insertOfficerScope(ctx, tx, o)
}

// insertOfficerScope stores o's sites and functions, which it has none of.
func insertOfficerScope(ctx context.Context, tx *Tx, o housing.Officer) error {
	for _, s := range o.Sites {
		if _, err := tx.ExecContext(ctx, `INSERT INTO officer_sites (officer_id, site_id) VALUES (?, ?)`, o.ID, s); err != nil {
			return mapError(err, "officer's site")
		}
	}
	for _, f := range o.Functions {
		if _, err := tx.ExecContext(ctx, `INSERT INTO officer_functions (officer_id, function_id) VALUES (?, ?)`, o.ID, f); err != nil {
			return mapError(err, "officer's team")
		}
	}
	return nil
}

// checkKnown refuses any of ids not in table (sites or functions), naming
// it and listing the ones that exist so the admin can correct the entry.
func checkKnown(ctx context.Context, tx *Tx, table, what string, ids []string) error {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM `+table+` ORDER BY id`)
	if err != nil {
		return fmt.Errorf("list %s: %w", table, err)
	}
	defer rows.Close()
	var known []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("scan %s: %w", table, err)
		}
		known = append(known, id)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list %s: %w", table, err)
	}
	for _, id := range ids {
		if !slices.Contains(known, id) {
			return housing.Errorf(housing.CodeInvalid, "There is no %s called %q. Choose from: %s.", what, id, strings.Join(known, ", "))
		}
	}
	return nil
}

// DisableOfficer stops an officer signing in and ends every session they
// have, at once. Their records stay. The last admin able to sign in cannot
// be disabled, so someone can always manage accounts.
func (s *OfficerService) DisableOfficer(ctx context.Context, id string) error {
	tx, err := s.DB.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	o, err := findOfficer(ctx, tx, id)
	if err != nil {
		return err
	}
	if o.Disabled {
		return nil
	}
	if o.Role == housing.RoleAdmin {
		var admins int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM officers WHERE role = 'admin' AND disabled = 0`).Scan(&admins); err != nil {
			return fmt.Errorf("count admins: %w", err)
		}
		if admins <= 1 {
			return housing.Errorf(housing.CodeInvalid, "%s is the only admin who can sign in; add another admin before switching this account off.", o.Name)
		}
	}
	// Switched off by an admin, not by an import: a later staff.csv that
	// names the account leaves it off (see importStaff).
	if _, err := tx.ExecContext(ctx, `UPDATE officers SET disabled = 1, disabled_by_import = 0 WHERE id = ?`, id); err != nil {
		return fmt.Errorf("disable officer: %w", err)
	}
	if _, err := revokeOfficerSessions(ctx, tx, id); err != nil {
		return err
	}
	if err := logReferenceChange(ctx, tx, housing.RecordOfficer, id, ""); err != nil {
		return err
	}
	return tx.Commit()
}

// EnableOfficer lets a disabled officer sign in again. Their old sessions
// stay ended: each device signs in afresh.
func (s *OfficerService) EnableOfficer(ctx context.Context, id string) error {
	tx, err := s.DB.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	o, err := findOfficer(ctx, tx, id)
	if err != nil {
		return err
	}
	if !o.Disabled {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE officers SET disabled = 0, disabled_by_import = 0 WHERE id = ?`, id); err != nil {
		return fmt.Errorf("enable officer: %w", err)
	}
	if err := logReferenceChange(ctx, tx, housing.RecordOfficer, id, ""); err != nil {
		return err
	}
	return tx.Commit()
}

// SetPassword replaces an officer's password, clears their sign-in delays
// and ends every session they have, so a password that may have leaked
// stops working on every device at once. The one exception is by's own
// session when by is that officer (an admin changing their own password
// stays signed in on the device they did it from); by is the zero
// Principal for the `doorstep user` command, which ends them all. The new
// password must pass hashNewPassword's rule (CodeInvalid otherwise); an
// unknown officer is CodeNotFound.
//
// The new password is checked and hashed before the transaction that
// stores it, as CreateOfficer's is: hashing is the slow part and needs no
// lock. The username it is checked against is read first, in a read
// transaction; a username never changes, so the check still holds when the
// write commits.
func (s *OfficerService) SetPassword(ctx context.Context, by housing.Principal, id, password string) error {
	o, err := s.Officer(ctx, id)
	if err != nil {
		return err
	}
	hash, err := hashNewPassword(o.Username, password)
	if err != nil {
		return err
	}
	tx, err := s.DB.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE officers SET password_hash = ? WHERE id = ?`, hash, id)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("set password: %w", err)
	} else if n == 0 {
		return housing.Errorf(housing.CodeNotFound, "That officer was not found.")
	}
	keep := ""
	if by.OfficerID == id {
		keep = by.SessionID
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE officer_id = ? AND revoked_at = '' AND id != ?`,
		formatTime(tx.now), id, keep); err != nil {
		return fmt.Errorf("end sessions after a password reset: %w", err)
	}
	if err := clearSignInDelays(ctx, tx, o.Username); err != nil {
		return err
	}
	return tx.Commit()
}

// Officer returns the officer with id, with their username, role, sites and
// functions; CodeNotFound if there is none.
func (s *OfficerService) Officer(ctx context.Context, id string) (housing.Officer, error) {
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return housing.Officer{}, err
	}
	defer tx.Rollback()
	return findOfficer(ctx, tx, id)
}

// OfficerByUsername returns the officer who signs in as username (in any
// case); CodeNotFound if there is none.
func (s *OfficerService) OfficerByUsername(ctx context.Context, username string) (housing.Officer, error) {
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return housing.Officer{}, err
	}
	defer tx.Rollback()
	os, err := readOfficers(ctx, tx, officerFilter{Username: housing.NormalizeUsername(username)})
	if err != nil {
		return housing.Officer{}, err
	}
	if len(os) == 0 {
		return housing.Officer{}, housing.Errorf(housing.CodeNotFound, "No one signs in as %q.", username)
	}
	return os[0], nil
}

// Officers returns every member of staff, disabled ones included, by name.
func (s *OfficerService) Officers(ctx context.Context) ([]housing.Officer, error) {
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return readOfficers(ctx, tx, officerFilter{})
}

// findOfficer returns the officer with id as an admin sees them;
// CodeNotFound if there is none.
func findOfficer(ctx context.Context, tx *Tx, id string) (housing.Officer, error) {
	os, err := readOfficers(ctx, tx, officerFilter{IDs: []string{id}})
	if err != nil {
		return housing.Officer{}, err
	}
	if len(os) == 0 {
		return housing.Officer{}, housing.Errorf(housing.CodeNotFound, "That officer was not found.")
	}
	return os[0], nil
}

// officerFilter selects officers: those with IDs and with Username (stored
// normalized), as far as each is set; a page at a time for a snapshot
// (Page), else by name when not read by ID.
type officerFilter struct {
	IDs      []string
	Username string
	Page     rowPage
}

// where is f's condition on officers o, and the query's tail.
func (f officerFilter) where() (where, string) {
	var w where
	if len(f.IDs) > 0 {
		w.in("o.id", f.IDs)
	}
	if f.Username != "" {
		w.and("o.username = ?", f.Username)
	}
	return w, w.page(f.Page, orderUnlessIDs(f.IDs, "o.name, o.username"))
}

// officerColumns are the columns both officer readers scan, over officers
// o: the sites and functions come as sorted lists in one column each.
const officerColumns = `o.id, o.username, o.name, o.role, o.disabled, o.email, o.imported,
	COALESCE((SELECT group_concat(site_id) FROM (SELECT site_id FROM officer_sites s WHERE s.officer_id = o.id ORDER BY site_id)), ''),
	COALESCE((SELECT group_concat(function_id) FROM (SELECT function_id FROM officer_functions f WHERE f.officer_id = o.id ORDER BY function_id)), '')`

// readOfficers returns the officers f selects as an admin sees them: with
// username, never with the password hash. Empty lists of sites and
// functions are [] rather than nil, so clients need no special case for an
// admin with no sites.
func readOfficers(ctx context.Context, q sqlQuerier, f officerFilter) ([]housing.Officer, error) {
	out, err := scanOfficers(ctx, q, f)
	for i := range out {
		if out[i].Sites == nil {
			out[i].Sites = []string{}
		}
		if out[i].Functions == nil {
			out[i].Functions = []string{}
		}
	}
	if out == nil && err == nil {
		out = []housing.Officer{}
	}
	return out, err
}

// readPublicOfficers returns the officers f selects as every colleague's
// phone receives them: name, role, sites and functions, never a username,
// an email address or whether staff.csv manages the account, which are
// for admins.
func readPublicOfficers(ctx context.Context, q sqlQuerier, f officerFilter) ([]housing.Officer, error) {
	out, err := scanOfficers(ctx, q, f)
	for i := range out {
		out[i].Username, out[i].Email, out[i].Imported = "", "", false
	}
	return out, err
}

func scanOfficers(ctx context.Context, q sqlQuerier, f officerFilter) ([]housing.Officer, error) {
	w, tail := f.where()
	rows, err := q.QueryContext(ctx, `SELECT `+officerColumns+` FROM officers o WHERE `+w.String()+tail, w.args...)
	if err != nil {
		return nil, fmt.Errorf("read officers: %w", err)
	}
	defer rows.Close()
	var out []housing.Officer
	for rows.Next() {
		var o housing.Officer
		var role, sites, fns string
		if err := rows.Scan(&o.ID, &o.Username, &o.Name, &role, &o.Disabled, &o.Email, &o.Imported, &sites, &fns); err != nil {
			return nil, fmt.Errorf("scan officer: %w", err)
		}
		o.Role, o.Sites, o.Functions = housing.Role(role), splitIDs(sites), splitIDs(fns)
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read officers: %w", err)
	}
	return out, nil
}
