package sqlite

import (
	"context"
	"fmt"

	"doorstep/shared/housing"
)

// readInTx keeps the reference rows a transaction has read: the tenancies
// its records name and the functions that exist. Batches written together
// (see pushGroup) name the same few, and reading them once for the group
// rather than once per mutation takes several statements off every batch
// while the write lock is held. Rows read inside the transaction cannot go
// stale within it. A nil *readInTx reads every time.
type readInTx struct {
	tenancies map[string]housing.Tenancy // absent: not read; a zero Tenancy: read, not found
	functions map[string]bool            // nil: not read yet
}

// readForGroup reads, in one statement each, the tenancies that jobs' new
// records name and every function.
func readForGroup(ctx context.Context, tx *Tx, jobs []*pushJob) (*readInTx, error) {
	r := &readInTx{tenancies: map[string]housing.Tenancy{}}
	var ids []string
	for _, j := range jobs {
		for _, d := range j.decoded {
			var id string
			switch rec := d.record.(type) {
			case housing.Visit:
				id = rec.TenancyID
			case housing.Commitment:
				id = rec.TenancyID
			case housing.Feedback:
				id = rec.TenancyID
			}
			if _, seen := r.tenancies[id]; id != "" && !seen {
				r.tenancies[id] = housing.Tenancy{}
				ids = append(ids, id)
			}
		}
	}
	for chunk := range chunks(ids, 500) {
		in, args := inList("id", chunk)
		ts, err := readTenancies(ctx, tx, in, args...)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			r.tenancies[t.ID] = t
		}
	}
	if _, err := r.function(ctx, tx, ""); err != nil {
		return nil, err
	}
	return r, nil
}

// tenancy returns the tenancy with id, or none.
func (r *readInTx) tenancy(ctx context.Context, tx *Tx, id string) ([]housing.Tenancy, error) {
	if r != nil {
		if t, ok := r.tenancies[id]; ok {
			if t.ID == "" {
				return nil, nil
			}
			return []housing.Tenancy{t}, nil
		}
	}
	ts, err := readTenancies(ctx, tx, "id = ?", id)
	if err == nil && r != nil {
		r.tenancies[id] = housing.Tenancy{}
		if len(ts) > 0 {
			r.tenancies[id] = ts[0]
		}
	}
	return ts, err
}

// function reports whether a function with id exists.
func (r *readInTx) function(ctx context.Context, tx *Tx, id string) (bool, error) {
	if r != nil && r.functions != nil {
		return r.functions[id], nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM functions`)
	if err != nil {
		return false, fmt.Errorf("read functions: %w", err)
	}
	defer rows.Close()
	all := map[string]bool{}
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return false, fmt.Errorf("read functions: %w", err)
		}
		all[f] = true
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("read functions: %w", err)
	}
	if r != nil {
		r.functions = all
	}
	return all[id], nil
}
