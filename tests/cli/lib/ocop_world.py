#!/usr/bin/python3
"""A seeded world for the OCOP certificates (tests/cli/ocop_cli.sh), and an independent
computation of `nongsan ocop status` written from the rules of docs/ocop.md (not from the C++).

usage: ocop_world.py world DIR SEED        writes producers.csv, products.csv, evaluations.csv,
                                           events.csv and dates.txt (the dates to compare on)
       ocop_world.py status DIR DATE       prints the expected `ocop status --on DATE --format csv`
"""
import calendar
import csv
import datetime as dt
import random
import sys

D = dt.date


def add_months(d, n):
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return D(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def stars_of(level, total):
    s = 5 if total >= 90 else 4 if total >= 70 else 3 if total >= 50 else 0
    if level == "province" and s == 5:
        s = 4
    return s


def world(out, seed):
    r = random.Random(seed)
    producers = [("HTX-%02d" % i, "Hợp tác xã %d" % i, "cooperative") for i in range(1, 9)]
    with open(out + "/producers.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["external_id", "kind", "name"])
        w.writerows([(p, k, n) for p, n, k in producers])
    products, evals, events = [], [], []
    # Hand-made cases first: the edges the rules name.
    fixed = [
        # product, [(level, date, a, b, c)], [(date, kind, stars)]
        ("P-EDGE-50", [("province", "2022-05-10", 20, 15, 15)], []),            # 50: 3★
        ("P-EDGE-49", [("province", "2022-05-10", 20, 15, 14.99)], []),         # 49.99: none
        ("P-EDGE-70", [("central", "2022-05-10", 28, 17.5, 24.5)], []),         # 70: 4★
        ("P-PROV-90", [("province", "2022-06-30", 36, 22, 32)], []),            # 90 at the province: 4★
        ("P-CENT-90", [("central", "2022-06-30", 36, 22, 32)], []),             # 5★
        ("P-AUG-31", [("province", "2023-08-31", 30, 20, 25)], []),             # → 2026-08-31
        ("P-FEB-29", [("province", "2024-02-29", 30, 20, 25)], []),             # → 2027-02-28
        ("P-MAY-31", [("province", "2023-05-31", 30, 20, 25)], []),
        ("P-REPLACED", [("province", "2021-03-01", 36, 22, 32), ("central", "2023-03-01", 20, 15, 10)], []),
        ("P-REVOKED", [("province", "2022-01-15", 30, 20, 25)], [("2023-07-01", "revoked", "")]),
        ("P-DOWN", [("central", "2022-01-15", 38, 24, 30)], [("2023-02-01", "downgraded", "4"),
                                                            ("2024-06-01", "downgraded", "3")]),
        # A downgrade of the first certificate does not follow the product to the second.
        ("P-DOWN-THEN-NEW", [("province", "2021-01-10", 30, 20, 25), ("province", "2023-01-10", 30, 20, 25)],
         [("2022-01-01", "downgraded", "3")]),
        ("P-NONE", [], []),
    ]
    for i, (code, ev, ex) in enumerate(fixed):
        products.append((code, "Sản phẩm " + code, producers[i % len(producers)][0], str(1 + i % 6)))
        evals += [(code,) + e for e in ev]
        events += [(code,) + e for e in ex]
    # Random products around the edges.
    for i in range(40):
        code = "P-R%02d" % i
        products.append((code, "Sản phẩm ngẫu nhiên %d" % i, r.choice(producers)[0], str(r.randint(1, 6))))
        day = D(2020, 1, 1) + dt.timedelta(days=r.randint(0, 1500))
        if r.random() < 0.3:
            day = D(day.year, day.month, calendar.monthrange(day.year, day.month)[1])  # a month end
        for _ in range(r.randint(1, 3)):
            total_target = r.choice([49.5, 50, 69.75, 70, 89.5, 90, 95, r.uniform(40, 100)])
            a = round(min(40, total_target * 0.4), 2)
            b = round(min(25, total_target * 0.25), 2)
            c = round(min(35, total_target - a - b), 2)
            level = r.choice(["province", "province", "central"])
            evals.append((code, level, day.isoformat(), a, b, c))
            if r.random() < 0.35:
                ed = day + dt.timedelta(days=r.randint(0, 900))
                if stars_of(level, a + b + c) and ed <= add_months(day, 36):
                    if r.random() < 0.5:
                        events.append((code, ed.isoformat(), "revoked", ""))
                    else:
                        events.append((code, ed.isoformat(), "downgraded", str(r.randint(1, 4))))
            day = day + dt.timedelta(days=r.randint(200, 1300))
    with open(out + "/products.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["product", "name", "subject", "group"])
        w.writerows(products)
    with open(out + "/evaluations.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["product", "level", "date", "part_a", "part_b", "part_c", "decision"])
        for e in evals:
            w.writerow(list(e) + ["%s/QĐ-UBND" % (100 + len(e[0]))])
    # Events the rules must refuse (no certificate in force on their date) are dropped.
    ok = [e for e in events if certificate_on(evals_of(evals, e[0]), D.fromisoformat(e[1]))]
    with open(out + "/events.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["product", "date", "kind", "stars"])
        w.writerows(ok)
    dates = {"2022-05-09", "2022-05-10", "2025-05-10", "2025-05-11", "2025-04-10", "2025-04-09", "2026-07-31",
             "2026-08-01", "2026-08-31", "2026-09-01", "2027-01-29", "2027-01-28", "2027-02-28", "2027-03-01",
             "2023-07-01", "2023-06-30", "2024-06-01", "2025-01-15", "2024-12-16", "2024-12-15", "2023-01-10"}
    edges = set()
    for e in evals:
        d = D.fromisoformat(e[2])
        x = add_months(d, 36)
        for k in (-31, -30, -29, -1, 0, 1):
            edges.add((x + dt.timedelta(days=k)).isoformat())
        edges.add(d.isoformat())
    for e in ok:
        d = D.fromisoformat(e[1])
        edges |= {d.isoformat(), (d - dt.timedelta(days=1)).isoformat()}
    # Every process start costs: a seeded sample of the edges besides the named dates.
    dates |= set(r.sample(sorted(edges), min(60, len(edges))))
    with open(out + "/dates.txt", "w") as f:
        f.write("\n".join(sorted(dates)) + "\n")


def evals_of(evals, code):
    # Ties on one date: the row later in the file was entered later.
    return [(D.fromisoformat(e[2]), i, e[1], round(float(e[3]) + float(e[4]) + float(e[5]), 6))
            for i, e in enumerate(evals) if e[0] == code]


def latest(ev, on):
    c = [e for e in ev if e[0] <= on]
    return max(c) if c else None


def certificate_on(ev, on):
    e = latest(ev, on)
    if not e or stars_of(e[2], e[3]) == 0 or on > add_months(e[0], 36):
        return None
    return e


def status(out, on):
    on = D.fromisoformat(on)
    with open(out + "/evaluations.csv") as f:
        evals = [tuple(r) for r in list(csv.reader(f))[1:]]
    with open(out + "/events.csv") as f:
        events = list(csv.reader(f))[1:]
    with open(out + "/products.csv") as f:
        products = sorted(r[0] for r in list(csv.reader(f))[1:])
    print("product,stars,decision_date,expires,status")
    for p in products:
        ev = evals_of(evals, p)
        e = latest(ev, on)
        if not e or stars_of(e[2], e[3]) == 0:
            print("%s,0,,,none" % p)
            continue
        stars = stars_of(e[2], e[3])
        exp = add_months(e[0], 36)
        mine = [x for x in events if x[0] == p and certificate_on(ev, D.fromisoformat(x[1])) == e
                and D.fromisoformat(x[1]) <= on]
        downs = [(x[1], i, int(x[3])) for i, x in enumerate(mine) if x[2] == "downgraded"]
        if downs:
            stars = max(downs)[2]
        if any(x[2] == "revoked" for x in mine):
            st = "revoked"
        elif on > exp:
            st = "expired"
        elif (exp - on).days <= 30:
            st = "expiring"
        else:
            st = "valid"
        print("%s,%d,%s,%s,%s" % (p, stars, e[0].isoformat(), exp.isoformat(), st))


if __name__ == "__main__":
    if sys.argv[1] == "world":
        world(sys.argv[2], int(sys.argv[3]))
    else:
        status(sys.argv[2], sys.argv[3])
