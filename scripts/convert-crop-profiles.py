#!/usr/bin/python3
"""Makes data/crop-profiles.json from the researched profiles in the shared domain
folder (crop-profiles.json). The only change is that categorical factors list
integer raster codes instead of labels (the rules compare raster values with the
codes), with a `legend` code -> label; an English name is added. See data/README.md.

usage: scripts/convert-crop-profiles.py SHARED/crop-profiles.json data/crop-profiles.json
"""
import json
import sys

# The codes of the categorical soil and water layers the profiles expect. A soil map
# with other codes is reclassified to these (gdal_calc / QGIS) or the profile's lists
# are edited in the UI.
TEXTURE = ["sand", "loamy sand", "sandy loam", "light loam", "loam", "silt loam", "light clay loam",
           "clay loam", "silty clay loam", "sandy clay loam", "light clay", "sandy clay", "silty clay",
           "clay", "heavy clay", "very gravelly"]
# FAO Guidelines for soil description (2006), soil drainage classes, wettest last.
DRAINAGE = ["excessive", "somewhat excessive", "well", "moderately well", "imperfect", "poor", "very poor"]
# Water supply, best first: 1 full irrigation, 2 partial, 3 rainfed, 4 no reliable water.
WATER = {
    "irrigated": 1, "irrigated, full control (chủ động)": 1,
    "partially irrigated": 2, "partial / gravity stream-fed (bán chủ động)": 2,
    "rainfed, season rainfall adequate": 3, "rainfed (nhờ nước trời)": 3,
    "rainfed, dry season": 4, "no reliable water": 4,
}
NAME_EN = {"tea": "Tea", "tea_shan_tuyet": "Shan tuyet tea", "macadamia": "Macadamia",
           "passion_fruit": "Passion fruit", "pineapple": "Pineapple", "sweet_corn": "Sweet corn",
           "rice_paddy": "Paddy rice", "rice_upland": "Upland rice", "black_cardamom": "Black cardamom",
           "purple_amomum": "Purple amomum", "plum": "Plum", "longan": "Longan"}


def table(layer, labels):
    if layer == "texture":
        return {name: i + 1 for i, name in enumerate(TEXTURE)}, {str(i + 1): n for i, n in enumerate(TEXTURE)}
    if layer == "drainage":
        return {name: i + 1 for i, name in enumerate(DRAINAGE)}, {str(i + 1): n for i, n in enumerate(DRAINAGE)}
    if layer == "water_availability":
        legend = {}
        for label in labels:
            legend[str(WATER[label])] = label
        return WATER, dict(sorted(legend.items()))
    raise SystemExit(f"no code table for categorical layer {layer}")


def main(src, dst):
    profiles = json.load(open(src, encoding="utf-8"))
    for p in profiles:
        if p["crop"] in NAME_EN:
            p["name_en"] = NAME_EN[p["crop"]]
        for f in p["factors"]:
            if f["type"] != "categorical":
                continue
            labels = [l for k in ("S1", "S2", "S3", "N") for l in f.get(k, [])]
            codes, legend = table(f["layer"], labels)
            for k in ("S1", "S2", "S3", "N"):
                if k in f:
                    f[k] = [codes[l] for l in f[k]]
            f["legend"] = legend
    with open(dst, "w", encoding="utf-8") as out:
        json.dump(profiles, out, ensure_ascii=False, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
