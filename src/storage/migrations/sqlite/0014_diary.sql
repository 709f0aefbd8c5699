-- Pesticides (reference data), farming diaries, and lot-hold clearances
-- (Notice 752-TB/TU §2.3, §2.4; Circular 25/2024/TT-BNNPTNT; docs/diary.md).
-- Dates of record are ISO text (YYYY-MM-DD). Product codes, ingredients and crops are
-- stored as written; the checks compare them without regard to case.

CREATE TABLE pesticide_product (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  active_ingredients TEXT NOT NULL DEFAULT '',  -- ';'-separated, as imported
  registered_from TEXT NOT NULL,
  registered_to TEXT,                           -- NULL = still registered
  source TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL
);

-- An ingredient's status on a date is that of its latest row dated on or before it.
CREATE TABLE pesticide_status (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  active_ingredient TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('permitted', 'banned')),
  from_date TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  UNIQUE (active_ingredient, from_date)
);

CREATE TABLE pesticide_label (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  product TEXT NOT NULL,
  crop TEXT NOT NULL,
  max_dose_per_ha REAL NOT NULL CHECK (max_dose_per_ha >= 0),
  phi_days INTEGER NOT NULL CHECK (phi_days >= 0),
  source TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  UNIQUE (product, crop)
);

-- Diary entries are never edited: an amendment is a later entry naming the one it amends.
CREATE TABLE diary_entry (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  parcel_id INTEGER NOT NULL REFERENCES parcel(id),
  entry_date TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('spray', 'fertiliser', 'harvest', 'observation')),
  product TEXT NOT NULL DEFAULT '',
  dose_per_ha REAL,
  quantity_kg REAL,
  lot TEXT NOT NULL DEFAULT '',
  amends TEXT NOT NULL DEFAULT '',              -- code of the entry this one amends
  note TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX diary_entry_parcel ON diary_entry(parcel_id, entry_date);
CREATE INDEX diary_entry_lot ON diary_entry(lot);

-- An officer's clearance of one phi_not_passed (harvest entry x sprayed product).
CREATE TABLE lot_hold_clearance (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  lot TEXT NOT NULL,
  harvest_entry TEXT NOT NULL,
  product TEXT NOT NULL,
  reason TEXT NOT NULL,
  cleared_by TEXT NOT NULL,
  cleared_at TEXT NOT NULL,
  UNIQUE (harvest_entry, product)
);
CREATE INDEX lot_hold_clearance_lot ON lot_hold_clearance(lot);
