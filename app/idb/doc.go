// Package idb is the replica's Store on the browser's IndexedDB, so that
// what an officer saves survives a reload, a browser restart and an app
// update. It talks to IndexedDB through syscall/js.
//
// IndexedDB commits a transaction as soon as the JavaScript task that made
// it ends with no request pending, and Go's wasm yields to JavaScript
// whenever a goroutine blocks; so every method issues all of a transaction's
// requests first and only then waits for it to complete.
package idb
