// The overview map: the province's units at a chosen date from the project's own
// GeoJSON (/api/v1/map/units), on a plain background. No tiles, fonts or glyphs
// are fetched from anywhere: names appear in HTML popups and the side panel.
// Loaded on demand, so MapLibre stays out of the first page's bundle.
import { addUnitLayers, breaks, createMap, fit, boundsOf, hoverLabel, idFilter, illustrativeNote, isPhone, onFeatureClick, rampColour, rampLegend, setData, type BaseMap } from '../lib/map';
import { api, type Level, type Series, type UnitDetail } from '../lib/api';
import { h, replace } from '../lib/dom';
import { link, setQuery, type Route } from '../lib/router';
import { badge, basisLabel, dateInput, errorBox, field, geomBadge, levelLabel, loading, select, mapPanel } from '../lib/ui';
import { fmtDate, fmtNumber, fmtPercent, t, todayIso } from '../i18n';
import { unitFacts } from './units';
import { can } from '../lib/session';
import { loadSeries, seriesName } from './figures';
import { fmtMeasure, fmtValue, measureLabel } from '../lib/measures';

/** The day the district level was abolished (Resolution 202/2025/QH15). */
const REFORM_DATE = '2025-07-01';
const BEFORE_REFORM = '2024-12-31';

interface UnitProps {
  id: number;
  code: string;
  name: string;
  level: Level;
  kind: string;
  geom_source: string;
  parent_id: number | null;
  area_ha: number | null;
  color?: string;
  value?: number | null;
}

type Position = number[];
interface Feature {
  type: 'Feature';
  id?: number | string;
  properties: UnitProps;
  geometry: { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] } | null;
}
interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

// Distinct, soft colours for neighbouring units; the choropleth uses the helper's green ramp.
const PALETTE = ['#8dd3c7', '#ffffb3', '#bebada', '#fb8072', '#80b1d3', '#fdb462', '#b3de69', '#fccde5', '#d9d9d9', '#bc80bd', '#ccebc5', '#ffed6f'];

/** Room around the province for the status line, the legend and, on a phone, the details sheet. */
function fitPadding(): { top: number; bottom: number; left: number; right: number } {
  return isPhone() ? { top: 36, bottom: 56, left: 12, right: 12 } : { top: 40, bottom: 24, left: 24, right: 24 };
}

