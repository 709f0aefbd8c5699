#!/usr/bin/env python3
"""An independent computation of the review rules (docs/review-json.md), for tests/cli/targets_cli.sh.

Reads the unit hierarchy from the GeoPackage (admin_unit, admin_unit_link,
admin_succession) and the programme, indicators, targets and observations from the
CSV files that were imported (not from the database), then prints for one review
(programme, milestone, as_of, unit code) a JSON object {indicator: {target, actual,
achievement_pct, forecast_pct, band, status, forecast_reached, change_since_baseline},
"_counts": {...}}. A quantity is never forecast below zero; an indicator without a band is
no_target (no target), no_data (no actual) or not_evaluable (a zero divisor).

usage: targets_reference.py DB PROGRAMMES.csv INDICATORS.csv TARGETS.csv OBSERVATIONS.csv MILESTONE AS_OF UNIT_CODE
"""
import csv
import datetime as dt
import json
import sqlite3
import sys

db, f_prog, f_ind, f_tgt, f_obs, milestone, as_of, unit_code = sys.argv[1:9]
milestone = int(milestone)
D = dt.date.fromisoformat(as_of)


def date(s):
    s = s.strip()
    if "/" in s:
        d, m, y = s.split("/")
        return dt.date(int(y), int(m), int(d))
    return dt.date.fromisoformat(s)


def num(s):
    s = s.strip()
    if "," in s and "." in s:  # 1.234,5
        s = s.replace(".", "").replace(",", ".")
    else:
        s = s.replace(",", ".")
    return float(s)


con = sqlite3.connect(db)
units = {}
for uid, code, level, vf, vt in con.execute("SELECT id, code, level, valid_from, valid_to FROM admin_unit"):
    units[uid] = dict(code=code, level=level, vf=dt.date.fromisoformat(vf), vt=dt.date.fromisoformat(vt) if vt else None)
links = [(c, p, dt.date.fromisoformat(vf), dt.date.fromisoformat(vt) if vt else None)
         for c, p, vf, vt in con.execute("SELECT child_id, parent_id, valid_from, valid_to FROM admin_unit_link")]
succ = [(p, s, dt.date.fromisoformat(e), sh)
        for p, s, e, sh in con.execute("SELECT predecessor_id, successor_id, effective_date, share FROM admin_succession")]
RANK = {"province": 0, "district": 1, "commune": 2}


def valid(u, d):
    x = units[u]
    return x["vf"] <= d and (x["vt"] is None or d <= x["vt"])


def link_valid(l, d):
    return l[2] <= d and (l[3] is None or d <= l[3])


def children(u, d):
    return [c for c, p, *_ in links if p == u and link_valid((c, p) + tuple(_), d)]


def parent(u, d):
    for l in links:
        if l[0] == u and link_valid(l, d):
            return l[1]
    return None


def within(a, b, d):
    seen = 0
    while a is not None and seen < 64:
        if a == b:
            return True
        a = parent(a, d)
        seen += 1
    return False


def unit_by_code(code, d):
    cands = [u for u, x in units.items() if x["code"] == code]
    for u in cands:
        if valid(u, d):
            return u
    return max(cands, key=lambda u: units[u]["vf"]) if cands else None


def ref_date(y):
    return D if y == D.year else dt.date(y, 12, 31)


def value(own, u, y, depth=0):
    """(value or None, method) for unit u and year y, per the roll-up rule."""
    if depth > 64:
        return None, "none"
    if (u, y) in own:
        return own[(u, y)], "own"
    c = ref_date(y)
    if valid(u, c):
        vals = [value(own, ch, y, depth + 1)[0] for ch in children(u, c)]
        vals = [v for v in vals if v is not None]
        return (sum(vals), "children") if vals else (None, "none")
    rel = [s for s in succ if s[1] == u and s[2] > c]

    def pc(s, pool):
        finer = [o for o in pool if o[0] != s[0] and within(o[0], s[0], c)]
        out = []
        for f in finer:
            if any(o[0] != f[0] and within(f[0], o[0], c) for o in finer):
                continue
            out += pc(f, finer)
        if out:
            return out
        pv, m = value(own, s[0], y, depth + 1)
        coarser = RANK[units[s[0]]["level"]] < RANK[units[s[1]]["level"]]
        if pv is not None and (not coarser or m == "own"):
            return [pv * s[3]]
        return []

    contrib = []
    for s in rel:
        if any(o[0] != s[0] and within(s[0], o[0], c) for o in rel):
            continue
        contrib += pc(s, rel)
    return (sum(contrib), "predecessors") if contrib else (None, "none")


