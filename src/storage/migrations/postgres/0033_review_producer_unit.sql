-- An index for the linkage reads of a province's review (src/modules/targets/
-- registry_reads.cpp, bench/README.md "The province review"): the memberships and the
-- owners of leased land are joined to their producer for its commune only. Without it
-- PostgreSQL reads the producer table itself, each row carrying names, addresses and
-- masked ids (a sequential scan of 250,500 producers for 50,306 memberships); with it,
-- an index-only scan of the producers' ids and units (EXPLAIN ANALYZE on the bench's
-- province, loaded machine: that scan from 495 ms to 117 ms). One more index to keep
-- on each producer written.
CREATE INDEX producer_unit_of ON producer(id) INCLUDE (unit_id);
