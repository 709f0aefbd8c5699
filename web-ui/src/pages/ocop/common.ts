// What the OCOP pages share: the tabs (products, expiry calendar, certificates), the
// stars and the status badges.
import { h } from '../../lib/dom';
import { link } from '../../lib/router';
import { badge } from '../../lib/ui';
import { t, type MessageKey } from '../../i18n';
import { starsText, statusLabel } from './ocop_api';
import './ocop.css';

export type OcopTab = 'products' | 'calendar' | 'certificates';

export function ocopTabs(active: OcopTab): HTMLElement {
  const tabs: [OcopTab, string, MessageKey][] = [
    ['products', '/ocop', 'ocop.tab.products'],
    ['calendar', '/ocop/calendar', 'ocop.tab.calendar'],
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
