// Small building blocks shared by the pages: form fields with a slot for the
// API's per-field messages, a date field in the language's convention, a pager,
// badges and a modal dialog (the unit picker is in picker.ts).
import { ApiError, api, type FieldError, type Level, type GeomSource } from './api';
import { h, replace, uid } from './dom';
import { icon } from './icons';
import { canRevealPersonalData } from './session';
import { t, fmtDate, dateForInput, parseDate, fmtNumber, type MessageKey } from '../i18n';

// ---- errors ----------------------------------------------------------------

export function errorSummary(err: unknown): string {
  if (err instanceof ApiError) {
    switch (err.status) {
      case 0:
        return t('error.network');
      case 400:
        return t('error.invalid_input');
      case 403:
        return t('error.forbidden');
      case 404:
        return t('error.not_found');
      case 409:
        return t('error.conflict');
      default:
        if (err.status >= 500) return t('error.server');
        return t('error.generic', { message: err.message });
    }
  }
  return t('error.generic', { message: err instanceof Error ? err.message : String(err) });
}

/** A visible error: our translated summary, the server's own words, and the request id for support. */
export function errorBox(err: unknown): HTMLElement {
  const box = h('div', { class: 'alert alert-error', role: 'alert' }, h('strong', null, errorSummary(err)));
  if (err instanceof ApiError) {
    const fieldless = err.fieldErrors.length === 0;
    // The server's own words, quoted (in the language the server answered in).
    if (err.message && err.status !== 0 && fieldless) box.append(h('div', { class: 'alert-detail', 'data-verbatim': 'server' }, err.message));
    if (err.requestId) box.append(h('div', { class: 'alert-meta' }, t('error.request_id', { id: err.requestId })));
  }
  return box;
}

export function notice(text: string, kind: 'ok' | 'info' | 'warn' = 'info'): HTMLElement {
  return h('div', { class: `alert alert-${kind}`, role: kind === 'warn' ? 'alert' : 'status' }, text);
}

export function loading(): HTMLElement {
  return h('div', { class: 'loading', role: 'status' }, t('common.loading'));
}

// ---- form fields -----------------------------------------------------------

export interface FieldOptions {
  name: string;
  hint?: string;
  required?: boolean;
}

