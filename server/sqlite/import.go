package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"

	"github.com/google/uuid"

	"doorstep/server/importcsv"
	"doorstep/shared/housing"
)

// ImportService implements housing.ImportService over a DB: it loads a
// landlord's sites, teams, staff and tenancies from the CSV files its
// housing management system exports (docs/import.md), as `doorstep import`
// and the admin screen's upload do. importcsv reads the files; this works
// out what they change against what is stored (import_plan.go) and writes
// it, with the change log, in one transaction (import_apply.go).
type ImportService struct {
	DB *DB
}

var _ housing.ImportService = (*ImportService)(nil)

// tenancyNamespace makes the ID of a tenancy an import adds from its
// reference (ImportTenancyID).
var tenancyNamespace = uuid.MustParse("6f1c2b8e-4d3a-5e7f-9b10-2c4d6e8fa013")

// ImportTenancyID is the ID an import gives a new tenancy with reference:
// a name-based UUID, so the same files imported into a new database give
// the same IDs. A tenancy already stored keeps its own, whatever made it.
func ImportTenancyID(reference string) string {
	return uuid.NewSHA1(tenancyNamespace, []byte("tenancy:"+reference)).String()
}

// Import checks files and, unless opts.DryRun, applies them in one
// transaction (see housing.ImportService). Every problem is found before
// anything is written: those of each file's rows (importcsv.Parse) and
// those between files and with what is stored (an unknown site, the last
// admin switched off). Any problem refuses the whole import with
// CodeInvalid and every problem listed, and changes nothing.
//
// New accounts' one-time passwords are hashed before the write lock is
// taken, several at once: each hash takes tens of milliseconds, and
// phones' syncs wait for the lock.
func (s *ImportService) Import(ctx context.Context, by housing.Principal, files []housing.ImportFile, opts housing.ImportOptions) (housing.ImportReport, error) {
	size := 0
	for _, f := range files {
		size += len(f.Data)
	}
	switch {
	case size > housing.MaxImportBytes:
		return housing.ImportReport{}, housing.Errorf(housing.CodeTooLarge,
			"The files come to %d MiB; an import takes at most %d MiB together. Import the tenancies on their own, or in parts.", size>>20, housing.MaxImportBytes>>20)
	case len(files) == 0:
		return housing.ImportReport{}, housing.Errorf(housing.CodeInvalid,
			"Choose at least one file to import: %s, %s, %s or %s.", housing.ImportSites, housing.ImportTeams, housing.ImportStaff, housing.ImportTenancies)
	case opts.Today != "" && !opts.Today.Valid():
		return housing.ImportReport{}, housing.Errorf(housing.CodeInvalid, "The import's day, %q, is not a date.", opts.Today)
	}
	set, problems := importcsv.Parse(files)

	if len(problems) > 0 || opts.DryRun {
		// Nothing will be written: a read transaction finds the rest of
		// the problems, or the dry run's report, without the write lock.
		tx, err := s.DB.beginRead(ctx)
		if err != nil {
			return housing.ImportReport{}, err
		}
		defer tx.Rollback()
		plan, err := planImport(ctx, tx, set, by, opts)
		if err != nil {
			return housing.ImportReport{}, err
		}
		if problems = append(problems, plan.problems...); len(problems) > 0 {
			return housing.ImportReport{}, refused(problems)
		}
		return plan.reportAt(tx.now, by, set, true), nil
	}

	var passwords map[string]oneTimePassword
	if !opts.NoPasswords && set.Given(housing.ImportStaff) {
		names, err := s.newUsernames(ctx, set.Staff)
		if err != nil {
			return housing.ImportReport{}, err
		}
		if passwords, err = makePasswords(ctx, names); err != nil {
			return housing.ImportReport{}, err
		}
	}

	tx, err := s.DB.begin(ctx)
	if err != nil {
		return housing.ImportReport{}, err
	}
	defer tx.Rollback()
	plan, err := planImport(ctx, tx, set, by, opts)
	if err != nil {
		return housing.ImportReport{}, err
	}
	if len(plan.problems) > 0 {
		return housing.ImportReport{}, refused(plan.problems)
	}
	report := plan.reportAt(tx.now, by, set, false)
	if !opts.NoPasswords {
		if report.Passwords, err = plan.givePasswords(passwords); err != nil {
			return housing.ImportReport{}, err
		}
	}
	if err := plan.apply(ctx, tx); err != nil {
		return housing.ImportReport{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return housing.ImportReport{}, fmt.Errorf("import id: %w", err)
	}
	report.ID = id.String()
	kept := report
	kept.Passwords = nil // shown once, in this answer, and kept nowhere
	doc, err := json.Marshal(kept)
	if err != nil {
		return housing.ImportReport{}, fmt.Errorf("encode import report: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO imports (id, at, by, by_name, report) VALUES (?, ?, ?, ?, ?)`,
		report.ID, formatTime(tx.now), report.By, report.ByName, string(doc)); err != nil {
		return housing.ImportReport{}, fmt.Errorf("keep import report: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return housing.ImportReport{}, fmt.Errorf("commit import: %w", err)
	}
	return report, nil
}

// Imports lists the imports applied, newest first, without passwords.
func (s *ImportService) Imports(ctx context.Context) ([]housing.ImportReport, error) {
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT report FROM imports ORDER BY at DESC, rowid DESC`)
	if err != nil {
		return nil, fmt.Errorf("read imports: %w", err)
	}
	defer rows.Close()
	out := []housing.ImportReport{}
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, fmt.Errorf("scan import: %w", err)
		}
		var r housing.ImportReport
		if err := json.Unmarshal([]byte(doc), &r); err != nil {
			return nil, fmt.Errorf("decode import %s: %w", doc, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// refused is the error of an import with problems: CodeInvalid, every
// problem (at most importcsv.MaxProblems), and a message that sums them up.
func refused(ps []housing.Problem) error {
	ps = importcsv.Limit(ps)
	message := "Nothing was imported: correct the problem listed, then import again."
	if len(ps) > 1 {
		message = fmt.Sprintf("Nothing was imported: correct the %d problems listed, then import again.", len(ps))
	}
	return &housing.Error{Code: housing.CodeInvalid, Problems: ps, Message: message}
}

// importDay is the day an import compares end dates with: opts.Today, or
// the landlord's day by the store's clock.
func importDay(opts housing.ImportOptions, tx *Tx) housing.Date {
	if opts.Today != "" {
		return opts.Today
	}
	return housing.LocalDate(tx.now)
}

// newUsernames are the usernames of staff that no stored account has: the
// accounts an import of staff would add, and so give passwords to. An
// account added meanwhile by someone else is found by the plan, which is
// made again under the write lock.
func (s *ImportService) newUsernames(ctx context.Context, staff []importcsv.Staff) ([]string, error) {
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT username FROM officers`)
	if err != nil {
		return nil, fmt.Errorf("read usernames: %w", err)
	}
	defer rows.Close()
	stored := map[string]bool{}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("scan username: %w", err)
		}
		stored[housing.NormalizeUsername(u)] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read usernames: %w", err)
	}
	var out []string
	for _, st := range staff {
		if !stored[st.Officer.Username] {
			out = append(out, st.Officer.Username)
		}
	}
	return out, nil
}

