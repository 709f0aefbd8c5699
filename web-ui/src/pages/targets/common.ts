// What the target pages share: the programme tabs, the review parameters bar
// (programme, milestone, as-of date, unit — all kept in the URL so a view can be
// shared), the band colours and bars, status badges and label helpers.
import type { UnitRef } from '../../lib/api';
import { h } from '../../lib/dom';
import { link, navigate } from '../../lib/router';
import { can } from '../../lib/session';
import { badge, dateInput, field, openDialog, select, setLocalError } from '../../lib/ui';
import { unitPicker } from '../../lib/picker';
import { fmtNumber, lang, t, todayIso, type MessageKey } from '../../i18n';
import { defaultMilestone, type Band, type Indicator, type ObservationStatus, type Programme, type ReviewIndicator } from '../../lib/targets';

/** Band colours: achieved green, over half amber, low red, no data grey (also used on the map). */
export const BAND_COLOUR: Record<Band | 'none', string> = {
  achieved: '#2e7d32',
  over_half: '#e0a100',
  low: '#c62828',
  none: '#b0b6ae',
};

export function bandKey(b: Band | null | undefined): Band | 'none' {
  return b ?? 'none';
}

export function bandLabel(b: Band | null | undefined): string {
  return t(`targets.band.${bandKey(b)}` as MessageKey);
}

export function bandBadge(b: Band | null | undefined): HTMLElement {
  const k = bandKey(b);
  return h('span', { class: `badge band-badge band-${k}`, 'data-band': k }, bandLabel(b));
}

/** A percentage already in percent (89.5 → "89,5 %"). */
export function fmtPct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return t('common.none');
  return `${fmtNumber(v, digits)} %`;
}

export function indicatorName(i: Pick<Indicator, 'name_vi' | 'name_en' | 'code'> | Pick<ReviewIndicator, 'name_vi' | 'name_en'> & { code?: string }): string {
  if (lang() === 'en' && i.name_en) return i.name_en;
  return i.name_vi || i.code || '';
}

export function programmeName(p: Programme): string {
  return (lang() === 'en' && p.name_en) || p.name_vi || p.code;
}

/**
 * The achievement bar: filled to min(pct, 100) % in the band's colour, with a
 * mark where the elapsed share of the time to the milestone falls.
 */
export function achievementBar(pct: number | null, band: Band | null, elapsed: number | null): HTMLElement {
  const k = bandKey(band);
  const w = pct === null ? 0 : Math.max(0, Math.min(100, pct));
  const bar = h(
    'div',
    { class: 'ach-bar', role: 'img', 'aria-label': `${fmtPct(pct)} · ${bandLabel(band)}` },
    h('div', { class: `ach-fill band-bg-${k}`, style: { width: `${w}%` } }),
  );
  if (elapsed !== null && elapsed >= 0 && elapsed <= 1) {
    bar.append(h('div', { class: 'ach-elapsed', style: { left: `${elapsed * 100}%` }, title: t('targets.elapsed_mark', { pct: fmtPct(elapsed * 100) }) }));
  }
  return bar;
}

export function forecastMark(reached: boolean | null, pct: number | null): HTMLElement {
  if (reached === null) return h('span', { class: 'muted', 'data-forecast': 'none' }, t('common.none'));
  return h(
    'span',
    { class: `forecast-mark ${reached ? 'forecast-yes' : 'forecast-no'}`, 'data-forecast': reached ? 'reached' : 'missed' },
    h('span', { 'aria-hidden': 'true' }, reached ? '▲ ' : '▼ '),
    fmtPct(pct),
    ' ',
    h('span', { class: 'forecast-word' }, reached ? t('targets.forecast_yes') : t('targets.forecast_no')),
  );
}

export function statusBadge(s: ObservationStatus): HTMLElement {
  const kind = s === 'approved' ? 'ok' : s === 'submitted' ? 'info' : s === 'returned' ? 'warn' : 'neutral';
  return h('span', { class: `badge badge-${kind} status-${s}`, 'data-status': s }, t(`targets.status.${s}` as MessageKey));
}

export function illustrativeBadge(): HTMLElement {
  const b = badge(t('targets.illustrative'), 'warn', t('targets.illustrative_note'));
  b.dataset.testid = 'illustrative';
  return b;
}

/**
 * Whether a programme's figures are illustrative: the programme itself, or any of
 * its indicators (NQ05 is a real resolution whose demo figures are illustrative).
 */
export function programmeIllustrative(p: { illustrative: boolean }, indicators: { illustrative: boolean }[] = []): boolean {
  return p.illustrative || indicators.some((i) => i.illustrative);
}

export function periodLabel(p: number): string {
  if (p === 0) return t('targets.period.year');
  if (p >= 1 && p <= 4) return t('targets.period.quarter', { n: p });
  if (p >= 101 && p <= 112) return t('targets.period.month', { n: p - 100 });
  return String(p);
}

export function flagLabel(code: string): string {
  const known = ['outlier', 'exceeds', 'reported_differs_from_computed'];
  return known.includes(code) ? t(`targets.flag.${code}` as MessageKey) : code;
}

/** The review parameters read from the URL. */
export interface ViewParams {
  milestone: number | null;
  as_of: string;
  unit: string;
  unit_name: string;
}

export function readParams(q: URLSearchParams): ViewParams {
  return {
    milestone: Number(q.get('milestone')) || null,
    as_of: q.get('as_of') || todayIso(),
    unit: q.get('unit') ?? '',
    unit_name: q.get('unit_name') ?? '',
  };
}

