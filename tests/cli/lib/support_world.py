#!/usr/bin/python3
"""A seeded random world for the support cross-checks (tests/cli/support_cli.sh).

Writes the files a province would hand over — nothing here is read by nongsan's code,
and nongsan's code was not written against it:

  registry OUT SEED      parcels in VN-2000 (parcels_a.gpkg in EPSG:9205 / TM-3 103-00,
                         parcels_b.gpkg in EPSG:9208 / TM-3 104-45, parcels_2025.gpkg
                         with boundaries redrawn on 2025-06-01), zones.gpkg (EPSG:9205)
                         with periods, producers.csv (some sharing a citizen ID or a
                         phone, some with neither), rights.csv (owners, leases and
                         contributions over time), plantings.csv, suitability rasters
                         (class codes in blocks, part of the area outside the grid) and
                         their profiles, bank_accounts.csv (no import takes them yet)
  claims OUT SEED AREAS  policies.json (amendments, exclusive pairs, one-time policies,
                         caps, conditions, counted items), applications.csv for
                         2023–2025 (every status) and payments.csv, with abuse planted
                         and the boundary cases of docs/support.md placed on the parcel
                         areas the registry computed (AREAS.csv, dumped from the
                         database: external_id, valid_to or empty, area_m2)

Only Debian's python3 with its GDAL/OGR bindings is used.
"""
import csv
import datetime as dt
import json
import os
import random
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()

X0, Y0 = 470000.0, 2435000.0      # south-west corner of the world, EPSG:9205 metres
CELL, COLS, ROWS = 250.0, 24, 20  # the grid the parcels are placed on
AS_OF_1, AS_OF_2 = "2020-01-01", "2025-06-01"  # the two parcel imports
RASTER_CELL, RASTER_BLOCK = 50.0, 3  # class blocks of 3 × 3 cells = 150 m
RASTER_X0, RASTER_Y0, RASTER_W, RASTER_H = X0 - 500, Y0, 120, 100  # 6 km × 5 km: the east edge is outside


def srs(epsg):
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def ring_wkt(pts):
    pts = list(pts) + [pts[0]]
    return "POLYGON((" + ",".join(f"{x:.3f} {y:.3f}" for x, y in pts) + "))"


def rect(x0, y0, x1, y1):
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def write_layer(path, layer, epsg, fields, features):
    """features: list of (wkt_in_9205, {field: value}); written in `epsg`."""
    drv = ogr.GetDriverByName("GPKG")
    if os.path.exists(path):
        os.remove(path)
    ds = drv.CreateDataSource(path)
    lyr = ds.CreateLayer(layer, srs(epsg), ogr.wkbPolygon)
    for f in fields:
        lyr.CreateField(ogr.FieldDefn(f, ogr.OFTString))
    tr = None if epsg == 9205 else osr.CoordinateTransformation(srs(9205), srs(epsg))
    for wkt, props in features:
        g = ogr.CreateGeometryFromWkt(wkt)
        if tr:
            g.Transform(tr)
        feat = ogr.Feature(lyr.GetLayerDefn())
        for k, v in props.items():
            feat.SetField(k, "" if v is None else str(v))
        feat.SetGeometry(g)
        lyr.CreateFeature(feat)
    ds = None


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def day(s):
    return dt.date.fromisoformat(s)


def iso(d):
    return d.isoformat()


def rand_date(rnd, lo, hi):
    a, b = day(lo), day(hi)
    return a + dt.timedelta(days=rnd.randint(0, (b - a).days))


# ---------------------------------------------------------------------------------------
# registry
# ---------------------------------------------------------------------------------------

