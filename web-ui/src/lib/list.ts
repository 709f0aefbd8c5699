// The one shape of a list page: a filter form (search as you type, selects), the
// results loaded one page at a time with a pager, a table that becomes cards on
// a phone (each cell labelled from its column), sorting by a column, and the
// loading, error and empty states. An empty list says why: the filters, or the
// user's scope holding no units on the chosen date (scopeEmpty).
import { api, type EmptyReason, type Page, type UnitDetail } from './api';
import { debounce, h, replace } from './dom';
import { session } from './session';
import { errorBox, field, loading, pager, select } from './ui';
import { fmtDate, t, todayIso, type MessageKey } from '../i18n';

type Child = Node | string | null | undefined | false;

// ---- filters -----------------------------------------------------------------

/** A search box that calls `changed` a moment after the user stops typing. */
export function searchInput(name: string, value: string, placeholder: string, changed: (v: string) => void): HTMLInputElement {
  const q = h('input', { type: 'search', name, value, placeholder, autocomplete: 'off' });
  q.addEventListener('input', debounce(() => changed(q.value.trim()), 250));
  return q;
}

/** A select with "all" first, calling `changed` with the new value. */
export function filterSelect(name: string, options: { value: string; label: string }[], value: string, changed: (v: string) => void): HTMLSelectElement {
  const s = select(name, [{ value: '', label: t('common.all') }, ...options], value);
  s.addEventListener('change', () => changed(s.value));
  return s;
}

/** The filter form above a list; Enter does not reload the page. */
export function filterForm(...fields: (HTMLElement | [string, HTMLElement, string] | [string, HTMLElement, string, string])[]): HTMLFormElement {
  return h(
    'form',
    { class: 'filters', role: 'search', onsubmit: (ev: Event) => ev.preventDefault() },
    ...fields.map((f) => (Array.isArray(f) ? field(f[0], f[1], { name: f[2], hint: f[3] }) : f)),
  );
}

// ---- table -------------------------------------------------------------------

export interface Column<T> {
  label: string;
  cell: (item: T) => Child | Child[];
  /** Classes of the cells (num, mono, hide-sm …); the header gets the same. */
  class?: string;
  /** The first column is the card's title on a phone and needs no label. */
  title?: boolean;
  /** The sort key this column orders by, when the list can be sorted by it. */
  sort?: string;
}

export interface SortState {
  key: string;
  desc: boolean;
}

/** "-area" → area, descending. */
export function parseSort(s: string | null): SortState | null {
  if (!s) return null;
  return s.startsWith('-') ? { key: s.slice(1), desc: true } : { key: s, desc: false };
}

export function sortParam(s: SortState | null): string {
  return s ? `${s.desc ? '-' : ''}${s.key}` : '';
}

/** A table (cards on a phone: `table-stack`), with sortable headers where columns have a sort key. */
export function dataTable<T>(
  columns: Column<T>[],
  items: T[],
  opts: { testId?: string; class?: string; row?: (item: T) => Record<string, string>; sort?: SortState | null; onSort?: (s: SortState) => void } = {},
): HTMLElement {
  const head = columns.map((c) => {
    const th = h('th', { class: c.class?.split(' ').filter((x) => x === 'num' || x === 'hide-sm').join(' ') || null });
    if (c.sort && opts.onSort) {
      const active = opts.sort?.key === c.sort;
      const desc = active && opts.sort!.desc;
      th.setAttribute('aria-sort', active ? (desc ? 'descending' : 'ascending') : 'none');
      const b = h('button', { type: 'button', class: 'th-sort', 'data-sort': c.sort }, c.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (desc ? ' ▼' : ' ▲') : ' ↕'));
      b.addEventListener('click', () => opts.onSort!({ key: c.sort!, desc: active ? !desc : false }));
      th.append(b);
    } else th.append(c.label);
    return th;
  });
  const rows = items.map((item) =>
    h(
      'tr',
      opts.row?.(item) ?? null,
      ...columns.map((c) => {
        const content = c.cell(item);
        return h('td', { class: [c.title ? 'cell-title' : '', c.class ?? ''].join(' ').trim() || null, 'data-label': c.title ? null : c.label }, ...(Array.isArray(content) ? content : [content]));
      }),
    ),
  );
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { class: `table table-stack ${opts.class ?? ''}`.trim(), 'data-testid': opts.testId ?? null }, h('thead', null, h('tr', null, ...head)), h('tbody', null, ...rows)),
  );
}

/** Orders a whole list in the browser (lists the server sends in full, such as the zones). */
export function sortItems<T>(items: T[], s: SortState | null, value: (item: T, key: string) => string | number | null): T[] {
  if (!s) return items;
  const dir = s.desc ? -1 : 1;
  return [...items].sort((a, b) => {
    const x = value(a, s.key);
    const y = value(b, s.key);
    if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
    if (y === null || y === undefined) return -1;
    return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'vi')) * dir;
  });
}

// ---- the paged list ---------------------------------------------------------------

export interface ListOptions<T> {
  pageSize: number;
  /** The page to show first (from the URL). */
  page?: number;
  fetch: (args: { page: number; page_size: number }) => Promise<Page<T>>;
  /** Writes the filters and the page to the URL (page 1 is left out). */
  syncUrl?: (page: number) => void;
  /** The rows: usually a note and a dataTable; the pager follows. */
  render: (page: Page<T>) => Child[];
  /** What an empty list says (see scopeEmpty). */
  empty: (page: Page<T>) => Child | Promise<Child>;
  emptyTestId?: string;
  /** A failure the page explains itself (e.g. a route an older server lacks); null for the usual error box. */
  failed?: (err: unknown) => Child | null;
}

