// Thích nghi đất đai (land suitability, FAO framework). Three tabs:
// - map: the class map of a crop (server-rendered tiles), the production zones
//   outlined (red where more than 30 % of the zone is S3/N), a legend, and a click
//   that shows each factor's value, class and rating, the class and the limiting
//   factor;
// - profile: the crop profile editor (method, thresholds, factor intervals, codes,
//   ratings) with "re-evaluate the chosen area" before saving;
// - reports: zones on unsuitable land and candidate land per commune, with downloads.
// Badges: "chưa có nguồn" for factors without a source, "minh họa" for illustrative layers.
import type { MapMouseEvent } from 'maplibre-gl';
import type { BaseMap, MapLibreMap } from '../lib/map';
import { ApiError, api, request } from '../lib/api';
import { h, replace } from '../lib/dom';
import { navigate, type Route } from '../lib/router';
import { can } from '../lib/session';
import { badge, errorBox, loading, select, mapPanel } from '../lib/ui';
import { fmtNumber, lang, t, type MessageKey } from '../i18n';
import { loadCommunes, loadZones, type FeatureCollection } from '../lib/registry';
import { factorCategory, factorUnit, factorUnitShort } from '../lib/measures';
import { CLASSES, CLASS_COLORS, classChip, classLabel, layerLabel } from '../lib/suitability';




interface ProfileSummary {
  crop: string;
  name_vi: string;
  name_en?: string;
  commodity: string;
  method: string;
  version: number;
  sourced: boolean;
  unsourced_factors?: string[];
  layers?: string[];
}
type Interval = [number, number];
interface FactorJson {
  layer: string;
  type: 'continuous' | 'categorical';
  unit?: string;
  /** Vietnamese names the server may send beside the data's English ones. */
  unit_vi?: string;
  legend_vi?: Record<string, string>;
  S1?: (Interval | number)[];
  S2?: (Interval | number)[];
  S3?: (Interval | number)[];
  N?: number[];
  legend?: Record<string, string>;
  advisory?: boolean;
  source?: string;
  [k: string]: unknown;
}
interface ProfileJson {
  crop: string;
  name_vi?: string;
  method: string;
  factors: FactorJson[];
  class_thresholds?: number[];
  ratings?: Record<string, [number, number][]>;
  [k: string]: unknown;
}
interface MapInfo {
  crop: string;
  bounds?: [number, number, number, number];
  illustrative: boolean;
  sourced: boolean;
  version: number;
  error?: string;
  layers: { layer: string; registered: boolean; illustrative: boolean; sourced: boolean; advisory: boolean }[];
}
interface PointFactor {
  layer: string;
  type: string;
  unit: string;
  unit_vi?: string;
  value: number | null;
  label?: string;
  label_vi?: string;
  class: string;
  rating: number | null;
  advisory: boolean;
  sourced: boolean;
  illustrative: boolean;
}
interface PointResult {
  inside: boolean;
  class: string;
  limiting_factor?: string | null;
  index?: number | null;
  method?: string;
  factors: PointFactor[];
}
interface Hectares {
  S1: number;
  S2: number;
  S3: number;
  N: number;
  nodata: number;
}
interface AreaResult {
  area: string;
  area_ha: number;
  hectares: Hectares;
  limiting: { factor: string; ha: number }[];
  image?: string;
  image_corners?: [number, number][];
}
type Row = Record<string, string>;

function num(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : fmtNumber(Number(v.toFixed(digits)));
}
function cropName(p: ProfileSummary): string {
  return (lang() === 'en' ? p.name_en : p.name_vi) || p.name_vi || p.crop;
}

function legend(): HTMLElement {
  return h(
    'div',
    { class: 'map-legend suit-legend', 'data-testid': 'suit-legend' },
    h('div', { class: 'legend-title' }, t('suit.legend')),
    ...CLASSES.map((c) => h('div', { class: 'legend-row', 'data-class': c }, h('span', { class: 'swatch', style: { background: CLASS_COLORS[c] } }), `${c} · ${classLabel(c)}`)),
    h('div', { class: 'legend-row' }, h('span', { class: 'swatch', style: { background: 'transparent', border: '2px solid #b3261e' } }), t('suit.legend_zone_flagged')),
    h('div', { class: 'legend-row' }, h('span', { class: 'swatch', style: { background: 'transparent', border: '2px solid #37474f' } }), t('suit.legend_zone')),
    h('div', { class: 'legend-row' }, h('span', { class: 'swatch', style: { background: '#6a1b9a' } }), t('suit.candidates_layer')),
  );
}

