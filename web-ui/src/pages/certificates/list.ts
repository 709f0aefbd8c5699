// Chứng nhận — VietGAP, organic, food-safety and GI-use certificates within scope with
// their holder, issuer, scope and validity, and their status on a date (expiring: within
// the notice period). Filter by kind and status; the date lives in the URL.
import { h, replace } from '../../lib/dom';
import { setQuery, type Route } from '../../lib/router';
import { dataTable, filterForm, filterSelect, type Column } from '../../lib/list';
import { dateInput, errorBox, loading } from '../../lib/ui';
import { fmtDate, t, todayIso, type MessageKey } from '../../i18n';
import { certKindLabel, certStatusLabel, ocopApi, type Certificate } from '../ocop/ocop_api';
import { illustrativeBadge, ocopTabs, statusBadge } from '../ocop/common';

const KINDS = ['vietgap', 'organic', 'food_safety', 'gi_use', 'other'];
const STATUSES = ['valid', 'expiring', 'expired', 'not_yet'];

export async function renderCertificates(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('ocop.tab.certificates')} · nongsan`;
  let on = route.query.get('on') || todayIso();
  let kind = route.query.get('kind') ?? '';
  let status = route.query.get('status') ?? '';
  const body = h('div', { 'aria-live': 'polite', 'data-testid': 'certificates' });
  const reload = (): void => {
    setQuery({ on, kind, status });
    void load();
  };
  const date = dateInput('on', on, (v) => {
    if (!v) return;
    on = v;
    reload();
  });
  const kindSel = filterSelect('kind', KINDS.map((k) => ({ value: k, label: certKindLabel(k) })), kind, (v) => {
    kind = v;
    reload();
  });
  const statusSel = filterSelect('status', STATUSES.map((s) => ({ value: s, label: certStatusLabel(s) })), status, (v) => {
    status = v;
    reload();
  });
  replace(
    root,
    h('h1', null, t('ocop.title')),
    ocopTabs('certificates'),
    h('p', { class: 'muted' }, t('ocop.cert.intro')),
    filterForm([t('ocop.on_date'), date.el, 'on'], [t('ocop.cert.kind'), kindSel, 'kind'], [t('ocop.col.status'), statusSel, 'status']),
    body,
  );

  async function load(): Promise<void> {
    replace(body, loading());
    try {
      const r = await ocopApi.certificates(on, status, kind);
      replace(body, render(r.items));
    } catch (err) {
      replace(body, errorBox(err));
    }
  }

  function render(items: Certificate[]): Node {
    if (!items.length) return h('p', { class: 'empty', 'data-testid': 'certificates-empty' }, t('ocop.cert.none'));
    const columns: Column<Certificate>[] = [
      { label: t('ocop.cert.code'), title: true, class: 'mono', cell: (c) => [c.code, c.illustrative ? [' ', illustrativeBadge()] : null].flat() },
      { label: t('ocop.cert.kind'), cell: (c) => certKindLabel(c.kind) },
      { label: t('ocop.cert.holder'), cell: (c) => `${c.holder_name} (${c.holder})` },
      { label: t('ocop.cert.issuer'), class: 'hide-sm', cell: (c) => c.issuer },
      { label: t('ocop.cert.scope'), cell: (c) => c.scope.map((s) => `${t(`ocop.cert.target.${s.kind}` as MessageKey)} ${s.target}`).join('; ') || t('common.none') },
      { label: t('ocop.cert.valid'), cell: (c) => `${fmtDate(c.valid_from)} – ${fmtDate(c.valid_to)}` },
      { label: t('ocop.col.status'), cell: (c) => statusBadge(c.status, certStatusLabel(c.status)) },
    ];
    return dataTable(columns, items, { testId: 'certificates-table', row: (c) => ({ 'data-code': c.code, 'data-status': c.status }) });
  }

  await load();
}
