-- Each synced record keeps its current form as the JSON a pull sends, written
-- in the same transaction as the record, so a pull reads one column instead
-- of rebuilding (and re-encoding) every record it sends. '' means not yet
-- written (a row from before this column): pulls then build it from the
-- other columns.
ALTER TABLE visits ADD COLUMN doc TEXT NOT NULL DEFAULT '';
ALTER TABLE commitments ADD COLUMN doc TEXT NOT NULL DEFAULT '';
ALTER TABLE feedback ADD COLUMN doc TEXT NOT NULL DEFAULT '';
