-- OCOP products, their evaluations and the events on their certificates (Decision
-- 148/QĐ-TTg, Decision 1489/QĐ-TTg); quality-watch findings; product standards, marks,
-- geographical indications and certificates with their scope. Rules: docs/ocop.md.
-- Dates of record are ISO text (YYYY-MM-DD).

CREATE TABLE ocop_product (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  subject_id INTEGER NOT NULL REFERENCES producer(id),
  product_group INTEGER NOT NULL CHECK (product_group BETWEEN 1 AND 6),
  unit_id INTEGER REFERENCES admin_unit(id),  -- the product's commune; NULL = the province's
  illustrative INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX ocop_product_subject ON ocop_product(subject_id);
CREATE INDEX ocop_product_unit ON ocop_product(unit_id);

-- Self-assessments and councils' evaluations; a province or central one is a certificate
-- decision (the latest replaces the earlier).
CREATE TABLE ocop_evaluation (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  product_id INTEGER NOT NULL REFERENCES ocop_product(id) ON DELETE CASCADE,
  level TEXT NOT NULL CHECK (level IN ('self', 'province', 'central')),
  decision_date TEXT NOT NULL,
  part_a REAL NOT NULL CHECK (part_a >= 0),
  part_b REAL NOT NULL CHECK (part_b >= 0),
  part_c REAL NOT NULL CHECK (part_c >= 0),
  decision TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  UNIQUE (product_id, level, decision_date)
);

-- Revocations and downgrades; each acts on the certificate in force on its date.
CREATE TABLE ocop_event (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  product_id INTEGER NOT NULL REFERENCES ocop_product(id) ON DELETE CASCADE,
  event_date TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('revoked', 'downgraded')),
  stars INTEGER CHECK (stars BETWEEN 1 AND 5),
  reason TEXT NOT NULL DEFAULT '',
  finding_id INTEGER,
  source TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  UNIQUE (product_id, event_date, kind, stars)
);

-- Quality watch after certification: complaints, failed lab tests, lapsed certificates.
CREATE TABLE ocop_finding (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  product_id INTEGER NOT NULL REFERENCES ocop_product(id) ON DELETE CASCADE,
  found_on TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('complaint', 'lab_failed', 'certificate_lapsed')),
  detail TEXT NOT NULL DEFAULT '',
  closed_by_event INTEGER REFERENCES ocop_event(id),
  created_by TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX ocop_finding_product ON ocop_finding(product_id);

-- Product standards (TCVN, VietGAP, organic, the province's own).
CREATE TABLE cert_standard (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('tcvn', 'vietgap', 'organic', 'provincial', 'other')),
  name TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  illustrative INTEGER NOT NULL DEFAULT 0
);

-- Collective and certification marks and geographical indications, with holder and area.
CREATE TABLE cert_mark (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('collective', 'certification', 'geographical_indication')),
  name TEXT NOT NULL,
  holder TEXT NOT NULL DEFAULT '',
  area TEXT NOT NULL DEFAULT '',
  registration TEXT NOT NULL DEFAULT '',
  granted TEXT,
  illustrative INTEGER NOT NULL DEFAULT 0
);

-- Certificates (VietGAP, organic, food safety, GI use) with holder, issuer and validity.
CREATE TABLE certificate (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('vietgap', 'organic', 'food_safety', 'gi_use', 'other')),
  holder_id INTEGER NOT NULL REFERENCES producer(id),
  unit_id INTEGER REFERENCES admin_unit(id),  -- the holder's commune; NULL = the province's
  issuer TEXT NOT NULL,
  standard_code TEXT NOT NULL DEFAULT '',
  mark_code TEXT NOT NULL DEFAULT '',
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  illustrative INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX certificate_holder ON certificate(holder_id);
CREATE INDEX certificate_valid_to ON certificate(valid_to);

-- What a certificate covers: parcels, growing-area codes, facilities, products, lots.
CREATE TABLE certificate_scope (
  certificate_id INTEGER NOT NULL REFERENCES certificate(id) ON DELETE CASCADE,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('parcel', 'code', 'facility', 'product', 'lot')),
  target TEXT NOT NULL,
  PRIMARY KEY (certificate_id, target_kind, target)
);
CREATE INDEX certificate_scope_target ON certificate_scope(target_kind, target);
