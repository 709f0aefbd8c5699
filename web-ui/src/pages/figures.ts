// Figures by unit: the list with filters, a form to add, edit and delete, and
// the roll-up view that traces a rolled-up number to the records behind it.
import { api, type Figure, type Page, type Rollup, type Series, type UnitRef } from '../lib/api';
import { h, replace } from '../lib/dom';
import { link, navigate, setQuery, type Route } from '../lib/router';
import { canWriteFigures } from '../lib/session';
import {
  badge,
  clearFieldErrors,
  confirmDialog,
  dateInput,
  errorBox,
  field,
  levelLabel,
  loading,
  notice,
  openDialog,
  select,
  setLocalError,
  showFormError,
} from '../lib/ui';
import { unitPicker } from '../lib/picker';
import { dataTable, filterForm, filterSelect, listView, scopeEmpty } from '../lib/list';
import { fmtMeasure, fmtValue, measureLabel } from '../lib/measures';
import { fmtDate, fmtNumber, fmtPercent, fmtTimestamp, lang, numberForInput, parseNumber, t, todayIso, type MessageKey } from '../i18n';

const PAGE_SIZE = 50;

let seriesCache: Series[] | null = null;
export async function loadSeries(): Promise<Series[]> {
  if (!seriesCache) {
    const r = await api.get<Series[] | { items: Series[] }>('/api/v1/figures/series');
    seriesCache = Array.isArray(r) ? r : r.items;
  }
  return seriesCache;
}

export function seriesName(s: Series | undefined, code: string): string {
  if (!s) return code;
  return lang() === 'vi' ? s.name_vi : s.name_en;
}

function seriesOptions(series: Series[], withAll: boolean): { value: string; label: string }[] {
  const opts = series.map((s) => ({ value: s.code, label: `${seriesName(s, s.code)} (${measureLabel(s.measure_unit)})` }));
  return withAll ? [{ value: '', label: t('common.all') }, ...opts] : opts;
}

function unitFromQuery(query: URLSearchParams): UnitRef | null {
  const id = Number(query.get('unit_id'));
  if (!id) return null;
  return { id, code: query.get('unit_code') ?? String(id), name: query.get('unit_name') ?? `#${id}`, level: 'commune' };
}

