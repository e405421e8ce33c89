-- Statutory cases (shared/housing/cases.go): a complaint under the
-- Complaint Handling Code or a hazard under Awaab's Law, opened at the
-- door. Each of a case's clocks is a promise in commitments, named by
-- case_id and step, so the queues, history, feed and measures that every
-- promise has cover it too.

-- data is the whole case as housing.Case JSON (its steps and history
-- included; never its token), read and written whole like a document; the
-- columns beside it are copies of what scope, queries and measures filter
-- on, written from it in the same statement.
CREATE TABLE cases (
	id             TEXT PRIMARY KEY,
	kind           TEXT NOT NULL CHECK (kind IN ('complaint', 'hazard')),
	tenancy_id     TEXT NOT NULL REFERENCES tenancies (id),
	feedback_id    TEXT NOT NULL DEFAULT '',
	site_id        TEXT NOT NULL REFERENCES sites (id),
	function_id    TEXT NOT NULL REFERENCES functions (id),
	opened_by      TEXT NOT NULL REFERENCES officers (id),
	status         TEXT NOT NULL CHECK (status IN ('open', 'responded', 'closed')),
	stage          INTEGER NOT NULL DEFAULT 0,
	stage1_handler TEXT NOT NULL DEFAULT '',
	stage2_handler TEXT NOT NULL DEFAULT '',
	aware_at       TEXT NOT NULL,
	token_hash     TEXT UNIQUE,
	version        INTEGER NOT NULL CHECK (version >= 1),
	data           TEXT NOT NULL,
	received_at    TEXT NOT NULL,
	updated_at     TEXT NOT NULL
);
CREATE INDEX cases_site ON cases (site_id);
CREATE INDEX cases_function ON cases (function_id);
CREATE INDEX cases_tenancy ON cases (tenancy_id);
CREATE INDEX cases_aware ON cases (aware_at);
-- One case per feedback marked "this is a complaint", however often it is
-- sent.
CREATE UNIQUE INDEX cases_feedback ON cases (feedback_id) WHERE feedback_id <> '';

ALTER TABLE commitments ADD COLUMN case_id TEXT NOT NULL DEFAULT '';
ALTER TABLE commitments ADD COLUMN step TEXT NOT NULL DEFAULT '';
CREATE INDEX commitments_case ON commitments (case_id) WHERE case_id <> '';

-- The hazard categories Awaab's Law covers, and the day each came into
-- force; admins add more as later phases start. The server adds
-- housing.DefaultHazardCategories when the table is empty.
CREATE TABLE hazard_categories (
	id       TEXT PRIMARY KEY,
	name     TEXT NOT NULL,
	in_force TEXT NOT NULL,
	source   TEXT NOT NULL DEFAULT ''
);