export interface ListView {
  el: HTMLElement;
  /** Loads again; `fromStart` goes back to page 1 (a filter changed). */
  reload(fromStart?: boolean): Promise<void>;
}

export function listView<T>(opts: ListOptions<T>): ListView {
  const el = h('div', { class: 'results', 'aria-live': 'polite' });
  let page = opts.page && opts.page > 0 ? opts.page : 1;
  let seq = 0;
  async function reload(fromStart = false): Promise<void> {
    const mine = ++seq;
    if (fromStart) page = 1;
    opts.syncUrl?.(page);
    el.setAttribute('aria-busy', 'true');
    replace(el, loading());
    try {
      const result = await opts.fetch({ page, page_size: opts.pageSize });
      if (mine !== seq) return;
      if (!result.items.length) {
        const why = await opts.empty(result);
        if (mine !== seq) return;
        replace(el, h('div', { class: 'empty', 'data-testid': opts.emptyTestId ?? 'list-empty' }, why));
      } else {
        replace(
          el,
          ...opts.render(result),
          result.total > result.page_size || result.page > 1
            ? pager(result.page, result.page_size, result.total, (p) => {
                page = p;
                void reload();
              })
            : '',
        );
      }
      el.dataset.total = String(result.total);
    } catch (err) {
      if (mine === seq) replace(el, opts.failed?.(err) || errorBox(err));
    } finally {
      if (mine === seq) el.removeAttribute('aria-busy');
    }
  }
  return { el, reload };
}

// ---- empty lists ---------------------------------------------------------------------

/**
 * When the user's scope holds no administrative units on `date` (its unit ended,
 * or was not yet formed, and no unit merged into it existed then): a sentence
 * that says so with the scope's name; otherwise null. `what` names the records
 * the page would show ("thửa đất").
 */
export async function scopeGone(what: string, date: string): Promise<HTMLElement | null> {
  const unit = session()?.user.unit ?? null;
  if (!unit) return null;
  try {
    const u = await api.get<UnitDetail>(`/api/v1/units/${unit.id}`, { as_of: date });
    // The scope is the unit, its children and the whole units merged into it: on the
    // date, either the unit is in force, or the old units merged into it still were.
    const merged = (u.predecessors ?? []).some((p) => p.share >= 1 - 1e-9 && date < p.effective_date);
    if (u.valid_on_as_of !== false || merged) return null;
    const ended = u.valid_to !== null && u.valid_to < date;
    return h(
      'p',
      { class: 'alert alert-info', 'data-reason': 'scope' },
      t(ended ? 'list.scope_ended' : 'list.scope_not_yet', { what, scope: u.name, date: fmtDate(date), end: fmtDate(u.valid_to), start: fmtDate(u.valid_from) }),
    );
  } catch {
    // Without the unit's dates, nothing certain to say.
    return null;
  }
}

/**
 * The server's reason for an empty list (the registry's lists send it), in words:
 * the caller's scope holds no such records, the filters (or the date) match none of
 * those it holds, or there are none at all. An unknown reason gives null.
 */
export function serverEmpty(what: string, e: EmptyReason): HTMLElement | null {
  // The scope as the units in force today, and how many former units were merged into them.
  const all = e.scope?.units ?? [];
  const today = todayIso();
  const current = [...new Set(all.filter((u) => !u.valid_to || u.valid_to >= today).map((u) => u.name))];
  const former = all.length - all.filter((u) => !u.valid_to || u.valid_to >= today).length;
  const units = current.length
    ? `${current.join(', ')}${former ? t('list.former_units', { n: former }) : ''}`
    : all.map((u) => (u.valid_to ? `${u.name} (${t('list.unit_until', { date: fmtDate(u.valid_to) })})` : u.name)).join(', ');
  const p = (key: MessageKey, vars: Record<string, string> = {}): HTMLElement =>
    h('p', { 'data-reason': e.reason, 'data-source': 'server' }, t(key, { what, ...vars }));
  switch (e.reason) {
    case 'scope':
      if (e.scope?.kind === 'producer') return p('list.server.scope_producer');
      return units ? p('list.server.scope_units', { scope: units }) : p('list.server.scope');
    case 'filter':
      return p('list.server.filter');
    case 'no_records':
      return p('list.server.no_records');
    default:
      return null;
  }
}

/**
 * Why a list is empty, in words. When the server says why (`server`: the page's
 * `empty`), its reason is shown; otherwise the browser works it out: the user's scope
 * holds no units on the date, the filters match nothing, or there simply are no
 * records in scope. `date` is the list's date (today when the list has none).
 */
export async function scopeEmpty(what: string, opts: { filtered: boolean; date?: string; server?: EmptyReason }): Promise<Node> {
  const date = opts.date || todayIso();
  if (opts.server) {
    // A reform that ended the scope's unit is still best said with its dates.
    if (opts.server.reason === 'scope') {
      const gone = await scopeGone(what, date);
      if (gone) return gone;
    }
    const said = serverEmpty(what, opts.server);
    if (said) return said;
  }
  const gone = await scopeGone(what, date);
  if (gone) return gone;
  const unit = session()?.user.unit ?? null;
  if (opts.filtered) return h('p', { 'data-reason': 'filter' }, t('list.none_match', { what }));
  return h('p', { 'data-reason': 'none' }, unit ? t('list.none_in_scope', { what, scope: unit.name, date: fmtDate(date) }) : t('list.none_yet', { what, date: fmtDate(date) }));
}
