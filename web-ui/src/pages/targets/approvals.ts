// The approval inbox of a programme (GET /programmes/{code}/approvals): the values
// submitted in the approver's scope, oldest submission first (the server's order),
// each with the previous approved value and the change, the submitter's note, who
// submitted it and when; approve or return from the row. Four eyes (docs/rules.md §3)
// is the server's rule: a row the caller may not approve says why, and a refusal
// (403, or 409 when another approver was quicker) is shown in the server's words.
import type { UnitRef } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, navigate, setQuery, type Route } from '../../lib/router';
import { actorLabel, errorBox, field, notice, select } from '../../lib/ui';
import { unitPicker } from '../../lib/picker';
import { listView } from '../../lib/list';
import { fmtNumber, fmtTimestamp, lang, t, type MessageKey } from '../../i18n';
import { loadProgramme, targetsApi, waitingApprovals, type ApprovalItem, type Approvals } from '../../lib/targets';
import { fmtValue, measureLabel } from '../../lib/measures';
import { refreshApprovalCount } from '../../shell';
import { askReason, defaultProgramme, illustrativeBadge, indicatorName, periodLabel, programmeName, programmeTabs } from './common';

const PAGE_SIZE = 50;
const enc = encodeURIComponent;

/** /targets/approvals — the inbox of the first programme where values wait, else of the programme in force. */
export async function renderApprovalsHome(): Promise<void> {
  const waiting = await waitingApprovals();
  const code = waiting.programmes.find((p) => p.total > 0)?.code ?? defaultProgramme(await targetsApi.programmes())?.code;
  navigate(code ? `/targets/${enc(code)}/approvals` : '/targets', { replace: true });
}

