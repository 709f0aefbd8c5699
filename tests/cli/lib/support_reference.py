#!/usr/bin/python3
"""An independent computation of the support cross-checks and amounts of docs/support.md.

Written from docs/support.md alone, not from nongsan's code, so that the CLI's
`check claims` and `support evaluate` can be compared with it row for row
(tests/cli/support_cli.sh). It reads the files the province imported — policies,
applications, payments, producers, rights, plantings, parcels (with the dates of their
imports), zones, crop profiles and rasters — and computes every geometric fact itself
with GDAL/OGR in VN-2000 / TM-3 103-00 (EPSG:9205): intersections between claimed
parcels, shares of parcels in zones, areas of each suitability class under a parcel.

One thing it takes from the database: the parcel areas (AREAS.csv, dumped from it by the
test: external_id, valid_to of the boundary or empty for the current one, area_m2). docs/support.md defines a
parcel's area as "the registry's computed area (VN-2000) of its geometry in force on the
filing date", i.e. a stored fact of the registry (computed once at import, after the
file's CRS went through EPSG:4326): the tolerance of over-declaration and the payable
hectares are defined against that figure, and the boundary cases of the test sit 10⁻⁷ ha
from it. Recomputing it here would compare PROJ with itself, not the rules.

Arithmetic is exact (fractions) wherever docs/support.md defines a figure; the amount is
rounded down after forgiving noise below one part in 10¹², as docs/support.md says.

usage: support_reference.py DIR AREAS.csv YEAR FINDINGS.csv AMOUNTS.csv
           --parcels FILE@DATE [...] --raster LAYER=FILE [...] [--min-overlap-m2 N]
           [--coverage COVERAGE.json]
AMOUNTS.csv: application,amount,conditions_hold (empty for rejected applications, whose
conditions are not evaluated). COVERAGE.json counts the boundary cases the data
exercised (a test asserts each one happened).
DIR holds policies.json, applications.csv, payments.csv, producers.csv,
bank_accounts.csv, rights.csv, plantings.csv, zones.gpkg and profiles.json.
"""
import argparse
import csv
import datetime as dt
import json
import math
import re
from collections import Counter
from fractions import Fraction

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()

TOLERANCE_PCT, TOLERANCE_HA, PENALTY_FACTOR, MIN_OVERLAP_M2 = Fraction(3), Fraction(2), Fraction(3, 2), Fraction(1)


# ---- reading --------------------------------------------------------------------------

def parse_date(text):
    text = text.strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if m:
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    return dt.date.fromisoformat(text)


def parse_dong(text):
    digits = re.sub(r"[ .,]", "", text.strip())
    assert digits.isdigit(), text
    return int(digits)


def srs(epsg_or_wkt):
    s = osr.SpatialReference()
    if isinstance(epsg_or_wkt, int):
        s.ImportFromEPSG(epsg_or_wkt)
    else:
        s.ImportFromWkt(epsg_or_wkt)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


TARGET = srs(9205)


def read_layer(path):
    """[(properties, geometry in EPSG:9205)] of the first layer of a vector file."""
    ds = ogr.Open(path)
    lyr = ds.GetLayer(0)
    src = lyr.GetSpatialRef()
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    tr = None if src.IsSame(TARGET) else osr.CoordinateTransformation(src, TARGET)
    out = []
    for f in lyr:
        g = f.GetGeometryRef().Clone()
        if tr:
            g.Transform(tr)
        out.append(({k: f.GetField(k) for k in f.keys()}, g))
    return out


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class Policy:
    def __init__(self, j):
        self.code = j["code"]
        self.version = parse_date(j["version"])
        self.content = j["content"]
        self.item = j["item"]
        self.rate = j["rate"]  # Fraction
        self.one_time = bool(j.get("one_time", False))
        cap = j.get("cap_per_beneficiary_year")
        self.cap = None if cap is None else int(cap)
        self.exclusive_with = list(j.get("exclusive_with") or [])
        r = j.get("requires") or {}
        self.crop = r.get("crop")
        self.zone = bool(r.get("zone", False))
        self.controller = bool(r.get("controller", False))
        self.suitability = list(r.get("suitability") or [])
        self.profile = r.get("profile") or self.crop
        self.conditions = j.get("conditions") or ""


