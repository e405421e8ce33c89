package sqlite

import (
	"context"
	"fmt"

	"doorstep/shared/housing"
)

// The readers of reference data for sync. Officers go out with their name,
// role, sites and functions only: never a username or password hash.

func readSites(ctx context.Context, q sqlQuerier, where string, args ...any) ([]housing.Site, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM sites WHERE `+where, args...)
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

func readFunctions(ctx context.Context, q sqlQuerier, where string, args ...any) ([]housing.Function, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM functions WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read functions: %w", err)
	}
	defer rows.Close()
	var out []housing.Function
	for rows.Next() {
		var f housing.Function
		if err := rows.Scan(&f.ID, &f.Name); err != nil {
			return nil, fmt.Errorf("scan function: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// readPublicOfficers returns officers as every colleague may see them.
func readPublicOfficers(ctx context.Context, q sqlQuerier, where string, args ...any) ([]housing.Officer, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT id, name, role, disabled,
			COALESCE((SELECT group_concat(site_id) FROM (SELECT site_id FROM officer_sites s WHERE s.officer_id = o.id ORDER BY site_id)), ''),
			COALESCE((SELECT group_concat(function_id) FROM (SELECT function_id FROM officer_functions f WHERE f.officer_id = o.id ORDER BY function_id)), '')
		FROM officers o WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read officers: %w", err)
	}
	defer rows.Close()
	var out []housing.Officer
	for rows.Next() {
		var o housing.Officer
		var role, sites, fns string
		if err := rows.Scan(&o.ID, &o.Name, &role, &o.Disabled, &sites, &fns); err != nil {
			return nil, fmt.Errorf("scan officer: %w", err)
		}
		o.Role, o.Sites, o.Functions = housing.Role(role), splitIDs(sites), splitIDs(fns)
		out = append(out, o)
	}
	return out, rows.Err()
}

func readTenancies(ctx context.Context, q sqlQuerier, where string, args ...any) ([]housing.Tenancy, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT id, reference, household, address, postcode, site_id
		FROM tenancies WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read tenancies: %w", err)
	}
	defer rows.Close()
	var out []housing.Tenancy
	for rows.Next() {
		var t housing.Tenancy
		if err := rows.Scan(&t.ID, &t.Reference, &t.Household, &t.Address, &t.Postcode, &t.SiteID); err != nil {
			return nil, fmt.Errorf("scan tenancy: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