// oneTimePassword is a new account's first password and its hash.
type oneTimePassword struct {
	password, hash string
}

// maxHashers bounds how many passwords are hashed at once: each hash holds
// drawnMemory while it runs, and the work is CPU-bound.
const maxHashers = 4

// makePasswords makes a one-time password for each of usernames and hashes
// it, on as many cores as there are (up to maxHashers).
func makePasswords(ctx context.Context, usernames []string) (map[string]oneTimePassword, error) {
	out := make(map[string]oneTimePassword, len(usernames))
	if len(usernames) == 0 {
		return out, nil
	}
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	work := make(chan string)
	for range min(runtime.GOMAXPROCS(0), maxHashers, len(usernames)) {
		wg.Go(func() {
			for u := range work {
				p, err := newOneTimePassword(u)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				out[u] = p
				mu.Unlock()
			}
		})
	}
	for _, u := range usernames {
		if ctx.Err() != nil {
			break
		}
		work <- u
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, firstErr
}

// newOneTimePassword makes and hashes a password for username: 128 random
// bits, as `doorstep user add` makes one, checked by the same rule as a
// password a person chose (checkNewPassword), and made again on the rare
// draw that the rule refuses. Being drawn, not chosen, it is hashed at the
// cheap cost (hashDrawnPassword).
func newOneTimePassword(username string) (oneTimePassword, error) {
	for {
		p := housing.NewToken()
		if err := checkNewPassword(username, p); err != nil {
			continue
		}
		hash, err := hashDrawnPassword(p)
		if err != nil {
			return oneTimePassword{}, err
		}
		return oneTimePassword{password: p, hash: hash}, nil
	}
}
