// Concentrated production zones: the list, and one zone with its measures on a
// date (planted against planned area, producers, parcel sizes, the largest
// contiguous block), a map of its parcels and links to them.
import { api } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, navigate, setQuery, type Route } from '../../lib/router';
import { can } from '../../lib/session';
import { badge, dateInput, errorBox, field, loading } from '../../lib/ui';
import { icon } from '../../lib/icons';
import { fmtDate, fmtNumber, t, todayIso } from '../../i18n';
import { shapeMap, type ShapeLayer } from '../../lib/shapes';
import {
  NO_CROP_COLOR,
  cropChip,
  cropColor,
  cropLabel,
  ha,
  illustrativeBadge,
  forgetZones,
  loadZones,
  zonesEmpty,
  zoneStatusLabel,
  type FeatureCollection,
  type ParcelProps,
  type Zone,
  type ZoneDetail,
} from '../../lib/registry';
import { openZoneForm } from './forms';
import { dataTable, filterForm, filterSelect, parseSort, scopeEmpty, sortItems, sortParam, type SortState } from '../../lib/list';

function statusBadge(z: Zone): HTMLElement {
  return badge(zoneStatusLabel(z.status), z.status === 'active' ? 'ok' : z.status === 'closed' ? 'muted' : 'neutral');
}

function period(z: Zone): string {
  if (!z.period_from && !z.period_to) return t('common.none');
  return `${z.period_from ? fmtDate(z.period_from) : '…'} – ${z.period_to ? fmtDate(z.period_to) : '…'}`;
}

