// Topology findings of the parcel layer: overlaps between parcels, parcels
// outside their commune, invalid shapes and slivers (/api/v1/topology/findings),
// with links to the parcels and to the map layer.
import { api, type Page } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, navigate, setQuery, type Route } from '../../lib/router';
import { badge, errorBox, field, loading, pager, select } from '../../lib/ui';
import { icon } from '../../lib/icons';
import { fmtTimestamp, t } from '../../i18n';
import { FINDING_KINDS, findingKindLabel, findingParcelHref, findingParcelName, findingText, findingValue, geometryBBox, routeMissing, serverHasRoute, type FeatureCollection, type Finding, type FindingParcel, type ParcelProps } from '../../lib/registry';


function parcelLink(p: FindingParcel): Node | string {
  const href = findingParcelHref(p);
  return href ? link(href, null, findingParcelName(p)) : t('common.none');
}

export function renderTopology(root: HTMLElement, route: Route): void {
  document.title = `${t('topology.title')} · nongsan`;
  const state = { kind: route.query.get('kind') ?? '', page: Number(route.query.get('page') ?? '1') || 1 };
  const kind = select('kind', [{ value: '', label: t('common.all') }, ...FINDING_KINDS.map((k) => ({ value: k, label: findingKindLabel(k) }))], state.kind);
  kind.addEventListener('change', () => {
    state.kind = kind.value;
    state.page = 1;
    void load();
  });
  const results = h('div', { class: 'results' });
  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', null, t('topology.title')), h('div', { class: 'page-actions' }, link('/registry?topology=1', { class: 'btn', 'data-testid': 'topology-map' }, icon('map', 16), t('topology.on_map')))),
    h('p', { class: 'intro' }, t('topology.intro')),
    h('form', { class: 'filters', onsubmit: (ev: Event) => ev.preventDefault() }, field(t('topology.kind'), kind, { name: 'kind' })),
    results,
  );
  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    setQuery({ kind: state.kind, page: state.page > 1 ? state.page : '' });
    replace(results, loading());
    try {
      if (!(await serverHasRoute('/api/v1/topology/findings'))) {
        if (mine === seq) replace(results, h('p', { class: 'alert alert-info', 'data-testid': 'topology-missing' }, t('topology.not_available')));
        return;
      }
      const page = await api.get<Page<Finding>>('/api/v1/topology/findings', { kind: state.kind, page: state.page });
      if (mine !== seq) return;
      if (!page.items.length) {
        replace(results, h('p', { class: 'empty', 'data-testid': 'no-findings' }, t('topology.none')));
        return;
      }
      const checked = page.items.map((f) => f.checked_at).filter(Boolean).sort().pop();
      replace(
        results,
        checked ? h('p', { class: 'muted small' }, t('topology.checked_at', { at: fmtTimestamp(checked) })) : '',
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table table-stack', 'data-testid': 'finding-table' },
            h('thead', null, h('tr', null, h('th', null, t('topology.kind')), h('th', null, t('topology.parcels')), h('th', { class: 'num' }, t('topology.value')), h('th', null, t('topology.message')), h('th', null, ''))),
            h(
              'tbody',
              null,
              ...page.items.map((f) => {
                const a = findingParcelName(f.parcel_a);
                return h(
                  'tr',
                  { 'data-kind': f.kind },
                  h('td', { class: 'cell-title' }, badge(findingKindLabel(f.kind), f.kind === 'overlap' || f.kind === 'invalid' ? 'warn' : 'neutral')),
                  h('td', { 'data-label': t('topology.parcels') }, parcelLink(f.parcel_a), f.parcel_b !== null && f.parcel_b !== undefined ? h('span', null, ' ↔ ', parcelLink(f.parcel_b)) : ''),
                  h('td', { class: 'num', 'data-label': t('topology.value') }, findingValue(f)),
                  h('td', { 'data-label': t('topology.message'), title: f.message }, findingText(f)),
                  h('td', { class: 'actions' }, a ? link(`/registry/parcels/find?${new URLSearchParams({ external_id: a, map: '1' }).toString()}`, { class: 'btn btn-small' }, icon('map', 14), t('topology.show')) : ''),
                );
              }),
            ),
          ),
        ),
        pager(page.page, page.page_size, page.total, (p) => {
          state.page = p;
          void load();
        }),
      );
    } catch (err) {
      if (mine !== seq) return;
      if (routeMissing(err)) replace(results, h('p', { class: 'alert alert-info', 'data-testid': 'topology-missing' }, t('topology.not_available')));
      else replace(results, errorBox(err));
    }
  }
  void load();
}

let findingsMap: Promise<FeatureCollection<Finding>> | null = null;

/**
 * Opens a parcel named by its external id (topology findings name parcels so):
 * near the given bbox, or near a finding that names it, the map of parcels says
 * which id it has. With map=1 it opens the parcel on the registry map instead.
 */
export async function renderFindParcel(root: HTMLElement, route: Route): Promise<void> {
  const ext = route.query.get('external_id') ?? '';
  const toMap = route.query.get('map') === '1';
  const back = link('/registry/topology', { class: 'back' }, `‹ ${t('topology.title')}`);
  replace(root, loading());
  let bbox = (route.query.get('bbox') ?? '').split(',').filter(Boolean).map(Number);
  try {
    if (bbox.length !== 4 || bbox.some((v) => !Number.isFinite(v))) {
      if (!findingsMap) findingsMap = api.get<FeatureCollection<Finding>>('/api/v1/map/topology', { limit: 50000 });
      const fc = await findingsMap.catch((err) => {
        findingsMap = null;
        throw err;
      });
      const f = fc.features.find((x) => x.properties.parcel_a === ext || x.properties.parcel_b === ext);
      bbox = geometryBBox(f?.geometry) ?? [];
    }
    if (bbox.length === 4) {
      const pad = 0.0005;
      const near = [bbox[0] - pad, bbox[1] - pad, bbox[2] + pad, bbox[3] + pad].map((v) => v.toFixed(6)).join(',');
      const parcels = await api.get<FeatureCollection<ParcelProps>>('/api/v1/map/parcels', { bbox: near, limit: 2000 });
      const hit = parcels.features.find((x) => x.properties.external_id === ext);
      if (hit) {
        navigate(toMap ? `/registry?topology=1&parcel=${hit.properties.id}` : `/registry/parcels/${hit.properties.id}`, { replace: true });
        return;
      }
    }
    replace(root, back, h('p', { class: 'alert alert-info', 'data-testid': 'parcel-not-found' }, t('topology.parcel_not_found', { id: ext })));
  } catch (err) {
    replace(root, back, errorBox(err));
  }
}