function flags(info: MapInfo | null, p: ProfileSummary | undefined): HTMLElement {
  const items: HTMLElement[] = [];
  if (p && p.unsourced_factors && p.unsourced_factors.length)
    items.push(badge(t('suit.unsourced'), 'warn', t('suit.unsourced_title', { layers: p.unsourced_factors.join(', ') })));
  if (info?.illustrative) items.push(badge(t('suit.illustrative'), 'warn', t('suit.illustrative_title')));
  const el = h('div', { class: 'badges', 'data-testid': 'suit-flags' }, ...items);
  return el;
}

// ---- page ------------------------------------------------------------------

export async function renderSuitability(root: HTMLElement, route: Route): Promise<() => void> {
  document.title = `${t('nav.suitability')} · nongsan`;
  replace(root, loading());
  let profiles: ProfileSummary[] = [];
  try {
    profiles = (await api.get<{ items: ProfileSummary[] }>('/api/v1/suitability/profiles')).items;
  } catch (err) {
    replace(root, errorBox(err));
    return () => {};
  }
  const tab = (['map', 'profile', 'reports'].includes(route.query.get('tab') ?? '') ? route.query.get('tab') : 'map') as 'map' | 'profile' | 'reports';
  let crop = route.query.get('crop') ?? '';
  if (!profiles.some((p) => p.crop === crop)) crop = profiles.find((p) => p.crop === 'tea')?.crop ?? profiles[0]?.crop ?? '';

  const tabs = (['map', 'profile', 'reports'] as const).map((k) => {
    const b = h('button', { type: 'button', class: 'seg-btn', 'aria-pressed': String(k === tab), 'data-testid': `suit-tab-${k}` }, t(`suit.tab_${k}` as MessageKey));
    b.addEventListener('click', () => navigate(`/suitability?tab=${k}&crop=${encodeURIComponent(crop)}`));
    return b;
  });
  const cropSel = select('crop', profiles.map((p) => ({ value: p.crop, label: cropName(p) })), crop, { 'data-testid': 'suit-crop', 'aria-label': t('suit.crop') });
  cropSel.addEventListener('change', () => navigate(`/suitability?tab=${tab}&crop=${encodeURIComponent(cropSel.value)}`));
  const body = h('div', { class: 'suit-body' });
  let cleanup: () => void = () => {};

  if (!profiles.length) {
    replace(root, h('div', { class: 'page' }, h('h1', {}, t('nav.suitability')), h('p', { class: 'alert alert-info' }, t('suit.no_profiles'))));
    return () => {};
  }
  const toolbar = h(
    'div',
    { class: 'map-toolbar suit-toolbar' },
    h('h1', { class: 'suit-title' }, t('nav.suitability')),
    h('div', { class: 'seg', role: 'group', 'aria-label': t('suit.tabs') }, ...tabs),
    h('label', { class: 'suit-crop-label' }, h('span', { class: 'seg-label' }, t('suit.crop')), cropSel),
  );
  const summary = profiles.find((p) => p.crop === crop);
  replace(root, h('div', { class: tab === 'map' ? 'map-page suit-page' : 'suit-page' }, toolbar, body));
  if (tab === 'map') {
    root.classList.add('page-map');
    cleanup = renderMapTab(body, toolbar, crop, summary);
  } else {
    root.classList.remove('page-map');
    body.classList.add('page', 'suit-scroll');
    if (tab === 'profile') await renderProfileTab(body, crop, summary);
    else await renderReportsTab(body, crop, profiles);
  }
  return () => cleanup();
}

// ---- map tab ----------------------------------------------------------------

