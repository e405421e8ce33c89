package sqlite_test

import (
	"context"
	"testing"

	"doorstep/server/sqlite"
)

// MustOpenDB opens a fresh database file in a temporary folder and closes it
// when the test ends.
func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestOpen(t *testing.T) {
	t.Run("MigrationsApplyOnce", func(t *testing.T) {
		dir := t.TempDir()
		for i := 0; i < 2; i++ {
			db, err := sqlite.Open(context.Background(), dir)
			if err != nil {
				t.Fatalf("open #%d: %v", i+1, err)
			}
			var n int
			if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM migrations`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Fatalf("got no migrations recorded")
			}
			db.Close()
		}
	})
	t.Run("PragmasOnEveryConnection", func(t *testing.T) {
		db := MustOpenDB(t)
		var mode string
		var fk int
		if err := db.SQL().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := db.SQL().QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" || fk != 1 {
			t.Fatalf("got journal_mode=%s foreign_keys=%d, want wal and 1", mode, fk)
		}
	})
}
