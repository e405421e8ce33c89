package sqlite

import (
	"context"

	"doorstep/shared/housing"
)

// The reference readers: the landlord's sites, functions, service standards
// and tenancies, for the API, the start-up banner and other services.

// Sites returns every site, by name.
func (db *DB) Sites(ctx context.Context) ([]housing.Site, error) {
	return readSites(ctx, db.db, "1 ORDER BY name")
}

// Functions returns every function (team), by name.
func (db *DB) Functions(ctx context.Context) ([]housing.Function, error) {
	return readFunctions(ctx, db.db, "1 ORDER BY name")
}

// Standards returns every service standard, by function and name.
func (db *DB) Standards(ctx context.Context) ([]housing.Standard, error) {
	return readStandards(ctx, db.db, "1 ORDER BY function_id, name")
}

// Tenancies returns the tenancies on the given sites, or on every site when
// siteIDs is empty, by reference.
func (db *DB) Tenancies(ctx context.Context, siteIDs []string) ([]housing.Tenancy, error) {
	if len(siteIDs) == 0 {
		return readTenancies(ctx, db.db, "1 ORDER BY reference")
	}
	where, args := inList("site_id", siteIDs)
	return readTenancies(ctx, db.db, where+" ORDER BY reference", args...)
}
