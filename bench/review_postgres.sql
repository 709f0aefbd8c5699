-- The review of a programme for the province and its children written as PostgreSQL
-- queries: the peer of `nongsan report review` in bench/review_bench.sh. It reads the
-- same tables and decides as src/modules/targets/evaluation.hpp and docs/rules.md say:
-- computed values per commune and year from the registry (planted_area, zone_area with
-- the zone intersections in EPSG:9205, converted_from_rice, linked_producers), approved
-- annual observations, the roll-up up the unit tree (own value, else the sum of the
-- children valid on the reference date; no value below means no value), targets in
-- force on the review date (own, else the children's sum), actual, baseline,
-- achievement, forecast (never below zero) and the status classes.
-- Scope of the peer: a hierarchy without reform (no successions; the bench generates
-- none), computed measures on communes (what the generator files records under).
-- psql variables: programme, as_of (YYYY-MM-DD), milestone. Output: CSV on stdout.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
-- Short queries over small temporary tables: JIT compilation (seconds) would cost more
-- than it saves, so the peer runs without it, as a tuned installation would.
SET jit = off;

CREATE TEMP TABLE prm AS
SELECT id, start_date::date AS s, baseline_year AS by, :'as_of'::date AS d, make_date(:milestone, 12, 31) AS e
FROM programme WHERE code = :'programme';
CREATE TEMP TABLE yr AS
SELECT y, CASE WHEN y = extract(year FROM prm.d)::int THEN prm.d ELSE make_date(y::int, 12, 31) END AS ref
FROM prm, generate_series(least(prm.by::int, extract(year FROM prm.s)::int), extract(year FROM prm.d)::int) y;
CREATE TEMP TABLE ind AS
SELECT i.id, i.code, i.kind, i.direction, i.source, CASE WHEN i.computed <> '' THEN i.computed::jsonb END AS def
FROM indicator i JOIN prm ON i.programme_id = prm.id;

ANALYZE prm;
ANALYZE yr;
ANALYZE ind;

-- Own values: (indicator, unit, year) → value.
CREATE TEMP TABLE own (ind bigint, unit bigint, y int, v double precision);
INSERT INTO own
SELECT o.indicator_id, o.unit_id, o.year, o.value
FROM observation o JOIN ind ON ind.id = o.indicator_id AND ind.source = 'reported', prm
WHERE o.status = 'approved' AND o.period = 0 AND o.year <= extract(year FROM prm.d);

-- planted_area: plantings of the crop active on the reference date.
INSERT INTO own
SELECT ind.id, p.unit_id, yr.y, sum(pl.planted_area_m2) / 10000.0
FROM ind JOIN planting pl ON pl.crop = ind.def->>'crop' JOIN parcel p ON p.id = pl.parcel_id
JOIN yr ON pl.start_date <= yr.ref AND (pl.end_date IS NULL OR pl.end_date >= yr.ref)
WHERE ind.source = 'computed' AND ind.def->>'measure' = 'planted_area' AND p.unit_id IS NOT NULL
GROUP BY 1, 2, 3;

-- zone_area: the share of each parcel inside the zones of the commodity (capped at 1),
-- parcels at least half inside; the part inside counts.
CREATE TEMP TABLE zg AS
SELECT z.id, z.commodity, z.geom, ST_Transform(z.geom, 9205) AS g FROM zone z WHERE z.geom IS NOT NULL;
CREATE TEMP TABLE zfrac AS
SELECT ind.id AS ind, p.id AS parcel,
       least(1.0, sum(ST_Area(ST_Intersection(ST_Transform(p.geom, 9205), zg.g))) / p.area_m2) AS f
FROM ind JOIN zg ON zg.commodity = ind.def->>'commodity'
JOIN parcel p ON ST_Intersects(p.geom, zg.geom)  -- the parcels' GiST index, in EPSG:4326
WHERE ind.source = 'computed' AND ind.def->>'measure' = 'zone_area' AND p.area_m2 > 0
  AND EXISTS (SELECT 1 FROM planting pl WHERE pl.parcel_id = p.id AND pl.crop = ind.def->>'commodity')
GROUP BY ind.id, p.id, p.area_m2;
INSERT INTO own
SELECT ind.id, p.unit_id, yr.y, sum(pl.planted_area_m2 / 10000.0 * zf.f)
FROM ind JOIN zfrac zf ON zf.ind = ind.id AND zf.f >= 0.5 JOIN parcel p ON p.id = zf.parcel
JOIN planting pl ON pl.parcel_id = p.id AND pl.crop = ind.def->>'commodity'
JOIN yr ON pl.start_date <= yr.ref AND (pl.end_date IS NULL OR pl.end_date >= yr.ref)
WHERE p.unit_id IS NOT NULL
GROUP BY 1, 2, 3;

-- converted_from_rice: conversions from rice in the window (from 1 January of the year
-- for a flow, from the programme start for a stock, to the reference date).
INSERT INTO own
SELECT ind.id, p.unit_id, yr.y, sum(v.area_m2) / 10000.0
FROM ind CROSS JOIN prm JOIN crop_conversion v ON v.from_use IN ('rice', 'inefficient_rice')
  AND (ind.def->>'crop' IS NULL OR v.to_crop = ind.def->>'crop')
JOIN parcel p ON p.id = v.parcel_id
JOIN yr ON v.conversion_date <= yr.ref
  AND v.conversion_date >= CASE WHEN ind.kind = 'flow' THEN make_date(yr.y::int, 1, 1) ELSE prm.s END
WHERE ind.source = 'computed' AND ind.def->>'measure' = 'converted_from_rice' AND p.unit_id IS NOT NULL
GROUP BY 1, 2, 3;

-- linked_producers: members of a cooperative, or owners whose land is leased or
-- contributed to another producer, on the reference date; 1 each.
INSERT INTO own
SELECT ind.id, pr.unit_id, l.y, count(*)
FROM ind, (
  SELECT m.member_id AS producer, yr.y FROM producer_membership m JOIN yr
    ON m.valid_from <= yr.ref AND (m.valid_to IS NULL OR m.valid_to >= yr.ref)
  UNION
  SELECT o.producer_id, yr.y FROM land_right o
  JOIN land_right l ON l.parcel_id = o.parcel_id AND l.kind IN ('lessee', 'contributed') AND l.producer_id <> o.producer_id
  JOIN yr ON o.valid_from <= yr.ref AND (o.valid_to IS NULL OR o.valid_to >= yr.ref)
    AND l.valid_from <= yr.ref AND (l.valid_to IS NULL OR l.valid_to >= yr.ref)
  WHERE o.kind = 'owner') l
JOIN producer pr ON pr.id = l.producer
WHERE ind.source = 'computed' AND ind.def->>'measure' = 'linked_producers' AND pr.unit_id IS NOT NULL
GROUP BY 1, 2, 3;

CREATE INDEX own_key ON own (ind, unit, y);
ANALYZE own;

-- The roll-up, level by level: a unit's own value, else the sum of its children valid
-- on the reference date that have a value.
CREATE TEMP TABLE tree AS
SELECT l.child_id AS child, l.parent_id AS parent, yr.y, yr.ref
FROM admin_unit_link l JOIN admin_unit c ON c.id = l.child_id JOIN yr
  ON l.valid_from <= yr.ref AND (l.valid_to IS NULL OR l.valid_to >= yr.ref)
  AND c.valid_from <= yr.ref AND (c.valid_to IS NULL OR c.valid_to >= yr.ref);
CREATE TEMP TABLE val AS
SELECT o.* FROM own o JOIN admin_unit u ON u.id = o.unit WHERE u.level = 'commune';
ANALYZE tree;
ANALYZE val;
INSERT INTO val
SELECT o.* FROM own o JOIN admin_unit u ON u.id = o.unit WHERE u.level = 'district';
INSERT INTO val
SELECT v.ind, t.parent, v.y, sum(v.v) FROM val v JOIN tree t ON t.child = v.unit AND t.y = v.y
JOIN admin_unit pu ON pu.id = t.parent AND pu.level = 'district'
WHERE NOT EXISTS (SELECT 1 FROM own o WHERE o.ind = v.ind AND o.unit = t.parent AND o.y = v.y)
GROUP BY 1, 2, 3;
INSERT INTO val
SELECT o.* FROM own o JOIN admin_unit u ON u.id = o.unit WHERE u.level = 'province';
INSERT INTO val
SELECT v.ind, t.parent, v.y, sum(v.v) FROM val v JOIN admin_unit vu ON vu.id = v.unit AND vu.level = 'district'
JOIN tree t ON t.child = v.unit AND t.y = v.y JOIN admin_unit pu ON pu.id = t.parent AND pu.level = 'province'
WHERE NOT EXISTS (SELECT 1 FROM own o WHERE o.ind = v.ind AND o.unit = t.parent AND o.y = v.y)
GROUP BY 1, 2, 3;

-- Targets for the milestone in force on the review date: the latest revision (after
-- the original) with an effective date on or before it, later seq on a tie; else the
-- original. Rolled up the same way on the review date.
CREATE TEMP TABLE town AS
SELECT t.indicator_id AS ind, t.unit_id AS unit, coalesce(rv.value, orig.value) AS v
FROM target t JOIN ind ON ind.id = t.indicator_id
JOIN (SELECT DISTINCT ON (target_id) target_id, seq, value FROM target_revision ORDER BY target_id, seq) orig
  ON orig.target_id = t.id
LEFT JOIN (SELECT DISTINCT ON (r.target_id) r.target_id, r.value
           FROM target_revision r JOIN (SELECT target_id, min(seq) AS m FROM target_revision GROUP BY 1) mm
             ON mm.target_id = r.target_id AND r.seq > mm.m, prm
           WHERE r.effective_date <> '' AND r.effective_date <= prm.d::text
           ORDER BY r.target_id, r.effective_date DESC, r.seq DESC) rv ON rv.target_id = t.id
WHERE t.year = :milestone;
CREATE INDEX town_key ON town (ind, unit);
ANALYZE town;
CREATE TEMP TABLE tgt AS
SELECT o.* FROM town o JOIN admin_unit u ON u.id = o.unit WHERE u.level IN ('commune', 'district');
INSERT INTO tgt
SELECT v.ind, t.parent, sum(v.v) FROM tgt v JOIN admin_unit vu ON vu.id = v.unit AND vu.level = 'commune'
JOIN tree t ON t.child = v.unit AND t.ref = (SELECT d FROM prm) JOIN admin_unit pu ON pu.id = t.parent AND pu.level = 'district'
WHERE NOT EXISTS (SELECT 1 FROM town o WHERE o.ind = v.ind AND o.unit = t.parent)
GROUP BY 1, 2;
INSERT INTO tgt SELECT o.* FROM town o JOIN admin_unit u ON u.id = o.unit WHERE u.level = 'province';
INSERT INTO tgt
SELECT v.ind, t.parent, sum(v.v) FROM tgt v JOIN admin_unit vu ON vu.id = v.unit AND vu.level = 'district'
JOIN tree t ON t.child = v.unit AND t.ref = (SELECT d FROM prm) JOIN admin_unit pu ON pu.id = t.parent AND pu.level = 'province'
WHERE NOT EXISTS (SELECT 1 FROM town o WHERE o.ind = v.ind AND o.unit = t.parent)
GROUP BY 1, 2;

-- The evaluation of the province and its districts.
ANALYZE val;
ANALYZE tgt;
CREATE TEMP TABLE ev AS
WITH units AS (
  SELECT u.id, u.code FROM admin_unit u, prm
  WHERE u.level IN ('province', 'district') AND u.valid_from <= prm.d AND (u.valid_to IS NULL OR u.valid_to >= prm.d)
), latest AS MATERIALIZED (  -- a stock's actual: the latest year with a value, down to the baseline year
  SELECT DISTINCT ON (val.ind, val.unit) val.ind, val.unit, val.v
  FROM val, prm WHERE val.y >= prm.by AND val.y <= extract(year FROM prm.d) ORDER BY val.ind, val.unit, val.y DESC
), flows AS MATERIALIZED (  -- a flow's actual: the sum over the years from the start's to the review's
  SELECT val.ind, val.unit, sum(val.v) AS v
  FROM val, prm WHERE val.y >= extract(year FROM prm.s) AND val.y <= extract(year FROM prm.d) GROUP BY 1, 2
), base AS MATERIALIZED (
  SELECT units.code AS unit_code, ind.code AS indicator, ind.kind, ind.direction,
         CASE WHEN ind.kind = 'stock' THEN coalesce(b.v, 0) ELSE 0 END AS baseline, t.v AS target,
         CASE WHEN ind.kind = 'stock' THEN latest.v ELSE flows.v END AS actual,
         CASE WHEN prm.e > prm.s THEN least(1.0, (prm.d - prm.s)::double precision / (prm.e - prm.s)) END AS f
  FROM units CROSS JOIN ind CROSS JOIN prm
  LEFT JOIN val b ON b.ind = ind.id AND b.unit = units.id AND b.y = prm.by
  LEFT JOIN tgt t ON t.ind = ind.id AND t.unit = units.id
  LEFT JOIN latest ON latest.ind = ind.id AND latest.unit = units.id
  LEFT JOIN flows ON flows.ind = ind.id AND flows.unit = units.id
), pct AS MATERIALIZED (
  SELECT b.*,
         CASE WHEN b.actual IS NULL OR b.target IS NULL THEN NULL
              WHEN b.direction = 'up' THEN CASE WHEN b.target <> 0 THEN 100.0 * b.actual / b.target END
              ELSE CASE WHEN b.baseline <> b.target THEN 100.0 * (b.baseline - b.actual) / (b.baseline - b.target) END
         END AS achievement_pct,
         CASE WHEN b.actual IS NOT NULL AND b.f > 0
              THEN greatest(0.0, CASE WHEN b.kind = 'flow' THEN b.actual / b.f
                                      ELSE b.baseline + (b.actual - b.baseline) / b.f END) END AS forecast
  FROM base b
), fc AS MATERIALIZED (
  SELECT p.*,
         CASE WHEN p.forecast IS NULL OR p.target IS NULL THEN NULL
              WHEN p.direction = 'up' THEN CASE WHEN p.target <> 0 THEN 100.0 * p.forecast / p.target END
              ELSE CASE WHEN p.baseline <> p.target THEN 100.0 * (p.baseline - p.forecast) / (p.baseline - p.target) END
         END AS forecast_pct
  FROM pct p
)
SELECT unit_code, indicator, baseline, target, actual, achievement_pct, forecast_pct,
       CASE WHEN achievement_pct >= 100 THEN 'achieved' WHEN achievement_pct >= 50 THEN 'over_half'
            WHEN achievement_pct IS NOT NULL THEN 'low' WHEN target IS NULL THEN 'no_target'
            WHEN actual IS NULL THEN 'no_data' ELSE 'not_evaluable' END AS status,
       CASE WHEN forecast_pct IS NOT NULL THEN forecast_pct >= 100 END AS forecast_reached
FROM fc;

\copy (SELECT * FROM ev ORDER BY unit_code, indicator) TO STDOUT WITH (FORMAT csv, HEADER)
