#!/usr/bin/env python3
"""Compares nongsan's review JSON with the PostgreSQL peer's CSV (bench/review_bench.sh):
every figure of the province (target, actual, baseline, achievement, forecast, status,
forecast reached) and of each of its children. Numbers agree when they differ by at most
1e-9 of their size (the two add in different orders); anything else is a difference."""
import csv
import json
import sys

FIELDS = ["target", "actual", "achievement_pct", "forecast_pct", "status", "forecast_reached"]


def num(s):
    return None if s in ("", None) else float(s)


def main(review_path, csv_path):
    review = json.load(open(review_path, encoding="utf-8"))
    peer = {}
    for row in csv.DictReader(open(csv_path, encoding="utf-8")):
        peer[(row["unit_code"], row["indicator"])] = row
    ours = {}
    for item in review["indicators"]:
        ours[(review["unit"]["code"], item["indicator"])] = item
    for unit in review["units"]:
        for item in unit["indicators"]:
            ours[(unit["unit_code"], item["indicator"])] = item
    compared = differ = 0
    worst = 0.0
    for key in sorted(set(ours) | set(peer)):
        if key not in ours or key not in peer:
            differ += 1
            if differ <= 20:
                print(f"only in {'nongsan' if key in ours else 'PostgreSQL'}: {key}")
            continue
        a, b = ours[key], peer[key]
        fields = FIELDS + (["baseline"] if "baseline" in a else [])
        for f in fields:
            compared += 1
            x, y = a.get(f), b[f]
            if f == "status":
                same = x == y
            elif f == "forecast_reached":
                same = (None if y == "" else y == "t") == x
            else:
                y = num(y)
                if x is None or y is None:
                    same = x is None and y is None
                else:
                    d = abs(x - y) / max(1.0, abs(x), abs(y))
                    worst = max(worst, d)
                    same = d <= 1e-9
            if not same:
                differ += 1
                if differ <= 20:
                    print(f"differs: {key} {f}: nongsan {x!r}, PostgreSQL {b[f]!r}")
    statuses = {}
    for item in review["indicators"]:
        statuses[item["status"]] = statuses.get(item["status"], 0) + 1
    print(f"compared {compared} figures of {len(ours)} unit × indicator pairs: {differ} differ "
          f"(largest relative difference {worst:.2e}); province statuses {statuses}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
