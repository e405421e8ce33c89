package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"doorstep/shared/housing"
)

// page collects the changes of one response up to its count and byte
// limits.
type page struct {
	changes            []housing.Change
	bytes              int
	maxCount, maxBytes int
}

func newPage(count, bytes int) *page {
	if count <= 0 {
		count = DefaultPageChanges
	}
	if bytes <= 0 {
		bytes = DefaultPageBytes
	}
	return &page{changes: []housing.Change{}, maxCount: count, maxBytes: bytes}
}

// room is how many more changes fit by count.
func (pg *page) room() int { return pg.maxCount - len(pg.changes) }

// add appends ch unless the page is full; the first change always fits, so
// a record larger than the byte limit still goes, alone.
func (pg *page) add(ch housing.Change) bool {
	size := len(ch.Data) + len(ch.ID) + len(ch.Kind) + 48 // the JSON around them
	if pg.room() <= 0 || (len(pg.changes) > 0 && pg.bytes+size > pg.maxBytes) {
		return false
	}
	pg.changes = append(pg.changes, ch)
	pg.bytes += size
	return true
}

// pull fills pg with the changes in p's scope after cur and returns the
// cursor after them, whether more are waiting, and whether the device must
// drop what it pulled before (its scope changed, or its cursor is ahead of
// this server's log).
//
// Pulls read outside any transaction: WAL readers never wait for the
// writer, and every page is correct on its own. A record is sent in its
// current form, which may be newer than the cursor; the change that made it
// newer is sent again later, and applying a record twice is harmless.
func (s *SyncService) pull(ctx context.Context, p housing.Principal, cur cursor, pg *page) (cursor, bool, bool, error) {
	high, err := highWater(ctx, s.DB.db)
	if err != nil {
		return cur, false, false, err
	}
	fp := scopeFingerprint(p)
	reset := false
	if cur.scope != fp || cur.seq > high {
		reset = cur.scope != "" // "" is a fresh device, with nothing to drop
		cur = cursor{snapshot: true, seq: high, scope: fp, phase: snapshotPhases[0]}
	}
	if cur.snapshot {
		more, err := s.snapshot(ctx, p, &cur, pg)
		if err != nil || more {
			return cur, more, reset, err
		}
		cur = cursor{seq: cur.seq, scope: fp}
	}
	more, err := s.catchUp(ctx, p, &cur, pg)
	return cur, more, reset, err
}

// snapshot sends the records in p's scope as they are now, kind by kind in
// ID order, from where cur stands. It reports whether the snapshot has more
// to send; when it has not, every change up to cur.seq is in the device.
func (s *SyncService) snapshot(ctx context.Context, p housing.Principal, cur *cursor, pg *page) (bool, error) {
	for i := slices.Index(snapshotPhases, cur.phase); i < len(snapshotPhases); i++ {
		if pg.room() <= 0 {
			return true, nil
		}
		cur.phase = snapshotPhases[i]
		where, args := scopeWhere(p, cur.phase)
		limit := pg.room()
		recs, err := s.read(ctx, p, cur.phase, "id > ? AND "+where+" ORDER BY id LIMIT ?", append(append([]any{cur.after}, args...), limit+1)...)
		if err != nil {
			return false, err
		}
		for n, r := range recs {
			if n == limit {
				return true, nil
			}
			if !pg.add(housing.Change{Kind: cur.phase, ID: r.id, Data: r.data}) {
				return true, nil
			}
			cur.after = r.id
		}
		cur.after = ""
	}
	return false, nil
}

