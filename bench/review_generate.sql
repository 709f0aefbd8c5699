-- A province for bench/review_bench.sh, generated inside PostgreSQL on a migrated
-- nongsan database (`nongsan migrate`): illustrative data, nothing here is Lai Châu's.
--  - one province, 8 districts, 13 communes each (104), valid from 2015, no reform;
--  - :parcels parcels (psql variable), squares of about 50 × 50 m on a grid of rows
--    around 103.0 E 22.0 N, the communes in bands of rows; area in EPSG:9205;
--  - one planting per parcel (tea 40 %, macadamia 20 %, rice 20 %, maize 20 %), started
--    2018–2025, one in ten ended; zones of tea and macadamia (rectangles of 20 × 20 cells
--    of the province whose edges cut through parcels, so some are partly inside);
--  - conversions from rice on 5 % of the parcels, 2019–2025;
--  - a household per 4 parcels (owner of its 4), 500 cooperatives, memberships for one
--    household in five (some ended), leases of 3 % of the parcels to another household;
--  - programme BENCH (start 2021-01-01, baseline 2020, milestones 2025 and 2030) with
--    6 computed indicators (planted_area tea and macadamia, zone_area tea and
--    macadamia, converted_from_rice, linked_producers) and 15 reported ones;
--  - targets for 2025 on nine communes in ten and on two districts, a fifth revised
--    (in force from 2024-03-01) and some revised after the review date;
--  - exactly 10,000 approved annual observations (15 indicators × 104 communes × 2020–2025,
--    and 640 on districts, which then override their communes), plus drafts and quarters
--    that must not count.
-- Deterministic: every choice is a hash of the row number.
SET client_min_messages = warning;
\set ON_ERROR_STOP on

-- PostGIS 3.3 ships no EPSG:9205 (VN-2000 / TM-3 103-00, 2019); as bench/support_bench.cpp
-- adds it (nongsan transforms with PROJ itself).
INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) VALUES (9205, 'EPSG', 9205, '',
  '+proj=tmerc +lat_0=0 +lon_0=103 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278 +units=m +no_defs')
ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION pg_temp.h(a bigint, salt int) RETURNS double precision LANGUAGE sql IMMUTABLE AS
$$ SELECT ((hashint8(a * 1000003 + salt)::bigint & 2147483647)::double precision) / 2147483648.0 $$;

INSERT INTO admin_unit (id, code, name, name_folded, level, valid_from, area_m2, source)
VALUES (1, 'BP', 'Tỉnh minh họa', 'tinh minh hoa', 'province', '2015-01-01', 2.5e9, 'illustrative');
INSERT INTO admin_unit (id, code, name, name_folded, level, valid_from, area_m2, source)
SELECT 1 + d, 'BD' || d, 'Huyện minh họa ' || d, 'huyen minh hoa ' || d, 'district', '2015-01-01', 3e8, 'illustrative'
FROM generate_series(1, 8) d;
INSERT INTO admin_unit (id, code, name, name_folded, level, valid_from, area_m2, source)
SELECT 100 + c, 'BC' || lpad(c::text, 3, '0'), 'Xã minh họa ' || c, 'xa minh hoa ' || c, 'commune', '2015-01-01', 2.4e7,
       'illustrative'
FROM generate_series(1, 104) c;
INSERT INTO admin_unit_link (child_id, parent_id, valid_from) SELECT 1 + d, 1, '2015-01-01' FROM generate_series(1, 8) d;
INSERT INTO admin_unit_link (child_id, parent_id, valid_from)
SELECT 100 + c, 1 + (c - 1) / 13 + 1, '2015-01-01' FROM generate_series(1, 104) c;
SELECT setval(pg_get_serial_sequence('admin_unit', 'id'), 1000);

-- Parcels: row r = (i-1)/1000, column k = (i-1)%1000, 0.00045° a side; with their sort keys
-- (otherwise the first nongsan command fills them one UPDATE a parcel).
INSERT INTO parcel (id, external_id, external_id_key, sheet_no_key, parcel_no_key, unit_id, land_use_code,
                    official_area_m2, area_m2, valid_from, created_at, updated_at, illustrative, geom)
SELECT i, 'B' || i, 'b' || lpad(length(i::text)::text, 2, '0') || i, '', '',  -- registry::natural_sort_key
       101 + ((i - 1) / 1000) * 104 / ((:parcels + 999) / 1000), 'CLN', NULL, NULL, '2015-01-01',
       '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1,
       ST_Multi(ST_MakeEnvelope(103.0 + ((i - 1) % 1000) * 0.00045, 22.0 + ((i - 1) / 1000) * 0.00045,
                                103.0 + ((i - 1) % 1000 + 1) * 0.00045, 22.0 + ((i - 1) / 1000 + 1) * 0.00045, 4326))
