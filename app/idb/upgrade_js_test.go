//go:build js && wasm

package idb_test

import (
	"context"
	"syscall/js"
	"testing"

	"doorstep/app/idb"
	"doorstep/shared/housing"
)

// v1 is a phone's database as the first release of the app left it, written
// here by hand rather than by package idb, so this test keeps proving the
// upgrade path when Version and the stores change: the officer's unsynced
// visit, its outbox entry and the tenant link survive an app update.
var v1 = struct {
	stores  []string
	meta    string
	records map[string]string
	outbox  map[int]string
}{
	stores: []string{"meta", "records", "outbox", "attention"},
	meta: `{"schema_version":1,"officer":{"id":"o1","username":"sarah","name":"Sarah Okafor","role":"officer","sites":["riverside"],"functions":["tenancy"]},` +
		`"token":"tok","device_id":"0190f5a2-7b3c-7def-8123-456789abcdef","next_seq":8,"cursor":"17"}`,
	records: map[string]string{
		"visit/v1": `{"id":"v1","tenancy_id":"t1"}`,
		"token/c1": `"ds1_abc"`,
	},
	outbox: map[int]string{
		7: `{"seq":7,"kind":"visit.record","record_id":"v1","happened_at":"2026-11-23T09:00:00Z","data":{"id":"v1","tenancy_id":"t1"}}`,
	},
}

func TestUpgradeFromV1(t *testing.T) {
	const name = "upgrade-from-v1"
	deleteDatabase(t, name)
	writeV1(t, name)

	s, err := idb.Open(context.Background(), name)
	if err != nil {
		t.Fatalf("open a v1 database: %v", err)
	}
	defer s.Close()
	snap, err := s.Load(context.Background())
	if err != nil {
		t.Fatalf("load after the upgrade: %v", err)
	}
	if snap.Meta == nil || snap.Meta.Officer.Username != "sarah" || snap.Meta.NextSeq != 8 || snap.Meta.Cursor != "17" || snap.Meta.Token != "tok" {
		t.Errorf("got meta %+v, want sarah's, numbering from 8, cursor 17", snap.Meta)
	}
	got := map[string]string{}
	for _, r := range snap.Records {
		got[r.Key] = string(r.Data)
	}
	for k, want := range v1.records {
		if got[k] != want {
			t.Errorf("got record %s = %s, want %s", k, got[k], want)
		}
	}
	if len(snap.Outbox) != 1 || snap.Outbox[0].Seq != 7 || snap.Outbox[0].Kind != housing.KindVisitRecord || snap.Outbox[0].RecordID != "v1" {
		t.Errorf("got outbox %+v, want the unsynced visit as mutation 7", snap.Outbox)
	}
}

// writeV1 creates database name at version 1 with the v1 stores and data.
func writeV1(t *testing.T, name string) {
	t.Helper()
	req := js.Global().Get("indexedDB").Call("open", name, 1)
	upgrade := js.FuncOf(func(js.Value, []js.Value) any {
		db := req.Get("result")
		for _, s := range v1.stores {
			db.Call("createObjectStore", s)
		}
		return nil
	})
	defer upgrade.Release()
	req.Set("onupgradeneeded", upgrade)
	if err := await(req); err != nil {
		t.Fatalf("create the v1 database: %v", err)
	}
	req.Set("onupgradeneeded", js.Null())
	db := req.Get("result")
	defer db.Call("close")

	tx := db.Call("transaction", []any{"meta", "records", "outbox"}, "readwrite")
	tx.Call("objectStore", "meta").Call("put", v1.meta, "meta")
	for k, v := range v1.records {
		tx.Call("objectStore", "records").Call("put", v, k)
	}
	for seq, v := range v1.outbox {
		tx.Call("objectStore", "outbox").Call("put", v, seq)
	}
	done := make(chan struct{})
	complete := js.FuncOf(func(js.Value, []js.Value) any { close(done); return nil })
	defer complete.Release()
	tx.Set("oncomplete", complete)
	<-done
	tx.Set("oncomplete", js.Null())
}
