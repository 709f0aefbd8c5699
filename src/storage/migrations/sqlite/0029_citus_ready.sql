-- The PostgreSQL 0029 makes that schema ready for Citus: a `province_code` column on
-- every distributed table, in every key (docs/scale-out.md). A GeoPackage holds one
-- province and is never distributed, so that change is not made here, with one
-- exception that keeps the SQL shared by both backends valid: an upsert names the
-- unique key it conflicts on, and on PostgreSQL that key now starts with
-- province_code. The four tables written by such an upsert get the column (one value,
-- '00', on SQLite: it is never read here) and a unique index of the same columns.
ALTER TABLE raster_layer ADD COLUMN province_code TEXT NOT NULL DEFAULT '00';
CREATE UNIQUE INDEX raster_layer_province_name ON raster_layer(province_code, name);
ALTER TABLE support_budget ADD COLUMN province_code TEXT NOT NULL DEFAULT '00';
CREATE UNIQUE INDEX support_budget_province_line ON support_budget(province_code, policy_code, year, funding_source);
ALTER TABLE area_code_season ADD COLUMN province_code TEXT NOT NULL DEFAULT '00';
CREATE UNIQUE INDEX area_code_season_province_season ON area_code_season(province_code, code_id, season);
ALTER TABLE area_code_decided_finding ADD COLUMN province_code TEXT NOT NULL DEFAULT '00';
CREATE UNIQUE INDEX area_code_decided_finding_province ON area_code_decided_finding(province_code, code_id, finding, season);