function renderMapTab(body: HTMLElement, toolbar: HTMLElement, crop: string, summary: ProfileSummary | undefined): () => void {
  const mapEl = h('div', { class: 'map-canvas', 'data-testid': 'suit-map' });
  const status = h('div', { class: 'map-status muted small', 'data-testid': 'suit-status' });
  const { panel, body: panelBody } = mapPanel(t('suit.point_title'), 'suit-panel', () => {
    panel.classList.remove('has-unit');
    replace(panelBody, h('p', { class: 'muted' }, t('suit.click_hint')));
  });
  replace(panelBody, h('p', { class: 'muted' }, t('suit.click_hint')));
  const flagSlot = h('div', { class: 'suit-flag-slot' });
  const candBox = h('input', { type: 'checkbox', name: 'candidates', 'data-testid': 'suit-candidates-toggle' });
  const candToggle = h('label', { class: 'check suit-cand-toggle' }, candBox, t('suit.candidates_layer'));
  toolbar.append(candToggle, flagSlot);
  body.classList.add('map-area');
  replace(body, h('div', { class: 'map-wrap' }, mapEl, legend(), status), panel);

  let map: MapLibreMap | null = null;
  let base: BaseMap | null = null;
  let mapLib: typeof import('../lib/map') | null = null;
  let disposed = false;
  void (async () => {
    let info: MapInfo | null = null;
    try {
      info = await api.get<MapInfo>(`/api/v1/suitability/${encodeURIComponent(crop)}/map`);
    } catch (err) {
      replace(status, errorBox(err));
      return;
    }
    if (disposed) return;
    replace(flagSlot, flags(info, summary));
    if (info.error) replace(status, h('span', { class: 'alert alert-warn' }, info.error));
    // MapLibre is loaded for this tab only: the profile and report tabs never need it.
    const lib = await import('../lib/map');
    mapLib = lib;
    if (disposed) return;
    base = lib.createMap(mapEl, { bounds: info.bounds ? [[info.bounds[0], info.bounds[1]], [info.bounds[2], info.bounds[3]]] : undefined, zoom: 8, maxZoom: 16 });
    if (!base) return;
    map = base.map;
    const m = map;
    void base.loaded.then(async () => {
      m.addSource('classes', {
        type: 'raster',
        tiles: [`${location.origin}/api/v1/suitability/${encodeURIComponent(crop)}/tiles/{z}/{x}/{y}.png?v=${info?.version ?? 0}`],
        tileSize: 256,
        minzoom: 5,
        maxzoom: 14,
      });
      m.addLayer({ id: 'classes', type: 'raster', source: 'classes', paint: { 'raster-opacity': 0.9, 'raster-resampling': 'nearest' } });
      lib.addGeoJSON(m, 'zones');
      m.addLayer({ id: 'zones-line', type: 'line', source: 'zones', paint: { 'line-color': ['case', ['get', 'flagged'], '#b3261e', '#37474f'], 'line-width': ['case', ['get', 'flagged'], 2.6, 1.4] } });
      lib.addGeoJSON(m, 'candidates');
      lib.addGeoJSON(m, 'candidate-points');
      m.addLayer({ id: 'candidates-fill', type: 'fill', source: 'candidates', layout: { visibility: 'none' }, paint: { 'fill-color': '#6a1b9a', 'fill-opacity': 0.55 } });
      m.addLayer({ id: 'candidates-line', type: 'line', source: 'candidates', layout: { visibility: 'none' }, paint: { 'line-color': '#4a148c', 'line-width': 1.5 } });
      m.addLayer({ id: 'candidates-point', type: 'circle', source: 'candidate-points', maxzoom: 13, layout: { visibility: 'none' }, paint: { 'circle-radius': 3.5, 'circle-color': '#6a1b9a', 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } });
      lib.addGeoJSON(m, 'pick');
      m.addLayer({ id: 'pick', type: 'circle', source: 'pick', paint: { 'circle-radius': 6, 'circle-color': '#fff', 'circle-stroke-color': '#111', 'circle-stroke-width': 2 } });
      try {
        const [zones, summaryRows] = await Promise.all([
          api.get<FeatureCollection<{ id: number; code: string; name: string; commodity: string }>>('/api/v1/map/zones'),
          api.get<{ items: Row[] }>('/api/v1/suitability/zones', { crop }),
        ]);
        const share = new Map(summaryRows.items.map((r) => [r.zone, Number(r.S3_N_share)]));
        const fc = {
          type: 'FeatureCollection',
          features: (zones.features ?? [])
            .filter((f) => f.geometry)
            .map((f) => ({ ...f, properties: { ...f.properties, flagged: (share.get(f.properties.code) ?? 0) > 0.3 } })),
        };
        lib.setData(m, 'zones', fc);
        const flagged = fc.features.filter((f) => f.properties.flagged).length;
        replace(status, t('suit.zones_status', { n: fmtNumber(summaryRows.items.length), flagged: fmtNumber(flagged) }));
      } catch {
        replace(status, '');
      }
      m.once('idle', () => (mapEl.dataset.idle = 'true'));
    });
    m.on('click', (ev: MapMouseEvent) => void showPoint(ev.lngLat.lng, ev.lngLat.lat));
  })();

  // The candidate-land report for this crop as a map layer: idle or inefficient rice
  // parcels that are S1/S2 for it (a dot each at low zoom).
  let candLoaded = false;
  candBox.addEventListener('change', async () => {
    const m = map;
    if (!m) return;
    const vis = candBox.checked ? 'visible' : 'none';
    for (const id of ['candidates-fill', 'candidates-line', 'candidates-point']) m.setLayoutProperty(id, 'visibility', vis);
    if (!candBox.checked || candLoaded) return;
    try {
      const fc = await api.get<{ type: 'FeatureCollection'; features: { properties: Row; geometry: { type: string; coordinates: number[][][] | number[][][][] } | null }[] }>(
        '/api/v1/suitability/reports/candidate-land',
        { crop, format: 'geojson' },
      );
      const feats = fc.features.filter((f) => f.geometry);
      const points = feats.map((f) => {
        const rings = (f.geometry!.type === 'Polygon' ? f.geometry!.coordinates : (f.geometry!.coordinates as number[][][][]).flat()) as number[][][];
        const xs = rings[0].map((p) => p[0]), ys = rings[0].map((p) => p[1]);
        return { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2] } };
      });
      mapLib?.setData(m, 'candidates', { type: 'FeatureCollection', features: feats });
      mapLib?.setData(m, 'candidate-points', { type: 'FeatureCollection', features: points });
      let ha = 0;
      for (const f of feats) ha += Number(f.properties.hectares) || 0;
      candLoaded = true;
      replace(status, t('suit.candidates_status', { n: fmtNumber(feats.length), ha: num(ha, 1) }));
      status.dataset.candidates = String(feats.length);
    } catch (err) {
      replace(status, errorBox(err));
    }
  });

  async function showPoint(lon: number, lat: number): Promise<void> {
    mapLib?.setData(map, 'pick', { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [lon, lat] } }] });
    panel.classList.add('has-unit');
    replace(panelBody, loading());
    try {
      const r = await api.get<PointResult>(`/api/v1/suitability/${encodeURIComponent(crop)}/point`, { lon: lon.toFixed(6), lat: lat.toFixed(6) });
      replace(panelBody, pointPanel(r, lon, lat));
    } catch (err) {
      replace(panelBody, errorBox(err));
    }
  }
  return () => {
    disposed = true;
    base?.destroy();
  };
}

