// Producers (households, cooperatives, enterprises, farms): a list whose search
// ignores diacritics (the server folds them: "lo van pao" finds "Lò Văn Páo"),
// and one producer's page with masked personal data, members, organisations,
// the parcels held and possible duplicates.
import { api, type Page } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, navigate, setQuery, type Route } from '../../lib/router';
import { can } from '../../lib/session';
import { badge, errorBox, revealable } from '../../lib/ui';
import { icon } from '../../lib/icons';
import { fmtDate, fmtNumber, fmtTimestamp, t, todayIso } from '../../i18n';
import { PRODUCER_KINDS, ha, illustrativeBadge, loadCommunes, producerKindLabel, rightKindLabel, type Producer, type ProducerDetail } from '../../lib/registry';
import { openProducerForm } from './forms';
import { dataTable, filterForm, filterSelect, listView, scopeEmpty, searchInput } from '../../lib/list';

const PAGE_SIZE = 50;

export function renderProducers(root: HTMLElement, route: Route): void {
  document.title = `${t('producers.title')} · nongsan`;
  const state = {
    q: route.query.get('q') ?? '',
    kind: route.query.get('kind') ?? '',
    unit_id: route.query.get('unit_id') ?? '',
  };
  const list = listView<Producer>({
    pageSize: PAGE_SIZE,
    page: Number(route.query.get('page') ?? '1'),
    fetch: (pg) => api.get<Page<Producer>>('/api/v1/producers', { q: state.q, kind: state.kind, unit_id: state.unit_id, ...pg }),
    syncUrl: (page) => setQuery({ q: state.q, kind: state.kind, unit_id: state.unit_id, page: page > 1 ? page : '' }),
    render: (page) => [
      page.items.some((p) => p.illustrative) ? h('p', { class: 'small muted' }, icon('warn', 14), ' ', t('registry.illustrative_note')) : '',
      dataTable<Producer>(
        [
          { label: t('producer.name'), title: true, cell: (p) => [link(`/registry/producers/${p.id}`, null, p.name), ' ', illustrativeBadge(p.illustrative) ?? ''] },
          { label: t('producer.kind'), cell: (p) => producerKindLabel(p.kind) },
          { label: t('producer.unit'), cell: (p) => p.unit?.name ?? t('common.none') },
          { label: t('producer.members_count'), class: 'num', cell: (p) => (p.members_count !== null ? fmtNumber(p.members_count, 0) : t('common.none')) },
          { label: t('producer.tax_code'), class: 'mono', cell: (p) => p.tax_code || t('common.none') },
          { label: t('producer.phone'), class: 'mono masked', cell: (p) => p.phone || t('common.none') },
        ],
        page.items,
        { testId: 'producer-table', row: (p) => ({ 'data-producer-id': String(p.id) }) },
      ),
    ],
    empty: (page) => scopeEmpty(t('list.what.producers'), { filtered: !!(state.q || state.kind || state.unit_id), server: page.empty }),
  });
  const changed = (): void => void list.reload(true);
  const unit = filterSelect('unit_id', [], state.unit_id, (v) => ((state.unit_id = v), changed()));
  void loadCommunes()
    .then((cs) => {
      for (const u of cs) unit.append(h('option', { value: String(u.id) }, u.name));
      unit.value = state.unit_id;
    })
    .catch(() => undefined);
  const addBtn = can('registry.write') ? h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'add-producer' }, `+ ${t('producer.add')}`) : null;
  addBtn?.addEventListener('click', () => openProducerForm(null, (p) => navigate(`/registry/producers/${p.id}`)));

  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', null, t('producers.title')), h('div', { class: 'page-actions' }, addBtn ?? '')),
    h('p', { class: 'intro' }, t('producers.intro')),
    filterForm(
      [t('common.search'), searchInput('q', state.q, t('producers.search_placeholder'), (v) => ((state.q = v), changed())), 'q', t('producers.search_hint')],
      [t('producer.kind'), filterSelect('kind', PRODUCER_KINDS.map((k) => ({ value: k, label: producerKindLabel(k) })), state.kind, (v) => ((state.kind = v), changed())), 'kind'],
      [t('producer.unit'), unit, 'unit_id'],
    ),
    list.el,
  );
  void list.reload();
}

