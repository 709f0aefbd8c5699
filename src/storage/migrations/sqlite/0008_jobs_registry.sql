-- Background jobs (modules/jobs): long work started from the API and followed by
-- its progress; at most one job of a kind queued or running at a time. A job the
-- server did not finish is marked 'interrupted' at the next start.
CREATE TABLE job (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,                      -- e.g. 'topology_check'
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'interrupted')),
  progress_done INTEGER NOT NULL DEFAULT 0,
  progress_total INTEGER NOT NULL DEFAULT 0,
  stage TEXT NOT NULL DEFAULT '',
  params_json TEXT NOT NULL DEFAULT '{}',
  started_by TEXT NOT NULL,                -- 'user:<username>' or 'cli:<os user>'
  created_at TEXT NOT NULL,                -- UTC timestamps
  started_at TEXT,
  ended_at TEXT,
  result_json TEXT,                        -- summary of what it found
  error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_kind ON job(kind, id);
CREATE UNIQUE INDEX job_one_active_per_kind ON job(kind) WHERE state IN ('queued', 'running');

-- When each kind of parcel topology check last ran and what it found, so that "no
-- findings" can be told apart from "never checked".
CREATE TABLE topology_check_run (
  kind TEXT PRIMARY KEY CHECK (kind IN ('overlap', 'outside', 'invalid', 'sliver')),
  checked_at TEXT NOT NULL,                -- UTC timestamp, as on its findings
  checked_by TEXT NOT NULL,
  parcels INTEGER NOT NULL,                -- parcels checked
  findings INTEGER NOT NULL,
  min_overlap_m2 REAL,
  job_id INTEGER REFERENCES job(id)        -- NULL when run from the command line
);

-- Natural sort keys of a parcel's codes (numbers inside compare as numbers:
-- 1-1, 1-2, 1-10), written by the registry repository; NULL until written.
ALTER TABLE parcel ADD COLUMN external_id_key TEXT;
ALTER TABLE parcel ADD COLUMN sheet_no_key TEXT;
ALTER TABLE parcel ADD COLUMN parcel_no_key TEXT;
CREATE INDEX parcel_natural_order ON parcel(external_id_key);
CREATE INDEX parcel_sheet_natural_order ON parcel(sheet_no_key, parcel_no_key);
