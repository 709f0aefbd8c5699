#!/usr/bin/python3
"""The numpy peer of the land-suitability benchmark (bench/suitability_bench.sh).

  suitability_numpy.py gen DIR SIZE                 make the input GeoTIFFs (SIZE x SIZE)
  suitability_numpy.py mem DIR PROFILE METHOD PREFIX [REPEAT]  numpy in memory (best of REPEAT);
                                                    compare with PREFIX.{cls,lim,idx}
  suitability_numpy.py e2e DIR PROFILE METHOD OUTDIR  GDAL read -> numpy -> GDAL write, same GeoTIFF options
  suitability_numpy.py read DIR                     GDAL reading the inputs alone (the floor of end to end)
  suitability_numpy.py compare A.tif B.tif          cell-by-cell equality of two rasters

numpy's best form: blocks of ~1M cells (a whole 10k x 10k x 5 job needs ~10 GB at
once, docs/platform-notes.md), float32 inputs, in-place operations. Exact like the C++:
interval bounds are rounded up to float32 (np.nextafter) so that a float32
comparison equals the comparison in double; ratings come from np.interp (float64,
numpy has no float32 interp) and the index is float64 until it is written as float32.
"""
import json
import sys
import time

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()

LAYERS = ["slope", "tmean_season", "soil_depth", "ph", "drainage"]  # rice_upland's factors
CO = ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE", "ZLEVEL=1", "BIGTIFF=IF_SAFER"]
BLOCK_ROWS = 100


