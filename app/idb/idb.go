//go:build js && wasm

package idb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"syscall/js"

	"doorstep/app/replica"
	"doorstep/shared/housing"
)

// Version is the IndexedDB schema version. Raising it runs upgrade for
// every step between the version on the phone and this one, inside the
// browser's versionchange transaction, keeping what is stored.
const Version = 1

// The object stores. Values are JSON text, keyed as the replica keys them.
const (
	storeMeta      = "meta"      // one value under metaKey
	storeRecords   = "records"   // "kind/id" → record JSON
	storeOutbox    = "outbox"    // mutation Seq → mutation JSON
	storeAttention = "attention" // attention ID → attention JSON
	metaKey        = "meta"
)

var allStores = []any{storeMeta, storeRecords, storeOutbox, storeAttention}

// upgrade moves the database from version old to Version. Each step only
// adds; a later step that changes the shape of stored values reads them and
// writes them back here, inside the same versionchange transaction.
func upgrade(db js.Value, old int) {
	if old < 1 {
		for _, s := range allStores {
			db.Call("createObjectStore", s)
		}
	}
}

// Store is the replica's Store over one IndexedDB database.
type Store struct {
	db js.Value
	// replaced is set once a newer release in another tab took the
	// database over; this tab can then neither read nor write.
	replaced atomic.Bool
}

// errReplaced is what a Store returns once a newer release of the app in
// another tab has upgraded the database.
var errReplaced = housing.Errorf(housing.CodeUnsupported,
	"Doorstep was updated in another tab. Reload this page to go on; what is not saved here yet was not saved.")

var _ replica.Store = (*Store)(nil)

