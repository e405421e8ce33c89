package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"doorstep/shared/housing"
)

// Default page limits of a pull.
const (
	DefaultPageChanges = 500
	DefaultPageBytes   = 1 << 20
)

// SyncService implements housing.SyncService over a DB: it applies a
// device's mutations in one transaction, then pages the changes in the
// caller's scope after its cursor. docs/sync-protocol.md describes the
// protocol.
type SyncService struct {
	DB *DB

	// PageChanges caps the changes in one response; 0 means
	// DefaultPageChanges.
	PageChanges int
	// PageBytes caps the encoded size of one response's changes (a single
	// record larger than this still goes, alone); 0 means DefaultPageBytes.
	PageBytes int

	// RecentChanges is how many of the newest changes pulls serve from
	// memory (see recentChanges); 0 means DefaultRecentChanges, and a
	// negative number holds none, so every pull reads SQLite.
	RecentChanges int
	recent        recentChanges

	// writes is held by whoever is writing a group of batches (see push).
	// Batches queue in Go rather than in SQLite, whose busy handler polls
	// with sleeps of up to 100 ms, leaving the write lock idle while
	// waiters sleep; queue holds the batches waiting for it.
	writes sync.Mutex
	queue  writeQueue
}

var _ housing.SyncService = (*SyncService)(nil)

// Sync applies req's mutations for p's device and returns their results
// and the next page of changes in p's scope. It returns CodeUnsupported for
// another protocol version, CodeUnauthorized without an officer,
// CodeForbidden when req names a device other than p's, CodeTooLarge for a
// batch over housing.MaxMutationsPerBatch, CodeInvalid for a malformed
// request or cursor, and CodeGap (with LastMutation set) when the batch
// starts after the device's last_mutation+1. None of these changes anything.
func (s *SyncService) Sync(ctx context.Context, p housing.Principal, req housing.SyncRequest) (housing.SyncResponse, error) {
	resp := housing.SyncResponse{Protocol: housing.ProtocolVersion}
	if err := checkSyncRequest(p, req); err != nil {
		return resp, err
	}
	cur, err := parseCursor(req.Cursor)
	if err != nil {
		return resp, err
	}

	resp.Results = []housing.Result{}
	if len(req.Mutations) > 0 {
		results, last, err := s.push(ctx, p, req)
		resp.LastMutation = last
		if err != nil {
			return resp, err
		}
		resp.Results = results
	} else {
		last, err := deviceLast(ctx, s.DB.read, req.DeviceID)
		if err != nil {
			return resp, err
		}
		resp.LastMutation = last
	}

	pg := newPage(s.PageChanges, s.PageBytes)
	var sent map[string]json.RawMessage // what the device's own records may come back as patches on
	if req.Patches {
		sent = housing.SentRecords(req.Mutations)
	}
	next, more, reset, err := s.pull(ctx, p, cur, pg, sent)
	if err != nil {
		return resp, err
	}
	resp.Changes, resp.Cursor, resp.HasMore, resp.Reset = pg.changes, next.String(), more, reset
	resp.ServerTime = s.DB.Now().UTC()
	return resp, nil
}

// checkSyncRequest checks the envelope of a request: everything that, if
// wrong, means the whole request is refused and nothing is applied. A
// mutation wrong on its own is not refused here; it is rejected by itself,
// so one bad record never wedges a device's queue.
func checkSyncRequest(p housing.Principal, req housing.SyncRequest) error {
	switch {
	case req.Protocol != housing.ProtocolVersion:
		return housing.Errorf(housing.CodeUnsupported, "This app speaks sync protocol %d; the server speaks %d. Reload the app to update it.", req.Protocol, housing.ProtocolVersion)
	case p.OfficerID == "":
		return housing.Errorf(housing.CodeUnauthorized, "Sign in to sync.")
	case req.DeviceID == "":
		return housing.Errorf(housing.CodeInvalid, "The request does not say which device sent it.")
	case req.DeviceID != p.DeviceID:
		return housing.Errorf(housing.CodeForbidden, "This device is signed in as another device; sign in again.")
	case len(req.Mutations) > housing.MaxMutationsPerBatch:
		return housing.Errorf(housing.CodeTooLarge, "Send at most %d changes at a time.", housing.MaxMutationsPerBatch)
	}
	for i, m := range req.Mutations {
		if i == 0 && m.Seq < 1 {
			return housing.Errorf(housing.CodeInvalid, "Changes are numbered from 1; got %d.", m.Seq)
		}
		if i > 0 && m.Seq != req.Mutations[i-1].Seq+1 {
			return housing.Errorf(housing.CodeInvalid, "Changes must be numbered one after another; %d follows %d.", m.Seq, req.Mutations[i-1].Seq)
		}
	}
	return nil
}

// deviceLast returns the last mutation number applied for device, 0 for a
// device never seen.
func deviceLast(ctx context.Context, q sqlQuerier, device string) (int64, error) {
	var last int64
	err := q.QueryRowContext(ctx, `SELECT last_mutation FROM devices WHERE device_id = ?`, device).Scan(&last)
	if errNoRows(err) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("read device: %w", err)
	}
	return last, nil
}
