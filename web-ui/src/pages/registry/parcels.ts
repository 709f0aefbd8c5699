// The parcel list: the map's filters plus a date and a search by code, map sheet
// and parcel number, one page at a time in the server's natural order (1-1, 1-2,
// 1-10) by code or by sheet, a table on a laptop and cards on a phone. Officers
// with registry.write can register a parcel from a GeoJSON file.
import { api, type Page } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, navigate, setQuery, type Route } from '../../lib/router';
import { can } from '../../lib/session';
import { dateInput, field } from '../../lib/ui';
import { icon } from '../../lib/icons';
import { fmtDate, t, todayIso } from '../../i18n';
import { cropChip, ha, illustrativeBadge, landUseName, producerKindLabel, rightKindLabel, stateBadge, type ParcelItem } from '../../lib/registry';
import { activeFilters, filterBar, filterQuery, listApiFilters, mapFilterQuery, queryString, readFilters } from './filters';
import { dataTable, listView, scopeEmpty, type SortState } from '../../lib/list';
import { openParcelForm } from './forms';

const PAGE_SIZE = 50;

export function renderParcels(root: HTMLElement, route: Route): void {
  document.title = `${t('parcels.title')} · nongsan`;
  const filters = readFilters(route.query);
  // The server orders by code (the default) or by map sheet then parcel number, both ascending.
  const state = { as_of: route.query.get('as_of') ?? '', sort: route.query.get('sort') === 'sheet' ? 'sheet' : '' };
  const sortState = (): SortState => ({ key: state.sort || 'external_id', desc: false });
  const list = listView<ParcelItem>({
    pageSize: PAGE_SIZE,
    page: Number(route.query.get('page') ?? '1'),
    fetch: (pg) => api.get<Page<ParcelItem>>('/api/v1/parcels', { ...listApiFilters(filters), as_of: state.as_of, sort: state.sort, ...pg }),
    syncUrl: (page) => {
      setQuery({ ...filterQuery(filters), as_of: state.as_of, sort: state.sort, page: page > 1 ? String(page) : '' });
      mapLink.setAttribute('href', `/registry${queryString(mapFilterQuery(filters))}`);
    },
    render: (page) => {
      bar.addCrops(page.items.flatMap((p) => p.crops));
      const dateQ = state.as_of ? `?as_of=${state.as_of}` : '';
      return [
        page.items.some((p) => p.illustrative) ? h('p', { class: 'small muted' }, icon('warn', 14), ' ', t('registry.illustrative_note')) : '',
        dataTable<ParcelItem>(
          [
            { label: t('parcel.external_id'), title: true, sort: 'external_id', cell: (p) => [link(`/registry/parcels/${p.id}${dateQ}`, null, p.external_id), ' ', illustrativeBadge(p.illustrative) ?? ''] },
            { label: t('parcel.sheet_parcel'), sort: 'sheet', cell: (p) => `${p.sheet_no || '–'} / ${p.parcel_no || '–'}` },
            { label: t('parcel.commune'), class: 'cell-commune', cell: (p) => p.commune?.name ?? t('common.none') },
            {
              label: t('parcel.land_use_code'),
              cell: (p) => {
                if (!p.land_use_code) return h('span', { class: 'muted' }, t('common.none'));
                const name = landUseName(p);
                return h('span', { class: 'land-use', title: name ?? t('land_use.unknown') }, h('span', { class: 'mono' }, p.land_use_code), h('span', { class: 'muted small land-use-name' }, name ?? t('land_use.unknown')));
              },
            },
            { label: t('parcel.area'), class: 'num', cell: (p) => ha(p.area_ha) },
            { label: t('parcel.crops'), cell: (p) => (p.crops.length ? h('span', { class: 'chips' }, ...p.crops.map(cropChip)) : h('span', { class: 'muted' }, t('crop.none'))) },
            {
              label: t('parcel.holder'),
              cell: (p) =>
                p.holder
                  ? h('span', null, link(`/registry/producers/${p.holder.producer_id}`, null, p.holder.name), h('span', { class: 'muted small' }, ` · ${rightKindLabel(p.holder.right)}`), h('span', { class: 'muted small hide-sm' }, ` · ${producerKindLabel(p.holder.kind)}`))
                  : h('span', { class: 'muted' }, t('parcel.no_holder')),
            },
            { label: t('parcel.state'), cell: (p) => [stateBadge(p.state), p.valid_to ? h('span', { class: 'muted small' }, ` ${t('parcel.retired_on', { date: fmtDate(p.valid_to) })}`) : ''] },
          ],
          page.items,
          {
            class: 'table-parcels',
            testId: 'parcel-table',
            row: (p) => ({ 'data-parcel-id': String(p.id) }),
            sort: sortState(),
            onSort: (s) => {
              state.sort = s.key === 'sheet' ? 'sheet' : '';
              void list.reload(true);
            },
          },
        ),
      ];
    },
    empty: (page) => scopeEmpty(t('list.what.parcels'), { filtered: activeFilters(filters) > 0, date: state.as_of, server: page.empty }),
    emptyTestId: 'no-parcels',
  });
  const asOf = dateInput('as_of', state.as_of || todayIso(), (v) => {
    state.as_of = v === todayIso() ? '' : v;
    void list.reload(true);
  });
  const bar = filterBar(filters, () => void list.reload(true), [field(t('parcel.as_of'), asOf.el, { name: 'as_of' })], { search: true });
  const mapLink = h('a', { href: '/registry', class: 'btn', 'data-testid': 'map-view' }, icon('map', 16), t('registry.map_view'));
  mapLink.addEventListener('click', (ev) => {
    if (ev.button !== 0 || ev.metaKey || ev.ctrlKey) return;
    ev.preventDefault();
    navigate(mapLink.getAttribute('href') ?? '/registry');
  });
  const flash = h('div', { class: 'flash', 'aria-live': 'polite' });
  const addBtn = can('registry.write') ? h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'add-parcel' }, `+ ${t('parcels.add')}`) : null;
  addBtn?.addEventListener('click', () =>
    openParcelForm((created) => {
      navigate(`/registry/parcels/${created.id}`);
    }),
  );
  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', null, t('parcels.title')), h('div', { class: 'page-actions' }, mapLink, addBtn ?? '')),
    h('p', { class: 'intro' }, t('parcels.intro')),
    h('div', { class: 'filter-toggle-row' }, bar.toggle),
    bar.el,
    flash,
    list.el,
  );
  void list.reload();
}