// Open opens (creating or upgrading) the database called name.
func Open(ctx context.Context, name string) (*Store, error) {
	factory := js.Global().Get("indexedDB")
	if factory.IsUndefined() || factory.IsNull() {
		return nil, errors.New("this browser has no IndexedDB: records cannot be kept on this phone")
	}
	req := factory.Call("open", name, Version)
	done := make(chan error, 1)
	var funcs []js.Func
	on := func(event string, f func(js.Value)) {
		fn := js.FuncOf(func(this js.Value, args []js.Value) any {
			f(args[0])
			return nil
		})
		funcs = append(funcs, fn)
		req.Set("on"+event, fn)
	}
	on("upgradeneeded", func(e js.Value) { upgrade(req.Get("result"), e.Get("oldVersion").Int()) })
	on("success", func(js.Value) { send(done, nil) })
	on("error", func(js.Value) { send(done, fmt.Errorf("open IndexedDB: %s", errorText(req.Get("error")))) })
	on("blocked", func(js.Value) {
		send(done, errors.New("open IndexedDB: another tab holds an older version open; close it and reload"))
	})
	defer func() {
		// Events may still come after an early return (a blocked open
		// succeeds once the other tab closes): JavaScript must not call a
		// released function.
		for _, event := range []string{"upgradeneeded", "success", "error", "blocked"} {
			req.Set(event, js.Null())
		}
		for _, f := range funcs {
			f.Release()
		}
	}()
	select {
	case err := <-done:
		if err != nil {
			return nil, err
		}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	db := req.Get("result")
	st := &Store{db: db}
	// A newer app in another tab wants to upgrade: step aside, so it can.
	db.Set("onversionchange", js.FuncOf(func(js.Value, []js.Value) any {
		st.replaced.Store(true)
		db.Call("close")
		return nil
	}))
	return st, nil
}

// Close closes the database connection; the Store is unusable afterwards.
func (s *Store) Close() { s.db.Call("close") }

// Load reads everything the database holds, in one read transaction.
func (s *Store) Load(ctx context.Context) (snap replica.Snapshot, err error) {
	if s.replaced.Load() {
		return snap, errReplaced
	}
	tx := js.Undefined()
	defer catch(&err, &tx)
	tx = s.db.Call("transaction", js.ValueOf(allStores), "readonly")
	meta := tx.Call("objectStore", storeMeta).Call("get", metaKey)
	recKeys := tx.Call("objectStore", storeRecords).Call("getAllKeys")
	recVals := tx.Call("objectStore", storeRecords).Call("getAll")
	outbox := tx.Call("objectStore", storeOutbox).Call("getAll")
	attention := tx.Call("objectStore", storeAttention).Call("getAll")
	if err := wait(ctx, tx); err != nil {
		return snap, fmt.Errorf("read IndexedDB: %w", err)
	}
	if v := meta.Get("result"); v.Type() == js.TypeString {
		var m replica.Meta
		if err := json.Unmarshal([]byte(v.String()), &m); err != nil {
			return snap, fmt.Errorf("read meta: %w", err)
		}
		snap.Meta = &m
	}
	keys, vals := recKeys.Get("result"), recVals.Get("result")
	for i := 0; i < keys.Length(); i++ {
		snap.Records = append(snap.Records, replica.Record{Key: keys.Index(i).String(), Data: json.RawMessage(vals.Index(i).String())})
	}
	if err := decodeAll(outbox.Get("result"), &snap.Outbox); err != nil {
		return snap, fmt.Errorf("read outbox: %w", err)
	}
	if err := decodeAll(attention.Get("result"), &snap.Attention); err != nil {
		return snap, fmt.Errorf("read attention: %w", err)
	}
	return snap, nil
}

// Apply writes a batch in one read-write transaction with strict
// durability: when it returns nil, the data is on disk; when it returns an
// error, nothing of the batch was written.
//
// The transaction first reads the stored meta and writes only if its
// Generation is the batch's Base, else it returns replica.ErrStale: another
// tab wrote first. The writes are issued from the read's success handler,
// inside the same transaction, which stays open while a request is pending.
func (s *Store) Apply(ctx context.Context, b replica.Batch) (err error) {
	if s.replaced.Load() {
		return errReplaced
	}
	// Everything is encoded before the transaction starts, so the handler
	// below only issues requests.
	var metaText string
	if b.Meta != nil {
		m := *b.Meta
		m.SchemaVersion = replica.SchemaVersion
		metaText = mustText(m)
	}
	outboxTexts := make([]string, len(b.Enqueue))
	for i, m := range b.Enqueue {
		outboxTexts[i] = mustText(m)
	}
	attentionTexts := make([]string, len(b.PutAttention))
	for i, a := range b.PutAttention {
		attentionTexts[i] = mustText(a)
	}

	opts := js.Global().Get("Object").New()
	opts.Set("durability", "strict")
	tx := js.Undefined()
	// A request that throws (the database closed under us, a bad key) must
	// not leave the requests issued before it to commit on their own.
	defer catch(&err, &tx)
	tx = s.db.Call("transaction", js.ValueOf(allStores), "readwrite", opts)
	meta, records := tx.Call("objectStore", storeMeta), tx.Call("objectStore", storeRecords)
	outbox, attention := tx.Call("objectStore", storeOutbox), tx.Call("objectStore", storeAttention)
	current := meta.Call("get", metaKey)

	var stale bool
	var writeErr error
	write := js.FuncOf(func(js.Value, []js.Value) any {
		defer catch(&writeErr, &tx)
		if generation(current.Get("result")) != b.Base {
			stale = true
			abort(tx)
			return nil
		}
		if b.Clear {
			for _, st := range []js.Value{meta, records, outbox, attention} {
				st.Call("clear")
			}
		}
		if b.Meta != nil {
			meta.Call("put", metaText, metaKey)
		}
		for _, r := range b.Put {
			records.Call("put", string(r.Data), r.Key)
		}
		for _, k := range b.Delete {
			records.Call("delete", k)
		}
		for _, seq := range b.Dequeue {
			outbox.Call("delete", float64(seq))
		}
		for i, m := range b.Enqueue {
			outbox.Call("put", outboxTexts[i], float64(m.Seq))
		}
		for i, a := range b.PutAttention {
			attention.Call("put", attentionTexts[i], a.ID)
		}
		for _, id := range b.DeleteAttention {
			attention.Call("delete", id)
		}
		return nil
	})
	defer func() {
		current.Set("onsuccess", js.Null())
		write.Release()
	}()
	current.Set("onsuccess", write)

	waitErr := wait(ctx, tx)
	switch {
	case stale:
		return replica.ErrStale
	case writeErr != nil:
		return fmt.Errorf("write IndexedDB: %w", writeErr)
	case waitErr != nil:
		return fmt.Errorf("write IndexedDB: %w", waitErr)
	}
	return nil
}

// generation reads the Generation of a stored meta value; 0 when there is
// none.
func generation(v js.Value) int64 {
	if v.Type() != js.TypeString {
		return 0
	}
	var m struct {
		Generation int64 `json:"generation"`
	}
	if json.Unmarshal([]byte(v.String()), &m) != nil {
		return -1 // unreadable: never matches, so nothing is written over it
	}
	return m.Generation
}

// wait blocks until tx completes or fails. Call it only after every request
// of tx has been issued.
//
// A transaction outlives the Go side's interest in it: when ctx ends first,
// wait aborts tx and still waits for the outcome, because a transaction that
// commits anyway must not be reported as failed (the replica would then
// number its next write with the same mutation number).
func wait(ctx context.Context, tx js.Value) error {
	done := make(chan error, 1)
	complete := js.FuncOf(func(js.Value, []js.Value) any { send(done, nil); return nil })
	failed := js.FuncOf(func(js.Value, []js.Value) any {
		send(done, errors.New(errorText(tx.Get("error"))))
		return nil
	})
	defer func() {
		// An error event is followed by an abort event: clear the handlers
		// before releasing them, or JavaScript calls a released function.
		for _, event := range []string{"oncomplete", "onerror", "onabort"} {
			tx.Set(event, js.Null())
		}
		complete.Release()
		failed.Release()
	}()
	tx.Set("oncomplete", complete)
	tx.Set("onerror", failed)
	tx.Set("onabort", failed)
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		abort(tx)
		if err := <-done; err != nil {
			return ctx.Err()
		}
		return nil // it committed before the abort could stop it
	}
}

