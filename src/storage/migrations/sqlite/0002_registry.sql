-- Land registry: producers, parcels (with lineage and geometry history), land
-- rights over time, production zones, plantings and crop conversions.
-- Spatial tables are registered as GeoPackage feature tables.

CREATE TABLE producer (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id TEXT UNIQUE,                 -- id in the source file, for idempotent imports
  kind TEXT NOT NULL CHECK (kind IN ('household', 'cooperative', 'cooperative_group', 'enterprise', 'farm')),
  name TEXT NOT NULL,                      -- head of household, or the organisation's name
  name_folded TEXT NOT NULL,
  unit_id INTEGER REFERENCES admin_unit(id),
  members_count INTEGER,
  ethnicity TEXT NOT NULL DEFAULT '',
  citizen_id TEXT NOT NULL DEFAULT '',     -- personal data: masked in every response
  citizen_id_hash TEXT NOT NULL DEFAULT '',
  tax_code TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  illustrative INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX producer_unit ON producer(unit_id);
CREATE INDEX producer_folded ON producer(name_folded);
CREATE INDEX producer_citizen ON producer(citizen_id_hash);

-- Households that are members of a cooperative or cooperative group.
CREATE TABLE producer_membership (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  member_id INTEGER NOT NULL REFERENCES producer(id) ON DELETE CASCADE,
  organisation_id INTEGER NOT NULL REFERENCES producer(id) ON DELETE CASCADE,
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  CHECK (member_id <> organisation_id)
);
CREATE INDEX producer_membership_org ON producer_membership(organisation_id);

CREATE TABLE parcel (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id TEXT NOT NULL UNIQUE,
  sheet_no TEXT NOT NULL DEFAULT '',       -- tờ bản đồ
  parcel_no TEXT NOT NULL DEFAULT '',      -- số thửa
  unit_id INTEGER REFERENCES admin_unit(id),  -- commune; NULL = unassigned (outside every unit)
  land_use_code TEXT NOT NULL DEFAULT '',  -- LUC, LUK, BHK, CLN, RSX ...
  state TEXT NOT NULL DEFAULT 'in_use' CHECK (state IN ('in_use', 'idle', 'inefficient_rice')),
  official_area_m2 REAL,
  area_m2 REAL,                            -- from the geometry, in VN-2000 / TM-3 103-00
  valid_from TEXT NOT NULL,
  valid_to TEXT,                           -- retired by a split or merge
  source TEXT NOT NULL DEFAULT '',
  illustrative INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  geom MULTIPOLYGON
);
CREATE INDEX parcel_unit ON parcel(unit_id);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
VALUES ('parcel', 'features', 'parcel', 'Land parcels (thửa đất)', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('parcel', 'geom', 'MULTIPOLYGON', 4326, 0, 0);
CREATE VIRTUAL TABLE rtree_parcel_geom USING rtree(id, minx, maxx, miny, maxy);
INSERT INTO gpkg_extensions VALUES ('parcel', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
CREATE TRIGGER rtree_parcel_geom_insert AFTER INSERT ON parcel
WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_parcel_geom VALUES (NEW.id, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_parcel_geom_update1 AFTER UPDATE OF geom ON parcel
WHEN OLD.id = NEW.id AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_parcel_geom VALUES (NEW.id, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_parcel_geom_update2 AFTER UPDATE OF geom ON parcel
WHEN OLD.id = NEW.id AND (NEW.geom IS NULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_parcel_geom WHERE id = OLD.id;
END;
CREATE TRIGGER rtree_parcel_geom_update3 AFTER UPDATE ON parcel
WHEN OLD.id != NEW.id AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_parcel_geom WHERE id = OLD.id;
  INSERT OR REPLACE INTO rtree_parcel_geom VALUES (NEW.id, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_parcel_geom_update4 AFTER UPDATE ON parcel
WHEN OLD.id != NEW.id AND (NEW.geom IS NULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_parcel_geom WHERE id IN (OLD.id, NEW.id);
END;
CREATE TRIGGER rtree_parcel_geom_delete AFTER DELETE ON parcel
WHEN old.geom NOT NULL
BEGIN
  DELETE FROM rtree_parcel_geom WHERE id = OLD.id;
END;

-- Earlier geometries of a parcel (a boundary correction keeps the old shape here).
CREATE TABLE parcel_geometry_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  parcel_id INTEGER NOT NULL REFERENCES parcel(id) ON DELETE CASCADE,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  area_m2 REAL,
  geom MULTIPOLYGON
);
CREATE INDEX parcel_geometry_history_parcel ON parcel_geometry_history(parcel_id);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
VALUES ('parcel_geometry_history', 'features', 'parcel_geometry_history', 'Earlier boundaries of parcels', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('parcel_geometry_history', 'geom', 'MULTIPOLYGON', 4326, 0, 0);

-- Splits and merges: which parcels a parcel came from.
CREATE TABLE parcel_lineage (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_id INTEGER NOT NULL REFERENCES parcel(id),
  child_id INTEGER NOT NULL REFERENCES parcel(id),
  event TEXT NOT NULL CHECK (event IN ('split', 'merge')),
  event_date TEXT NOT NULL,
  CHECK (parent_id <> child_id)
);
CREATE INDEX parcel_lineage_child ON parcel_lineage(child_id);
CREATE INDEX parcel_lineage_parent ON parcel_lineage(parent_id);

-- Who holds the use rights over time. The controller on a date is the lessee or
-- the enterprise the right was contributed to, if any, else the owner.
CREATE TABLE land_right (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  parcel_id INTEGER NOT NULL REFERENCES parcel(id) ON DELETE CASCADE,
  producer_id INTEGER NOT NULL REFERENCES producer(id),
  kind TEXT NOT NULL CHECK (kind IN ('owner', 'lessee', 'contributed')),
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  document TEXT NOT NULL DEFAULT '',
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX land_right_parcel ON land_right(parcel_id);
CREATE INDEX land_right_producer ON land_right(producer_id);

-- Concentrated production zones (vùng sản xuất hàng hóa tập trung).
CREATE TABLE zone (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  commodity TEXT NOT NULL,                 -- crop code: tea, macadamia, rice, ...
  unit_id INTEGER REFERENCES admin_unit(id),
  planned_area_ha REAL,
  decision TEXT NOT NULL DEFAULT '',       -- planning decision (number, date)
  period_from TEXT,
  period_to TEXT,
  status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'active', 'closed')),
  illustrative INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  geom MULTIPOLYGON
);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
VALUES ('zone', 'features', 'zone', 'Concentrated production zones', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('zone', 'geom', 'MULTIPOLYGON', 4326, 0, 0);

-- What is grown on a parcel: per season for annual crops, since a year for
-- perennials (tea, macadamia).
CREATE TABLE planting (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  parcel_id INTEGER NOT NULL REFERENCES parcel(id) ON DELETE CASCADE,
  crop TEXT NOT NULL,
  variety TEXT NOT NULL DEFAULT '',
  perennial INTEGER NOT NULL DEFAULT 0,
  season TEXT NOT NULL DEFAULT '',         -- e.g. 2024-dong-xuan; empty for perennials
  planted_year INTEGER,
  start_date TEXT NOT NULL,
  end_date TEXT,
  planted_area_m2 REAL NOT NULL CHECK (planted_area_m2 >= 0),
  created_at TEXT NOT NULL
);
CREATE INDEX planting_parcel ON planting(parcel_id);
CREATE INDEX planting_crop ON planting(crop);

-- Crop-structure conversions (chuyển đổi cơ cấu cây trồng).
CREATE TABLE crop_conversion (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  parcel_id INTEGER NOT NULL REFERENCES parcel(id) ON DELETE CASCADE,
  from_use TEXT NOT NULL CHECK (from_use IN ('rice', 'inefficient_rice', 'idle', 'other')),
  to_crop TEXT NOT NULL,
  conversion_date TEXT NOT NULL,
  area_m2 REAL NOT NULL CHECK (area_m2 > 0),
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX crop_conversion_parcel ON crop_conversion(parcel_id);
