// Observations of a programme (số liệu thực hiện): the list with filters, the
// entry form (numbers in the language's convention, checked before sending;
// the server's messages on the fields and its check warnings after saving), the
// workflow per row by role and status (submit → approve, after which the value counts and cannot be edited; return
// or unlock with a reason) and the batch checks. Approvers work from the inbox
// (approvals.ts); a duplicate entry opens the value that exists instead of failing.
import type { UnitRef } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, navigate, setQuery, type Route } from '../../lib/router';
import { ApiError } from '../../lib/api';
import { session } from '../../lib/session';
import { clearFieldErrors, errorBox, field, loading, notice, openDialog, select, setLocalError, showFormError, actorLabel } from '../../lib/ui';
import { unitPicker } from '../../lib/picker';
import { listView, scopeEmpty } from '../../lib/list';
import { fmtNumber, fmtTimestamp, lang, numberForInput, parseNumber, t, todayIso, type MessageKey } from '../../i18n';
import { PERIODS, STATUSES, targetsApi, type Flag, type Observation, loadProgramme } from '../../lib/targets';
import {
  askReason,
  canApprove,
  canEnter,
  canUnlock,
  defaultProgramme,
  flagLabel,
  illustrativeBadge,
  indicatorName,
  periodLabel,
  programmeName,
  programmeTabs,
  statusBadge,
} from './common';
import { measureLabel } from '../../lib/measures';

const PAGE_SIZE = 50;
const enc = encodeURIComponent;
type View = 'all' | 'flags';

function unitFromQuery(q: URLSearchParams): UnitRef | null {
  const id = Number(q.get('unit_id'));
  if (!id) return null;
  return { id, code: q.get('unit_code') ?? String(id), name: q.get('unit_name') ?? `#${id}`, level: 'commune' };
}

function flagExplain(code: string): string {
  const known = ['outlier', 'exceeds', 'reported_differs_from_computed'];
  return known.includes(code) ? t(`targets.flag_explain.${code}` as MessageKey) : code;
}

function flagList(flags: Flag[]): HTMLElement | string {
  if (!flags.length) return '';
  // The server words its messages in English only; in Vietnamese the label and a
  // sentence per check are shown and the server's words stay in the tooltip.
  return h(
    'ul',
    { class: 'flag-list small' },
    ...flags.map((f) => h('li', { 'data-flag': f.code, title: f.message }, h('strong', null, flagLabel(f.code)), `: ${lang() === 'vi' ? flagExplain(f.code) : f.message}`)),
  );
}

/** /targets/observations — the entry page of the programme in force. */
export async function renderObservationsHome(): Promise<void> {
  const list = await targetsApi.programmes();
  const p = defaultProgramme(list);
  navigate(p ? `/targets/${enc(p.code)}/observations` : '/targets', { replace: true });
}