export function renderMap(root: HTMLElement, route: Route): () => void {
  document.title = `${t('map.title')} · nongsan`;
  const today = todayIso();
  const state = {
    as_of: route.query.get('as_of') ?? today,
    level: (route.query.get('level') as Level | null) ?? ('' as Level | ''),
    // A shared link may name a series; without figures.read the map shows units only.
    series: can('figures.read') ? route.query.get('series') ?? '' : '',
    year: route.query.get('year') ?? String(Number(today.slice(0, 4)) - 1),
    unit: Number(route.query.get('unit') ?? '') || null,
  };
  const districtsExist = (): boolean => state.as_of < REFORM_DATE;
  // The level the user chose; before the reform the default is districts, after it only communes exist.
  let chosenLevel: Level | null = state.level === 'district' || state.level === 'commune' ? state.level : null;
  const effectiveLevel = (): Level => (districtsExist() ? chosenLevel ?? 'district' : 'commune');
  state.level = effectiveLevel();

  // ---- controls ----
  const date = dateInput('as_of', state.as_of, (v) => setDate(v || today));
  const presetBefore = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'preset-before' }, t('map.preset_before'));
  const presetToday = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'preset-today' }, t('map.preset_today'));
  presetBefore.addEventListener('click', () => setDate(BEFORE_REFORM));
  presetToday.addEventListener('click', () => setDate(today));
  const levelSel = select(
    'level',
    [
      { value: 'district', label: levelLabel('district') },
      { value: 'commune', label: levelLabel('commune') },
    ],
    state.level,
  );
  levelSel.addEventListener('change', () => {
    chosenLevel = levelSel.value as Level;
    void loadUnits(false);
  });
  const seriesSel = select('series', [{ value: '', label: t('map.series_none') }], state.series);
  const yearInput = h('input', { type: 'number', name: 'year', min: '1900', max: '2200', step: '1', value: state.year, class: 'input-year', inputmode: 'numeric' });
  const yearField = field(t('map.year'), yearInput, { name: 'year' });
  yearField.hidden = !state.series;
  seriesSel.addEventListener('change', () => {
    state.series = seriesSel.value;
    yearField.hidden = !state.series;
    void applyFigures();
  });
  yearInput.addEventListener('change', () => {
    state.year = yearInput.value;
    void applyFigures();
  });

  const levelNote = h('div', { class: 'map-note', 'aria-live': 'polite' });
  const status = h('div', { class: 'map-status muted small', 'aria-live': 'polite', 'data-testid': 'map-status' });
  const legend = h('div', { class: 'map-legend', 'data-testid': 'map-legend' });
  const mapEl = h('div', { class: 'map-canvas', 'data-testid': 'map' });
  const { panel, body: panelBody } = mapPanel(t('unit.view_details'), 'unit-panel', () => select_(null));

  const toolbar = h(
    'div',
    { class: 'map-toolbar' },
    field(t('map.date'), date.el, { name: 'as_of' }),
    h('div', { class: 'presets' }, presetBefore, presetToday),
    field(t('map.level'), levelSel, { name: 'level' }),
    can('figures.read') ? field(t('map.series'), seriesSel, { name: 'series' }) : '',
    yearField,
  );

  replace(
    root,
    h(
      'div',
      { class: 'map-page' },
      h('h1', { class: 'visually-hidden' }, t('map.title')),
      toolbar,
      levelNote,
      h('div', { class: 'map-area' }, h('div', { class: 'map-wrap' }, mapEl, legend, status), panel),
    ),
  );
  root.classList.add('page-map');

  // ---- data ----
  let fc: FeatureCollection = { type: 'FeatureCollection', features: [] };
  let seriesList: Series[] = [];
  let base: BaseMap | null = null;
  let mapReady = false;
  let seq = 0;
  let figSeq = 0;
  let choropleth: { breaks: number[]; unit: string } | null = null;

  function syncUrl(): void {
    setQuery({
      as_of: state.as_of === today ? '' : state.as_of,
      level: chosenLevel ?? '',
      series: state.series,
      year: state.series ? state.year : '',
      unit: state.unit ?? '',
    });
  }

  function setDate(v: string): void {
    state.as_of = v;
    date.set(v);
    void loadUnits(true);
  }

  function renderLegend(): void {
    const items: Node[] = [h('div', { class: 'legend-title' }, t('map.legend'))];
    if (choropleth) {
      const s = seriesList.find((x) => x.code === state.series);
      items.push(h('div', { class: 'small' }, `${seriesName(s, state.series)} (${measureLabel(choropleth.unit)}), ${state.year}`));
      items.push(...rampLegend(choropleth.breaks, (v) => fmtValue(v, choropleth!.unit), t('map.legend_no_value')));
    } else {
      items.push(h('div', { class: 'legend-row' }, h('span', { class: 'swatch swatch-multi' }), t('map.legend_units')));
    }
    const illustrative = fc.features.some((f) => f.properties.geom_source === 'illustrative');
    if (illustrative || effectiveLevel() === 'commune') {
      items.push(illustrativeNote(t('map.legend_illustrative')));
    }
    replace(legend, ...items);
  }

  function colour(): void {
    let i = 0;
    for (const f of fc.features) {
      f.properties.color = PALETTE[i++ % PALETTE.length];
    }
  }

  async function applyFigures(): Promise<void> {
    const mine = ++figSeq;
    syncUrl();
    choropleth = null;
    if (state.series && state.year) {
      try {
        const r = await api.get<{ items: { unit_id: number; value: number | null }[] }>('/api/v1/map/figures', {
          series: state.series,
          year: state.year,
          as_of: state.as_of,
          level: effectiveLevel(),
        });
        if (mine !== figSeq) return;
        const values = new Map(r.items.map((x) => [x.unit_id, x.value]));
        const b = breaks(r.items.map((x) => x.value).filter((x): x is number => x !== null && x !== undefined));
        for (const f of fc.features) {
          const v = values.get(f.properties.id);
          f.properties.value = v ?? null;
          f.properties.color = rampColour(v, b);
        }
        choropleth = { breaks: b, unit: seriesList.find((x) => x.code === state.series)?.measure_unit ?? '' };
      } catch (err) {
        if (mine === figSeq) replace(status, errorBox(err));
        colour();
      }
    } else {
      for (const f of fc.features) f.properties.value = undefined;
      colour();
    }
    if (mine !== figSeq) return;
    setData(base?.map, 'units', fc);
    renderLegend();
  }

  async function loadUnits(fitView: boolean): Promise<void> {
    const mine = ++seq;
    const lvl = effectiveLevel();
    state.level = lvl;
    levelSel.value = lvl;
    (levelSel.querySelector('option[value=district]') as HTMLOptionElement).disabled = !districtsExist();
    replace(levelNote, districtsExist() ? '' : h('div', { class: 'alert alert-info small', 'data-testid': 'districts-gone' }, t('map.districts_gone')));
    presetBefore.classList.toggle('active', state.as_of === BEFORE_REFORM);
    presetToday.classList.toggle('active', state.as_of === today);
    syncUrl();
    replace(status, t('common.loading'));
    try {
      const data = await api.get<FeatureCollection>('/api/v1/map/units', { as_of: state.as_of, level: lvl });
      if (mine !== seq) return;
      fc = { type: 'FeatureCollection', features: (data.features ?? []).filter((f) => f.geometry) };
      for (const f of fc.features) f.id = f.properties.id;
      replace(status, fc.features.length ? t('map.units_shown', { n: fmtNumber(fc.features.length), date: fmtDate(state.as_of) }) : t('map.no_units'));
      status.dataset.count = String(fc.features.length);
      status.dataset.asOf = state.as_of;
      status.dataset.level = lvl;
      await applyFigures();
      if (fitView && mapReady) fit(base?.map, boundsOf(fc.features.map((f) => f.geometry)), fitPadding());
      if (state.unit !== null) {
        if (fc.features.some((f) => f.properties.id === state.unit)) void showUnit(state.unit);
        else select_(null);
      }
      mapEl.dataset.loaded = 'true';
    } catch (err) {
      if (mine === seq) replace(status, errorBox(err));
    }
  }

  // ---- selection and side panel ----
  function hint(): void {
    replace(panelBody, h('p', { class: 'muted' }, t('map.hint')), h('p', { class: 'small' }, link('/units', null, `${t('nav.units')} ›`)));
    panel.classList.remove('has-unit');
  }

  function select_(id: number | null): void {
    state.unit = id;
    syncUrl();
    base?.map.setFilter('units-highlight', idFilter(id) as never);
    if (id === null) hint();
    else void showUnit(id);
  }

  let unitSeq = 0;
  async function showUnit(id: number): Promise<void> {
    const mine = ++unitSeq;
    base?.map.setFilter('units-highlight', idFilter(id) as never);
    panel.classList.add('has-unit');
    replace(panelBody, loading());
    try {
      const u = await api.get<UnitDetail>(`/api/v1/units/${id}`, { as_of: state.as_of });
      if (mine !== unitSeq) return;
      const feature = fc.features.find((f) => f.properties.id === id);
      const value = feature?.properties.value;
      const s = seriesList.find((x) => x.code === state.series);
      const links = (title: string, rows: UnitDetail['successors']): Node =>
        h(
          'div',
          { class: 'panel-section' },
          h('h3', null, title),
          rows?.length
            ? h(
                'ul',
                { class: 'succession' },
                ...rows.map((r) =>
                  h(
                    'li',
                    null,
                    link(`/units/${r.unit.id}?as_of=${r.effective_date ?? state.as_of}`, null, r.unit.name),
                    h('span', { class: 'muted small' }, ` · ${fmtPercent(r.share)} · ${basisLabel(r.basis)} · ${fmtDate(r.effective_date)}`),
                  ),
                ),
              )
            : h('p', { class: 'muted small' }, t('unit.none_linked')),
        );
      replace(
        panelBody,
        h('h2', { class: 'panel-title', 'data-testid': 'unit-name' }, u.name),
        h('div', { class: 'badges' }, badge(levelLabel(u.level), 'level'), geomBadge(u.geom_source) ?? ''),
        u.geom_source === 'illustrative' ? h('p', { class: 'small muted' }, t('geom.illustrative_note')) : '',
        state.series && value !== undefined
          ? h('p', { class: 'panel-figure' }, `${t('map.figure_value', { year: state.year })}: `, h('strong', null, value === null ? t('common.none') : fmtMeasure(value, s?.measure_unit, 3)), ` — ${seriesName(s, state.series)}`)
          : '',
        unitFacts(u),
        links(t('unit.predecessors'), u.predecessors ?? []),
        links(t('unit.successors'), u.successors ?? []),
        h('p', null, link(`/units/${u.id}?as_of=${state.as_of}`, { class: 'btn btn-small' }, `${t('unit.view_details')} ›`)),
      );
    } catch (err) {
      if (mine === unitSeq) replace(panelBody, errorBox(err));
    }
  }

  // ---- the map ----
  base = createMap(mapEl, { fallback: link('/units', null, t('nav.units')), handle: 'nongsanMap' });
  if (base) {
    const m = base.map;
    void base.loaded.then(() => {
      addUnitLayers(m, 'units', fc, {
        lineWidth: ['interpolate', ['linear'], ['zoom'], 7, 0.6, 12, 1.6],
        highlight: { filter: idFilter(state.unit), color: '#b3261e', width: 3 },
      });
      mapReady = true;
      fit(m, boundsOf(fc.features.map((f) => f.geometry)), fitPadding());
    });
    onFeatureClick(m, ['units-fill'], (_layer, f) => select_(Number(f.properties.id)), { liftOnPhone: 0.25 });
    hoverLabel(m, 'units-fill', (p) => (p.value !== undefined && p.value !== null && state.series ? `${p.name}: ${fmtMeasure(Number(p.value), seriesList.find((x) => x.code === state.series)?.measure_unit, 3)}` : String(p.name)));
  }

  hint();
  void (async () => {
    try {
      if (!can('figures.read')) throw new Error('no figures.read');
      seriesList = await loadSeries();
      for (const s of seriesList) seriesSel.append(h('option', { value: s.code }, `${seriesName(s, s.code)} (${measureLabel(s.measure_unit)})`));
      seriesSel.value = state.series;
      if (seriesSel.value !== state.series) state.series = '';
    } catch {
      // Without series the map still shows units; the choropleth is optional.
    }
    if (base) await base.loaded;
    await loadUnits(true);
  })();

  return () => base?.destroy();
}
