package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"doorstep/shared/housing"
)

// apply writes the plan in tx, each addition and change with its entry in
// the change log, so phones pull it at their next sync: sites and teams
// first, then the staff and tenancies that name them. Nothing unchanged is
// written or logged.
//
// Tenancies come by the hundred thousand, so their writes and log entries
// go through statements prepared once for the import.
func (p *importPlan) apply(ctx context.Context, tx *Tx) error {
	for _, s := range p.sites {
		q := `UPDATE sites SET name = ? WHERE id = ?`
		if s.added {
			q = `INSERT INTO sites (name, id) VALUES (?, ?)`
		}
		if _, err := tx.ExecContext(ctx, q, s.site.Name, s.site.ID); err != nil {
			return fmt.Errorf("import site %s: %w", s.site.ID, err)
		}
		if err := logReferenceChange(ctx, tx, housing.RecordSite, s.site.ID, ""); err != nil {
			return err
		}
	}
	for _, f := range p.functions {
		q := `UPDATE functions SET name = ? WHERE id = ?`
		if f.added {
			q = `INSERT INTO functions (name, id) VALUES (?, ?)`
		}
		if _, err := tx.ExecContext(ctx, q, f.function.Name, f.function.ID); err != nil {
			return fmt.Errorf("import team %s: %w", f.function.ID, err)
		}
		if err := logReferenceChange(ctx, tx, housing.RecordFunction, f.function.ID, ""); err != nil {
			return err
		}
		if f.added {
			if err := addDefaultStandards(ctx, tx, f.function.ID); err != nil {
				return err
			}
		}
	}
	for _, st := range p.staff {
		if err := st.apply(ctx, tx); err != nil {
			return fmt.Errorf("import account %s: %w", st.officer.Username, err)
		}
	}
	return p.applyTenancies(ctx, tx)
}

// apply adds or changes one account. Its sites and teams are written again
// only when they change, and its devices are signed out when it is
// switched off, as DisableOfficer does. Phones hear of it only when what
// they hold of it changes (readPublicOfficers): a new email is for admins.
func (st staffPut) apply(ctx context.Context, tx *Tx) error {
	o := st.officer
	if st.added {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO officers (id, username, name, role, password_hash, disabled, created_at, email, imported)
			VALUES (?, ?, ?, ?, ?, 0, ?, ?, 1)`,
			o.ID, o.Username, o.Name, string(o.Role), st.hash, formatTime(tx.now), o.Email); err != nil {
			return mapError(err, "account")
		}
		if err := insertOfficerScope(ctx, tx, o); err != nil {
			return err
		}
	} else {
		if _, err := tx.ExecContext(ctx, `
			UPDATE officers SET name = ?, role = ?, disabled = ?, email = ?, imported = 1, disabled_by_import = ?
			WHERE id = ?`,
			o.Name, string(o.Role), o.Disabled, o.Email, st.disabledByImport, o.ID); err != nil {
			return mapError(err, "account")
		}
		if st.scopeChanged {
			for _, table := range []string{"officer_sites", "officer_functions"} {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE officer_id = ?`, o.ID); err != nil {
					return fmt.Errorf("clear %s: %w", table, err)
				}
			}
			if err := insertOfficerScope(ctx, tx, o); err != nil {
				return err
			}
		}
		if st.switchedOff {
			if _, err := revokeOfficerSessions(ctx, tx, o.ID); err != nil {
				return err
			}
		}
	}
	if !st.public {
		return nil
	}
	return logReferenceChange(ctx, tx, housing.RecordOfficer, o.ID, "")
}

