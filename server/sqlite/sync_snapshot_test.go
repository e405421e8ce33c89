package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"doorstep/shared/housing"
)

// The snapshot checks, and those of recent changes (sync_recent_test.go),
// run over the demo landlord's history: every kind of record, in numbers
// that span many pages. Package demo makes it through this package's
// services, so an internal test cannot import it; demo_history_test.go, an
// external test, makes the database and calls the Check* functions here.

// DemoHistory is a database holding the demo landlord and its history, and
// the demo's staff as principals on phones of their own, by username.
type DemoHistory struct {
	DB     *DB
	People map[string]housing.Principal
}

// person is the demo user username on a phone of their own.
func (h DemoHistory) person(t *testing.T, username string) housing.Principal {
	t.Helper()
	p, ok := h.People[username]
	if !ok {
		t.Fatalf("no demo user %s", username)
	}
	return p
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// inScope is every record a snapshot for p must send, by kind, in the
// order it must send them, read in one query per kind without paging.
func inScope(t *testing.T, s *SyncService, p housing.Principal) map[string][]housing.Change {
	t.Helper()
	out := map[string][]housing.Change{}
	for _, kind := range snapshotPhases {
		// A page as large as the kind: every record in scope, in the order
		// stored.
		recs, err := s.read(context.Background(), kind, pullFilter{Scope: &p, Page: rowPage{Limit: 1 << 30}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			out[kind] = append(out[kind], housing.Change{Kind: kind, ID: r.id, Data: r.data})
		}
	}
	return out
}

// pageLimits chooses the count and byte limits of the next page, given
// where the snapshot stands.
type pageLimits func(cur cursor) (count, bytes int)

// pullSnapshot pulls a fresh device's whole snapshot for p, each page with
// the limits limits chooses, and checks that every record in scope arrives
// exactly once, kind by kind in the order stored, and that the snapshot
// ends within as many pages as it has records and kinds.
func pullSnapshot(t *testing.T, s *SyncService, p housing.Principal, want map[string][]housing.Change, limits pageLimits) {
	t.Helper()
	var all []housing.Change
	for _, kind := range snapshotPhases {
		all = append(all, want[kind]...)
	}
	maxPages := len(all) + len(snapshotPhases) + 1
	var got []housing.Change
	var cur cursor // a fresh device
	for pages := 0; ; pages++ {
		if pages > maxPages {
			t.Fatalf("the snapshot of %d records had not ended after %d pages; it stands at %s", len(all), pages, cur)
		}
		count, bytes := limits(cur)
		pg := newPage(count, bytes)
		next, more, _, err := s.pull(context.Background(), p, cur, pg, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(pg.changes) > pg.maxCount {
			t.Fatalf("page %d holds %d changes, over its limit of %d", pages, len(pg.changes), pg.maxCount)
		}
		for _, ch := range pg.changes {
			if ch.Seq == 0 { // a snapshot's change; catching up from H finds nothing here
				got = append(got, ch)
			}
		}
		cur = next
		if !more {
			break
		}
	}
	if cur.snapshot {
		t.Fatalf("the snapshot ended with cursor %s, want a catch-up cursor", cur)
	}
	seen := map[recordKey]int{}
	for _, ch := range got {
		seen[recordKey{ch.Kind, ch.ID}]++
	}
	for _, ch := range all {
		if n := seen[recordKey{ch.Kind, ch.ID}]; n != 1 {
			t.Errorf("%s %s arrived %d times, want once", ch.Kind, ch.ID, n)
		}
	}
	if len(got) != len(all) {
		t.Fatalf("got %d changes in the snapshot, want the %d records in scope", len(got), len(all))
	}
	for i := range all {
		if got[i].Kind != all[i].Kind || got[i].ID != all[i].ID || string(got[i].Data) != string(all[i].Data) {
			t.Fatalf("change %d is %s %s, want %s %s: the snapshot goes kind by kind in the order stored",
				i, got[i].Kind, got[i].ID, all[i].Kind, all[i].ID)
		}
	}
}

// remaining is what is left to send of the kind cur stands in: the
// records after cur.after.
func remaining(want map[string][]housing.Change, cur cursor) []housing.Change {
	if !cur.snapshot {
		return nil
	}
	recs := want[cur.phase]
	if cur.after == "" {
		return recs
	}
	i := slices.IndexFunc(recs, func(ch housing.Change) bool { return ch.ID == cur.after })
	return recs[i+1:]
}

// CheckSnapshotKindEndsOnPageBoundary pulls snapshots whose every page ends
// exactly where a kind of record ends: by count (the page holds exactly
// what is left of the kind), by bytes (the page's byte limit is exactly
// what is left of the kind), and alternating the two, so that a page cut
// by bytes at the end of one kind is followed by a page of exactly the
// next kind's size. Each record must arrive once and each snapshot end.
func CheckSnapshotKindEndsOnPageBoundary(t *testing.T, h DemoHistory) {
	s := &SyncService{DB: h.DB}
	const huge = 1 << 30
	byCount := func(rest []housing.Change) (int, int) { return max(1, len(rest)), huge }
	byBytes := func(rest []housing.Change) (int, int) {
		size := 0
		for _, ch := range rest {
			size += changeSize(ch)
		}
		return huge, max(1, size)
	}
	for _, username := range []string{"admin", "tom", "sarah"} {
		p := h.person(t, username)
		want := inScope(t, s, p)
		for _, tc := range []struct {
			name   string
			limits func(want map[string][]housing.Change) pageLimits
		}{
			{"Count", func(want map[string][]housing.Change) pageLimits {
				return func(cur cursor) (int, int) { return byCount(remaining(want, cur)) }
			}},
			{"Bytes", func(want map[string][]housing.Change) pageLimits {
				return func(cur cursor) (int, int) { return byBytes(remaining(want, cur)) }
			}},
			{"BytesThenCount", func(want map[string][]housing.Change) pageLimits {
				n := 0
				return func(cur cursor) (int, int) {
					n++
					if n%2 == 1 {
						return byBytes(remaining(want, cur))
					}
					return byCount(remaining(want, cur))
				}
			}},
		} {
			t.Run(username+"/"+tc.name, func(t *testing.T) {
				pullSnapshot(t, s, p, want, tc.limits(want))
			})
		}
	}
}

// CheckSnapshotEveryPageSize is the snapshot's property: whatever the page
// limits, every record in scope arrives exactly once, in order, and the
// snapshot ends. It pulls the demo landlord's snapshot for an admin and an
// officer over many page sizes and byte limits, from a record a page to
// the default, and byte limits below a single record.
func CheckSnapshotEveryPageSize(t *testing.T, h DemoHistory) {
	s := &SyncService{DB: h.DB}
	for _, username := range []string{"admin", "tom"} {
		p := h.person(t, username)
		want := inScope(t, s, p)
		for _, count := range []int{1, 2, 3, 7, 10, 64, 99, 500} {
			for _, bytes := range []int{1, 700, 5000, 65536, DefaultPageBytes} {
				if count == 1 && bytes != 1 {
					continue // a page of one record is the same whatever the bytes
				}
				t.Run(fmt.Sprintf("%s/%d/%dB", username, count, bytes), func(t *testing.T) {
					pullSnapshot(t, s, p, want, func(cursor) (int, int) { return count, bytes })
				})
			}
		}
	}
}

// CheckSnapshotThousandAtBoundary is the case that was reported: sites
// through visits come to exactly two default pages for an admin, and a
// fresh admin device must get each visit once.
func CheckSnapshotThousandAtBoundary(t *testing.T, h DemoHistory) {
	ctx := context.Background()
	s := &SyncService{DB: h.DB}
	admin := h.person(t, "admin")
	want := inScope(t, s, admin)
	before := 0
	for _, kind := range snapshotPhases[:slices.Index(snapshotPhases, housing.RecordVisit)+1] {
		before += len(want[kind])
	}
	total := 2 * DefaultPageChanges
	if before > total {
		t.Fatalf("the demo already has %d records from sites to visits; want at most %d", before, total)
	}
	var tenancy housing.Tenancy
	if err := json.Unmarshal(want[housing.RecordTenancy][0].Data, &tenancy); err != nil {
		t.Fatal(err)
	}
	var ms []housing.Mutation
	for i := range total - before {
		start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
		v := housing.Visit{ID: uuid.Must(uuid.NewV7()).String(), TenancyID: tenancy.ID, SiteID: tenancy.SiteID, OfficerID: admin.OfficerID,
			Purpose: housing.PurposeWelfareCheck, StartedAt: start, EndedAt: start.Add(10 * time.Minute)}
		ms = append(ms, housing.Mutation{Seq: int64(len(ms) + 1), Kind: housing.KindVisitRecord, RecordID: v.ID, HappenedAt: start, Data: mustJSON(v)})
	}
	for len(ms) > 0 {
		n := min(len(ms), housing.MaxMutationsPerBatch)
		resp, err := s.Sync(ctx, admin, housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: admin.DeviceID, Cursor: "", Mutations: ms[:n]})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range resp.Results {
			if r.Status != housing.ResultApplied {
				t.Fatalf("visit %d: %s %s", r.Seq, r.Status, r.Reason)
			}
		}
		ms = ms[n:]
	}
	fresh := h.person(t, "admin")
	fresh.DeviceID = "a-new-phone"
	pullSnapshot(t, s, fresh, inScope(t, s, fresh), func(cursor) (int, int) { return 0, 0 })
}