function signed(v: number, unit: string): string {
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${fmtValue(Math.abs(v), unit)}`;
}

/** /targets/:programme/approvals */
export async function renderApprovals(root: HTMLElement, route: Route): Promise<void> {
  const code = route.params.programme;
  const { prog, indicators } = await loadProgramme(code);
  document.title = `${t('targets.approvals.title')} · ${prog.code} · nongsan`;
  const unitId = Number(route.query.get('unit_id')) || null;
  const state = {
    indicator: route.query.get('indicator') ?? '',
    unit: unitId ? ({ id: unitId, code: route.query.get('unit_code') ?? String(unitId), name: route.query.get('unit_name') ?? `#${unitId}`, level: 'commune' } as UnitRef) : null,
  };
  const indSel = select('indicator', [{ value: '', label: t('common.all') }, ...indicators.map((i) => ({ value: i.code, label: indicatorName(i) }))], state.indicator);
  indSel.addEventListener('change', () => {
    state.indicator = indSel.value;
    void list.reload(true);
  });
  const picker = unitPicker('unit', state.unit, {
    onChange: (u) => {
      state.unit = u;
      void list.reload(true);
    },
  });
  const summary = h('div', { class: 'approvals-summary', 'aria-live': 'polite' });
  const flash = h('div', { class: 'flash', 'aria-live': 'polite' });
  let last: Approvals | null = null;

  const paint = (a: Approvals): void => {
    const w = a.waiting;
    replace(
      summary,
      h('p', { class: 'targets-headline', 'data-testid': 'approvals-waiting', 'data-total': String(w.total) }, h('strong', null, fmtNumber(w.total, 0)), ' ', t('targets.approvals.waiting_text')),
      w.by_unit.length > 1
        ? h('p', { class: 'small muted chips' }, `${t('targets.unit')}: `, ...w.by_unit.slice(0, 8).map((u) => h('span', { class: 'chip' }, `${u.unit.name} ${fmtNumber(u.count, 0)}`)))
        : '',
      a.four_eyes ? h('p', { class: 'small muted', 'data-testid': 'four-eyes-note' }, t('targets.approvals.four_eyes_note')) : '',
      others,
    );
  };
  // The menu counts every programme's inbox: the others that wait are named here, with links.
  const others = h('p', { class: 'small', 'data-testid': 'other-inboxes' });
  void waitingApprovals()
    .then((w) => {
      const rest = w.programmes.filter((x) => x.code !== code && x.total > 0);
      if (rest.length)
        replace(others, `${t('targets.approvals.others')} `, ...rest.flatMap((x, i) => [i ? ', ' : '', link(`/targets/${enc(x.code)}/approvals`, { 'data-programme': x.code }, `${x.code} (${fmtNumber(x.total, 0)})`)]));
    })
    .catch(() => {});

  function act(b: HTMLButtonElement, row: HTMLElement, run: () => Promise<unknown>): void {
    b.addEventListener('click', async () => {
      for (const x of row.querySelectorAll('button')) x.disabled = true;
      try {
        const o = (await run()) as { status: string } | null;
        if (o === null) return;
        replace(flash, notice(t('targets.status_now', { status: t(`targets.status.${o.status}` as MessageKey) }), 'ok'));
        void refreshApprovalCount();
        await list.reload();
      } catch (err) {
        // The server's words: four eyes (403), already approved or returned by someone else (409).
        const box = errorBox(err);
        box.dataset.testid = 'approval-refused';
        box.setAttribute('data-verbatim', '');
        replace(flash, box);
        flash.scrollIntoView({ block: 'nearest' });
      } finally {
        for (const x of row.querySelectorAll('button')) x.disabled = false;
      }
    });
  }

  function row(o: ApprovalItem): HTMLElement {
    const unitOfMeasure = o.measure_unit;
    const name = (lang() === 'en' && o.indicator_name_en) || o.indicator_name_vi || o.indicator;
    const actions = h('td', { class: 'actions' });
    const tr = h(
      'tr',
      { 'data-observation-id': String(o.id), 'data-can-approve': String(o.can_approve) },
      h('td', { class: 'cell-title' }, name, h('div', { class: 'muted small' }, `${o.unit?.name ?? ''} · ${o.year}${o.period ? ` · ${periodLabel(o.period)}` : ''}`)),
      h('td', { class: 'num', 'data-label': t('targets.value') }, h('strong', null, fmtValue(o.value, unitOfMeasure)), h('span', { class: 'muted small' }, ` ${measureLabel(unitOfMeasure)}`)),
      h(
        'td',
        { class: 'num', 'data-label': t('targets.approvals.previous') },
        o.previous ? [fmtValue(o.previous.value, unitOfMeasure), h('span', { class: 'muted small' }, ` (${o.previous.year})`)] : h('span', { class: 'muted' }, t('targets.approvals.no_previous')),
        o.change !== null && o.change !== undefined ? h('div', { class: 'small', 'data-testid': 'change' }, signed(o.change, unitOfMeasure)) : '',
      ),
      h('td', { 'data-label': t('targets.note') }, o.note ? h('span', { 'data-verbatim': '' }, o.note) : h('span', { class: 'muted' }, t('common.none'))),
      h('td', { class: 'small', 'data-label': t('targets.approvals.submitted') }, actorLabel(o.submitted_by), h('div', { class: 'muted' }, fmtTimestamp(o.submitted_at))),
      actions,
    );
    if (o.can_approve) {
      const approve = h('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-testid': 'approve' }, t('targets.action.approve'));
      act(approve, tr, () => targetsApi.transition(o.id, 'approve'));
      actions.append(approve);
    } else {
      actions.append(h('span', { class: 'small muted', 'data-testid': 'cannot-approve' }, o.cannot_approve_reason === 'four_eyes' ? t('targets.approvals.own') : t('targets.approvals.cannot')));
    }
    const ret = h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', 'data-testid': 'return' }, t('targets.action.return'));
    act(ret, tr, async () => {
      const reason = await askReason(t('targets.action.return'), t('targets.action.return'));
      return reason === null ? null : targetsApi.transition(o.id, 'return', reason);
    });
    actions.append(ret);
    return tr;
  }

  const list = listView<ApprovalItem>({
    pageSize: PAGE_SIZE,
    page: Number(route.query.get('page') ?? '1'),
    fetch: async (pg) => {
      const a = await targetsApi.approvals(code, { indicator: state.indicator, unit_id: state.unit?.id, ...pg });
      last = a;
      paint(a);
      return a;
    },
    syncUrl: (page) =>
      setQuery({ indicator: state.indicator, unit_id: state.unit?.id, unit_code: state.unit?.code, unit_name: state.unit?.name, page: page > 1 ? page : '' }),
    render: (page) => [
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table table-stack', 'data-testid': 'approvals' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', null, t('targets.indicator')),
              h('th', { class: 'num' }, t('targets.value')),
              h('th', { class: 'num' }, t('targets.approvals.previous')),
              h('th', null, t('targets.note')),
              h('th', null, t('targets.approvals.submitted')),
              h('th', null, t('common.actions')),
            ),
          ),
          h('tbody', null, ...page.items.map(row)),
        ),
      ),
    ],
    empty: () => (last && last.waiting.total > 0 ? t('targets.approvals.none_match') : t('targets.queue_empty')),
    emptyTestId: 'no-approvals',
  });

  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', null, programmeName(prog)), h('div', { class: 'page-actions' }, prog.illustrative ? illustrativeBadge() : '')),
    programmeTabs(code, 'approvals', null),
    h('h2', null, t('targets.approvals.title')),
    h('p', { class: 'intro' }, t('targets.approvals.intro')),
    summary,
    h('form', { class: 'filters', role: 'search', onsubmit: (ev: Event) => ev.preventDefault() }, field(t('targets.indicator'), indSel, { name: 'indicator' }), field(t('targets.unit'), picker.el, { name: 'unit_id' })),
    flash,
    list.el,
    h('p', { class: 'small' }, link(`/targets/${enc(code)}/observations`, null, t('targets.approvals.all_values'))),
  );
  void list.reload();
}
