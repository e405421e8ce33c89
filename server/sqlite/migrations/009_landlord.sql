-- A real landlord: what its housing management system says of tenancies
-- (their dates, and whether they have ended) and of staff (email, and
-- whether staff.csv manages the account), the imports it has applied, and
-- the audit of admins' changes to service standards.

-- ended is set by an import that finds end_date on or before its day; an
-- ended tenancy stays, with its history, but leaves officers' phones.
ALTER TABLE tenancies ADD COLUMN start_date TEXT NOT NULL DEFAULT '';
ALTER TABLE tenancies ADD COLUMN end_date TEXT NOT NULL DEFAULT '';
ALTER TABLE tenancies ADD COLUMN ended INTEGER NOT NULL DEFAULT 0;

-- imported marks an account staff.csv manages: one missing from a later
-- staff.csv is switched off. email is for admins; sync never sends it.
-- disabled_by_import says the account was switched off by an import (it
-- was missing from staff.csv), so it comes back on when it reappears; one
-- an admin switched off has 0 here and stays off.
ALTER TABLE officers ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE officers ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
ALTER TABLE officers ADD COLUMN disabled_by_import INTEGER NOT NULL DEFAULT 0;

-- imports holds each import applied: its report (housing.ImportReport as
-- JSON, never with the one-time passwords).
CREATE TABLE imports (
	id      TEXT PRIMARY KEY,
	at      TEXT NOT NULL,
	by      TEXT NOT NULL DEFAULT '', -- officer ID; '' from the command line
	by_name TEXT NOT NULL DEFAULT '',
	report  TEXT NOT NULL
);
CREATE INDEX imports_at ON imports (at);

-- standard_audit holds every change an admin made to a service standard,
-- before and after as housing.Standard JSON (before is '' for a new one).
CREATE TABLE standard_audit (
	n           INTEGER PRIMARY KEY AUTOINCREMENT,
	standard_id TEXT NOT NULL,
	at          TEXT NOT NULL,
	by          TEXT NOT NULL,
	by_name     TEXT NOT NULL,
	before      TEXT NOT NULL DEFAULT '',
	after       TEXT NOT NULL,
	reason      TEXT NOT NULL
);
CREATE INDEX standard_audit_standard ON standard_audit (standard_id, n);
