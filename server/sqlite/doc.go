// Package sqlite is Doorstep's store: one SQLite file under the data folder,
// opened in WAL mode, with embedded migrations and the services declared in
// shared/housing. SQL lives here and nowhere else; nothing here knows HTTP.
//
// Each exported service method is one transaction that calls small unexported
// helpers taking the *Tx.
package sqlite