/** /targets/:programme/observations */
export async function renderObservations(root: HTMLElement, route: Route): Promise<void> {
  const code = route.params.programme;
  // The old approval queue's links lead to the inbox.
  if (route.query.get('view') === 'queue') {
    navigate(`/targets/${enc(code)}/approvals`, { replace: true });
    return;
  }
  const { programmes, prog, indicators, byCode } = await loadProgramme(code);
  document.title = `${t('targets.tab.observations')} · ${prog.code} · nongsan`;
  const state = {
    view: ((): View => {
      const v = route.query.get('view');
      if (v === 'flags') return v;
      return 'all';
    })(),
    indicator: route.query.get('indicator') ?? '',
    unit: unitFromQuery(route.query),
    year: route.query.get('year') ?? '',
    status: route.query.get('status') ?? '',
  };

  const progSel = select('programme', programmes.map((x) => ({ value: x.code, label: `${x.code} · ${programmeName(x)}` })), code);
  progSel.addEventListener('change', () => navigate(`/targets/${enc(progSel.value)}/observations`));
  const indOpts = [{ value: '', label: t('common.all') }, ...indicators.map((i) => ({ value: i.code, label: `${indicatorName(i)} (${measureLabel(i.measure_unit)})` }))];
  const indSel = select('indicator', indOpts, state.indicator);
  const picker = unitPicker('unit', state.unit, { onChange: (u) => { state.unit = u; void load(true); } });
  const year = h('input', { type: 'number', name: 'year', min: '1900', max: '2200', step: '1', value: state.year, inputmode: 'numeric', class: 'input-year' });
  const statusSel = select('status', [{ value: '', label: t('common.all') }, ...STATUSES.map((s) => ({ value: s, label: t(`targets.status.${s}` as MessageKey) }))], state.status);
  indSel.addEventListener('change', () => { state.indicator = indSel.value; void load(true); });
  year.addEventListener('change', () => { state.year = year.value; void load(true); });
  statusSel.addEventListener('change', () => { state.status = statusSel.value; void load(true); });

  const viewSeg = h('div', { class: 'seg', role: 'group', 'aria-label': t('targets.view') });
  const views: [View, MessageKey][] = [['all', 'targets.view.all'], ['flags', 'targets.view.flags']];
  for (const [v, key] of views) {
    const b = h('button', { type: 'button', class: 'seg-btn', 'aria-pressed': String(state.view === v), 'data-view': v }, t(key));
    b.addEventListener('click', () => {
      state.view = v;
      for (const x of viewSeg.querySelectorAll('button')) x.setAttribute('aria-pressed', String(x.dataset.view === v));
      void load(true);
    });
    viewSeg.append(b);
  }

  const flash = h('div', { class: 'flash', 'aria-live': 'polite' });
  const results = h('div', { class: 'results' });
  const addBtn = canEnter() ? h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'add-observation' }, `+ ${t('targets.enter_value')}`) : null;
  addBtn?.addEventListener('click', () => openForm(null));
  const filters = h(
    'form',
    { class: 'filters', role: 'search', onsubmit: (ev: Event) => ev.preventDefault() },
    field(t('targets.programme'), progSel, { name: 'programme' }),
    field(t('targets.indicator'), indSel, { name: 'indicator' }),
    field(t('targets.unit'), picker.el, { name: 'unit_id' }),
    field(t('targets.year'), year, { name: 'year' }),
    field(t('targets.status'), statusSel, { name: 'status' }),
  );

  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', null, programmeName(prog)), h('div', { class: 'page-actions' }, prog.illustrative ? illustrativeBadge() : '', addBtn ?? '')),
    programmeTabs(code, 'observations', null),
    h('p', { class: 'intro' }, t('targets.observations_intro')),
    filters,
    h('div', { class: 'toolbar-row' }, viewSeg, canApprove() ? link(`/targets/${enc(code)}/approvals`, { class: 'btn btn-small', 'data-testid': 'to-approvals' }, t('targets.approvals.title')) : ''),
    flash,
    results,
  );

  const list = listView<Observation>({
    pageSize: PAGE_SIZE,
    page: Number(route.query.get('page') ?? '1'),
    fetch: (pg) =>
      targetsApi.observations(code, {
        indicator: state.indicator,
        unit_id: state.unit?.id,
        year: state.year,
        status: state.status,
        ...pg,
      }),
    syncUrl: (page) =>
      setQuery({
        view: state.view === 'all' ? '' : state.view,
        indicator: state.indicator,
        unit_id: state.unit?.id,
        unit_code: state.unit?.code,
        unit_name: state.unit?.name,
        year: state.year,
        status: state.status,
        page: page > 1 ? page : '',
      }),
    render: (page) => [
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table table-stack', 'data-testid': 'observations' },
          h('thead', null, h('tr', null,
            h('th', null, t('targets.indicator')),
            h('th', null, t('targets.unit')),
            h('th', { class: 'num' }, t('targets.year')),
            h('th', { class: 'num' }, t('targets.value')),
            h('th', null, t('targets.status')),
            h('th', { class: 'hide-sm' }, t('targets.workflow')),
            h('th', null, t('common.actions')))),
          h('tbody', null, ...page.items.map(row)),
        ),
      ),
    ],
    empty: async () => scopeEmpty(t('list.what.observations'), { filtered: !!(state.indicator || state.unit || state.year || state.status) }),
    emptyTestId: 'no-observations',
  });
  const flagsBox = h('div', { class: 'results' });
  replace(results, list.el, flagsBox);
  let flagSeq = 0;
  async function load(fromStart = false): Promise<void> {
    filters.hidden = state.view === 'flags';
    list.el.hidden = state.view === 'flags';
    flagsBox.hidden = state.view !== 'flags';
    if (state.view !== 'flags') return list.reload(fromStart);
    const mine = ++flagSeq;
    setQuery({ view: 'flags' });
    replace(flagsBox, loading());
    try {
      const f = await targetsApi.flags(code);
      if (mine === flagSeq) replace(flagsBox, flagsTable(f.items, f.checked));
    } catch (err) {
      if (mine === flagSeq) replace(flagsBox, errorBox(err));
    }
  }

  function flagsTable(items: Awaited<ReturnType<typeof targetsApi.flags>>['items'], checked: number): Node {
    return h(
      'div',
      null,
      h('p', { class: 'small muted', 'data-testid': 'flags-summary' }, t('targets.flags_summary', { flagged: items.length, checked: fmtNumber(checked) })),
      items.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'table table-stack', 'data-testid': 'flags' },
            h('thead', null, h('tr', null, h('th', null, t('targets.indicator')), h('th', null, t('targets.unit')), h('th', { class: 'num' }, t('targets.year')), h('th', { class: 'num' }, t('targets.value')), h('th', null, t('targets.status')), h('th', null, t('targets.checks')))),
            h('tbody', null, ...items.map((x) => {
              const i = byCode.get(x.indicator);
              return h('tr', { 'data-observation-id': String(x.observation_id) },
                h('td', { class: 'cell-title' }, i ? indicatorName(i) : x.indicator),
                h('td', { 'data-label': t('targets.unit') }, x.unit_name),
                h('td', { class: 'num', 'data-label': t('targets.year') }, String(x.year), x.period ? ` · ${periodLabel(x.period)}` : ''),
                h('td', { class: 'num', 'data-label': t('targets.value') }, fmtNumber(x.value, 3)),
                h('td', { 'data-label': t('targets.status') }, statusBadge(x.status)),
                h('td', null, flagList(x.flags)));
            }))))
        : h('p', { class: 'empty' }, t('targets.no_flags')),
    );
  }

  function actionButton(label: string, testid: string, cls: string, run: () => Promise<Observation | null>): HTMLButtonElement {
    const b = h('button', { type: 'button', class: `btn btn-small ${cls}`, 'data-testid': testid }, label);
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        const o = await run();
        if (o) {
          replace(flash, notice(t('targets.status_now', { status: t(`targets.status.${o.status}` as MessageKey) }), 'ok'));
          void load();
        }
      } catch (err) {
        replace(flash, errorBox(err));
      } finally {
        b.disabled = false;
      }
    });
    return b;
  }

  function row(o: Observation): HTMLElement {
    const i = byCode.get(o.indicator);
    const actions = h('td', { class: 'actions' });
    const editable = o.status === 'draft' || o.status === 'returned';
    if (canEnter() && editable) {
      const edit = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'edit' }, t('common.edit'));
      edit.addEventListener('click', () => openForm(o));
      actions.append(edit, actionButton(t('targets.action.submit'), 'submit', 'btn-primary', () => targetsApi.transition(o.id, 'submit')));
    }
    if (canApprove() && o.status === 'submitted') {
      actions.append(
        actionButton(t('targets.action.approve'), 'approve', 'btn-primary', () => targetsApi.transition(o.id, 'approve')),
        actionButton(t('targets.action.return'), 'return', 'btn-danger-ghost', async () => {
          const reason = await askReason(t('targets.action.return'), t('targets.action.return'));
          return reason === null ? null : targetsApi.transition(o.id, 'return', reason);
        }),
      );
    }
    if (canUnlock() && o.status === 'approved') {
      actions.append(
        actionButton(t('targets.action.unlock'), 'unlock', 'btn-danger-ghost', async () => {
          const reason = await askReason(t('targets.action.unlock'), t('targets.action.unlock'));
          return reason === null ? null : targetsApi.transition(o.id, 'unlock', reason);
        }),
      );
    }
    const who: (Node | string)[] = [];
    if (o.entered_by) who.push(h('div', null, t('targets.entered_by', { name: actorLabel(o.entered_by) })));
    if (o.submitted_by) who.push(h('div', null, t('targets.submitted_by', { name: actorLabel(o.submitted_by), at: fmtTimestamp(o.submitted_at) })));
    if (o.approved_by) who.push(h('div', null, t('targets.approved_by', { name: actorLabel(o.approved_by), at: fmtTimestamp(o.approved_at) })));
    return h(
      'tr',
      { 'data-observation-id': String(o.id), 'data-status': o.status },
      h('td', { class: 'cell-title' }, i ? indicatorName(i) : o.indicator, flagList(o.flags)),
      h('td', { 'data-label': t('targets.unit') }, o.unit?.name ?? ''),
      h('td', { class: 'num', 'data-label': t('targets.year') }, String(o.year), o.period ? h('span', { class: 'muted small' }, ` · ${periodLabel(o.period)}`) : ''),
      h('td', { class: 'num', 'data-label': t('targets.value') }, h('strong', null, fmtNumber(o.value, 3)), h('span', { class: 'muted small' }, ` ${measureLabel(i?.measure_unit)}`)),
      h('td', { 'data-label': t('targets.status') }, statusBadge(o.status), o.returned_reason ? h('div', { class: 'small returned-reason' }, t('targets.reason_is', { reason: o.returned_reason })) : ''),
      h('td', { class: 'small muted hide-sm' }, ...who),
      actions,
    );
  }

  /** Sets the filters (and the view) to show one value: its indicator, unit and year, any status. */
  function filterTo(o: Observation): void {
    state.indicator = o.indicator;
    indSel.value = o.indicator;
    state.unit = o.unit;
    picker.set(o.unit);
    state.year = String(o.year);
    year.value = state.year;
    state.status = '';
    statusSel.value = '';
    state.view = 'all';
    for (const x of viewSeg.querySelectorAll('button')) x.setAttribute('aria-pressed', String(x.dataset.view === 'all'));
  }

  /**
   * A duplicate entry's 409 names the value that exists: an editable one (draft,
   * returned) opens in the form; another is shown in the list with its status.
   */
  function openExisting(o: Observation): void {
    const said = t('targets.duplicate_opened', { status: t(`targets.status.${o.status}` as MessageKey) });
    if (o.status === 'draft' || o.status === 'returned') {
      openForm(o, said);
      return;
    }
    filterTo(o);
    replace(flash, h('p', { class: 'alert alert-info', 'data-testid': 'duplicate-shown' }, said));
    void load(true);
  }

  /**
   * The value a 409 on entry names: the body's `existing`, or — when the body lacks
   * it — the one observation of the same indicator, unit, year and period, which is
   * what the conflict is about.
   */
  async function duplicateOf(err: ApiError, indicator: string, unitId: number | undefined, yr: number, period: number): Promise<Observation | null> {
    const named = err.body.existing as Observation | undefined;
    if (named && typeof named.id === 'number') return named;
    if (!unitId) return null;
    try {
      const page = await targetsApi.observations(code, { indicator, unit_id: unitId, year: yr, page_size: 100 });
      return page.items.find((o) => o.indicator === indicator && o.unit?.id === unitId && o.year === yr && o.period === period) ?? null;
    } catch {
      return null;
    }
  }

  function openForm(existing: Observation | null, said = ''): void {
    const editing = existing !== null;
    const entryIndicators = indicators.filter((i) => i.source === 'reported');
    const iSel = select('indicator', entryIndicators.map((i) => ({ value: i.code, label: `${indicatorName(i)} (${measureLabel(i.measure_unit)})` })), existing?.indicator || state.indicator || entryIndicators[0]?.code || '', editing ? { disabled: true } : {});
    const me = session()?.user.unit;
    const initialUnit: UnitRef | null = existing?.unit ?? state.unit ?? (me ? { id: me.id, code: me.code, name: me.name, level: 'commune' } : null);
    const uPick = unitPicker('unit', initialUnit, { allowEmpty: true });
    if (editing) uPick.input.disabled = true;
    const yInput = h('input', { type: 'number', name: 'year', min: '1900', max: '2200', step: '1', inputmode: 'numeric', value: existing ? String(existing.year) : state.year || todayIso().slice(0, 4), disabled: editing });
    const pSel = select('period', PERIODS.map((p) => ({ value: String(p), label: periodLabel(p) })), String(existing?.period ?? 0), editing ? { disabled: true } : {});
    const vInput = h('input', { type: 'text', name: 'value', inputmode: 'decimal', autocomplete: 'off', value: numberForInput(existing?.value) });
    const note = h('textarea', { name: 'note', rows: '2' });
    note.value = existing?.note ?? '';
    const slot = h('div', { class: 'form-alert', 'aria-live': 'assertive' });
    if (said) slot.append(h('p', { class: 'alert alert-info', 'data-testid': 'duplicate-opened' }, said));
    const save = h('button', { type: 'submit', class: 'btn btn-primary' }, t('targets.save_draft'));
    const cancel = h('button', { type: 'button', class: 'btn' }, t('common.cancel'));
    const form = h(
      'form',
      { class: 'form', novalidate: true, 'data-testid': 'observation-form' },
      slot,
      field(t('targets.indicator'), iSel, { name: 'indicator', required: true }),
      field(t('targets.unit'), uPick.el, { name: 'unit_id', required: true, hint: t('targets.unit_scope_hint') }),
      h('div', { class: 'form-grid' },
        field(t('targets.year'), yInput, { name: 'year', required: true }),
        field(t('targets.period'), pSel, { name: 'period' })),
      field(t('targets.value'), vInput, { name: 'value', required: true, hint: lang() === 'vi' ? t('targets.value_hint_vi') : t('targets.value_hint_en') }),
      field(t('targets.note'), note, { name: 'note' }),
      h('div', { class: 'form-actions' }, cancel, save),
    );
    const dlg = openDialog(editing ? t('targets.edit_value') : t('targets.enter_value'), [form]);
    cancel.addEventListener('click', () => dlg.close());
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      replace(slot);
      const value = parseNumber(vInput.value);
      let bad = false;
      if (vInput.value.trim() === '') {
        setLocalError(form, 'value', t('common.required'));
        bad = true;
      } else if (value === null) {
        setLocalError(form, 'value', t('common.invalid_number'));
        bad = true;
      } else if (value < 0) {
        setLocalError(form, 'value', t('targets.value_negative'));
        bad = true;
      }
      if (!editing && !uPick.value()) {
        setLocalError(form, 'unit_id', t('common.required'));
        bad = true;
      }
      if (!editing && !/^\d{4}$/.test(yInput.value)) {
        setLocalError(form, 'year', t('common.required'));
        bad = true;
      }
      if (bad) {
        (form.querySelector('.field.invalid input, .field.invalid select') as HTMLElement | null)?.focus();
        return;
      }
      save.disabled = true;
      save.textContent = t('common.saving');
      try {
        const saved = editing
          ? await targetsApi.updateObservation(existing.id, { value: value!, note: note.value })
          : await targetsApi.createObservation(code, {
              indicator: iSel.value,
              unit_id: uPick.value()!.id,
              year: Number(yInput.value),
              period: Number(pSel.value),
              value: value!,
              note: note.value,
            });
        dlg.close();
        replace(
          flash,
          notice(t('targets.saved_draft'), 'ok'),
          saved.flags?.length ? h('div', { class: 'alert alert-warn', role: 'alert', 'data-testid': 'save-warnings' }, h('strong', null, t('targets.check_warnings')), flagList(saved.flags)) : '',
        );
        if (!editing) filterTo(saved);
        void load();
      } catch (err) {
        const dup = !editing && err instanceof ApiError && err.status === 409 ? await duplicateOf(err, iSel.value, uPick.value()?.id, Number(yInput.value), Number(pSel.value)) : null;
        if (dup) {
          dlg.close();
          openExisting(dup);
          return;
        }
        showFormError(form, slot, err);
      } finally {
        save.disabled = false;
        save.textContent = t('targets.save_draft');
      }
    });
  }

  void load();
}


