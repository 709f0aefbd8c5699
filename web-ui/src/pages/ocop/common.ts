// What the OCOP pages share: the tabs (products, expiry calendar, quality watch, certificates), the
// stars and the status badges.
import { h } from '../../lib/dom';
import { link } from '../../lib/router';
import { badge } from '../../lib/ui';
import { fmtDate, t, type MessageKey } from '../../i18n';
import { starsText, statusLabel, type Finding } from './ocop_api';
import './ocop.css';

export type OcopTab = 'products' | 'calendar' | 'watch' | 'certificates';

export function ocopTabs(active: OcopTab): HTMLElement {
  const tabs: [OcopTab, string, MessageKey][] = [
    ['products', '/ocop', 'ocop.tab.products'],
    ['calendar', '/ocop/calendar', 'ocop.tab.calendar'],
    ['watch', '/ocop/watch', 'ocop.tab.watch'],
    ['certificates', '/ocop/certificates', 'ocop.tab.certificates'],
  ];
  return h(
    'nav',
    { class: 'tabs', 'aria-label': t('nav.ocop') },
    ...tabs.map(([id, href, key]) => link(href, { class: id === active ? 'tab active' : 'tab', ...(id === active ? { 'aria-current': 'page' } : {}), 'data-tab': id }, t(key))),
  );
}

export function starsNode(n: number): HTMLElement {
  return h('span', { class: `ocop-stars stars-${n}`, 'data-stars': String(n), 'aria-label': t('ocop.stars_label', { n }), title: t('ocop.stars_label', { n }) }, starsText(n));
}

const KIND: Record<string, string> = { valid: 'ok', expiring: 'warn', expired: 'danger', revoked: 'danger', none: 'neutral', not_yet: 'neutral' };

export function statusBadge(s: string, label = statusLabel(s)): HTMLElement {
  const b = badge(label, KIND[s] ?? 'neutral');
  b.dataset.status = s;
  return b;
}

export function illustrativeBadge(): HTMLElement {
  return badge(t('ocop.illustrative'), 'neutral', t('ocop.illustrative_hint'));
}

/** Where a finding came from, in words: the lab test, the certificate, or entered by hand. */
export function originText(f: Finding): string {
  if (f.origin_kind === 'lab') return t('ocop.watch.origin.lab', { id: f.origin.slice(4) });
  if (f.origin_kind === 'certificate') return t('ocop.watch.origin.certificate', { code: f.origin.split(':')[1] ?? '' });
  return t('ocop.watch.origin.entered');
}

/** Open (warn), or the decision that closed it. */
export function stateNode(f: Finding): HTMLElement {
  if (f.state === 'open' || !f.decision) {
    const b = badge(t('ocop.watch.state.open'), 'warn');
    b.dataset.state = 'open';
    return b;
  }
  const d = f.decision;
  const what = d.kind === 'downgraded' ? t('ocop.watch.decided.downgraded', { stars: d.stars ?? 0 }) : t('ocop.watch.decided.revoked');
  const b = badge(`${what} · ${fmtDate(d.date)}`, 'neutral', d.reason);
  b.dataset.state = 'decided';
  return b;
}
