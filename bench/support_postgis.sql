-- The support cross-checks and amounts of docs/support.md written as PostGIS queries:
-- the peer of `nongsan check claims` in bench/support_bench.sh. Every rule reads the
-- same tables nongsan reads and decides as docs/support.md says; the geometry is
-- brought into VN-2000 / TM-3 103-00 (EPSG:9205) once, with GiST indexes, and the
-- parcel self-join uses the good plan of docs/platform-notes.md (`a.cid + 0 < b.cid + 0`,
-- so that PostgreSQL takes the GiST index, not a bitmap-AND with the key). The results
-- go to the temporary tables pg_finding and pg_amount.
--
-- Placeholders the driver (bench/support_bench.cpp) fills in: {Y0} and {Y1} (the first
-- and last day of the year), {MIN_OVERLAP} (m²), {CONDITIONS} (a CASE over the policy
-- versions: each policy's condition translated from the condition language into SQL,
-- over claimed_ha, quantity, items, filed_year, applicant_kind, applicant_commune).
-- Settings: the defaults of docs/support.md (tolerance 3 % or 2 ha, penalty 1.5).

SET client_min_messages = warning;
DROP TABLE IF EXISTS pol, app, item, claim, pair, zeroed, zone_g, item_finding, amt, capped, ident, pg_finding, pg_amount;

-- Policy versions, with their JSON fields opened.
CREATE TEMP TABLE pol AS
SELECT code, version, content, item AS unit, rate, one_time <> 0 AS one_time, cap_per_beneficiary_year AS cap,
       exclusive_with::jsonb AS excl, requires::jsonb AS req
FROM support_policy;

-- The applications the checks of the year read: filed in it, or earlier under a
-- one-time policy; each with the policy version in force on its filing date.
CREATE TEMP TABLE app AS
SELECT a.id, a.code COLLATE "C" AS code, a.policy_code, a.applicant_id, a.filed, a.accepted, a.status,
       a.approved_amount, a.filed BETWEEN '{Y0}' AND '{Y1}' AS in_year, a.status <> 'rejected' AS active,
       v.version, v.content, v.unit, v.rate, v.one_time, v.cap, v.excl, v.req
FROM support_application a
JOIN LATERAL (SELECT * FROM pol p WHERE p.code = a.policy_code AND p.version <= a.filed
              ORDER BY p.version DESC LIMIT 1) v ON true
WHERE a.filed BETWEEN '{Y0}' AND '{Y1}' OR (a.filed < '{Y0}' AND v.one_time);
CREATE INDEX ON app (id);
ANALYZE app;

-- Items of area policies, with the parcel's boundary in force on the filing date (an
-- earlier one from the history when it covers the date) in EPSG:9205, and its area.
CREATE TEMP TABLE item AS
SELECT row_number() OVER () AS cid, app.id AS app_id, app.code, app.policy_code, app.applicant_id, app.filed,
       app.accepted, app.in_year, app.active, app.content, app.one_time, app.excl, app.req, i.seq, i.quantity,
       i.parcel_id, pa.external_id COLLATE "C" AS parcel, g.key, g.area_m2, ST_Transform(g.geom, 9205) AS g
FROM app
JOIN support_application_item i ON i.application_id = app.id
JOIN parcel pa ON pa.id = i.parcel_id
JOIN LATERAL (
  SELECT -h.id AS key, h.area_m2, h.geom FROM parcel_geometry_history h
  WHERE h.parcel_id = i.parcel_id AND h.valid_from <= app.filed::date AND app.filed::date <= h.valid_to
  UNION ALL
  SELECT pa.id, pa.area_m2, pa.geom
  WHERE NOT EXISTS (SELECT 1 FROM parcel_geometry_history h
                    WHERE h.parcel_id = i.parcel_id AND app.filed::date <= h.valid_to)
  LIMIT 1) g ON true
WHERE app.unit = 'area';
CREATE INDEX ON item (app_id, seq);
ANALYZE item;

-- The claims that meet other claims: active, on a boundary.
CREATE TEMP TABLE claim AS SELECT * FROM item WHERE active AND g IS NOT NULL;
CREATE INDEX ON claim USING gist (g);
ANALYZE claim;

