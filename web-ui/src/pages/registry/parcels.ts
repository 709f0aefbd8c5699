// The parcel list: the map's filters plus a date, one page at a time, a table
// on a laptop and cards on a phone. Officers with registry.write can register a
// parcel from a GeoJSON file.
import { api, type Page } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, navigate, setQuery, type Route } from '../../lib/router';
import { can } from '../../lib/session';
import { dateInput, errorBox, field, loading, pager } from '../../lib/ui';
import { icon } from '../../lib/icons';
import { fmtDate, t, todayIso } from '../../i18n';
import { cropChip, ha, illustrativeBadge, producerKindLabel, rightKindLabel, stateBadge, type ParcelItem } from '../../lib/registry';
import { apiFilters, filterBar, filterQuery, queryString, readFilters } from './filters';
import { openParcelForm } from './forms';

const PAGE_SIZE = 50;

export function renderParcels(root: HTMLElement, route: Route): void {
  document.title = `${t('parcels.title')} · nongsan`;
  const filters = readFilters(route.query);
  const state = {
    as_of: route.query.get('as_of') ?? '',
    page: Number(route.query.get('page') ?? '1') || 1,
  };
  const asOf = dateInput('as_of', state.as_of || todayIso(), (v) => {
    state.as_of = v === todayIso() ? '' : v;
    state.page = 1;
    void load();
  });
  const bar = filterBar(filters, () => {
    state.page = 1;
    void load();
  }, [field(t('parcel.as_of'), asOf.el, { name: 'as_of' })]);
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
  const results = h('div', { class: 'results' });
  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', null, t('parcels.title')), h('div', { class: 'page-actions' }, mapLink, addBtn ?? '')),
    h('p', { class: 'intro' }, t('parcels.intro')),
    h('div', { class: 'filter-toggle-row' }, bar.toggle),
    bar.el,
    flash,
    results,
  );

  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    const qs = { ...filterQuery(filters), as_of: state.as_of, page: state.page > 1 ? String(state.page) : '' };
    setQuery(qs);
    mapLink.setAttribute('href', `/registry${queryString(filterQuery(filters))}`);
    replace(results, loading());
    try {
      const page = await api.get<Page<ParcelItem>>('/api/v1/parcels', { ...apiFilters(filters), as_of: state.as_of, page: state.page, page_size: PAGE_SIZE });
      if (mine !== seq) return;
      bar.addCrops(page.items.flatMap((p) => p.crops));
      if (!page.items.length) {
        replace(results, h('p', { class: 'empty', 'data-testid': 'no-parcels' }, t('parcels.none')));
        return;
      }
      const dateQ = state.as_of ? `?as_of=${state.as_of}` : '';
      const rows = page.items.map((p) =>
        h(
          'tr',
          { 'data-parcel-id': String(p.id) },
          h('td', { class: 'cell-title' }, link(`/registry/parcels/${p.id}${dateQ}`, null, p.external_id), ' ', illustrativeBadge(p.illustrative) ?? ''),
          h('td', { 'data-label': t('parcel.sheet_parcel') }, `${p.sheet_no || '–'} / ${p.parcel_no || '–'}`),
          h('td', { 'data-label': t('parcel.commune'), class: 'cell-commune' }, p.commune?.name ?? t('common.none')),
          h('td', { 'data-label': t('parcel.land_use_code'), class: 'mono' }, p.land_use_code || t('common.none')),
          h('td', { class: 'num', 'data-label': t('parcel.area') }, ha(p.area_ha)),
          h('td', { 'data-label': t('parcel.crops') }, p.crops.length ? h('span', { class: 'chips' }, ...p.crops.map(cropChip)) : h('span', { class: 'muted' }, t('crop.none'))),
          h(
            'td',
            { 'data-label': t('parcel.holder') },
            p.holder
              ? h('span', null, link(`/registry/producers/${p.holder.producer_id}`, null, p.holder.name), h('span', { class: 'muted small' }, ` · ${rightKindLabel(p.holder.right)}`), h('span', { class: 'muted small hide-sm' }, ` · ${producerKindLabel(p.holder.kind)}`))
              : h('span', { class: 'muted' }, t('parcel.no_holder')),
          ),
          h('td', { 'data-label': t('parcel.state') }, stateBadge(p.state), p.valid_to ? h('span', { class: 'muted small' }, ` ${t('parcel.retired_on', { date: fmtDate(p.valid_to) })}`) : ''),
        ),
      );
      const anyIllustrative = page.items.some((p) => p.illustrative);
      replace(
        results,
        anyIllustrative ? h('p', { class: 'small muted' }, icon('warn', 14), ' ', t('registry.illustrative_note')) : '',
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table table-stack table-parcels', 'data-testid': 'parcel-table' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', null, t('parcel.external_id')),
                h('th', null, t('parcel.sheet_parcel')),
                h('th', null, t('parcel.commune')),
                h('th', null, t('parcel.land_use_code')),
                h('th', { class: 'num' }, t('parcel.area')),
                h('th', null, t('parcel.crops')),
                h('th', null, t('parcel.holder')),
                h('th', null, t('parcel.state')),
              ),
            ),
            h('tbody', null, ...rows),
          ),
        ),
        pager(page.page, page.page_size, page.total, (p) => {
          state.page = p;
          void load();
        }),
      );
    } catch (err) {
      if (mine === seq) replace(results, errorBox(err));
    }
  }
  void load();
}
