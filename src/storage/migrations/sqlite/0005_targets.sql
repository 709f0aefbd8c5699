-- Targets and the mid-term review (Notice 752-TB/TU asks for a review of
-- Resolution 05-NQ/TU's indicators at mid-term). Programmes side by side; their
-- indicators; targets per indicator × unit × milestone year with revisions;
-- observations per indicator × unit × year (period 0 = the year; 1–4 quarters,
-- 101–112 months) with their approval workflow; the register of issued reports.
-- Dates of record are ISO text (YYYY-MM-DD) in both backends; they compare as text.

CREATE TABLE programme (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  name_vi TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  baseline_year INTEGER NOT NULL,
  milestones TEXT NOT NULL,               -- ';'-separated years, e.g. '2025;2030'
  illustrative INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (end_date >= start_date)
);

CREATE TABLE indicator (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  programme_id INTEGER NOT NULL REFERENCES programme(id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  name_vi TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  measure_unit TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('stock', 'flow')),
  direction TEXT NOT NULL CHECK (direction IN ('up', 'down')),
  source TEXT NOT NULL DEFAULT 'reported' CHECK (source IN ('reported', 'computed')),
  computed TEXT NOT NULL DEFAULT '',      -- JSON definition, e.g. {"measure":"planted_area","crop":"tea"}
  not_above TEXT NOT NULL DEFAULT '',     -- code of an indicator this one must not exceed (harvested <= planted)
  position INTEGER NOT NULL DEFAULT 0,
  illustrative INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (programme_id, code)
);

CREATE TABLE target (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
  unit_id INTEGER NOT NULL REFERENCES admin_unit(id),
  year INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (indicator_id, unit_id, year)
);
CREATE INDEX target_unit ON target(unit_id);

-- The first revision of a target (lowest seq) is the original; later ones carry
-- the deciding document and the date from which they are in force.
CREATE TABLE target_revision (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  target_id INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  value REAL NOT NULL,
  decision TEXT NOT NULL DEFAULT '',
  effective_date TEXT NOT NULL DEFAULT '',  -- '' for an original without a date
  created_by TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  UNIQUE (target_id, seq),
  UNIQUE (target_id, effective_date)
);

CREATE TABLE observation (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
  unit_id INTEGER NOT NULL REFERENCES admin_unit(id),
  year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
  period INTEGER NOT NULL DEFAULT 0,
  value REAL NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved', 'locked', 'returned')),
  entered_by TEXT NOT NULL DEFAULT '',
  submitted_by TEXT NOT NULL DEFAULT '',
  submitted_at TEXT NOT NULL DEFAULT '',
  approved_by TEXT NOT NULL DEFAULT '',
  approved_at TEXT NOT NULL DEFAULT '',
  returned_reason TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  flags TEXT NOT NULL DEFAULT '[]',        -- JSON array of check results at entry
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (indicator_id, unit_id, year, period)
);
CREATE INDEX observation_unit ON observation(unit_id);

-- The register of issued reports: parameters and a hash of the data they were
-- built from, so a figure quoted in a document can be traced and reproduced.
CREATE TABLE report_issue (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  programme TEXT NOT NULL DEFAULT '',
  parameters TEXT NOT NULL,
  format TEXT NOT NULL,
  data_hash TEXT NOT NULL,
  file_name TEXT NOT NULL DEFAULT '',
  size_bytes INTEGER NOT NULL DEFAULT 0,
  file_sha256 TEXT NOT NULL DEFAULT '',
  issued_by TEXT NOT NULL,
  issued_at TEXT NOT NULL
);
