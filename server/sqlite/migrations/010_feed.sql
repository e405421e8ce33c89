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
-- An event keeps what it said when it happened, rather than being built
-- from the promise when the feed is read: the promise changes afterwards,
-- and building it then would rewrite history (a system reading a week late
-- would be told a promise was made already done). So a row holds the
-- event's own facts (at, by, from, to, note, and for feedback the
-- feedback as given, as housing.Feedback JSON) and every field of the
-- promise that the state machine can change, as it stood just after the
-- event (status to owner_version, the columns updateCommitment writes).
-- The promise's other fields (what was promised, to whom, where, by whom)
-- never change once it is made, so they are read from commitments with
-- the page, as the tenancy's reference is from tenancies: a row stays a
-- few hundred bytes, and the phones' pushes, which write one for every
-- promise, stay fast. commitment_id is '' for feedback about no promise.
--
-- team is the team the event belongs to ('' for feedback about no promise,
-- which only a token for every team reads); team2 is a second team that
-- also reads it ('' for none): a reassigned promise's old team, or for a
-- complaint about a promise, that promise's team. One row with two columns,
-- rather than a row per team, keeps one ID per event as a system sees it.
-- Every index ends in seq (the rowid), so a token's page seeks straight to
-- its cursor in each of its teams.
CREATE TABLE events (
	seq              INTEGER PRIMARY KEY AUTOINCREMENT,
	type             TEXT NOT NULL,
	team             TEXT NOT NULL DEFAULT '',
	team2            TEXT NOT NULL DEFAULT '',
	tenancy_id       TEXT NOT NULL,
	commitment_id    TEXT NOT NULL DEFAULT '',
	at               TEXT NOT NULL,
	by               TEXT NOT NULL,
	by_name          TEXT NOT NULL DEFAULT '',
	from_value       TEXT NOT NULL DEFAULT '',
	to_value         TEXT NOT NULL DEFAULT '',
	note             TEXT NOT NULL DEFAULT '',
	feedback         TEXT NOT NULL DEFAULT '',
	function_id      TEXT NOT NULL DEFAULT '',
	owner_id         TEXT NOT NULL DEFAULT '',
	due_date         TEXT NOT NULL DEFAULT '',
	due_time         TEXT NOT NULL DEFAULT '',
	status           TEXT NOT NULL DEFAULT '',
	escalated        INTEGER NOT NULL DEFAULT 0,
	tenant_agreement TEXT NOT NULL DEFAULT '',
	tenant_outcome   TEXT NOT NULL DEFAULT '',
	acknowledged_at  TEXT NOT NULL DEFAULT '',
	done_at          TEXT NOT NULL DEFAULT '',
	closed_at        TEXT NOT NULL DEFAULT '',
	version          INTEGER NOT NULL DEFAULT 0,
	due_version      INTEGER NOT NULL DEFAULT 0,
	owner_version    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_team ON events (team);
CREATE INDEX events_team2 ON events (team2) WHERE team2 != '';

-- Every entry of a promise's history that other systems need is an event,
-- written by this trigger as the entry is: every way a promise changes (a
-- phone's sync, one by one or many to a statement, a tenant's link, a
-- complaint routed by the server) writes its history, so none can miss the
-- feed, and it costs the phones' pushes no more than a row. The promise is
-- already stored as it stands after the entry (insertCommitment and
-- updateCommitment write it first), so its state is copied from it. The
-- tenant's "yes, this is what we agreed" is news to no other system and is
-- no event. A reassignment's history names the teams with their officer
-- ("repairs/officer-id"); the feed names the teams, and the old team reads
-- it too (team2) to learn that the promise has left it. feedType and
-- promiseEvent (feed_backfill.go) are the same rule in Go, for databases
-- older than the feed; TestFeedBackfill checks that they agree.
CREATE TRIGGER commitment_events_feed AFTER INSERT ON commitment_events
WHEN NEW.kind IN ('commitment.make', 'commitment.acknowledge', 'commitment.extend', 'commitment.reassign',
	'commitment.escalate', 'commitment.complete', 'commitment.cancel', 'commitment.break')
	OR (NEW.kind = 'commitment.tenant' AND NEW.to_value IN ('kept', 'disputed', 'not_agreed'))
BEGIN
	INSERT INTO events (type, team, team2, tenancy_id, commitment_id, at, by, by_name, from_value, to_value, note,
		function_id, owner_id, due_date, due_time, status, escalated, tenant_agreement, tenant_outcome,
		acknowledged_at, done_at, closed_at, version, due_version, owner_version)
	SELECT
		CASE NEW.kind
			WHEN 'commitment.make' THEN 'promise.made'
			WHEN 'commitment.acknowledge' THEN 'promise.picked_up'
			WHEN 'commitment.extend' THEN 'promise.extended'
			WHEN 'commitment.reassign' THEN 'promise.reassigned'
			WHEN 'commitment.escalate' THEN 'promise.escalated'
			WHEN 'commitment.complete' THEN 'promise.done'
			WHEN 'commitment.cancel' THEN 'promise.cancelled'
			WHEN 'commitment.break' THEN 'promise.broken'
			WHEN 'commitment.tenant' THEN CASE NEW.to_value WHEN 'kept' THEN 'promise.kept' ELSE 'promise.disputed' END
		END,
		c.function_id,
		CASE WHEN NEW.kind = 'commitment.reassign' AND p.team != c.function_id THEN p.team ELSE '' END,
		c.tenancy_id, c.id, NEW.at, NEW.by, NEW.by_name,
		CASE WHEN NEW.kind = 'commitment.reassign' THEN p.team ELSE NEW.from_value END,
		CASE WHEN NEW.kind = 'commitment.reassign' THEN c.function_id ELSE NEW.to_value END,
		NEW.note,
		c.function_id, c.owner_id, c.due_date, c.due_time, c.status, c.escalated, c.tenant_agreement, c.tenant_outcome,
		c.acknowledged_at, c.done_at, c.closed_at, c.version, c.due_version, c.owner_version
	FROM commitments c,
		(SELECT substr(NEW.from_value, 1, instr(NEW.from_value || '/', '/') - 1) AS team) p
	WHERE c.id = NEW.commitment_id;
END;

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
