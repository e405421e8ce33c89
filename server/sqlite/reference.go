package sqlite

import (
	"context"

	"doorstep/shared/housing"
)

// ReferenceService is the landlord's reference data: its sites, functions
// (teams), service standards, staff and tenancies. Put loads them in bulk,
// as the demo landlord (server/demo) and a landlord's own import do; the
// readers serve tools and tests. Phones receive the data by sync, and the
// admin routes manage staff one at a time through OfficerService.
type ReferenceService struct {
	DB *DB
}

// Sites returns every site, by name.
func (s *ReferenceService) Sites(ctx context.Context) ([]housing.Site, error) {
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return readSites(ctx, tx, siteFilter{})
}

// Functions returns every function (team), by name.
func (s *ReferenceService) Functions(ctx context.Context) ([]housing.Function, error) {
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return readFunctions(ctx, tx, functionFilter{})
}

// Standards returns every service standard, by function and name.
func (s *ReferenceService) Standards(ctx context.Context) ([]housing.Standard, error) {
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return readStandards(ctx, tx, standardFilter{})
}

// Tenancies returns the tenancies on the given sites, or on every site when
// siteIDs is empty, by reference.
func (s *ReferenceService) Tenancies(ctx context.Context, siteIDs []string) ([]housing.Tenancy, error) {
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return readTenancies(ctx, tx, tenancyFilter{SiteIDs: siteIDs})
}
