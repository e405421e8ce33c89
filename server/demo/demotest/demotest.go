package demotest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"doorstep/server/demo"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// template is one seeded database file, kept in memory.
type template struct {
	once sync.Once
	file []byte
	err  error
}

var (
	mu        sync.Mutex
	templates = map[string]*template{}
)

// Empty returns a new database in a temporary folder with no landlord in
// it, closed when the test ends.
func Empty(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Principal returns the demo member of staff username signed in on a
// device, as the services see them.
func Principal(tb testing.TB, db *sqlite.DB, username string) housing.Principal {
	tb.Helper()
	o, err := (&sqlite.OfficerService{DB: db}).Officer(context.Background(), demo.OfficerID(username))
	if err != nil {
		tb.Fatal(err)
	}
	return housing.Principal{OfficerID: o.ID, Name: o.Name, Role: o.Role, Sites: o.Sites, Functions: o.Functions, DeviceID: "review-test"}
}

// Landlord returns a new database in a temporary folder holding the demo
// landlord (demo.Seed) and no history, closed when the test ends.
func Landlord(tb testing.TB) *sqlite.DB {
	tb.Helper()
	return open(tb, "landlord", time.Time{}, false)
}

// History returns a new database in a temporary folder holding the demo
// landlord and its history (demo.SeedWithHistory) up to when this test
// binary first asked for it, closed when the test ends. Its clock is the
// real one.
func History(tb testing.TB) *sqlite.DB {
	tb.Helper()
	return open(tb, "history", time.Time{}, true)
}

// HistoryAt is History made as if at now, with the database's clock
// stopped at now.
func HistoryAt(tb testing.TB, now time.Time) *sqlite.DB {
	tb.Helper()
	db := open(tb, "history@"+now.UTC().Format(time.RFC3339Nano), now, true)
	db.Now = func() time.Time { return now }
	return db
}

// WriteLandlord puts the demo landlord without history (as Landlord) into
// the data folder dir, which holds no database yet, for a server about to
// start there.
func WriteLandlord(tb testing.TB, dir string) {
	tb.Helper()
	write(tb, dir, "landlord", time.Time{}, false)
}

// WriteHistory puts the demo landlord and its history (as History) into
// the data folder dir, which holds no database yet, for a server about to
// start there.
func WriteHistory(tb testing.TB, dir string) {
	tb.Helper()
	write(tb, dir, "history", time.Time{}, true)
}

func open(tb testing.TB, key string, now time.Time, history bool) *sqlite.DB {
	tb.Helper()
	dir := tb.TempDir()
	write(tb, dir, key, now, history)
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func write(tb testing.TB, dir, key string, now time.Time, history bool) {
	tb.Helper()
	mu.Lock()
	t := templates[key]
	if t == nil {
		t = &template{}
		templates[key] = t
	}
	mu.Unlock()
	t.once.Do(func() { t.file, t.err = seed(now, history) })
	if t.err != nil {
		tb.Fatalf("seed the demo template: %v", t.err)
	}
	path := filepath.Join(dir, sqlite.FileName)
	if _, err := os.Stat(path); err == nil {
		tb.Fatalf("demotest: %s already holds a database", dir)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, t.file, 0o600); err != nil {
		tb.Fatal(err)
	}
}

// seed makes a template: the demo seeded into a new database, as if at now
// (the real clock when now is zero), closed so that the file holds every
// page, and read back.
func seed(now time.Time, history bool) ([]byte, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "doorstep-demo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	if !now.IsZero() {
		db.Now = func() time.Time { return now }
	}
	if history {
		_, err = demo.SeedWithHistory(ctx, db)
	} else {
		_, err = demo.Seed(ctx, db)
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(dir, sqlite.FileName))
}
