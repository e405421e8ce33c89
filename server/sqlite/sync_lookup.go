package sqlite

import (
	"context"
	"fmt"

	"doorstep/shared/housing"
)

// readInTx keeps the rows a transaction has read: the tenancies its records
// name, the functions that exist, and its devices' last mutation numbers.
// Batches written together (see pushGroup) name the same few, and reading
// them once for the group rather than once per mutation takes several
// statements off every batch while the write lock is held. Rows read inside
// the transaction cannot go stale within it. A nil *readInTx reads every
// time.
type readInTx struct {
	tenancies map[string]housing.Tenancy // absent: not read; a zero Tenancy: read, not found
	functions map[string]bool            // nil: not read yet
	// devices holds the last mutation number of each device with a batch
	// in the group, kept up to date as its batches are written.
	devices map[string]int64
}

// readForGroup reads, in one statement each, the last mutation numbers of
// jobs' devices, the tenancies that their new records name, and every
// function.
func readForGroup(ctx context.Context, tx *Tx, jobs []*pushJob) (*readInTx, error) {
	r := &readInTx{tenancies: map[string]housing.Tenancy{}, devices: map[string]int64{}}
	var devices []string
	for _, j := range jobs {
		if _, seen := r.devices[j.req.DeviceID]; !seen {
			r.devices[j.req.DeviceID] = 0 // a device never seen has applied nothing
			devices = append(devices, j.req.DeviceID)
		}
	}
	for chunk := range chunks(devices, 500) {
		in, args := inList("device_id", chunk)
		rows, err := tx.QueryContext(ctx, `SELECT device_id, last_mutation FROM devices WHERE `+in, args...)
		if err != nil {
			return nil, fmt.Errorf("read devices: %w", err)
		}
		for rows.Next() {
			var id string
			var last int64
			if err := rows.Scan(&id, &last); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read devices: %w", err)
			}
			r.devices[id] = last
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read devices: %w", err)
		}
	}
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
		ts, err := readTenancies(ctx, tx, tenancyFilter{IDs: chunk})
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

// tenancy returns the tenancy with id; ok is false when there is none.
func (r *readInTx) tenancy(ctx context.Context, tx *Tx, id string) (t housing.Tenancy, ok bool, err error) {
	if r != nil {
		if t, held := r.tenancies[id]; held {
			return t, t.ID != "", nil
		}
	}
	t, ok, err = tenancyByID(ctx, tx, id)
	if err == nil && r != nil {
		r.tenancies[id] = t // a zero Tenancy when there is none
	}
	return t, ok, err
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

// deviceLast returns the last mutation number applied for device.
func (r *readInTx) deviceLast(ctx context.Context, tx *Tx, device string) (int64, error) {
	if r == nil {
		return deviceLast(ctx, tx, device)
	}
	if last, ok := r.devices[device]; ok {
		return last, nil
	}
	last, err := deviceLast(ctx, tx, device)
	if err == nil {
		r.devices[device] = last
	}
	return last, err
}
