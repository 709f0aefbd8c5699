// The rule trace of an application's amount, explained in plain words: the policy
// version in force, each condition with the values it saw, each item (claimed, the
// parcel's area, what counts and why not), the penalty for over-declaring, the rate,
// the rounding and the cap (docs/support.md, "Amounts"). Only what the server's
// trace holds is said; nothing is recomputed here but the sums it shows.
import { h } from '../../lib/dom';
import { fmtDate, fmtNumber, t, type MessageKey } from '../../i18n';
import { dataTable, type Column } from '../../lib/list';
import { fmtMoney, fmtQuantity, itemUnitLabel, perUnitLabel, reasonText, type ItemRecord, type PolicyVersion, type Trace, type ItemTrace } from '../../lib/support';
import { parcelLink } from './common';

/** The facts a condition may use, in words (condition.hpp standard_facts). */
const FACTS = ['claimed_ha', 'quantity', 'applicant_kind', 'applicant_commune', 'filed_year', 'items'] as const;
const OPS: Record<string, string> = { '>=': '≥', '<=': '≤', '!=': '≠', '==': '=', '<': '<', '>': '>', in: '∈', 'not in': '∉' };

export function factLabel(name: string): string {
  return (FACTS as readonly string[]).includes(name) ? t(`support.fact.${name}` as MessageKey) : name;
}

/** A value the condition saw: numbers in the language's convention, texts and lists as written. */
function valueText(v: string): string {
  if (/^-?\d+(\.\d+)?$/.test(v)) return fmtNumber(Number(v), 4);
  return v;
}

/** The fact a comparison reads: the first name of the condition's text that is a known fact. */
function factOf(text: string): string | null {
  const m = /^\s*([a-z_]+)/.exec(text);
  return m && (FACTS as readonly string[]).includes(m[1]) ? m[1] : null;
}