# ---- the condition language (docs/support.md, Conditions) -------------------------------

TOKEN = re.compile(r'\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>"(?:[^"\\]|\\.)*")|(?P<op>==|!=|<=|>=|<|>|\[|\]|\(|\)|,)'
                   r'|(?P<id>[A-Za-z_][A-Za-z_0-9]*))')


def tokens(text):
    pos, out = 0, []
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise ValueError(f"cannot read condition at {pos}: {text!r}")
        pos = m.end()
        if m["num"]:
            out.append(("num", Fraction(m["num"])))
        elif m["str"]:
            out.append(("str", re.sub(r"\\(.)", r"\1", m["str"][1:-1])))
        elif m["op"]:
            out.append(("op", m["op"]))
        else:
            out.append(("id", m["id"]))
    return out + [("end", None)]


def evaluate(text, facts):
    """True when the condition holds; an empty condition always holds."""
    if not text.strip():
        return True
    toks = tokens(text)
    i = 0

    def peek(kind=None, value=None):
        k, v = toks[i]
        return (kind is None or k == kind) and (value is None or v == value)

    def take():
        nonlocal i
        i += 1
        return toks[i - 1]

    def value():
        k, v = take()
        if k == "num" or k == "str":
            return v
        if k == "op" and v == "[":
            items = []
            while not peek("op", "]"):
                items.append(value())
                if peek("op", ","):
                    take()
            take()
            return items
        if k == "op" and v == "(":
            r = disjunction()
            assert take() == ("op", ")")
            return r
        if k == "id" and v in ("true", "false"):
            return v == "true"
        if k == "id":
            return facts[v]
        raise ValueError(f"unexpected {v!r} in {text!r}")

    def comparison():
        left = value()
        if peek("op") and toks[i][1] in ("==", "!=", "<", "<=", ">", ">="):
            op = take()[1]
            right = value()
            return {"==": left == right, "!=": left != right, "<": left < right, "<=": left <= right,
                    ">": left > right, ">=": left >= right}[op]
        if peek("id", "in"):
            take()
            return left in value()
        if peek("id", "not") and toks[i + 1] == ("id", "in"):
            take(), take()
            return left not in value()
        return left

    def negation():
        if peek("id", "not"):
            take()
            return not negation()
        return comparison()

    def conjunction():
        r = negation()
        while peek("id", "and"):
            take()
            r = negation() and r  # every part is evaluated
        return r

    def disjunction():
        r = conjunction()
        while peek("id", "or"):
            take()
            r = conjunction() or r
        return r

    r = disjunction()
    assert peek("end"), text
    return r


# ---- the world ------------------------------------------------------------------------

