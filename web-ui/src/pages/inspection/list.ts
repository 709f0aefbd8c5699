// Inspections within scope (an inspector: their own), filtered by status; each row opens
// the inspection (docs/inspection.md "Officers").
import { h, replace } from '../../lib/dom';
import { link, setQuery, type Route } from '../../lib/router';
import { dataTable, type Column } from '../../lib/list';
import { badge, errorBox, loading, select } from '../../lib/ui';
import { fmtNumber, t } from '../../i18n';
import './inspection.css';
import { inspectionApi, statusLabel, type InspectionRow } from './inspection_api';

export async function renderInspections(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('insp.title')} · nongsan`;
  let status = route.query.get('status') ?? '';
  const body = h('div', { 'aria-live': 'polite' });
  const filter = select('status', [{ value: '', label: t('insp.all') }, ...['assigned', 'open', 'closed'].map((s) => ({ value: s, label: statusLabel(s) }))], status);
  filter.addEventListener('change', () => {
    status = filter.value;
    setQuery({ status });
    void load();
  });
  replace(
    root,
    h('h1', null, t('insp.title')),
    h('p', { class: 'muted' }, t('insp.intro')),
    // Where the inspections come from: the year's plans drawn by risk and at random.
    h('p', null, link('/inspections/plans', { 'data-testid': 'to-plans' }, `${t('insp.to_plans')} →`)),
    // The field app is its own installable page (it works offline), not a route of this one.
    h('p', null, h('a', { href: '/field/', 'data-testid': 'to-field' }, `${t('insp.to_field')} →`)),
    h('form', { class: 'filters', onsubmit: (ev: Event) => ev.preventDefault() }, h('label', null, t('insp.col.status'), ' ', filter)),
    body,
  );
  const cols: Column<InspectionRow>[] = [
    { label: t('insp.col.code'), title: true, cell: (r) => [link(`/inspections/${encodeURIComponent(r.code)}`, null, r.code), r.illustrative ? ' ' : null, r.illustrative ? badge(t('insp.illustrative'), 'warn') : null] },
    { label: t('insp.col.subject'), cell: (r) => `${t(`insp.subject.${r.subject_kind}` as never)}: ${r.subject_ref}` },
    { label: t('insp.col.checklist'), cell: (r) => t(`insp.checklist.${r.checklist_kind}` as never) },
    { label: t('insp.col.status'), cell: (r) => badge(statusLabel(r.status), r.status === 'closed' ? 'ok' : r.status === 'open' ? 'info' : 'neutral') },
    { label: t('insp.col.inspector'), class: 'hide-sm', cell: (r) => r.inspector || t('common.none') },
    { label: t('insp.col.area'), class: 'num', cell: (r) => (r.measured_area_m2 == null ? t('common.none') : `${fmtNumber(r.measured_area_m2, 0)} m²`) },
    { label: t('insp.col.findings'), class: 'num', cell: (r) => (r.open_findings ? badge(t('insp.open_findings', { n: r.open_findings, total: r.findings }), 'warn') : String(r.findings)) },
  ];
  async function load(): Promise<void> {
    replace(body, loading());
    try {
      const r = await inspectionApi.list(status);
      replace(body, r.items.length ? dataTable(cols, r.items, { testId: 'inspections', row: (x) => ({ 'data-code': x.code }) }) : h('p', { class: 'muted' }, t('insp.none')));
    } catch (err) {
      replace(body, errorBox(err));
    }
  }
  await load();
}