/** A labelled control with a slot for its error message; `data-field` ties it to the API's `errors[].field`. */
export function field(label: string, control: HTMLElement, opts: FieldOptions): HTMLElement {
  const id = control.id || uid(opts.name);
  const input = control.matches('input,select,textarea') ? control : control.querySelector('input,select,textarea');
  if (input && !input.id) input.id = id;
  const errId = `${input?.id ?? id}-error`;
  if (input) input.setAttribute('aria-describedby', errId);
  return h(
    'div',
    { class: 'field', 'data-field': opts.name },
    h('label', { for: input?.id ?? id }, label, opts.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    control,
    opts.hint ? h('div', { class: 'hint' }, opts.hint) : null,
    h('div', { class: 'field-error', id: errId, 'aria-live': 'polite' }),
  );
}

export function clearFieldErrors(form: HTMLElement): void {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('.field.invalid')) el.classList.remove('invalid');
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/** Puts each message next to its field; returns the messages that match no field. */
export function showFieldErrors(form: HTMLElement, errors: FieldError[]): FieldError[] {
  const rest: FieldError[] = [];
  for (const e of errors) {
    const name = e.field.replace(/\.(id)$/, '_id');
    // A list's element ("exclusive_with[1]") goes under the list's field when it has no field of its own.
    const list = e.field.replace(/\[\d+\]$/, '');
    const f = form.querySelector<HTMLElement>(`.field[data-field="${CSS.escape(e.field)}"]`) ??
      form.querySelector<HTMLElement>(`.field[data-field="${CSS.escape(name)}"]`) ??
      form.querySelector<HTMLElement>(`.field[data-field="${CSS.escape(list)}"]`);
    if (!f) {
      rest.push(e);
      continue;
    }
    f.classList.add('invalid');
    f.querySelector('input,select,textarea')?.setAttribute('aria-invalid', 'true');
    const slot = f.querySelector('.field-error');
    if (slot) slot.textContent = slot.textContent ? `${slot.textContent} ${e.message}` : e.message;
  }
  return rest;
}

/** Shows an API failure on a form: field messages in place, the rest in the form's alert slot. */
export function showFormError(form: HTMLElement, slot: HTMLElement, err: unknown): void {
  clearFieldErrors(form);
  if (err instanceof ApiError && err.fieldErrors.length) {
    const rest = showFieldErrors(form, err.fieldErrors);
    const box = errorBox(err);
    for (const e of rest) box.append(h('div', { class: 'alert-detail' }, `${e.field}: ${e.message}`));
    replace(slot, box);
    (form.querySelector('.field.invalid input, .field.invalid select, .field.invalid textarea') as HTMLElement | null)?.focus();
  } else {
    replace(slot, errorBox(err));
  }
}

export function setLocalError(form: HTMLElement, name: string, message: string): void {
  const f = form.querySelector<HTMLElement>(`.field[data-field="${CSS.escape(name)}"]`);
  if (!f) return;
  f.classList.add('invalid');
  const slot = f.querySelector('.field-error');
  if (slot) slot.textContent = message;
}

export function select(
  name: string,
  options: { value: string; label: string }[],
  value: string,
  attrs: Record<string, string | boolean> = {},
): HTMLSelectElement {
  const s = h('select', { name, ...attrs });
  for (const o of options) s.append(h('option', { value: o.value }, o.label));
  s.value = value;
  return s;
}

export interface DateInput {
  el: HTMLElement;
  input: HTMLInputElement;
  /** The date as YYYY-MM-DD, '' when empty, or null when what was typed is not a date. */
  value(): string | null;
  set(iso: string): void;
}

/**
 * A date typed in the language's convention (dd/mm/yyyy in Vietnamese), with a
 * calendar button that opens the browser's native picker.
 */
export function dateInput(name: string, iso: string, onChange?: (iso: string) => void): DateInput {
  const input = h('input', {
    type: 'text',
    name,
    inputmode: 'numeric',
    autocomplete: 'off',
    placeholder: t('common.date_format'),
    value: dateForInput(iso),
    class: 'date-text',
  });
  const native = h('input', { type: 'date', tabindex: '-1', 'aria-hidden': 'true', class: 'date-native', value: iso });
  const button = h('button', { type: 'button', class: 'btn btn-icon date-btn', title: t('common.pick_date'), 'aria-label': t('common.pick_date') }, icon('calendar'));
  button.addEventListener('click', () => {
    const v = parseDate(input.value);
    if (v) native.value = v;
    try {
      native.showPicker();
    } catch {
      native.focus();
    }
  });
  native.addEventListener('change', () => {
    if (!native.value) return;
    input.value = dateForInput(native.value);
    input.setCustomValidity('');
    onChange?.(native.value);
  });
  const commit = (): void => {
    const v = input.value.trim() === '' ? '' : parseDate(input.value);
    if (v === null) {
      input.setCustomValidity(t('common.invalid_date'));
      input.reportValidity();
      return;
    }
    input.setCustomValidity('');
    if (v) input.value = dateForInput(v);
    onChange?.(v);
  };
  input.addEventListener('change', commit);
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      commit();
    }
  });
  const el = h('span', { class: 'date-input' }, input, button, native);
  return {
    el,
    input,
    value: () => (input.value.trim() === '' ? '' : parseDate(input.value)),
    set: (v: string) => {
      input.value = dateForInput(v);
      native.value = v;
    },
  };
}

// ---- display ---------------------------------------------------------------

export function levelLabel(level: Level | string): string {
  const key = `level.${level}` as MessageKey;
  return level === 'province' || level === 'district' || level === 'commune' ? t(key) : level;
}

export function badge(text: string, kind = 'neutral', title?: string): HTMLElement {
  return h('span', { class: `badge badge-${kind}`, title }, text);
}

export function geomBadge(source: GeomSource | string): HTMLElement | null {
  if (source === 'illustrative') return badge(t('geom.illustrative'), 'warn', t('geom.illustrative_note'));
  if (source === 'official') return badge(t('geom.official'), 'ok');
  if (source === 'imported') return badge(t('geom.imported'), 'neutral');
  if (source === 'none') return badge(t('geom.none'), 'muted');
  return null;
}

/**
 * Who did something, as the server records it: "user:lan" → "lan"; "cli:root" →
 * "Dòng lệnh (root)" (the command line acts with the administrator's authority).
 */
export function actorLabel(a: string | { id: number; username: string } | null | undefined): string {
  if (a === null || a === undefined) return t('common.none');
  if (typeof a !== 'string') return a.username ?? String(a.id);
  const m = /^(cli|user):(.*)$/.exec(a);
  if (!m) return a;
  return t(m[1] === 'cli' ? 'audit.actor.cli' : 'audit.actor.user', { name: m[2] });
}

/** The same as a node: a username is an identifier, set as code. */
export function actorNode(a: string | { id: number; username: string } | null | undefined): Node {
  const m = typeof a === 'string' ? /^user:(.*)$/.exec(a) : null;
  if (m) return h('span', { class: 'mono' }, m[1]);
  if (a && typeof a !== 'string') return h('span', { class: 'mono' }, a.username ?? String(a.id));
  return document.createTextNode(actorLabel(a));
}