function pointPanel(r: PointResult, lon: number, lat: number): HTMLElement {
  if (!r.inside) return h('div', { 'data-testid': 'suit-point' }, h('p', { class: 'muted' }, t('suit.outside')));
  const rows = r.factors.map((f) =>
    h(
      'tr',
      { 'data-layer': f.layer },
      h('td', { title: f.layer }, layerLabel(f.layer), f.advisory ? h('span', { class: 'muted small' }, ` (${t('suit.advisory')})`) : '', !f.sourced ? h('span', { class: 'badge badge-warn', title: t('suit.unsourced') }, '!') : ''),
      h('td', { class: 'num', title: factorUnit(f.unit, f.unit_vi) }, f.label ? `${factorCategory(f.label, f.label_vi)} (${f.value})` : `${num(f.value, 1)} ${factorUnitShort(f.unit)}`.trim()),
      h('td', {}, classChip(f.class)),
      h('td', { class: 'num' }, num(f.rating, 0)),
    ),
  );
  return h(
    'div',
    { 'data-testid': 'suit-point' },
    h('h2', { class: 'suit-point-title' }, t('suit.point_title')),
    h('p', { class: 'small muted' }, `${lat.toFixed(5)}, ${lon.toFixed(5)}`),
    h(
      'p',
      { class: 'suit-overall', 'data-testid': 'suit-point-class', 'data-class': r.class },
      classChip(r.class),
      ' ',
      h('strong', {}, classLabel(r.class)),
      r.limiting_factor ? h('span', {}, ` — ${t('suit.limiting')}: `, h('strong', { 'data-testid': 'suit-limiting', title: r.limiting_factor }, layerLabel(r.limiting_factor))) : '',
      r.index !== null && r.index !== undefined ? h('span', {}, ` · ${t('suit.index')} ${num(r.index, 1)}`) : '',
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h('table', { class: 'table suit-factors' }, h('thead', {}, h('tr', {}, h('th', {}, t('suit.factor')), h('th', { class: 'num' }, t('suit.value')), h('th', {}, t('suit.class')), h('th', { class: 'num' }, t('suit.rating')))), h('tbody', {}, ...rows)),
    ),
    r.factors.some((f) => f.illustrative) ? h('p', { class: 'small muted' }, badge(t('suit.illustrative'), 'warn'), ' ', t('suit.illustrative_title')) : '',
  );
}

