-- skip_device names the device that made a new record and holds it already:
-- its pulls skip the change, so a push is not sent straight back to the
-- phone that made it. '' means every device in scope receives the change.
ALTER TABLE changes ADD COLUMN skip_device TEXT NOT NULL DEFAULT '';
