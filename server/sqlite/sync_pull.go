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
	size := changeSize(ch)
	if pg.room() <= 0 || (len(pg.changes) > 0 && pg.bytes+size > pg.maxBytes) {
		return false
	}
	pg.changes = append(pg.changes, ch)
	pg.bytes += size
	return true
}

// changeSize is what ch counts against a page's byte limit: about its
// encoded size.
func changeSize(ch housing.Change) int {
	return len(ch.Data) + len(ch.Patch) + len(ch.ID) + len(ch.Kind) + 48 // the JSON around them
}

// pull fills pg with the changes in p's scope after cur and returns the
// cursor after them, whether more are waiting, and whether the device must
// drop what it pulled before (its scope changed, or its cursor is ahead of
// this server's log). sent is what the device sent in this request, by
// housing.SentRecords: those of its records go back as patches.
//
// Pulls read outside any transaction: WAL readers never wait for the
// writer, and every page is correct on its own. A record is sent in its
// current form, which may be newer than the cursor; the change that made it
// newer is sent again later, and applying a record twice is harmless.
func (s *SyncService) pull(ctx context.Context, p housing.Principal, cur cursor, pg *page, sent map[string]json.RawMessage) (cursor, bool, bool, error) {
	high, err := highWater(ctx, s.DB.read)
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
	if s.recentLimit() > 0 {
		more, ok, err := s.catchUpRecent(ctx, p, &cur, high, pg, sent)
		if err != nil || ok {
			return cur, more, reset, err
		}
	}
	more, err := s.catchUp(ctx, p, &cur, pg, sent)
	return cur, more, reset, err
}

// snapshot sends the records in p's scope as they are now, kind by kind in
// the order they were stored, from where cur stands. It reports whether the
// snapshot has more to send; when it has not, every change up to cur.seq is
// in the device.
//
// cur always names the next record to send: phase is its kind and after is
// the last ID sent of that kind ("" when none is yet). So whenever the
// page fills, cur is already where the next page starts: inside a kind, at
// the record that did not fit; between kinds, at the start of the next one.
// A kind is left only once a read has found nothing more of it (it returned
// fewer than it was asked for), and every page sends at least one record or
// moves to the next kind, so every record is sent once and the snapshot
// ends.
//
// Pages go by rowid, found from the last ID sent: every scope index ends in
// the rowid, so each page seeks straight to where the last one stopped and
// sorts only what follows, where paging by ID made every page gather and
// sort every record in scope (ten thousand promises took a fifth of a
// second more to send). Records are never deleted, so rowids only grow;
// a VACUUM could renumber them and make a snapshot part-way through skip
// records, and nothing here runs one.
func (s *SyncService) snapshot(ctx context.Context, p housing.Principal, cur *cursor, pg *page) (bool, error) {
	for i := slices.Index(snapshotPhases, cur.phase); i < len(snapshotPhases); i++ {
		if cur.phase != snapshotPhases[i] {
			cur.phase, cur.after = snapshotPhases[i], ""
		}
		if pg.room() <= 0 {
			return true, nil
		}
		after, err := s.rowAfter(ctx, cur.phase, cur.after)
		if err != nil {
			return false, err
		}
		limit := pg.room()
		recs, err := s.read(ctx, cur.phase, pullFilter{Scope: &p, Page: rowPage{After: after, Limit: limit + 1}})
		if err != nil {
			return false, err
		}
		for _, r := range recs {
			if !pg.add(housing.Change{Kind: cur.phase, ID: r.id, Data: r.data}) {
				return true, nil // the page is full by count or bytes; r goes first next time
			}
			cur.after = r.id
		}
		// Fewer than limit+1 read, and every one sent: the kind is done.
	}
	return false, nil
}

// snapshotTables are the tables a snapshot reads, by record kind.
var snapshotTables = map[string]string{
	housing.RecordSite: "sites", housing.RecordFunction: "functions", housing.RecordOfficer: "officers",
	housing.RecordStandard: "standards", housing.RecordTenancy: "tenancies", housing.RecordVisit: "visits",
	housing.RecordCommitment: "commitments", housing.RecordFeedback: "feedback", housing.RecordAttention: "attention",
}