export async function renderProducerDetail(root: HTMLElement, route: Route): Promise<void> {
  const back = link('/registry/producers', { class: 'back' }, `‹ ${t('producers.title')}`);
  let p: ProducerDetail;
  try {
    p = await api.get<ProducerDetail>(`/api/v1/producers/${encodeURIComponent(route.params.id)}`);
  } catch (err) {
    replace(root, back, errorBox(err));
    return;
  }
  document.title = `${p.name} · nongsan`;
  const flash = h('div', { class: 'flash', 'aria-live': 'polite', 'data-testid': 'producer-flash' });
  const log = (el: HTMLElement): void => replace(flash, el);
  const editBtn = can('registry.write') ? h('button', { type: 'button', class: 'btn', 'data-testid': 'edit-producer' }, t('common.edit')) : null;
  editBtn?.addEventListener('click', () => openProducerForm(p, () => navigate(`/registry/producers/${p.id}`, { replace: true })));
  const today = todayIso();
  const organisation = p.kind !== 'household';

  const details = h(
    'section',
    { class: 'card', 'data-testid': 'producer-facts' },
    h('div', { class: 'card-head' }, h('h2', null, t('producer.details')), editBtn ?? ''),
    h(
      'dl',
      { class: 'facts' },
      ...([
        [t('producer.kind'), producerKindLabel(p.kind)],
        [t('producer.unit'), p.unit ? link(`/units/${p.unit.id}`, null, p.unit.name) : t('common.none')],
        [t('producer.external_id'), h('span', { class: 'mono' }, p.external_id || t('common.none'))],
        [t('producer.members_count'), p.members_count !== null ? fmtNumber(p.members_count) : t('common.none')],
        [t('producer.ethnicity'), p.ethnicity || t('common.none')],
        [t('producer.tax_code'), h('span', { class: 'mono' }, p.tax_code || t('common.none'))],
        [t('producer.citizen_id'), revealable(p.citizen_id, 'citizen_id', `/api/v1/producers/${p.id}/reveal`, log)],
        [t('producer.phone'), revealable(p.phone, 'phone', `/api/v1/producers/${p.id}/reveal`, log)],
        [t('producer.address'), p.address || t('common.none')],
        [t('producer.updated_at'), fmtTimestamp(p.updated_at)],
      ] as [string, Node | string][]).flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
    ),
    p.citizen_id || p.phone ? h('p', { class: 'small muted' }, t('producer.masked_note')) : '',
  );

  const people = (title: string, rows: { id: number; name: string }[], empty: string, testid: string): HTMLElement =>
    h(
      'section',
      { class: 'card', 'data-testid': testid },
      h('h2', null, `${title} (${fmtNumber(rows.length)})`),
      rows.length ? h('ul', { class: 'link-list' }, ...rows.map((r) => h('li', null, link(`/registry/producers/${r.id}`, null, r.name)))) : h('p', { class: 'muted' }, empty),
    );

  const held = p.rights.filter((r) => r.valid_from <= today && (!r.valid_to || today <= r.valid_to));
  const heldHa = held.reduce((s, r) => s + (r.parcel?.area_ha ?? 0), 0);
  const rights = h(
    'section',
    { class: 'card', 'data-testid': 'producer-rights' },
    h('div', { class: 'card-head' }, h('h2', null, t('producer.parcels_held')), link(`/registry?holder_id=${p.id}&holder_name=${encodeURIComponent(p.name)}`, { class: 'btn btn-small' }, icon('map', 16), t('producer.parcels_on_map'))),
    h('p', { class: 'muted small' }, t('producer.held_summary', { n: fmtNumber(held.length), ha: fmtNumber(heldHa, 2) })),
    p.rights.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table table-stack' },
            h('thead', null, h('tr', null, h('th', null, t('parcel.external_id')), h('th', null, t('right.kind')), h('th', null, t('right.period')), h('th', { class: 'num' }, t('parcel.area')), h('th', null, ''))),
            h(
              'tbody',
              null,
              ...[...p.rights]
                .sort((a, b) => (a.valid_from < b.valid_from ? 1 : -1))
                .map((r) => {
                  const active = r.valid_from <= today && (!r.valid_to || today <= r.valid_to);
                  return h(
                    'tr',
                    { class: active ? 'row-active' : '' },
                    h('td', { class: 'cell-title' }, r.parcel ? link(`/registry/parcels/${r.parcel.id}`, null, r.parcel.external_id) : t('common.none')),
                    h('td', { 'data-label': t('right.kind') }, rightKindLabel(r.kind)),
                    h('td', { class: 'nowrap', 'data-label': t('right.period') }, `${fmtDate(r.valid_from)} – ${r.valid_to ? fmtDate(r.valid_to) : t('right.open')}`),
                    h('td', { class: 'num', 'data-label': t('parcel.area') }, ha(r.parcel?.area_ha ?? null)),
                    h('td', null, active ? badge(t('right.in_force'), 'ok') : ''),
                  );
                }),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('producer.no_parcels')),
  );

  replace(
    root,
    back,
    h('div', { class: 'page-head' }, h('h1', { 'data-testid': 'producer-name' }, p.name), h('div', { class: 'badges' }, badge(producerKindLabel(p.kind), 'level'), illustrativeBadge(p.illustrative) ?? '')),
    p.illustrative ? h('p', { class: 'alert alert-warn' }, t('registry.illustrative_note')) : '',
    p.possible_duplicates.length
      ? h(
          'div',
          { class: 'alert alert-warn', 'data-testid': 'duplicates' },
          h('strong', null, t('producer.possible_duplicates')),
          ' ',
          ...p.possible_duplicates.flatMap((d, i) => [i ? ', ' : '', link(`/registry/producers/${d}`, null, `#${d}`)]),
        )
      : '',
    flash,
    h(
      'div',
      { class: 'detail-grid' },
      details,
      h(
        'div',
        null,
        organisation ? people(t('producer.members'), p.members, t('producer.no_members'), 'producer-members') : '',
        people(t('producer.organisations'), p.organisations, t('producer.no_organisations'), 'producer-organisations'),
      ),
    ),
    rights,
  );
}
