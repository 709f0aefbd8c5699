-- The sync log also records the items a device sent that were refused (outcome
-- 'error', with the message in `detail`), so that every synced item is in the log with
-- its device and server times (docs/inspection.md, "Inspections and sync").
ALTER TABLE inspection_sync DROP CONSTRAINT inspection_sync_outcome_check;
ALTER TABLE inspection_sync ADD CONSTRAINT inspection_sync_outcome_check
  CHECK (outcome IN ('applied', 'duplicate', 'conflict', 'resolved', 'error'));