class World:
    def __init__(self, a):
        d = a.dir
        self.policies = {}
        for j in json.load(open(f"{d}/policies.json", encoding="utf-8"), parse_float=Fraction, parse_int=Fraction):
            self.policies.setdefault(j["code"], []).append(Policy(j))
        self.apps = {}
        for r in rows(f"{d}/applications.csv"):
            c = r["application"].strip()
            if c not in self.apps:
                self.apps[c] = {"code": c, "policy": r["policy"].strip(), "applicant": r["applicant"].strip(),
                                "filed": parse_date(r["filed"]), "accepted": parse_date(r["accepted"]),
                                "status": r["status"].strip() or "submitted",
                                "approved": parse_dong(r["approved_amount"]) if r["approved_amount"].strip() else None,
                                "items": []}
            self.apps[c]["items"].append((r["parcel"].strip(), Fraction(r["quantity"].strip())))
        for app in self.apps.values():
            app["version"] = self.version_in_force(app["policy"], app["filed"])
        self.payments = [(r["application"].strip(), parse_date(r["date"]), parse_dong(r["amount"]), r["kind"].strip())
                         for r in rows(f"{d}/payments.csv")]
        self.producers = {r["external_id"]: {"kind": r["kind"], "citizen_id": r["citizen_id"].strip(),
                                             "phone": r["phone"].strip(), "bank_account": ""}
                          for r in rows(f"{d}/producers.csv")}
        for r in rows(f"{d}/bank_accounts.csv"):
            self.producers[r["producer"]]["bank_account"] = r["bank_account"].strip()
        self.rights = {}
        for r in rows(f"{d}/rights.csv"):
            self.rights.setdefault(r["parcel"], []).append(
                (r["kind"], r["producer"], parse_date(r["valid_from"]), parse_date(r["valid_to"])))
        self.plantings = {}
        for r in rows(f"{d}/plantings.csv"):
            self.plantings.setdefault(r["parcel"], []).append(
                (r["crop"], parse_date(r["start_date"]), parse_date(r["end_date"])))
        self.zones = []
        for props, g in read_layer(f"{d}/zones.gpkg"):
            self.zones.append((props["commodity"], parse_date(props.get("period_from") or ""),
                               parse_date(props.get("period_to") or ""), g))
        # Parcels: each import of a file gives a boundary from its date (a changed boundary
        # ends the day before the next import's date).
        self.versions = {}  # parcel -> [(from, to, geometry)]
        for spec in a.parcels:
            path, date = spec.rsplit("@", 1)
            date = parse_date(date)
            for props, g in read_layer(path):
                v = self.versions.setdefault(props["id"], [])
                if v and v[-1][1] is None:
                    v[-1] = (v[-1][0], date - dt.timedelta(days=1), v[-1][2])
                v.append((date, None, g))
        self.area_current, self.area_old = {}, {}
        for r in rows(a.areas):
            if r["valid_to"]:
                self.area_old[(r["external_id"], parse_date(r["valid_to"]))] = float(r["area_m2"])
            else:
                self.area_current[r["external_id"]] = float(r["area_m2"])
        # Suitability profiles and their rasters.
        self.profiles = {p["crop"]: p for p in json.load(open(f"{d}/profiles.json", encoding="utf-8"))}
        self.rasters = dict(s.split("=", 1) for s in a.raster)
        self.class_cache = {}

    def version_in_force(self, code, date):
        best = None
        for p in self.policies.get(code, []):
            if p.version <= date and (best is None or p.version > best.version):
                best = p
        return best

    def geometry(self, parcel, date):
        """(key, geometry, area in ha) of the boundary in force on `date`."""
        for k, (f, t, g) in enumerate(self.versions[parcel]):
            if f <= date and (t is None or date <= t):
                area_m2 = self.area_current[parcel] if t is None else self.area_old[(parcel, t)]
                return (parcel, k), g, Fraction(area_m2) / 10000
        raise KeyError(f"{parcel} has no boundary on {date}")

    def controller(self, parcel, date):
        owner = None
        for kind, producer, f, t in self.rights.get(parcel, []):
            if f <= date and (t is None or date <= t):
                if kind in ("lessee", "contributed"):
                    return producer
                if kind == "owner":
                    owner = producer
        return owner

    def zone_share(self, parcel, date, crop):
        """(share of the parcel's area in the union of the zones, sum of the shares of each zone)."""
        key, g, area_ha = self.geometry(parcel, date)
        union, total = None, 0.0
        for commodity, f, t, zg in self.zones:
            if commodity == crop and (f is None or f <= date) and (t is None or date <= t):
                union = zg.Clone() if union is None else union.Union(zg)
                total += g.Intersection(zg).GetArea()
        inside = 0.0 if union is None else g.Intersection(union).GetArea()
        return Fraction(inside) / (area_ha * 10000), Fraction(total) / (area_ha * 10000)

    def crop_in_force(self, parcel, crop, date):
        return any(c == crop and s <= date and (e is None or date <= e) for c, s, e in self.plantings.get(parcel, []))

    def dominant_class(self, profile_name, parcel):
        """The class covering most of the parcel's current boundary, None when not evaluated."""
        key = (profile_name, parcel)
        if key in self.class_cache:
            return self.class_cache[key]
        profile = self.profiles.get(profile_name)
        result = None
        if profile:
            factor = profile["factors"][0]
            codes = {c: cls for cls in ("S1", "S2", "S3") for c in factor.get(cls, [])}
            ds = gdal.Open(self.rasters[factor["layer"]])
            x0, dx, _, y0, _, dy = ds.GetGeoTransform()
            band = ds.GetRasterBand(1)
            nodata = band.GetNoDataValue()
            data = band.ReadRaster()
            w, h = ds.RasterXSize, ds.RasterYSize
            g = self.versions[parcel][-1][2]
            minx, maxx, miny, maxy = g.GetEnvelope()
            area = {}
            for j in range(max(0, int((maxy - y0) / dy)), min(h, int((miny - y0) / dy) + 1)):
                for i in range(max(0, int((minx - x0) / dx)), min(w, int((maxx - x0) / dx) + 1)):
                    v = data[j * w + i]
                    if nodata is not None and v == nodata:
                        continue
                    cx0, cy1 = x0 + i * dx, y0 + j * dy
                    cell = ogr.CreateGeometryFromWkt(
                        f"POLYGON(({cx0} {cy1},{cx0 + dx} {cy1},{cx0 + dx} {cy1 + dy},{cx0} {cy1 + dy},{cx0} {cy1}))")
                    a = g.Intersection(cell).GetArea()
                    if a > 0:
                        cls = codes.get(v, "N")
                        area[cls] = area.get(cls, 0.0) + a
            if area:
                result = max(area, key=lambda c: area[c])
        self.class_cache[key] = result
        return result


