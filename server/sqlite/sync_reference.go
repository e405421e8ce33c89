package sqlite

import (
	"context"
	"fmt"

	"doorstep/shared/housing"
)

// The readers of the landlord's sites, functions and tenancies, for pulls,
// the reference service and the review pages. Officers are read in
// officer.go, service standards in sync_standard.go.

// siteFilter selects sites: those with IDs (every site when empty), a page
// at a time for a snapshot (Page), else by name when not read by ID.
type siteFilter struct {
	IDs  []string
	Page rowPage
}

func readSites(ctx context.Context, q sqlQuerier, f siteFilter) ([]housing.Site, error) {
	var w where
	if len(f.IDs) > 0 {
		w.in("id", f.IDs)
	}
	tail := w.page(f.Page, orderUnlessIDs(f.IDs, "name"))
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM sites WHERE `+w.String()+tail, w.args...)
	if err != nil {
		return nil, fmt.Errorf("read sites: %w", err)
	}
	defer rows.Close()
	var out []housing.Site
	for rows.Next() {
		var s housing.Site
		if err := rows.Scan(&s.ID, &s.Name); err != nil {
			return nil, fmt.Errorf("scan site: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// functionFilter selects functions: those with IDs (every function when
// empty), a page at a time for a snapshot (Page), else by name when not
// read by ID.
type functionFilter struct {
	IDs  []string
	Page rowPage
}

func readFunctions(ctx context.Context, q sqlQuerier, f functionFilter) ([]housing.Function, error) {
	var w where
	if len(f.IDs) > 0 {
		w.in("id", f.IDs)
	}
	tail := w.page(f.Page, orderUnlessIDs(f.IDs, "name"))
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM functions WHERE `+w.String()+tail, w.args...)
	if err != nil {
		return nil, fmt.Errorf("read functions: %w", err)
	}
	defer rows.Close()
	var out []housing.Function
	for rows.Next() {
		var fn housing.Function
		if err := rows.Scan(&fn.ID, &fn.Name); err != nil {
			return nil, fmt.Errorf("scan function: %w", err)
		}
		out = append(out, fn)
	}
	return out, rows.Err()
}

// tenancyFilter selects tenancies: those with IDs, on SiteIDs and in
// Scope's sync scope, as far as each is set; a page at a time for a
// snapshot (Page), else by reference when not read by ID.
type tenancyFilter struct {
	IDs     []string
	SiteIDs []string
	Scope   *housing.Principal
	Page    rowPage
}

func readTenancies(ctx context.Context, q sqlQuerier, f tenancyFilter) ([]housing.Tenancy, error) {
	var w where
	if len(f.IDs) > 0 {
		w.in("id", f.IDs)
	}
	if len(f.SiteIDs) > 0 {
		w.in("site_id", f.SiteIDs)
	}
	if f.Scope != nil {
		w.scope(*f.Scope, housing.RecordTenancy)
	}
	tail := w.page(f.Page, orderUnlessIDs(f.IDs, "reference"))
	rows, err := q.QueryContext(ctx, `
		SELECT id, reference, household, address, postcode, site_id, start_date, end_date, ended
		FROM tenancies WHERE `+w.String()+tail, w.args...)
	if err != nil {
		return nil, fmt.Errorf("read tenancies: %w", err)
	}
	defer rows.Close()
	var out []housing.Tenancy
	for rows.Next() {
		var t housing.Tenancy
		if err := rows.Scan(&t.ID, &t.Reference, &t.Household, &t.Address, &t.Postcode, &t.SiteID, &t.StartDate, &t.EndDate, &t.Ended); err != nil {
			return nil, fmt.Errorf("scan tenancy: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// tenancyByID returns the tenancy with id; ok is false when there is none.
func tenancyByID(ctx context.Context, q sqlQuerier, id string) (t housing.Tenancy, ok bool, err error) {
	ts, err := readTenancies(ctx, q, tenancyFilter{IDs: []string{id}})
	if err != nil || len(ts) == 0 {
		return housing.Tenancy{}, false, err
	}
	return ts[0], true, nil
}
