package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"

	"doorstep/shared/housing"
)

// CheckRecentChangesMatchSQLite checks that catching up from the changes
// held in memory sends exactly what reading SQLite sends, page by page, for
// every demo officer's scope and from cursors all along the demo history,
// with all of it held and with only the newest part held (older cursors
// fall back to SQLite), and with part of the log's records taken as sent in
// the request, so both send the same patches.
func CheckRecentChangesMatchSQLite(t *testing.T, h DemoHistory) {
	ctx := context.Background()
	db := h.DB
	high, err := highWater(ctx, db.db)
	if err != nil {
		t.Fatal(err)
	}
	if high < 500 {
		t.Fatalf("the demo history has %d changes; want a busy log to compare over", high)
	}

	// Every fifth visit, promise and feedback in the log, as if the pulling
	// device had just sent it with only its ID.
	entries, err := readChanges(ctx, db.db, 0, high)
	if err != nil {
		t.Fatal(err)
	}
	sent := map[string]json.RawMessage{}
	for i, e := range entries {
		if k := e.row.Kind; i%5 == 0 && (k == housing.RecordVisit || k == housing.RecordCommitment || k == housing.RecordFeedback) {
			sent[k+"/"+e.row.RecordID] = json.RawMessage(`{"id":"` + e.row.RecordID + `"}`)
		}
	}
	if len(sent) == 0 {
		t.Fatal("no records to take as sent")
	}

	const pageChanges = 37
	patched := 0
	disk := &SyncService{DB: db, PageChanges: pageChanges, RecentChanges: -1}
	for _, held := range []int{int(high) * 4, int(high)} { // all of it; the newest half
		memory := &SyncService{DB: db, PageChanges: pageChanges, RecentChanges: held}
		for _, username := range slices.Sorted(maps.Keys(h.People)) {
			p := h.People[username]
			for _, from := range []int64{0, high / 4, high / 2, high - 40, high - 3} {
				for _, sent := range []map[string]json.RawMessage{nil, sent} {
					want := pages(t, disk, p, from, sent)
					got := pages(t, memory, p, from, sent)
					for _, pg := range got {
						for _, ch := range pg.Changes {
							if len(ch.Patch) > 0 {
								patched++
							}
						}
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s from change %d holding %d, %d records sent: memory sent %d pages, SQLite %d; first difference at %s",
							username, from, held, len(sent), len(got), len(want), firstDifference(got, want))
					}
				}
			}
		}
	}
	if patched == 0 {
		t.Errorf("no change went as a patch: the comparison did not cover them")
	}
}

// pulled is one page of a catch-up as a test compares it.
type pulled struct {
	Changes []housing.Change
	Cursor  cursor
	More    bool
}

func pages(t *testing.T, s *SyncService, p housing.Principal, from int64, sent map[string]json.RawMessage) []pulled {
	t.Helper()
	cur := cursor{seq: from, scope: scopeFingerprint(p)}
	var out []pulled
	for {
		pg := newPage(s.PageChanges, 0)
		next, more, reset, err := s.pull(context.Background(), p, cur, pg, sent)
		if err != nil {
			t.Fatal(err)
		}
		if reset {
			t.Fatalf("pull from change %d started over", from)
		}
		out = append(out, pulled{pg.changes, next, more})
		if !more {
			return out
		}
		cur = next
	}
}

func firstDifference(got, want []pulled) string {
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			return fmt.Sprint("page ", i)
		}
	}
	return "the end"
}

func TestRecentChangesTrim(t *testing.T) {
	rc := recentChanges{started: true, current: map[recordKey]record{}}
	for seq := int64(1); seq <= 10; seq++ {
		id := fmt.Sprint("c", seq%6) // some records change twice
		rc.log = append(rc.log, loggedChange{seq: seq, row: changeRow{Kind: housing.RecordCommitment, RecordID: id}})
		rc.current[recordKey{housing.RecordCommitment, id}] = record{id: id}
	}
	rc.high = 10
	rc.trim(4)
	if rc.low != 6 || len(rc.log) != 4 || rc.log[0].seq != 7 {
		t.Fatalf("after trim: low %d, %d held from %d; want low 6, 4 held from 7", rc.low, len(rc.log), rc.log[0].seq)
	}
	for _, id := range []string{"c1", "c2", "c3", "c4"} { // changes 7-10
		if _, ok := rc.current[recordKey{housing.RecordCommitment, id}]; !ok {
			t.Errorf("record %s, named by a held change, was dropped", id)
		}
	}
	if len(rc.current) != 4 {
		t.Errorf("%d records held after trim; want the 4 the held changes name", len(rc.current))
	}
}
