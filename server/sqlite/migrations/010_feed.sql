-- The events feed that the landlord's other systems read (docs/events.md),
-- and the integration tokens they read it with.

-- events holds one row per feed event, in server order. seq is the event's
-- ID and the feed's cursor: SQLite has one writer at a time, and each event
-- is written in the same transaction as the change that caused it, so seq
-- order is commit order and a reader that sees event N has already been
-- able to see every event below N; a reader that stores N and later asks
-- for what follows it skips nothing. AUTOINCREMENT never hands out a seq
-- again, even after the newest row is gone, so an ID names one event for
-- ever.
--
-- doc is the housing.FeedEvent as it stood when it happened (without its
-- id, which is seq, and its tenancy_reference, read from tenancies when the
-- feed is read so it is always the one the landlord's systems now know).
-- It is kept rather than built again when read because the promise it
-- carries changes afterwards: building it at read time would rewrite
-- history, and a system reading a week late would be told a promise was
-- made already done.
--
-- team is the team the event belongs to ('' for feedback about no promise,
-- which only a token for every team reads); team2 is a second team that
-- also reads it ('' for none): a reassigned promise's old team, or for a
-- complaint about a promise, that promise's team. One row with two columns,
-- rather than a row per team, keeps one ID per event as a system sees it.
-- Every index ends in seq (the rowid), so a token's page seeks straight to
-- its cursor in each of its teams.
CREATE TABLE events (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	type       TEXT NOT NULL,
	team       TEXT NOT NULL DEFAULT '',
	team2      TEXT NOT NULL DEFAULT '',
	tenancy_id TEXT NOT NULL,
	doc        TEXT NOT NULL
);
CREATE INDEX events_team ON events (team);
CREATE INDEX events_team2 ON events (team2) WHERE team2 != '';

-- integration_tokens lets another system read the feed. token_hash is the
-- SHA-256 of the secret (housing.HashToken), as for sessions: the secret
-- itself is shown once and never stored. teams is a comma-separated list
-- of function IDs, or '*' for every team; it is never searched by SQL.
-- created_by is the admin's officer ID, '' from the command line.
-- revoked_at and last_used_at are '' until they happen.
CREATE TABLE integration_tokens (
	id           TEXT PRIMARY KEY,
	token_hash   TEXT NOT NULL UNIQUE,
	name         TEXT NOT NULL,
	teams        TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	created_by   TEXT NOT NULL DEFAULT '',
	last_used_at TEXT NOT NULL DEFAULT '',
	revoked_at   TEXT NOT NULL DEFAULT ''
);