export function renderTrace(tr: Trace, policy: PolicyVersion | undefined, items: ItemRecord[], filed: string): HTMLElement {
  const item = policy?.item ?? (tr.items.some((i) => i.area_ha > 0) ? 'area' : 'hive');
  const area = item === 'area';
  const parts: Node[] = [];
  const say = (key: MessageKey, params: Record<string, string | number> = {}, attrs: Record<string, string> = {}): HTMLElement => h('li', attrs, t(key, params));

  // 1. The version in force, or why there is none.
  const steps = h('ol', { class: 'trace-steps', 'data-testid': 'trace-steps' });
  if (tr.status === 'rejected' || tr.note === 'rejected') {
    steps.append(say('support.trace.rejected', {}, { 'data-trace': 'rejected' }));
    parts.push(steps);
    return h('div', { class: 'trace' }, ...parts);
  }
  if (!tr.policy_version) {
    steps.append(say('support.trace.no_version', { policy: tr.policy, date: fmtDate(filed) }, { 'data-trace': 'no-version' }));
    parts.push(steps);
    return h('div', { class: 'trace' }, ...parts);
  }
  steps.append(say('support.trace.version', { policy: tr.policy, version: fmtDate(tr.policy_version), filed: fmtDate(filed) }, { 'data-trace': 'version' }));

  // 2. Conditions, with the values they saw.
  if (!tr.conditions.length) {
    steps.append(say('support.trace.no_conditions', {}, { 'data-trace': 'conditions' }));
  } else {
    const list = h('ul', { class: 'trace-conditions' });
    for (const c of tr.conditions) {
      const fact = factOf(c.text);
      list.append(
        h(
          'li',
          { 'data-result': String(c.result) },
          h('span', { class: `cond-mark ${c.result ? 'cond-yes' : 'cond-no'}`, 'aria-hidden': 'true' }, c.result ? '✓' : '✗'),
          ' ',
          h('code', null, c.text),
          ': ',
          fact ? `${factLabel(fact)} ` : '',
          h('strong', { class: 'mono' }, valueText(c.left)),
          ` ${OPS[c.op] ?? c.op} `,
          h('span', { class: 'mono' }, valueText(c.right)),
          ' → ',
          h('strong', null, c.result ? t('support.trace.holds') : t('support.trace.fails')),
        ),
      );
    }
    steps.append(h('li', { 'data-trace': 'conditions' }, tr.conditions_hold ? t('support.trace.conditions_hold') : t('support.trace.conditions_fail'), list));
  }

  // 3. Items: what counts.
  const rows = tr.items.map((it, i) => ({ it, rec: items[i] }));
  const cols: Column<{ it: ItemTrace; rec: ItemRecord | undefined }>[] = area
    ? [
        { label: t('support.parcel'), title: true, cell: ({ it, rec }) => (rec?.parcel ? parcelLink(rec.parcel) : h('span', { class: 'mono' }, it.parcel)) },
        { label: t('support.trace.claimed'), class: 'num', cell: ({ it }) => `${fmtNumber(it.claimed, 4)} ha` },
        { label: t('support.trace.area'), class: 'num', cell: ({ it }) => `${fmtNumber(it.area_ha, 4)} ha` },
        { label: t('support.trace.counted'), class: 'num', cell: ({ it }) => h('strong', null, `${fmtNumber(it.counted, 4)} ha`) },
        {
          label: t('support.trace.why'),
          cell: ({ it }) => {
            const why: (Node | string)[] = [];
            if (it.reasons.length) why.push(t('support.trace.zero_because', { reasons: it.reasons.map(reasonText).join('; ') }));
            else if (it.claimed > it.area_ha) why.push(t('support.trace.capped_at_area'));
            else why.push(t('support.trace.as_claimed'));
            if (it.excess_ha > 0) why.push(h('div', { class: 'trace-excess' }, t('support.trace.excess', { excess: fmtNumber(it.excess_ha, 4) })));
            return h('span', { 'data-reasons': it.reasons.join('|') }, ...why);
          },
        },
      ]
    : [
        { label: t('support.trace.item'), title: true, cell: ({ it }) => (it.parcel ? h('span', { class: 'mono' }, it.parcel) : `#${rows.findIndex((r) => r.it === it) + 1}`) },
        { label: t('support.trace.claimed'), class: 'num', cell: ({ it }) => fmtQuantity(it.claimed, item) },
        { label: t('support.trace.counted'), class: 'num', cell: ({ it }) => h('strong', null, fmtQuantity(it.counted, item)) },
      ];
  steps.append(h('li', { 'data-trace': 'items' }, area ? t('support.trace.items_area') : t('support.trace.items_counted'), dataTable(cols, rows, { testId: 'trace-items', class: 'table-compact' })));

  // 4. Penalty and the payable quantity.
  const counted = tr.items.reduce((s, i) => s + i.counted, 0);
  if (area) {
    const excess = tr.items.reduce((s, i) => s + i.excess_ha, 0);
    if (tr.penalty_ha > 0) {
      const factor = excess > 0 ? tr.penalty_ha / excess : 0;
      steps.append(say('support.trace.penalty', { excess: fmtNumber(excess, 4), factor: fmtNumber(factor, 2), penalty: fmtNumber(tr.penalty_ha, 4) }, { 'data-trace': 'penalty' }));
    } else {
      steps.append(say('support.trace.no_penalty', {}, { 'data-trace': 'penalty' }));
    }
    steps.append(say('support.trace.payable_area', { counted: fmtNumber(counted, 4), penalty: fmtNumber(tr.penalty_ha, 4), payable: fmtNumber(tr.payable, 4) }, { 'data-trace': 'payable' }));
  } else {
    steps.append(say('support.trace.payable_counted', { payable: fmtQuantity(tr.payable, item) }, { 'data-trace': 'payable' }));
  }

  // 5. Rate and rounding; conditions that failed pay nothing.
  if (!tr.conditions_hold) {
    steps.append(say('support.trace.zero_conditions', {}, { 'data-trace': 'amount' }));
  } else {
    steps.append(
      say('support.trace.amount', { payable: fmtNumber(tr.payable, 4), unit: itemUnitLabel(item), rate: `${fmtMoney(tr.rate)}/${perUnitLabel(item)}`, amount: fmtMoney(tr.before_cap) }, { 'data-trace': 'amount' }),
    );
  }

  // 6. The cap.
  if (tr.amount < tr.before_cap) {
    steps.append(say('support.trace.capped', { before: fmtMoney(tr.before_cap), amount: fmtMoney(tr.amount), cap: fmtMoney(policy?.cap_per_beneficiary_year ?? null) }, { 'data-trace': 'cap' }));
  } else if (policy?.cap_per_beneficiary_year) {
    steps.append(say('support.trace.under_cap', { cap: fmtMoney(policy.cap_per_beneficiary_year) }, { 'data-trace': 'cap' }));
  }
  parts.push(steps);
  parts.push(h('p', { class: 'trace-total', 'data-testid': 'trace-amount' }, t('support.trace.total'), ' ', h('strong', null, fmtMoney(tr.amount))));
  return h('div', { class: 'trace' }, ...parts);
}
