-- Reference data: the landlord's sites, functions, staff and tenancies.
CREATE TABLE sites (
	id   TEXT PRIMARY KEY,
	name TEXT NOT NULL
);

CREATE TABLE functions (
	id   TEXT PRIMARY KEY,
	name TEXT NOT NULL
);

-- Officers are every member of staff who signs in: officers, supervisors and
-- admins. sites and functions are comma-separated slugs; membership tables
-- below are what SQL joins on.
CREATE TABLE officers (
	id            TEXT PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL CHECK (role IN ('officer', 'supervisor', 'admin')),
	password_hash TEXT NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT NOT NULL
);

CREATE TABLE officer_sites (
	officer_id TEXT NOT NULL REFERENCES officers (id) ON DELETE CASCADE,
	site_id    TEXT NOT NULL REFERENCES sites (id),
	PRIMARY KEY (officer_id, site_id)
);

CREATE TABLE officer_functions (
	officer_id  TEXT NOT NULL REFERENCES officers (id) ON DELETE CASCADE,
	function_id TEXT NOT NULL REFERENCES functions (id),
	PRIMARY KEY (officer_id, function_id)
);

CREATE TABLE tenancies (
	id        TEXT PRIMARY KEY,
	reference TEXT NOT NULL UNIQUE,
	household TEXT NOT NULL,
	address   TEXT NOT NULL,
	postcode  TEXT NOT NULL,
	site_id   TEXT NOT NULL REFERENCES sites (id)
);
CREATE INDEX tenancies_site ON tenancies (site_id);

-- Service standards, editable by an admin; seeded from housing.DefaultStandards.
CREATE TABLE standards (
	id          TEXT PRIMARY KEY,
	function_id TEXT NOT NULL REFERENCES functions (id),
	kind        TEXT NOT NULL,
	name        TEXT NOT NULL,
	unit        TEXT NOT NULL CHECK (unit IN ('hours', 'working_days')),
	soonest     INTEGER NOT NULL CHECK (soonest >= 0),
	lim         INTEGER NOT NULL CHECK (lim >= 0),
	statutory   INTEGER NOT NULL DEFAULT 0,
	source      TEXT NOT NULL DEFAULT ''
);