// ---- profile tab --------------------------------------------------------------

function fmtIntervals(v: (Interval | number)[] | undefined, categorical: boolean): string {
  if (!v) return '';
  if (categorical) return (v as number[]).join(', ');
  return (v as Interval[]).map(([a, b]) => `${a}–${b}`).join('; ');
}
function parseIntervals(s: string, categorical: boolean): (Interval | number)[] | null {
  const t2 = s.trim();
  if (!t2) return [];
  if (categorical) {
    const out = t2.split(/[,;\s]+/).filter(Boolean).map(Number);
    return out.some((x) => !Number.isInteger(x)) ? null : out;
  }
  const out: Interval[] = [];
  for (const part of t2.split(';')) {
    const m = part.trim().match(/^(-?\d+(?:[.,]\d+)?)\s*(?:–|-|\.\.)\s*(-?\d+(?:[.,]\d+)?)$/);
    if (!m) return null;
    out.push([Number(m[1].replace(',', '.')), Number(m[2].replace(',', '.'))]);
  }
  return out;
}
function fmtRatings(r: [number, number][] | undefined): string {
  return r ? r.map(([x, y]) => `${x}:${y}`).join(', ') : '';
}
function parseRatings(s: string): [number, number][] | null {
  const t2 = s.trim();
  if (!t2) return [];
  const out: [number, number][] = [];
  for (const part of t2.split(',')) {
    const m = part.trim().match(/^(-?\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)$/);
    if (!m) return null;
    out.push([Number(m[1]), Number(m[2])]);
  }
  return out;
}

