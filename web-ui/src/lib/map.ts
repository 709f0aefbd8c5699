// The one place MapLibre is set up: the plain base style (no tiles, fonts or
// glyphs are fetched from anywhere), the unit layers, fitting to bounds, the
// zoom buttons, hover labels and clicks, the "illustrative" legend note, the
// choropleth classes and the fallback when the browser has no WebGL.
//
// Only pages that draw a map import this module, and only through a dynamic
// import(), so MapLibre (about 1.5 MB with its worker) stays out of every other
// page's bundle. It must not import any page.
import { Map as MapLibreMap, NavigationControl, Popup, setWorkerUrl, type GeoJSONSource, type MapLayerMouseEvent, type StyleSpecification } from 'maplibre-gl';
// Bundled by Vite as an ES module worker with a .js name, so any server gives it a JavaScript MIME type.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { h, replace } from './dom';
import { icon } from './icons';
import { shapeBounds } from './shapes';
import { t } from '../i18n';
import type { Geometry } from './registry';

setWorkerUrl(workerUrl);

export type { MapLibreMap, MapLayerMouseEvent };
export type Bounds = [[number, number], [number, number]];
export type Padding = number | { top: number; bottom: number; left: number; right: number };
type GeoJSONData = Parameters<GeoJSONSource['setData']>[0];

/** The background every map shares: the province drawn from our own layers on a plain ground. */
export const BACKGROUND = '#eef2ea';
const BASE_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } }],
};
/** Lai Châu, when there is nothing yet to fit to. */
const PROVINCE_CENTRE: [number, number] = [103.3, 22.3];

/** The sequential green ramp of the choropleths (overview map, indicator map). */
export const RAMP = ['#edf8e9', '#bae4b3', '#74c476', '#31a354', '#006d2c'];
export const NO_VALUE = '#e0e0e0';

/** A phone-sized screen: details open as a sheet over the lower part of the map. */
export const isPhone = (): boolean => window.matchMedia('(max-width: 860px)').matches;

export interface BaseMapOptions {
  /** Shown beside the "no WebGL" message: where the same data can be read without a map. */
  fallback?: Node;
  zoom?: number;
  maxZoom?: number;
  bounds?: Bounds;
  /** On a phone, one finger scrolls the page and two move the map (a map inside a long page). */
  cooperative?: boolean;
  /** The window property tests reach the map by (e.g. `nongsanMap`). */
  handle?: string;
}

export interface BaseMap {
  map: MapLibreMap;
  /** Resolves once the style is loaded and layers may be added. */
  loaded: Promise<void>;
  /** Removes the map, its popups and listeners. */
  destroy(): void;
}

/**
 * A map on `container` with the base style, no rotation or pitch, and zoom
 * buttons; null (and a message in the container) when WebGL is missing.
 */
export function createMap(container: HTMLElement, opts: BaseMapOptions = {}): BaseMap | null {
  let map: MapLibreMap;
  try {
    map = new MapLibreMap({
      container,
      style: BASE_STYLE,
      // Unset options are left out: an explicit undefined overrides MapLibre's defaults.
      ...(opts.bounds ? { bounds: opts.bounds } : { center: PROVINCE_CENTRE, zoom: opts.zoom ?? 7.5 }),
      maxZoom: opts.maxZoom ?? 19,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      cooperativeGestures: opts.cooperative ? isPhone() : false,
    });
  } catch {
    replace(container, h('div', { class: 'alert alert-warn', role: 'alert', 'data-testid': 'no-webgl' }, t('map.no_webgl'), opts.fallback ? ' ' : '', opts.fallback ?? ''));
    return null;
  }
  map.touchZoomRotate.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), 'top-left');
  const loaded = new Promise<void>((resolve) => {
    map.once('load', () => resolve());
  });
  void loaded.then(() => (container.dataset.ready = 'true'));
  const onResize = (): void => {
    map.resize();
  };
  window.addEventListener('resize', onResize);
  const w = window as unknown as Record<string, unknown>;
  if (opts.handle) w[opts.handle] = map;
  return {
    map,
    loaded,
    destroy() {
      window.removeEventListener('resize', onResize);
      map.remove();
      if (opts.handle && w[opts.handle] === map) delete w[opts.handle];
    },
  };
}

