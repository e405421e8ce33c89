-- Accounts: device sessions and failed sign-ins.

-- sessions holds one row per signed-in device. token_hash is the SHA-256 of
-- the bearer token (housing.HashToken); the token itself is never stored, so
-- a copy of this file signs nobody in. device_id is the device's own UUID
-- (or one the server made); the sync tables number its mutations.
-- revoked_at is '' while the session is live. A session also ends when it
-- has not been used for sqlite.SessionIdle (see session.go).
CREATE TABLE sessions (
	id           TEXT PRIMARY KEY,
	token_hash   TEXT NOT NULL UNIQUE,
	officer_id   TEXT NOT NULL REFERENCES officers (id),
	device_id    TEXT NOT NULL,
	device_name  TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	revoked_at   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_officer ON sessions (officer_id);
CREATE INDEX sessions_device ON sessions (device_id);

-- signin_failures holds each failed sign-in within the rate-limit window, by
-- the username as typed (lower case), whether or not such an account exists.
-- It is in the database, not in memory, so a restart does not reset a
-- lockout. Rows older than the window are deleted as new ones are added.
CREATE TABLE signin_failures (
	username TEXT NOT NULL,
	at       TEXT NOT NULL
);
CREATE INDEX signin_failures_username ON signin_failures (username, at);
