package sqlite

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"doorstep/shared/housing"
)

// DefaultRecentChanges is how many of the newest changes a SyncService
// holds in memory by default: a few days of a busy landlord's work, about
// ten megabytes.
const DefaultRecentChanges = 20000

// recentChanges holds the newest stretch of the change log in memory, with
// the current form of every record it names, so that catching up, the pull
// almost every sync makes, reads no SQLite at all.
//
// Why: when many phones sync at once each one asks for the same new
// records, and reading them once per phone (a query per kind, a row per
// record, each through cgo) was most of the server's work. Here each change
// is read from SQLite once, by whichever pull first needs it, and every
// other pull filters it in Go with the same scope rules (reaches, sees).
//
// It never decides anything the database does not say: a pull first reads
// the log's high-water mark from SQLite and loads up to it, so changes made
// by another process (the `doorstep user` command) or another SyncService on
// the same file are seen as soon as they are committed. A cursor older than
// what is held is served from SQLite, as before.
type recentChanges struct {
	loading sync.Mutex // one load at a time; pulls that need the same changes wait for it

	mu      sync.RWMutex
	started bool
	low     int64 // changes after low, up to high, are held
	high    int64
	log     []loggedChange // in seq order, all after low
	current map[recordKey]record
}

// load brings the held log up to high: the new change log entries and the
// current form of the records they name.
func (rc *recentChanges) load(ctx context.Context, s *SyncService, high int64) error {
	rc.mu.RLock()
	done := rc.started && rc.high >= high
	rc.mu.RUnlock()
	if done {
		return nil
	}
	rc.loading.Lock()
	defer rc.loading.Unlock()
	rc.mu.RLock()
	started, from := rc.started, rc.high
	rc.mu.RUnlock()
	if !started {
		// The first pull since the server started loads the newest changes,
		// so devices that synced before a restart are served from memory.
		from = max(0, high-int64(s.recentLimit()/2))
		rc.mu.Lock()
		rc.started, rc.low, rc.high, rc.current = true, from, from, map[recordKey]record{}
		rc.mu.Unlock()
	}
	if from >= high {
		return nil // another pull loaded it while this one waited
	}

	entries, err := readChanges(ctx, s.DB.db, from, high)
	if err != nil {
		return err
	}
	ids := map[string][]string{}
	seen := map[recordKey]bool{}
	for _, e := range entries {
		key := recordKey{e.row.Kind, e.row.RecordID}
		if !seen[key] {
			seen[key] = true
			ids[key.kind] = append(ids[key.kind], key.id)
		}
	}
	forms := map[recordKey]record{}
	for kind, list := range ids {
		for chunk := range chunks(list, 500) {
			in, args := inList("id", chunk)
			recs, err := s.read(ctx, kind, in, args...)
			if err != nil {
				return err
			}
			for _, r := range recs {
				forms[recordKey{kind, r.id}] = r
			}
		}
	}

	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.log = append(rc.log, entries...)
	rc.high = high
	for key := range seen {
		if r, ok := forms[key]; ok {
			rc.current[key] = r
		} else {
			delete(rc.current, key)
		}
	}
	if limit := s.recentLimit(); len(rc.log) > limit {
		rc.trim(limit / 2)
	}
	return nil
}

// trim keeps the newest keep changes and the records they name.
func (rc *recentChanges) trim(keep int) {
	drop := len(rc.log) - keep
	rc.low = rc.log[drop-1].seq
	rc.log = append([]loggedChange(nil), rc.log[drop:]...)
	current := make(map[recordKey]record, len(rc.log))
	for _, e := range rc.log {
		key := recordKey{e.row.Kind, e.row.RecordID}
		if r, ok := rc.current[key]; ok {
			current[key] = r
		}
	}
	rc.current = current
}

// readChanges reads the change log entries after from, up to high.
func readChanges(ctx context.Context, q sqlQuerier, from, high int64) ([]loggedChange, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT seq, kind, record_id, everyone, site_id, function_id, prev_function_id,
			made_by, owner_id, prev_owner_id, device_id, skip_device
		FROM changes WHERE seq > ? AND seq <= ? ORDER BY seq`, from, high)
	if err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	defer rows.Close()
	var out []loggedChange
	for rows.Next() {
		var e loggedChange
		c := &e.row
		if err := rows.Scan(&e.seq, &c.Kind, &c.RecordID, &c.Everyone, &c.SiteID, &c.FunctionID, &c.PrevFunctionID,
			&c.MadeBy, &c.OwnerID, &c.PrevOwnerID, &c.DeviceID, &c.SkipDevice); err != nil {
			return nil, fmt.Errorf("scan change: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	return out, nil
}

// chunks yields list in pieces of at most n, to keep IN lists under
// SQLite's limit on parameters.
func chunks(list []string, n int) func(func([]string) bool) {
	return func(yield func([]string) bool) {
		for len(list) > 0 {
			k := min(n, len(list))
			if !yield(list[:k]) {
				return
			}
			list = list[k:]
		}
	}
}

// catchUpRecent is catchUp served from the changes held in memory, up to
// high (the log's high-water mark when this pull began); ok is false when
// cur is older than what is held, and the caller reads SQLite.
func (s *SyncService) catchUpRecent(ctx context.Context, p housing.Principal, cur *cursor, high int64, pg *page) (more, ok bool, err error) {
	limit := pg.room()
	if limit <= 0 {
		return true, true, nil
	}
	rc := &s.recent
	if err := rc.load(ctx, s, high); err != nil {
		return false, false, err
	}
	rc.mu.RLock()
	defer rc.mu.RUnlock()
	if cur.seq < rc.low {
		return false, false, nil
	}
	var mine []loggedChange
	for i := sort.Search(len(rc.log), func(i int) bool { return rc.log[i].seq > cur.seq }); i < len(rc.log); i++ {
		e := rc.log[i]
		if e.seq > high {
			break // committed after this pull began: the next pull sends it
		}
		if e.row.SkipDevice != p.DeviceID && reaches(p, e.row) {
			mine = append(mine, e)
			if len(mine) > limit {
				break
			}
		}
	}
	return fillFromLog(p, mine, rc.current, limit, cur, pg), true, nil
}

// recentLimit is how many changes s holds in memory; 0 when it holds none.
func (s *SyncService) recentLimit() int {
	switch {
	case s.RecentChanges < 0:
		return 0
	case s.RecentChanges == 0:
		return DefaultRecentChanges
	}
	return s.RecentChanges
}