// ---- data ----------------------------------------------------------------------

export const EMPTY: GeoJSONData = { type: 'FeatureCollection', features: [] } as unknown as GeoJSONData;

/** Replaces a GeoJSON source's data (nothing happens before the source exists). */
export function setData(map: MapLibreMap | null | undefined, source: string, data: unknown): void {
  (map?.getSource(source) as GeoJSONSource | undefined)?.setData(data as GeoJSONData);
}

export function addGeoJSON(map: MapLibreMap, source: string, data: unknown = EMPTY, promoteId?: string): void {
  map.addSource(source, { type: 'geojson', data: data as GeoJSONData, ...(promoteId ? { promoteId } : {}) });
}

/** The bounding box of some geometries, as MapLibre takes it. */
export function boundsOf(geoms: (Geometry | null | undefined)[]): Bounds | null {
  const b = shapeBounds(geoms);
  return b ? [[b[0], b[1]], [b[2], b[3]]] : null;
}

export function fit(map: MapLibreMap | null | undefined, b: Bounds | null, padding: Padding = 16, maxZoom?: number): void {
  // An explicit `maxZoom: undefined` would override MapLibre's default and give NaN.
  if (map && b) map.fitBounds(b, maxZoom === undefined ? { padding, duration: 0 } : { padding, duration: 0, maxZoom });
}

export interface UnitLayerOptions {
  /** Fill colour when a feature has no `color` property. */
  defaultColor?: string;
  fillOpacity?: number;
  lineWidth?: number | unknown[];
  /** A heavier outline over the features this filter picks (the chosen or current unit). */
  highlight?: { filter: unknown[]; color: string; width: number };
}

/**
 * Administrative units from /api/v1/map/units: a fill coloured by each feature's
 * `color`, a thin outline, and optionally a highlight. Layers are `<source>-fill`,
 * `<source>-line` and `<source>-highlight`.
 */
export function addUnitLayers(map: MapLibreMap, source: string, data: unknown, opts: UnitLayerOptions = {}): void {
  addGeoJSON(map, source, data, 'id');
  map.addLayer({ id: `${source}-fill`, type: 'fill', source, paint: { 'fill-color': ['coalesce', ['get', 'color'], opts.defaultColor ?? '#cccccc'], 'fill-opacity': opts.fillOpacity ?? 0.75 } });
  map.addLayer({ id: `${source}-line`, type: 'line', source, paint: { 'line-color': '#4a5a48', 'line-width': (opts.lineWidth ?? 0.8) as number } });
  if (opts.highlight)
    map.addLayer({ id: `${source}-highlight`, type: 'line', source, filter: opts.highlight.filter as never, paint: { 'line-color': opts.highlight.color, 'line-width': opts.highlight.width } });
}

/** The id-equals filter for a highlight layer (-1 matches nothing). */
export function idFilter(id: number | null): unknown[] {
  return ['==', ['get', 'id'], id ?? -1];
}

// ---- interaction ---------------------------------------------------------------

/**
 * A label that follows the pointer over a layer (`text` returns null for none),
 * and the pointer cursor. Returns a function that removes the label.
 */
