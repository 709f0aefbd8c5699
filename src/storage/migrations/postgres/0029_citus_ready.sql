-- The schema made ready for Citus (docs/scale-out.md, docs/adr/0018-citus-ready-schema.md).
--
-- Every table is classified once, in `table_distribution`: a *reference* table is copied
-- to every Citus worker (units, crops, settings, accounts), a *distributed* table is
-- split by `province_code` and co-located with `parcel`, a *local* table stays on the
-- coordinator. A table created by a later migration adds its row here (or in its own
-- migration) and, when distributed, gets the same treatment as the block below gives;
-- tests/storage/pg_citus_schema_test.cpp fails, naming the table, until it does; and this
-- migration itself refuses to run while a table missing from the list has a foreign key to
-- a distributed table (that key would otherwise be dropped without a word).
--
-- What this migration does to each distributed table, generically (so that extending the
-- list is the only change a new table needs):
--   1. `province_code TEXT NOT NULL DEFAULT nongsan_province_code()`: existing rows get
--      the installation's province, new rows too, without any change to the INSERTs;
--   2. foreign keys between distributed tables become
--      `(province_code, x_id) -> (province_code, id)`; foreign keys from a reference or
--      local table to a distributed one are dropped (Citus refuses them; the one there
--      is, app_user.producer_id, is checked by the identity service);
--   3. the primary key becomes `(province_code, <its columns>)`, with a plain index on
--      the old columns so that a lookup by id stays indexed on one server; unique
--      constraints and unique indexes gain `province_code` as their first column;
-- and, only where the `citus` extension is installed, calls create_reference_table and
-- create_distributed_table(..., 'province_code', colocate_with => 'parcel') in an order
-- Citus accepts (a table after the tables it references).
--
-- One installation holds one province (a national deployment sets the per-connection
-- setting `nongsan.province_code`); the installation's province is the province-level
-- administrative unit in force when this migration runs, or '00' (not yet known) on an
-- empty database, kept in app_setting 'province_code' so that it never changes under
-- rows already written.

CREATE TABLE table_distribution (
  table_name TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('reference', 'distributed', 'local'))
);

INSERT INTO table_distribution (table_name, kind) VALUES
  -- reference: small, read by every province, joined freely
  ('admin_unit', 'reference'), ('admin_unit_link', 'reference'),
  ('admin_succession', 'reference'), ('crop_profile', 'reference'),
  ('crop_profile_version', 'reference'), ('pesticide_product', 'reference'),
  ('pesticide_status', 'reference'), ('pesticide_label', 'reference'),
  ('trace_gtin', 'reference'), ('cert_standard', 'reference'), ('chain_yield', 'reference'),
  ('figure_series', 'reference'), ('inspection_weight', 'reference'),
  ('app_setting', 'reference'), ('chain_setting', 'reference'),
  ('schema_migrations', 'reference'), ('table_distribution', 'reference'),
  ('app_user', 'reference'),
  -- local: on the coordinator only
  ('auth_session', 'local'), ('login_attempt', 'local'),
  -- distributed by province_code, co-located with parcel (parcel first)
  ('parcel', 'distributed'), ('parcel_geometry_history', 'distributed'),
  ('parcel_lineage', 'distributed'), ('land_right', 'distributed'),
  ('producer', 'distributed'), ('producer_membership', 'distributed'),
  ('planting', 'distributed'), ('crop_conversion', 'distributed'), ('zone', 'distributed'),
  ('topology_check_run', 'distributed'), ('topology_finding', 'distributed'),
  ('registry_quality_sample', 'distributed'),
  ('parcel_suitability', 'distributed'), ('zone_suitability', 'distributed'),
  ('suitability_run', 'distributed'), ('raster_layer', 'distributed'),
  ('support_policy', 'distributed'), ('support_budget', 'distributed'),
  ('support_application', 'distributed'), ('support_application_item', 'distributed'),
  ('support_application_step', 'distributed'), ('support_attachment', 'distributed'),
  ('support_payment', 'distributed'), ('support_check_run', 'distributed'),
  ('support_check_amount', 'distributed'), ('support_check_finding', 'distributed'),
  ('diary_entry', 'distributed'), ('lot_hold_clearance', 'distributed'),
  ('area_code', 'distributed'), ('area_code_parcel', 'distributed'),
  ('area_code_season', 'distributed'), ('area_code_step', 'distributed'),
  ('area_code_decided_finding', 'distributed'),
  ('epcis_capture', 'distributed'), ('epcis_event', 'distributed'),
  ('epcis_event_epc', 'distributed'), ('epcis_event_ref', 'distributed'),
  ('epcis_event_field', 'distributed'),
  ('chain_buyer', 'distributed'), ('chain_contract', 'distributed'),
  ('chain_coverage', 'distributed'), ('chain_delivery', 'distributed'),
  ('chain_epcis_unmatched', 'distributed'), ('chain_facility', 'distributed'),
  ('chain_facility_capacity', 'distributed'), ('chain_facility_zone', 'distributed'),
  ('chain_investment', 'distributed'), ('chain_participant', 'distributed'),
  ('chain_trade_event', 'distributed'),
  -- (tables of migrations merged alongside this one; a listed table that does not exist is skipped)
  ('chain_contract_document', 'distributed'), ('chain_document_type', 'reference'),
  ('ocop_product', 'distributed'), ('ocop_evaluation', 'distributed'),
  ('ocop_event', 'distributed'), ('ocop_finding', 'distributed'),
  ('ocop_lab_result', 'distributed'),
  ('certificate', 'distributed'), ('certificate_scope', 'distributed'),
  ('cert_mark', 'distributed'),
  ('programme', 'distributed'), ('indicator', 'distributed'), ('target', 'distributed'),
  ('target_revision', 'distributed'), ('observation', 'distributed'),
  ('unit_figure', 'distributed'), ('report_issue', 'distributed'),
  ('conclusions_draft', 'distributed'),
  ('inspection', 'distributed'), ('inspection_decision', 'distributed'),
  ('inspection_finding', 'distributed'), ('inspection_photo', 'distributed'),
  ('inspection_plan', 'distributed'), ('inspection_plan_entry', 'distributed'),
  ('inspection_sync', 'distributed'),
  ('job', 'distributed'), ('audit_log', 'distributed');