export async function renderZones(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('zones.title')} · nongsan`;
  let commodity = route.query.get('commodity') ?? '';
  // The server sends every zone in scope: the list is sorted here, by any column.
  let sort: SortState | null = parseSort(route.query.get('sort'));
  forgetZones();
  const all = await loadZones();
  const commodities = [...new Set(all.map((z) => z.commodity))].sort((a, b) => cropLabel(a).localeCompare(cropLabel(b), 'vi'));
  const results = h('div', { class: 'results' });
  const addBtn = can('registry.write') ? h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'add-zone' }, `+ ${t('zone.add')}`) : null;
  addBtn?.addEventListener('click', () =>
    openZoneForm(null, (z) => {
      forgetZones();
      navigate(`/registry/zones/${z.id}`);
    }),
  );
  const sortValue = (z: Zone, key: string): string | number | null =>
    key === 'name' ? z.name : key === 'code' ? z.code : key === 'commodity' ? cropLabel(z.commodity) : key === 'unit' ? z.unit?.name ?? null : key === 'planned' ? z.planned_area_ha : key === 'from' ? z.period_from : zoneStatusLabel(z.status);
  const draw = async (): Promise<void> => {
    setQuery({ commodity, sort: sortParam(sort) });
    const zones = sortItems(all.filter((z) => !commodity || z.commodity === commodity), sort, sortValue);
    if (!zones.length) {
      replace(results, h('div', { class: 'empty', 'data-testid': 'list-empty' }, await scopeEmpty(t('list.what.zones'), { filtered: !!commodity, server: commodity ? undefined : zonesEmpty() })));
      return;
    }
    const planned = zones.reduce((s, z) => s + (z.planned_area_ha ?? 0), 0);
    replace(
      results,
      h('p', { class: 'muted small' }, t('zones.count', { n: fmtNumber(zones.length, 0), ha: fmtNumber(planned, 1) })),
      zones.some((z) => z.illustrative) ? h('p', { class: 'small muted' }, icon('warn', 14), ' ', t('registry.illustrative_note')) : '',
      dataTable<Zone>(
        [
          { label: t('zone.name'), title: true, sort: 'name', cell: (z) => [link(`/registry/zones/${z.id}`, null, z.name), ' ', illustrativeBadge(z.illustrative) ?? ''] },
          { label: t('zone.code'), class: 'mono', sort: 'code', cell: (z) => z.code },
          { label: t('zone.commodity'), sort: 'commodity', cell: (z) => cropChip(z.commodity) },
          { label: t('zone.unit'), sort: 'unit', cell: (z) => z.unit?.name ?? t('common.none') },
          { label: t('zone.planned_area'), class: 'num', sort: 'planned', cell: (z) => ha(z.planned_area_ha, 1) },
          { label: t('zone.period'), class: 'nowrap', sort: 'from', cell: (z) => period(z) },
          { label: t('zone.status'), sort: 'status', cell: (z) => statusBadge(z) },
        ],
        zones,
        { testId: 'zone-table', row: (z) => ({ 'data-zone-id': String(z.id) }), sort, onSort: (s) => ((sort = s), void draw()) },
      ),
    );
  };
  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', null, t('zones.title')), h('div', { class: 'page-actions' }, link('/registry?color=zone', { class: 'btn' }, icon('map', 16), t('registry.map_view')), addBtn ?? '')),
    h('p', { class: 'intro' }, t('zones.intro')),
    filterForm([t('zone.commodity'), filterSelect('commodity', commodities.map((c) => ({ value: c, label: cropLabel(c) })), commodity, (v) => ((commodity = v), void draw())), 'commodity']),
    results,
  );
  await draw();
}

function bar(pct: number | null | undefined, testid: string, label: string): HTMLElement {
  const v = pct === null || pct === undefined ? 0 : pct;
  return h(
    'div',
    { class: 'bar', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.round(v)), 'aria-label': label, 'data-testid': testid },
    h('div', { class: `bar-fill${v >= 100 ? ' bar-full' : ''}`, style: { width: `${Math.min(100, Math.max(0, v))}%` } }),
  );
}

function tile(label: string, value: string, note: string | Node = '', testid = ''): HTMLElement {
  return h('div', { class: 'tile', 'data-testid': testid || null }, h('div', { class: 'tile-label' }, label), h('div', { class: 'tile-value' }, value), note ? h('div', { class: 'tile-note muted small' }, note) : '');
}

export async function renderZoneDetail(root: HTMLElement, route: Route): Promise<void> {
  const back = link('/registry/zones', { class: 'back' }, `‹ ${t('zones.title')}`);
  const asOf = route.query.get('as_of') ?? '';
  let z: ZoneDetail;
  try {
    z = await api.get<ZoneDetail>(`/api/v1/zones/${encodeURIComponent(route.params.id)}`, { as_of: asOf });
  } catch (err) {
    replace(root, back, errorBox(err));
    return;
  }
  document.title = `${z.name} · nongsan`;
  const m = z.measures;
  const when = m.as_of ?? (asOf || todayIso());
  const crop = cropLabel(z.commodity);
  const date = dateInput('as_of', when, (v) => navigate(`/registry/zones/${z.id}${v && v !== todayIso() ? `?as_of=${v}` : ''}`, { replace: true }));
  const editBtn = can('registry.write') ? h('button', { type: 'button', class: 'btn', 'data-testid': 'edit-zone' }, t('common.edit')) : null;
  editBtn?.addEventListener('click', () =>
    openZoneForm(z, () => {
      forgetZones();
      navigate(`/registry/zones/${z.id}${asOf ? `?as_of=${asOf}` : ''}`, { replace: true });
    }),
  );

  const planned = m.planned_area_ha ?? z.planned_area_ha;
  const measures = h(
    'section',
    { class: 'card measures', 'data-testid': 'zone-measures' },
    h('h2', null, t('zone.measures_on', { date: fmtDate(when) })),
    h(
      'div',
      { class: 'headline', 'data-testid': 'measure-planted' },
      h('div', { class: 'headline-label' }, t('zone.planted_vs_planned', { crop })),
      h('div', { class: 'headline-value' }, h('strong', null, ha(m.planted_area_ha ?? null)), h('span', { class: 'muted' }, ` / ${planned !== null && planned !== undefined ? ha(planned) : t('zone.no_plan')}`)),
      bar(m.share_of_planned_pct, 'planted-bar', t('zone.share_of_planned')),
      h('div', { class: 'small' }, m.share_of_planned_pct !== null && m.share_of_planned_pct !== undefined ? t('zone.share_text', { pct: fmtNumber(m.share_of_planned_pct, 1) }) : t('zone.no_plan_share')),
    ),
    h(
      'div',
      { class: 'tiles' },
      tile(t('zone.producers'), fmtNumber(m.producers ?? null), t('zone.producers_note', { crop }), 'measure-producers'),
      tile(t('zone.commodity_parcels'), fmtNumber(m.commodity_parcels ?? null), t('zone.of_parcels', { n: fmtNumber(m.parcels_in_zone ?? null) }), 'measure-parcels'),
      tile(t('zone.mean_parcel'), ha(m.mean_parcel_size_ha), m.parcels_per_ha !== null && m.parcels_per_ha !== undefined ? t('zone.parcels_per_ha', { n: fmtNumber(m.parcels_per_ha, 2) }) : '', 'measure-mean'),
      tile(t('zone.zone_area'), ha(m.zone_area_ha ?? null), '', 'measure-area'),
    ),
    h(
      'div',
      { class: 'headline block-headline', 'data-testid': 'measure-block' },
      h('div', { class: 'headline-label' }, t('zone.largest_block')),
      h('div', { class: 'headline-value' }, h('strong', null, ha(m.largest_block_ha ?? null)), h('span', { class: 'muted' }, ` · ${t('zone.block_share', { pct: fmtNumber(m.largest_block_share_pct ?? null, 1) })}`)),
      bar(m.largest_block_share_pct, 'block-bar', t('zone.largest_block')),
      h('div', { class: 'small muted' }, t('zone.blocks', { n: fmtNumber(m.blocks ?? null) })),
    ),
    h('details', { class: 'method small' }, h('summary', null, t('zone.method')), h('p', null, t('zone.method_text')), m.method ? h('p', { class: 'muted', lang: 'en' }, m.method) : ''),
  );

  const mapBox = h('div', { class: 'zone-map', 'data-testid': 'zone-map' }, loading());
  const facts = h(
    'section',
    { class: 'card', 'data-testid': 'zone-facts' },
    h('div', { class: 'card-head' }, h('h2', null, t('zone.details')), editBtn ?? ''),
    h(
      'dl',
      { class: 'facts' },
      ...([
        [t('zone.code'), h('span', { class: 'mono' }, z.code)],
        [t('zone.commodity'), cropChip(z.commodity)],
        [t('zone.unit'), z.unit ? link(`/units/${z.unit.id}`, null, z.unit.name) : t('common.none')],
        [t('zone.planned_area'), ha(z.planned_area_ha)],
        [t('zone.period'), period(z)],
        [t('zone.decision'), z.decision || t('common.none')],
        [t('zone.status'), statusBadge(z)],
      ] as [string, Node | string][]).flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
    ),
    field(t('unit.as_of'), date.el, { name: 'as_of' }),
  );

  replace(
    root,
    back,
    h('div', { class: 'page-head' }, h('h1', { 'data-testid': 'zone-title' }, z.name), h('div', { class: 'badges' }, statusBadge(z), illustrativeBadge(z.illustrative) ?? '')),
    z.illustrative ? h('p', { class: 'alert alert-warn' }, t('registry.illustrative_note')) : '',
    h(
      'div',
      { class: 'page-actions zone-links' },
      link(`/registry/parcels?zone_id=${z.id}`, { class: 'btn', 'data-testid': 'zone-parcels' }, `${t('zone.parcels_list')} ›`),
      link(`/registry/parcels?zone_id=${z.id}&crop=${encodeURIComponent(z.commodity)}`, { class: 'btn' }, `${t('zone.commodity_list', { crop })} ›`),
      link(`/registry?zone_id=${z.id}`, { class: 'btn' }, icon('map', 16), t('registry.map_view')),
    ),
    h('div', { class: 'detail-grid zone-grid' }, measures, h('div', null, h('section', { class: 'card' }, h('h2', null, t('zone.map')), mapBox), facts)),
  );

  // The zone's parcels on a small map: the commodity in its colour, other parcels grey.
  try {
    const fc = await api.get<FeatureCollection<ParcelProps>>('/api/v1/map/parcels', { zone_id: z.id, as_of: asOf, limit: 5000 });
    const layers: ShapeLayer[] = [{ geometry: z.geometry ?? null, fill: '#f3f8f1', stroke: '#1f4d2b', strokeWidth: 2, dash: '6 3' }];
    for (const f of fc.features)
      layers.push({
        geometry: f.geometry,
        fill: f.properties.crop === z.commodity ? cropColor(z.commodity) : f.properties.crop ? '#9e9e9e' : NO_CROP_COLOR,
        stroke: '#ffffff',
        strokeWidth: 0.5,
        title: `${f.properties.external_id} · ${cropLabel(f.properties.crop)}${f.properties.holder ? ` · ${f.properties.holder}` : ''}`,
        onClick: () => navigate(`/registry/parcels/${f.properties.id}`),
      });
    replace(
      mapBox,
      shapeMap(layers, { label: t('zone.map'), width: 420, height: 300, frame: z.geometry ?? null }),
      h(
        'div',
        { class: 'shape-legend small' },
        h('span', null, h('span', { class: 'swatch', style: { background: cropColor(z.commodity) } }), ` ${crop}`),
        h('span', null, h('span', { class: 'swatch', style: { background: '#9e9e9e' } }), ` ${t('zone.other_crops')}`),
        h('span', null, h('span', { class: 'swatch', style: { background: NO_CROP_COLOR } }), ` ${t('crop.none')}`),
      ),
      fc.truncated ? h('p', { class: 'small muted' }, t('registry.parcels_truncated', { n: fmtNumber(fc.features.length), total: fmtNumber(fc.total ?? 0) })) : '',
    );
  } catch (err) {
    replace(mapBox, errorBox(err));
  }
}
