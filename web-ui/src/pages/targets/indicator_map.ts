// The indicator page's choropleth: every unit of a level coloured by band (or by
// the actual value where no target gives a band); a click drills down to that
// unit. Split from indicator.ts so that MapLibre loads only for the map, after
// the figures, the chart and the records are on the screen.
import { api, type Level } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { navigate } from '../../lib/router';
import { errorBox, levelLabel } from '../../lib/ui';
import { fmtDate, fmtNumber, t } from '../../i18n';
import { addUnitLayers, boundsOf, breaks, createMap, fit, hoverLabel, onFeatureClick, rampColour, rampLegend, setData } from '../../lib/map';
import { fmtMeasure, fmtValue, measureLabel } from '../../lib/measures';
import { targetsApi, type Band, type Trend } from '../../lib/targets';
import { BAND_COLOUR, bandKey, bandLabel, fmtPct, paramsQuery, type ViewParams } from './common';
import type { Geometry } from '../../lib/registry';

interface Feature {
  type: 'Feature';
  id?: number;
  properties: { id: number; code: string; name: string; level: Level; color?: string; band?: string; pct?: number | null; actual?: number | null };
  geometry: Geometry | null;
}
interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

export interface ChoroplethParams {
  code: string;
  ind: string;
  view: ViewParams;
  trend: Trend;
  level: Level;
  colourBy: 'band' | 'value';
  levelQ: string | null;
  mapEl: HTMLElement;
  legend: HTMLElement;
  mapStatus: HTMLElement;
  levelSel: HTMLSelectElement;
  colourSel: HTMLSelectElement;
  indHref: (unitCode: string, unitName: string) => string;
}

/** Draws the map and wires its controls; returns the function that removes it. */
export function drawChoropleth(p: ChoroplethParams): () => void {
  const { code, ind, view, trend, mapEl, legend, mapStatus } = p;
  const unitLabel = measureLabel(trend.indicator.measure_unit);
  let level = p.level;
  let colourBy = p.colourBy;
  let ramp: number[] = [];
  let fc: FeatureCollection = { type: 'FeatureCollection', features: [] };
  let mapSeq = 0;

  // A property read back from MapLibre: null values may come back as the string "null".
  const num = (v: unknown): number | null => (v === null || v === undefined || v === 'null' ? null : Number(v));

  function renderLegend(): void {
    if (colourBy === 'value') {
      replace(
        legend,
        h('span', { class: 'legend-title' }, `${t('targets.actual')} (${unitLabel}):`),
        ...rampLegend(ramp, (v) => fmtValue(v, trend.indicator.measure_unit), t('targets.band.none')).map((row) => h('span', { class: 'legend-row' }, ...row.childNodes)),
      );
      return;
    }
    replace(
      legend,
      h('span', { class: 'legend-title' }, `${t('targets.achievement')}:`),
      ...(['achieved', 'over_half', 'low', 'none'] as const).map((k) =>
        h('span', { class: 'legend-row' }, h('span', { class: 'swatch', style: { background: BAND_COLOUR[k] } }), t(`targets.band.${k}`)),
      ),
      h('span', { class: 'legend-row' }, h('span', { class: 'swatch swatch-current' }), trend.unit.name),
    );
  }

  const base = createMap(mapEl, { zoom: 7, cooperative: true, handle: 'nongsanTargetsMap' });
  const map = base?.map ?? null;

  async function loadMap(fitView: boolean): Promise<void> {
    const mine = ++mapSeq;
    replace(mapStatus, t('common.loading'));
    try {
      const [geo, vals] = await Promise.all([
        api.get<FeatureCollection>('/api/v1/map/units', { as_of: view.as_of, level }),
        targetsApi.mapValues(code, ind, { milestone: view.milestone, as_of: view.as_of, level }),
      ]);
      if (mine !== mapSeq) return;
      const byId = new Map(vals.items.map((x) => [x.unit_id, x]));
      fc = { type: 'FeatureCollection', features: (geo.features ?? []).filter((f) => f.geometry) };
      let coloured = 0;
      const actuals = vals.items.map((x) => x.actual).filter((x): x is number => x !== null);
      ramp = breaks(actuals);
      for (const f of fc.features) {
        f.id = f.properties.id;
        const v = byId.get(f.properties.id);
        f.properties.band = bandKey(v?.band ?? null);
        f.properties.pct = v?.achievement_pct ?? null;
        f.properties.actual = v?.actual ?? null;
        if (colourBy === 'value') {
          f.properties.color = v?.actual === null || v?.actual === undefined ? BAND_COLOUR.none : rampColour(v.actual, ramp);
          if (v?.actual !== null && v?.actual !== undefined) coloured++;
        } else {
          f.properties.color = BAND_COLOUR[bandKey(v?.band ?? null)];
          if (v?.band) coloured++;
        }
      }
      setData(map, 'units', fc);
      renderLegend();
      replace(
        mapStatus,
        t('targets.map_status', { n: fmtNumber(fc.features.length, 0), level: levelLabel(level), date: fmtDate(view.as_of) }),
        colourBy === 'band' && coloured === 0 && actuals.length ? h('div', { class: 'alert alert-info small', 'data-testid': 'no-band-hint' }, t('targets.no_band_hint')) : '',
      );
      mapEl.dataset.features = String(fc.features.length);
      mapEl.dataset.coloured = String(coloured);
      if (fitView) fit(map, boundsOf(fc.features.map((f) => f.geometry)));
      mapEl.dataset.loaded = 'true';
      map?.once('idle', () => {
        if (mine === mapSeq) mapEl.dataset.drawn = 'true';
      });
    } catch (err) {
      if (mine === mapSeq) replace(mapStatus, errorBox(err));
    }
  }

  p.levelSel.addEventListener('change', () => {
    level = p.levelSel.value as Level;
    history.replaceState(null, '', `${location.pathname}${paramsQuery(view, { level, colour: colourBy === 'value' ? 'value' : '' })}`);
    void loadMap(true);
  });
  p.colourSel.addEventListener('change', () => {
    colourBy = p.colourSel.value === 'value' ? 'value' : 'band';
    history.replaceState(null, '', `${location.pathname}${paramsQuery(view, { level: p.levelQ ? level : '', colour: colourBy === 'value' ? 'value' : '' })}`);
    void loadMap(false);
  });

  if (map) {
    void base!.loaded.then(() => {
      addUnitLayers(map, 'units', fc, {
        defaultColor: BAND_COLOUR.none,
        fillOpacity: 0.8,
        highlight: { filter: ['==', ['get', 'code'], trend.unit.code], color: '#1d2520', width: 3 },
      });
      void loadMap(true);
    });
    onFeatureClick(map, ['units-fill'], (_layer, f) => navigate(p.indHref(String(f.properties.code), String(f.properties.name))));
    hoverLabel(map, 'units-fill', (pr) => {
      const pct = num(pr.pct);
      const actual = num(pr.actual);
      const band = (pr.band === 'none' ? null : pr.band) as Band | null;
      return `${pr.name}: ${actual === null ? t('common.none') : fmtMeasure(actual, trend.indicator.measure_unit)} · ${pct === null ? t('common.none') : fmtPct(pct)} · ${bandLabel(band)}`;
    });
  }
  return () => base?.destroy();
}
