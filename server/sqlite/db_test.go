package sqlite_test

import (
	"context"
	"testing"

	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
)

// store is one test database with every service that server/run.go wires
// over it, so a test calls each method on the service it belongs to
// without naming the service each time.
type store struct {
	*sqlite.DB
	*sqlite.SessionService
	*sqlite.OfficerService
	*sqlite.TenantService
	*sqlite.ReferenceService
}

func newStore(db *sqlite.DB) *store {
	return &store{db, &sqlite.SessionService{DB: db}, &sqlite.OfficerService{DB: db}, &sqlite.TenantService{DB: db}, &sqlite.ReferenceService{DB: db}}
}

// mustOpenStore is MustOpenDB with its services.
func mustOpenStore(tb testing.TB) *store { return newStore(demotest.Empty(tb)) }

// mustSeed opens a fresh database holding the demo landlord, without its
// history, with its services.
func mustSeed(tb testing.TB) *store { return newStore(demotest.Landlord(tb)) }

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
		db := demotest.Empty(t)
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
