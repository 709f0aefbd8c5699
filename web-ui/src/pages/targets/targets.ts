// Targets of a programme by indicator and unit, each with its revisions (value,
// deciding document, effective date); province officers and administrators add
// a target or a revision (the server keeps the original and every change).
import type { UnitRef } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { navigate, setQuery, type Route } from '../../lib/router';
import { clearFieldErrors, dateInput, field, levelLabel, notice, openDialog, select, setLocalError, showFormError, actorLabel } from '../../lib/ui';
import { unitPicker } from '../../lib/picker';
import { fmtDate, fmtTimestamp, lang, parseNumber, t, todayIso } from '../../i18n';
import { targetsApi, type Target, loadProgramme } from '../../lib/targets';
import { canManage, illustrativeBadge, indicatorName, programmeName, programmeTabs } from './common';
import { fmtValue, measureLabel } from '../../lib/measures';
import { dataTable, listView, scopeEmpty } from '../../lib/list';

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
  // The server answers every target that matches (no pages): one page of them all.
  const list = listView<Target>({
    pageSize: 1_000_000,
    fetch: async () => {
      const items = await targetsApi.targets(code, { indicator: state.indicator, unit_id: state.unit?.id, year: state.year });
      return { items, page: 1, page_size: items.length || 1, total: items.length };
    },
    syncUrl: () => setQuery({ indicator: state.indicator, unit_id: state.unit?.id, unit_code: state.unit?.code, unit_name: state.unit?.name, year: state.year }),
    render: (page) => [
      dataTable<Target>(
        [
          { label: t('targets.indicator'), title: true, cell: (tg) => { const i = byCode.get(tg.indicator); return [i ? indicatorName(i) : tg.indicator, h('span', { class: 'muted small' }, ` (${measureLabel(i?.measure_unit)})`)]; } },
          { label: t('targets.unit'), cell: (tg) => [tg.unit?.name ?? '', h('span', { class: 'muted small' }, ` ${levelLabel(tg.unit?.level ?? '')}`)] },
          { label: t('targets.milestone'), class: 'num', cell: (tg) => String(tg.year) },
          {
            label: t('targets.in_force_today'),
            class: 'num',
            cell: (tg) => {
              const u = byCode.get(tg.indicator)?.measure_unit;
              return [tg.original !== null && tg.in_force_today !== tg.original ? h('s', { class: 'target-original' }, fmtValue(tg.original, u)) : '', ' ', h('strong', null, fmtValue(tg.in_force_today, u))];
            },
          },
          { label: t('targets.revisions'), cell: revisions },
          ...(canManage() ? [{ label: t('common.actions'), class: 'actions', cell: reviseButton }] : []),
        ],
        page.items,
        { testId: 'targets', row: (tg) => ({ 'data-target-id': String(tg.id) }) },
      ),
    ],
    empty: () => scopeEmpty(t('list.what.targets'), { filtered: !!(state.indicator || state.unit || state.year) }),
  });
  const load = (): Promise<void> => list.reload();
  const picker = unitPicker('unit', state.unit, { onChange: (u) => { state.unit = u; void load(); } });
  const yearSel = select('year', [{ value: '', label: t('common.all') }, ...prog.milestones.map((m) => ({ value: String(m), label: String(m) }))], state.year);
  indSel.addEventListener('change', () => { state.indicator = indSel.value; void load(); });
  yearSel.addEventListener('change', () => { state.year = yearSel.value; void load(); });
  const flash = h('div', { class: 'flash', 'aria-live': 'polite' });
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
    list.el,
  );

  function revisions(tg: Target): HTMLElement {
    const u = byCode.get(tg.indicator)?.measure_unit;
    return h('ol', { class: 'revisions small' }, ...tg.revisions.map((r) =>
      h('li', { 'data-seq': String(r.seq) },
        r.original ? h('span', { class: 'badge badge-neutral' }, t('targets.original')) : h('span', { class: 'badge badge-warn' }, t('targets.revision')),
        ' ',
        h('strong', null, fmtValue(r.value, u)),
        r.decision ? ` · ${r.decision}` : '',
        r.effective_date ? ` · ${t('targets.effective_from', { date: fmtDate(r.effective_date) })}` : '',
        h('span', { class: 'muted' }, ` · ${actorLabel(r.created_by)}, ${fmtTimestamp(r.created_at)}`))));
  }

  function reviseButton(tg: Target): HTMLElement {
    const b = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'revise' }, t('targets.revise'));
    b.addEventListener('click', () => openForm(tg));
    return b;
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
