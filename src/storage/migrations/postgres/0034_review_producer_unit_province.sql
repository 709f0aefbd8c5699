-- producer_unit_of (migration 0033) with the producer's province_code as well: the
-- review's owners of leased land look their producer up by id and province_code, the
-- filter that lets Citus send the statement to one shard (docs/scale-out.md, "The hot
-- paths' statements, by province"). Without province_code in the index each of those
-- lookups read the producer's row to test it (bench/README.md "The province review":
-- 29,754 lookups, the leases' statement the largest single read of the review's
-- critical connection); with it the lookup is index-only again. SQLite's 0034 changes
-- nothing: a GeoPackage has no province_code and its producer_unit_of already serves
-- every lookup there.
DROP INDEX producer_unit_of;
CREATE INDEX producer_unit_of ON producer(id) INCLUDE (unit_id, province_code);
