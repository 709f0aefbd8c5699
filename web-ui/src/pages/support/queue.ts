// Hỗ trợ — the officers' queues: how many applications wait at each status (a card
// per status of the life cycle, then rejected and recovered), and the list of
// applications with filters (year, status, policy, finding, search), each row with
// the findings and the amount of the year's latest check run. Filters live in the URL.
import { api, type UnitDetail } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, setQuery, type Route } from '../../lib/router';
import { session } from '../../lib/session';
import { dataTable, filterForm, filterSelect, listView, scopeEmpty, searchInput, type Column } from '../../lib/list';
import { errorBox } from '../../lib/ui';
import { fmtDate, fmtNumber, t, todayIso } from '../../i18n';
import {
  FINDINGS,
  STATUSES,
  canEnterApplications,
  findingLabel,
  fmtMoney,
  loadPolicies,
  policyName,
  policyNameNode,
  statusLabel,
  statusWaiting,
  supportApi,
  type Application,
  type AppStatus,
  type Policy,
} from '../../lib/support';
import { findingBadge, statusBadge, supportTabs, yearOptions } from './common';

const PAGE_SIZE = 50;

/**
 * Why the list is empty: the filters, or a scope whose unit has ended (a district
 * before the 2025 reform: applications belong to the applicant's unit), or simply none yet.
 */
async function whyEmpty(filtered: boolean, year: string): Promise<Node> {
  const unit = session()?.user.unit;
  if (!filtered && unit) {
    try {
      const u = await api.get<UnitDetail>(`/api/v1/units/${unit.id}`);
      if (u.valid_to && u.valid_to < todayIso())
        return h('p', { class: 'alert alert-info', 'data-reason': 'scope' }, t('support.scope_ended', { scope: u.name, end: fmtDate(u.valid_to) }));
    } catch {
      // Without the unit's dates, the general sentence.
    }
  }
  return scopeEmpty(t('support.what'), { filtered, date: year ? `${year}-12-31` : undefined });
}

