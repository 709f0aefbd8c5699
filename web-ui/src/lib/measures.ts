// Figures with their measure unit: the unit's name in the user's language and
// the number of decimals the unit allows (whole numbers for counted things:
// households, farms, structures, products …; see COUNTED_UNITS). Figures the
// system derives (a review's actual, target and forecast, a roll-up, a chart,
// a choropleth) go through fmtValue/fmtMeasure. A record as someone entered it
// (a figure, an observation) is shown exactly as stored, so that a mistyped
// 1.234,5 households stays visible to be corrected.
import { fmtNumber, lang } from '../i18n';
import { COUNTED_UNITS, FACTOR_CATEGORY_VI, FACTOR_UNIT_SHORT, FACTOR_UNIT_VI, MEASURE_EN } from '../i18n/terms';

/** True when values of this unit count things and are shown whole. */
export function isCounted(unit: string | null | undefined): boolean {
  return !!unit && COUNTED_UNITS.has(unit.trim());
}

/** The unit in the user's language ("đàn" → "colonies" in English). */
export function measureLabel(unit: string | null | undefined): string {
  const u = (unit ?? '').trim();
  if (lang() === 'en') return MEASURE_EN[u] ?? u;
  return u === 'm3' ? 'm³' : u;
}

/** The number alone, with as many decimals as the unit allows. */
export function fmtValue(value: number | null | undefined, unit: string | null | undefined, maxFraction = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return fmtNumber(value);
  return isCounted(unit) ? fmtNumber(Math.round(value), 0) : fmtNumber(value, maxFraction);
}

/** "171 công trình", "12,5 ha" (vi); "171 structures", "12.5 ha" (en). */
export function fmtMeasure(value: number | null | undefined, unit: string | null | undefined, maxFraction = 2): string {
  const n = fmtValue(value, unit, maxFraction);
  const u = measureLabel(unit);
  return value === null || value === undefined || !u ? n : `${n} ${u}`;
}

// ---- crop profile factors ---------------------------------------------------

/** A factor's unit in full, in the user's language (the server's `unit_vi` when it sends one). */
export function factorUnit(unit: string | null | undefined, unitVi?: string | null): string {
  const u = (unit ?? '').trim();
  if (lang() === 'vi') return unitVi || FACTOR_UNIT_VI[u] || u;
  return u;
}

/** The short unit after a value ("°C", "m"); empty when the unit has no short form. */
export function factorUnitShort(unit: string | null | undefined): string {
  const u = (unit ?? '').trim();
  const known = FACTOR_UNIT_SHORT[u];
  if (known) return known[lang()];
  return u.length <= 8 ? u : '';
}

/** A category of a categorical factor ("clay loam" → "thịt pha sét"), or the server's `label_vi`. */
export function factorCategory(label: string, labelVi?: string | null): string {
  if (lang() === 'vi') return labelVi || FACTOR_CATEGORY_VI[label.trim()] || label;
  return label;
}
