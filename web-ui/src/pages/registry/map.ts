// Sổ đăng ký đất đai: the map of parcels. At low zoom it shows the production
// zones only and asks to zoom in; closer in it loads the parcels of the view
// (/api/v1/map/parcels?bbox=…) with the filters, coloured by crop or by zone.
// A parcel or zone opens a side panel (a bottom sheet on a phone); the topology
// findings are a layer that can be switched on. Loaded on demand with MapLibre.
import { addGeoJSON, boundsOf as bounds, createMap, fit as fitMap, idFilter, illustrativeNote, isPhone, legendRow, onFeatureClick, setData, type BaseMap, type Bounds, type MapLibreMap } from '../../lib/map';
import { api } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, navigate, setQuery, type Route } from '../../lib/router';
import { errorBox, loading, mapPanel } from '../../lib/ui';
import { icon } from '../../lib/icons';
import { fmtDate, fmtNumber, t } from '../../i18n';
import {
  NO_CROP_COLOR,
  NO_ZONE_COLOR,
  ZONE_PALETTE,
  cropChip,
  cropColor,
  cropLabel,
  findingKindLabel,
  findingParcelHref,
  findingParcelName,
  findingText,
  ha,
  illustrativeBadge,
  loadZones,
  rightKindLabel,
  routeMissing,
  serverHasRoute,
  producerKindLabel,
  stateBadge,
  zoneStatusLabel,
  type FeatureCollection,
  type Finding,
  type Geometry,
  type ParcelDetail,
  type ParcelProps,
  type Zone,
} from '../../lib/registry';
import { activeFilters, apiFilters, filterBar, filterQuery, queryString, readFilters } from './filters';


/** Below this zoom the view holds too many parcels: zones only. */
export const MIN_PARCEL_ZOOM = 13;
const PARCEL_LIMIT = 3000;

interface ZoneProps extends Omit<Zone, 'unit'> {
  unit: string | null;
  color?: string;
}

/** Room for the status line, the legend and, on a phone, the details sheet over the lower part. */
function padding(sheet: HTMLElement | null): { top: number; bottom: number; left: number; right: number } {
  if (!isPhone()) return { top: 48, bottom: 32, left: 32, right: 32 };
  const covered = sheet && sheet.classList.contains('has-unit') ? sheet.offsetHeight : 0;
  const room = (sheet?.parentElement?.clientHeight ?? 600) - 160;
  return { top: 40, bottom: Math.min(room, Math.max(70, covered + 20)), left: 16, right: 16 };
}

