package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"testing"
)

// TestMigrationNames fails when two migrations share a number, when the
// numbers skip one, or when a renamed migration's old name is still a file:
// the migrations table is keyed by file name, and migrations run in name
// order.
func TestMigrationNames(t *testing.T) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	shape := regexp.MustCompile(`^migrations/([0-9]{3})_[a-z0-9_]+\.sql$`)
	for i, name := range names {
		m := shape.FindStringSubmatch(name)
		if m == nil {
			t.Errorf("got migration %s, want a name like migrations/012_what_it_does.sql", name)
			continue
		}
		if got, want := m[1], leftPad(i+1); got != want {
			t.Errorf("got migration %s numbered %s, want %s: each migration has its own number, one after another", name, got, want)
		}
	}
	for name := range migrationSteps {
		if !slices.Contains(names, name) {
			t.Errorf("migrationSteps names %s, which is not a migration", name)
		}
	}
	for name, old := range renamedMigrations {
		if !slices.Contains(names, name) {
			t.Errorf("renamedMigrations names %s, which is not a migration", name)
		}
		if slices.Contains(names, old) {
			t.Errorf("renamedMigrations renames %s, which is still a migration's name", old)
		}
	}
}

func leftPad(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}

// oldMigrationNames are the migrations' file names before two of them
// stopped sharing 003, in the order they were applied. It is written out
// here rather than derived from renamedMigrations, so the test checks that
// list instead of repeating it.
var oldMigrationNames = []string{
	"migrations/001_reference.sql",
	"migrations/002_accounts.sql",
	"migrations/003_sync.sql",
	"migrations/003_sync_docs.sql",
	"migrations/004_change_echo.sql",
	"migrations/005_signin_delays.sql",
	"migrations/006_record_ids.sql",
	"migrations/007_change_echo_dropped.sql",
}

// TestOpenRenamedMigrations opens a database made when the migrations had
// their old names and checks that nothing runs again: each migration keeps
// the time it was applied, is recorded under its new name, and the schema
// ends the same as a new database's.
func TestOpenRenamedMigrations(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	if len(names) < len(oldMigrationNames) {
		t.Fatalf("got %d migrations, want at least the %d there were", len(names), len(oldMigrationNames))
	}

	// Made as Open made it then: each file applied once, in order, and
	// recorded under the name it had.
	old, err := sql.Open(driverName, "file:"+filepath.Join(dir, FileName)+"?_journal_mode=WAL&_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	applied := map[string]string{}
	for i, oldName := range oldMigrationNames {
		body, err := fs.ReadFile(migrationFS, names[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := old.Exec(string(body)); err != nil {
			t.Fatalf("apply %s as %s: %v", names[i], oldName, err)
		}
		at := "2026-01-0" + strconv.Itoa(1+i%9) + "T00:00:00.000000000Z"
		if _, err := old.Exec(`INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, oldName, at); err != nil {
			t.Fatal(err)
		}
		applied[names[i]] = at
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatalf("open a database made under the old names: %v", err)
	}
	defer db.Close()
	got := map[string]string{}
	rows, err := db.SQL().Query(`SELECT name, applied_at FROM migrations`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, at string
		if err := rows.Scan(&name, &at); err != nil {
			t.Fatal(err)
		}
		got[name] = at
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for name, at := range applied {
		if got[name] != at {
			t.Errorf("migration %s: got applied at %q, want %q (kept from when it ran under its old name)", name, got[name], at)
		}
	}
	for _, name := range names {
		if _, ok := got[name]; !ok {
			t.Errorf("migration %s is not recorded", name)
		}
	}
	if len(got) != len(names) {
		t.Errorf("got %d migrations recorded, want %d: %v", len(got), len(names), got)
	}

	fresh, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if a, b := schema(t, db.SQL()), schema(t, fresh.SQL()); !reflect.DeepEqual(a, b) {
		t.Errorf("the schema of a database made under the old names differs from a new one's:\n%v\n%v", a, b)
	}
}

// schema returns every table, index and trigger's SQL, by name.
func schema(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	rows, err := db.Query(`SELECT type || ' ' || name, COALESCE(sql, '') FROM sqlite_master`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			t.Fatal(err)
		}
		out[name] = text
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
