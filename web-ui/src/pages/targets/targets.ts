// Targets of a programme by indicator and unit, each with its revisions (value,
// deciding document, effective date); province officers and administrators add
// a target or a revision (the server keeps the original and every change).
import type { UnitRef } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { navigate, setQuery, type Route } from '../../lib/router';
import { clearFieldErrors, dateInput, errorBox, field, levelLabel, loading, notice, openDialog, select, setLocalError, showFormError, actorLabel } from '../../lib/ui';
import { unitPicker } from '../../lib/picker';
import { fmtDate, fmtNumber, fmtTimestamp, lang, parseNumber, t, todayIso } from '../../i18n';
import { targetsApi, type Target, loadProgramme } from '../../lib/targets';
import { canManage, illustrativeBadge, indicatorName, programmeName, programmeTabs } from './common';
import { measureLabel } from '../../lib/measures';

const enc = encodeURIComponent;

function unitFromQuery(q: URLSearchParams): UnitRef | null {
  const id = Number(q.get('unit_id'));
  if (!id) return null;
  return { id, code: q.get('unit_code') ?? String(id), name: q.get('unit_name') ?? `#${id}`, level: 'commune' };
}

/** /targets/:programme/targets */
export async function renderTargets(root: HTMLElement, route: Route): Promise<void> {
  const code = route.params.programme;
  const { programmes, prog, indicators, byCode } = await loadProgramme(code);
  document.title = `${t('targets.tab.targets')} · ${prog.code} · nongsan`;
  const state = {
    indicator: route.query.get('indicator') ?? indicators[0]?.code ?? '',
    unit: unitFromQuery(route.query),
    year: route.query.get('year') ?? '',
  };
  const progSel = select('programme', programmes.map((x) => ({ value: x.code, label: `${x.code} · ${programmeName(x)}` })), code);
  progSel.addEventListener('change', () => navigate(`/targets/${enc(progSel.value)}/targets`));
  const indSel = select('indicator', [{ value: '', label: t('common.all') }, ...indicators.map((i) => ({ value: i.code, label: `${indicatorName(i)} (${measureLabel(i.measure_unit)})` }))], state.indicator);
  const picker = unitPicker('unit', state.unit, { onChange: (u) => { state.unit = u; void load(); } });
  const yearSel = select('year', [{ value: '', label: t('common.all') }, ...prog.milestones.map((m) => ({ value: String(m), label: String(m) }))], state.year);
  indSel.addEventListener('change', () => { state.indicator = indSel.value; void load(); });
  yearSel.addEventListener('change', () => { state.year = yearSel.value; void load(); });
  const flash = h('div', { class: 'flash', 'aria-live': 'polite' });
  const results = h('div', { class: 'results' });
  const addBtn = canManage() ? h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'add-target' }, `+ ${t('targets.add_target')}`) : null;
  addBtn?.addEventListener('click', () => openForm(null));

  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', null, programmeName(prog)), h('div', { class: 'page-actions' }, prog.illustrative ? illustrativeBadge() : '', addBtn ?? '')),
    programmeTabs(code, 'targets', null),
    h('p', { class: 'intro' }, t('targets.targets_intro')),
    h('form', { class: 'filters', role: 'search', onsubmit: (ev: Event) => ev.preventDefault() },
      field(t('targets.programme'), progSel, { name: 'programme' }),
      field(t('targets.indicator'), indSel, { name: 'indicator' }),
      field(t('targets.unit'), picker.el, { name: 'unit_id' }),
      field(t('targets.milestone'), yearSel, { name: 'year' })),
    flash,
    results,
  );

  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    setQuery({ indicator: state.indicator, unit_id: state.unit?.id, unit_code: state.unit?.code, unit_name: state.unit?.name, year: state.year });
    replace(results, loading());
    try {
      const list = await targetsApi.targets(code, { indicator: state.indicator, unit_id: state.unit?.id, year: state.year });
      if (mine !== seq) return;
      if (!list.length) {
        replace(results, h('p', { class: 'empty' }, t('common.empty')));
        return;
      }
      replace(results, h('div', { class: 'table-wrap' }, h('table', { class: 'table table-stack', 'data-testid': 'targets' },
        h('thead', null, h('tr', null,
          h('th', null, t('targets.indicator')),
          h('th', null, t('targets.unit')),
          h('th', { class: 'num' }, t('targets.milestone')),
          h('th', { class: 'num' }, t('targets.in_force_today')),
          h('th', null, t('targets.revisions')),
          canManage() ? h('th', null, t('common.actions')) : '')),
        h('tbody', null, ...list.map(row)))));
    } catch (err) {
      if (mine === seq) replace(results, errorBox(err));
    }
  }

  function row(tg: Target): HTMLElement {
    const i = byCode.get(tg.indicator);
    const revs = h('ol', { class: 'revisions small' }, ...tg.revisions.map((r) =>
      h('li', { 'data-seq': String(r.seq) },
        r.original ? h('span', { class: 'badge badge-neutral' }, t('targets.original')) : h('span', { class: 'badge badge-warn' }, t('targets.revision')),
        ' ',
        h('strong', null, fmtNumber(r.value, 2)),
        r.decision ? ` · ${r.decision}` : '',
        r.effective_date ? ` · ${t('targets.effective_from', { date: fmtDate(r.effective_date) })}` : '',
        h('span', { class: 'muted' }, ` · ${actorLabel(r.created_by)}, ${fmtTimestamp(r.created_at)}`))));
    const actions = canManage() ? h('td', { class: 'actions' }) : '';
    if (actions) {
      const b = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'revise' }, t('targets.revise'));
      b.addEventListener('click', () => openForm(tg));
      actions.append(b);
    }
    return h('tr', { 'data-target-id': String(tg.id) },
      h('td', { class: 'cell-title' }, i ? indicatorName(i) : tg.indicator, h('span', { class: 'muted small' }, ` (${measureLabel(i?.measure_unit)})`)),
      h('td', { 'data-label': t('targets.unit') }, tg.unit?.name ?? '', h('span', { class: 'muted small' }, ` ${levelLabel(tg.unit?.level ?? '')}`)),
      h('td', { class: 'num', 'data-label': t('targets.milestone') }, String(tg.year)),
      h('td', { class: 'num', 'data-label': t('targets.in_force_today') },
        tg.original !== null && tg.in_force_today !== tg.original ? h('s', { class: 'target-original' }, fmtNumber(tg.original, 2)) : '', ' ', h('strong', null, fmtNumber(tg.in_force_today, 2))),
      h('td', { 'data-label': t('targets.revisions') }, revs),
      actions);
  }

  function openForm(existing: Target | null): void {
    const revising = existing !== null;
    const iSel = select('indicator', indicators.map((i) => ({ value: i.code, label: `${indicatorName(i)} (${measureLabel(i.measure_unit)})` })), existing?.indicator ?? state.indicator ?? '', revising ? { disabled: true } : {});
    const uPick = unitPicker('unit', existing?.unit ?? state.unit, { allowEmpty: true });
    if (revising) uPick.input.disabled = true;
    const ySel = select('year', prog.milestones.map((m) => ({ value: String(m), label: String(m) })), String(existing?.year ?? prog.milestones[0] ?? ''), revising ? { disabled: true } : {});
    const vInput = h('input', { type: 'text', name: 'value', inputmode: 'decimal', autocomplete: 'off' });
    const decision = h('input', { type: 'text', name: 'decision', autocomplete: 'off' });
    const eff = dateInput('effective_date', revising ? todayIso() : '');
    const slot = h('div', { class: 'form-alert', 'aria-live': 'assertive' });
    const save = h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'));
    const cancel = h('button', { type: 'button', class: 'btn' }, t('common.cancel'));
    const form = h('form', { class: 'form', novalidate: true },
      slot,
      revising ? h('p', { class: 'muted small' }, t('targets.revise_note')) : '',
      field(t('targets.indicator'), iSel, { name: 'indicator', required: true }),
      field(t('targets.unit'), uPick.el, { name: 'unit_id', required: true }),
      field(t('targets.milestone'), ySel, { name: 'year', required: true }),
      field(t('targets.value'), vInput, { name: 'value', required: true, hint: lang() === 'vi' ? t('targets.value_hint_vi') : t('targets.value_hint_en') }),
      field(t('targets.decision'), decision, { name: 'decision', required: revising }),
      field(t('targets.effective_date'), eff.el, { name: 'effective_date', required: revising }),
      h('div', { class: 'form-actions' }, cancel, save));
    const dlg = openDialog(revising ? t('targets.revise') : t('targets.add_target'), [form]);
    cancel.addEventListener('click', () => dlg.close());
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      replace(slot);
      const value = parseNumber(vInput.value);
      if (value === null) {
        setLocalError(form, 'value', vInput.value.trim() ? t('common.invalid_number') : t('common.required'));
        return;
      }
      if (value < 0) {
        setLocalError(form, 'value', t('targets.value_negative'));
        return;
      }
      const unit = uPick.value();
      if (!unit) {
        setLocalError(form, 'unit_id', t('common.required'));
        return;
      }
      const effective = eff.value();
      if (effective === null) {
        setLocalError(form, 'effective_date', t('common.invalid_date'));
        return;
      }
      save.disabled = true;
      try {
        await targetsApi.setTarget(code, {
          indicator: iSel.value,
          unit_id: unit.id,
          year: Number(ySel.value),
          value,
          ...(decision.value.trim() ? { decision: decision.value.trim() } : {}),
          ...(effective ? { effective_date: effective } : {}),
        });
        dlg.close();
        replace(flash, notice(t('common.saved'), 'ok'));
        void load();
      } catch (err) {
        showFormError(form, slot, err);
      } finally {
        save.disabled = false;
      }
    });
  }

  void load();
}