// rowAfter is the rowid of the record of kind with id, where a snapshot page
// goes on from: 0 for "" (the start of the kind) and for an ID not stored,
// so that page starts the kind again; records are never deleted, so only a
// made-up cursor names one.
func (s *SyncService) rowAfter(ctx context.Context, kind, id string) (int64, error) {
	if id == "" {
		return 0, nil
	}
	var row int64
	err := s.DB.read.QueryRowContext(ctx, `SELECT rowid FROM `+snapshotTables[kind]+` WHERE id = ?`, id).Scan(&row)
	if errNoRows(err) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("find where the snapshot stands: %w", err)
	}
	return row, nil
}

// catchUp sends the records named by the change log after cur.seq that p
// may need, each once per page in its current form, or as removed when it
// has left p's scope. The device's own changes come back to it too (see
// sync_echo.go); sent is what it sent in this request.
func (s *SyncService) catchUp(ctx context.Context, p housing.Principal, cur *cursor, pg *page, sent map[string]json.RawMessage) (bool, error) {
	limit := pg.room()
	if limit <= 0 {
		return true, nil
	}
	where, args := changeScopeWhere(p)
	rows, err := s.DB.read.QueryContext(ctx, `SELECT seq, kind, record_id FROM changes WHERE seq > ? AND `+where+` ORDER BY seq LIMIT ?`,
		append(append([]any{cur.seq}, args...), limit+1)...)
	if err != nil {
		return false, fmt.Errorf("read changes: %w", err)
	}
	var entries []loggedChange
	ids := map[string][]string{}
	for rows.Next() {
		var e loggedChange
		if err := rows.Scan(&e.seq, &e.row.Kind, &e.row.RecordID); err != nil {
			rows.Close()
			return false, fmt.Errorf("scan change: %w", err)
		}
		entries = append(entries, e)
		ids[e.row.Kind] = append(ids[e.row.Kind], e.row.RecordID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("read changes: %w", err)
	}
	current, err := s.readByKind(ctx, ids)
	if err != nil {
		return false, err
	}
	return fillFromLog(p, entries, current, limit, cur, pg, sent), nil
}

// fillFromLog adds to pg the records named by entries (the change log after
// cur.seq, already filtered to p's scope, in order), each once per page in
// its current form from current, or as removed when it has left p's scope
// or is gone; a record the device sent in this request (sent) goes as a
// patch on what it sent. It reports whether entries had more than fit;
// cur.seq ends at the last change sent.
func fillFromLog(p housing.Principal, entries []loggedChange, current map[recordKey]record, limit int, cur *cursor, pg *page, sent map[string]json.RawMessage) bool {
	onPage := make(map[recordKey]int, len(entries)) // index in pg.changes
	pg.changes = slices.Grow(pg.changes, min(limit, len(entries)))
	for n, e := range entries {
		if n == limit {
			return true
		}
		key := recordKey{e.row.Kind, e.row.RecordID}
		if i, ok := onPage[key]; ok {
			pg.changes[i].Seq = e.seq // already sent in its latest form
			cur.seq = e.seq
			continue
		}
		ch := housing.Change{Seq: e.seq, Kind: key.kind, ID: key.id, Removed: true}
		if r, ok := current[key]; ok && sees(p, key.kind, r.keys) {
			ch.Removed, ch.Data = false, r.data
			echo(&ch, sent)
		}
		if !pg.add(ch) {
			return true
		}
		onPage[key] = len(pg.changes) - 1
		cur.seq = e.seq
	}
	return false
}

// recordKey names a record: its kind and ID.
type recordKey struct{ kind, id string }

// loggedChange is one entry of the change log as a pull reads it.
type loggedChange struct {
	seq int64
	row changeRow
}

// readByKind reads the current form of the records named in ids (record
// IDs by kind); a record that no longer exists is absent from the result.
func (s *SyncService) readByKind(ctx context.Context, ids map[string][]string) (map[recordKey]record, error) {
	out := map[recordKey]record{}
	for kind, list := range ids {
		for chunk := range chunks(list, 500) {
			recs, err := s.read(ctx, kind, pullFilter{IDs: chunk})
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				out[recordKey{kind, r.id}] = r
			}
		}
	}
	return out, nil
}

// record is one record read for a pull: its ID, its JSON, and the columns
// that decide who may see it in this form (see sees).
type record struct {
	id   string
	data json.RawMessage
	keys scopeKeys
}

// pullFilter selects the records of one kind that a pull reads: those
// named in IDs, when catching up, or a page of those in Scope's sync scope,
// for a snapshot. Reference data is everyone's, whatever Scope.
type pullFilter struct {
	IDs   []string
	Scope *housing.Principal
	Page  rowPage
}

