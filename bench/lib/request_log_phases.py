#!/usr/bin/env python3
"""The server's own view of one wrk run, from nongsan's request log (bench/read_latency.sh).

usage: request_log_phases.py LOG_SLICE [SECONDS_PER_ROW]

LOG_SLICE holds the log lines written during the run. Each API answer is one line:

  [2026-12-06 23:05:01.123] [nongsan] [info] request_id=… method=GET path=/api/v1/parcels
      status=200 ms=0.12 cache=hit pool=no
  … ms=3.40 cache=miss pool=yes wait_ms=1.02

`ms` is the time from the request read to the answer handed to the socket; `wait_ms`
the part spent queued for a pool thread. A run's answers fall in four kinds:

  hit     served from the read cache on the I/O thread (never queued);
  miss    computed on the pool (the handler ran);
  waited  sent to the pool as a miss, then served from the cache there: another
          request had computed it meanwhile (or it waited for that computation:
          single flight);
  other   anything else (errors, routes without the cache).

Prints, per slice of SECONDS_PER_ROW (default 1) from the first answer of the run,
how many answers of each kind the server gave and their p99 inside the server, and a
total line. The slowest 1 % of the run as wrk saw it can then be matched to a kind and
a moment: slow inside the server (computing, queued on the pool), or only as wrk saw
it (waiting for an I/O thread or for wrk itself to run).
"""
import re
import sys
from datetime import datetime

LINE = re.compile(
    r"^\[(?P<ts>[0-9-]+ [0-9:.]+)\].*? status=(?P<status>\d+) ms=(?P<ms>[0-9.]+) cache=(?P<cache>\S+) "
    r"pool=(?P<pool>yes|no)(?: wait_ms=(?P<wait>[0-9.]+))?")


def p99(values):
    if not values:
        return "-"
    v = sorted(values)
    return f"{v[min(len(v) - 1, int(len(v) * 0.99))]:.2f}"


def kind(m):
    if m["status"] != "200":
        return "other"
    if m["cache"] == "hit":
        return "hit" if m["pool"] == "no" else "waited"
    if m["cache"] == "miss":
        return "miss"
    return "other"


def main():
    path = sys.argv[1]
    step = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    rows = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            t = datetime.strptime(m["ts"], "%Y-%m-%d %H:%M:%S.%f").timestamp()
            rows.append((t, kind(m), float(m["ms"]), float(m["wait"]) if m["wait"] else 0.0))
    if not rows:
        print("  (no request log lines with cache= and pool=: the request log is off, or the binary predates them)")
        return
    t0 = rows[0][0]
    slices = {}
    for t, k, ms, wait in rows:
        slices.setdefault(int((t - t0) / step), []).append((k, ms, wait))
    kinds = ("hit", "miss", "waited", "other")
    print(f"  the server's view (request log; ms inside the server, p99 per kind; waited = queued for the pool, then a hit):")
    print(f"  {'from s':>6} | {'answers':>8} {'hit':>8} {'miss':>6} {'waited':>6} {'other':>5} |"
          f" {'hit p99':>7} {'miss p99':>8} {'waited p99':>10} {'pool wait p99':>13}")

    def line(label, items):
        by = {k: [ms for kk, ms, _ in items if kk == k] for k in kinds}
        waits = [w for kk, _, w in items if kk in ("miss", "waited")]
        print(f"  {label:>6} | {len(items):>8} {len(by['hit']):>8} {len(by['miss']):>6} {len(by['waited']):>6}"
              f" {len(by['other']):>5} | {p99(by['hit']):>7} {p99(by['miss']):>8} {p99(by['waited']):>10}"
              f" {p99(waits):>13}")

    for i in sorted(slices):
        line(f"{i * step:g}", slices[i])
    line("all", [x for i in sorted(slices) for x in slices[i]])


if __name__ == "__main__":
    main()
