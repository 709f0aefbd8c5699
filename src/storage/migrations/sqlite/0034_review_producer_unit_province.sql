-- PostgreSQL's 0034 adds province_code to the included columns of producer_unit_of,
-- because on PostgreSQL the review's lookup of the owners of leased land filters by it
-- (docs/scale-out.md). A GeoPackage holds one province, has no province_code on
-- producer and its statements carry no such filter, so its producer_unit_of (migration
-- 0033: the producer's id and unit) already answers that lookup: nothing to change here.
SELECT 1;
