-- Foundation schema, SQLite flavour. The file is an OGC GeoPackage 1.3
-- (OGC 12-128r18): application_id 'GPKG', user_version 10300, the three core
-- gpkg_* tables, and every spatial table registered in gpkg_contents and
-- gpkg_geometry_columns so that QGIS, ArcGIS and ogrinfo open it as it is.
-- Timestamps are UTC text 'YYYY-MM-DDTHH:MM:SSZ'; civil dates 'YYYY-MM-DD'.

PRAGMA application_id = 1196444487;
PRAGMA user_version = 10300;

CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'),
  ('VN-2000 / TM-3 103-00', 9205, 'EPSG', 9205, 'PROJCS["VN-2000 / TM-3 103-00",GEOGCS["VN-2000",DATUM["Vietnam_2000",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6756"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4756"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",103],PARAMETER["scale_factor",0.9999],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","9205"]]', 'Lai Chau provincial TM-3 zone (central meridian 103 deg 00 min)');

CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);

CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);

CREATE TABLE IF NOT EXISTS gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
);

-- Administrative units: one row per unit and period of validity. Codes are reused
-- across the 2025 reform (03388 was Phường Quyết Tiến, is now Phường Đoàn Kết), so a
-- unit is identified by id, and by code only together with a date.
CREATE TABLE admin_unit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  name_folded TEXT NOT NULL,           -- lower case without diacritics, for search
  level TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
  kind TEXT NOT NULL DEFAULT '',       -- Tỉnh, Thành phố, Huyện, Xã, Phường, Thị trấn
  valid_from TEXT NOT NULL,
  valid_to TEXT,                       -- last day of validity (inclusive); NULL while valid
  area_m2 REAL,                        -- from the geometry, in VN-2000 / TM-3 103-00
  geom_source TEXT NOT NULL DEFAULT 'none' CHECK (geom_source IN ('none', 'official', 'illustrative', 'imported')),
  source TEXT NOT NULL DEFAULT '',     -- the document or dataset the unit comes from
  geom MULTIPOLYGON,
  UNIQUE (code, valid_from),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX admin_unit_code ON admin_unit(code);

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
VALUES ('admin_unit', 'features', 'admin_unit', 'Administrative units over time (province, district, commune)', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('admin_unit', 'geom', 'MULTIPOLYGON', 4326, 0, 0);

-- R-tree spatial index in the form GeoPackage defines (extension gpkg_rtree_index).
CREATE VIRTUAL TABLE rtree_admin_unit_geom USING rtree(id, minx, maxx, miny, maxy);
INSERT INTO gpkg_extensions VALUES ('admin_unit', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
CREATE TRIGGER rtree_admin_unit_geom_insert AFTER INSERT ON admin_unit
WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_admin_unit_geom VALUES (NEW.id, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_admin_unit_geom_update1 AFTER UPDATE OF geom ON admin_unit
WHEN OLD.id = NEW.id AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_admin_unit_geom VALUES (NEW.id, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_admin_unit_geom_update2 AFTER UPDATE OF geom ON admin_unit
WHEN OLD.id = NEW.id AND (NEW.geom IS NULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_admin_unit_geom WHERE id = OLD.id;
END;
CREATE TRIGGER rtree_admin_unit_geom_update3 AFTER UPDATE ON admin_unit
WHEN OLD.id != NEW.id AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_admin_unit_geom WHERE id = OLD.id;
  INSERT OR REPLACE INTO rtree_admin_unit_geom VALUES (NEW.id, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_admin_unit_geom_update4 AFTER UPDATE ON admin_unit
WHEN OLD.id != NEW.id AND (NEW.geom IS NULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_admin_unit_geom WHERE id IN (OLD.id, NEW.id);
END;
CREATE TRIGGER rtree_admin_unit_geom_delete AFTER DELETE ON admin_unit
WHEN old.geom NOT NULL
BEGIN
  DELETE FROM rtree_admin_unit_geom WHERE id = OLD.id;
END;

-- Parent links over time: a commune belonged to a district until 30 Jun 2025 and
-- belongs to the province from 1 Jul 2025.
CREATE TABLE admin_unit_link (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  child_id INTEGER NOT NULL REFERENCES admin_unit(id) ON DELETE CASCADE,
  parent_id INTEGER NOT NULL REFERENCES admin_unit(id) ON DELETE CASCADE,
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  CHECK (child_id <> parent_id),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX admin_unit_link_child ON admin_unit_link(child_id);
CREATE INDEX admin_unit_link_parent ON admin_unit_link(parent_id);

-- Successor links of a reform: the share of the predecessor that went to the
-- successor (1 for a whole-commune merge; by area or by parcels otherwise).
CREATE TABLE admin_succession (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  predecessor_id INTEGER NOT NULL REFERENCES admin_unit(id) ON DELETE CASCADE,
  successor_id INTEGER NOT NULL REFERENCES admin_unit(id) ON DELETE CASCADE,
  effective_date TEXT NOT NULL,
  share REAL NOT NULL CHECK (share > 0 AND share <= 1),
  basis TEXT NOT NULL CHECK (basis IN ('whole', 'area', 'parcels')),
  legal_basis TEXT NOT NULL DEFAULT '',
  UNIQUE (predecessor_id, successor_id)
);

-- Figures stored against units (statistics by unit and year). Later modules store
-- their own data; this is the foundation's store for the roll-up rules.
CREATE TABLE figure_series (
  code TEXT PRIMARY KEY,
  name_vi TEXT NOT NULL,
  name_en TEXT NOT NULL,
  measure_unit TEXT NOT NULL,
  illustrative INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT ''
);
CREATE TABLE unit_figure (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  series TEXT NOT NULL REFERENCES figure_series(code),
  unit_id INTEGER NOT NULL REFERENCES admin_unit(id),
  year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
  value REAL NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (series, unit_id, year)
);
CREATE INDEX unit_figure_unit ON unit_figure(unit_id);

-- People. Personal identifiers are kept in full (the database is the protected
-- store) beside a keyed hash for duplicate detection; the service masks them for
-- roles that do not need them (Decree 13/2023/NĐ-CP).
CREATE TABLE app_user (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('province_admin', 'province_officer', 'unit_officer', 'producer', 'inspector')),
  unit_id INTEGER REFERENCES admin_unit(id),
  organisation TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  citizen_id TEXT NOT NULL DEFAULT '',
  citizen_id_hash TEXT NOT NULL DEFAULT '',
  bank_account TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX app_user_unit ON app_user(unit_id);
CREATE INDEX app_user_citizen ON app_user(citizen_id_hash);

-- Sessions (browser cookies, with a CSRF token) and bearer tokens (API clients).
-- Only a hash of the secret is stored.
CREATE TABLE auth_session (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('cookie', 'bearer')),
  csrf_token TEXT NOT NULL DEFAULT '',
  label TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX auth_session_user ON auth_session(user_id);

CREATE TABLE login_attempt (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL,
  client TEXT NOT NULL,
  at_epoch INTEGER NOT NULL,
  success INTEGER NOT NULL
);
CREATE INDEX login_attempt_user ON login_attempt(username, at_epoch);
CREATE INDEX login_attempt_client ON login_attempt(client, at_epoch);

-- Installation settings (e.g. the key of the keyed hash used for duplicate
-- detection of citizen ID numbers), created on first use.
CREATE TABLE app_setting (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- The audit trail: every write, login and unmasked view of personal data.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,                 -- 'user:<username>' or 'cli:<os user>'
  action TEXT NOT NULL,                -- create, update, delete, login, login_failed, logout, reveal, ...
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL DEFAULT '',
  unit_id INTEGER,
  before_json TEXT,
  after_json TEXT,
  request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_at ON audit_log(at);
