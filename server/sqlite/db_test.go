package sqlite_test

import (
	"context"
	"sync"
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

// Writers queue in Go, one connection at a time, not on SQLite's busy
// handler, which serves waiting writers in no order: a morning rush of a
// thousand sign-ins beside two hundred syncing phones made some writers
// lose every race for ten seconds and answer 500 "database is locked"
// (BenchmarkSyncMorningRush). And many writers at once all succeed.
func TestWritersQueueInTurn(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := db.SQL().Stats().MaxOpenConnections; n != 1 {
		t.Fatalf("the write pool allows %d connections, want 1", n)
	}
	if _, err := db.SQL().ExecContext(ctx, `CREATE TABLE turns (n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Go(func() {
			tx, err := db.SQL().BeginTx(ctx, nil)
			if err != nil {
				errs <- err
				return
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, `INSERT INTO turns (n) VALUES (?)`, i); err != nil {
				errs <- err
				return
			}
			errs <- tx.Commit()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
