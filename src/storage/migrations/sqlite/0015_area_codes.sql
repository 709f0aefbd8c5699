-- Growing-area and packing-house codes (Decision 3156/QĐ-BNN-TT; export codes per
-- Document 1776/BNN-BVTV). The rules are in docs/area-codes.md and docs/rules.md.
-- Dates of record are ISO text (YYYY-MM-DD).

-- An application, and from its issue the code. `code` is NULL while applied.
CREATE TABLE area_code (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('area', 'packing_house')),
  scheme TEXT NOT NULL CHECK (scheme IN ('domestic', 'export')),
  holder_id INTEGER NOT NULL REFERENCES producer(id),
  unit_id INTEGER REFERENCES admin_unit(id),  -- the commune of its parcels or facility; NULL = the province's
  crop TEXT NOT NULL DEFAULT '',
  standard TEXT NOT NULL DEFAULT '',
  facility TEXT NOT NULL DEFAULT '',          -- packing houses: the facility's name
  address TEXT NOT NULL DEFAULT '',
  lon REAL,
  lat REAL,
  capacity_t_per_day REAL CHECK (capacity_t_per_day IS NULL OR capacity_t_per_day >= 0),
  status TEXT NOT NULL CHECK (status IN ('applied', 'issued', 'suspended', 'cancelled', 'refused')),
  applied TEXT NOT NULL,
  issued TEXT,
  pending_review INTEGER NOT NULL DEFAULT 0,  -- suspended by the system, waiting for an officer
  source TEXT NOT NULL DEFAULT '',            -- the file it was imported from, or 'ui'
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX area_code_unit ON area_code(unit_id);
CREATE INDEX area_code_holder ON area_code(holder_id);

CREATE TABLE area_code_parcel (
  code_id INTEGER NOT NULL REFERENCES area_code(id) ON DELETE CASCADE,
  parcel_id INTEGER NOT NULL REFERENCES parcel(id),
  PRIMARY KEY (code_id, parcel_id)
);
CREATE INDEX area_code_parcel_parcel ON area_code_parcel(parcel_id);

-- Every step of the life cycle, with its reason and decision; by_system = 1 for a
-- suspension the code-health check made.
CREATE TABLE area_code_step (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code_id INTEGER NOT NULL REFERENCES area_code(id) ON DELETE CASCADE,
  action TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  decision_no TEXT NOT NULL DEFAULT '',
  decision_date TEXT,
  by_system INTEGER NOT NULL DEFAULT 0,
  actor TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX area_code_step_code ON area_code_step(code_id);

-- Seasonal declarations, then the actual output.
CREATE TABLE area_code_season (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code_id INTEGER NOT NULL REFERENCES area_code(id) ON DELETE CASCADE,
  season TEXT NOT NULL,
  crop TEXT NOT NULL,
  variety TEXT NOT NULL DEFAULT '',
  area_ha REAL NOT NULL CHECK (area_ha >= 0),
  standard TEXT NOT NULL DEFAULT '',
  expected_kg REAL NOT NULL CHECK (expected_kg >= 0),
  harvest_from TEXT NOT NULL,
  harvest_to TEXT NOT NULL,
  actual_kg REAL CHECK (actual_kg IS NULL OR actual_kg >= 0),
  UNIQUE (code_id, season)
);

-- Serious findings an officer has decided on (reinstated the code over them): the
-- check does not suspend the code again for the same finding and season.
CREATE TABLE area_code_decided_finding (
  code_id INTEGER NOT NULL REFERENCES area_code(id) ON DELETE CASCADE,
  finding TEXT NOT NULL,
  season TEXT NOT NULL DEFAULT '',
  step_id INTEGER NOT NULL REFERENCES area_code_step(id),
  PRIMARY KEY (code_id, finding, season)
);
