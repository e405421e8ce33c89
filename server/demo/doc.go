// Package demo is the demo landlord: made-up sites, teams, staff and
// tenancies, and a few weeks of history, seeded into a new database when
// the server starts with -demo and by tests that need a landlord to work
// with.
//
// It writes only through the store's public services, as a landlord's
// import, an officer's phone and a tenant would: its reference data
// through sqlite.ReferenceService.Put, and its history by syncing each
// officer's changes through sqlite.SyncService and each tenant's answers
// through sqlite.TenantService, with the database's clock set to each
// moment in turn. Its IDs and tenant link tokens are derived from names
// (OfficerID, TenancyID, TenantToken), so every demo database has the same
// ones and tests can name them.
package demo
