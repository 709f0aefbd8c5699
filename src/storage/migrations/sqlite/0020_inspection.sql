-- Inspection and supervision (Notice 752-TB/TU §2.5): risk weights the province sets,
-- inspection plans drawn from risk and at random, inspections in the field (offline on a
-- device, synced later), their photos, measurements and findings, and the decisions the
-- findings lead to in the other modules. The rules are in docs/inspection.md.
-- Dates of record are ISO text; device and server times are ISO 8601 UTC text.

-- The weight of each part of a subject's risk score (data the province sets).
CREATE TABLE inspection_weight (
  subject_kind TEXT NOT NULL CHECK (subject_kind IN ('applicant', 'parcel', 'area_code', 'ocop_product', 'facility')),
  part TEXT NOT NULL,                       -- e.g. claim_finding, over_declared, code_finding, pesticide_finding, ocop_finding, earlier_inspection
  weight REAL NOT NULL CHECK (weight >= 0),
  updated_by TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (subject_kind, part)
);

-- A plan: the sample of subjects of one year to inspect, reproducible from its seed.
CREATE TABLE inspection_plan (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  year INTEGER NOT NULL,
  subject_kind TEXT NOT NULL DEFAULT 'applicant',
  share_pct REAL NOT NULL,
  risk_share REAL NOT NULL,
  seed TEXT NOT NULL,                       -- an unsigned 64-bit integer, as text
  population INTEGER NOT NULL DEFAULT 0,    -- the subjects sampled from
  illustrative INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);

CREATE TABLE inspection_plan_entry (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  plan_id INTEGER NOT NULL REFERENCES inspection_plan(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  subject_kind TEXT NOT NULL,
  subject_ref TEXT NOT NULL,                -- the subject's external id or code
  producer_id INTEGER REFERENCES producer(id),
  unit_id INTEGER REFERENCES admin_unit(id),  -- the subject's commune; NULL = the province's
  reason TEXT NOT NULL CHECK (reason IN ('risk', 'random')),
  score REAL NOT NULL DEFAULT 0,
  parts TEXT NOT NULL DEFAULT '[]',         -- JSON: [{part, weight, value, points}]
  inspector_user_id INTEGER REFERENCES app_user(id),  -- the assignment; NULL = not assigned
  UNIQUE (plan_id, seq)
);
CREATE INDEX inspection_plan_entry_plan ON inspection_plan_entry(plan_id);

-- One inspection of one subject. `version` grows with every change on the server; a
-- device's change names the version it started from, and a different one is a conflict.
CREATE TABLE inspection (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  plan_entry_id INTEGER REFERENCES inspection_plan_entry(id),
  subject_kind TEXT NOT NULL CHECK (subject_kind IN ('applicant', 'parcel', 'area_code', 'ocop_product', 'facility')),
  subject_ref TEXT NOT NULL,
  checklist_kind TEXT NOT NULL DEFAULT '',  -- the kind of inspection whose checklist applies
  unit_id INTEGER REFERENCES admin_unit(id),
  inspector_user_id INTEGER REFERENCES app_user(id),
  status TEXT NOT NULL DEFAULT 'assigned' CHECK (status IN ('assigned', 'open', 'closed')),
  answers TEXT NOT NULL DEFAULT '{}',       -- JSON: checklist item -> answer
  notes TEXT NOT NULL DEFAULT '',
  parcel_id INTEGER REFERENCES parcel(id),  -- the parcel measured, if any
  measured_geojson TEXT NOT NULL DEFAULT '',  -- the boundary walked or drawn (GeoJSON, EPSG:4326)
  measured_area_m2 REAL,
  measure_method TEXT NOT NULL DEFAULT '' CHECK (measure_method IN ('', 'walked', 'drawn')),
  opened_at TEXT NOT NULL DEFAULT '',       -- device time
  closed_at TEXT NOT NULL DEFAULT '',       -- device time
  version INTEGER NOT NULL DEFAULT 1,
  illustrative INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inspection_inspector ON inspection(inspector_user_id);
CREATE INDEX inspection_subject ON inspection(subject_kind, subject_ref);

-- Photos with the time and place they were taken; `client_id` is made on the device so
-- that a sync sent twice stores the photo once.
CREATE TABLE inspection_photo (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  inspection_id INTEGER NOT NULL REFERENCES inspection(id) ON DELETE CASCADE,
  client_id TEXT NOT NULL UNIQUE,
  taken_at TEXT NOT NULL,                   -- device time
  lon REAL,
  lat REAL,
  accuracy_m REAL,
  mime TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  data BLOB NOT NULL,
  created_at TEXT NOT NULL                  -- server time
);
CREATE INDEX inspection_photo_inspection ON inspection_photo(inspection_id);

CREATE TABLE inspection_finding (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  inspection_id INTEGER NOT NULL REFERENCES inspection(id) ON DELETE CASCADE,
  client_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,                       -- e.g. over_declared, not_cultivated, boundary_wrong, banned_pesticide, quality_failed, other
  subject_kind TEXT NOT NULL,
  subject_ref TEXT NOT NULL,                -- what the finding is about (an application, a code, a product, a parcel)
  severity TEXT NOT NULL DEFAULT 'minor' CHECK (severity IN ('minor', 'serious')),
  detail TEXT NOT NULL DEFAULT '',
  measured_area_m2 REAL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'decided', 'dismissed')),
  recorded_at TEXT NOT NULL,                -- device time
  created_at TEXT NOT NULL                  -- server time
);
CREATE INDEX inspection_finding_inspection ON inspection_finding(inspection_id);
CREATE INDEX inspection_finding_subject ON inspection_finding(subject_kind, subject_ref);

-- The decision a finding led to, by the role that may take it, and the record it changed
-- in the other module (a recovery, a code step, an OCOP event, a parcel version).
CREATE TABLE inspection_decision (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  finding_id INTEGER NOT NULL REFERENCES inspection_finding(id),
  action TEXT NOT NULL CHECK (action IN ('reduce_amount', 'recover', 'suspend_code', 'downgrade_ocop', 'revoke_ocop', 'correct_boundary', 'dismiss')),
  target_ref TEXT NOT NULL DEFAULT '',
  amount REAL,
  stars INTEGER,
  decision_no TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,
  result_ref TEXT NOT NULL DEFAULT '',      -- the record made in the other module
  decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL
);
CREATE INDEX inspection_decision_finding ON inspection_decision(finding_id);

-- Every item a device synced: the device's time beside the server's, and the outcome.
CREATE TABLE inspection_sync (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id TEXT NOT NULL,
  user_login TEXT NOT NULL,
  inspection_id INTEGER REFERENCES inspection(id) ON DELETE CASCADE,
  item_kind TEXT NOT NULL,                  -- inspection, photo, finding
  client_id TEXT NOT NULL DEFAULT '',
  device_time TEXT NOT NULL,
  server_time TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'duplicate', 'conflict', 'resolved')),
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX inspection_sync_inspection ON inspection_sync(inspection_id);

-- Registry quality (the EU's LPIS quality assessment): the yearly sample of parcels
-- re-measured in the field, beside their registered area.
CREATE TABLE registry_quality_sample (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  year INTEGER NOT NULL,
  parcel_id INTEGER NOT NULL REFERENCES parcel(id),
  seq INTEGER NOT NULL,
  seed TEXT NOT NULL DEFAULT '',
  registered_area_m2 REAL NOT NULL,
  measured_area_m2 REAL,
  measured_on TEXT NOT NULL DEFAULT '',
  inspection_id INTEGER REFERENCES inspection(id),
  UNIQUE (year, parcel_id)
);