// catchUp sends the records named by the change log after cur.seq that p
// may need, each once per page in its current form, or as removed when it
// has left p's scope.
func (s *SyncService) catchUp(ctx context.Context, p housing.Principal, cur *cursor, pg *page) (bool, error) {
	limit := pg.room()
	if limit <= 0 {
		return true, nil
	}
	// A device's own changes are not sent back to it: it holds them already,
	// and its results carry their versions. Sending them back would double
	// the bytes of every push.
	where, args := changeScopeWhere(p)
	rows, err := s.DB.db.QueryContext(ctx, `SELECT seq, kind, record_id FROM changes WHERE seq > ? AND skip_device <> ? AND `+where+` ORDER BY seq LIMIT ?`,
		append(append([]any{cur.seq, p.DeviceID}, args...), limit+1)...)
	if err != nil {
		return false, fmt.Errorf("read changes: %w", err)
	}
	type logged struct {
		seq      int64
		kind, id string
	}
	var log []logged
	ids := map[string][]string{}
	for rows.Next() {
		var l logged
		if err := rows.Scan(&l.seq, &l.kind, &l.id); err != nil {
			rows.Close()
			return false, fmt.Errorf("scan change: %w", err)
		}
		log = append(log, l)
		ids[l.kind] = append(ids[l.kind], l.id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("read changes: %w", err)
	}

	current := map[string]record{} // kind + "/" + id
	for kind, list := range ids {
		in, inArgs := inList("id", list)
		recs, err := s.read(ctx, p, kind, in, inArgs...)
		if err != nil {
			return false, err
		}
		for _, r := range recs {
			current[kind+"/"+r.id] = r
		}
	}

	sent := map[string]int{} // kind + "/" + id → index in pg.changes
	for n, l := range log {
		if n == limit {
			return true, nil
		}
		key := l.kind + "/" + l.id
		if i, ok := sent[key]; ok {
			pg.changes[i].Seq = l.seq // already sent in its latest form
			cur.seq = l.seq
			continue
		}
		ch := housing.Change{Seq: l.seq, Kind: l.kind, ID: l.id, Removed: true}
		if r, ok := current[key]; ok && r.visible {
			ch.Removed, ch.Data = false, r.data
		}
		if !pg.add(ch) {
			return true, nil
		}
		sent[key] = len(pg.changes) - 1
		cur.seq = l.seq
	}
	return false, nil
}

// record is one record read for a pull: its ID, its JSON, and whether the
// principal may see it in this form.
type record struct {
	id      string
	data    json.RawMessage
	visible bool
}

// read returns the records of kind matching where (see sqlQuerier),
// encoded, with their visibility to p. Visits, commitments and feedback are
// read as stored (their doc column); the rest are small and built here.
func (s *SyncService) read(ctx context.Context, p housing.Principal, kind, where string, args ...any) ([]record, error) {
	q := s.DB.db
	switch kind {
	case housing.RecordSite:
		rs, err := readSites(ctx, q, where, args...)
		return encodeAll(rs, err, func(r housing.Site) (string, bool) { return r.ID, true })
	case housing.RecordFunction:
		rs, err := readFunctions(ctx, q, where, args...)
		return encodeAll(rs, err, func(r housing.Function) (string, bool) { return r.ID, true })
	case housing.RecordOfficer:
		rs, err := readPublicOfficers(ctx, q, where, args...)
		return encodeAll(rs, err, func(r housing.Officer) (string, bool) { return r.ID, true })
	case housing.RecordStandard:
		rs, err := readStandards(ctx, q, where, args...)
		return encodeAll(rs, err, func(r housing.Standard) (string, bool) { return r.ID, true })
	case housing.RecordTenancy:
		rs, err := readTenancies(ctx, q, where, args...)
		return encodeAll(rs, err, func(r housing.Tenancy) (string, bool) { return r.ID, seesTenancy(p, r) })
	case housing.RecordVisit, housing.RecordCommitment, housing.RecordFeedback:
		return s.readDocs(ctx, p, kind, where, args...)
	case housing.RecordAttention:
		rs, err := readAttention(ctx, q, where, args...)
		return encodeAll(rs, err, func(r housing.Attention) (string, bool) { return r.ID, seesAttention(p, r) })
	}
	return nil, fmt.Errorf("read %q: unknown record kind", kind)
}

// docQueries read a record's stored JSON with the columns its scope
// depends on.
var docQueries = map[string]string{
	housing.RecordVisit:      `SELECT id, doc, site_id, officer_id, created_by, '' FROM visits WHERE `,
	housing.RecordCommitment: `SELECT id, doc, site_id, made_by, owner_id, function_id FROM commitments WHERE `,
	housing.RecordFeedback:   `SELECT id, doc, site_id, created_by, '', '' FROM feedback WHERE `,
}

// readDocs reads visits, commitments or feedback as stored. A row stored
// before the doc column existed is built from its columns instead.
func (s *SyncService) readDocs(ctx context.Context, p housing.Principal, kind, where string, args ...any) ([]record, error) {
	rows, err := s.DB.db.QueryContext(ctx, docQueries[kind]+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", kind, err)
	}
	defer rows.Close()
	var out []record
	var missing []string
	at := map[string]int{}
	for rows.Next() {
		var r record
		var doc, site, by, other, fn string
		if err := rows.Scan(&r.id, &doc, &site, &by, &other, &fn); err != nil {
			return nil, fmt.Errorf("scan %s: %w", kind, err)
		}
		switch kind {
		case housing.RecordVisit:
			r.visible = seesVisit(p, housing.Visit{SiteID: site, OfficerID: by, Meta: housing.Meta{CreatedBy: other}})
		case housing.RecordCommitment:
			r.visible = p.Visible(housing.Commitment{SiteID: site, MadeBy: by, OwnerID: other, FunctionID: fn})
		case housing.RecordFeedback:
			r.visible = seesFeedback(p, housing.Feedback{SiteID: site, Meta: housing.Meta{CreatedBy: by}})
		}
		if doc == "" {
			missing = append(missing, r.id)
			at[r.id] = len(out)
		}
		r.data = json.RawMessage(doc)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", kind, err)
	}
	rows.Close()
	if len(missing) == 0 {
		return out, nil
	}
	in, inArgs := inList("id", missing)
	var built []record
	switch kind {
	case housing.RecordVisit:
		rs, err := readVisits(ctx, s.DB.db, in, inArgs...)
		built, err = encodeAll(rs, err, func(r housing.Visit) (string, bool) { return r.ID, seesVisit(p, r) })
		if err != nil {
			return nil, err
		}
	case housing.RecordCommitment:
		rs, err := readCommitments(ctx, s.DB.db, in, inArgs...)
		built, err = encodeAll(rs, err, func(r housing.Commitment) (string, bool) { return r.ID, p.Visible(r) })
		if err != nil {
			return nil, err
		}
	case housing.RecordFeedback:
		rs, err := readFeedback(ctx, s.DB.db, in, inArgs...)
		built, err = encodeAll(rs, err, func(r housing.Feedback) (string, bool) { return r.ID, seesFeedback(p, r) })
		if err != nil {
			return nil, err
		}
	}
	for _, r := range built {
		out[at[r.id]] = r
	}
	return out, nil
}

func encodeAll[T any](rs []T, err error, key func(T) (string, bool)) ([]record, error) {
	if err != nil {
		return nil, err
	}
	out := make([]record, len(rs))
	for i, r := range rs {
		data, err := json.Marshal(r)
		if err != nil {
			return nil, fmt.Errorf("encode record: %w", err)
		}
		out[i].id, out[i].visible = key(r)
		out[i].data = data
	}
	return out, nil
}
