package sqlite

import (
	"context"
	"encoding/json"
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
// the current form of the records it names that pulls have sent, so that
// catching up, the pull almost every sync makes, seldom reads SQLite.
//
// Why: when many phones sync at once each one asks for the same new
// records, and reading them once per phone (a query per kind, a row per
// record, each through cgo) was most of the server's work. Here each change,
// and each record's form, is read from SQLite once, by whichever pull first
// needs it, and every other pull filters it in Go with the same scope rules
// (reaches, sees).
//
// It never decides anything the database does not say: a pull first reads
// the log's high-water mark from SQLite and loads up to it, so changes made
// by another process (the `doorstep user` command) or another SyncService on
// the same file are seen as soon as they are committed. A cursor older than
// what is held is served from SQLite, as before.
type recentChanges struct {
	loading sync.Mutex // one read from SQLite at a time (load, forms); pulls that need the same rows wait for it

	mu      sync.RWMutex
	started bool
	low     int64 // changes after low, up to high, are held
	high    int64
	log     []loggedChange // in seq order, all after low
	current map[recordKey]record
}

// load brings the held log up to high. The records the new entries name
// are forgotten, not read: their cached form may be out of date, and the
// first pull that sends one reads it (see forms), so a record nobody needs
// yet is never read back at all.
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

	entries, err := readChanges(ctx, s.DB.read, from, high)
	if err != nil {
		return err
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.log = append(rc.log, entries...)
	rc.high = high
	for _, e := range entries {
		delete(rc.current, recordKey{e.row.Kind, e.row.RecordID})
	}
	if limit := s.recentLimit(); len(rc.log) > limit {
		rc.trim(limit / 2)
	}
	return nil
}

// forms returns the current form of the records named by keys, from memory
// or, for those not held, read now from SQLite and kept for the next pull;
// a record that no longer exists is absent from the result. When it must
// read, it reads every record named after change after that is not held,
// not only the caller's: many phones catch up from about the same place at
// once, and one read for all of them is much cheaper than one each, taken
// in turn.
//
// Forms are read and loads are made under the same lock, so a form kept
// here is never older than a change held for its record: a load forgets the
// forms its changes make stale, and a read after it sees those changes. A
// form may be newer than the caller's high-water mark; a record is always
// sent in its current form.
func (rc *recentChanges) forms(ctx context.Context, s *SyncService, keys []recordKey, after int64) (map[recordKey]record, error) {
	out := make(map[recordKey]record, len(keys))
	var missing []recordKey
	rc.mu.RLock()
	for _, k := range keys {
		if r, ok := rc.current[k]; ok {
			out[k] = r
		} else {
			missing = append(missing, k)
		}
	}
	rc.mu.RUnlock()
	if len(missing) == 0 {
		return out, nil
	}

	rc.loading.Lock()
	defer rc.loading.Unlock()
	ids := map[string][]string{}
	rc.mu.RLock()
	for _, k := range missing {
		if r, ok := rc.current[k]; ok { // read by another pull meanwhile
			out[k] = r
		}
	}
	wanted := map[recordKey]bool{}
	for i := sort.Search(len(rc.log), func(i int) bool { return rc.log[i].seq > after }); i < len(rc.log); i++ {
		k := recordKey{rc.log[i].row.Kind, rc.log[i].row.RecordID}
		if _, held := rc.current[k]; !held && !wanted[k] {
			wanted[k] = true
			ids[k.kind] = append(ids[k.kind], k.id)
		}
	}
	rc.mu.RUnlock()
	read, err := s.readByKind(ctx, ids)
	if err != nil {
		return nil, err
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for k, r := range read {
		rc.current[k] = r
	}
	for _, k := range missing {
		if r, ok := read[k]; ok {
			out[k] = r
		}
	}
	return out, nil
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
			made_by, owner_id, prev_owner_id, device_id
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
			&c.MadeBy, &c.OwnerID, &c.PrevOwnerID, &c.DeviceID); err != nil {
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
func (s *SyncService) catchUpRecent(ctx context.Context, p housing.Principal, cur *cursor, high int64, pg *page, sent map[string]json.RawMessage) (more, ok bool, err error) {
	limit := pg.room()
	if limit <= 0 {
		return true, true, nil
	}
	rc := &s.recent
	if err := rc.load(ctx, s, high); err != nil {
		return false, false, err
	}
	mine, ok := rc.reaching(p, cur.seq, high, limit+1)
	if !ok {
		return false, false, nil
	}
	keys := make([]recordKey, len(mine))
	for i, e := range mine {
		keys[i] = recordKey{e.row.Kind, e.row.RecordID}
	}
	current, err := rc.forms(ctx, s, keys, cur.seq)
	if err != nil {
		return false, false, err
	}
	return fillFromLog(p, mine, current, limit, cur, pg, sent), true, nil
}

// reaching returns up to n held changes after seq, up to high, that p's
// device needs; ok is false when seq is older than what is held.
func (rc *recentChanges) reaching(p housing.Principal, seq, high int64, n int) (mine []loggedChange, ok bool) {
	rc.mu.RLock()
	defer rc.mu.RUnlock()
	if seq < rc.low {
		return nil, false
	}
	for i := sort.Search(len(rc.log), func(i int) bool { return rc.log[i].seq > seq }); i < len(rc.log) && len(mine) < n; i++ {
		e := rc.log[i]
		if e.seq > high {
			break // committed after this pull began: the next pull sends it
		}
		if reaches(p, e.row) {
			mine = append(mine, e)
		}
	}
	return mine, true
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