def gen(d, size):
    rng = np.random.default_rng(42)
    gt = (400000, 30, 0, 2500000, 0, -30)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(9205)
    # ranges that give rice_upland a mix of classes
    ranges = {"slope": (0, 12), "tmean_season": (20, 31), "soil_depth": (40, 200), "ph": (5.2, 7.5)}
    y = np.arange(size, dtype=np.float32)[:, None]
    x = np.arange(size, dtype=np.float32)[None, :]
    for name in LAYERS:
        t0 = time.time()
        byte = name == "drainage"
        ds = gdal.GetDriverByName("GTiff").Create(f"{d}/{name}.tif", size, size, 1,
                                                  gdal.GDT_Byte if byte else gdal.GDT_Float32,
                                                  ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256"])
        ds.SetGeoTransform(gt)
        ds.SetProjection(srs.ExportToWkt())
        b = ds.GetRasterBand(1)
        b.SetNoDataValue(0 if byte else -9999)
        fx, fy = rng.uniform(50, 900, 2)
        for r0 in range(0, size, 1000):
            yy = y[r0:r0 + 1000]
            smooth = 0.5 + 0.25 * np.sin(x / fx + 1.3) + 0.25 * np.cos(yy / fy)
            a = np.clip(smooth + rng.normal(0, 0.08, (len(yy), size)).astype(np.float32), 0, 1)
            if byte:
                a = (3 + np.floor(a * 2.999)).astype(np.uint8)  # drainage 3..5
                a[rng.random(a.shape) < 0.001] = 0
            else:
                lo, hi = ranges[name]
                a = (lo + a * (hi - lo)).astype(np.float32)
                a[rng.random(a.shape) < 0.001] = -9999
            b.WriteArray(a, 0, r0)
        ds = None
        print(f"  made {name}.tif in {time.time() - t0:.1f} s", file=sys.stderr)


def ceil32(v):
    f = np.float32(v)
    if float(f) < v:
        f = np.nextafter(f, np.float32(np.inf))
    return f


def compile_profile(p):
    fs = []
    for i, f in enumerate(p["factors"]):
        if f.get("advisory"):
            continue
        c = {"layer": f["layer"], "pos": i + 1, "type": f["type"]}
        if f["type"] == "continuous":
            c["iv"] = [(ceil32(lo), ceil32(hi), k) for k in (3, 2, 1) for lo, hi in f.get(f"S{k}", [])]
            if f["layer"] in p.get("ratings", {}):
                xp, fp = zip(*p["ratings"][f["layer"]])
                c["xp"], c["fp"] = np.array(xp), np.array(fp)
        else:
            c["codes"] = [(np.float32(code), k) for k in (3, 2, 1) for code in f.get(f"S{k}", [])
                          if float(np.float32(code)) == code]
        fs.append(c)
    return fs


CAT_RATING = np.array([np.nan, 100.0, 80.0, 60.0, 0.0])


def evaluate(fs, method, t, blocks, nodatas):
    """blocks: float32 arrays of one block, one per factor. Returns cls, lim, idx."""
    shape = blocks[0].shape
    nd = np.zeros(shape, bool)
    worst = np.ones(shape, np.uint8)
    lim = np.zeros(shape, np.uint8)
    prod = np.ones(shape)
    rmin = np.full(shape, np.inf)
    amin = np.zeros(shape, np.uint8)
    rs = []
    for k, (f, v, ndv) in enumerate(zip(fs, blocks, nodatas)):
        c = np.full(shape, 4, np.uint8)
        if f["type"] == "continuous":
            for lo, hi, cl in f["iv"]:
                c[(v >= lo) & (v < hi)] = cl
        else:
            for code, cl in f["codes"]:
                c[v == code] = cl
        nd |= np.isnan(v)
        if ndv is not None:
            nd |= v == np.float32(ndv)
        if method == "limiting":
            lim[c > worst] = f["pos"]
            np.maximum(worst, c, out=worst)
            continue
        r = CAT_RATING[c] if f["type"] == "categorical" else np.interp(v, f["xp"], f["fp"])
        lower = r < rmin
        amin[lower] = k
        np.minimum(rmin, r, out=rmin)
        if method == "storie":
            prod *= r / 100
        else:
            rs.append(r)
    if method == "limiting":
        cls = worst
        lim[cls == 1] = 0
        idx = np.full(shape, np.nan, np.float32)
    else:
        if method == "storie":
            index = 100 * prod
        else:
            index = np.ones(shape)
            for k, r in enumerate(rs):
                index = np.where(amin == k, index, index * (r / 100))
            index = rmin * np.sqrt(index)
        cls = np.full(shape, 4, np.uint8)
        cls[index >= t[2]] = 3
        cls[index >= t[1]] = 2
        cls[index >= t[0]] = 1
        pos = np.array([f["pos"] for f in fs], np.uint8)
        lim = np.where(cls == 1, 0, pos[amin]).astype(np.uint8)
        idx = index.astype(np.float32)
    cls[nd] = 0
    lim[nd] = 0
    idx[nd] = np.nan
    return cls, lim, idx


def open_inputs(d, fs):
    dss = [gdal.Open(f"{d}/{f['layer']}.tif") for f in fs]
    nodatas = [ds.GetRasterBand(1).GetNoDataValue() for ds in dss]
    return dss, nodatas


def mem(d, prof, method, prefix, repeat=1):
    repeat = int(repeat)
    p = json.load(open(prof, encoding="utf-8"))
    fs = compile_profile(p)
    dss, nodatas = open_inputs(d, fs)
    data = [ds.GetRasterBand(1).ReadAsArray().astype(np.float32, copy=False) for ds in dss]
    h, w = data[0].shape
    cls = np.empty((h, w), np.uint8)
    lim = np.empty((h, w), np.uint8)
    idx = np.empty((h, w), np.float32)
    best_cpu = best_wall = 1e30
    for _ in range(repeat):
        t0, c0 = time.time(), time.process_time()
        for r0 in range(0, h, BLOCK_ROWS):
            s = slice(r0, r0 + BLOCK_ROWS)
            cls[s], lim[s], idx[s] = evaluate(fs, method, p["class_thresholds"], [a[s] for a in data], nodatas)
        best_cpu = min(best_cpu, time.process_time() - c0)
        best_wall = min(best_wall, time.time() - t0)
    # numpy runs on one thread (no BLAS here): its process CPU time is its thread's
    print(f"numpy_kernel_cpu_s {best_cpu:.4f}")
    print(f"numpy_kernel_wall_s {best_wall:.4f}")
    ok = True
    for ext, mine, dtype in (("cls", cls, np.uint8), ("lim", lim, np.uint8), ("idx", idx, np.float32)):
        other = np.fromfile(f"{prefix}.{ext}", dtype=dtype).reshape(h, w)
        if dtype == np.float32:
            same = (other == mine) | (np.isnan(other) & np.isnan(mine))
        else:
            same = other == mine
        diff = int((~same).sum())
        print(f"identical_{ext} {'yes' if diff == 0 else 'NO (' + str(diff) + ' cells differ)'}")
        ok = ok and diff == 0
    counts = np.bincount(cls.ravel(), minlength=5)
    print("classes nodata/S1/S2/S3/N " + "/".join(str(int(c)) for c in counts))
    return 0 if ok else 1


def e2e(d, prof, method, outdir):
    t0 = time.time()
    p = json.load(open(prof, encoding="utf-8"))
    fs = compile_profile(p)
    dss, nodatas = open_inputs(d, fs)
    w, h = dss[0].RasterXSize, dss[0].RasterYSize
    drv = gdal.GetDriverByName("GTiff")
    outs = []
    for name, typ, nd, pred in (("class", gdal.GDT_Byte, 0, "2"), ("limiting", gdal.GDT_Byte, None, "2"),
                                ("index", gdal.GDT_Float32, float("nan"), "3")):
        o = drv.Create(f"{outdir}/{name}.tif", w, h, 1, typ, CO + [f"PREDICTOR={pred}", "NUM_THREADS=ALL_CPUS"])
        o.SetGeoTransform(dss[0].GetGeoTransform())
        o.SetProjection(dss[0].GetProjection())
        if nd is not None:
            o.GetRasterBand(1).SetNoDataValue(nd)
        outs.append(o)
    rows = 256  # whole output tiles per write
    for r0 in range(0, h, rows):
        n = min(rows, h - r0)
        blocks = [ds.GetRasterBand(1).ReadAsArray(0, r0, w, n).astype(np.float32, copy=False) for ds in dss]
        res = evaluate(fs, method, p["class_thresholds"], blocks, nodatas)
        for o, a in zip(outs, res):
            o.GetRasterBand(1).WriteArray(a, 0, r0)
    outs = None
    print(f"numpy_gdal_end_to_end_s {time.time() - t0:.2f}")


def read(d):
    t0 = time.time()
    for name in LAYERS:
        ds = gdal.Open(f"{d}/{name}.tif")
        b = ds.GetRasterBand(1)
        w, h = ds.RasterXSize, ds.RasterYSize
        for r0 in range(0, h, 256):
            b.ReadRaster(0, r0, w, min(256, h - r0), buf_type=gdal.GDT_Float32)
    print(f"gdal_read_inputs_s {time.time() - t0:.2f}")


def compare(a, b):
    x = gdal.Open(a).ReadAsArray()
    y = gdal.Open(b).ReadAsArray()
    same = (x == y) | (np.isnan(x) & np.isnan(y)) if x.dtype.kind == "f" else x == y
    diff = int((~same).sum())
    print(f"identical {a.split('/')[-1]} {'yes' if diff == 0 else 'NO (' + str(diff) + ' cells differ)'}")
    return 0 if diff == 0 else 1


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(sys.argv[2], int(sys.argv[3]))
    elif cmd == "mem":
        sys.exit(mem(*sys.argv[2:7]))
    elif cmd == "e2e":
        e2e(*sys.argv[2:6])
    elif cmd == "read":
        read(sys.argv[2])
    elif cmd == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
