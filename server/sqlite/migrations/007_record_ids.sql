-- record_ids holds the ID of every visit, promise and feedback, whatever its
-- kind. Phones make record IDs, and an ID names one record: a feedback sent
-- under a visit's ID must not be stored as a second record. The triggers
-- claim each new record's ID as it is inserted, so no code path (one by one,
-- many rows to a statement, a tenant's link) can store two records under one
-- ID; created_by and device_id say who claimed it, so a repeat from the
-- device that made it is told from another device's clash (sync_record_id.go).
CREATE TABLE record_ids (
	id         TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,
	created_by TEXT NOT NULL,
	device_id  TEXT NOT NULL
) WITHOUT ROWID;

-- Records stored before this table: the first of each ID keeps it.
INSERT OR IGNORE INTO record_ids (id, kind, created_by, device_id)
	SELECT id, 'visit', created_by, device_id FROM visits ORDER BY rowid;
INSERT OR IGNORE INTO record_ids (id, kind, created_by, device_id)
	SELECT id, 'commitment', created_by, device_id FROM commitments ORDER BY rowid;
INSERT OR IGNORE INTO record_ids (id, kind, created_by, device_id)
	SELECT id, 'feedback', created_by, device_id FROM feedback ORDER BY rowid;

CREATE TRIGGER visits_claim_id AFTER INSERT ON visits BEGIN
	INSERT INTO record_ids (id, kind, created_by, device_id) VALUES (NEW.id, 'visit', NEW.created_by, NEW.device_id);
END;
CREATE TRIGGER commitments_claim_id AFTER INSERT ON commitments BEGIN
	INSERT INTO record_ids (id, kind, created_by, device_id) VALUES (NEW.id, 'commitment', NEW.created_by, NEW.device_id);
END;
CREATE TRIGGER feedback_claim_id AFTER INSERT ON feedback BEGIN
	INSERT INTO record_ids (id, kind, created_by, device_id) VALUES (NEW.id, 'feedback', NEW.created_by, NEW.device_id);
END;
