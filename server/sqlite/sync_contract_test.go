package sqlite_test

import (
	"testing"

	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// TestSyncContract runs the sync contract against the SQLite service
// in-process; server/api runs the same body over HTTP.
func TestSyncContract(t *testing.T) {
	synctest.Run(t, func(t *testing.T) (housing.SyncService, synctest.Fixture) {
		db := MustOpenDB(t)
		fx := synctest.Seed(t, db.SQL())
		return &sqlite.SyncService{DB: db, PageChanges: synctest.PageChanges}, fx
	})
}
