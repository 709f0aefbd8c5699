// OCOP — the products with their stars and the certificate's status on a chosen date
// (GET /ocop/status): counts by status on top (click to filter), then the list; a
// provincial 90+ shows its proposal to the centre. The date and filter live in the URL.
import { h, replace } from '../../lib/dom';
import { link, setQuery, type Route } from '../../lib/router';
import { dataTable, filterForm, filterSelect, type Column } from '../../lib/list';
import { dateInput, errorBox, loading } from '../../lib/ui';
import { fmtDate, t, todayIso } from '../../i18n';
import { OCOP_STATUSES, ocopApi, statusLabel, type StatusRow } from './ocop_api';
import { ocopTabs, starsNode, statusBadge } from './common';

export async function renderOcopProducts(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('ocop.title')} · nongsan`;
  let on = route.query.get('on') || todayIso();
  let status = route.query.get('status') ?? '';
  const body = h('div', { 'aria-live': 'polite', 'data-testid': 'ocop-products' });
  const date = dateInput('on', on, (v) => {
    if (!v) return;
    on = v;
    setQuery({ on, status });
    void load();
  });
  const statusSel = filterSelect('status', OCOP_STATUSES.map((s) => ({ value: s, label: statusLabel(s) })), status, (v) => {
    status = v;
    setQuery({ on, status });
    void load();
  });
  replace(
    root,
    h('h1', null, t('ocop.title')),
    h('p', { class: 'muted' }, t('ocop.intro')),
    ocopTabs('products'),
    filterForm([t('ocop.on_date'), date.el, 'on'], [t('ocop.col.status'), statusSel, 'status']),
    body,
  );

  async function load(): Promise<void> {
    replace(body, loading());
    try {
      const r = await ocopApi.status(on);
      replace(body, render(r.items));
    } catch (err) {
      replace(body, errorBox(err));
    }
  }

  function render(items: StatusRow[]): Node {
    const counts = new Map<string, number>();
    for (const i of items) counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
    const tiles = h(
      'div',
      { class: 'ocop-summary' },
      ...OCOP_STATUSES.map((s) =>
        h('div', { class: 'tile', 'data-testid': `count-${s}`, 'data-value': String(counts.get(s) ?? 0) }, h('div', { class: 'tile-label' }, statusLabel(s)), h('div', { class: 'tile-value' }, String(counts.get(s) ?? 0))),
      ),
    );
    const shown = status ? items.filter((i) => i.status === status) : items;
    if (!shown.length) return h('div', null, tiles, h('p', { class: 'empty', 'data-testid': 'ocop-empty' }, t('ocop.none_listed')));
    const columns: Column<StatusRow>[] = [
      { label: t('ocop.col.product'), title: true, cell: (r) => link(`/ocop/products/${encodeURIComponent(r.product)}?on=${on}`, { 'data-product': r.product }, `${r.name} (${r.product})`) },
      {
        label: t('ocop.col.stars'),
        cell: (r) => [starsNode(r.stars), r.proposed_to_centre ? h('div', { class: 'ocop-proposal', 'data-proposal': '1' }, t('ocop.proposed_to_centre')) : null],
      },
      { label: t('ocop.col.status'), cell: (r) => statusBadge(r.status) },
      { label: t('ocop.col.decision_date'), cell: (r) => fmtDate(r.decision_date) || t('common.none') },
      { label: t('ocop.col.expires'), cell: (r) => fmtDate(r.expires) || t('common.none') },
      { label: t('ocop.col.days_left'), class: 'num', cell: (r) => (r.days_left === null ? t('common.none') : String(r.days_left)) },
    ];
    return h('div', null, tiles, dataTable(columns, shown, { testId: 'ocop-table', row: (r) => ({ 'data-product': r.product, 'data-status': r.status }) }));
  }

  await load();
}
