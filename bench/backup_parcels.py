#!/usr/bin/env python3
"""A cadastre for the backup bench: N parcels as CSV (id, WKT in EPSG:9205, VN-2000 /
TM-3 103-00), rows of lots 30-40 m wide and 40-55 m deep, each with a vertex on its
lower edge, deterministic from the seed. Illustrative: generated, no real parcel.

    backup_parcels.py N OUT.csv [SEED]
"""
import random
import sys


def main() -> None:
    n = int(sys.argv[1])
    out = sys.argv[2]
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 13)
    per_row = 1000
    with open(out, "w", encoding="utf-8") as f:
        f.write("id,wkt\n")
        for i in range(n):
            row, col = divmod(i, per_row)
            x0, y0 = 480000 + col * 45.0, 2450000 + row * 60.0
            w, h = 30 + rnd.random() * 10, 40 + rnd.random() * 15
            pts = [(x0, y0), (x0 + w / 2, y0 + rnd.random()), (x0 + w, y0), (x0 + w, y0 + h / 2),
                   (x0 + w, y0 + h), (x0, y0 + h), (x0, y0)]
            f.write('P%07d,"POLYGON((%s))"\n' % (i, ",".join("%.2f %.2f" % p for p in pts)))


if __name__ == "__main__":
    main()
