-- Value chains: linkage contracts between a lead (enterprise or cooperative) and its
-- participants (Decree 98/2018/NĐ-CP; Notice 752-TB/TU §1, §2.3), deliveries against
-- them, processing facilities with their capacity and raw-material zones, the buyers of
-- each chain and trade-promotion events, and investment projects for plants and
-- industrial clusters (§2.4). The rules are in docs/chains.md.
-- Dates are ISO text (YYYY-MM-DD); quantities are kilograms (REAL) unless named.

CREATE TABLE chain_contract (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  lead_id INTEGER NOT NULL REFERENCES producer(id),
  unit_id INTEGER REFERENCES admin_unit(id),  -- the lead's commune when entered; NULL = the province's
  commodity TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  committed_kg REAL NOT NULL CHECK (committed_kg >= 0),  -- for the whole contract and its whole period
  quality TEXT NOT NULL DEFAULT '',           -- committed quality (grade, standard)
  price_mechanism TEXT NOT NULL DEFAULT '' CHECK (price_mechanism IN ('', 'fixed', 'floor', 'market_linked')),
  price_note TEXT NOT NULL DEFAULT '',        -- the price or the formula
  inputs_services TEXT NOT NULL DEFAULT '',   -- inputs and services the lead supplies
  documents TEXT NOT NULL DEFAULT '[]',       -- JSON array of the signed documents' names or numbers
  illustrative INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT '',            -- the file it was imported from, or 'ui'
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (start_date <= end_date)
);
CREATE INDEX chain_contract_lead ON chain_contract(lead_id);
CREATE INDEX chain_contract_unit ON chain_contract(unit_id);

CREATE TABLE chain_participant (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contract_id INTEGER NOT NULL REFERENCES chain_contract(id) ON DELETE CASCADE,
  producer_id INTEGER NOT NULL REFERENCES producer(id),
  seq INTEGER NOT NULL,
  UNIQUE (contract_id, producer_id)
);
CREATE INDEX chain_participant_producer ON chain_participant(producer_id);

-- The parcels or zones a contract covers.
CREATE TABLE chain_coverage (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contract_id INTEGER NOT NULL REFERENCES chain_contract(id) ON DELETE CASCADE,
  parcel_id INTEGER REFERENCES parcel(id),
  zone_id INTEGER REFERENCES zone(id),
  CHECK ((parcel_id IS NULL) <> (zone_id IS NULL))
);
CREATE INDEX chain_coverage_contract ON chain_coverage(contract_id);

-- Every delivery is a row of its own, repeats included. `refused_kg`: what the
-- participant offered and the lead did not take (non-purchase, docs/chains.md).
CREATE TABLE chain_delivery (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contract_id INTEGER NOT NULL REFERENCES chain_contract(id) ON DELETE CASCADE,
  producer_id INTEGER NOT NULL REFERENCES producer(id),
  delivered_on TEXT NOT NULL,
  quantity_kg REAL NOT NULL CHECK (quantity_kg >= 0),
  refused_kg REAL NOT NULL DEFAULT 0 CHECK (refused_kg >= 0),
  origin TEXT NOT NULL CHECK (origin IN ('entered', 'imported', 'epcis')),
  epcis_event_id TEXT NOT NULL DEFAULT '',    -- the EPCIS event it was taken from (origin 'epcis')
  source TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX chain_delivery_contract ON chain_delivery(contract_id, producer_id);
CREATE INDEX chain_delivery_date ON chain_delivery(delivered_on);

-- Thresholds an official may change (docs/chains.md).
CREATE TABLE chain_setting (
  key TEXT PRIMARY KEY,
  value REAL NOT NULL,
  updated_by TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL DEFAULT ''
);
INSERT INTO chain_setting (key, value) VALUES ('behind_pct', 80);
INSERT INTO chain_setting (key, value) VALUES ('side_selling_pct', 100);

-- Processing facilities: technology level, certifications, location for the map.
CREATE TABLE chain_facility (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  operator_id INTEGER REFERENCES producer(id),
  unit_id INTEGER REFERENCES admin_unit(id),
  technology TEXT NOT NULL CHECK (technology IN ('manual', 'semi_mechanised', 'automated')),
  certifications TEXT NOT NULL DEFAULT '[]',  -- JSON array of names (VietGAP, HACCP, ISO 22000 …)
  longitude REAL,
  latitude REAL,
  illustrative INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
-- Capacity by product, in tonnes of raw material per season.
CREATE TABLE chain_facility_capacity (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  facility_id INTEGER NOT NULL REFERENCES chain_facility(id) ON DELETE CASCADE,
  commodity TEXT NOT NULL,
  product TEXT NOT NULL,
  capacity_t_per_season REAL NOT NULL CHECK (capacity_t_per_season >= 0)
);
CREATE INDEX chain_facility_capacity_facility ON chain_facility_capacity(facility_id);
CREATE TABLE chain_facility_zone (
  facility_id INTEGER NOT NULL REFERENCES chain_facility(id) ON DELETE CASCADE,
  zone_id INTEGER NOT NULL REFERENCES zone(id),
  PRIMARY KEY (facility_id, zone_id)
);

-- Buyers of a chain (the contract's lead sells to them), domestic or export.
CREATE TABLE chain_buyer (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contract_id INTEGER NOT NULL REFERENCES chain_contract(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  market TEXT NOT NULL CHECK (market IN ('domestic', 'export')),
  country TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX chain_buyer_contract ON chain_buyer(contract_id);

-- Trade-promotion events a chain's lead attended, with their results.
CREATE TABLE chain_trade_event (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contract_id INTEGER NOT NULL REFERENCES chain_contract(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  held_on TEXT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  result TEXT NOT NULL DEFAULT ''
);
CREATE INDEX chain_trade_event_contract ON chain_trade_event(contract_id);

-- Investment projects for processing plants and industrial clusters (§2.4).
CREATE TABLE chain_investment (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('plant', 'industrial_cluster')),
  status TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'under_construction', 'operating', 'suspended')),
  investor TEXT NOT NULL DEFAULT '',
  unit_id INTEGER REFERENCES admin_unit(id),
  commodity TEXT NOT NULL DEFAULT '',
  land_ha REAL NOT NULL DEFAULT 0 CHECK (land_ha >= 0),
  raw_material_t REAL NOT NULL DEFAULT 0 CHECK (raw_material_t >= 0),  -- per season
  illustrative INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Expected yield per hectare and season, for the zones' expected output set against the
-- facilities' capacity. Illustrative until the department enters sourced figures.
CREATE TABLE chain_yield (
  commodity TEXT PRIMARY KEY,
  t_per_ha REAL NOT NULL CHECK (t_per_ha >= 0),
  source TEXT NOT NULL DEFAULT '',
  illustrative INTEGER NOT NULL DEFAULT 1
);
INSERT INTO chain_yield (commodity, t_per_ha, source, illustrative) VALUES ('tea', 9, 'minh họa / illustrative', 1);
INSERT INTO chain_yield (commodity, t_per_ha, source, illustrative) VALUES ('macadamia', 2.5, 'minh họa / illustrative', 1);
INSERT INTO chain_yield (commodity, t_per_ha, source, illustrative) VALUES ('passion_fruit', 25, 'minh họa / illustrative', 1);
INSERT INTO chain_yield (commodity, t_per_ha, source, illustrative) VALUES ('sweet_corn', 12, 'minh họa / illustrative', 1);