// applyTenancies adds and changes the plan's tenancies. A tenancy that
// moves is logged under the site it left too, so that site's phones hear
// of it and drop it; one that stays ended is not logged at all, since no
// phone holds it.
func (p *importPlan) applyTenancies(ctx context.Context, tx *Tx) error {
	if len(p.tenancies) == 0 {
		return nil
	}
	insert, err := tx.PrepareContext(ctx, `
		INSERT INTO tenancies (reference, household, address, postcode, site_id, start_date, end_date, ended, id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare tenancy insert: %w", err)
	}
	defer insert.Close()
	update, err := tx.PrepareContext(ctx, `
		UPDATE tenancies SET reference = ?, household = ?, address = ?, postcode = ?, site_id = ?,
			start_date = ?, end_date = ?, ended = ?
		WHERE id = ?`)
	if err != nil {
		return fmt.Errorf("prepare tenancy update: %w", err)
	}
	defer update.Close()
	log, err := tx.PrepareContext(ctx, insertChangesSQL(1))
	if err != nil {
		return fmt.Errorf("prepare change log: %w", err)
	}
	defer log.Close()
	logUnder := func(id, site string) error {
		_, err := log.ExecContext(ctx, changeRow{Kind: housing.RecordTenancy, RecordID: id, SiteID: site}.values(tx)...)
		if err != nil {
			return fmt.Errorf("log change: %w", err)
		}
		return nil
	}
	for _, tp := range p.tenancies {
		t := tp.tenancy
		stmt := update
		if tp.added {
			stmt = insert
		}
		if err := execTenancy(ctx, stmt, t); err != nil {
			return fmt.Errorf("import tenancy %s: %w", t.Reference, mapError(err, "tenancy"))
		}
		if tp.log {
			if err := logUnder(t.ID, t.SiteID); err != nil {
				return err
			}
		}
		if tp.left != "" {
			if err := logUnder(t.ID, tp.left); err != nil {
				return err
			}
		}
	}
	return nil
}

// execTenancy runs one of applyTenancies' statements for t: both take the
// tenancy's columns, then its ID.
func execTenancy(ctx context.Context, stmt *sql.Stmt, t housing.Tenancy) error {
	_, err := stmt.ExecContext(ctx, t.Reference, t.Household, t.Address, t.Postcode, t.SiteID,
		string(t.StartDate), string(t.EndDate), t.Ended, t.ID)
	return err
}

// givePasswords gives each new account of the plan its one-time password,
// made before the write lock was taken (made), or now for an account that
// was not new then, and returns them in staff.csv's order, to be shown
// once.
func (p *importPlan) givePasswords(made map[string]oneTimePassword) ([]housing.OneTimePassword, error) {
	var out []housing.OneTimePassword
	for i := range p.staff {
		st := &p.staff[i]
		if !st.added {
			continue
		}
		pw, ok := made[st.officer.Username]
		if !ok {
			var err error
			if pw, err = newOneTimePassword(st.officer.Username); err != nil {
				return nil, err
			}
		}
		st.hash = pw.hash
		out = append(out, housing.OneTimePassword{Username: st.officer.Username, Password: pw.password})
	}
	return out, nil
}

// addDefaultStandards gives a new team whose ID is one of the six every
// landlord has (housing.FunctionRepairs...) Doorstep's service standards
// for it (housing.DefaultStandards), so the promise form has its kinds of
// promise and their realistic dates from the first day; an admin edits
// them on the standards screen. A standard already stored under the same
// ID is left as it is. A team of the landlord's own gets none.
func addDefaultStandards(ctx context.Context, tx *Tx, functionID string) error {
	for _, st := range housing.DefaultStandards() {
		if st.FunctionID != functionID {
			continue
		}
		res, err := tx.ExecContext(ctx, `
			INSERT OR IGNORE INTO standards (id, function_id, kind, name, unit, soonest, lim, statutory, source)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			st.ID, st.FunctionID, st.Kind, st.Name, string(st.Unit), st.Soonest, st.Limit, st.Statutory, st.Source)
		if err != nil {
			return fmt.Errorf("add standard %s: %w", st.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		if err := logReferenceChange(ctx, tx, housing.RecordStandard, st.ID, ""); err != nil {
			return err
		}
	}
	return nil
}