# --- the imported files -----------------------------------------------------------
prog = next(r for r in csv.DictReader(open(f_prog, encoding="utf-8-sig")))
S = date(prog["start"])
baseline_year = int(prog["baseline_year"])
E = dt.date(milestone, 12, 31)
inds = [r for r in csv.DictReader(open(f_ind, encoding="utf-8-sig")) if r["programme"] == prog["code"]]

targets = {}  # (ind, unit) -> list of (effective or None, value), in file order
for r in csv.DictReader(open(f_tgt, encoding="utf-8-sig")):
    if int(r["year"]) != milestone:
        continue
    u = unit_by_code(r["unit_code"], dt.date(int(r["year"]), 12, 31))
    eff = date(r["effective_date"]) if r.get("effective_date", "").strip() else None
    lst = targets.setdefault((r["indicator"], u), [])
    same = [i for i, (e, _) in enumerate(lst) if e == eff]
    if same:
        lst[same[0]] = (eff, num(r["value"]))
    else:
        lst.append((eff, num(r["value"])))

obs = {}  # ind -> {(unit, year): value}, approved (default) or locked, period 0
for r in csv.DictReader(open(f_obs, encoding="utf-8-sig")):
    status = (r.get("status") or "approved").strip() or "approved"
    if status not in ("approved", "locked"):
        continue
    y = int(r["year"])
    if y > D.year:
        continue
    u = unit_by_code(r["unit_code"], dt.date(y, 12, 31))
    obs.setdefault(r["indicator"], {})[(u, y)] = num(r["value"])


def target_in_force(lst):
    orig = lst[0][1]
    best = None
    for e, v in lst[1:]:
        if e is not None and e <= D and (best is None or e >= best[0]):
            best = (e, v)
    return orig if best is None else best[1], orig


def target_of(ind, u, depth=0):
    if (ind, u) in targets:
        return target_in_force(targets[(ind, u)])[0]
    if not valid(u, D) or depth > 64:
        return None
    vals = [target_of(ind, c, depth + 1) for c in children(u, D)]
    vals = [v for v in vals if v is not None]
    return sum(vals) if vals else None


U = unit_by_code(unit_code, D)
f = min((D - S).days / (E - S).days, 1.0)
out = {}
counts = dict(total=0, achieved=0, over_half=0, low=0, no_target=0, no_data=0, not_evaluable=0, passed_half=0,
              forecast_missed=0)
for ind in inds:
    code = ind["code"]
    own = obs.get(code, {})
    kind, direction = ind["kind"], ind["direction"]
    val = {y: value(own, U, y)[0] for y in range(min(baseline_year, S.year), D.year + 1)}
    if kind == "stock":
        baseline = val.get(baseline_year) or 0.0
        actual = next((val[y] for y in range(D.year, baseline_year - 1, -1) if val.get(y) is not None), None)
    else:
        baseline = 0.0
        xs = [val[y] for y in range(S.year, D.year + 1) if val.get(y) is not None]
        actual = sum(xs) if xs else None
    target = target_of(code, U)

    def pct(x):
        if x is None or target is None:
            return None
        if direction == "up":
            return None if target == 0 else 100 * x / target
        return None if baseline == target else 100 * (baseline - x) / (baseline - target)

    ach = pct(actual)
    forecast = None
    if actual is not None and f > 0:
        forecast = max(0.0, actual / f if kind == "flow" else baseline + (actual - baseline) / f)
    fpct = pct(forecast)
    band = None if ach is None else ("achieved" if ach >= 100 else "over_half" if ach >= 50 else "low")
    reached = None if fpct is None else fpct >= 100
    status = band or ("no_target" if target is None else "no_data" if actual is None else "not_evaluable")
    change = actual - baseline if kind == "stock" and actual is not None else None
    out[code] = dict(target=target, actual=actual, achievement_pct=ach, forecast_pct=fpct, band=band,
                     status=status, forecast_reached=reached, change_since_baseline=change)
    counts["total"] += 1
    counts[status] += 1
    if band:
        counts["passed_half"] += band != "low"
    counts["forecast_missed"] += reached is False
out["_counts"] = counts
print(json.dumps(out))