export function hoverLabel(map: MapLibreMap, layer: string, text: (props: Record<string, unknown>) => string | null): () => void {
  let popup: Popup | null = null;
  map.on('mousemove', layer, (e: MapLayerMouseEvent) => {
    const f = e.features?.[0];
    if (!f) return;
    map.getCanvas().style.cursor = 'pointer';
    const s = text((f.properties ?? {}) as Record<string, unknown>);
    if (s === null) return;
    if (!popup) popup = new Popup({ closeButton: false, closeOnClick: false, className: 'unit-popup', offset: 8 });
    popup.setLngLat(e.lngLat).setText(s).addTo(map);
  });
  map.on('mouseleave', layer, () => {
    map.getCanvas().style.cursor = '';
    popup?.remove();
  });
  return () => popup?.remove();
}

export interface ClickOptions {
  /** On a phone, bring the clicked place above the details sheet that covers the lower part. */
  liftOnPhone?: number;
}

/**
 * Clicks on the first feature of the listed layers that are visible, topmost
 * first; the pointer cursor over each of them.
 */
export function onFeatureClick(
  map: MapLibreMap,
  layers: string[],
  handler: (layer: string, feature: { id?: string | number; properties: Record<string, unknown> }, e: MapLayerMouseEvent) => void,
  opts: ClickOptions = {},
): void {
  map.on('click', (e: MapLayerMouseEvent) => {
    const visible = layers.filter((l) => map.getLayer(l) && map.getLayoutProperty(l, 'visibility') !== 'none');
    const f = visible.length ? map.queryRenderedFeatures(e.point, { layers: visible })[0] : undefined;
    if (!f) return;
    handler(f.layer.id, { id: f.id, properties: (f.properties ?? {}) as Record<string, unknown> }, e);
    if (opts.liftOnPhone && isPhone()) map.easeTo({ center: e.lngLat, offset: [0, -map.getContainer().clientHeight * opts.liftOnPhone], duration: 300 });
  });
  for (const l of layers) {
    map.on('mouseenter', l, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', l, () => (map.getCanvas().style.cursor = ''));
  }
}

// ---- legend ----------------------------------------------------------------------

export function legendRow(background: string, label: Node | string, extra?: Node | string, attrs: Record<string, string> = {}): HTMLElement {
  return h('div', { class: 'legend-row', ...attrs }, h('span', { class: 'swatch', style: { background } }), label, extra ?? '');
}

/** The mark every map carries when what it draws is illustrative (not official boundaries or records). */
export function illustrativeNote(text: string): HTMLElement {
  return h('div', { class: 'legend-note', 'data-testid': 'legend-illustrative' }, icon('warn', 14), ' ', text);
}

// ---- choropleth ------------------------------------------------------------------

/** Quantile class breaks (up to as many classes as the ramp has colours). */
export function breaks(values: number[]): number[] {
  const v = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  for (let i = 1; i < RAMP.length && v.length; i++) {
    const q = v[Math.min(v.length - 1, Math.floor((i * v.length) / RAMP.length))];
    if (!out.length || q > out[out.length - 1]) out.push(q);
  }
  return out;
}

export function rampColour(value: number | null | undefined, b: number[]): string {
  if (value === null || value === undefined) return NO_VALUE;
  let i = 0;
  while (i < b.length && value >= b[i]) i++;
  return RAMP[Math.min(i, RAMP.length - 1)];
}

/** The legend rows of a choropleth: one a class ("< 10", "10 – 20", "≥ 20"), then "no value". */
export function rampLegend(b: number[], fmt: (v: number) => string, noValue: string): HTMLElement[] {
  const rows: HTMLElement[] = [];
  for (let i = 0; i <= b.length; i++) {
    const lo = i === 0 ? null : b[i - 1];
    const hi = i < b.length ? b[i] : null;
    const label = lo === null && hi !== null ? `< ${fmt(hi)}` : hi === null && lo !== null ? `≥ ${fmt(lo)}` : lo !== null && hi !== null ? `${fmt(lo)} – ${fmt(hi)}` : '';
    if (label) rows.push(legendRow(RAMP[Math.min(i, RAMP.length - 1)], label));
  }
  rows.push(legendRow(NO_VALUE, noValue));
  return rows;
}
