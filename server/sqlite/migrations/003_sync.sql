-- Sync: the records officers make on their phones, the devices that send
-- them with their mutation numbers, the mutations the server refused, and the
-- change log that pulls read.

-- devices holds each device's last applied mutation number. It is written in
-- the same transaction as the batch it counts, so a retried batch is known.
CREATE TABLE devices (
	device_id     TEXT PRIMARY KEY,
	officer_id    TEXT NOT NULL REFERENCES officers (id), -- the officer who last synced from it
	last_mutation INTEGER NOT NULL DEFAULT 0 CHECK (last_mutation >= 0),
	updated_at    TEXT NOT NULL
);

-- Visits are append-only: a correction is a new visit.
CREATE TABLE visits (
	id          TEXT PRIMARY KEY,
	tenancy_id  TEXT NOT NULL REFERENCES tenancies (id),
	officer_id  TEXT NOT NULL REFERENCES officers (id),
	site_id     TEXT NOT NULL REFERENCES sites (id),
	purpose     TEXT NOT NULL,
	notes       TEXT NOT NULL DEFAULT '',
	started_at  TEXT NOT NULL,
	ended_at    TEXT NOT NULL DEFAULT '',
	created_by  TEXT NOT NULL,
	device_id   TEXT NOT NULL,
	happened_at TEXT NOT NULL DEFAULT '',
	received_at TEXT NOT NULL
);
CREATE INDEX visits_site ON visits (site_id);
CREATE INDEX visits_tenancy ON visits (tenancy_id);
CREATE INDEX visits_officer ON visits (officer_id);

-- Commitments hold their current form; commitment_events their audit trail.
-- token_hash is the SHA-256 of the tenant link's token (housing.HashToken);
-- the token itself is never stored. owner_id is '' when no officer is named.
CREATE TABLE commitments (
	id               TEXT PRIMARY KEY,
	tenancy_id       TEXT NOT NULL REFERENCES tenancies (id),
	visit_id         TEXT NOT NULL DEFAULT '',
	site_id          TEXT NOT NULL REFERENCES sites (id),
	household        TEXT NOT NULL,
	address          TEXT NOT NULL,
	made_by          TEXT NOT NULL REFERENCES officers (id),
	made_by_name     TEXT NOT NULL,
	function_id      TEXT NOT NULL REFERENCES functions (id),
	owner_id         TEXT NOT NULL DEFAULT '',
	what             TEXT NOT NULL,
	standard_id      TEXT NOT NULL DEFAULT '',
	due_date         TEXT NOT NULL,
	due_time         TEXT NOT NULL DEFAULT '',
	override_reason  TEXT NOT NULL DEFAULT '',
	status           TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'done', 'kept', 'disputed', 'cancelled', 'broken')),
	escalated        INTEGER NOT NULL DEFAULT 0,
	tenant_agreement TEXT NOT NULL DEFAULT '',
	tenant_outcome   TEXT NOT NULL DEFAULT '',
	acknowledged_at  TEXT NOT NULL DEFAULT '',
	done_at          TEXT NOT NULL DEFAULT '',
	closed_at        TEXT NOT NULL DEFAULT '',
	token_hash       TEXT UNIQUE,
	version          INTEGER NOT NULL CHECK (version >= 1),
	due_version      INTEGER NOT NULL,
	owner_version    INTEGER NOT NULL,
	created_by       TEXT NOT NULL,
	device_id        TEXT NOT NULL,
	happened_at      TEXT NOT NULL DEFAULT '',
	received_at      TEXT NOT NULL,
	updated_at       TEXT NOT NULL
);
CREATE INDEX commitments_site ON commitments (site_id);
CREATE INDEX commitments_function ON commitments (function_id);
CREATE INDEX commitments_owner ON commitments (owner_id);
CREATE INDEX commitments_made_by ON commitments (made_by);
CREATE INDEX commitments_tenancy ON commitments (tenancy_id);
CREATE INDEX commitments_status_due ON commitments (status, due_date);

CREATE TABLE commitment_events (
	commitment_id TEXT NOT NULL REFERENCES commitments (id),
	n             INTEGER NOT NULL, -- 1, 2, 3... in the order they happened
	kind          TEXT NOT NULL,
	at            TEXT NOT NULL,
	by            TEXT NOT NULL,
	by_name       TEXT NOT NULL DEFAULT '',
	from_value    TEXT NOT NULL DEFAULT '',
	to_value      TEXT NOT NULL DEFAULT '',
	note          TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (commitment_id, n)
);

-- Feedback is append-only. Its answers are rows, so measures are plain SQL.
CREATE TABLE feedback (
	id            TEXT PRIMARY KEY,
	tenancy_id    TEXT NOT NULL REFERENCES tenancies (id),
	visit_id      TEXT NOT NULL DEFAULT '',
	commitment_id TEXT NOT NULL DEFAULT '',
	site_id       TEXT NOT NULL REFERENCES sites (id),
	source        TEXT NOT NULL CHECK (source IN ('officer', 'tenant')),
	comment       TEXT NOT NULL DEFAULT '',
	complaint     INTEGER NOT NULL DEFAULT 0,
	created_by    TEXT NOT NULL,
	device_id     TEXT NOT NULL,
	happened_at   TEXT NOT NULL DEFAULT '',
	received_at   TEXT NOT NULL
);
CREATE INDEX feedback_site ON feedback (site_id);
CREATE INDEX feedback_tenancy ON feedback (tenancy_id);

CREATE TABLE feedback_answers (
	feedback_id TEXT NOT NULL REFERENCES feedback (id),
	question    TEXT NOT NULL,
	rating      TEXT NOT NULL,
	PRIMARY KEY (feedback_id, question)
);

-- attention holds every mutation the server refused or applied only in part
-- (a conflict), so the officer and their supervisors can put it right.
-- Nothing is dropped silently.
CREATE TABLE attention (
	id          TEXT PRIMARY KEY, -- "device:seq"
	device_id   TEXT NOT NULL,
	seq         INTEGER NOT NULL,
	officer_id  TEXT NOT NULL,
	kind        TEXT NOT NULL,
	record_id   TEXT NOT NULL DEFAULT '',
	code        TEXT NOT NULL,
	reason      TEXT NOT NULL,
	data        TEXT NOT NULL DEFAULT '',
	received_at TEXT NOT NULL
);
CREATE INDEX attention_officer ON attention (officer_id);

-- changes is the change log: one row per committed change to a record, with
-- the keys a pull filters on. seq is the global order: SQLite has one writer
-- at a time, so a reader that sees seq N also sees every change below N.
-- prev_function_id and prev_owner_id carry a reassigned commitment's old
-- owner, so the old owner's devices learn to drop it. everyone marks
-- reference data that every officer receives.
CREATE TABLE changes (
	seq              INTEGER PRIMARY KEY AUTOINCREMENT,
	kind             TEXT NOT NULL,
	record_id        TEXT NOT NULL,
	everyone         INTEGER NOT NULL DEFAULT 0,
	site_id          TEXT NOT NULL DEFAULT '',
	function_id      TEXT NOT NULL DEFAULT '',
	prev_function_id TEXT NOT NULL DEFAULT '',
	made_by          TEXT NOT NULL DEFAULT '',
	owner_id         TEXT NOT NULL DEFAULT '',
	prev_owner_id    TEXT NOT NULL DEFAULT '',
	device_id        TEXT NOT NULL DEFAULT '',
	at               TEXT NOT NULL
);