export function renderRegistryMap(root: HTMLElement, route: Route): () => void {
  document.title = `${t('registry.map_title')} · nongsan`;
  const q = route.query;
  const filters = readFilters(q);
  const state = {
    colorBy: (q.get('color') === 'zone' ? 'zone' : 'crop') as 'crop' | 'zone',
    topology: q.get('topology') === '1',
    parcel: Number(q.get('parcel') ?? '') || null,
  };

  // ---- controls ----
  const colorCrop = h('button', { type: 'button', class: 'seg-btn', 'data-testid': 'color-crop' }, t('registry.color_crop'));
  const colorZone = h('button', { type: 'button', class: 'seg-btn', 'data-testid': 'color-zone' }, t('registry.color_zone'));
  const colorSwitch = h('div', { class: 'seg', role: 'group', 'aria-label': t('registry.color_by') }, h('span', { class: 'seg-label' }, t('registry.color_by')), colorCrop, colorZone);
  const topoBox = h('input', { type: 'checkbox', name: 'topology', checked: state.topology, 'data-testid': 'topology-toggle' });
  const topoToggle = h('label', { class: 'check' }, topoBox, t('registry.topology_layer'));
  const listLink = h('a', { href: '/registry/parcels', class: 'btn btn-small', 'data-testid': 'list-view' }, icon('audit', 16), t('registry.list_view'));
  listLink.addEventListener('click', (ev) => {
    if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    navigate(listLink.getAttribute('href') ?? '/registry/parcels');
  });
  const bar = filterBar(filters, () => {
    updateListLink();
    syncUrl();
    fitToFilter();
    void loadParcels();
  });
  bar.el.classList.add('reg-map-filters');

  function updateListLink(): void {
    listLink.setAttribute('href', `/registry/parcels${queryString(filterQuery(filters))}`);
  }

  const status = h('div', { class: 'map-status muted small', 'aria-live': 'polite', 'data-testid': 'map-status' });
  const zoomHint = h('div', { class: 'zoom-hint', 'data-testid': 'zoom-hint', hidden: true }, icon('trace', 16), ' ', t('registry.zoom_in'));
  const legend = h('div', { class: 'map-legend', 'data-testid': 'map-legend' });
  const mapEl = h('div', { class: 'map-canvas', 'data-testid': 'map' });
  const { panel, body: panelBody } = mapPanel(t('registry.details'), 'parcel-panel', () => selectParcel(null));

  replace(
    root,
    h(
      'div',
      { class: 'map-page registry-map' },
      h('h1', { class: 'visually-hidden' }, t('registry.map_title')),
      h('div', { class: 'map-toolbar reg-toolbar' }, h('div', { class: 'reg-toolbar-row' }, bar.toggle, colorSwitch, topoToggle, listLink), bar.el),
      h('div', { class: 'map-area' }, h('div', { class: 'map-wrap' }, mapEl, zoomHint, legend, status), panel),
    ),
  );
  root.classList.add('page-map');
  updateListLink();

  // ---- data ----
  let zones: Zone[] = [];
  let zoneFc: FeatureCollection<ZoneProps> = { type: 'FeatureCollection', features: [] };
  let parcelFc: FeatureCollection<ParcelProps> = { type: 'FeatureCollection', features: [] };
  let communeFc: FeatureCollection<{ id: number; name: string }> = { type: 'FeatureCollection', features: [] };
  let topoFc: FeatureCollection<Finding> = { type: 'FeatureCollection', features: [] };
  let topoMissing = false;
  const zoneColor = new Map<string, string>();
  let map: MapLibreMap | null = null;
  let ready = false;
  /** Few enough parcels in the user's scope (a commune, a cooperative) to draw them all at any zoom. */
  let smallScope = false;
  // The whole small scope, read once to frame the map: the views use it instead of
  // asking the server for the same parcels again by the view's bbox (on a 1 Mbit/s
  // line each copy took half a minute). A filter asks the server.
  let scopeParcels: FeatureCollection<ParcelProps> | null = null;
  let seq = 0;

  function syncUrl(): void {
    setQuery({ ...filterQuery(filters), color: state.colorBy === 'zone' ? 'zone' : '', topology: state.topology ? '1' : '', parcel: state.parcel ?? '' });
  }

  function colourParcels(): void {
    for (const f of parcelFc.features) {
      const p = f.properties;
      p.color = state.colorBy === 'crop' ? cropColor(p.crop) : p.zone ? zoneColor.get(p.zone) ?? NO_ZONE_COLOR : NO_ZONE_COLOR;
    }
    for (const f of zoneFc.features) f.properties.color = state.colorBy === 'crop' ? cropColor(f.properties.commodity) : zoneColor.get(f.properties.code) ?? NO_ZONE_COLOR;
    setData(map, 'parcels', parcelFc);
    setData(map, 'zones', zoneFc);
    setData(map, 'zone-points', zonePoints());
    colorCrop.setAttribute('aria-pressed', String(state.colorBy === 'crop'));
    colorZone.setAttribute('aria-pressed', String(state.colorBy === 'zone'));
    renderLegend();
  }

  /** The centre of each zone's bounding box, for the dots at low zoom. */
  function zonePoints(): { type: 'FeatureCollection'; features: { type: 'Feature'; properties: { id: number; color?: string }; geometry: { type: 'Point'; coordinates: number[] } }[] } {
    const features = [];
    for (const f of zoneFc.features) {
      const b = bounds([f.geometry]);
      if (b) features.push({ type: 'Feature' as const, properties: { id: f.properties.id, color: f.properties.color }, geometry: { type: 'Point' as const, coordinates: [(b[0][0] + b[1][0]) / 2, (b[0][1] + b[1][1]) / 2] } });
    }
    return { type: 'FeatureCollection', features };
  }

  function setColorBy(c: 'crop' | 'zone'): void {
    state.colorBy = c;
    syncUrl();
    colourParcels();
  }
  colorCrop.addEventListener('click', () => setColorBy('crop'));
  colorZone.addEventListener('click', () => setColorBy('zone'));

  function renderLegend(): void {
    const items: Node[] = [h('div', { class: 'legend-title' }, state.colorBy === 'crop' ? t('registry.legend_crop') : t('registry.legend_zone'))];
    const showingParcels = parcelFc.features.length > 0;
    if (state.colorBy === 'crop') {
      const counts = new Map<string, number>();
      if (showingParcels) for (const f of parcelFc.features) counts.set(f.properties.crop ?? '', (counts.get(f.properties.crop ?? '') ?? 0) + 1);
      else for (const z of zoneFc.features) counts.set(z.properties.commodity, (counts.get(z.properties.commodity) ?? 0) + 1);
      const rows = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 9);
      for (const [c, n] of rows)
        items.push(legendRow(c ? cropColor(c) : NO_CROP_COLOR, cropLabel(c || null), showingParcels ? h('span', { class: 'muted' }, ` ${fmtNumber(n)}`) : '', { 'data-crop': c }));
    } else {
      const present = new Set(showingParcels ? parcelFc.features.map((f) => f.properties.zone ?? '') : zoneFc.features.map((z) => z.properties.code));
      for (const z of zones.filter((x) => present.has(x.code)).slice(0, 9))
        items.push(legendRow(zoneColor.get(z.code) ?? NO_ZONE_COLOR, z.name));
      if (showingParcels && present.has('')) items.push(legendRow(NO_ZONE_COLOR, t('registry.no_zone')));
    }
    if (state.topology) items.push(h('div', { class: 'legend-row' }, h('span', { class: 'swatch swatch-topology' }), t('registry.topology_layer')));
    const illustrative = zones.some((z) => z.illustrative) || parcelFc.features.some((f) => f.properties.illustrative);
    if (illustrative) items.push(illustrativeNote(t('registry.illustrative_map')));
    replace(legend, ...items);
  }

  function setStatus(mode: 'zones' | 'parcels' | 'loading' | 'error', text: Node | string, count = 0): void {
    replace(status, text);
    status.dataset.mode = mode;
    status.dataset.count = String(count);
    zoomHint.hidden = mode !== 'zones';
  }

  async function loadParcels(): Promise<void> {
    if (!map || !ready) return;
    const mine = ++seq;
    if (map.getZoom() < MIN_PARCEL_ZOOM && !smallScope) {
      parcelFc = { type: 'FeatureCollection', features: [] };
      setData(map, 'parcels', parcelFc);
      map.setLayoutProperty('zones-fill', 'visibility', 'visible');
      map.setLayoutProperty('zones-point', 'visibility', 'visible');
      setStatus('zones', t('registry.zones_shown', { n: fmtNumber(zoneFc.features.length) }));
      renderLegend();
      mapEl.dataset.loaded = 'zones';
      map.once('idle', () => {
        if (mine === seq) status.dataset.pending = 'false';
      });
      return;
    }
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(',');
    setStatus('loading', t('common.loading'));
    status.dataset.pending = 'true';
    try {
      // With no filter, every view of a small scope is a part of what was read whole.
      const whole = activeFilters(filters) === 0 ? scopeParcels : null;
      const fc = whole ?? (await api.get<FeatureCollection<ParcelProps>>('/api/v1/map/parcels', { ...apiFilters(filters), bbox, limit: PARCEL_LIMIT }));
      if (mine !== seq || !map) return;
      parcelFc = { type: 'FeatureCollection', features: (fc.features ?? []).filter((f) => f.geometry) };
      for (const f of parcelFc.features) f.id = f.properties.id;
      bar.addCrops(parcelFc.features.map((f) => f.properties.crop ?? ''));
      map.setLayoutProperty('zones-fill', 'visibility', 'none');
      map.setLayoutProperty('zones-point', 'visibility', 'none');
      colourParcels();
      refreshPanelZone?.();
      const n = parcelFc.features.length;
      setStatus(
        'parcels',
        fc.truncated ? t('registry.parcels_truncated', { n: fmtNumber(n), total: fmtNumber(fc.total ?? n) }) : n ? t('registry.parcels_shown', { n: fmtNumber(n) }) : t('registry.no_parcels_here'),
        n,
      );
      mapEl.dataset.loaded = 'parcels';
      // Drawn once the map is idle: the new features can be clicked from then on.
      map.once('idle', () => {
        if (mine === seq) status.dataset.pending = 'false';
      });
    } catch (err) {
      if (mine === seq) setStatus('error', errorBox(err));
    }
  }

  async function loadTopology(): Promise<void> {
    if (!map || !ready) return;
    map.setLayoutProperty('topology-fill', 'visibility', state.topology ? 'visible' : 'none');
    map.setLayoutProperty('topology-line', 'visibility', state.topology ? 'visible' : 'none');
    renderLegend();
    if (!state.topology || topoFc.features.length || topoMissing) return;
    try {
      if (!(await serverHasRoute('/api/v1/map/topology'))) {
        topoMissing = true;
        topoToggle.title = t('topology.not_available');
        replace(panelBody, h('p', { class: 'alert alert-info small' }, t('topology.not_available')));
        return;
      }
      const fc = await api.get<FeatureCollection<Finding>>('/api/v1/map/topology');
      topoFc = { type: 'FeatureCollection', features: (fc.features ?? []).filter((f) => f.geometry) };
      topoFc.features.forEach((f, i) => (f.id = i + 1));
      setData(map, 'topology', topoFc);
      topoToggle.title = t('registry.topology_count', { n: fmtNumber(topoFc.features.length) });
    } catch (err) {
      if (routeMissing(err)) {
        topoMissing = true;
        topoToggle.title = t('topology.not_available');
        replace(panelBody, h('p', { class: 'alert alert-info small' }, t('topology.not_available')));
      } else replace(panelBody, errorBox(err));
    }
  }
  topoBox.addEventListener('change', () => {
    state.topology = topoBox.checked;
    syncUrl();
    void loadTopology();
  });

  function fit(b: Bounds | null, maxZoom = 16): void {
    fitMap(map, b, padding(panel), maxZoom);
  }

  /** Moves the map to the chosen zone or commune; the parcels follow on moveend. */
  function fitToFilter(): void {
    if (filters.zone_id) {
      const z = zoneFc.features.find((f) => String(f.properties.id) === filters.zone_id);
      if (z) return fit(bounds([z.geometry]));
    }
    if (filters.commune_id) {
      const c = communeFc.features.find((f) => String(f.properties.id) === filters.commune_id);
      if (c) return fit(bounds([c.geometry]));
    }
    void loadParcels();
  }

  // ---- panel ----
  function hint(): void {
    refreshPanelZone = null;
    replace(
      panelBody,
      h('p', { class: 'muted' }, t('registry.hint')),
      h('p', { class: 'small panel-links' }, link('/registry/zones', null, `${t('nav.zones')} ›`), ' ', link('/registry/producers', null, `${t('nav.producers')} ›`)),
    );
    panel.classList.remove('has-unit');
  }

  function selectParcel(id: number | null): void {
    state.parcel = id;
    syncUrl();
    map?.setFilter('parcels-selected', idFilter(id) as never);
    if (id === null) hint();
    else void showParcel(id);
  }

  let panelSeq = 0;
  let refreshPanelZone: (() => void) | null = null;
  async function showParcel(id: number, fitTo = false): Promise<void> {
    const mine = ++panelSeq;
    panel.classList.add('has-unit');
    refreshPanelZone = null;
    replace(panelBody, loading());
    try {
      const p = await api.get<ParcelDetail>(`/api/v1/parcels/${id}`);
      if (mine !== panelSeq) return;
      const zoneCell = h('dd', { 'data-testid': 'panel-zone' });
      const fillZone = (): void => {
        const feature = parcelFc.features.find((f) => f.properties.id === id);
        if (!feature) {
          replace(zoneCell, t('common.none'));
          return;
        }
        const zoneCode = feature.properties.zone;
        const zone = zoneCode ? zones.find((z) => z.code === zoneCode) : undefined;
        replace(zoneCell, zone ? link(`/registry/zones/${zone.id}`, null, zone.name) : zoneCode ?? t('registry.no_zone'));
      };
      fillZone();
      // The zone comes with the map's features, which may still be on their way.
      refreshPanelZone = fillZone;
      const rows: [string, Node | string][] = [
        [t('parcel.commune'), p.commune?.name ?? t('common.none')],
        [t('parcel.sheet_parcel'), `${p.sheet_no || '–'} / ${p.parcel_no || '–'}`],
        [t('parcel.land_use_code'), p.land_use_code || t('common.none')],
        [t('parcel.area'), ha(p.area_ha)],
        [t('parcel.crops'), p.crops.length ? h('span', { class: 'chips' }, ...p.crops.map(cropChip)) : t('crop.none')],
        [
          t('parcel.holder'),
          p.holder
            ? h('span', null, link(`/registry/producers/${p.holder.producer_id}`, null, p.holder.name), h('span', { class: 'muted small' }, ` · ${producerKindLabel(p.holder.kind)} · ${rightKindLabel(p.holder.right)} ${t('parcel.since')} ${fmtDate(p.holder.since)}`))
            : t('parcel.no_holder'),
        ],
      ];
      replace(
        panelBody,
        h('h2', { class: 'panel-title', 'data-testid': 'parcel-name' }, t('parcel.title', { id: p.external_id })),
        h('div', { class: 'badges' }, stateBadge(p.state), illustrativeBadge(p.illustrative) ?? ''),
        h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]), h('dt', null, t('parcel.zone')), zoneCell),
        h('p', null, link(`/registry/parcels/${p.id}`, { class: 'btn btn-small btn-primary', 'data-testid': 'open-parcel' }, `${t('parcel.open_page')} ›`)),
      );
      // After the panel has its height, so that on a phone the parcel lands above the sheet.
      if (fitTo && p.geometry && map) {
        fit(bounds([p.geometry]), 16);
        if (map.getZoom() < MIN_PARCEL_ZOOM) map.setZoom(MIN_PARCEL_ZOOM + 1);
      }
    } catch (err) {
      if (mine === panelSeq) replace(panelBody, errorBox(err));
    }
  }

  function showZone(id: number): void {
    const z = zoneFc.features.find((f) => f.properties.id === id);
    if (!z) return;
    const p = z.properties;
    panel.classList.add('has-unit');
    const zoomBtn = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'zoom-zone' }, t('registry.zoom_zone'));
    zoomBtn.addEventListener('click', () => {
      fit(bounds([z.geometry]));
      hint();
    });
    replace(
      panelBody,
      h('h2', { class: 'panel-title', 'data-testid': 'zone-name' }, p.name),
      h('div', { class: 'badges' }, h('span', { class: 'badge badge-level' }, zoneStatusLabel(p.status)), illustrativeBadge(p.illustrative) ?? ''),
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, t('zone.commodity')),
        h('dd', null, cropChip(p.commodity)),
        h('dt', null, t('zone.unit')),
        h('dd', null, p.unit ?? t('common.none')),
        h('dt', null, t('zone.planned_area')),
        h('dd', null, ha(p.planned_area_ha)),
      ),
      h('p', { class: 'btn-row' }, zoomBtn, link(`/registry/zones/${p.id}`, { class: 'btn btn-small btn-primary' }, `${t('zone.open_page')} ›`)),
    );
  }

  function showFinding(f: Finding, geometry: Geometry | null): void {
    panel.classList.add('has-unit');
    const parcelLink = (p: Finding['parcel_a']): Node | string => {
      const href = findingParcelHref(p, geometry);
      return href ? link(href, { class: 'btn btn-small' }, findingParcelName(p)) : '';
    };
    replace(
      panelBody,
      h('h2', { class: 'panel-title', 'data-testid': 'finding-kind' }, findingKindLabel(f.kind)),
      h('p', { title: f.message }, findingText(f)),
      h('p', { class: 'btn-row' }, parcelLink(f.parcel_a), parcelLink(f.parcel_b)),
      h('p', { class: 'small' }, link('/registry/topology', null, `${t('nav.topology')} ›`)),
    );
  }

  // ---- the map ----
  const base: BaseMap | null = createMap(mapEl, { zoom: 8, fallback: link('/registry/parcels', null, t('registry.list_view')), handle: 'nongsanMap' });
  map = base?.map ?? null;
  if (map) {
    const m = map;
    void base!.loaded.then(() => {
      for (const src of ['communes', 'zone-points', 'topology']) addGeoJSON(m, src);
      for (const src of ['zones', 'parcels']) addGeoJSON(m, src, undefined, 'id');
      m.addLayer({ id: 'communes-line', type: 'line', source: 'communes', paint: { 'line-color': '#8a9a86', 'line-width': 1, 'line-dasharray': [3, 2] } });
      m.addLayer({ id: 'zones-fill', type: 'fill', source: 'zones', paint: { 'fill-color': ['coalesce', ['get', 'color'], '#999'], 'fill-opacity': 0.45 } });
      m.addLayer({ id: 'parcels-fill', type: 'fill', source: 'parcels', paint: { 'fill-color': ['coalesce', ['get', 'color'], NO_CROP_COLOR], 'fill-opacity': 0.8 } });
      m.addLayer({ id: 'parcels-line', type: 'line', source: 'parcels', paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 13, 0.2, 17, 1.2] } });
      m.addLayer({ id: 'zones-line', type: 'line', source: 'zones', paint: { 'line-color': ['coalesce', ['get', 'color'], '#555'], 'line-width': 2.2 } });
      // At the province view a zone may be a few pixels wide: a dot marks it until parcels are drawn.
      m.addLayer({ id: 'zones-point', type: 'circle', source: 'zone-points', maxzoom: MIN_PARCEL_ZOOM, paint: { 'circle-color': ['coalesce', ['get', 'color'], '#555'], 'circle-radius': 7, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2, 'circle-opacity': ['interpolate', ['linear'], ['zoom'], 10, 1, 12.5, 0], 'circle-stroke-opacity': ['interpolate', ['linear'], ['zoom'], 10, 1, 12.5, 0] } });
      m.addLayer({ id: 'topology-fill', type: 'fill', source: 'topology', layout: { visibility: 'none' }, paint: { 'fill-color': '#d50000', 'fill-opacity': 0.55 } });
      m.addLayer({ id: 'topology-line', type: 'line', source: 'topology', layout: { visibility: 'none' }, paint: { 'line-color': '#b71c1c', 'line-width': 2 } });
      m.addLayer({ id: 'parcels-selected', type: 'line', source: 'parcels', filter: idFilter(state.parcel) as never, paint: { 'line-color': '#111', 'line-width': 3 } });
      ready = true;
      void start();
    });
    m.on('moveend', () => void loadParcels());
    onFeatureClick(
      m,
      ['topology-fill', 'parcels-fill', 'zones-point', 'zones-fill'],
      (layer, f) => {
        if (layer === 'topology-fill') {
          const full = topoFc.features[Number(f.id) - 1];
          if (full) showFinding(full.properties, full.geometry);
        } else if (layer === 'parcels-fill') selectParcel(Number(f.properties.id));
        else showZone(Number(f.properties.id));
      },
      { liftOnPhone: 0.22 },
    );
  }

  async function start(): Promise<void> {
    if (!map) return;
    setStatus('loading', t('common.loading'));
    try {
      const [zs, zfc, units] = await Promise.all([
        loadZones(),
        api.get<FeatureCollection<ZoneProps>>('/api/v1/map/zones'),
        api.get<FeatureCollection<{ id: number; name: string }>>('/api/v1/map/units', { level: 'commune' }).catch(() => ({ type: 'FeatureCollection', features: [] }) as FeatureCollection<{ id: number; name: string }>),
      ]);
      zones = [...zs].sort((a, b) => a.id - b.id);
      zones.forEach((z, i) => zoneColor.set(z.code, ZONE_PALETTE[i % ZONE_PALETTE.length]));
      zoneFc = { type: 'FeatureCollection', features: (zfc.features ?? []).filter((f) => f.geometry) };
      communeFc = { type: 'FeatureCollection', features: (units.features ?? []).filter((f) => f.geometry) };
      setData(map, 'communes', communeFc);
      colourParcels();
    } catch (err) {
      setStatus('error', errorBox(err));
      return;
    }
    await bar.ready;
    if (state.parcel) {
      await showParcel(state.parcel, true);
    } else if (filters.zone_id || filters.commune_id) {
      fitToFilter();
    } else {
      // A small scope is shown whole; otherwise the zones in reach, or the province when there are none.
      let mineBounds: Bounds | null = null;
      try {
        const probe = await api.get<{ total: number }>('/api/v1/parcels', { page_size: 1 });
        if (probe.total > 0 && probe.total <= PARCEL_LIMIT) {
          const all = await api.get<FeatureCollection<ParcelProps>>('/api/v1/map/parcels', { limit: PARCEL_LIMIT });
          mineBounds = bounds(all.features.map((f) => f.geometry));
          smallScope = mineBounds !== null;
          // Framed on all of them, the view holds them all: drawn from this copy when no filter narrows them.
          if (smallScope && !all.truncated && activeFilters(filters) === 0) scopeParcels = all;
        }
      } catch {
        // The zones view still works.
      }
      fit(mineBounds ?? bounds(zoneFc.features.map((f) => f.geometry)) ?? bounds(communeFc.features.map((f) => f.geometry)), 15);
      hint();
    }
    void loadParcels();
    void loadTopology();
  }

  hint();
  return () => base?.destroy();
}
