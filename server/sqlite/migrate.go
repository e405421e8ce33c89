package sqlite

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
)

// Migrations are the SQL files under migrations/, each named NNN_what.sql
// with its own number, and applied once each, in name order, in its own
// transaction. The migrations table records each by its file name.

//go:embed migrations/*.sql
var migrationFS embed.FS

// renamedMigrations maps a migration's file name to the name it had when
// older databases applied it. Two files once shared the number 003
// (003_sync.sql and 003_sync_docs.sql), so 003_sync_docs.sql and every file
// after it were renumbered by one; a database made before that records
// them under their old names, and without this list would run them again
// (a second ALTER TABLE ADD COLUMN fails, and so does a second CREATE
// TABLE). migrate renames the records before it looks for migrations to
// apply. No new name here may
// equal an old one, so the renames never depend on their order. Never
// remove an entry: a database may skip many releases.
var renamedMigrations = map[string]string{
	"migrations/004_sync_docs.sql":           "migrations/003_sync_docs.sql",
	"migrations/005_change_echo.sql":         "migrations/004_change_echo.sql",
	"migrations/006_signin_delays.sql":       "migrations/005_signin_delays.sql",
	"migrations/007_record_ids.sql":          "migrations/006_record_ids.sql",
	"migrations/008_change_echo_dropped.sql": "migrations/007_change_echo_dropped.sql",
}

// migrationSteps are work in Go that a migration needs beyond its SQL,
// run after the SQL inside the migration's own transaction, so both are
// applied once, together, or not at all.
var migrationSteps = map[string]func(context.Context, *Tx) error{
	"migrations/010_feed.sql": backfillFeed,
}

// migrate brings the database's record of applied migrations up to the
// current file names (renamedMigrations), then applies each embedded
// migration not yet recorded, in name order, each in its own transaction.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	if err := db.renameMigrations(ctx); err != nil {
		return err
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateOne(ctx, name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// renameMigrations rewrites, in one transaction, the record of each
// migration applied under an old name (renamedMigrations) to its current
// name, keeping when it was applied.
func (db *DB) renameMigrations(ctx context.Context) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for name, old := range renamedMigrations {
		if _, err := tx.ExecContext(ctx, `UPDATE migrations SET name = ? WHERE name = ?`, name, old); err != nil {
			return fmt.Errorf("rename migration %s to %s: %w", old, name, err)
		}
	}
	return tx.Commit()
}

func (db *DB) migrateOne(ctx context.Context, name string) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(migrationFS, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if step := migrationSteps[name]; step != nil {
		if err := step(ctx, tx); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, name, formatTime(tx.now)); err != nil {
		return err
	}
	return tx.Commit()
}