export function paramsQuery(p: ViewParams, extra: Record<string, string | number | null | undefined> = {}): string {
  const qs = new URLSearchParams();
  if (p.milestone) qs.set('milestone', String(p.milestone));
  if (p.as_of && p.as_of !== todayIso()) qs.set('as_of', p.as_of);
  if (p.unit) qs.set('unit', p.unit);
  if (p.unit && p.unit_name) qs.set('unit_name', p.unit_name);
  for (const [k, v] of Object.entries(extra)) if (v !== null && v !== undefined && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `?${s}` : '';
}

export type Tab = 'dashboard' | 'observations' | 'approvals' | 'targets' | 'reports';

/** The programme's page tabs; the entry tab only for those who enter or approve. */
export function programmeTabs(code: string, active: Tab, p: ViewParams | null): HTMLElement {
  const q = p ? paramsQuery(p) : '';
  const tabs: [Tab, string, MessageKey, boolean][] = [
    ['dashboard', `/targets/${encodeURIComponent(code)}${q}`, 'targets.tab.dashboard', true],
    ['observations', `/targets/${encodeURIComponent(code)}/observations`, 'targets.tab.observations', true],
    ['approvals', `/targets/${encodeURIComponent(code)}/approvals`, 'targets.tab.approvals', canApprove()],
    ['targets', `/targets/${encodeURIComponent(code)}/targets`, 'targets.tab.targets', true],
    ['reports', `/targets/${encodeURIComponent(code)}/reports${q}`, 'targets.tab.reports', true],
  ];
  return h(
    'nav',
    { class: 'tabs', 'aria-label': t('nav.targets') },
    ...tabs
      .filter((x) => x[3])
      .map(([id, href, key]) => link(href, { class: id === active ? 'tab active' : 'tab', ...(id === active ? { 'aria-current': 'page' } : {}), 'data-tab': id }, t(key))),
  );
}

/**
 * The parameter bar: programme, milestone, as-of date and unit. Each change
 * navigates (so the URL always holds the view); `path` builds the page's path
 * for a programme code.
 */
export function paramsBar(
  programmes: Programme[],
  current: Programme,
  p: ViewParams,
  unit: UnitRef | null,
  path: (code: string) => string,
  extra: () => Record<string, string | number | null | undefined> = () => ({}),
): HTMLElement {
  const go = (code: string, next: ViewParams): void => navigate(`${path(code)}${paramsQuery(next, extra())}`);
  const progSel = select(
    'programme',
    programmes.map((x) => ({ value: x.code, label: `${x.code} · ${programmeName(x)}` })),
    current.code,
  );
  progSel.addEventListener('change', () => go(progSel.value, { ...p, milestone: null }));
  const milestones = current.milestones.length ? current.milestones : [Number(current.end.slice(0, 4))];
  const msSel = select(
    'milestone',
    milestones.map((m) => ({ value: String(m), label: String(m) })),
    String(p.milestone ?? defaultMilestone(current, p.as_of)),
  );
  msSel.addEventListener('change', () => go(current.code, { ...p, milestone: Number(msSel.value) }));
  const date = dateInput('as_of', p.as_of, (v) => go(current.code, { ...p, as_of: v || todayIso() }));
  const picker = unitPicker('unit', unit, {
    asOf: () => p.as_of,
    onChange: (u) => go(current.code, { ...p, unit: u?.code ?? '', unit_name: u?.name ?? '' }),
  });
  picker.input.placeholder = t('targets.unit_placeholder');
  return h(
    'form',
    { class: 'filters targets-params', role: 'search', onsubmit: (ev: Event) => ev.preventDefault() },
    field(t('targets.programme'), progSel, { name: 'programme' }),
    field(t('targets.milestone'), msSel, { name: 'milestone' }),
    field(t('targets.as_of'), date.el, { name: 'as_of' }),
    field(t('targets.unit'), picker.el, { name: 'unit_id' }),
  );
}

export function canEnter(): boolean {
  return can('targets.enter');
}
export function canApprove(): boolean {
  return can('targets.approve');
}
export function canUnlock(): boolean {
  return can('targets.unlock');
}
export function canManage(): boolean {
  return can('targets.manage');
}

/** The programme chosen when a link names none: the first whose period holds today, else the first. */
export { programmeInForce as defaultProgramme } from '../../lib/targets';

/** Asks for a reason (return, unlock); resolves null when cancelled. */
export function askReason(title: string, okLabel: string): Promise<string | null> {
  return new Promise((resolve) => {
    let result: string | null = null;
    const text = h('textarea', { name: 'reason', rows: '3', required: true });
    const ok = h('button', { type: 'submit', class: 'btn btn-primary' }, okLabel);
    const cancel = h('button', { type: 'button', class: 'btn' }, t('common.cancel'));
    const form = h('form', { class: 'form', novalidate: true }, field(t('targets.reason'), text, { name: 'reason', required: true }), h('div', { class: 'form-actions' }, cancel, ok));
    const d = openDialog(title, [form], { onClose: () => resolve(result) });
    cancel.addEventListener('click', () => d.close());
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!text.value.trim()) {
        setLocalError(form, 'reason', t('common.required'));
        return;
      }
      result = text.value.trim();
      d.close();
    });
    text.focus();
  });
}