async function renderProfileTab(body: HTMLElement, crop: string, summary: ProfileSummary | undefined): Promise<void> {
  replace(body, loading());
  let doc: ProfileJson;
  try {
    doc = (await api.get<{ profile: ProfileJson }>(`/api/v1/suitability/profiles/${encodeURIComponent(crop)}`)).profile;
  } catch (err) {
    replace(body, errorBox(err));
    return;
  }
  const writable = can('suitability.write');
  const methodSel = select('method', ['limiting', 'storie', 'square_root'].map((m) => ({ value: m, label: t(`suit.method_${m}` as MessageKey) })), doc.method, { 'data-testid': 'suit-method' });
  const th = (doc.class_thresholds ?? [75, 50, 25]).map((v, i) => h('input', { type: 'number', name: `threshold${i}`, value: String(v), step: 'any', class: 'suit-num', 'aria-label': `${t('suit.thresholds')} ${CLASSES[i]}` }));
  interface FactorInputs {
    f: FactorJson;
    cells: Record<string, HTMLInputElement>;
    ratings: HTMLInputElement;
  }
  const inputs: FactorInputs[] = [];
  const rows = doc.factors.map((f) => {
    const cat = f.type === 'categorical';
    const cells: Record<string, HTMLInputElement> = {};
    for (const c of cat ? ['S1', 'S2', 'S3', 'N'] : ['S1', 'S2', 'S3'])
      cells[c] = h('input', { type: 'text', name: `${f.layer}.${c}`, value: fmtIntervals(f[c as 'S1'] as (Interval | number)[] | undefined, cat), 'data-testid': `suit-f-${f.layer}-${c}`, 'aria-label': `${layerLabel(f.layer)} ${c}` });
    const ratings = h('input', { type: 'text', name: `${f.layer}.ratings`, value: cat ? '' : fmtRatings(doc.ratings?.[f.layer]), disabled: cat, 'aria-label': `${layerLabel(f.layer)} ${t('suit.ratings')}` });
    inputs.push({ f, cells, ratings });
    const legendText = cat && f.legend ? Object.entries(f.legend).map(([k, v]) => `${k}=${factorCategory(v, f.legend_vi?.[k])}`).join(', ') : '';
    return h(
      'tr',
      { 'data-layer': f.layer },
      h('td', { title: f.layer }, h('strong', {}, layerLabel(f.layer)), h('div', { class: 'small muted' }, cat ? t('suit.categorical') : factorUnit(f.unit, f.unit_vi)), !f.source ? badge(t('suit.unsourced'), 'warn') : '', f.advisory ? h('div', { class: 'small muted' }, t('suit.advisory')) : '', legendText ? h('div', { class: 'small muted suit-legend-text' }, legendText) : ''),
      h('td', {}, cells.S1),
      h('td', {}, cells.S2),
      h('td', {}, cells.S3),
      h('td', {}, cat ? cells.N : h('span', { class: 'muted small' }, t('suit.rest_is_n'))),
      h('td', {}, ratings),
    );
  });

  // The area to re-evaluate: a zone or a commune.
  const areaKind = select('area_kind', [{ value: 'zone', label: t('suit.area_zone') }, { value: 'commune', label: t('suit.area_commune') }], 'zone', { 'data-testid': 'suit-area-kind' });
  const areaSel = select('area', [], '', { 'data-testid': 'suit-area' });
  async function fillAreas(): Promise<void> {
    if (areaKind.value === 'zone') {
      const zones = await loadZones();
      const mine = zones.filter((z) => z.commodity === (summary?.commodity ?? crop));
      const list = (mine.length ? mine : zones).map((z) => ({ value: z.code, label: z.name }));
      replace(areaSel, ...list.map((o) => h('option', { value: o.value }, o.label)));
    } else {
      const communes = await loadCommunes();
      replace(areaSel, ...communes.map((c) => h('option', { value: c.code }, c.name)));
    }
  }
  areaKind.addEventListener('change', () => void fillAreas());
  await fillAreas().catch(() => undefined);

  const result = h('div', { class: 'suit-area-result', 'data-testid': 'suit-area-result', 'aria-live': 'polite' });
  const errors = h('div', { class: 'suit-errors', 'data-testid': 'suit-errors' });
  const evalBtn = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'suit-evaluate' }, t('suit.reevaluate'));
  const saveBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'suit-save', disabled: !writable, title: writable ? '' : t('suit.read_only') }, t('suit.save'));
  const noteIn = h('input', { type: 'text', name: 'note', placeholder: t('suit.note'), 'aria-label': t('suit.note') });

  function collect(): ProfileJson | null {
    const bad: string[] = [];
    const out: ProfileJson = JSON.parse(JSON.stringify(doc));
    out.method = methodSel.value;
    out.class_thresholds = th.map((i) => Number(i.value));
    out.ratings = { ...(doc.ratings ?? {}) };
    inputs.forEach(({ f, cells, ratings }, i) => {
      const cat = f.type === 'categorical';
      for (const [c, el] of Object.entries(cells)) {
        const v = parseIntervals(el.value, cat);
        el.classList.toggle('is-invalid', v === null);
        if (v === null) bad.push(`${f.layer} ${c}`);
        else (out.factors[i] as Record<string, unknown>)[c] = v;
      }
      if (!cat) {
        const r = parseRatings(ratings.value);
        ratings.classList.toggle('is-invalid', r === null);
        if (r === null) bad.push(`${f.layer} ${t('suit.ratings')}`);
        else if (r.length) out.ratings![f.layer] = r;
        else delete out.ratings![f.layer];
      }
    });
    if (bad.length) {
      replace(errors, h('div', { class: 'alert alert-error', role: 'alert' }, t('suit.bad_input', { fields: bad.join(', ') })));
      return null;
    }
    replace(errors);
    return out;
  }
  function showErrors(err: unknown): void {
    if (err instanceof ApiError && err.fieldErrors.length)
      replace(errors, h('div', { class: 'alert alert-error', role: 'alert' }, h('p', {}, err.message), h('ul', {}, ...err.fieldErrors.map((e) => h('li', {}, h('code', {}, e.field), ': ', e.message)))));
    else replace(errors, errorBox(err));
  }
  evalBtn.addEventListener('click', async () => {
    const p = collect();
    if (!p) return;
    replace(result, loading());
    try {
      const r = await api.post<AreaResult>('/api/v1/suitability/evaluate-area', { profile: p, [areaKind.value]: areaSel.value });
      replace(result, areaResult(r));
    } catch (err) {
      replace(result);
      showErrors(err);
    }
  });
  saveBtn.addEventListener('click', async () => {
    const p = collect();
    if (!p) return;
    try {
      const r = await request<{ version: number }>('PUT', `/api/v1/suitability/profiles/${encodeURIComponent(crop)}`, { body: { profile: p, note: noteIn.value } });
      doc = p;
      replace(errors, h('div', { class: 'alert alert-ok', role: 'status', 'data-testid': 'suit-saved' }, t('suit.saved', { version: String(r.version) })));
    } catch (err) {
      showErrors(err);
    }
  });

  replace(
    body,
    h('div', { class: 'page-head' }, h('h2', {}, `${summary ? cropName(summary) : crop}`), h('div', { class: 'badges' }, badge(`v${summary?.version ?? ''}`, 'neutral'), summary && !summary.sourced ? badge(t('suit.unsourced'), 'warn') : '')),
    h(
      'div',
      { class: 'suit-form-row' },
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('suit.method')), methodSel),
      h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('suit.thresholds')), h('div', { class: 'suit-thresholds' }, ...th)),
    ),
    h('p', { class: 'small muted' }, t('suit.editor_help')),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table suit-editor' },
        h('thead', {}, h('tr', {}, h('th', {}, t('suit.factor')), h('th', {}, 'S1'), h('th', {}, 'S2'), h('th', {}, 'S3'), h('th', {}, 'N'), h('th', {}, t('suit.ratings')))),
        h('tbody', {}, ...rows),
      ),
    ),
    h(
      'div',
      { class: 'suit-actions' },
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('suit.area')), h('div', { class: 'suit-area-pick' }, areaKind, areaSel)),
      evalBtn,
      noteIn,
      saveBtn,
    ),
    errors,
    result,
  );
}

