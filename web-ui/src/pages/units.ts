// Administrative units: a searchable, paginated list at a chosen date, and the
// detail of one unit with its children, predecessors and successors.
import { api, type Page, type Unit, type UnitDetail, type Succession } from '../lib/api';
import { h, replace } from '../lib/dom';
import { dataTable, filterForm, filterSelect, listView, searchInput } from '../lib/list';
import { link, setQuery, type Route } from '../lib/router';
import { areaHa, badge, basisLabel, dateInput, errorBox, geomBadge, levelLabel, validity } from '../lib/ui';
import { icon } from '../lib/icons';
import { fmtDate, fmtNumber, fmtPercent, t, todayIso } from '../i18n';

const PAGE_SIZE = 25;

export function renderUnits(root: HTMLElement, route: Route): void {
  document.title = `${t('units.title')} · nongsan`;
  const state = {
    q: route.query.get('q') ?? '',
    level: route.query.get('level') ?? '',
    as_of: route.query.get('as_of') ?? todayIso(),
  };
  const list = listView<Unit>({
    pageSize: PAGE_SIZE,
    page: Number(route.query.get('page') ?? '1'),
    fetch: (pg) => api.get<Page<Unit>>('/api/v1/units', { q: state.q, level: state.level, as_of: state.as_of, ...pg }),
    syncUrl: (page) => setQuery({ q: state.q, level: state.level, as_of: state.as_of === todayIso() ? '' : state.as_of, page: page > 1 ? page : '' }),
    render: (page) => [
      dataTable<Unit>(
        [
          { label: t('unit.code'), class: 'mono', cell: (u) => u.code },
          { label: t('unit.name'), cell: (u) => link(`/units/${u.id}?as_of=${state.as_of}`, null, u.name) },
          { label: t('unit.level'), cell: (u) => levelLabel(u.level) },
          { label: t('unit.parent'), class: 'hide-sm', cell: (u) => (u.parent ? u.parent.name : t('common.none')) },
          { label: t('unit.validity'), class: 'hide-sm nowrap', cell: (u) => validity(u.valid_from, u.valid_to) },
          { label: t('unit.area_ha'), class: 'num hide-sm', cell: (u) => areaHa(u.area_ha) },
          { label: t('unit.geometry'), class: 'hide-sm', cell: (u) => geomBadge(u.geom_source) ?? '' },
        ],
        page.items,
        { class: 'table-units' },
      ),
    ],
    empty: () => h('p', null, t('list.none_match', { what: t('list.what.units') })),
  });
  const changed = (): void => void list.reload(true);
  const asOf = dateInput('as_of', state.as_of, (v) => {
    state.as_of = v || todayIso();
    changed();
  });
  replace(
    root,
    h('h1', null, t('units.title')),
    h('p', { class: 'intro' }, t('units.intro')),
    filterForm(
      [t('common.search'), searchInput('q', state.q, t('units.search_placeholder'), (v) => ((state.q = v), changed())), 'q'],
      [t('unit.level'), filterSelect('level', (['province', 'district', 'commune'] as const).map((l) => ({ value: l, label: levelLabel(l) })), state.level, (v) => ((state.level = v), changed())), 'level'],
      [t('unit.as_of'), asOf.el, 'as_of'],
    ),
    list.el,
  );
  void list.reload();
}

function successionTable(rows: Succession[], asOf: string): HTMLElement {
  if (!rows.length) return h('p', { class: 'muted' }, t('unit.none_linked'));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table table-stack' },
      h(
        'thead',
        null,
        h('tr', null, h('th', null, t('unit.name')), h('th', null, t('unit.code')), h('th', { class: 'num' }, t('unit.share')), h('th', null, t('unit.basis')), h('th', null, t('unit.effective_date')), h('th', { class: 'hide-sm' }, t('unit.legal_basis'))),
      ),
      h(
        'tbody',
        null,
        ...rows.map((s) => {
          // A successor exists from the effective date, a predecessor the day before it.
          const date = s.effective_date ?? asOf;
          return h(
            'tr',
            null,
            h('td', { class: 'cell-title' }, link(`/units/${s.unit.id}?as_of=${date}`, null, s.unit.name), ' ', h('span', { class: 'muted small' }, levelLabel(s.unit.level))),
            h('td', { class: 'mono', 'data-label': t('unit.code') }, s.unit.code),
            h('td', { class: 'num', 'data-label': t('unit.share') }, fmtPercent(s.share)),
            h('td', { 'data-label': t('unit.basis') }, basisLabel(s.basis)),
            h('td', { class: 'nowrap', 'data-label': t('unit.effective_date') }, fmtDate(s.effective_date)),
            h('td', { class: 'hide-sm small' }, s.legal_basis ?? ''),
          );
        }),
      ),
    ),
  );
}