FROM generate_series(1, :parcels) i;
UPDATE parcel SET area_m2 = ST_Area(ST_Transform(geom, 9205));
SELECT setval(pg_get_serial_sequence('parcel', 'id'), :parcels + 1);

-- Zones: the province's extent cut into 20 × 20 cells; each cell holds one zone of
-- tea or macadamia (or none), a rectangle covering part of it, edges off the grid.
INSERT INTO zone (code, name, commodity, status, illustrative, created_at, updated_at, geom)
SELECT 'Z' || cx || '_' || cy, 'Vùng minh họa ' || cx || '-' || cy,
       CASE WHEN pg_temp.h(cx * 100 + cy, 1) < 0.45 THEN 'tea' ELSE 'macadamia' END, 'active', 1,
       '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z',
       ST_Multi(ST_MakeEnvelope(
         103.0 + (cx + 0.1 + 0.2 * pg_temp.h(cx * 100 + cy, 2)) * w, 22.0 + (cy + 0.1 + 0.2 * pg_temp.h(cx * 100 + cy, 3)) * hgt,
         103.0 + (cx + 0.6 + 0.3 * pg_temp.h(cx * 100 + cy, 4)) * w, 22.0 + (cy + 0.6 + 0.3 * pg_temp.h(cx * 100 + cy, 5)) * hgt,
         4326))
FROM generate_series(0, 19) cx, generate_series(0, 19) cy,
     (SELECT 1000 * 0.00045 / 20 AS w, ((:parcels + 999) / 1000) * 0.00045 / 20 AS hgt) s
WHERE pg_temp.h(cx * 100 + cy, 6) < 0.8;

-- Plantings, one a parcel.
INSERT INTO planting (parcel_id, crop, perennial, start_date, end_date, planted_area_m2, created_at)
SELECT i, crop, (crop IN ('tea', 'macadamia'))::int, start_d,
       CASE WHEN pg_temp.h(i, 12) < 0.1 THEN start_d + (200 + (pg_temp.h(i, 13) * 1500)::int) END,
       a * (0.6 + 0.4 * pg_temp.h(i, 14)), '2026-01-01T00:00:00Z'
FROM (SELECT p.id AS i, p.area_m2 AS a,
             CASE WHEN pg_temp.h(p.id, 10) < 0.4 THEN 'tea' WHEN pg_temp.h(p.id, 10) < 0.6 THEN 'macadamia'
                  WHEN pg_temp.h(p.id, 10) < 0.8 THEN 'rice' ELSE 'maize' END AS crop,
             DATE '2018-01-01' + (pg_temp.h(p.id, 11) * 2900)::int AS start_d
      FROM parcel p) s;

-- Conversions from rice (and some from idle land, which do not count).
INSERT INTO crop_conversion (parcel_id, from_use, to_crop, conversion_date, area_m2, created_at)
SELECT p.id, CASE WHEN pg_temp.h(p.id, 21) < 0.5 THEN 'rice' WHEN pg_temp.h(p.id, 21) < 0.8 THEN 'inefficient_rice' ELSE 'idle' END,
       CASE WHEN pg_temp.h(p.id, 22) < 0.6 THEN 'tea' ELSE 'macadamia' END,
       DATE '2019-01-01' + (pg_temp.h(p.id, 23) * 2550)::int, p.area_m2 * (0.3 + 0.7 * pg_temp.h(p.id, 24)),
       '2026-01-01T00:00:00Z'
FROM parcel p WHERE pg_temp.h(p.id, 20) < 0.05;

-- Producers: households (one per 4 parcels, filed under the commune of their first
-- parcel), then 500 cooperatives.
INSERT INTO producer (id, kind, name, name_folded, unit_id, illustrative, created_at, updated_at)
SELECT hh, 'household', 'Hộ minh họa ' || hh, 'ho minh hoa ' || hh, p.unit_id, 1, '2026-01-01T00:00:00Z',
       '2026-01-01T00:00:00Z'
FROM generate_series(1, (:parcels + 3) / 4) hh JOIN parcel p ON p.id = (hh - 1) * 4 + 1;
INSERT INTO producer (id, kind, name, name_folded, unit_id, illustrative, created_at, updated_at)
SELECT (:parcels + 3) / 4 + k, 'cooperative', 'HTX minh họa ' || k, 'htx minh hoa ' || k, 101 + (k - 1) % 104, 1,
       '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM generate_series(1, 500) k;
