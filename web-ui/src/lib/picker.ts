// Search as you type, choose from a list: the one combobox behind the unit,
// producer and (when the server can search them) parcel pickers. The server
// does the search and ignores diacritics ("lo van" finds "Lò Văn"); this module
// only shows the answers, keeps the latest one, and handles the keyboard
// (↓ into the list, Enter to choose, Escape to close).
import { api, type Level, type Page, type Unit, type UnitRef } from './api';
import { clear, debounce, h, uid } from './dom';
import { t, type MessageKey } from '../i18n';

export interface PickerSource<T> {
  /** The matches for what was typed (the server searches). */
  search(q: string): Promise<T[]>;
  /** What the box shows once an item is chosen. */
  text(item: T): string;
  /** The line in the list: a name and a muted detail. */
  option(item: T): { name: string; detail?: string };
  /** The attribute and value that identify an option in the page (tests, styles). */
  key(item: T): [string, string];
}

export interface Picker<T> {
  el: HTMLElement;
  input: HTMLInputElement;
  value(): T | null;
  set(item: T | null): void;
}

export interface PickerOptions<T> {
  placeholder?: string;
  onChange?: (item: T | null) => void;
  /** Clearing the box chooses nothing (default); false keeps the last choice. */
  allowEmpty?: boolean;
}

export function picker<T>(name: string, source: PickerSource<T>, initial: T | null, opts: PickerOptions<T> = {}): Picker<T> {
  let chosen = initial;
  const listId = uid(name);
  const input = h('input', {
    type: 'search',
    name,
    autocomplete: 'off',
    placeholder: opts.placeholder ?? '',
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listId,
    value: initial ? source.text(initial) : '',
  });
  const list = h('ul', { class: 'picker-list', id: listId, role: 'listbox', hidden: true });
  const close = (): void => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
  };
  const choose = (item: T | null): void => {
    chosen = item;
    input.value = item ? source.text(item) : '';
    close();
    opts.onChange?.(item);
  };
  let seq = 0;
  const search = debounce(async (q: string) => {
    const mine = ++seq;
    try {
      const items = await source.search(q);
      if (mine !== seq) return;
      clear(list);
      for (const item of items) {
        const o = source.option(item);
        const [attr, id] = source.key(item);
        const li = h('li', { role: 'option', tabindex: '-1', [attr]: id }, h('span', null, o.name), o.detail ? h('span', { class: 'muted' }, ` ${o.detail}`) : '');
        li.addEventListener('mousedown', (ev) => {
          ev.preventDefault();
          choose(item);
        });
        li.addEventListener('keydown', (ev) => {
          if (ev.key === 'Enter') {
            ev.preventDefault();
            choose(item);
          } else if (ev.key === 'ArrowDown') {
            ev.preventDefault();
            (li.nextElementSibling as HTMLElement | null)?.focus();
          } else if (ev.key === 'ArrowUp') {
            ev.preventDefault();
            ((li.previousElementSibling as HTMLElement | null) ?? input).focus();
          } else if (ev.key === 'Escape') {
            close();
            input.focus();
          }
        });
        list.append(li);
      }
      if (!items.length) list.append(h('li', { class: 'muted', role: 'presentation' }, t('picker.no_match')));
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    } catch {
      close();
    }
  }, 200);
  input.addEventListener('input', () => {
    const q = input.value.trim();
    if (q === '') {
      if (opts.allowEmpty !== false) choose(null);
      close();
      return;
    }
    search(q);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown') {
      (list.querySelector('li[role=option]') as HTMLElement | null)?.focus();
      ev.preventDefault();
    } else if (ev.key === 'Escape') close();
  });
  input.addEventListener('blur', () =>
    window.setTimeout(() => {
      if (!list.contains(document.activeElement)) {
        close();
        input.value = chosen ? source.text(chosen) : '';
      }
    }, 150),
  );
  return { el: h('div', { class: 'picker' }, input, list), input, value: () => chosen, set: (item) => choose(item) };
}

// ---- units -----------------------------------------------------------------------

function levelName(level: Level | string): string {
  return level === 'province' || level === 'district' || level === 'commune' ? t(`level.${level}` as MessageKey) : level;
}

/** Administrative units valid on `asOf()` (any date when it gives ''). */
export function unitSource(asOf?: () => string): PickerSource<UnitRef> {
  return {
    search: async (q) => (await api.get<Page<Unit>>('/api/v1/units', { q, as_of: asOf?.() ?? '', page_size: 20 })).items.map((u) => ({ id: u.id, code: u.code, name: u.name, level: u.level })),
    text: (u) => `${u.name} (${u.code})`,
    option: (u) => ({ name: u.name, detail: `${u.code} · ${levelName(u.level)}` }),
    key: (u) => ['data-unit-id', String(u.id)],
  };
}

export function unitPicker(
  name: string,
  initial: UnitRef | null,
  opts: { asOf?: () => string; onChange?: (u: UnitRef | null) => void; allowEmpty?: boolean } = {},
): Picker<UnitRef> {
  return picker(name, unitSource(opts.asOf), initial, { placeholder: t('figures.pick_unit'), onChange: opts.onChange, allowEmpty: opts.allowEmpty });
}