-- overlap and exclusive_policies: pairs of claims of two applications whose boundaries
-- share more than {MIN_OVERLAP} m² (the same boundary claimed twice: its area), both of
-- the year, or one earlier when both policies are one-time.
CREATE TEMP TABLE pair AS
SELECT a.cid AS ca, b.cid AS cb,
       CASE WHEN a.content = b.content THEN 'overlap' ELSE 'exclusive_policies' END AS finding
FROM claim a
JOIN claim b ON a.g && b.g AND a.cid + 0 < b.cid + 0
WHERE a.app_id <> b.app_id
  AND (a.in_year AND b.in_year OR ((a.in_year OR b.in_year) AND a.one_time AND b.one_time))
  AND (a.content = b.content OR a.excl ? b.policy_code OR b.excl ? a.policy_code)
  AND CASE WHEN a.key = b.key THEN a.area_m2
           ELSE ST_Area(ST_Intersection(a.g, b.g)) END > {MIN_OVERLAP};

-- The later-filed side (filing date, then code) of each pair counts 0.
CREATE TEMP TABLE zeroed AS
SELECT DISTINCT CASE WHEN (a.filed, a.code) < (b.filed, b.code) THEN b.app_id ELSE a.app_id END AS app_id,
       CASE WHEN (a.filed, a.code) < (b.filed, b.code) THEN b.seq ELSE a.seq END AS seq
FROM pair p JOIN claim a ON a.cid = p.ca JOIN claim b ON b.cid = p.cb;

-- Zones in EPSG:9205.
CREATE TEMP TABLE zone_g AS
SELECT id, lower(trim(commodity)) AS commodity, period_from, period_to, ST_Transform(geom, 9205) AS g
FROM zone WHERE geom IS NOT NULL;
CREATE INDEX ON zone_g USING gist (g);
ANALYZE zone_g;

-- Item findings of the year's active applications.
CREATE TEMP TABLE item_finding AS
WITH mine AS (SELECT * FROM item WHERE in_year AND active),
controller AS (
  SELECT m.app_id, m.seq,
         COALESCE((SELECT r.producer_id FROM land_right r
                   WHERE r.parcel_id = m.parcel_id AND r.kind IN ('lessee', 'contributed')
                     AND r.valid_from <= m.filed::date AND (r.valid_to IS NULL OR m.filed::date <= r.valid_to)
                   ORDER BY r.valid_from, r.id LIMIT 1),
                  (SELECT r.producer_id FROM land_right r
                   WHERE r.parcel_id = m.parcel_id AND r.kind = 'owner'
                     AND r.valid_from <= m.filed::date AND (r.valid_to IS NULL OR m.filed::date <= r.valid_to)
                   ORDER BY r.valid_from DESC, r.id DESC LIMIT 1)) AS producer_id
  FROM mine m WHERE (m.req ->> 'controller')::boolean)
SELECT 'not_controlled' AS finding, m.app_id, m.seq FROM mine m JOIN controller c USING (app_id, seq)
WHERE c.producer_id IS DISTINCT FROM m.applicant_id
UNION ALL
SELECT 'outside_zone', m.app_id, m.seq FROM mine m
WHERE (m.req ->> 'zone')::boolean AND (
  m.area_m2 IS NULL OR m.area_m2 <= 0 OR
  (SELECT COALESCE(ST_Area(ST_Intersection(m.g, ST_Union(z.g))), 0) FROM zone_g z
   WHERE z.g && m.g AND z.commodity = lower(trim(m.req ->> 'crop'))
     AND (z.period_from IS NULL OR z.period_from <= m.filed::date)
     AND (z.period_to IS NULL OR m.filed::date <= z.period_to)) / m.area_m2 < 0.5)
UNION ALL
SELECT 'wrong_crop', m.app_id, m.seq FROM mine m
WHERE m.req ? 'crop' AND m.accepted IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM planting p WHERE p.parcel_id = m.parcel_id AND lower(trim(p.crop)) = lower(trim(m.req ->> 'crop'))
    AND p.start_date <= m.accepted::date AND (p.end_date IS NULL OR m.accepted::date <= p.end_date))
