-- Pulls send a device's own new records back to it, as the server stored
-- them (the device learns received_at, the site from the tenancy, a promise's
-- history); a record sent in the same request comes back as a patch on what
-- the device sent (sync_echo.go). Nothing skips a device's changes any more.
ALTER TABLE changes DROP COLUMN skip_device;