export async function renderFigures(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('figures.title')} · nongsan`;
  const series = await loadSeries();
  const bySeries = new Map(series.map((s) => [s.code, s]));
  const writable = canWriteFigures();
  const state = {
    series: route.query.get('series') ?? '',
    unit: unitFromQuery(route.query),
    year: route.query.get('year') ?? '',
  };
  const flash = h('div', { class: 'flash', 'aria-live': 'polite' });
  const actions = (f: Figure): Node[] => {
    const out: Node[] = [link(`/figures/rollup?series=${encodeURIComponent(f.series)}&unit_id=${f.unit.id}&year=${f.year}`, { class: 'btn btn-small', title: t('figures.trace') }, `Σ ${t('figures.rollup')}`)];
    if (!writable) return out;
    const edit = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'edit-figure' }, t('common.edit'));
    edit.addEventListener('click', () => openFigureForm(f));
    const del = h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', 'data-testid': 'delete-figure' }, t('common.delete'));
    del.addEventListener('click', async () => {
      if (!(await confirmDialog(t('common.confirm_delete'), t('common.delete')))) return;
      try {
        await api.del<void>(`/api/v1/figures/${f.id}`);
        replace(flash, notice(t('common.deleted'), 'ok'));
        void load();
      } catch (err) {
        replace(flash, errorBox(err));
      }
    });
    return [...out, edit, del];
  };
  const list = listView<Figure>({
    pageSize: PAGE_SIZE,
    page: Number(route.query.get('page') ?? '1'),
    fetch: (pg) => api.get<Page<Figure>>('/api/v1/figures', { series: state.series, unit_id: state.unit?.id, year: state.year, ...pg }),
    syncUrl: (page) => setQuery({ series: state.series, unit_id: state.unit?.id, unit_name: state.unit?.name, unit_code: state.unit?.code, year: state.year, page: page > 1 ? page : '' }),
    render: (page) => [
      page.items.some((f) => bySeries.get(f.series)?.illustrative) ? h('p', { class: 'small muted' }, t('figures.illustrative_note')) : '',
      dataTable<Figure>(
        [
          { label: t('figures.series'), title: true, cell: (f) => { const s = bySeries.get(f.series); return [seriesName(s, f.series), s?.illustrative ? h('span', { class: 'illustrative-mark', title: t('figures.illustrative_series') }, ' *') : '']; } },
          { label: t('figures.unit'), cell: (f) => [link(`/units/${f.unit.id}`, null, f.unit.name), h('span', { class: 'muted small hide-sm' }, ` ${levelLabel(f.unit.level)}`)] },
          { label: t('figures.year'), class: 'num', cell: (f) => String(f.year) },
          { label: t('figures.value'), class: 'num', cell: (f) => { const u = bySeries.get(f.series)?.measure_unit; return [h('strong', null, fmtNumber(f.value, 3)), h('span', { class: 'muted small' }, ` ${measureLabel(u)}`)]; } },
          { label: t('figures.note'), class: 'hide-sm', cell: (f) => f.note || '' },
          { label: t('figures.updated_at'), class: 'hide-sm nowrap', cell: (f) => fmtTimestamp(f.updated_at) },
          { label: t('common.actions'), class: 'actions', cell: actions },
        ],
        page.items,
        { class: 'table-figures', row: (f) => ({ 'data-figure-id': String(f.id) }) },
      ),
    ],
    empty: () => scopeEmpty(t('list.what.figures'), { filtered: !!(state.series || state.unit || state.year) }),
  });
  const load = (): Promise<void> => list.reload();
  const changed = (): void => void list.reload(true);
  const picker = unitPicker('unit', state.unit, { onChange: (u) => ((state.unit = u), changed()) });
  const year = h('input', { type: 'number', name: 'year', min: '1900', max: '2200', step: '1', value: state.year, inputmode: 'numeric', class: 'input-year' });
  year.addEventListener('change', () => ((state.year = year.value), changed()));
  const addBtn = writable ? h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'add-figure' }, `+ ${t('figures.add')}`) : null;
  addBtn?.addEventListener('click', () => openFigureForm(null));

  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', null, t('figures.title')), h('div', { class: 'page-actions' }, link('/figures/rollup', { class: 'btn' }, `Σ ${t('figures.rollup')}`), addBtn ?? '')),
    h('p', { class: 'intro' }, t('figures.intro')),
    writable ? '' : h('p', { class: 'muted' }, t('figures.read_only')),
    filterForm(
      [t('figures.series'), filterSelect('series', seriesOptions(series, false), state.series, (v) => ((state.series = v), changed())), 'series'],
      [t('figures.unit'), picker.el, 'unit_id'],
      [t('figures.year'), year, 'year'],
    ),
    flash,
    list.el,
  );

  function openFigureForm(existing: Figure | null): void {
    const editing = existing !== null;
    const sSel = select('series', seriesOptions(series, false), existing?.series || state.series || series[0]?.code || '', editing ? { disabled: true } : {});
    const uPick = unitPicker('unit', existing?.unit ?? state.unit, { allowEmpty: true });
    if (editing) uPick.input.disabled = true;
    const yInput = h('input', {
      type: 'number',
      name: 'year',
      min: '1900',
      max: '2200',
      step: '1',
      inputmode: 'numeric',
      value: existing ? String(existing.year) : state.year || String(new Date().getFullYear()),
      disabled: editing,
    });
    const vInput = h('input', { type: 'text', name: 'value', inputmode: 'decimal', autocomplete: 'off', value: numberForInput(existing?.value) });
    const noteInput = h('textarea', { name: 'note', rows: '2' });
    noteInput.value = existing?.note ?? '';
    const slot = h('div', { class: 'form-alert', 'aria-live': 'assertive' });
    const save = h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'));
    const cancel = h('button', { type: 'button', class: 'btn' }, t('common.cancel'));
    const form = h(
      'form',
      { class: 'form', novalidate: true },
      slot,
      editing ? h('p', { class: 'muted small' }, t('figures.edit_fixed')) : '',
      field(t('figures.series'), sSel, { name: 'series', required: true }),
      field(t('figures.unit'), uPick.el, { name: 'unit_id', required: true }),
      field(t('figures.year'), yInput, { name: 'year', required: true }),
      field(t('figures.value'), vInput, { name: 'value', required: true, hint: lang() === 'vi' ? '1.234,5' : '1,234.5' }),
      field(t('figures.note'), noteInput, { name: 'note' }),
      h('div', { class: 'form-actions' }, cancel, save),
    );
    const dlg = openDialog(editing ? t('figures.edit') : t('figures.add'), [form]);
    cancel.addEventListener('click', () => dlg.close());
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      replace(slot);
      const value = parseNumber(vInput.value);
      if (vInput.value.trim() !== '' && value === null) {
        setLocalError(form, 'value', t('common.invalid_number'));
        return;
      }
      save.disabled = true;
      save.textContent = t('common.saving');
      try {
        if (editing) {
          // Only what changed, so the audit trail shows the real change.
          const body: Record<string, unknown> = {};
          if (value !== existing.value) body.value = value;
          if (noteInput.value !== existing.note) body.note = noteInput.value;
          await api.patch<Figure>(`/api/v1/figures/${existing.id}`, body);
        } else {
          await api.post<Figure>('/api/v1/figures', {
            series: sSel.value,
            unit_id: uPick.value()?.id ?? null,
            year: yInput.value === '' ? null : Number(yInput.value),
            value,
            note: noteInput.value,
          });
        }
        dlg.close();
        replace(flash, notice(t('common.saved'), 'ok'));
        void load();
      } catch (err) {
        showFormError(form, slot, err);
        save.disabled = false;
        save.textContent = t('common.save');
      }
    });
    (editing ? vInput : sSel).focus();
  }

  void load();
}

export async function renderRollup(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('figures.rollup_title')} · nongsan`;
  const series = await loadSeries();
  const bySeries = new Map(series.map((s) => [s.code, s]));
  const q = route.query;
  const state = {
    series: q.get('series') ?? series[0]?.code ?? '',
    unit: unitFromQuery(q),
    year: q.get('year') ?? String(new Date().getFullYear() - 1),
    as_of: q.get('as_of') ?? todayIso(),
  };
  const sSel = select('series', seriesOptions(series, false), state.series);
  const picker = unitPicker('unit', state.unit);
  const year = h('input', { type: 'number', name: 'year', min: '1900', max: '2200', step: '1', inputmode: 'numeric', value: state.year, class: 'input-year' });
  const asOf = dateInput('as_of', state.as_of);
  const show = h('button', { type: 'submit', class: 'btn btn-primary' }, t('figures.rollup_show'));
  const result = h('div', { class: 'results' });
  const form = h(
    'form',
    { class: 'filters', novalidate: true },
    field(t('figures.series'), sSel, { name: 'series' }),
    field(t('figures.unit'), picker.el, { name: 'unit_id' }),
    field(t('figures.year'), year, { name: 'year' }),
    field(t('unit.as_of'), asOf.el, { name: 'as_of' }),
    h('div', { class: 'field field-button' }, show),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const u = picker.value();
    if (!u) {
      setLocalError(form, 'unit_id', t('common.required'));
      return;
    }
    const asOfValue = asOf.value();
    if (asOfValue === null) {
      setLocalError(form, 'as_of', t('common.invalid_date'));
      return;
    }
    navigate(
      `/figures/rollup?series=${encodeURIComponent(sSel.value)}&unit_id=${u.id}&unit_name=${encodeURIComponent(u.name)}&unit_code=${encodeURIComponent(u.code)}&year=${encodeURIComponent(year.value)}&as_of=${asOfValue || todayIso()}`,
    );
  });
  replace(
    root,
    link('/figures', { class: 'back' }, `‹ ${t('figures.title')}`),
    h('h1', null, t('figures.rollup_title')),
    h('p', { class: 'intro' }, t('figures.rollup_intro')),
    form,
    result,
  );
  if (!state.unit) return;

  replace(result, loading());
  let r: Rollup;
  try {
    r = await api.get<Rollup>('/api/v1/figures/rollup', { series: state.series, unit_id: state.unit.id, year: state.year, as_of: state.as_of });
  } catch (err) {
    replace(result, errorBox(err));
    return;
  }
  picker.set(r.unit);
  const s = bySeries.get(r.series);
  const methodText = (m: string): string => (m === 'own' || m === 'children' || m === 'predecessors' ? t(`figures.method.${m}` as MessageKey) : m);
  const traceHref = (u: UnitRef): string =>
    `/figures/rollup?series=${encodeURIComponent(r.series)}&unit_id=${u.id}&unit_name=${encodeURIComponent(u.name)}&unit_code=${encodeURIComponent(u.code)}&year=${r.year}&as_of=${r.as_of ?? state.as_of}`;

  replace(
    result,
    h(
      'section',
      { class: 'card rollup', 'data-testid': 'rollup' },
      h('div', { class: 'rollup-head' }, h('h2', null, `${seriesName(s, r.series)} · ${r.unit.name} · ${r.year}`), s?.illustrative ? badge(t('figures.illustrative_series'), 'warn') : ''),
      h(
        'div',
        { class: 'rollup-value' },
        h('span', { class: 'muted' }, t('figures.rollup_value')),
        r.value === null
          ? h('span', { class: 'rollup-none', 'data-testid': 'rollup-value' }, t('figures.rollup_no_value'))
          : h('strong', { 'data-testid': 'rollup-value' }, fmtMeasure(r.value, r.measure_unit ?? s?.measure_unit, 3)),
      ),
      h('p', null, `${t('figures.method')}: `, h('strong', null, methodText(r.method)), ` · ${t('unit.as_of')} ${fmtDate(r.as_of ?? state.as_of)}`, r.reference_date ? ` · ${t('figures.reference_date')} ${fmtDate(r.reference_date)}` : ''),
      h(
        'p',
        null,
        link(
          `/figures?series=${encodeURIComponent(r.series)}&unit_id=${r.unit.id}&unit_name=${encodeURIComponent(r.unit.name)}&unit_code=${encodeURIComponent(r.unit.code)}&year=${r.year}`,
          { class: 'btn btn-small', 'data-testid': 'view-records' },
          `${t('figures.view_records')} ›`,
        ),
      ),
      s?.source ? h('p', { class: 'muted small' }, `${t('figures.source')}: `, h('span', { 'data-verbatim': 'source' }, s.source)) : '',
      r.contributions?.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h('h3', null, t('figures.contributions')),
            h(
              'table',
              { class: 'table' },
              h(
                'thead',
                null,
                h('tr', null, h('th', null, t('figures.unit')), h('th', { class: 'num' }, t('figures.value')), h('th', { class: 'num' }, t('figures.contribution_share')), h('th', null, t('figures.method')), h('th', null, '')),
              ),
              h(
                'tbody',
                null,
                ...r.contributions.map((c) =>
                  h(
                    'tr',
                    null,
                    h('td', null, link(`/units/${c.unit.id}`, null, c.unit.name), h('span', { class: 'muted small' }, ` ${c.unit.code} · ${levelLabel(c.unit.level)}`)),
                    h('td', { class: 'num' }, fmtValue(c.value, r.measure_unit ?? s?.measure_unit, 3)),
                    h('td', { class: 'num' }, fmtPercent(c.share)),
                    h('td', null, methodText(c.method)),
                    h('td', null, link(traceHref(c.unit), { class: 'btn btn-small' }, `${t('figures.trace')} ›`)),
                  ),
                ),
              ),
            ),
          )
        : '',
    ),
  );
}

