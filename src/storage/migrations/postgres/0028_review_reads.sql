-- Indexes for the reads of a province's review (src/modules/targets/computed.cpp,
-- bench/README.md "The province review"):
-- * parcel_unit_of: the plantings and conversions of a province are joined to their
--   parcel for its commune (and area) only. Without it the join reads the parcel table
--   itself, each row carrying its geometry (568 MB for a million parcels); with it, an
--   index-only scan of the parcels' ids: the plantings of tea over 1,000,000 parcels
--   from 1.59 s to 0.84 s, the conversions from 0.38 s to 0.25 s (EXPLAIN ANALYZE, 2 cores,
--   loaded machine).
-- * planting_crop_reading: the plantings of a crop with what a review takes of them
--   (parcel, dates, area), in parcel order for the join above, from the index alone: the
--   plantings of tea over 1,000,000 parcels from 0.88 s to 0.41 s. One more index to keep
--   on each planting written.
-- * land_right_leased: the leased or contributed rights (3 % of the rights) found
--   without reading every right; the self-join of owners and lessees (linked_producers)
--   starts from them.
CREATE INDEX parcel_unit_of ON parcel(id) INCLUDE (unit_id, area_m2);
CREATE INDEX planting_crop_reading ON planting(crop, parcel_id) INCLUDE (id, planted_area_m2, start_date, end_date);
CREATE INDEX land_right_leased ON land_right(parcel_id) WHERE kind IN ('lessee', 'contributed');