UNION ALL
SELECT 'unsuitable', m.app_id, m.seq FROM mine m
WHERE jsonb_array_length(COALESCE(m.req -> 'suitability', '[]')) > 0 AND NOT EXISTS (
  SELECT 1 FROM parcel_suitability s
  WHERE s.parcel_id = m.parcel_id AND s.crop = COALESCE(m.req ->> 'profile', m.req ->> 'crop')
    AND (m.req -> 'suitability') ? s.dominant_class)
UNION ALL
SELECT 'over_declared', m.app_id, m.seq FROM mine m
WHERE m.quantity > COALESCE(m.area_m2, 0) / 10000.0 + least(COALESCE(m.area_m2, 0) / 10000.0 * 3.0 / 100.0, 2.0);
CREATE INDEX ON item_finding (app_id, seq);

-- Amounts: items counting min(claimed, area) unless a finding or the later side of a
-- pair zeroes them; 1.5 × the excess of every over-declared item taken off; counted
-- items their quantity; rate × payable rounded down (noise below 10⁻¹² forgiven);
-- rejected or conditions false: 0.
CREATE TEMP TABLE amt AS
WITH it AS (
  SELECT i.application_id AS app_id, i.seq, i.quantity, COALESCE(m.area_m2, 0) / 10000.0 AS area,
         EXISTS (SELECT 1 FROM item_finding f WHERE f.app_id = i.application_id AND f.seq = i.seq
                 AND f.finding <> 'over_declared')
         OR EXISTS (SELECT 1 FROM zeroed z WHERE z.app_id = i.application_id AND z.seq = i.seq) AS zero,
         EXISTS (SELECT 1 FROM item_finding f WHERE f.app_id = i.application_id AND f.seq = i.seq
                 AND f.finding = 'over_declared') AS over
  FROM support_application_item i JOIN app a ON a.id = i.application_id
  LEFT JOIN item m ON m.app_id = i.application_id AND m.seq = i.seq
  WHERE a.in_year),
per_app AS (
  SELECT a.id, a.code, a.policy_code, a.version, a.applicant_id, a.filed, a.status, a.active, a.unit, a.rate, a.cap,
         count(it.seq) AS items, COALESCE(sum(it.quantity), 0) AS quantity,
         CASE WHEN a.unit = 'area' THEN COALESCE(sum(it.quantity), 0) ELSE 0 END AS claimed_ha,
         CASE WHEN a.unit = 'area'
              THEN greatest(0, COALESCE(sum(CASE WHEN it.zero THEN 0 ELSE least(it.quantity, it.area) END), 0)
                               - COALESCE(sum(CASE WHEN it.over THEN 1.5 * (it.quantity - it.area) ELSE 0 END), 0))
              ELSE COALESCE(sum(it.quantity), 0) END AS payable
  FROM app a LEFT JOIN it ON it.app_id = a.id
  WHERE a.in_year
  GROUP BY a.id, a.code, a.policy_code, a.version, a.applicant_id, a.filed, a.status, a.active, a.unit, a.rate, a.cap),
facts AS (
  SELECT p.*, round(p.claimed_ha * 1e9) / 1e9 AS claimed_ha_d, round(p.quantity * 1e9) / 1e9 AS quantity_d,
         pr.kind AS applicant_kind, COALESCE(u.code, '') AS applicant_commune,
         extract(year FROM p.filed::date)::float8 AS filed_year
  FROM per_app p JOIN producer pr ON pr.id = p.applicant_id LEFT JOIN admin_unit u ON u.id = pr.unit_id)
SELECT f.id, f.code, f.policy_code, f.applicant_id, f.filed, f.active, f.cap,
       CASE WHEN NOT f.active THEN 0
            WHEN NOT ({CONDITIONS}) THEN 0
            ELSE floor(f.rate * f.payable + greatest(1e-9, abs(f.rate * f.payable) * 1e-12))::bigint END AS raw
FROM (SELECT id, code, policy_code, version, applicant_id, filed, active, cap, rate, payable, items::float8 AS items,
             claimed_ha_d AS claimed_ha, quantity_d AS quantity, applicant_kind, applicant_commune, filed_year
      FROM facts) f;