function areaResult(r: AreaResult): HTMLElement {
  const total = CLASSES.reduce((s, c) => s + r.hectares[c], 0) + r.hectares.nodata;
  const bar = h('div', { class: 'suit-bar', 'aria-hidden': 'true' }, ...CLASSES.map((c) => h('span', { style: { width: `${total ? (100 * r.hectares[c]) / total : 0}%`, background: CLASS_COLORS[c] } })));
  return h(
    'div',
    { class: 'suit-area-box' },
    h('h3', {}, t('suit.area_result', { area: r.area, ha: num(r.area_ha, 1) })),
    bar,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table' },
        h('thead', {}, h('tr', {}, h('th', {}, t('suit.class')), h('th', { class: 'num' }, 'ha'))),
        h('tbody', {}, ...CLASSES.map((c) => h('tr', { 'data-class': c }, h('td', {}, classChip(c), ' ', classLabel(c)), h('td', { class: 'num', 'data-testid': `suit-ha-${c}` }, num(r.hectares[c], 1)))), h('tr', {}, h('td', {}, t('suit.class_nodata')), h('td', { class: 'num' }, num(r.hectares.nodata, 1)))),
      ),
    ),
    r.limiting.length ? h('p', { class: 'small' }, `${t('suit.limiting')}: `, r.limiting.slice(0, 4).map((l) => `${layerLabel(l.factor)} ${num(l.ha, 1)} ha`).join('; ')) : '',
    r.image ? h('img', { src: r.image, alt: t('suit.class_image'), class: 'suit-image', 'data-testid': 'suit-area-image' }) : '',
  );
}

// ---- reports tab ---------------------------------------------------------------

const COLUMN_KEYS: Record<string, MessageKey> = {
  zone: 'suit.col_zone',
  name: 'suit.col_name',
  crop: 'suit.crop',
  commune: 'suit.area_commune',
  S3_N_share: 'suit.col_share',
  limiting_factors: 'suit.limiting',
  hectares: 'suit.col_hectares',
  parcels: 'suit.col_parcels',
};
function colLabel(c: string): string {
  if (COLUMN_KEYS[c]) return t(COLUMN_KEYS[c]);
  const m = c.match(/^(S1|S2|S3|N)_ha$/);
  return m ? `${m[1]} (ha)` : c;
}

/** The report's "slope 129.06 ha; drainage 54.00 ha" in the user's words and number convention. */
function limitingText(s: string): string {
  return s
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([a-z_]+)\s+(-?\d+(?:\.\d+)?)\s*ha$/.exec(part);
      return m ? `${layerLabel(m[1])} ${num(Number(m[2]), 1)} ha` : layerLabel(part);
    })
    .join('; ');
}

function table(columns: string[], rows: Row[], names: Map<string, string>, limit = 200): HTMLElement {
  const numeric = (c: string) => /_ha$|share|hectares|parcels/.test(c);
  const cell = (r: Row, c: string) =>
    c === 'crop' ? names.get(r[c]) ?? r[c] : c === 'limiting_factors' ? limitingText(r[c] ?? '') : numeric(c) && r[c] ? fmtNumber(Number(r[c])) : r[c] ?? '';
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table table-stack suit-report' },
      h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { class: numeric(c) ? 'num' : '' }, colLabel(c))))),
      h('tbody', {}, ...rows.slice(0, limit).map((r) => h('tr', {}, ...columns.map((c) => h('td', { class: numeric(c) ? 'num' : '', 'data-label': colLabel(c) }, cell(r, c)))))),
    ),
  );
}