/** "Cấp xã (Phường)": the kind only when it adds something to the level. */
function kindNote(u: Unit): string {
  const level = levelLabel(u.level);
  return u.kind && !level.toLowerCase().includes(u.kind.toLowerCase()) ? `${level} (${u.kind})` : level;
}

/** The facts of a unit as a definition list; shared by the detail page and the map's side panel. */
export function unitFacts(u: UnitDetail | Unit): HTMLElement {
  const detail = u as UnitDetail;
  const rows: [string, Node | string][] = [
    [t('unit.code'), h('span', { class: 'mono' }, u.code)],
    [t('unit.level'), kindNote(u)],
    [t('unit.area_ha'), areaHa(u.area_ha)],
    [t('unit.valid_from'), fmtDate(u.valid_from)],
    [t('unit.valid_to'), u.valid_to ? fmtDate(u.valid_to) : t('unit.still_valid')],
    [t('unit.parent'), u.parent ? link(`/units/${u.parent.id}?as_of=${u.valid_from}`, null, u.parent.name) : t('common.none')],
  ];
  if (detail.ancestors && detail.ancestors.length > 1) {
    rows.push([t('unit.ancestors'), detail.ancestors.map((a) => a.name).join(' › ')]);
  }
  // The source is a note written with the data (possibly in another language): quoted as it is.
  if (u.source) rows.push([t('unit.source'), h('span', { 'data-verbatim': 'source' }, u.source)]);
  return h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

export async function renderUnitDetail(root: HTMLElement, route: Route): Promise<void> {
  let asOf = route.query.get('as_of') ?? todayIso();
  const id = route.params.id;
  let u: UnitDetail;
  try {
    u = await api.get<UnitDetail>(`/api/v1/units/${encodeURIComponent(id)}`, { as_of: asOf });
    // Without a date in the link, show a unit that no longer exists as it was on its last day.
    if (!route.query.get('as_of') && u.valid_to && u.valid_to < asOf) {
      asOf = u.valid_to;
      u = await api.get<UnitDetail>(`/api/v1/units/${encodeURIComponent(id)}`, { as_of: asOf });
    }
  } catch (err) {
    replace(root, link('/units', { class: 'back' }, `‹ ${t('common.back')}`), errorBox(err));
    return;
  }
  document.title = `${u.name} · nongsan`;
  const mapDate = u.valid_to && u.valid_to < asOf ? u.valid_to : asOf < u.valid_from ? u.valid_from : asOf;
  replace(
    root,
    link('/units', { class: 'back' }, `‹ ${t('units.title')}`),
    h(
      'div',
      { class: 'page-head' },
      h('h1', null, u.name),
      h('div', { class: 'badges' }, badge(levelLabel(u.level), 'level'), geomBadge(u.geom_source) ?? '', u.valid_to ? badge(`${t('unit.valid_to')} ${fmtDate(u.valid_to)}`, 'muted') : ''),
    ),
    u.valid_on_as_of === false ? h('p', { class: 'alert alert-info' }, t('unit.not_valid_on', { date: fmtDate(asOf), validity: validity(u.valid_from, u.valid_to) })) : '',
    u.geom_source === 'illustrative' ? h('p', { class: 'alert alert-warn' }, t('geom.illustrative_note')) : '',
    h('div', { class: 'detail-grid' },
      h('section', { class: 'card' }, unitFacts(u), h('p', null, link(`/map?as_of=${mapDate}&unit=${u.id}&level=${u.level === 'province' ? 'commune' : u.level}`, { class: 'btn' }, icon('map'), t('unit.view_on_map')))),
      h(
        'section',
        { class: 'card' },
        h('h2', null, t('unit.predecessors')),
        successionTable(u.predecessors ?? [], asOf),
        h('h2', null, t('unit.successors')),
        successionTable(u.successors ?? [], asOf),
      ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', null, `${t('unit.children')} (${fmtNumber((u.children ?? []).length)})`, h('span', { class: 'muted small' }, ` · ${t('unit.as_of')} ${fmtDate(asOf)}`)),
      (u.children ?? []).length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table' },
              h('thead', null, h('tr', null, h('th', null, t('unit.code')), h('th', null, t('unit.name')), h('th', null, t('unit.level')), h('th', { class: 'num' }, t('unit.area_ha')), h('th', { class: 'hide-sm' }, t('unit.geometry')))),
              h(
                'tbody',
                null,
                ...u.children.map((c) =>
                  h('tr', null, h('td', { class: 'mono' }, c.code), h('td', null, link(`/units/${c.id}?as_of=${asOf}`, null, c.name)), h('td', null, levelLabel(c.level)), h('td', { class: 'num' }, areaHa(c.area_ha)), h('td', { class: 'hide-sm' }, geomBadge(c.geom_source) ?? '')),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('unit.no_children')),
    ),
  );
}
