-- Land suitability (FAO framework, docs/rules.md §4): crop profiles with
-- their edit history, the raster layers the profiles read, evaluation runs, and
-- what a run found per parcel and per zone. Unit summaries are sums of the parcel
-- rows (computed on request), so they always agree with the parcels.

-- One profile per crop. `profile` is the JSON document the suitability engine
-- parses (modules/suitability/crop_profile.hpp); the other columns repeat what the
-- lists need. `commodity` is the zone commodity code the profile plans for
-- (zone.commodity): the profile rice_paddy plans the commodity "rice".
CREATE TABLE crop_profile (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  crop TEXT NOT NULL UNIQUE,
  name_vi TEXT NOT NULL DEFAULT '',
  commodity TEXT NOT NULL,
  method TEXT NOT NULL,
  profile TEXT NOT NULL,
  sourced INTEGER NOT NULL DEFAULT 0,      -- 1 when every factor cites a source
  version INTEGER NOT NULL DEFAULT 1,
  updated_by TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL
);
CREATE INDEX crop_profile_commodity ON crop_profile(commodity);

-- Every saved version of a profile, the current one included (edits keep history).
CREATE TABLE crop_profile_version (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  profile_id INTEGER NOT NULL REFERENCES crop_profile(id) ON DELETE CASCADE,
  crop TEXT NOT NULL,
  version INTEGER NOT NULL,
  profile TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  UNIQUE (profile_id, version)
);

-- A raster the profiles read, by factor layer name (elevation, slope, tmean, ...).
-- `path` is absolute or relative to the raster folder (setting raster_dir, by
-- default <database folder>/rasters). Categorical layers map their integer cell
-- codes to the class labels the profiles use (`codes`: JSON object code -> label).
-- `derived_from` names the layer a derived one is computed from (slope from elevation).
CREATE TABLE raster_layer (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('continuous', 'categorical')),
  unit TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  codes TEXT NOT NULL DEFAULT '{}',
  derived_from TEXT NOT NULL DEFAULT '',
  illustrative INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- One evaluation of the registry for one crop.
CREATE TABLE suitability_run (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  crop TEXT NOT NULL,
  profile_version INTEGER NOT NULL,
  layers TEXT NOT NULL DEFAULT '[]',       -- JSON: [{name, path, kind}]
  data_hash TEXT NOT NULL DEFAULT '',      -- hash of the profile and of the layer files (size, time)
  scope TEXT NOT NULL DEFAULT '',          -- commune code, or '' for the whole registry
  parcels INTEGER NOT NULL DEFAULT 0,
  zones INTEGER NOT NULL DEFAULT 0,
  run_by TEXT NOT NULL DEFAULT '',
  run_at TEXT NOT NULL
);
CREATE INDEX suitability_run_crop ON suitability_run(crop);

-- The latest result per crop and parcel (a new run for the crop replaces the rows of
-- the parcels it covered). Areas in m², from the exact share of each raster cell the
-- parcel covers (modules/suitability/zonal_summary.hpp).
CREATE TABLE parcel_suitability (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL REFERENCES suitability_run(id) ON DELETE CASCADE,
  crop TEXT NOT NULL,
  parcel_id INTEGER NOT NULL REFERENCES parcel(id) ON DELETE CASCADE,
  s1_m2 REAL NOT NULL DEFAULT 0,
  s2_m2 REAL NOT NULL DEFAULT 0,
  s3_m2 REAL NOT NULL DEFAULT 0,
  n_m2 REAL NOT NULL DEFAULT 0,
  nodata_m2 REAL NOT NULL DEFAULT 0,
  dominant_class TEXT NOT NULL DEFAULT '',  -- S1..N or nodata
  limiting_factor TEXT NOT NULL DEFAULT '', -- covering most of the parcel's S2..N area
  UNIQUE (crop, parcel_id)
);
CREATE INDEX parcel_suitability_parcel ON parcel_suitability(parcel_id);
CREATE INDEX parcel_suitability_run ON parcel_suitability(run_id);

-- The same per zone, over the zone's own boundary, with the limiting factors of its
-- S3 and N land ranked by area (JSON: [{factor, m2}]).
CREATE TABLE zone_suitability (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL REFERENCES suitability_run(id) ON DELETE CASCADE,
  crop TEXT NOT NULL,
  zone_id INTEGER NOT NULL REFERENCES zone(id) ON DELETE CASCADE,
  s1_m2 REAL NOT NULL DEFAULT 0,
  s2_m2 REAL NOT NULL DEFAULT 0,
  s3_m2 REAL NOT NULL DEFAULT 0,
  n_m2 REAL NOT NULL DEFAULT 0,
  nodata_m2 REAL NOT NULL DEFAULT 0,
  limiting TEXT NOT NULL DEFAULT '[]',
  UNIQUE (crop, zone_id)
);
CREATE INDEX zone_suitability_zone ON zone_suitability(zone_id);
