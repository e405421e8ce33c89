package api_test

import (
	"testing"

	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
)

// store is a test database with the services that server/run.go wires over
// it, so a test can call each method on the service it belongs to without
// naming the service each time.
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

// openDemoDB opens a fresh database in a temporary folder with the demo
// landlord seeded (no history), closed when the test ends.
func openDemoDB(t *testing.T) *store {
	t.Helper()
	return newStore(demotest.Landlord(t))
}
