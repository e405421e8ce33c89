package api_test

import (
	"context"
	"testing"

	"doorstep/server/sqlite"
)

// openDemoDB opens a fresh database in a temporary folder with the demo
// landlord seeded (no history), closed when the test ends.
func openDemoDB(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}