export function validity(from: string, to: string | null): string {
  return `${fmtDate(from)} – ${to ? fmtDate(to) : t('unit.still_valid')}`;
}

export function basisLabel(basis: string): string {
  if (basis === 'whole' || basis === 'area' || basis === 'parcels') return t(`unit.basis.${basis}` as MessageKey);
  return basis;
}

export function areaHa(v: number | null | undefined): string {
  return fmtNumber(v, 1);
}

export function pager(page: number, pageSize: number, total: number, go: (page: number) => void): HTMLElement {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const prev = h('button', { type: 'button', class: 'btn', disabled: page <= 1, 'data-testid': 'prev' }, `‹ ${t('common.prev')}`);
  const next = h('button', { type: 'button', class: 'btn', disabled: page >= pages, 'data-testid': 'next' }, `${t('common.next')} ›`);
  prev.addEventListener('click', () => go(page - 1));
  next.addEventListener('click', () => go(page + 1));
  return h(
    'nav',
    { class: 'pager', 'aria-label': t('common.page', { page, pages, total: fmtNumber(total) }) },
    prev,
    h('span', { class: 'pager-info' }, t('common.page', { page, pages, total: fmtNumber(total) })),
    next,
  );
}

// ---- map side panel ------------------------------------------------------------

/**
 * The details beside a map (a bottom sheet on a phone): a close button and a
 * body. No MapLibre here: the panel is plain DOM, shared by every map page.
 */
export function mapPanel(label: string, testid: string, onClose: () => void): { panel: HTMLElement; body: HTMLElement } {
  const body = h('div', { class: 'panel-body' });
  const close = h('button', { type: 'button', class: 'btn btn-icon panel-close', 'aria-label': t('map.close_panel'), title: t('map.close_panel') }, '×');
  close.addEventListener('click', onClose);
  return { panel: h('aside', { class: 'map-panel', 'aria-label': label, 'data-testid': testid }, close, body), body };
}

// ---- dialog ----------------------------------------------------------------

export interface Dialog {
  el: HTMLDialogElement;
  body: HTMLElement;
  close(): void;
}

export function openDialog(title: string, content: Node[], opts: { onClose?: () => void; wide?: boolean } = {}): Dialog {
  const titleId = uid('dlg');
  const body = h('div', { class: 'dialog-body' }, ...content);
  const closeBtn = h('button', { type: 'button', class: 'btn btn-icon dialog-x', 'aria-label': t('common.close'), title: t('common.close') }, '×');
  const el = h(
    'dialog',
    { class: opts.wide ? 'dialog dialog-wide' : 'dialog', 'aria-labelledby': titleId },
    h('div', { class: 'dialog-head' }, h('h2', { id: titleId }, title), closeBtn),
    body,
  );
  const close = (): void => {
    if (el.open) el.close();
  };
  closeBtn.addEventListener('click', close);
  el.addEventListener('close', () => {
    el.remove();
    opts.onClose?.();
  });
  document.body.append(el);
  el.showModal();
  return { el, body, close };
}

export function confirmDialog(message: string, okLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    let result = false;
    const ok = h('button', { type: 'button', class: 'btn btn-danger' }, okLabel);
    const cancel = h('button', { type: 'button', class: 'btn' }, t('common.cancel'));
    const d = openDialog(okLabel, [h('p', null, message), h('div', { class: 'form-actions' }, cancel, ok)], {
      onClose: () => resolve(result),
    });
    ok.addEventListener('click', () => {
      result = true;
      d.close();
    });
    cancel.addEventListener('click', () => d.close());
    cancel.focus();
  });
}

// ---- personal data ------------------------------------------------------------

/**
 * A masked personal value (Decree 13/2023/NĐ-CP). For roles allowed to, a "Reveal"
 * button asks the server for the full value at `revealUrl` (POST {field}), which the
 * audit trail records; `onLogged` shows the notice or the error.
 */
export function revealable(value: string, field: string, revealUrl: string, onLogged: (msg: HTMLElement) => void): HTMLElement {
  const span = h('span', { class: 'mono masked', 'data-field': field }, value || t('common.none'));
  const wrap = h('span', { class: 'revealable' }, span);
  if (value && canRevealPersonalData()) {
    const btn = h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': `reveal-${field}`, title: t('users.reveal_logged') }, icon('eye', 16), t('users.reveal'));
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        const r = await api.post<{ field: string; value: string }>(revealUrl, { field });
        span.textContent = r.value;
        span.classList.remove('masked');
        span.classList.add('revealed');
        btn.remove();
        onLogged(notice(t('users.reveal_logged'), 'info'));
      } catch (err) {
        btn.disabled = false;
        onLogged(errorBox(err));
      }
    });
    wrap.append(' ', btn);
  }
  return wrap;
}