SELECT setval(pg_get_serial_sequence('producer', 'id'), (:parcels + 3) / 4 + 501);
INSERT INTO producer_membership (member_id, organisation_id, valid_from, valid_to)
SELECT hh, (:parcels + 3) / 4 + 1 + (hh % 500), DATE '2019-01-01' + (pg_temp.h(hh, 31) * 2300)::int,
       CASE WHEN pg_temp.h(hh, 32) < 0.2 THEN DATE '2022-01-01' + (pg_temp.h(hh, 33) * 1200)::int END
FROM generate_series(1, (:parcels + 3) / 4) hh WHERE pg_temp.h(hh, 30) < 0.2;
UPDATE producer_membership SET valid_to = NULL WHERE valid_to < valid_from;
INSERT INTO land_right (parcel_id, producer_id, kind, valid_from)
SELECT p.id, (p.id - 1) / 4 + 1, 'owner', '2015-01-01' FROM parcel p;
INSERT INTO land_right (parcel_id, producer_id, kind, valid_from, valid_to)
SELECT p.id, ((p.id - 1) / 4 + 7) % ((:parcels + 3) / 4) + 1, CASE WHEN pg_temp.h(p.id, 41) < 0.7 THEN 'lessee' ELSE 'contributed' END,
       DATE '2019-06-01' + (pg_temp.h(p.id, 42) * 2000)::int,
       CASE WHEN pg_temp.h(p.id, 43) < 0.3 THEN DATE '2019-06-01' + (pg_temp.h(p.id, 42) * 2000)::int
                                                 + 100 + (pg_temp.h(p.id, 44) * 900)::int END
FROM parcel p WHERE pg_temp.h(p.id, 40) < 0.03;

-- The programme and its indicators.
INSERT INTO programme (id, code, name_vi, name_en, start_date, end_date, baseline_year, milestones, illustrative, created_at,
                       updated_at)
