// Words that come from data rather than from the UI: measure units of
// indicators and series (written in Vietnamese in the data, "ha", "đàn",
// "công trình"), the units of the crop profiles' factors and the names of
// their categories (written in English in data/crop-profiles.json, "m a.s.l.",
// "clay loam"). Each table gives the other language; a word missing here is
// shown as the data has it. Server fields in the user's language (name_vi,
// label_vi, unit_vi …) win over these tables where the server sends them.

/** Measure units as the data writes them (Vietnamese) → English. */
export const MEASURE_EN: Record<string, string> = {
  'hộ': 'households',
  'đàn': 'colonies',
  'con': 'head',
  'trang trại': 'farms',
  'công trình': 'structures',
  'sản phẩm': 'products',
  'chuỗi': 'chains',
  'HTX': 'cooperatives',
  'hợp tác xã': 'cooperatives',
  'cơ sở': 'facilities',
  'doanh nghiệp': 'enterprises',
  'thùng': 'hives',
  'người': 'people',
  'mã số': 'codes',
  'thửa': 'parcels',
  'tấn': 'tonnes',
  'tấn/năm': 'tonnes/year',
  'tỷ đồng': 'billion VND',
  'triệu đồng': 'million VND',
  'đồng': 'VND',
  'm3': 'm³',
};

/**
 * Measure units whose values are counted things (households, farms, products,
 * structures …): shown as whole numbers. A figure of such a unit can carry a
 * fraction only through a successor's share after the 2025 reform, and a
 * count of 171.2 structures is not a thing a reader can use.
 */
export const COUNTED_UNITS: ReadonlySet<string> = new Set([
  'hộ', 'đàn', 'con', 'trang trại', 'công trình', 'sản phẩm', 'chuỗi', 'HTX', 'hợp tác xã', 'cơ sở', 'doanh nghiệp', 'thùng', 'người', 'mã số', 'thửa',
]);

/** Units of the crop profiles' factors (English in the data) → Vietnamese. */
export const FACTOR_UNIT_VI: Record<string, string> = {
  'm a.s.l.': 'm so với mực nước biển',
  'degrees': 'độ',
  'mm/year': 'mm/năm',
  'cm, effective rooting depth': 'cm, tầng rễ hữu hiệu',
  'pH (H2O unless noted)': 'pH (trong nước, nếu không ghi khác)',
  '% forest canopy closure': '% độ khép tán',
  'deg C, mean annual': '°C, trung bình năm',
  'deg C, mean of growing season': '°C, trung bình vụ',
  'deg C, absolute minimum air temperature': '°C, nhiệt độ không khí thấp nhất tuyệt đối',
};

/** The short form of a factor's unit shown after a value ("°C", "m", "mm/năm"). */
export const FACTOR_UNIT_SHORT: Record<string, { vi: string; en: string }> = {
  'm a.s.l.': { vi: 'm', en: 'm' },
  'degrees': { vi: '°', en: '°' },
  'mm/year': { vi: 'mm/năm', en: 'mm/year' },
  'cm, effective rooting depth': { vi: 'cm', en: 'cm' },
  'pH (H2O unless noted)': { vi: '', en: '' },
  '% forest canopy closure': { vi: '%', en: '%' },
  'deg C, mean annual': { vi: '°C', en: '°C' },
  'deg C, mean of growing season': { vi: '°C', en: '°C' },
  'deg C, absolute minimum air temperature': { vi: '°C', en: '°C' },
};

/** Categories of the crop profiles' categorical factors (English in the data) → Vietnamese. */
export const FACTOR_CATEGORY_VI: Record<string, string> = {
  // texture (soil texture classes as Vietnamese soil surveys name them)
  'sand': 'cát',
  'loamy sand': 'cát pha thịt',
  'sandy loam': 'thịt pha cát',
  'light loam': 'thịt nhẹ',
  'loam': 'thịt trung bình',
  'silt loam': 'thịt pha limon',
  'sandy clay loam': 'thịt pha sét và cát',
  'clay loam': 'thịt pha sét',
  'light clay loam': 'thịt pha sét nhẹ',
  'silty clay loam': 'thịt pha sét và limon',
  'sandy clay': 'sét pha cát',
  'silty clay': 'sét pha limon',
  'light clay': 'sét nhẹ',
  'clay': 'sét',
  'heavy clay': 'sét nặng',
  'very gravelly': 'rất nhiều sỏi sạn',
  // drainage
  'excessive': 'thoát nước quá mạnh',
  'somewhat excessive': 'thoát nước hơi mạnh',
  'well': 'thoát nước tốt',
  'moderately well': 'thoát nước khá',
  'imperfect': 'thoát nước hơi kém',
  'poor': 'thoát nước kém',
  'very poor': 'thoát nước rất kém',
  // water availability
  'irrigated': 'có tưới',
  'irrigated, full control (chủ động)': 'tưới chủ động',
  'partial / gravity stream-fed (bán chủ động)': 'tưới bán chủ động (tự chảy)',
  'partially irrigated': 'tưới một phần',
  'rainfed (nhờ nước trời)': 'nhờ nước trời',
  'rainfed, dry season': 'nhờ nước trời, mùa khô',
  'rainfed, season rainfall adequate': 'nhờ nước trời, đủ mưa trong vụ',
  'no reliable water': 'không có nguồn nước ổn định',
};
