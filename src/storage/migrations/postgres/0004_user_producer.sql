-- A cooperative's or enterprise's account is tied to its producer record, so that
-- the `producer` role sees its own records (and its members') and nothing else.
ALTER TABLE app_user ADD COLUMN producer_id BIGINT REFERENCES producer(id);
CREATE INDEX app_user_producer ON app_user(producer_id);
