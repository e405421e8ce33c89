// Package replica is the phone's copy of the officer's records and the
// outbox of what they did offline. It is plain Go with no browser code, so it
// is tested natively; app/idb gives it durable storage in the browser and
// app/remote its transport.
//
// Every write puts the record and its outbox mutation in the Store in ONE
// transaction before it returns, so "saved on this phone" is true the moment
// the screen says it. Sync pushes the outbox in order and pulls the changes in
// the officer's scope; a pulled page, the acknowledged outbox entries and
// the new cursor are applied in one transaction, and mutations still pending
// are applied again on top so the screen never flickers back.
package replica
