// Ngân sách hỗ trợ by year: for each policy, the planned budget (by funding source
// — the national target programmes, central and provincial budgets, credit, other:
// the sources Notice 752-TB/TU §2.4 asks to combine), what is committed (approved
// amounts of the year's approved or paid applications), what was paid (payments
// less recoveries dated in the year) and what remains, with bars. Those who manage
// support set the planned amounts (PUT /support/budget).
import { h, replace } from '../../lib/dom';
import { setQuery, type Route } from '../../lib/router';
import { dataTable, type Column } from '../../lib/list';
import { clearFieldErrors, errorBox, field, loading, notice, select, setLocalError, showFormError } from '../../lib/ui';
import { parseNumber, t } from '../../i18n';
import { FUNDING_SOURCES, canManageSupport, fmtMoney, fundingLabel, loadPolicies, policyName, policyNameNode, supportApi, type Budget, type BudgetLine, type Policy } from '../../lib/support';
import { supportTabs, thisYear, yearOptions } from './common';

/** A bar on the scale `max`: paid inside committed inside planned; committed beyond the plan is marked. */
export function budgetBar(l: { planned: number; committed: number; paid: number }, max: number): HTMLElement {
  const pct = (v: number): string => `${max > 0 ? Math.max(0, Math.min(100, (v / max) * 100)) : 0}%`;
  const over = l.committed > l.planned;
  return h(
    'div',
    { class: 'budget-bar', role: 'img', 'aria-label': t('support.budget_bar_label', { planned: fmtMoney(l.planned), committed: fmtMoney(l.committed), paid: fmtMoney(l.paid) }) },
    h('div', { class: 'bb-planned', style: { width: pct(l.planned) } }),
    h('div', { class: `bb-committed${over ? ' bb-over' : ''}`, style: { width: pct(l.committed) } }),
    h('div', { class: 'bb-paid', style: { width: pct(l.paid) } }),
  );
}

