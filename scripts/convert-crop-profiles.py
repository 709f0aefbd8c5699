#!/usr/bin/python3
"""Makes data/crop-profiles.json from the researched profiles in the shared domain
folder (crop-profiles.json). The only change is that categorical factors list
integer raster codes instead of labels (the rules compare raster values with the
codes), with a `legend` code -> label; an English name is added, and each factor's
unit and category names in Vietnamese (`unit_vi`, `legend_vi`), the researched
English kept beside them. See data/README.md.

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
# Vietnamese names of the units and categories, for the Vietnamese UI (the English
# stays in `unit` and `legend`). Soil texture names follow the usual Vietnamese soil
# terms (đất cát, cát pha, thịt nhẹ, thịt, thịt pha sét, sét); drainage classes are
# the FAO Guidelines for soil description's; water supply as officials say it.
UNIT_VI = {
    "m a.s.l.": "m so với mực nước biển",
    "degrees": "độ",
    "mm/year": "mm/năm",
    "deg C, mean annual": "°C, trung bình năm",
    "deg C, mean of growing season": "°C, trung bình mùa sinh trưởng",
    "deg C, absolute minimum air temperature": "°C, nhiệt độ không khí tối thấp tuyệt đối",
    "cm, effective rooting depth": "cm, độ dày tầng đất hữu hiệu (rễ phát triển được)",
    "pH (H2O unless noted)": "pH (đo trong nước, trừ khi ghi khác)",
    "% forest canopy closure": "% độ tàn che của rừng",
}
TEXTURE_VI = ["đất cát", "đất cát pha", "đất thịt pha cát", "đất thịt nhẹ", "đất thịt", "đất thịt pha limon",
              "đất thịt nhẹ pha sét", "đất thịt pha sét", "đất thịt pha sét và limon", "đất thịt pha sét và cát",
              "đất sét nhẹ", "đất sét pha cát", "đất sét pha limon", "đất sét", "đất sét nặng", "đất nhiều sỏi sạn"]
DRAINAGE_VI = ["thoát nước quá mức", "thoát nước hơi quá mức", "thoát nước tốt", "thoát nước khá",
               "thoát nước chưa hoàn toàn", "thoát nước kém", "thoát nước rất kém"]
WATER_VI = {
    "irrigated": "có tưới", "irrigated, full control (chủ động)": "tưới chủ động",
    "partially irrigated": "tưới một phần (bán chủ động)",
    "partial / gravity stream-fed (bán chủ động)": "tưới bán chủ động (nước tự chảy từ suối)",
    "rainfed, season rainfall adequate": "nhờ nước trời, mưa đủ trong vụ", "rainfed (nhờ nước trời)": "nhờ nước trời",
    "rainfed, dry season": "nhờ nước trời trong mùa khô", "no reliable water": "không có nguồn nước ổn định",
}


def vietnamese(f):
    """Adds unit_vi and legend_vi to a factor (after its codes and legend are made)."""
    if f.get("unit"):
        f["unit_vi"] = UNIT_VI[f["unit"]]
    if "legend" in f:
        names = {"texture": dict(zip(map(str, range(1, 17)), TEXTURE_VI)),
                 "drainage": dict(zip(map(str, range(1, 8)), DRAINAGE_VI))}.get(f["layer"])
        f["legend_vi"] = {code: (names[code] if names else WATER_VI[label]) for code, label in f["legend"].items()}


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
                vietnamese(f)
                continue
            labels = [l for k in ("S1", "S2", "S3", "N") for l in f.get(k, [])]
            codes, legend = table(f["layer"], labels)
            for k in ("S1", "S2", "S3", "N"):
                if k in f:
                    f[k] = [codes[l] for l in f[k]]
            f["legend"] = legend
            vietnamese(f)
    with open(dst, "w", encoding="utf-8") as out:
        json.dump(profiles, out, ensure_ascii=False, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
