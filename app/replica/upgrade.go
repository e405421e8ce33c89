package replica

import (
	"context"
	"errors"
	"fmt"

	"doorstep/shared/housing"
)

// upgrades holds one step per schema version: upgrades[v] rewrites a
// snapshot of version v into version v+1. A release that changes the shape
// of what the phone holds raises SchemaVersion and adds its step here; the
// IndexedDB object stores have their own upgrade path in app/idb.
var upgrades = map[int]func(*Snapshot) error{}

// ErrNewerSchema is returned by Open when the phone's records were written
// by a newer release than this one (an old copy of the app still cached).
// Nothing is written then, so the newer release finds them as it left them.
var ErrNewerSchema = housing.Errorf(housing.CodeUnsupported,
	"The records on this phone were saved by a newer version of Doorstep. Reload the page to get it; nothing has been changed.")

// upgrade brings snap to version target with steps, in order. It returns
// the batch that stores the result in one transaction, or nil when snap is
// already at target.
func upgrade(snap *Snapshot, target int, steps map[int]func(*Snapshot) error) (*Batch, error) {
	if snap.Meta == nil {
		return nil, nil // a new phone: nothing to upgrade
	}
	v := snap.Meta.SchemaVersion
	if v == 0 {
		v = 1 // the first release did not always write it
	}
	if v > target {
		return nil, ErrNewerSchema
	}
	if v == target {
		return nil, nil
	}
	for ; v < target; v++ {
		step, ok := steps[v]
		if !ok {
			return nil, fmt.Errorf("no upgrade from schema version %d", v)
		}
		if err := step(snap); err != nil {
			return nil, fmt.Errorf("upgrade schema version %d: %w", v, err)
		}
	}
	base := snap.Meta.Generation
	m := *snap.Meta
	m.SchemaVersion, m.Generation = target, base+1
	snap.Meta = &m
	// The whole upgraded snapshot replaces the old one at once: a phone
	// closed mid-upgrade still holds the old version, which upgrades again.
	// Two tabs upgrading together: the second finds the first's write and
	// gets ErrStale.
	return &Batch{Base: base, Clear: true, Meta: &m, Put: snap.Records, Enqueue: snap.Outbox, PutAttention: snap.Attention}, nil
}

// openUpgraded loads the store, upgrading what it holds to SchemaVersion.
func (r *Replica) openUpgraded(ctx context.Context) (Snapshot, error) {
	snap, err := r.store.Load(ctx)
	if err != nil {
		return snap, fmt.Errorf("load replica: %w", err)
	}
	b, err := upgrade(&snap, SchemaVersion, upgrades)
	if err != nil || b == nil {
		return snap, err
	}
	if err := r.store.Apply(ctx, *b); errors.Is(err, ErrStale) {
		return r.store.Load(ctx) // another tab upgraded first
	} else if err != nil {
		return snap, fmt.Errorf("store the upgraded replica: %w", err)
	}
	return snap, nil
}
