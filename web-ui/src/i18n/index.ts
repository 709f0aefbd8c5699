// The chosen language, the lookup of labels, and the number and date
// conventions of each language: Vietnamese writes 1.234,5 and 31/12/2024;
// English writes 1,234.5 and 31 Dec 2024.
import { vi, type MessageKey } from './vi';
import { en } from './en';

export type Lang = 'vi' | 'en';
export type { MessageKey };

const STORAGE_KEY = 'nongsan.lang';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { vi, en };

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'vi' || saved === 'en') return saved;
  } catch {
    // Storage may be disabled; Vietnamese is the default.
  }
  return 'vi';
}

let current: Lang = initialLang();
const listeners = new Set<() => void>();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not persisted; the choice still holds for this page.
  }
  document.documentElement.lang = next;
  for (const f of listeners) f();
}

export function onLangChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  let s: string = dictionaries[current][key] ?? key;
  if (params) {
    for (const [k, v] of Object.entries(params)) s = s.split(`{${k}}`).join(String(v));
  }
  return s;
}

/** The label of a code that comes from data: `prefix.code` when the code is one of `known`, else the code as it is. */
export function labelOf(prefix: string, code: string, known: readonly string[]): string {
  return known.includes(code) ? t(`${prefix}.${code}` as MessageKey) : code;
}

// ---- numbers ---------------------------------------------------------------

const locale = (): string => (current === 'vi' ? 'vi-VN' : 'en-GB');

export function fmtNumber(n: number | null | undefined, maxFraction = 2): string {
  if (n === null || n === undefined || Number.isNaN(n)) return t('common.none');
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: maxFraction }).format(n);
}

export function fmtPercent(share: number | null | undefined): string {
  if (share === null || share === undefined) return t('common.none');
  // Vietnamese and the project's documents both put a space before %.
  return `${fmtNumber(share * 100, 2)} %`;
}

/** Parses a number typed in the current language's convention. Returns null if it is not one. */
export function parseNumber(text: string): number | null {
  let s = text.trim().replace(/\s/g, '');
  if (s === '') return null;
  if (current === 'vi') {
    // 1.234,5 → 1234.5; a lone dot followed by exactly three digits is a thousands dot.
    if (s.includes(',')) s = s.replace(/\./g, '').replace(',', '.');
    else if (/^-?\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, '');
  } else {
    s = s.replace(/,/g, '');
  }
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

/** Formats a number for an input field in the current language (no thousands separators). */
export function numberForInput(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  const s = String(n);
  return current === 'vi' ? s.replace('.', ',') : s;
}

// ---- dates -----------------------------------------------------------------

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Today's civil date in Asia/Ho_Chi_Minh as YYYY-MM-DD. */
export function todayIso(): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Ho_Chi_Minh',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date());
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Civil date YYYY-MM-DD → dd/mm/yyyy (vi) or 31 Dec 2024 (en). */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return t('common.none');
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  if (current === 'vi') return `${d}/${mo}/${y}`;
  return `${Number(d)} ${MONTHS_EN[Number(mo) - 1]} ${y}`;
}

/** UTC timestamp → local (Asia/Ho_Chi_Minh) date and time in the current convention. */
export function fmtTimestamp(ts: string | null | undefined): string {
  if (!ts) return t('common.none');
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Ho_Chi_Minh',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const date = fmtDate(`${get('year')}-${get('month')}-${get('day')}`);
  return `${date} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** A date for a text input: dd/mm/yyyy (vi) or yyyy-mm-dd (en). */
export function dateForInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return current === 'vi' ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** Accepts dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or yyyy-mm-dd; returns YYYY-MM-DD or null. */
export function parseDate(text: string): string | null {
  const s = text.trim();
  let y: number, mo: number, d: number;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) {
    y = Number(m[1]);
    mo = Number(m[2]);
    d = Number(m[3]);
  } else {
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
    if (!m) return null;
    d = Number(m[1]);
    mo = Number(m[2]);
    y = Number(m[3]);
  }
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
