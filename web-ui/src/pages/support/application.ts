// One support application: what it claims (policy, applicant, items with their
// parcels linked to the registry), its life cycle (each step with who, when and
// why), payments, the findings and the rule trace of the year's latest check run,
// and the steps the user may take next (with the reason, date or amount the step
// needs). The server decides every step; its refusals are shown as it words them.
import { h, replace } from '../../lib/dom';
import { link, navigate, type Route } from '../../lib/router';
import { actorNode, clearFieldErrors, dateInput, errorBox, field, notice, openDialog, select, setLocalError, showFormError } from '../../lib/ui';
import { dataTable, type Column } from '../../lib/list';
import { cropLabel } from '../../lib/registry';
import { fmtDate, fmtTimestamp, numberForInput, parseNumber, t, todayIso, type MessageKey } from '../../i18n';
import {
  FUNDING_SOURCES,
  canPay,
  cropInSentence,
  findingExplain,
  findingSentence,
  fmtMoney,
  fmtQuantity,
  fundingLabel,
  loadPolicies,
  mayTake,
  policyNameNode,
  statusLabel,
  stepLabel,
  supportApi,
  versionInForce,
  yearOf,
  type ApplicationDetail,
  type Payment,
  type Step,
  type StepRecord,
  type SupportFinding,
} from '../../lib/support';
import { findingBadge, parcelLink, statusBadge, supportTabs } from './common';
import { renderTrace } from './trace';

/** What each step asks for besides its date. */
const NEEDS: Record<Step, { reason?: 'required' | 'optional'; amount?: 'required' | 'optional'; funding?: boolean; reference?: boolean }> = {
  verify: { reason: 'optional' },
  appraise: { reason: 'optional' },
  accept: { reason: 'optional' },
  approve: { amount: 'required', reference: true, reason: 'optional' },
  pay: { amount: 'optional', funding: true, reference: true },
  reject: { reason: 'required' },
  recover: { reason: 'required', amount: 'required', reference: true },
};

