-- An index for the linkage reads of a province's review (src/modules/targets/
-- registry_reads.cpp, bench/README.md "The province review"), as in the PostgreSQL
-- migration: the memberships and the owners of leased land are joined to their producer
-- for its commune only; the index holds it, so the producer row is not read.
CREATE INDEX producer_unit_of ON producer(id, unit_id);