export async function renderBudget(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('support.tab.budget')} · nongsan`;
  let year = Number(route.query.get('year')) || thisYear();
  const policies: Policy[] = await loadPolicies().catch(() => []);
  const byCode = new Map(policies.map((p) => [p.code, p]));
  const yearSel = select('year', yearOptions([year]), String(year));
  const body = h('div', { 'aria-live': 'polite', 'data-testid': 'budget' });
  const flash = h('div', { class: 'flash', 'aria-live': 'polite' });
  yearSel.addEventListener('change', () => {
    year = Number(yearSel.value);
    setQuery({ year });
    void load();
  });

  const legend = h(
    'div',
    { class: 'budget-legend small' },
    h('span', null, h('span', { class: 'swatch bb-swatch-planned' }), t('support.budget.planned')),
    h('span', null, h('span', { class: 'swatch bb-swatch-committed' }), t('support.budget.committed')),
    h('span', null, h('span', { class: 'swatch bb-swatch-paid' }), t('support.budget.paid')),
  );

  async function load(): Promise<void> {
    replace(body, loading());
    try {
      const b = await supportApi.budget(year);
      replace(body, render(b));
    } catch (err) {
      replace(body, errorBox(err));
    }
  }

  function render(b: Budget): Node {
    const tile = (label: string, v: number, test: string): HTMLElement => h('div', { class: 'tile', 'data-testid': test, 'data-value': String(v) }, h('div', { class: 'tile-label' }, label), h('div', { class: 'tile-value' }, fmtMoney(v)));
    const tiles = h(
      'div',
      { class: 'tiles tiles-4' },
      tile(t('support.budget.planned'), b.total.planned, 'budget-planned'),
      tile(t('support.budget.committed'), b.total.committed, 'budget-committed'),
      tile(t('support.budget.paid'), b.total.paid, 'budget-paid'),
      tile(t('support.budget.remaining'), b.total.remaining, 'budget-remaining'),
    );
    if (!b.lines.length) return h('div', null, tiles, h('p', { class: 'empty', 'data-testid': 'budget-empty' }, t('support.budget.none', { year: b.year })));
    const max = Math.max(1, ...b.lines.map((l) => Math.max(l.planned, l.committed, l.paid)));
    const rows = b.lines.map((l) => lineCard(l, max));
    return h('div', null, tiles, legend, h('div', { class: 'budget-lines', 'data-testid': 'budget-lines' }, ...rows));
  }

  function lineCard(l: BudgetLine, max: number): HTMLElement {
    const p = byCode.get(l.policy);
    const num = (label: string, v: number, cls = ''): HTMLElement => h('div', { class: `bl-num ${cls}` }, h('span', { class: 'muted small' }, label), h('strong', null, fmtMoney(v)));
    const srcMax = Math.max(1, ...l.sources.map((s) => Math.max(s.planned, s.paid)));
    type Source = BudgetLine['sources'][number];
    const srcCols: Column<Source>[] = [
      { label: t('support.funding_source'), title: true, cell: (x) => fundingLabel(x.source) },
      { label: t('support.budget.planned'), class: 'num', cell: (x) => fmtMoney(x.planned) },
      { label: t('support.budget.paid'), class: 'num', cell: (x) => fmtMoney(x.paid) },
      { label: '', class: 'bar-cell', cell: (x) => budgetBar({ planned: x.planned, committed: 0, paid: x.paid }, srcMax) },
    ];
    const sources = l.sources.length ? dataTable(srcCols, l.sources, { class: 'table-compact budget-sources', row: (x) => ({ 'data-source': x.source }) }) : '';
    const overCommitted = l.committed > l.planned;
    return h(
      'section',
      { class: 'card budget-line', 'data-policy': l.policy },
      h('div', { class: 'card-head' }, h('h2', null, h('span', { class: 'mono' }, l.policy), p ? [' · ', policyNameNode(p.current)] : '')),
      budgetBar(l, max),
      h('div', { class: 'bl-nums' }, num(t('support.budget.planned'), l.planned), num(t('support.budget.committed'), l.committed), num(t('support.budget.paid'), l.paid), num(t('support.budget.remaining'), l.remaining, l.remaining < 0 ? 'bl-negative' : '')),
      overCommitted ? h('p', { class: 'alert alert-warn small', 'data-testid': 'over-committed' }, t('support.budget.over', { over: fmtMoney(l.committed - l.planned) })) : '',
      l.paid > l.committed ? h('p', { class: 'alert alert-warn small', 'data-testid': 'paid-over-committed' }, t('support.budget.paid_over', { over: fmtMoney(l.paid - l.committed) })) : '',
      sources,
    );
  }

  // ---- setting the plan ----
  let form: HTMLElement | string = '';
  if (canManageSupport()) {
    const policySel = select('policy', policies.map((p) => ({ value: p.code, label: `${p.code} · ${policyName(p.current)}` })), policies[0]?.code ?? '');
    for (const o of policySel.options) if (!byCode.get(o.value)?.current.name_en) o.lang = 'vi';
    const sourceSel = select('funding_source', FUNDING_SOURCES.map((s) => ({ value: s, label: fundingLabel(s) })), 'provincial_budget');
    const planned = h('input', { type: 'text', name: 'planned', inputmode: 'numeric', autocomplete: 'off' });
    const note = h('input', { type: 'text', name: 'note' });
    const slot = h('div', { class: 'form-alert' });
    const ok = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'save-budget' }, t('common.save'));
    const f = h(
      'form',
      { class: 'form-grid budget-form', novalidate: true, 'data-testid': 'budget-form' },
      field(t('support.policy'), policySel, { name: 'policy', required: true }),
      field(t('support.funding_source'), sourceSel, { name: 'funding_source', required: true }),
      field(t('support.budget.planned_dong'), planned, { name: 'planned', required: true, hint: t('support.budget.planned_hint') }),
      field(t('support.note'), note, { name: 'note' }),
      slot,
      h('div', { class: 'form-actions' }, ok),
    );
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFieldErrors(f);
      replace(slot);
      const n = parseNumber(planned.value);
      if (n === null || n < 0 || !Number.isInteger(n)) return setLocalError(f, 'planned', t('support.amount_whole'));
      ok.disabled = true;
      try {
        await supportApi.setBudget({ policy: policySel.value, year, funding_source: sourceSel.value, planned: n, note: note.value.trim() });
        replace(flash, notice(t('support.budget.saved', { policy: policySel.value, year, amount: fmtMoney(n) }), 'ok'));
        planned.value = '';
        await load();
      } catch (err) {
        showFormError(f, slot, err);
      } finally {
        ok.disabled = false;
      }
    });
    form = policies.length
      ? h('details', { class: 'card budget-set', 'data-testid': 'budget-set' }, h('summary', null, t('support.budget.set_title', { year: '…' })), h('p', { class: 'muted small' }, t('support.budget.set_intro')), f)
      : '';
    const summary = form instanceof HTMLElement ? form.querySelector('summary') : null;
    const paintSummary = (): void => {
      if (summary) summary.textContent = t('support.budget.set_title', { year });
    };
    paintSummary();
    yearSel.addEventListener('change', paintSummary);
  }

  replace(
    root,
    h('h1', null, t('support.budget_title')),
    h('p', { class: 'intro' }, t('support.budget_intro')),
    supportTabs('budget', String(year)),
    h('form', { class: 'filters filters-narrow', role: 'search', onsubmit: (ev: Event) => ev.preventDefault() }, field(t('support.year'), yearSel, { name: 'year' })),
    flash,
    body,
    form,
  );
  await load();
}