# ---- the rules --------------------------------------------------------------------------

def floor_dong(x):
    slack = max(Fraction(1, 10**9), abs(x) / 10**12)
    return math.floor(x + slack)


def run(w, year, min_overlap):
    findings = []
    cov = Counter()
    apps = w.apps
    in_year = lambda a: a["filed"].year == year
    active = lambda a: a["status"] != "rejected"
    order = lambda a: (a["filed"], a["code"])
    zero = {}  # (app code, item index) -> True when it counts 0

    # overlap and exclusive_policies
    claims = []  # (app, item index, parcel, geometry key, geometry)
    for a in apps.values():
        p = a["version"]
        if not active(a) or p.item != "area":
            continue
        if not (in_year(a) or (a["filed"].year < year and p.one_time)):
            continue
        for k, (parcel, q) in enumerate(a["items"]):
            key, g, _ = w.geometry(parcel, a["filed"])
            claims.append((a, k, parcel, key, g, g.GetEnvelope()))
    pairs = set()
    for x in range(len(claims)):
        for y in range(x + 1, len(claims)):
            a, i, pa, ka, ga, ea = claims[x]
            b, j, pb, kb, gb, eb = claims[y]
            if a is b:
                continue
            if not (in_year(a) and in_year(b)):
                if not ((in_year(a) or in_year(b)) and a["version"].one_time and b["version"].one_time):
                    continue
            if a["version"].content == b["version"].content:
                name = "overlap"
            elif a["policy"] in b["version"].exclusive_with or b["policy"] in a["version"].exclusive_with:
                name = "exclusive_policies"
            else:
                continue
            if ea[1] < eb[0] or eb[1] < ea[0] or ea[3] < eb[2] or eb[3] < ea[2]:
                continue
            inter = ga.Intersection(gb).GetArea()
            if min_overlap - Fraction(1, 2) < inter <= min_overlap:
                cov["intersections just below min_overlap_m2"] += 1
            if inter <= min_overlap:
                continue
            cov[name + " pairs"] += 1
            if inter <= min_overlap + Fraction(1, 2):
                cov["intersections just above min_overlap_m2"] += 1
            if not (in_year(a) and in_year(b)):
                cov["pairs with an application of an earlier year"] += 1
            if a["filed"] == b["filed"]:
                cov["pairs filed on the same day (the later side by code)"] += 1
            if pa == pb and ka != kb:
                cov["the same parcel claimed in two of its boundaries"] += 1
            (first, first_parcel), second = ((a, pa), b) if a["code"] < b["code"] else ((b, pb), a)
            pairs.add((name, first["code"], second["code"], first_parcel))
            later, li = (b, j) if order(a) < order(b) else (a, i)
            zero[(later["code"], li)] = True
    findings += [list(p) for p in pairs]

    amounts = []
    groups = {}
    for a in sorted((a for a in apps.values() if in_year(a)), key=lambda a: a["code"]):
        p = a["version"]
        if not active(a):
            amounts.append([a["code"], 0, ""])
            continue
        claimed = Fraction(0)
        quantity = Fraction(0)
        counted = Fraction(0)
        penalty = Fraction(0)
        for k, (parcel, q) in enumerate(a["items"]):
            quantity += q
            if p.item != "area":
                counted += q
                continue
            claimed += q
            key, g, area = w.geometry(parcel, a["filed"])
            bad = []
            if p.controller and w.controller(parcel, a["filed"]) != a["applicant"]:
                bad.append("not_controlled")
            if p.zone and w.zone_share(parcel, a["filed"], p.crop)[0] < Fraction(1, 2):
                bad.append("outside_zone")
            if p.crop and a["accepted"] and not w.crop_in_force(parcel, p.crop, a["accepted"]):
                bad.append("wrong_crop")
            if p.suitability and w.dominant_class(p.profile, parcel) not in p.suitability:
                bad.append("unsuitable")
            for f in bad:
                findings.append([f, a["code"], "", parcel])
            tolerance = min(TOLERANCE_PCT / 100 * area, TOLERANCE_HA)
            if abs(q - area - tolerance) <= Fraction(1, 10**6):
                cov["claims within 1e-6 ha of the tolerance, " + ("over" if q - area > tolerance else "within")] += 1
            counts = not bad and not zero.get((a["code"], k))
            if q - area > tolerance:
                findings.append(["over_declared", a["code"], "", parcel])
                penalty += PENALTY_FACTOR * (q - area)
                if tolerance == TOLERANCE_HA:
                    cov["over-declared beyond the 2 ha tolerance"] += 1
                if not counts:
                    cov["penalties on items that count 0"] += 1
            if counts:
                counted += min(q, area)
            if p.zone:
                union, total = w.zone_share(parcel, a["filed"], p.crop)
                if abs(union - Fraction(1, 2)) < Fraction(1, 100):
                    cov["zone shares within 1 % of half"] += 1
                if union < Fraction(1, 2) <= total:
                    cov["parcels under half in zones that overlap each other"] += 1
            if p.controller and any(f == a["filed"] or t == a["filed"] for kind, _, f, t in w.rights.get(parcel, [])
                                    if kind != "owner"):
                cov["filed on the first or last day of a lease or contribution"] += 1
            if p.crop and a["accepted"] and any(c == p.crop and a["accepted"] in (s_, e) for c, s_, e in w.plantings.get(parcel, [])):
                cov["accepted on the first or last day of a planting"] += 1
            if "unsuitable" in bad and w.dominant_class(p.profile, parcel) is None:
                cov["unsuitable: not evaluated"] += 1
            first_until = w.versions[parcel][0][1]
            if first_until and a["filed"] <= first_until:
                cov["claims on a boundary replaced since"] += 1
        payable = max(Fraction(0), counted - penalty) if p.item == "area" else counted
        if penalty > 0:
            cov["penalties leaving " + ("nothing" if counted <= penalty else "something") + " to pay"] += 1
        facts = {"claimed_ha": claimed, "quantity": quantity, "items": Fraction(len(a["items"])),
                 "filed_year": Fraction(a["filed"].year), "applicant_kind": w.producers[a["applicant"]]["kind"],
                 "applicant_commune": ""}
        holds = evaluate(p.conditions, facts)
        cov["conditions " + ("holding" if holds else "not holding")] += 1
        amount = floor_dong(p.rate * payable) if holds else 0
        if holds and p.rate * payable != amount:
            cov["amounts rounded down"] += 1
        row = [a["code"], amount, "true" if holds else "false"]
        amounts.append(row)
        groups.setdefault((a["applicant"], a["policy"]), []).append((a, row))

    # the cap, per applicant and policy code, in filing order
    for members in groups.values():
        granted = 0
        versions = {m[0]["version"].version for m in members}
        for a, row in sorted(members, key=lambda m: order(m[0])):
            cap = a["version"].cap
            if cap is not None and row[1] > max(0, cap - granted):
                row[1] = max(0, cap - granted)
                findings.append(["cap_exceeded", a["code"], "", ""])
                cov["cap cuts" + (" to 0" if row[1] == 0 else "")] += 1
                if len(versions) > 1:
                    cov["cap cuts in a group across versions"] += 1
            granted += row[1]

    # duplicate_person
    applied = {}
    for a in apps.values():
        if in_year(a) and active(a):
            applied.setdefault(a["applicant"], []).append(a["code"])
    for a in apps.values():
        if not (in_year(a) and active(a)):
            continue
        me = w.producers[a["applicant"]]
        others = [b for b in applied if b != a["applicant"] and any(
            me[k] and me[k] == w.producers[b][k] for k in ("citizen_id", "bank_account", "phone"))]
        for k in ("citizen_id", "bank_account", "phone"):
            if any(me[k] and me[k] == w.producers[b][k] for b in others):
                cov["duplicate_person by " + k] += 1
        if not any(me[k] for k in ("citizen_id", "bank_account", "phone")):
            cov["applicants with no identifier recorded"] += 1
        if others:
            findings.append(["duplicate_person", a["code"], min(c for b in others for c in applied[b]), ""])

    # payments
    paid = {}
    for code, date, amount, kind in w.payments:
        paid.setdefault(code, []).append((date, amount, kind))
    for code, pays in paid.items():
        a = apps[code]
        if not (in_year(a) and active(a)):
            continue
        if any(k == "payment" and (a["accepted"] is None or d < a["accepted"]) for d, m, k in pays):
            findings.append(["paid_without_acceptance", code, "", ""])
        elif any(k == "payment" and d == a["accepted"] for d, m, k in pays):
            cov["paid on the acceptance date"] += 1
        net = sum(m if k == "payment" else -m for d, m, k in pays)
        if a["approved"] is not None and net == a["approved"]:
            cov["paid exactly the approved amount"] += 1
        if a["approved"] is not None and net > a["approved"]:
            findings.append(["paid_over_approved", code, "", ""])

    findings.sort(key=lambda f: (f[1], f[0], f[2], f[3]))
    for f in findings:
        cov["finding " + f[0]] += 1
    return findings, amounts, cov


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("areas")
    ap.add_argument("year", type=int)
    ap.add_argument("findings")
    ap.add_argument("amounts")
    ap.add_argument("--parcels", action="append", default=[])
    ap.add_argument("--raster", action="append", default=[])
    ap.add_argument("--min-overlap-m2", type=Fraction, default=MIN_OVERLAP_M2)
    ap.add_argument("--coverage")
    a = ap.parse_args()
    w = World(a)
    findings, amounts, cov = run(w, a.year, a.min_overlap_m2)
    if a.coverage:
        json.dump(dict(sorted(cov.items())), open(a.coverage, "w"), indent=1)
    with open(a.findings, "w", newline="") as f:
        c = csv.writer(f, lineterminator="\n")
        c.writerow(["finding", "application", "other_application", "parcel"])
        c.writerows(findings)
    with open(a.amounts, "w", newline="") as f:
        c = csv.writer(f, lineterminator="\n")
        c.writerow(["application", "amount", "conditions_hold"])
        c.writerows(amounts)


if __name__ == "__main__":
    main()