def registry(out, seed):
    rnd = random.Random(seed)
    parcels = {}   # id -> wkt (9205), the first boundary
    redrawn = {}   # id -> wkt (9205), the boundary from AS_OF_2
    in_b = set()   # parcels delivered in EPSG:9208
    used = set()   # grid cells taken by special structures

    def cell_box(c, r):
        return X0 + c * CELL, Y0 + r * CELL

    def quad(c, r, lo=60, hi=200):
        """A jittered quadrilateral inside cell (c, r)."""
        x, y = cell_box(c, r)
        w, h = rnd.uniform(lo, hi), rnd.uniform(lo, hi)
        x0, y0 = x + rnd.uniform(10, CELL - 10 - w), y + rnd.uniform(10, CELL - 10 - h)
        j = lambda: rnd.uniform(-6, 6)
        return [(x0 + j(), y0 + j()), (x0 + w + j(), y0 + j()), (x0 + w + j(), y0 + h + j()), (x0 + j(), y0 + h + j())]

    n = 0

    def pid(prefix="T"):
        nonlocal n
        n += 1
        return f"{prefix}{n:04d}"

    # Big parcels (80–100 ha) for the 2 ha branch of the tolerance: blocks of 4 × 4 cells.
    for (c, r) in ((16, 15), (20, 15)):
        x, y = cell_box(c, r)
        w, h = rnd.uniform(900, 990), rnd.uniform(900, 990)
        parcels[pid("BIG")] = ring_wkt(rect(x + 5, y + 5, x + 5 + w, y + 5 + h))
        used |= {(c + i, r + j) for i in range(4) for j in range(4)}

    # Pairs of parcels that share a strip of exactly k m² (min_overlap edges): 0.95 and
    # 1.05 m² around the default 1 m², 49.9 and 50.1 m² around --min-overlap-m2 50.
    edge_pairs = []
    for k, (c, r) in zip((0.95, 1.05, 49.9, 50.1), ((1, 18), (3, 18), (5, 18), (7, 18))):
        x, y = cell_box(c, r)
        a, b = pid("OV"), pid("OV")
        s, h = (0.01, k / 0.01) if k < 2 else (0.5, k / 0.5)  # a strip s m wide, h m high
        parcels[a] = ring_wkt(rect(x + 20, y + 20, x + 120, y + 170))
        parcels[b] = ring_wkt(rect(x + 120 - s, y + 20, x + 220, y + 20 + h))
        edge_pairs.append((a, b))
        used.add((c, r))

    # Parcels drawn over each other (a double claim in the cadastre), and over half.
    for (c, r, share) in ((9, 18, 1.0), (11, 18, 0.5), (13, 18, 0.3)):
        x, y = cell_box(c, r)
        a, b = pid("DB"), pid("DB")
        parcels[a] = ring_wkt(rect(x + 30, y + 30, x + 150, y + 160))
        parcels[b] = ring_wkt(rect(x + 30 + 120 * (1 - share), y + 30, x + 150 + 120 * (1 - share), y + 160))
        used.add((c, r))

    # A pair that overlaps only after one of them is redrawn on AS_OF_2.
    x, y = cell_box(15, 18)
    a, b = pid("RD"), pid("RD")
    parcels[a] = ring_wkt(rect(x + 10, y + 20, x + 100, y + 120))
    parcels[b] = ring_wkt(rect(x + 120, y + 20, x + 220, y + 120))
    redrawn[a] = ring_wkt(rect(x + 10, y + 20, x + 150, y + 120))
    edge_pairs.append((a, b))
    used.add((15, 18))

    # Zone-share edges: rectangles across the east edge of zone Z-TEA-1 (x = X0 + 3000)
    # with 49.9 %, 50.1 %, 30 %, 70 % and 49.99 % inside.
    for r, share in zip(range(0, 5), (0.499, 0.501, 0.3, 0.7, 0.4999)):
        y = Y0 + r * CELL + 40
        w = rnd.uniform(120, 180)
        xe = X0 + 3000
        parcels[pid("ZE")] = ring_wkt(rect(xe - share * w, y, xe + (1 - share) * w, y + 150))
        used |= {(11, r), (12, r)}

    # Parcels in the overlap of the two tea zones Z-TEA-3 and Z-TEA-4 (both in force from
    # mid-2025): 35 % inside both zones, 65 % outside both — half of the area is not in
    # zones, whatever the sum of the two intersections says.
    for r in (15, 16):
        y = Y0 + r * CELL + 30
        parcels[pid("ZZ")] = ring_wkt(rect(X0 + 2 * CELL + 250 - 0.35 * 160, y, X0 + 2 * CELL + 250 + 0.65 * 160, y + 150))
        used |= {(2, r), (3, r)}

    # Ordinary parcels, one per free cell; some overlapping a neighbour in the cell.
    for c in range(COLS):
        for r in range(ROWS):
            if (c, r) in used:
                continue
            if rnd.random() < 0.08:
                continue  # an empty cell
            q = quad(c, r)
            a = pid()
            parcels[a] = ring_wkt(q)
            if rnd.random() < 0.06:  # a second parcel drawn partly over the first
                dx, dy = rnd.uniform(-40, 40), rnd.uniform(-40, 40)
                parcels[pid()] = ring_wkt([(x + dx, y + dy) for x, y in q])
            if rnd.random() < 0.1:  # redrawn on 2025-06-01
                dx, dy, s = rnd.uniform(-8, 8), rnd.uniform(-8, 8), rnd.uniform(0.85, 1.1)
                cx = sum(p[0] for p in q) / 4
                cy = sum(p[1] for p in q) / 4
                redrawn[a] = ring_wkt([(cx + (x - cx) * s + dx, cy + (y - cy) * s + dy) for x, y in q])
    ids = sorted(parcels)
    for a in ids:
        if a.startswith("T") and rnd.random() < 0.25:
            in_b.add(a)

    def features(sel):
        return [(parcels[i], {"id": i, "so_thua": i[-4:], "loai_dat": rnd.choice(["CLN", "LUC", "BHK"])}) for i in sel]

    write_layer(f"{out}/parcels_a.gpkg", "thua_dat", 9205, ["id", "so_thua", "loai_dat"],
                features([i for i in ids if i not in in_b]))
    write_layer(f"{out}/parcels_b.gpkg", "thua_dat", 9208, ["id", "so_thua", "loai_dat"], features(sorted(in_b)))
    write_layer(f"{out}/parcels_2025.gpkg", "thua_dat", 9205, ["id"], [(redrawn[i], {"id": i}) for i in sorted(redrawn)])

    # Zones (EPSG:9205): commodity, period.
    def zbox(c0, r0, c1, r1):
        return ring_wkt(rect(X0 + c0 * CELL, Y0 + r0 * CELL, X0 + c1 * CELL, Y0 + r1 * CELL))
    zones = [
        ("Z-TEA-1", "tea", zbox(0, 0, 12, 10), "2021-01-01", "2030-12-31"),
        ("Z-TEA-2", "tea", zbox(8, 5, 16, 15), "2025-06-15", ""),
        ("Z-TEA-3", "tea", ring_wkt(rect(X0 + 2 * CELL + 150, Y0 + 15 * CELL, X0 + 2 * CELL + 250, Y0 + 17 * CELL)), "2025-05-01", ""),
        ("Z-TEA-4", "tea", ring_wkt(rect(X0 + 2 * CELL + 150, Y0 + 15 * CELL, X0 + 2 * CELL + 250, Y0 + 17 * CELL)), "2025-05-01", "2027-12-31"),
        ("Z-RICE-1", "rice", zbox(12, 0, 24, 5), "2019-01-01", "2024-12-31"),
        ("Z-RICE-2", "rice", zbox(12, 0, 24, 3), "2025-01-01", "2030-12-31"),
        ("Z-MAC-1", "macadamia", zbox(16, 5, 24, 15), "", ""),
        ("Z-MAC-2", "macadamia", zbox(0, 10, 8, 20), "2024-03-01", "2025-03-31"),
    ]
    write_layer(f"{out}/zones.gpkg", "vung", 9205, ["code", "name", "commodity", "period_from", "period_to"],
                [(w, {"code": c, "name": f"Vùng {c}", "commodity": k, "period_from": f, "period_to": t})
                 for c, k, w, f, t in zones])

    # Producers: shared citizen IDs (pairs and a triple), shared phones, empty values.
    producers = []
    kinds = ["household"] * 6 + ["cooperative", "cooperative_group", "enterprise", "farm"]
    cids = [str(rnd.randint(10**11, 10**12 - 1)) for _ in range(170)]
    phones = ["09" + str(rnd.randint(10**7, 10**8 - 1)) for _ in range(170)]
    for i in range(170):
        cid = cids[i] if rnd.random() < 0.85 else ""
        phone = phones[i] if rnd.random() < 0.7 else ""
        producers.append([f"PR{i:03d}", rnd.choice(kinds), f"Người {i}", cid, phone])
    for a, b in ((3, 4), (10, 11), (20, 21), (30, 31), (40, 41), (50, 51)):
        producers[b][3] = producers[a][3] or cids[a]
        producers[a][3] = producers[b][3]
    producers[62][3] = producers[61][3] = producers[60][3] = cids[60]  # a triple
    for a, b in ((70, 71), (72, 73), (74, 75)):
        producers[b][4] = producers[a][4] = phones[a]
    producers[80][3], producers[80][4] = "", ""  # nothing recorded: never a match
    producers[81][3], producers[81][4] = "", ""
    producers[90][4] = producers[91][4] = phones[90]  # 91 shares a phone with 90 ...
    producers[91][3] = producers[92][3] = cids[91]    # ... and a citizen ID with 92 (no chain 90–92)
    write_csv(f"{out}/producers.csv", ["external_id", "kind", "name", "citizen_id", "phone"], producers)
    banks = [[producers[i][0], acc] for i, acc in ((100, "0123456789"), (101, "0123456789"), (102, "9876543210"))]
    write_csv(f"{out}/bank_accounts.csv", ["producer", "bank_account"], banks)

    # Rights over time: owners, sales, leases and contributions.
    rights = []
    pids = [p[0] for p in producers]
    for a in ids:
        if rnd.random() < 0.05:
            continue  # nobody holds a right to it
        owner = rnd.choice(pids)
        if rnd.random() < 0.2:  # sold on a date in 2024–2025
            sold = rand_date(rnd, "2024-01-01", "2025-12-31")
            buyer = rnd.choice(pids)
            rights.append([a, owner, "owner", "2010-01-01", iso(sold - dt.timedelta(days=1))])
            rights.append([a, buyer, "owner", iso(sold), ""])
        else:
            rights.append([a, owner, "owner", "2010-01-01", ""])
        u = rnd.random()
        if u < 0.15:
            start = rand_date(rnd, "2023-01-01", "2025-10-01")
            end = start + dt.timedelta(days=rnd.randint(100, 900))
            rights.append([a, rnd.choice(pids), "lessee", iso(start), iso(end) if rnd.random() < 0.7 else ""])
        elif u < 0.22:
            start = rand_date(rnd, "2022-01-01", "2025-06-01")
            rights.append([a, rnd.choice(pids), "contributed", iso(start), ""])
    write_csv(f"{out}/rights.csv", ["parcel", "producer", "kind", "valid_from", "valid_to"], rights)

    # Plantings: what grows where, with changes of crop.
    crops = ["tea", "tea", "tea", "macadamia", "rice", "rice", "citrus", "grass"]
    plantings = []
    for a in ids:
        if rnd.random() < 0.1:
            continue
        crop = rnd.choice(crops)
        start = rand_date(rnd, "2015-01-01", "2023-12-31")
        if rnd.random() < 0.3:  # replaced by another crop in 2024–2025
            end = rand_date(rnd, "2024-01-01", "2025-09-30")
            plantings.append([a, crop, iso(start), iso(end)])
            plantings.append([a, rnd.choice(crops), iso(end + dt.timedelta(days=1)), ""])
        else:
            plantings.append([a, crop, iso(start), ""])
    write_csv(f"{out}/plantings.csv", ["parcel", "crop", "start_date", "end_date"], plantings)

    # Suitability: class codes 1–4 (S1, S2, S3, N) in blocks, 0 = nodata; two layers.
    for name in ("tclass", "mclass"):
        drv = gdal.GetDriverByName("GTiff")
        ds = drv.Create(f"{out}/{name}.tif", RASTER_W, RASTER_H, 1, gdal.GDT_Byte)
        ds.SetGeoTransform((RASTER_X0, RASTER_CELL, 0, RASTER_Y0 + RASTER_H * RASTER_CELL, 0, -RASTER_CELL))
        ds.SetProjection(srs(9205).ExportToWkt())
        band = ds.GetRasterBand(1)
        band.SetNoDataValue(0)
        blocks = {}
        rows = []
        for j in range(RASTER_H):
            row = []
            for i in range(RASTER_W):
                key = (i // RASTER_BLOCK, j // RASTER_BLOCK)
                if key not in blocks:
                    blocks[key] = 0 if rnd.random() < 0.04 else rnd.choice([1, 1, 2, 2, 3, 4])
                row.append(blocks[key])
            rows.append(row)
        band.WriteRaster(0, 0, RASTER_W, RASTER_H, bytes(v for row in rows for v in row))
        ds = None
    prof = lambda crop, layer: {"crop": crop, "name_vi": f"Thử {crop}", "method": "limiting",
                                "factors": [{"layer": layer, "type": "categorical", "S1": [1], "S2": [2], "S3": [3],
                                             "source": "test world"}]}
    json.dump([prof("tea", "tclass"), prof("mac_highland", "mclass")], open(f"{out}/profiles.json", "w"))
    json.dump({"edge_pairs": edge_pairs}, open(f"{out}/world.json", "w"))


# ---------------------------------------------------------------------------------------
# policies, applications, payments
# ---------------------------------------------------------------------------------------

POLICIES = [
    {"code": "P-TEA", "version": "2021-03-22", "name_vi": "Trồng mới chè", "content": "tea", "item": "area",
     "rate": 15000000, "one_time": True, "cap_per_beneficiary_year": 40000000,
     "requires": {"crop": "tea", "zone": True, "controller": True, "suitability": ["S1", "S2"]},
     "conditions": "claimed_ha >= 0.3"},
    {"code": "P-TEA", "version": "2025-04-01", "name_vi": "Trồng mới chè (sửa đổi)", "content": "tea", "item": "area",
     "rate": 17500000, "one_time": True, "cap_per_beneficiary_year": 60000000,
     "requires": {"crop": "tea", "zone": True, "controller": True, "suitability": ["S1", "S2"]},
     "conditions": "claimed_ha >= 0.8 and applicant_kind != \"enterprise\""},
    {"code": "P-TEA2", "version": "2021-03-22", "name_vi": "Thâm canh chè", "content": "tea", "item": "area",
     "rate": 12345678.9, "one_time": True, "exclusive_with": ["P-MAC"],
     "requires": {"crop": "tea", "controller": True}},
    {"code": "P-TEA-Y", "version": "2022-01-01", "name_vi": "Chăm sóc chè hằng năm", "content": "tea", "item": "area",
     "rate": 3000000, "one_time": False, "requires": {"crop": "tea"}},
    {"code": "P-MAC", "version": "2021-03-22", "name_vi": "Trồng mới mắc ca", "content": "macadamia", "item": "area",
     "rate": 11111111, "one_time": True, "cap_per_beneficiary_year": 30000000,
     "requires": {"crop": "macadamia", "zone": True, "suitability": ["S1"], "profile": "mac_highland"}},
    {"code": "P-RICE", "version": "2021-03-22", "name_vi": "Giống lúa", "content": "rice", "item": "area",
     "rate": 1500000, "exclusive_with": ["P-CONV"],
     "requires": {"crop": "rice", "zone": True, "controller": True}, "conditions": "claimed_ha >= 0.2"},
    {"code": "P-CONV", "version": "2021-03-22", "name_vi": "Chuyển đổi đất lúa", "content": "conversion",
     "item": "area", "rate": 10000000, "one_time": True, "requires": {"controller": True}},
    {"code": "P-GRASS", "version": "2021-03-22", "name_vi": "Trồng cỏ", "content": "grass", "item": "area",
     "rate": 8000000, "conditions": "items <= 2 or claimed_ha < 1"},
    {"code": "P-FRUIT", "version": "2021-03-22", "name_vi": "Cây ăn quả", "content": "fruit", "item": "area",
     "rate": 10000000, "one_time": True, "requires": {"crop": "citrus", "suitability": ["S1", "S2", "S3"]}},
    {"code": "P-BEE", "version": "2021-03-22", "name_vi": "Nuôi ong", "content": "bee", "item": "hive",
     "rate": 700000, "cap_per_beneficiary_year": 20000000, "conditions": "quantity >= 10"},
    {"code": "P-HEAD", "version": "2021-03-22", "name_vi": "Con giống", "content": "breeding", "item": "head",
     "rate": 5000000, "cap_per_beneficiary_year": 30000000},
    {"code": "P-HEAD", "version": "2025-07-01", "name_vi": "Con giống (sửa đổi)", "content": "breeding",
     "item": "head", "rate": 5000000, "cap_per_beneficiary_year": 45000000, "conditions": "not (quantity > 12)"},
    {"code": "P-CAGE", "version": "2021-03-22", "name_vi": "Cá lồng", "content": "fish", "item": "cage_m3",
     "rate": 333333.33, "conditions": "applicant_kind in [\"cooperative\", \"enterprise\"] or quantity <= 50"},
    {"code": "P-PROJ", "version": "2021-03-22", "name_vi": "Dự án liên kết", "content": "project", "item": "project",
     "rate": 25000000, "conditions": "filed_year >= 2025 and applicant_commune not in [\"99999\"]"},
]

STATUSES = ["submitted", "verified", "appraised", "accepted", "approved", "paid", "rejected", "recovered"]
STATUS_W = [10, 8, 8, 14, 20, 22, 12, 6]
AFTER_ACCEPTANCE = {"accepted", "approved", "paid", "recovered"}


def claims(out, seed, areas):
    rnd = random.Random(seed * 7919 + 1)
    json.dump(POLICIES, open(f"{out}/policies.json", "w"), ensure_ascii=False, indent=1)
    cur_area, old_area = {}, {}
    for r in csv.DictReader(open(areas)):
        (old_area if r["valid_to"] else cur_area)[r["external_id"]] = float(r["area_m2"])
    parcels = sorted(cur_area)
    producers = [r[0] for r in csv.reader(open(f"{out}/producers.csv"))][1:]
    rights = list(csv.DictReader(open(f"{out}/rights.csv")))
    by_policy = {}
    for p in POLICIES:
        by_policy.setdefault(p["code"], []).append(p)

    def area_ha(parcel, filed):
        a = old_area[parcel] if parcel in old_area and filed < AS_OF_2 else cur_area[parcel]
        return a / 10000.0

    def controlled_by(producer, date):
        out_ = []
        for r in rights:
            if r["producer"] == producer and r["valid_from"] <= date and (not r["valid_to"] or date <= r["valid_to"]):
                out_.append(r["parcel"])
        return out_

    used_codes = set()

    def code():
        while True:
            c = "A" + "".join(rnd.choice("0123456789BCDFGHJKLMNPQRSTVWXZ") for _ in range(4))
            if c not in used_codes:
                used_codes.add(c)
                return c

    apps = []  # dicts: code, policy, applicant, filed, accepted, status, approved, items [(parcel, qty_text)]

    def qty_text(x, decimals=4):
        return f"{x:.{decimals}f}"

    def fmt_date(d):
        return d if rnd.random() < 0.8 else f"{d[8:10]}/{d[5:7]}/{d[0:4]}"

    def new_app(policy, applicant, filed, items, status=None, accepted=None, approved=None):
        status = status or rnd.choices(STATUSES, STATUS_W)[0]
        if accepted is None:
            if status in AFTER_ACCEPTANCE and rnd.random() < 0.9 or rnd.random() < 0.05:
                accepted = iso(day(filed) + dt.timedelta(days=rnd.randint(20, 200)))
            else:
                accepted = ""
        if approved is None:
            approved = str(rnd.randint(1, 60) * 500000) if status in ("approved", "paid", "recovered") and rnd.random() < 0.85 else ""
        a = {"code": code(), "policy": policy, "applicant": applicant, "filed": filed, "accepted": accepted,
             "status": status, "approved": approved, "items": items}
        apps.append(a)
        return a

    def area_items(applicant, filed, honest=0.8, k=None):
        k = k or rnd.choice([1, 1, 1, 2, 2, 3])
        mine = controlled_by(applicant, filed)
        chosen = []
        for _ in range(k):
            pool = mine if mine and rnd.random() < honest else parcels
            chosen.append(rnd.choice(pool))
        items = []
        for p in chosen:
            a = area_ha(p, filed)
            u = rnd.random()
            if u < 0.75:
                q = a * rnd.uniform(0.4, 1.0)
            elif u < 0.85:
                q = a * rnd.uniform(1.0, 1.03)  # within the tolerance
            else:
                q = a * rnd.uniform(1.05, 1.6)  # over-declared
            items.append((p, qty_text(max(q, 0.0001))))
        return items

    area_codes = [c for c, v in by_policy.items() if v[0]["item"] == "area"]
    counted_codes = [c for c, v in by_policy.items() if v[0]["item"] != "area"]
    for year, n in ((2023, 40), (2024, 200), (2025, 300)):
        for _ in range(n):
            filed = iso(rand_date(rnd, f"{year}-01-01", f"{year}-12-31"))
            applicant = rnd.choice(producers)
            if rnd.random() < 0.75:
                pol = rnd.choice(area_codes)
                if year == 2023 and rnd.random() < 0.7:
                    pol = rnd.choice(["P-TEA", "P-TEA2", "P-MAC", "P-CONV", "P-FRUIT"])
                new_app(pol, applicant, filed, area_items(applicant, filed))
            else:
                pol = rnd.choice(counted_codes)
                items = [("", str(rnd.randint(1, 40))) for _ in range(rnd.choice([1, 1, 2]))]
                new_app(pol, applicant, filed, items)

    # --- planted: the same land claimed twice, within a year and across years ----------
    base = [a for a in apps if by_policy[a["policy"]][0]["item"] == "area" and a["filed"] >= "2024"]
    for a in rnd.sample(base, 40):
        p = a["items"][0][0]
        content = by_policy[a["policy"]][0]["content"]
        same = [c for c in area_codes if by_policy[c][0]["content"] == content]
        year = a["filed"][:4] if rnd.random() < 0.6 else "2025"
        filed = a["filed"] if rnd.random() < 0.15 else iso(rand_date(rnd, f"{year}-01-01", f"{year}-12-31"))
        other = rnd.choice(producers)
        new_app(rnd.choice(same), other, filed, [(p, qty_text(area_ha(p, filed) * rnd.uniform(0.5, 1.0)))])
    # Exclusive pairs: rice seed and conversion on the same land; tea and macadamia.
    for x, y in (("P-RICE", "P-CONV"), ("P-CONV", "P-RICE"), ("P-TEA2", "P-MAC"), ("P-MAC", "P-TEA2"), ("P-TEA", "P-MAC")):
        for _ in range(4):
            p = rnd.choice(parcels)
            f1 = iso(rand_date(rnd, "2024-06-01", "2025-12-31"))
            f2 = iso(rand_date(rnd, "2025-01-01", "2025-12-31"))
            new_app(x, rnd.choice(producers), f1, [(p, qty_text(area_ha(p, f1) * 0.9))])
            new_app(y, rnd.choice(producers), f2, [(p, qty_text(area_ha(p, f2) * 0.8))])
    # The min_overlap edges and the parcels drawn over each other.
    world = json.load(open(f"{out}/world.json"))
    for a, b in world["edge_pairs"] + [(p, q) for p, q in zip(parcels, parcels[1:]) if p.startswith("DB") and q.startswith("DB")]:
        f = iso(rand_date(rnd, "2025-01-01", "2025-12-31"))
        new_app("P-GRASS", rnd.choice(producers), f, [(a, qty_text(area_ha(a, f) * 0.9))], status="submitted")
        new_app("P-GRASS", rnd.choice(producers), f, [(b, qty_text(area_ha(b, f) * 0.9))], status="verified")
    # Cross-year, both one_time (overlap) and one of them yearly (no overlap).
    for x, y in (("P-TEA", "P-TEA2"), ("P-TEA2", "P-TEA"), ("P-TEA-Y", "P-TEA"), ("P-CONV", "P-RICE"), ("P-MAC", "P-TEA2")):
        for _ in range(3):
            p = rnd.choice(parcels)
            f1 = iso(rand_date(rnd, "2023-01-01", "2024-12-31"))
            f2 = iso(rand_date(rnd, "2025-01-01", "2025-12-31"))
            new_app(x, rnd.choice(producers), f1, [(p, qty_text(area_ha(p, f1) * 0.7))],
                    status=rnd.choice(["paid", "approved", "rejected", "submitted"]))
            new_app(y, rnd.choice(producers), f2, [(p, qty_text(area_ha(p, f2) * 0.7))])
    # The same parcel before and after its boundary was redrawn (two geometry versions).
    redrawn = sorted(old_area)
    for p in redrawn[:6]:
        new_app("P-GRASS", rnd.choice(producers), "2025-05-31", [(p, qty_text(area_ha(p, "2025-05-31") * 0.95))])
        new_app("P-GRASS", rnd.choice(producers), "2025-06-01", [(p, qty_text(area_ha(p, "2025-06-01") * 0.95))])

    # --- tolerance edges (against the stored areas) ------------------------------------
    hh = [r[0] for r in csv.reader(open(f"{out}/producers.csv")) if r[1] == "household"]
    big = [p for p in parcels if p.startswith("BIG")]
    small = [p for p in parcels if p.startswith("T") and p not in old_area]
    for p, filed in [(q, "2025-03-03") for q in rnd.sample(small, 6)] + [(q, "2025-03-04") for q in big]:
        a = area_ha(p, filed)
        tol = min(a * 0.03, 2.0)
        for delta in (-1e-7, 1e-7):
            new_app("P-GRASS", rnd.choice(producers), filed, [(p, f"{a + tol + delta:.10f}")], status="submitted")
    # Zone shares: the parcels across the edge of a tea zone, and those in two zones at once.
    for p in [q for q in parcels if q.startswith("ZE") or q.startswith("ZZ")]:
        for filed in ("2025-03-15", "2025-07-15"):
            new_app("P-TEA", rnd.choice(hh), filed, [(p, qty_text(area_ha(p, filed) * 0.9))], status="submitted")
    # Penalties on items that count 0 (over-declared and not controlled), never below 0.
    for _ in range(6):
        p = rnd.choice(small)
        filed = iso(rand_date(rnd, "2025-01-01", "2025-12-31"))
        a = area_ha(p, filed)
        new_app("P-CONV", rnd.choice(producers), filed,
                [(p, qty_text(a * rnd.uniform(1.5, 3.0))), (rnd.choice(small), qty_text(0.05))])

    # ... and with something left to pay: a controlled item beside an over-declared one
    # the applicant does not control.
    owners = [r for r in rights if r["kind"] == "owner" and not r["valid_to"] and r["parcel"] in small]
    for r in rnd.sample(owners, 6):
        filed = iso(rand_date(rnd, "2025-01-01", "2025-12-31"))
        if r["parcel"] not in controlled_by(r["producer"], filed):
            continue
        other = rnd.choice([q for q in small if q not in controlled_by(r["producer"], filed)])
        new_app("P-CONV", r["producer"], filed, [(r["parcel"], qty_text(area_ha(r["parcel"], filed) * 0.95)),
                                                 (other, qty_text(area_ha(other, filed) * 1.1))])

    # --- conditions at their thresholds ----------------------------------------------
    for qs, filed in ((["0.7", "0.1"], "2025-05-05"), (["0.1", "0.2"], "2025-02-02"), (["0.3"], "2025-02-03"),
                      (["0.2999"], "2025-02-04"), (["0.5", "0.3"], "2025-08-08")):
        ps = rnd.sample([p for p in small if area_ha(p, filed) > 1.0], len(qs))
        new_app("P-TEA", rnd.choice(hh), filed, list(zip(ps, qs)), status="submitted")
    for qs in (["0.1", "0.1"],):
        ps = rnd.sample(small, 2)
        new_app("P-RICE", rnd.choice(producers), "2025-09-09", list(zip(ps, qs)))
    for q in ("10", "9"):
        new_app("P-BEE", rnd.choice(producers), "2025-04-04", [("", q)])
    new_app("P-BEE", rnd.choice(producers), "2025-04-05", [("", "4"), ("", "6")])
    for q in ("12", "13"):
        new_app("P-HEAD", rnd.choice(producers), "2025-07-01", [("", q)])
    new_app("P-CAGE", rnd.choice(producers), "2025-10-10", [("", "50")])

    # --- caps: one applicant, several applications of a code in a year ------------------
    for pol, dates in (("P-TEA", ["2025-02-01", "2025-03-31", "2025-04-01", "2025-11-30"]),
                       ("P-HEAD", ["2025-01-10", "2025-06-30", "2025-07-01", "2025-07-01"]),
                       ("P-BEE", ["2024-03-03", "2024-03-03", "2024-09-09"]),
                       ("P-MAC", ["2025-01-05", "2025-02-05", "2025-02-05"])):
        who = rnd.choice(hh)
        for filed in dates:
            if by_policy[pol][0]["item"] == "area":
                items = area_items(who, filed, honest=1.0, k=2)
            else:
                items = [("", str(rnd.randint(4, 12)))]
            new_app(pol, who, filed, items, status=rnd.choice(["approved", "paid", "submitted", "rejected", "accepted"]))

    # --- applicants sharing an identifier apply in the same year --------------------------
    for ids in (("PR003", "PR004"), ("PR060", "PR061", "PR062"), ("PR070", "PR071"), ("PR090", "PR091", "PR092"),
                ("PR080", "PR081"), ("PR100", "PR101"), ("PR010", "PR011"), ("PR020", "PR021")):
        for who in ids:
            for _ in range(rnd.choice([1, 2])):
                filed = iso(rand_date(rnd, "2025-01-01", "2025-12-31"))
                new_app(rnd.choice(counted_codes), who, filed, [("", str(rnd.randint(1, 30)))],
                        status="rejected" if who == "PR011" else None)
    # PR030 applied in 2024 only, PR031 in 2025: no finding in either year.
    new_app("P-BEE", "PR030", "2024-05-05", [("", "12")])
    new_app("P-BEE", "PR031", "2025-05-05", [("", "12")])

    # --- acceptance dates on the planting boundaries --------------------------------------
    plantings = list(csv.DictReader(open(f"{out}/plantings.csv")))
    ended = [p for p in plantings if p["crop"] == "tea" and p["end_date"] >= "2025"]
    for pl in rnd.sample(ended, min(4, len(ended))):
        for acc in (pl["end_date"], iso(day(pl["end_date"]) + dt.timedelta(days=1))):
            filed = "2025-01-02"
            new_app("P-TEA2", rnd.choice(producers), filed, [(pl["parcel"], qty_text(area_ha(pl["parcel"], filed) * 0.5))],
                    status="accepted", accepted=acc)
    started = [p for p in plantings if p["crop"] == "tea" and "2024-01-02" <= p["start_date"]]
    for pl in rnd.sample(started, min(3, len(started))):
        for acc in (pl["start_date"], iso(day(pl["start_date"]) - dt.timedelta(days=1))):
            new_app("P-TEA2", rnd.choice(producers), "2025-01-01", [(pl["parcel"], "0.1000")], status="accepted",
                    accepted=acc)
    # Controller on the first and last day of a lease.
    leases = [r for r in rights if r["kind"] == "lessee" and r["valid_to"] and "2025" <= r["valid_from"] and r["valid_to"] <= "2025-12-30"]
    for r in rnd.sample(leases, min(3, len(leases))):
        for filed in (r["valid_from"], r["valid_to"], iso(day(r["valid_to"]) + dt.timedelta(days=1))):
            new_app("P-CONV", r["producer"], filed, [(r["parcel"], "0.0500")], status="submitted")

    # --- payments -----------------------------------------------------------------------
    payments = []

    def money(v):
        s = str(v)
        u = rnd.random()
        if u < 0.2:
            return f"{v:,}".replace(",", ".")
        if u < 0.3:
            return f"{v:,}"
        return s

    for a in apps:
        st = a["status"]
        if st in ("paid", "recovered") or (st == "approved" and rnd.random() < 0.3) or rnd.random() < 0.04:
            approved = int(a["approved"]) if a["approved"] else rnd.randint(2, 40) * 500000
            parts = rnd.choice([1, 1, 2, 3])
            for k in range(parts):
                amount = approved // parts
                if rnd.random() < 0.12:
                    amount += rnd.choice([1, 500000, 3000000])
                if a["accepted"] and rnd.random() < 0.85:
                    d = day(a["accepted"]) + dt.timedelta(days=rnd.randint(0, 90) if rnd.random() < 0.9 else 0)
                else:
                    d = day(a["filed"]) + dt.timedelta(days=rnd.randint(5, 120))
                payments.append([a["code"], fmt_date(iso(d)), money(amount), "payment"])
            if st == "recovered" or rnd.random() < 0.05:
                d = day(a["filed"]) + dt.timedelta(days=rnd.randint(150, 400))
                payments.append([a["code"], iso(d), money(rnd.randint(1, 4) * 250000), "recovery"])
    # Exact cases: paid on the acceptance date; paid the approved amount exactly, then 1 đồng more.
    acc = [a for a in apps if a["accepted"] and a["approved"] and a["filed"] >= "2025" and a["status"] != "rejected"]
    for a in rnd.sample(acc, 4):
        payments.append([a["code"], a["accepted"], a["approved"], "payment"])
    for a in rnd.sample(acc, 2):
        payments.append([a["code"], a["accepted"], "1", "payment"])
    rnd.shuffle(payments)
    write_csv(f"{out}/payments.csv", ["application", "date", "amount", "kind"], payments)

    rows = []
    for a in apps:
        for p, q in a["items"]:
            rows.append([a["code"], a["policy"], a["applicant"], fmt_date(a["filed"]),
                         fmt_date(a["accepted"]) if a["accepted"] else "", a["status"], p, q, a["approved"]])
    write_csv(f"{out}/applications.csv",
              ["application", "policy", "applicant", "filed", "accepted", "status", "parcel", "quantity",
               "approved_amount"], rows)


if __name__ == "__main__":
    if sys.argv[1] == "registry":
        registry(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "claims":
        claims(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit("usage: support_world.py registry OUT SEED | claims OUT SEED AREAS.csv")
