-- The page of parcels and its count now filter by province_code (docs/scale-out.md,
-- "Queries by province": a statement Citus routes to one province's shard). Migration
-- 0027's parcel_page_order answered both from the index, the table read only for the
-- rows shown; a filter on a column outside the index would send the database to the
-- table row of every parcel skipped by OFFSET and counted. The same index with
-- province_code first keeps both in the index (one value per installation, so the order
-- of a province's parcels is the index's order).
DROP INDEX parcel_page_order;
CREATE INDEX parcel_page_order ON parcel(province_code, external_id_key, external_id, valid_to, unit_id);
