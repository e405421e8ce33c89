// Package synctest holds the one contract test body of the sync protocol
// (Run) and what it needs: a small landlord (Fixture, Seed) and a simple
// phone (Device). Every implementation of housing.SyncService runs the same
// body: the SQLite service in-process (server/sqlite) and the HTTP client
// through echo to the same service (server/api), so the two cannot drift.
package synctest