-- The installation's province, fixed once.
INSERT INTO app_setting (key, value)
SELECT 'province_code', COALESCE(
  (SELECT code FROM admin_unit WHERE level = 'province'
   ORDER BY (valid_to IS NULL) DESC, valid_from DESC, code LIMIT 1), '00')
ON CONFLICT (key) DO NOTHING;

-- The default of every province_code column: the connection's province when the storage
-- layer set one (SET nongsan.province_code), otherwise the installation's.
CREATE FUNCTION nongsan_province_code() RETURNS TEXT LANGUAGE sql STABLE AS $fn$
  SELECT COALESCE(NULLIF(current_setting('nongsan.province_code', true), ''),
                  (SELECT value FROM app_setting WHERE key = 'province_code'), '00')
$fn$;

DO $citus$
DECLARE
  t TEXT;
  r RECORD;
  cols TEXT;
  refcols TEXT;
  action TEXT;
  def TEXT;
  progress BOOLEAN;
  pending TEXT[];
  still TEXT[];
BEGIN
  -- 1. The distribution column.
  FOR t IN SELECT d.table_name FROM table_distribution d
           WHERE d.kind = 'distributed' AND to_regclass(d.table_name) IS NOT NULL
           ORDER BY d.table_name LOOP
    EXECUTE format('ALTER TABLE %I ADD COLUMN province_code TEXT NOT NULL DEFAULT nongsan_province_code()', t);
  END LOOP;

  -- 2. Foreign keys that point at a distributed table: dropped, and recreated with
  --    province_code on both sides when the referencing table is distributed too.
  CREATE TEMP TABLE citus_fk ON COMMIT DROP AS
  SELECT c.conrelid::regclass::text AS tbl, c.conname::text AS name,
         c.confrelid::regclass::text AS reftbl,
         (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)
            FROM unnest(c.conkey) WITH ORDINALITY k(att, n)
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.att) AS cols,
         (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)
            FROM unnest(c.confkey) WITH ORDINALITY k(att, n)
            JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.att) AS refcols,
         c.confdeltype, c.confupdtype,
         EXISTS (SELECT 1 FROM table_distribution s
                 WHERE s.table_name = c.conrelid::regclass::text AND s.kind = 'distributed') AS from_distributed
  FROM pg_constraint c
  JOIN pg_class rc ON rc.oid = c.confrelid
  WHERE c.contype = 'f'
    AND rc.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = to_regclass('table_distribution'))
    AND EXISTS (SELECT 1 FROM table_distribution s
                WHERE s.table_name = rc.relname::text AND s.kind = 'distributed');
  -- A table missing from the list would silently lose its foreign key to a distributed
  -- table: refuse instead, naming it (a merged migration's table must be classified above).
  FOR r IN SELECT * FROM citus_fk f
           WHERE NOT EXISTS (SELECT 1 FROM table_distribution s WHERE s.table_name = f.tbl) LOOP
    RAISE EXCEPTION 'table % is not classified in table_distribution (reference, distributed or local), and its foreign key % references the distributed table %',
      r.tbl, r.name, r.reftbl;
  END LOOP;
  FOR r IN SELECT * FROM citus_fk LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.name);
  END LOOP;

  -- 3. Primary keys, unique constraints and unique indexes of distributed tables.
  FOR r IN
    SELECT c.conrelid::regclass::text AS tbl, c.conname::text AS name, c.contype,
           (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)
              FROM unnest(c.conkey) WITH ORDINALITY k(att, n)
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.att) AS cols
    FROM pg_constraint c
    JOIN pg_class tc ON tc.oid = c.conrelid
    JOIN table_distribution d ON d.table_name = tc.relname::text AND d.kind = 'distributed'
    WHERE c.contype IN ('p', 'u')
      AND tc.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = to_regclass('table_distribution'))
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.name);
    IF r.contype = 'p' THEN
      EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I PRIMARY KEY (province_code, %s)', r.tbl, r.name, r.cols);
      EXECUTE format('CREATE INDEX %I ON %s (%s)', r.name || '_by_id', r.tbl, r.cols);
    ELSE
      EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I UNIQUE (province_code, %s)', r.tbl, r.name, r.cols);
    END IF;
  END LOOP;
  FOR r IN
    SELECT i.indexrelid::regclass::text AS idx, pg_get_indexdef(i.indexrelid) AS def
    FROM pg_index i
    JOIN pg_class tc ON tc.oid = i.indrelid
    JOIN table_distribution d ON d.table_name = tc.relname::text AND d.kind = 'distributed'
    WHERE i.indisunique
      AND tc.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = to_regclass('table_distribution'))
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
  LOOP
    def := regexp_replace(r.def, ' USING (\w+) \(', ' USING \1 (province_code, ');
    EXECUTE format('DROP INDEX %s', r.idx);
    EXECUTE def;
  END LOOP;

  FOR r IN SELECT * FROM citus_fk WHERE from_distributed LOOP
    action := CASE r.confdeltype
                WHEN 'c' THEN ' ON DELETE CASCADE'
                WHEN 'n' THEN format(' ON DELETE SET NULL (%s)', r.cols)
                WHEN 'd' THEN format(' ON DELETE SET DEFAULT (%s)', r.cols)
                WHEN 'r' THEN ' ON DELETE RESTRICT'
                ELSE '' END
           || CASE r.confupdtype WHEN 'c' THEN ' ON UPDATE CASCADE' ELSE '' END;
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I FOREIGN KEY (province_code, %s) REFERENCES %s (province_code, %s)%s',
                   r.tbl, r.name, r.cols, r.reftbl, r.refcols, action);
  END LOOP;

  -- 4. On Citus only: reference tables, then distributed ones, each after what it references.
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    FOR t IN SELECT unnest(ARRAY['reference', 'distributed']) LOOP
      SELECT array_agg(d.table_name ORDER BY d.table_name = 'parcel' DESC, d.table_name) INTO pending
      FROM table_distribution d WHERE d.kind = t AND to_regclass(d.table_name) IS NOT NULL;
      WHILE pending IS NOT NULL AND cardinality(pending) > 0 LOOP
        progress := false;
        still := ARRAY[]::TEXT[];
        FOREACH def IN ARRAY pending LOOP
          IF EXISTS (SELECT 1 FROM pg_constraint c
                     WHERE c.contype = 'f' AND c.conrelid = to_regclass(def)
                       AND c.confrelid <> c.conrelid
                       AND c.confrelid::regclass::text = ANY (pending)) THEN
            still := still || def;
          ELSIF t = 'reference' THEN
            PERFORM create_reference_table(def);
            progress := true;
          ELSIF def = 'parcel' THEN
            PERFORM create_distributed_table(def, 'province_code');
            progress := true;
          ELSE
            PERFORM create_distributed_table(def, 'province_code', colocate_with => 'parcel');
            progress := true;
          END IF;
        END LOOP;
        IF NOT progress THEN
          RAISE EXCEPTION 'citus: a cycle of foreign keys among %', still;
        END IF;
        pending := still;
      END LOOP;
    END LOOP;
  END IF;
END
$citus$;