VALUES (1, 'BENCH', 'Chương trình minh họa (đo hiệu năng)', 'Illustrative programme (benchmark)', '2021-01-01',
        '2030-12-31', 2020, '2025;2030', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
INSERT INTO indicator (programme_id, code, name_vi, name_en, measure_unit, kind, direction, source, computed, position,
                       illustrative, created_at, updated_at)
VALUES (1, 'C1', 'Diện tích chè', 'Tea area', 'ha', 'stock', 'up', 'computed', '{"measure":"planted_area","crop":"tea"}', 1, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
       (1, 'C2', 'Diện tích mắc ca', 'Macadamia area', 'ha', 'stock', 'up', 'computed', '{"measure":"planted_area","crop":"macadamia"}', 2, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
       (1, 'C3', 'Chè trong vùng', 'Tea in zones', 'ha', 'stock', 'up', 'computed', '{"measure":"zone_area","commodity":"tea"}', 3, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
       (1, 'C4', 'Mắc ca trong vùng', 'Macadamia in zones', 'ha', 'stock', 'up', 'computed', '{"measure":"zone_area","commodity":"macadamia"}', 4, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
       (1, 'C5', 'Chuyển đổi từ lúa', 'Converted from rice', 'ha', 'flow', 'up', 'computed', '{"measure":"converted_from_rice"}', 5, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
       (1, 'C6', 'Hộ liên kết', 'Linked producers', 'hộ', 'stock', 'up', 'computed', '{"measure":"linked_producers"}', 6, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
INSERT INTO indicator (programme_id, code, name_vi, name_en, measure_unit, kind, direction, source, position, illustrative,
                       created_at, updated_at)
SELECT 1, 'R' || lpad(k::text, 2, '0'), 'Chỉ tiêu báo cáo ' || k, 'Reported indicator ' || k, 'ha',
       CASE WHEN k % 3 = 0 THEN 'flow' ELSE 'stock' END, CASE WHEN k % 4 = 0 THEN 'down' ELSE 'up' END, 'reported',
       6 + k, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM generate_series(1, 15) k;

-- Observations: 15 × 104 × 6 = 9,360 on communes and the first 640 (by a hash) of the
-- 720 district-indicator-years: 10,000 approved annual values.
CREATE TEMP TABLE obs_src AS
SELECT i.id AS indicator_id, u.id AS unit_id, y AS year,
       CASE WHEN i.kind = 'flow' THEN 20 + 30 * pg_temp.h(u.id * 100000 + i.id * 100 + y, 51)
            WHEN i.direction = 'down' THEN 400 - 25 * (y - 2020) + 80 * pg_temp.h(u.id * 100000 + i.id * 100 + y, 51)
            ELSE 100 + 40 * (y - 2020) + 60 * pg_temp.h(u.id * 100000 + i.id * 100 + y, 51) END AS value
FROM indicator i, admin_unit u, generate_series(2020, 2025) y
WHERE i.source = 'reported' AND u.level = 'commune';
INSERT INTO obs_src
SELECT indicator_id, unit_id, year, value FROM (
  SELECT i.id AS indicator_id, u.id AS unit_id, y AS year,
         CASE WHEN i.kind = 'flow' THEN 250 + 300 * pg_temp.h(u.id * 100000 + i.id * 100 + y, 52)
              WHEN i.direction = 'down' THEN 5000 - 300 * (y - 2020) + 900 * pg_temp.h(u.id * 100000 + i.id * 100 + y, 52)
              ELSE 1300 + 500 * (y - 2020) + 700 * pg_temp.h(u.id * 100000 + i.id * 100 + y, 52) END AS value,
         row_number() OVER (ORDER BY pg_temp.h(u.id * 100000 + i.id * 100 + y, 53)) AS rn
  FROM indicator i, admin_unit u, generate_series(2020, 2025) y
  WHERE i.source = 'reported' AND u.level = 'district') d
WHERE rn <= 640;
INSERT INTO observation (indicator_id, unit_id, year, period, value, status, entered_by, approved_by, approved_at,
                         created_at, updated_at)
SELECT indicator_id, unit_id, year, 0, value, 'approved', 'bench', 'bench2', '2026-01-01T00:00:00Z',
       '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM obs_src;
-- Quarters (stored, never added up) and drafts for 2026 (after the review's year).
INSERT INTO observation (indicator_id, unit_id, year, period, value, status, entered_by, created_at, updated_at)
SELECT indicator_id, unit_id, year, 1, value * 100, 'approved', 'bench', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM obs_src WHERE year = 2024 AND unit_id % 5 = 0;
INSERT INTO observation (indicator_id, unit_id, year, period, value, status, entered_by, created_at, updated_at)
SELECT indicator_id, unit_id, 2026, 0, value * 100, 'draft', 'bench', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM obs_src WHERE year = 2025 AND unit_id % 3 = 0;

-- Targets for 2025: nine communes in ten, and districts 2 and 5 (their own target
-- overrides their communes'); a fifth revised from 2024-03-01, some from 2025-09-01
-- (after the review date: not in force).
CREATE TEMP TABLE tgt_src AS
SELECT i.id AS indicator_id, u.id AS unit_id,
       (CASE WHEN u.level = 'district' THEN 13 ELSE 1 END) *
       (CASE WHEN i.source = 'computed' AND i.code = 'C6' THEN 600
             WHEN i.source = 'computed' THEN (CASE WHEN i.code = 'C5' THEN 25 ELSE 1200 END)
             WHEN i.kind = 'flow' THEN 160 WHEN i.direction = 'down' THEN 300 ELSE 320 END)
       * (0.5 + pg_temp.h(u.id * 1000 + i.id, 61)) AS value
FROM indicator i, admin_unit u
WHERE (u.level = 'commune' AND pg_temp.h(u.id * 1000 + i.id, 60) < 0.9) OR u.id IN (3, 6);
INSERT INTO target (id, indicator_id, unit_id, year, created_at)
SELECT row_number() OVER (ORDER BY indicator_id, unit_id), indicator_id, unit_id, 2025, '2026-01-01T00:00:00Z' FROM tgt_src;
SELECT setval(pg_get_serial_sequence('target', 'id'), (SELECT max(id) FROM target));
INSERT INTO target_revision (target_id, seq, value, decision, effective_date, created_by, created_at)
SELECT t.id, 1, s.value, '', '', 'bench', '2026-01-01T00:00:00Z'
FROM target t JOIN tgt_src s USING (indicator_id, unit_id);
INSERT INTO target_revision (target_id, seq, value, decision, effective_date, created_by, created_at)
SELECT t.id, 2, s.value * 0.9, 'QĐ minh họa', '2024-03-01', 'bench', '2026-01-01T00:00:00Z'
FROM target t JOIN tgt_src s USING (indicator_id, unit_id) WHERE pg_temp.h(t.id, 62) < 0.2;
INSERT INTO target_revision (target_id, seq, value, decision, effective_date, created_by, created_at)
SELECT t.id, 3, s.value * 2, 'QĐ minh họa sau', '2025-09-01', 'bench', '2026-01-01T00:00:00Z'
FROM target t JOIN tgt_src s USING (indicator_id, unit_id) WHERE pg_temp.h(t.id, 63) < 0.1;

ANALYZE;
