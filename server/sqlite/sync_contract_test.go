package sqlite_test

import (
	"testing"

	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// TestSyncContract runs the sync contract against the SQLite service
// in-process; server/api runs the same body over HTTP. It runs three ways,
// because a pull that catches up is served from the changes held in memory
// when it can and from SQLite when it cannot, and both must keep the
// contract: holding the default, holding one (so the held log is
// trimmed and older cursors fall back to SQLite), and holding none.
func TestSyncContract(t *testing.T) {
	for _, tc := range []struct {
		name   string
		recent int
	}{
		{"memory", 0},
		{"trimmed", 1},
		{"sqlite", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Run(t, func(t *testing.T) (housing.SyncService, synctest.Fixture) {
				db := demotest.Empty(t)
				fx := synctest.Seed(t, db.SQL())
				return &sqlite.SyncService{DB: db, PageChanges: synctest.PageChanges, RecentChanges: tc.recent}, fx
			})
		})
	}
}