// send delivers the first outcome and drops later ones: a JavaScript event
// handler must never block.
func send(ch chan error, err error) {
	select {
	case ch <- err:
	default:
	}
}

// abort aborts tx, which throws when tx has already finished or is
// committing; then its own outcome stands.
func abort(tx js.Value) {
	defer func() { _ = recover() }()
	if tx.Type() == js.TypeObject {
		tx.Call("abort")
	}
}

// catch turns a JavaScript exception thrown by a call into an error, aborting
// *tx (when it was made) so that nothing of a half-issued batch commits. Use
// it deferred, with the function's named error.
func catch(err *error, tx *js.Value) {
	r := recover()
	if r == nil {
		return
	}
	abort(*tx)
	if e, ok := r.(js.Error); ok {
		*err = fmt.Errorf("IndexedDB: %s", e.Error())
		return
	}
	*err = fmt.Errorf("IndexedDB: %v", r)
}

func decodeAll[T any](list js.Value, out *[]T) error {
	for i := 0; i < list.Length(); i++ {
		var v T
		if err := json.Unmarshal([]byte(list.Index(i).String()), &v); err != nil {
			return err
		}
		*out = append(*out, v)
	}
	return nil
}

func mustText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("idb: encode: " + err.Error())
	}
	return string(b)
}

func errorText(e js.Value) string {
	if e.IsNull() || e.IsUndefined() {
		return "unknown IndexedDB error"
	}
	return e.Get("name").String() + ": " + e.Get("message").String()
}
