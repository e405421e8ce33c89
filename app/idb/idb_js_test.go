//go:build js && wasm

package idb_test

import (
	"context"
	"errors"
	"syscall/js"
	"testing"

	"doorstep/app/idb"
	"doorstep/app/replica"
	"doorstep/app/replica/storetest"
	"doorstep/shared/housing"
)

// These tests run inside Chromium (see browser_test.go), over the
// browser's real IndexedDB.

// TestStore holds the IndexedDB store to the contract MemStore meets
// natively. Each open is a new connection to the same database, as a reload
// of the page makes.
func TestStore(t *testing.T) {
	fresh := map[string]bool{}
	storetest.Run(t, func(t *testing.T, name string) replica.Store {
		if !fresh[name] {
			deleteDatabase(t, name) // left by an earlier run in the same profile
			fresh[name] = true
		}
		s, err := idb.Open(context.Background(), name)
		if err != nil {
			t.Fatalf("open %s: %v", name, err)
		}
		t.Cleanup(s.Close)
		return s
	})
}

// deleteDatabase deletes the IndexedDB database called name, if any.
func deleteDatabase(t *testing.T, name string) {
	t.Helper()
	if err := await(js.Global().Get("indexedDB").Call("deleteDatabase", name)); err != nil {
		t.Fatalf("delete database %s: %v", name, err)
	}
}

// await waits for an IndexedDB request to succeed or fail. The handlers are
// cleared before they are released, so a late event calls nothing.
func await(req js.Value) error {
	done := make(chan error, 1)
	send := func(err error) {
		select {
		case done <- err:
		default:
		}
	}
	ok := js.FuncOf(func(js.Value, []js.Value) any { send(nil); return nil })
	failed := js.FuncOf(func(js.Value, []js.Value) any {
		send(errors.New(req.Get("error").Call("toString").String()))
		return nil
	})
	blocked := js.FuncOf(func(js.Value, []js.Value) any {
		send(errors.New("blocked by an open connection"))
		return nil
	})
	req.Set("onsuccess", ok)
	req.Set("onerror", failed)
	req.Set("onblocked", blocked)
	err := <-done
	for _, event := range []string{"onsuccess", "onerror", "onblocked"} {
		req.Set(event, js.Null())
	}
	ok.Release()
	failed.Release()
	blocked.Release()
	return err
}

// TestReplacedByNewerRelease is a newer release of the app opening the
// database in another tab: this tab's store steps aside at once and says
// why, instead of failing on a closed database.
func TestReplacedByNewerRelease(t *testing.T) {
	const name = "replaced-by-newer"
	deleteDatabase(t, name)
	s, err := idb.Open(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	newer := js.Global().Get("indexedDB").Call("open", name, idb.Version+1)
	if err := await(newer); err != nil {
		t.Fatalf("open as a newer release: %v", err)
	}
	newer.Get("result").Call("close")
	err = s.Apply(context.Background(), replica.Batch{Put: []replica.Record{{Key: "visit/v1", Data: []byte(`{}`)}}})
	if got := housing.ErrorCode(err); got != housing.CodeUnsupported {
		t.Errorf("got %v writing after a newer release took over, want code %s", err, housing.CodeUnsupported)
	}
	if _, err := s.Load(context.Background()); housing.ErrorCode(err) != housing.CodeUnsupported {
		t.Errorf("got %v reading after a newer release took over, want code %s", err, housing.CodeUnsupported)
	}
}
