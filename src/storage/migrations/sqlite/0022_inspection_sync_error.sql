-- The sync log also records the items a device sent that were refused (outcome
-- 'error', with the message in `detail`), so that every synced item is in the log with
-- its device and server times (docs/inspection.md, "Inspections and sync"). SQLite
-- cannot change a CHECK in place: the table is rebuilt with its rows.
CREATE TABLE inspection_sync_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id TEXT NOT NULL,
  user_login TEXT NOT NULL,
  inspection_id INTEGER REFERENCES inspection(id) ON DELETE CASCADE,
  item_kind TEXT NOT NULL,
  client_id TEXT NOT NULL DEFAULT '',
  device_time TEXT NOT NULL,
  server_time TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'duplicate', 'conflict', 'resolved', 'error')),
  detail TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO inspection_sync_new (id, device_id, user_login, inspection_id, item_kind, client_id, device_time,
                                 server_time, outcome, detail)
  SELECT id, device_id, user_login, inspection_id, item_kind, client_id, device_time, server_time, outcome, detail
  FROM inspection_sync;
DROP TABLE inspection_sync;
ALTER TABLE inspection_sync_new RENAME TO inspection_sync;
CREATE INDEX inspection_sync_inspection ON inspection_sync(inspection_id);