// read returns the records of kind that f selects, encoded, with their
// scope keys. Visits, commitments and feedback are read as stored (their
// doc column); the rest are small and built here.
func (s *SyncService) read(ctx context.Context, kind string, f pullFilter) ([]record, error) {
	q := s.DB.read
	switch kind {
	case housing.RecordSite:
		rs, err := readSites(ctx, q, siteFilter{IDs: f.IDs, Page: f.Page})
		return encodeAll(rs, err, func(r housing.Site) (string, scopeKeys) { return r.ID, scopeKeys{} })
	case housing.RecordFunction:
		rs, err := readFunctions(ctx, q, functionFilter{IDs: f.IDs, Page: f.Page})
		return encodeAll(rs, err, func(r housing.Function) (string, scopeKeys) { return r.ID, scopeKeys{} })
	case housing.RecordOfficer:
		rs, err := readPublicOfficers(ctx, q, officerFilter{IDs: f.IDs, Page: f.Page})
		return encodeAll(rs, err, func(r housing.Officer) (string, scopeKeys) { return r.ID, scopeKeys{} })
	case housing.RecordStandard:
		rs, err := readStandards(ctx, q, standardFilter{IDs: f.IDs, Page: f.Page})
		return encodeAll(rs, err, func(r housing.Standard) (string, scopeKeys) { return r.ID, scopeKeys{} })
	case housing.RecordTenancy:
		rs, err := readTenancies(ctx, q, tenancyFilter{IDs: f.IDs, Scope: f.Scope, Page: f.Page})
		return encodeAll(rs, err, func(r housing.Tenancy) (string, scopeKeys) { return r.ID, scopeKeys{site: r.SiteID, ended: r.Ended} })
	case housing.RecordVisit, housing.RecordCommitment, housing.RecordFeedback:
		return s.readDocs(ctx, kind, f)
	case housing.RecordAttention:
		rs, err := readAttention(ctx, q, attentionFilter{IDs: f.IDs, Scope: f.Scope, Page: f.Page})
		return encodeAll(rs, err, func(r housing.Attention) (string, scopeKeys) { return r.ID, scopeKeys{by: r.OfficerID} })
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

// readDocs reads the visits, commitments or feedback that f selects, as
// stored. A row stored before the doc column existed is built from its
// columns instead.
func (s *SyncService) readDocs(ctx context.Context, kind string, f pullFilter) ([]record, error) {
	var w where
	if len(f.IDs) > 0 {
		w.in("id", f.IDs)
	}
	if f.Scope != nil {
		w.scope(*f.Scope, kind)
	}
	tail := w.page(f.Page, "")
	rows, err := s.DB.read.QueryContext(ctx, docQueries[kind]+w.String()+tail, w.args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", kind, err)
	}
	defer rows.Close()
	var out []record
	var missing []string
	at := map[string]int{}
	for rows.Next() {
		var r record
		var doc string
		if err := rows.Scan(&r.id, &doc, &r.keys.site, &r.keys.by, &r.keys.other, &r.keys.fn); err != nil {
			return nil, fmt.Errorf("scan %s: %w", kind, err)
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
	var built []record
	switch kind {
	case housing.RecordVisit:
		rs, err := readVisits(ctx, s.DB.read, visitFilter{IDs: missing})
		built, err = encodeAll(rs, err, visitKeys)
		if err != nil {
			return nil, err
		}
	case housing.RecordCommitment:
		rs, err := readCommitments(ctx, s.DB.read, commitmentFilter{IDs: missing})
		built, err = encodeAll(rs, err, commitmentKeys)
		if err != nil {
			return nil, err
		}
	case housing.RecordFeedback:
		rs, err := readFeedback(ctx, s.DB.read, feedbackFilter{IDs: missing})
		built, err = encodeAll(rs, err, feedbackKeys)
		if err != nil {
			return nil, err
		}
	}
	for _, r := range built {
		out[at[r.id]] = r
	}
	return out, nil
}

func encodeAll[T any](rs []T, err error, key func(T) (string, scopeKeys)) ([]record, error) {
	if err != nil {
		return nil, err
	}
	out := make([]record, len(rs))
	for i, r := range rs {
		data, err := json.Marshal(r)
		if err != nil {
			return nil, fmt.Errorf("encode record: %w", err)
		}
		out[i].id, out[i].keys = key(r)
		out[i].data = data
	}
	return out, nil
}