async function renderReportsTab(body: HTMLElement, crop: string, profiles: ProfileSummary[]): Promise<void> {
  const names = new Map(profiles.map((p) => [p.crop, cropName(p)]));
  const shareIn = h('input', { type: 'number', name: 'min_share', value: '0.3', min: '0', max: '1', step: '0.05', class: 'suit-num', 'data-testid': 'suit-min-share', 'aria-label': t('suit.min_share') });
  const allCrops = h('input', { type: 'checkbox', name: 'all', checked: true, 'data-testid': 'suit-all-crops' });
  const zoneBox = h('div', { 'data-testid': 'suit-zone-report' }, loading());
  const candBox = h('div', { 'data-testid': 'suit-candidates' }, loading());
  const dl = (href: string, label: string) => h('a', { href, class: 'btn btn-small', download: '' }, label);
  const zoneLinks = h('span', { class: 'suit-downloads' });
  async function loadZonesReport(): Promise<void> {
    const q: Record<string, string> = { min_share: shareIn.value || '0.3' };
    if (!allCrops.checked) q.crop = crop;
    const qs = new URLSearchParams(q).toString();
    replace(zoneLinks, dl(`/api/v1/suitability/reports/zone-suitability?${qs}&format=csv`, 'CSV'), ' ', dl(`/api/v1/suitability/reports/zone-suitability?${qs}&format=gpkg`, 'GeoPackage'));
    replace(zoneBox, loading());
    try {
      const r = await api.get<{ columns: string[]; items: Row[] }>('/api/v1/suitability/reports/zone-suitability', q);
      const cols = ['zone', 'name', 'crop', 'commune', 'S1_ha', 'S2_ha', 'S3_ha', 'N_ha', 'S3_N_share', 'limiting_factors'];
      replace(zoneBox, r.items.length ? table(cols, r.items, names) : h('p', { class: 'muted' }, t('suit.no_zones_flagged')), h('p', { class: 'small muted' }, t('suit.rows', { n: fmtNumber(r.items.length) })));
    } catch (err) {
      replace(zoneBox, errorBox(err));
    }
  }
  shareIn.addEventListener('change', () => void loadZonesReport());
  allCrops.addEventListener('change', () => void loadZonesReport());
  void loadZonesReport();
  void (async () => {
    try {
      const r = await api.get<{ parcels: Row[]; totals: Row[] }>('/api/v1/suitability/reports/candidate-land');
      const byCrop = new Map<string, number>();
      for (const row of r.totals) byCrop.set(row.crop, (byCrop.get(row.crop) ?? 0) + Number(row.hectares));
      replace(
        candBox,
        h('p', {}, ...[...byCrop.entries()].sort((a, b) => b[1] - a[1]).map(([c, v]) => h('span', { class: 'badge badge-neutral suit-crop-total' }, `${names.get(c) ?? c}: ${num(v, 1)} ha`))),
        table(['commune', 'crop', 'hectares', 'parcels'], r.totals, names),
        h('p', { class: 'small muted' }, t('suit.rows', { n: fmtNumber(r.totals.length) }), ' · ', t('suit.candidate_parcels', { n: fmtNumber(r.parcels.length) })),
      );
    } catch (err) {
      replace(candBox, errorBox(err));
    }
  })();
  replace(
    body,
    h('section', { class: 'suit-section' },
      h('div', { class: 'page-head' }, h('h2', {}, t('suit.report_zones')), zoneLinks),
      h('p', { class: 'small muted' }, t('suit.report_zones_help')),
      h('div', { class: 'suit-form-row' }, h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('suit.min_share')), shareIn), h('label', { class: 'check' }, allCrops, t('suit.all_crops'))),
      zoneBox,
    ),
    h('section', { class: 'suit-section' },
      h('div', { class: 'page-head' }, h('h2', {}, t('suit.report_candidates')), h('span', { class: 'suit-downloads' }, dl('/api/v1/suitability/reports/candidate-land?format=csv', 'CSV'), ' ', dl('/api/v1/suitability/reports/candidate-land?format=csv&table=totals', t('suit.totals_csv')), ' ', dl('/api/v1/suitability/reports/candidate-land?format=gpkg', 'GeoPackage'))),
      h('p', { class: 'small muted' }, t('suit.report_candidates_help')),
      candBox,
    ),
  );
}
