// Topology findings of the parcel layer: overlaps between parcels, parcels
// outside their commune, invalid shapes and slivers (/api/v1/topology/findings),
// with links to the parcels and to the map layer.
import { api, type Page } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, navigate, setQuery, type Route } from '../../lib/router';
import { badge, errorBox, loading } from '../../lib/ui';
import { icon } from '../../lib/icons';
import { dataTable, filterForm, filterSelect, listView } from '../../lib/list';
import { fmtTimestamp, t } from '../../i18n';
import { FINDING_KINDS, findingKindLabel, findingParcelHref, findingParcelName, findingText, findingValue, geometryBBox, routeMissing, serverHasRoute, type FeatureCollection, type Finding, type FindingParcel, type ParcelProps } from '../../lib/registry';


function parcelLink(p: FindingParcel): Node | string {
  const href = findingParcelHref(p);
  return href ? link(href, null, findingParcelName(p)) : t('common.none');
}

export function renderTopology(root: HTMLElement, route: Route): void {
  document.title = `${t('topology.title')} · nongsan`;
  const state = { kind: route.query.get('kind') ?? '' };
  const missing = (): HTMLElement => h('p', { class: 'alert alert-info', 'data-testid': 'topology-missing' }, t('topology.not_available'));
  class RouteMissing extends Error {}
  const list = listView<Finding>({
    pageSize: 50,
    page: Number(route.query.get('page') ?? '1'),
    fetch: async (pg) => {
      if (!(await serverHasRoute('/api/v1/topology/findings'))) throw new RouteMissing();
      return api.get<Page<Finding>>('/api/v1/topology/findings', { kind: state.kind, page: pg.page });
    },
    syncUrl: (page) => setQuery({ kind: state.kind, page: page > 1 ? page : '' }),
    render: (page) => {
      const checked = page.items.map((f) => f.checked_at).filter(Boolean).sort().pop();
      return [
        checked ? h('p', { class: 'muted small' }, t('topology.checked_at', { at: fmtTimestamp(checked) })) : '',
        dataTable<Finding>(
          [
            { label: t('topology.kind'), title: true, cell: (f) => badge(findingKindLabel(f.kind), f.kind === 'overlap' || f.kind === 'invalid' ? 'warn' : 'neutral') },
            { label: t('topology.parcels'), cell: (f) => [parcelLink(f.parcel_a), f.parcel_b !== null && f.parcel_b !== undefined ? h('span', null, ' ↔ ', parcelLink(f.parcel_b)) : ''] },
            { label: t('topology.value'), class: 'num', cell: (f) => findingValue(f) },
            { label: t('topology.message'), cell: (f) => h('span', { title: f.message }, findingText(f)) },
            {
              label: '',
              class: 'actions',
              cell: (f) => {
                const a = findingParcelName(f.parcel_a);
                return a ? link(`/registry/parcels/find?${new URLSearchParams({ external_id: a, map: '1' }).toString()}`, { class: 'btn btn-small' }, icon('map', 14), t('topology.show')) : '';
              },
            },
          ],
          page.items,
          { testId: 'finding-table', row: (f) => ({ 'data-kind': f.kind }) },
        ),
      ];
    },
    empty: () => t('topology.none'),
    emptyTestId: 'no-findings',
    failed: (err) => (err instanceof RouteMissing || routeMissing(err) ? missing() : null),
  });
  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', null, t('topology.title')), h('div', { class: 'page-actions' }, link('/registry?topology=1', { class: 'btn', 'data-testid': 'topology-map' }, icon('map', 16), t('topology.on_map')))),
    h('p', { class: 'intro' }, t('topology.intro')),
    filterForm([t('topology.kind'), filterSelect('kind', FINDING_KINDS.map((k) => ({ value: k, label: findingKindLabel(k) })), state.kind, (v) => ((state.kind = v), void list.reload(true))), 'kind']),
    list.el,
  );
  void list.reload();
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
