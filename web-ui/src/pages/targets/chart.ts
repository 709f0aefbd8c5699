// The trend chart, drawn as SVG: the unit's values by year (cumulated for an
// amount per year, since its target is the total over the period), the target
// line from the baseline to the target at the milestone, the forecast as a
// dashed line to the milestone, and the baseline. Numbers in the language's
// convention; nothing is fetched.
import { t } from '../../i18n';
import type { Trend } from '../../lib/targets';
import { fmtValue } from '../../lib/measures';

const NS = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** "Nice" round steps for the value axis. */
function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const n = raw / mag;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * mag;
}

export interface ChartPoint {
  year: number;
  value: number;
}

/** The plotted series: stock values as they are; flows cumulated from the baseline (0). */
export function plottedValues(tr: Trend): ChartPoint[] {
  if (tr.indicator.kind !== 'flow') return tr.values.map((v) => ({ year: v.year, value: v.value }));
  const pts: ChartPoint[] = [];
  const first = tr.values.find((v) => v.cumulative !== undefined);
  if (first) pts.push({ year: first.year - 1, value: tr.baseline });
  for (const v of tr.values) if (v.cumulative !== undefined) pts.push({ year: v.year, value: v.cumulative });
  return pts;
}

export function trendChart(tr: Trend, compact: boolean): SVGSVGElement {
  const W = compact ? 360 : 720;
  const H = compact ? 260 : 300;
  const m = { top: 20, right: compact ? 14 : 24, bottom: 34, left: compact ? 52 : 64 };
  const values = plottedValues(tr);
  const years = [...values.map((v) => v.year), ...tr.target_line.map((v) => v.year), tr.milestone];
  const y0 = Math.min(...years);
  const y1 = Math.max(...years);
  const all = [
    ...values.map((v) => v.value),
    ...tr.target_line.map((v) => v.value),
    tr.baseline,
    tr.forecast ?? 0,
    tr.target ?? 0,
    tr.target_original ?? 0,
  ];
  const step = niceStep(Math.max(...all, 1) * 1.08, compact ? 4 : 5);
  const vMax = Math.ceil((Math.max(...all, 1) * 1.08) / step) * step;
  const x = (yr: number): number => m.left + ((yr - y0) / Math.max(1, y1 - y0)) * (W - m.left - m.right);
  const y = (v: number): number => H - m.bottom - (v / vMax) * (H - m.top - m.bottom);

  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'trend-chart', role: 'img', 'data-testid': 'trend-chart' });
  svg.append(el('title', {}, t('targets.chart_title')));
  // Grid and value axis.
  for (let v = 0; v <= vMax + 1e-9; v += step) {
    svg.append(el('line', { x1: m.left, x2: W - m.right, y1: y(v), y2: y(v), class: 'grid' }));
    svg.append(el('text', { x: m.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis-label' }, fmtValue(v, tr.indicator.measure_unit, 1)));
  }
  const every = compact && y1 - y0 > 6 ? 2 : 1;
  for (let yr = y0; yr <= y1; yr++) {
    if ((yr - y0) % every !== 0 && yr !== tr.milestone) continue;
    svg.append(el('text', { x: x(yr), y: H - m.bottom + 18, 'text-anchor': 'middle', class: 'axis-label' }, String(yr)));
  }
  svg.append(el('line', { x1: m.left, x2: W - m.right, y1: y(0), y2: y(0), class: 'axis' }));
  // Baseline.
  svg.append(el('line', { x1: m.left, x2: W - m.right, y1: y(tr.baseline), y2: y(tr.baseline), class: 'baseline', 'data-series': 'baseline' }));
  // The target line and the target at the milestone (the original too, when revised).
  if (tr.target_line.length) {
    svg.append(el('polyline', { points: tr.target_line.map((p) => `${x(p.year)},${y(p.value)}`).join(' '), class: 'target-line', 'data-series': 'target' }));
  }
  // Labels at the milestone: the higher of target and forecast above its point, the
  // lower below, so the two never print over each other.
  const forecastAbove = tr.forecast !== null && tr.target !== null && tr.forecast > tr.target;
  const labelY = (v: number, above: boolean): number => (above ? y(v) - 9 : y(v) + 17);
  if (tr.target !== null) {
    svg.append(el('circle', { cx: x(tr.milestone), cy: y(tr.target), r: 5, class: 'target-point' }));
    svg.append(el('text', { x: x(tr.milestone) - 8, y: labelY(tr.target, !forecastAbove), 'text-anchor': 'end', class: 'point-label target-label' }, `${t('targets.chart_target')} ${fmtValue(tr.target, tr.indicator.measure_unit, 1)}`));
    if (tr.target_original !== null && tr.target_original !== tr.target) {
      svg.append(el('circle', { cx: x(tr.milestone), cy: y(tr.target_original), r: 4, class: 'target-original-point' }));
    }
  }
  // Values.
  if (values.length) {
    svg.append(el('polyline', { points: values.map((p) => `${x(p.year)},${y(p.value)}`).join(' '), class: 'value-line', 'data-series': 'values' }));
    for (const p of values) {
      const c = el('circle', { cx: x(p.year), cy: y(p.value), r: 3.5, class: 'value-point' });
      c.append(el('title', {}, `${p.year}: ${fmtValue(p.value, tr.indicator.measure_unit)}`));
      svg.append(c);
    }
    const last = values[values.length - 1];
    const atEdge = last.year === y1;
    svg.append(el('text', { x: x(last.year) + (atEdge ? -6 : 0), y: y(last.value) - 9, 'text-anchor': atEdge ? 'end' : 'middle', class: 'point-label' }, fmtValue(last.value, tr.indicator.measure_unit, 1)));
    // Forecast to the milestone.
    if (tr.forecast !== null && last.year < tr.milestone) {
      svg.append(el('line', { x1: x(last.year), y1: y(last.value), x2: x(tr.milestone), y2: y(tr.forecast), class: 'forecast-line', 'data-series': 'forecast' }));
      const reached = tr.target === null || (tr.indicator.direction === 'down' ? tr.forecast <= tr.target : tr.forecast >= tr.target);
      svg.append(el('circle', { cx: x(tr.milestone), cy: y(tr.forecast), r: 5, class: reached ? 'forecast-point reached' : 'forecast-point missed' }));
      svg.append(el('text', { x: x(tr.milestone) - 8, y: labelY(tr.forecast, forecastAbove || tr.target === null), 'text-anchor': 'end', class: 'point-label forecast-label' }, `${t('targets.chart_forecast')} ${fmtValue(tr.forecast, tr.indicator.measure_unit, 1)}`));
    }
  }
  return svg;
}

export function chartLegend(): HTMLElement {
  const item = (cls: string, label: string): HTMLElement => {
    const s = document.createElement('span');
    s.className = 'chart-key';
    const sw = document.createElement('span');
    sw.className = `chart-swatch ${cls}`;
    s.append(sw, document.createTextNode(label));
    return s;
  };
  const d = document.createElement('div');
  d.className = 'chart-legend small';
  d.append(
    item('sw-values', t('targets.chart_values')),
    item('sw-target', t('targets.chart_target_line')),
    item('sw-forecast', t('targets.chart_forecast_line')),
    item('sw-baseline', t('targets.chart_baseline')),
  );
  return d;
}
