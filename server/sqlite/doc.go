// Package sqlite is Doorstep's store: one SQLite file under the data folder,
// opened in WAL mode, with embedded migrations and the services declared in
// shared/housing. SQL lives here and nowhere else; nothing here knows HTTP.
//
// Each job has a service of its own over the one DB: SessionService
// (sign-in and devices), OfficerService (staff accounts), SyncService (the
// phones' sync), ReviewService (what supervisors read), TenantService (the
// tenant link pages), ReferenceService (the landlord's sites, teams,
// standards, staff and tenancies, loaded in bulk), ReferenceAdminService
// (an admin's changes to sites, teams and standards, audited),
// ImportService (the landlord's own CSV files, read by server/importcsv,
// applied in one transaction) and IntegrationService (the events feed that
// the landlord's other systems read, and their tokens; the feed is written
// by the sync and tenant writes themselves, feed.go). A setting lives on the
// service that uses it; the clock (DB.Now) is shared by all.
//
// Each exported service method is one transaction that calls small
// unexported helpers taking the *Tx: a write transaction, or a read
// transaction where a page's counts and rows must agree. Readers take a
// small typed filter declared beside their SELECT (where.go), never SQL
// text. Pulls are the exception: they read outside any transaction, since
// every page is correct on its own (SyncService.pull).
package sqlite