export async function renderApplication(root: HTMLElement, route: Route): Promise<void> {
  const id = Number(route.params.id);
  let app: ApplicationDetail;
  try {
    app = await supportApi.application(id);
  } catch (err) {
    document.title = `${t('support.application')} · nongsan`;
    replace(root, link('/support', { class: 'back' }, `‹ ${t('support.title')}`), h('h1', null, t('support.application')), errorBox(err));
    return;
  }
  const policies = await loadPolicies().catch(() => []);
  const policy = policies.find((p) => p.code === app.policy);
  const version = versionInForce(policy, app.filed);
  const item = version?.item ?? (app.items.some((i) => i.parcel) ? 'area' : 'hive');
  document.title = `${t('support.application_title', { code: app.code })} · nongsan`;
  const flash = h('div', { class: 'flash', 'aria-live': 'polite', 'data-testid': 'flash' });
  const year = String(yearOf(app.filed));

  // ---- facts ----
  const facts: [string, Node | string][] = [
    [t('support.policy'), h('span', null, h('span', { class: 'mono' }, app.policy), version ? [' · ', policyNameNode(version)] : '', version ? h('div', { class: 'muted small' }, t('support.version_in_force', { version: fmtDate(version.version) })) : h('div', { class: 'muted small' }, t('support.no_version_in_force')))],
    [t('support.applicant'), link(`/registry/producers/${app.applicant.id}`, { 'data-testid': 'applicant' }, app.applicant.name)],
    [t('support.unit'), app.unit?.name ?? t('common.none')],
    [t('support.filed'), fmtDate(app.filed)],
    [t('support.accepted'), app.accepted ? fmtDate(app.accepted) : t('support.not_accepted')],
    [t('support.approved_amount'), fmtMoney(app.approved_amount)],
    [t('support.paid_net'), fmtMoney(app.paid_net)],
    [t('support.evaluated_amount'), app.evaluated_amount !== undefined ? h('strong', { 'data-testid': 'evaluated-amount' }, fmtMoney(app.evaluated_amount)) : h('span', { class: 'muted' }, t('support.not_checked'))],
  ];
  if (app.note) facts.push([t('support.note'), h('span', { 'data-verbatim': 'record' }, app.note)]);
  facts.push([t('support.entered_via'), app.source === 'ui' ? t('support.source.ui') : app.source === 'import' || app.source.startsWith('import') ? t('support.source.import') : h('span', { 'data-verbatim': 'record' }, app.source)]);

  // ---- actions ----
  const mine = app.next_steps.filter((s) => mayTake(s, app.next_steps));
  const actions = h('div', { class: 'btn-row step-actions', 'data-testid': 'step-actions' });
  for (const s of mine) {
    const b = h('button', { type: 'button', class: `btn ${s === 'reject' || s === 'recover' ? 'btn-danger-ghost' : 'btn-primary'}`, 'data-step': s }, stepLabel(s));
    b.addEventListener('click', () => openStep(s));
    actions.append(b);
  }
  const actionsCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'app-next' },
    h('h2', { id: 'app-next' }, t('support.next_steps')),
    app.next_steps.length === 0
      ? h('p', { class: 'muted' }, t('support.no_next_steps', { status: statusLabel(app.status) }))
      : mine.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'no-steps-for-you' }, t('support.steps_not_yours', { steps: app.next_steps.map(stepLabel).join(', ') }))
        : actions,
  );

  // ---- items ----
  const itemCols: Column<ApplicationDetail['items'][number]>[] = [
    { label: '#', class: 'num', cell: (i) => String(i.seq) },
    ...(item === 'area' ? [{ label: t('support.parcel'), title: true, cell: (i: ApplicationDetail['items'][number]) => parcelLink(i.parcel) }] : []),
    { label: t('support.quantity_claimed'), class: 'num', cell: (i) => fmtQuantity(i.quantity, item) },
  ];
  const itemsTotal = app.items.reduce((s, i) => s + i.quantity, 0);

  // ---- steps ----
  const stepCols: Column<StepRecord>[] = [
    { label: t('support.step_date'), title: true, class: 'nowrap', cell: (s) => fmtDate(s.date) },
    { label: t('support.step_what'), cell: (s) => (s.from ? h('span', null, statusLabel(s.from), ' → ', h('strong', null, statusLabel(s.to))) : h('strong', null, t('support.step_entered'))) },
    { label: t('support.step_who'), cell: (s) => actorNode(s.actor) },
    { label: t('support.step_reason'), cell: (s) => (s.reason ? h('span', { 'data-verbatim': 'record' }, s.reason) : h('span', { class: 'muted' }, t('common.none'))) },
    { label: t('support.step_at'), class: 'nowrap hide-sm', cell: (s) => fmtTimestamp(s.at) },
  ];

  // ---- payments ----
  const payCols: Column<Payment>[] = [
    { label: t('support.payment_date'), title: true, class: 'nowrap', cell: (p) => fmtDate(p.date) },
    { label: t('support.payment_kind'), cell: (p) => (p.kind === 'recovery' ? t('support.kind.recovery') : t('support.kind.payment')) },
    { label: t('support.amount'), class: 'num', cell: (p) => (p.kind === 'recovery' ? `− ${fmtMoney(p.amount)}` : fmtMoney(p.amount)) },
    { label: t('support.funding_source'), cell: (p) => fundingLabel(p.funding_source) },
    { label: t('support.reference'), cell: (p) => (p.reference ? h('span', { class: 'mono' }, p.reference) : t('common.none')) },
  ];
  const payBtn = canPay() ? h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'add-payment' }, `+ ${t('support.add_payment')}`) : null;
  payBtn?.addEventListener('click', () => openPayment());

  // ---- findings and trace ----
  const findingsBody: Node[] = [];
  if (!app.check_run) {
    findingsBody.push(h('p', { class: 'muted', 'data-testid': 'not-checked' }, t('support.not_checked_year', { year })));
  } else {
    findingsBody.push(h('p', { class: 'muted small' }, t('support.check_run_by', { date: fmtTimestamp(app.check_run.run_at) }), ' ', actorNode(app.check_run.run_by)));
    const found = app.findings ?? [];
    if (!found.length) findingsBody.push(h('p', { 'data-testid': 'no-findings' }, t('support.no_findings_app')));
    else findingsBody.push(h('ul', { class: 'finding-list', 'data-testid': 'app-findings' }, ...found.map((f) => findingItem(f))));
  }
  const traceBody: Node[] = [];
  if (app.trace) traceBody.push(renderTrace(app.trace, version, app.items, app.filed));
  else traceBody.push(h('p', { class: 'muted' }, app.check_run ? t('support.no_trace') : t('support.not_checked_year', { year })));

  replace(
    root,
    link(`/support?year=${year}`, { class: 'back' }, `‹ ${t('support.title')}`),
    h('div', { class: 'page-head' }, h('h1', { 'data-testid': 'application-title' }, t('support.application_title', { code: app.code })), h('div', { class: 'badges' }, statusBadge(app.status), version?.illustrative ? h('span', { class: 'badge badge-warn', title: t('support.illustrative_note') }, t('support.illustrative')) : '')),
    supportTabs('applications', year),
    flash,
    h(
      'div',
      { class: 'detail-grid' },
      h('section', { class: 'card', 'aria-labelledby': 'app-facts' }, h('h2', { id: 'app-facts' }, t('support.application_facts')), h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]))),
      h(
        'div',
        null,
        actionsCard,
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'app-items' },
          h('h2', { id: 'app-items' }, t('support.items')),
          dataTable(itemCols, app.items, { testId: 'app-items', class: 'table-compact' }),
          h('p', { class: 'small muted' }, t('support.items_total', { total: fmtQuantity(itemsTotal, item) })),
        ),
      ),
    ),
    h('section', { class: 'card', 'aria-labelledby': 'app-findings-h' }, h('h2', { id: 'app-findings-h' }, t('support.findings')), ...findingsBody),
    h('section', { class: 'card', 'aria-labelledby': 'app-trace-h', 'data-testid': 'trace' }, h('h2', { id: 'app-trace-h' }, t('support.trace_title')), h('p', { class: 'muted small' }, t('support.trace_intro')), ...traceBody),
    h('section', { class: 'card', 'aria-labelledby': 'app-steps' }, h('h2', { id: 'app-steps' }, t('support.life_cycle')), dataTable(stepCols, app.steps, { testId: 'app-steps' })),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'app-payments' },
      h('div', { class: 'card-head' }, h('h2', { id: 'app-payments' }, t('support.payments')), payBtn ?? ''),
      app.payments.length ? dataTable(payCols, app.payments, { testId: 'app-payments' }) : h('p', { class: 'muted' }, t('support.no_payments')),
    ),
  );

  function findingItem(f: SupportFinding): HTMLElement {
    const s = findingSentence(f, (c) => cropInSentence(cropLabel(c)), app.code);
    const text = s.verbatim ? h('span', { 'data-verbatim': 'server' }, s.text) : h('span', { title: f.detail }, s.text);
    const otherCode = f.application === app.code ? f.other_application : f.application;
    const other = otherCode ? h('span', { class: 'small' }, ' · ', link(`/support?q=${encodeURIComponent(otherCode)}`, { class: 'mono', 'data-testid': 'other-application' }, otherCode)) : '';
    return h('li', { 'data-finding': f.finding }, findingBadge(f.finding), ' ', text, other, h('div', { class: 'muted small' }, findingExplain(f.finding)));
  }

  function done(message: string): void {
    sessionStorage.setItem('nongsan.support.flash', message);
    navigate(`/support/applications/${app.id}`, { replace: true });
  }

  function openStep(step: Step): void {
    const need = NEEDS[step];
    const date = dateInput('date', todayIso());
    const reason = h('textarea', { name: 'reason', rows: '3' });
    const suggested = step === 'approve' ? app.evaluated_amount ?? null : step === 'pay' ? Math.max(0, (app.approved_amount ?? 0) - app.paid_net) : null;
    const amount = h('input', { type: 'text', name: 'amount', inputmode: 'numeric', autocomplete: 'off', value: suggested !== null ? numberForInput(suggested) : '' });
    const funding = select('funding_source', [{ value: '', label: t('support.funding.unspecified') }, ...FUNDING_SOURCES.map((f) => ({ value: f, label: fundingLabel(f) }))], '');
    const reference = h('input', { type: 'text', name: 'reference', autocomplete: 'off' });
    const slot = h('div', { class: 'form-alert' });
    const ok = h('button', { type: 'submit', class: step === 'reject' || step === 'recover' ? 'btn btn-danger' : 'btn btn-primary', 'data-testid': 'step-submit' }, stepLabel(step));
    const cancel = h('button', { type: 'button', class: 'btn' }, t('common.cancel'));
    const form = h(
      'form',
      { class: 'form', novalidate: true, 'data-step': step },
      h('p', { class: 'muted' }, t(`support.step_explain.${step}` as MessageKey)),
      field(step === 'accept' ? t('support.acceptance_date') : t('support.step_date'), date.el, { name: 'date', required: true, hint: t('support.step_date_hint', { filed: fmtDate(app.filed) }) }),
      need.amount ? field(t('support.amount_dong'), amount, { name: 'amount', required: need.amount === 'required', hint: step === 'approve' && app.evaluated_amount !== undefined ? t('support.amount_hint_approve', { amount: fmtMoney(app.evaluated_amount) }) : step === 'pay' ? t('support.amount_hint_pay') : undefined }) : null,
      need.funding ? field(t('support.funding_source'), funding, { name: 'funding_source' }) : null,
      need.reference ? field(t('support.reference'), reference, { name: 'reference', hint: t('support.reference_hint') }) : null,
      need.reason ? field(t('support.reason'), reason, { name: 'reason', required: need.reason === 'required' }) : null,
      slot,
      h('div', { class: 'form-actions' }, cancel, ok),
    );
    const d = openDialog(t('support.step_title', { step: stepLabel(step), code: app.code }), [form]);
    cancel.addEventListener('click', () => d.close());
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      replace(slot);
      const body: Record<string, unknown> = { step };
      const dv = date.value();
      if (!dv) return setLocalError(form, 'date', dv === null ? t('common.invalid_date') : t('common.required'));
      body.date = dv;
      if (need.amount) {
        const raw = amount.value.trim();
        if (raw) {
          const n = parseNumber(raw);
          if (n === null || n < 0 || !Number.isInteger(n)) return setLocalError(form, 'amount', t('support.amount_whole'));
          body.amount = n;
        } else if (need.amount === 'required') return setLocalError(form, 'amount', t('common.required'));
      }
      if (need.reason) {
        const r = reason.value.trim();
        if (!r && need.reason === 'required') return setLocalError(form, 'reason', t('common.required'));
        if (r) body.reason = r;
      }
      if (need.funding && funding.value) body.funding_source = funding.value;
      if (need.reference && reference.value.trim()) body.reference = reference.value.trim();
      ok.disabled = true;
      try {
        await supportApi.step(app.id, body);
        d.close();
        done(t('support.step_done', { step: stepLabel(step) }));
      } catch (err) {
        ok.disabled = false;
        showFormError(form, slot, err);
      }
    });
    (step === 'reject' || step === 'recover' ? reason : need.amount ? amount : date.input).focus();
  }

  function openPayment(): void {
    const date = dateInput('date', todayIso());
    const kind = select('kind', [{ value: 'payment', label: t('support.kind.payment') }, { value: 'recovery', label: t('support.kind.recovery') }], 'payment');
    const amount = h('input', { type: 'text', name: 'amount', inputmode: 'numeric', autocomplete: 'off' });
    const funding = select('funding_source', [{ value: '', label: t('support.funding.unspecified') }, ...FUNDING_SOURCES.map((f) => ({ value: f, label: fundingLabel(f) }))], '');
    const reference = h('input', { type: 'text', name: 'reference', autocomplete: 'off' });
    const slot = h('div', { class: 'form-alert' });
    const ok = h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'));
    const cancel = h('button', { type: 'button', class: 'btn' }, t('common.cancel'));
    const form = h(
      'form',
      { class: 'form form-grid', novalidate: true },
      h('p', { class: 'muted field-wide' }, t('support.payment_explain')),
      field(t('support.payment_date'), date.el, { name: 'date', required: true }),
      field(t('support.payment_kind'), kind, { name: 'kind' }),
      field(t('support.amount_dong'), amount, { name: 'amount', required: true }),
      field(t('support.funding_source'), funding, { name: 'funding_source' }),
      field(t('support.reference'), reference, { name: 'reference' }),
      slot,
      h('div', { class: 'form-actions' }, cancel, ok),
    );
    const d = openDialog(t('support.add_payment'), [form], { wide: true });
    cancel.addEventListener('click', () => d.close());
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      replace(slot);
      const dv = date.value();
      if (!dv) return setLocalError(form, 'date', dv === null ? t('common.invalid_date') : t('common.required'));
      const n = parseNumber(amount.value);
      if (n === null || n <= 0 || !Number.isInteger(n)) return setLocalError(form, 'amount', t('support.amount_whole'));
      const body: Record<string, unknown> = { date: dv, amount: n, kind: kind.value };
      if (funding.value) body.funding_source = funding.value;
      if (reference.value.trim()) body.reference = reference.value.trim();
      ok.disabled = true;
      try {
        await supportApi.addPayment(app.id, body);
        d.close();
        done(t('support.payment_saved'));
      } catch (err) {
        ok.disabled = false;
        showFormError(form, slot, err);
      }
    });
    amount.focus();
  }

  const message = sessionStorage.getItem('nongsan.support.flash');
  if (message) {
    sessionStorage.removeItem('nongsan.support.flash');
    replace(flash, notice(message, 'ok'));
  }
}
