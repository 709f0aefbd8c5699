#!/usr/bin/python3
"""An independent numpy implementation of the suitability rules of docs/suitability.md, written
from the documented rules (not from the C++), used by tests/cli/suitability_cli.sh to
check `nongsan suitability evaluate` cell by cell.

usage: suitability_ref.py PROFILE.json METHOD CLASS.tif LIMITING.tif INDEX.tif NAME=RASTER...
  Layers are put on the grid of the first one with gdal.Warp (nearest for
  categorical factors, bilinear for continuous ones); a missing slope/aspect layer is
  derived from `elevation` with gdal.DEMProcessing. Prints "ok ..." or the first
  differences and exits 1.
"""
import json
import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()


def grid_of(ds):
    return ds.RasterXSize, ds.RasterYSize, ds.GetGeoTransform(), ds.GetProjection()


def on_grid(path, grid, alg):
    """Array (float64, NaN for nodata) of band 1 of `path` on `grid`."""
    w, h, gt, wkt = grid
    ds = gdal.Open(path)
    same = (ds.RasterXSize, ds.RasterYSize) == (w, h) and np.allclose(ds.GetGeoTransform(), gt) and \
        osr.SpatialReference(ds.GetProjection()).IsSame(osr.SpatialReference(wkt))
    if not same:
        xmin, xmax = gt[0], gt[0] + gt[1] * w
        ymax, ymin = gt[3], gt[3] + gt[5] * h
        ds = gdal.Warp("", ds, format="MEM", outputBounds=(xmin, ymin, xmax, ymax), width=w, height=h,
                       dstSRS=wkt, resampleAlg=alg)
    b = ds.GetRasterBand(1)
    a = b.ReadAsArray().astype(np.float64)
    nd = b.GetNoDataValue()
    if nd is not None:
        a[a == nd] = np.nan
    return a


def classify(f, v):
    cls = np.full(v.shape, 4, np.uint8)
    for c in (3, 2, 1):  # worst first: where classes overlap the best class wins
        if f["type"] == "continuous":
            for lo, hi in f.get(f"S{c}", []):
                cls[(v >= lo) & (v < hi)] = c
        else:
            cls[np.isin(v, np.array(f.get(f"S{c}", []), dtype=np.float64))] = c
    return cls


def main():
    prof_path, method, cls_path, lim_path, idx_path = sys.argv[1:6]
    layers = dict(a.split("=", 1) for a in sys.argv[6:])
    first = sys.argv[6].split("=", 1)[1]
    p = json.load(open(prof_path, encoding="utf-8"))
    if isinstance(p, list):
        p = p[0]
    grid = grid_of(gdal.Open(first))
    tmp = []
    factors = [f for f in p["factors"] if not f.get("advisory")]
    values, classes, ratings, positions = [], [], [], []
    for i, f in enumerate(p["factors"]):
        if f.get("advisory"):
            continue
        name = f["layer"]
        if name in layers:
            src = layers[name]
        else:  # slope or aspect from elevation
            src = f"/vsimem/ref_{name}.tif"
            gdal.DEMProcessing(src, gdal.Open(layers["elevation"]), name)
            tmp.append(src)
        v = on_grid(src, grid, "near" if f["type"] == "categorical" else "bilinear")
        values.append(v)
        c = classify(f, v)
        classes.append(c)
        if f["type"] == "categorical":
            r = np.choose(c - 1, [100.0, 80.0, 60.0, 0.0])
        elif method != "limiting":
            xp, fp = zip(*p["ratings"][name])
            r = np.interp(v, xp, fp)
        else:
            r = np.zeros(v.shape)
        ratings.append(r)
        positions.append(i + 1)
    nodata = np.zeros(values[0].shape, bool)
    for v in values:
        nodata |= np.isnan(v)
    C = np.stack(classes)
    pos = np.array(positions, np.uint8)
    t = p.get("class_thresholds", [75, 50, 25])
    if method == "limiting":
        cls = C.max(axis=0)
        lim = pos[np.argmax(C == cls, axis=0)]
        index = np.full(cls.shape, np.nan)
    else:
        R = np.stack(ratings)
        if method == "storie":
            index = 100 * np.prod(R / 100, axis=0)
        else:
            k = np.argmin(R, axis=0)
            rmin = np.min(R, axis=0)
            others = np.where(np.arange(len(R))[:, None, None] == k[None], 1.0, R / 100)
            index = rmin * np.sqrt(np.prod(others, axis=0))
        cls = np.where(index >= t[0], 1, np.where(index >= t[1], 2, np.where(index >= t[2], 3, 4))).astype(np.uint8)
        lim = pos[np.argmin(R, axis=0)]
    lim = np.where(cls == 1, 0, lim)
    cls = np.where(nodata, 0, cls)
    lim = np.where(nodata, 0, lim)
    index = np.where(nodata, np.nan, index)

    got_cls = gdal.Open(cls_path).ReadAsArray()
    bad = []
    n_cls = int((got_cls != cls).sum())
    if n_cls:
        y, x = np.argwhere(got_cls != cls)[0]
        bad.append(f"class differs in {n_cls} cells, first at row {y} col {x}: got {got_cls[y, x]}, expected "
                   f"{cls[y, x]}; values {[float(v[y, x]) for v in values]}")
    if lim_path != "-":
        got_lim = gdal.Open(lim_path).ReadAsArray()
        n_lim = int((got_lim != lim).sum())
        if n_lim:
            y, x = np.argwhere(got_lim != lim)[0]
            bad.append(f"limiting factor differs in {n_lim} cells, first at row {y} col {x}: got {got_lim[y, x]}, "
                       f"expected {lim[y, x]}")
    if idx_path != "-":
        got_idx = gdal.Open(idx_path).ReadAsArray().astype(np.float64)
        nan_diff = np.isnan(got_idx) != np.isnan(index)
        close = np.isclose(got_idx, index, rtol=1e-6, atol=1e-5) | (np.isnan(got_idx) & np.isnan(index))
        if nan_diff.any() or not close.all():
            y, x = np.argwhere(~close)[0]
            bad.append(f"index differs in {int((~close).sum())} cells, first at row {y} col {x}: got "
                       f"{got_idx[y, x]}, expected {index[y, x]}")
    for t_ in tmp:
        gdal.Unlink(t_)
    counts = np.bincount(cls.ravel(), minlength=5)
    if bad:
        print("\n".join(bad))
        sys.exit(1)
    print(f"ok {cls.size} cells, classes nodata/S1/S2/S3/N = {'/'.join(str(int(c)) for c in counts)}")


if __name__ == "__main__":
    main()
