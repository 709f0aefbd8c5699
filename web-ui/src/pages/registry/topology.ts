// Topology findings of the parcel layer: overlaps between parcels, parcels
// outside their commune, invalid shapes and slivers (/api/v1/topology/findings),
// with links to the parcels and to the map layer.
import { api, type Page } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, setQuery, type Route } from '../../lib/router';
import { badge, errorBox, field, loading, pager, select } from '../../lib/ui';
import { icon } from '../../lib/icons';
import { fmtNumber, fmtTimestamp, t } from '../../i18n';
import { FINDING_KINDS, findingKindLabel, findingParcelId, findingParcelName, routeMissing, type Finding, type FindingParcel } from '../../lib/registry';


function parcelLink(p: FindingParcel): Node | string {
  const id = findingParcelId(p);
  return id ? link(`/registry/parcels/${id}`, null, findingParcelName(p)) : t('common.none');
}

/** The finding's measure: an area in m² for overlaps, slivers and parts outside; nothing for invalid shapes. */
function valueText(f: Finding): string {
  if (f.value === null || f.value === undefined) return t('common.none');
  return f.kind === 'invalid' ? fmtNumber(f.value, 2) : `${fmtNumber(f.value, 1)} m²`;
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
                const a = findingParcelId(f.parcel_a);
                return h(
                  'tr',
                  { 'data-kind': f.kind },
                  h('td', { class: 'cell-title' }, badge(findingKindLabel(f.kind), f.kind === 'overlap' || f.kind === 'invalid' ? 'warn' : 'neutral')),
                  h('td', { 'data-label': t('topology.parcels') }, parcelLink(f.parcel_a), f.parcel_b !== null && f.parcel_b !== undefined ? h('span', null, ' ↔ ', parcelLink(f.parcel_b)) : ''),
                  h('td', { class: 'num', 'data-label': t('topology.value') }, valueText(f)),
                  h('td', { 'data-label': t('topology.message') }, f.message),
                  h('td', { class: 'actions' }, a ? link(`/registry?topology=1&parcel=${a}`, { class: 'btn btn-small' }, icon('map', 14), t('topology.show')) : ''),
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
