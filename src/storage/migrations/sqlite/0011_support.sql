-- Support policies, applications, payments and budgets (Resolution 07/2021/NQ-HĐND
-- and its successor; Notice 752-TB/TU §2.2 revise policies, §2.4 combine funding
-- sources, §2.5 detect abuse). The rules are in docs/support.md.
-- Dates of record are ISO text (YYYY-MM-DD); money is whole đồng (INTEGER).

-- One row per policy version; a later version of the same code is an amendment.
CREATE TABLE support_policy (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL,
  version TEXT NOT NULL,                  -- effective date
  name_vi TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL,
  item TEXT NOT NULL CHECK (item IN ('area', 'hive', 'head', 'cage_m3', 'project')),
  rate REAL NOT NULL CHECK (rate >= 0),   -- đồng per item unit
  one_time INTEGER NOT NULL DEFAULT 0,
  cap_per_beneficiary_year INTEGER,       -- đồng; NULL = no cap
  exclusive_with TEXT NOT NULL DEFAULT '[]',  -- JSON array of policy codes
  requires TEXT NOT NULL DEFAULT '{}',    -- JSON: crop, zone, controller, suitability, profile
  conditions TEXT NOT NULL DEFAULT '',    -- the condition language (docs/support.md)
  source TEXT NOT NULL DEFAULT '',
  illustrative INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  UNIQUE (code, version)
);

CREATE TABLE support_application (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  policy_code TEXT NOT NULL,
  applicant_id INTEGER NOT NULL REFERENCES producer(id),
  unit_id INTEGER REFERENCES admin_unit(id),  -- the applicant's commune when filed; NULL = the province's
  filed TEXT NOT NULL,
  accepted TEXT,                          -- nghiệm thu: the work was done and checked
  status TEXT NOT NULL CHECK (status IN ('submitted', 'verified', 'appraised', 'accepted', 'approved', 'paid',
                                          'rejected', 'recovered')),
  approved_amount INTEGER,                -- đồng
  note TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',        -- the file it was imported from, or 'ui'
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX support_application_applicant ON support_application(applicant_id);
CREATE INDEX support_application_filed ON support_application(filed);
CREATE INDEX support_application_unit ON support_application(unit_id);

CREATE TABLE support_application_item (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  application_id INTEGER NOT NULL REFERENCES support_application(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  parcel_id INTEGER REFERENCES parcel(id),  -- NULL for counted items
  quantity REAL NOT NULL CHECK (quantity >= 0),  -- hectares for area items, a count otherwise
  UNIQUE (application_id, seq)
);
CREATE INDEX support_application_item_parcel ON support_application_item(parcel_id);

-- Every step of the life cycle: who, when, why.
CREATE TABLE support_application_step (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  application_id INTEGER NOT NULL REFERENCES support_application(id) ON DELETE CASCADE,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  step_date TEXT NOT NULL,                -- the date the step records (acceptance, approval …)
  reason TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX support_application_step_app ON support_application_step(application_id);

CREATE TABLE support_attachment (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  application_id INTEGER NOT NULL REFERENCES support_application(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL
);

CREATE TABLE support_payment (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  application_id INTEGER NOT NULL REFERENCES support_application(id) ON DELETE CASCADE,
  payment_date TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  kind TEXT NOT NULL CHECK (kind IN ('payment', 'recovery')),
  funding_source TEXT NOT NULL DEFAULT '',
  reference TEXT NOT NULL DEFAULT '',     -- voucher or decision number
  source TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX support_payment_app ON support_payment(application_id);

-- Budget per policy, year and funding source (Notice 752-TB/TU §2.4: national target
-- programmes, central and provincial budgets, credit, other investment).
CREATE TABLE support_budget (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  policy_code TEXT NOT NULL,
  year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2100),
  funding_source TEXT NOT NULL CHECK (funding_source IN ('national_target_programme', 'central_budget',
                                                          'provincial_budget', 'credit', 'other')),
  planned INTEGER NOT NULL CHECK (planned >= 0),
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (policy_code, year, funding_source)
);

-- Personal data used only to find one person applying as two producers (docs/rules.md
-- §9): the bank account, masked like citizen IDs.
ALTER TABLE producer ADD COLUMN bank_account TEXT NOT NULL DEFAULT '';

-- A run of the cross-checks of one year, kept so that the officers' queues show the
-- findings and amounts the last run gave, with the settings it used.
CREATE TABLE support_check_run (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  year INTEGER NOT NULL,
  settings TEXT NOT NULL,                 -- JSON: tolerance_pct, tolerance_ha, penalty_factor, min_overlap_m2
  applications INTEGER NOT NULL,
  findings INTEGER NOT NULL,
  total_amount INTEGER NOT NULL,
  run_by TEXT NOT NULL,
  run_at TEXT NOT NULL
);
CREATE INDEX support_check_run_year ON support_check_run(year);

CREATE TABLE support_check_finding (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL REFERENCES support_check_run(id) ON DELETE CASCADE,
  finding TEXT NOT NULL,
  application TEXT NOT NULL,              -- codes and external ids, as the CSV names them
  other_application TEXT NOT NULL DEFAULT '',
  parcel TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX support_check_finding_run ON support_check_finding(run_id, application);

CREATE TABLE support_check_amount (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL REFERENCES support_check_run(id) ON DELETE CASCADE,
  application TEXT NOT NULL,
  amount INTEGER NOT NULL,
  trace TEXT NOT NULL                     -- JSON: the rule trace
);
CREATE INDEX support_check_amount_run ON support_check_amount(run_id, application);