export async function renderSupportQueue(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('support.title')} · nongsan`;
  const q = route.query;
  const state = {
    year: q.get('year') ?? '',
    status: q.get('status') ?? '',
    policy: q.get('policy') ?? '',
    finding: q.get('finding') ?? '',
    q: q.get('q') ?? '',
  };
  const policies: Policy[] = await loadPolicies().catch(() => []);
  const byCode = new Map(policies.map((p) => [p.code, p]));

  const queues = h('div', { class: 'queue-cards', 'data-testid': 'queues', 'aria-live': 'polite' });
  const yearSel = filterSelect('year', yearOptions([state.year]), state.year, (v) => {
    state.year = v;
    if (!v) state.finding = '';
    findingSel.value = state.finding;
    paintFinding();
    void refresh();
  });
  const statusSel = filterSelect('status', STATUSES.map((s) => ({ value: s, label: statusLabel(s) })), state.status, (v) => {
    state.status = v;
    void refresh();
  });
  const policySel = filterSelect('policy', policies.map((p) => ({ value: p.code, label: `${p.code} · ${policyName(p.current)}` })), state.policy, (v) => {
    state.policy = v;
    void refresh();
  });
  const findingSel = filterSelect('finding', FINDINGS.map((f) => ({ value: f, label: findingLabel(f) })), state.finding, (v) => {
    state.finding = v;
    void refresh();
  });
  /** The finding filter reads one year's check run: without a year it waits for one. */
  const paintFinding = (): void => {
    findingSel.disabled = !state.year;
    findingSel.options[0].textContent = state.year ? t('common.all') : t('support.finding_needs_year');
    findingSel.title = state.year ? '' : t('support.finding_needs_year');
  };
  paintFinding();
  const search = searchInput('q', state.q, t('support.search_placeholder'), (v) => {
    state.q = v;
    void refresh();
  });
  const filters = filterForm(
    [t('support.year'), yearSel, 'year'],
    [t('support.status_label'), statusSel, 'status'],
    [t('support.policy'), policySel, 'policy'],
    [t('support.finding_label'), findingSel, 'finding'],
    [t('common.search'), search, 'q'],
  );

  const columns: Column<Application>[] = [
    { label: t('support.code'), title: true, class: 'nowrap', cell: (a) => link(`/support/applications/${a.id}`, { class: 'mono', 'data-testid': 'open-application' }, a.code) },
    { label: t('support.applicant'), cell: (a) => a.applicant.name },
    {
      label: t('support.policy'),
      cell: (a) => {
        const p = byCode.get(a.policy);
        return h('span', null, h('span', { class: 'mono' }, a.policy), p ? h('span', { class: 'muted small' }, ' · ', policyNameNode(p.current)) : '');
      },
    },
    { label: t('support.filed'), class: 'nowrap', cell: (a) => fmtDate(a.filed) },
    { label: t('support.status_label'), cell: (a) => statusBadge(a.status) },
    {
      label: t('support.amount'),
      class: 'num',
      cell: (a) =>
        a.approved_amount !== null
          ? h('span', { title: t('support.approved_amount') }, fmtMoney(a.approved_amount))
          : a.evaluated_amount !== undefined
            ? h('span', { class: 'muted', title: t('support.evaluated_amount_hint') }, fmtMoney(a.evaluated_amount))
            : t('common.none'),
    },
    {
      label: t('support.findings'),
      cell: (a) => (a.findings && a.findings.length ? h('span', { class: 'badges' }, ...a.findings.map(findingBadge)) : a.findings ? h('span', { class: 'muted small' }, t('support.no_findings')) : h('span', { class: 'muted small' }, t('support.not_checked'))),
    },
  ];

  const list = listView<Application>({
    pageSize: PAGE_SIZE,
    page: Number(q.get('page')) || 1,
    fetch: ({ page, page_size }) => supportApi.applications({ year: state.year, status: state.status, policy: state.policy, finding: state.year ? state.finding : '', q: state.q, page, page_size }),
    syncUrl: (page) => setQuery({ ...state, finding: state.year ? state.finding : '', page: page > 1 ? page : null }),
    render: (p) => [
      h('p', { class: 'muted small', 'data-testid': 'application-count' }, t('support.applications_found', { n: fmtNumber(p.total) })),
      dataTable(columns, p.items, { testId: 'application-table', row: (a) => ({ 'data-code': a.code, 'data-status': a.status }) }),
    ],
    empty: () => whyEmpty(!!(state.status || state.policy || state.finding || state.q || state.year), state.year),
  });

  async function loadQueues(): Promise<void> {
    try {
      const counts = await supportApi.queues(state.year);
      replace(queues, ...STATUSES.map((s) => queueCard(s, counts[s] ?? 0)));
    } catch (err) {
      replace(queues, errorBox(err));
    }
  }

  function queueCard(s: AppStatus, n: number): HTMLElement {
    const active = state.status === s;
    const b = h(
      'button',
      { type: 'button', class: `queue-card queue-${s}${active ? ' active' : ''}${n === 0 ? ' queue-empty' : ''}`, 'data-status': s, 'aria-pressed': String(active), 'data-count': String(n) },
      h('span', { class: 'queue-count' }, fmtNumber(n)),
      h('span', { class: 'queue-name' }, statusLabel(s)),
      h('span', { class: 'queue-wait muted small' }, statusWaiting(s)),
    );
    b.addEventListener('click', () => {
      state.status = active ? '' : s;
      statusSel.value = state.status;
      void refresh();
    });
    return b;
  }

  async function refresh(): Promise<void> {
    void loadQueues();
    await list.reload(true);
  }

  const me = session()?.user;
  const entry = canEnterApplications() ? link('/support/applications/new', { class: 'btn btn-primary', 'data-testid': 'new-application' }, `+ ${t('support.new_application')}`) : null;
  replace(
    root,
    h(
      'div',
      { class: 'page-head' },
      h('h1', null, t('support.title')),
      h('div', { class: 'page-actions' }, entry ?? ''),
    ),
    h('p', { class: 'intro' }, me?.role === 'producer' ? t('support.intro_producer') : t('support.intro')),
    supportTabs('applications', state.year),
    h('h2', { class: 'visually-hidden' }, t('support.queues')),
    queues,
    filters,
    list.el,
  );
  void loadQueues();
  await list.reload();
}