-- The cap: one applicant's applications under one code, in filing order, each at most
-- the cap of its own version minus what the earlier ones got.
CREATE TEMP TABLE capped (id bigint, code text COLLATE "C", raw bigint, amount bigint, cut boolean);
DO $$
DECLARE r record; granted bigint := 0; prev_applicant bigint := -1; prev_code text := ''; room bigint; amount bigint;
BEGIN
  FOR r IN SELECT * FROM amt ORDER BY applicant_id, policy_code, filed, code COLLATE "C" LOOP
    IF r.applicant_id <> prev_applicant OR r.policy_code <> prev_code THEN granted := 0; END IF;
    prev_applicant := r.applicant_id; prev_code := r.policy_code;
    amount := r.raw;
    IF r.active AND r.cap IS NOT NULL THEN
      room := greatest(0, r.cap - granted);
      IF amount > room THEN amount := room; END IF;
    END IF;
    IF r.active THEN granted := granted + amount; END IF;
    INSERT INTO capped VALUES (r.id, r.code, r.raw, amount, amount < r.raw);
  END LOOP;
END $$;

-- duplicate_person: applicants of the year sharing a citizen ID, a bank account or a
-- phone (digits only, +84 written as 0; empty never matches).
CREATE TEMP TABLE ident AS
SELECT DISTINCT a.applicant_id, x.kind, x.value
FROM app a JOIN producer p ON p.id = a.applicant_id
CROSS JOIN LATERAL (VALUES
  ('citizen_id', p.citizen_id_hash),
  ('bank_account', regexp_replace(p.bank_account, '[^0-9]', '', 'g')),
  ('phone', CASE WHEN left(trim(p.phone), 1) = '+' AND regexp_replace(p.phone, '[^0-9]', '', 'g') LIKE '84%'
                 THEN '0' || substr(regexp_replace(p.phone, '[^0-9]', '', 'g'), 3)
                 ELSE regexp_replace(p.phone, '[^0-9]', '', 'g') END)) AS x(kind, value)
WHERE a.in_year AND a.active AND x.value <> '';
CREATE INDEX ON ident (kind, value);

CREATE TEMP TABLE pg_finding (finding text, application text COLLATE "C", other_application text COLLATE "C",
                              parcel text COLLATE "C");
INSERT INTO pg_finding
SELECT DISTINCT p.finding, least(a.code, b.code), greatest(a.code, b.code),
       CASE WHEN a.code < b.code THEN a.parcel ELSE b.parcel END
FROM pair p JOIN claim a ON a.cid = p.ca JOIN claim b ON b.cid = p.cb;
INSERT INTO pg_finding
SELECT f.finding, i.code, '', i.parcel FROM item_finding f JOIN item i ON i.app_id = f.app_id AND i.seq = f.seq;
INSERT INTO pg_finding SELECT 'cap_exceeded', code, '', '' FROM capped WHERE cut;
INSERT INTO pg_finding
SELECT 'duplicate_person', a.code,
       (SELECT min(o.code) FROM app o
        WHERE o.in_year AND o.active AND o.applicant_id IN (
          SELECT y.applicant_id FROM ident x JOIN ident y ON y.kind = x.kind AND y.value = x.value
          WHERE x.applicant_id = a.applicant_id AND y.applicant_id <> a.applicant_id)), ''
FROM app a
WHERE a.in_year AND a.active AND EXISTS (
  SELECT 1 FROM ident x JOIN ident y ON y.kind = x.kind AND y.value = x.value
  WHERE x.applicant_id = a.applicant_id AND y.applicant_id <> a.applicant_id);
INSERT INTO pg_finding
SELECT 'paid_without_acceptance', a.code, '', '' FROM app a
WHERE a.in_year AND a.active AND EXISTS (
  SELECT 1 FROM support_payment y WHERE y.application_id = a.id AND y.kind = 'payment'
    AND (a.accepted IS NULL OR y.payment_date < a.accepted));
INSERT INTO pg_finding
SELECT 'paid_over_approved', a.code, '', '' FROM app a
JOIN (SELECT application_id, sum(CASE WHEN kind = 'payment' THEN amount ELSE -amount END) AS net
      FROM support_payment GROUP BY application_id) y ON y.application_id = a.id
WHERE a.in_year AND a.active AND a.approved_amount IS NOT NULL AND y.net > a.approved_amount;

CREATE TEMP TABLE pg_amount AS SELECT code AS application, amount FROM capped;
