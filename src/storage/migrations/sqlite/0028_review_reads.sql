-- Indexes for the reads of a province's review (src/modules/targets/computed.cpp,
-- bench/README.md "The province review"), as in the PostgreSQL migration:
-- * parcel_unit_of: the plantings and conversions are joined to their parcel for its
--   commune (and area) only: the index holds them, so the parcel row, with its geometry,
--   is not read.
-- * planting_crop_reading: the plantings of a crop with what a review takes of them
--   (parcel, dates, area), from the index alone.
-- * land_right_leased: the leased or contributed rights found without reading every right.
CREATE INDEX parcel_unit_of ON parcel(id, unit_id, area_m2);
CREATE INDEX planting_crop_reading ON planting(crop, parcel_id, id, planted_area_m2, start_date, end_date);
CREATE INDEX land_right_leased ON land_right(parcel_id) WHERE kind IN ('lessee', 'contributed');
