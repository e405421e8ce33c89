-- Sign-in delays replace the per-username lockout: ten failures used to lock
-- a username for everyone, so anyone could lock every supervisor out by
-- guessing at their first names. A delay now grows per username and per
-- address the attempts come from (see signin.go), so guessing from one
-- address never keeps the real officer out from another.

-- signin_delays holds, for each username as typed (lower case, whether or
-- not such an account exists) and each client address, the sign-in attempts
-- in a row not followed by a right password, and when the last one was (an
-- attempt is counted before its password is checked, so attempts sent at
-- once are all counted). A right password from that address, a
-- password reset, or a day without failures clears the row; rows idle that
-- long are deleted as new failures are recorded. It is in the database, not
-- in memory, so a restart does not lift a delay.
CREATE TABLE signin_delays (
	username  TEXT NOT NULL,
	address   TEXT NOT NULL,
	failures  INTEGER NOT NULL,
	failed_at TEXT NOT NULL,
	PRIMARY KEY (username, address)
) WITHOUT ROWID;
CREATE INDEX signin_delays_failed_at ON signin_delays (failed_at);

DROP TABLE signin_failures;
