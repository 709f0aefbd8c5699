// What the support pages share: the tabs (applications, policies, budget, findings
// on the map), the year choice, badges for statuses and findings, and the link to a
// parcel of the registry.
import { h } from '../../lib/dom';
import { link } from '../../lib/router';
import { badge } from '../../lib/ui';
import { t, todayIso, type MessageKey } from '../../i18n';
import { findingColour, findingExplain, findingLabel, statusKind, statusLabel } from '../../lib/support';
import './support.css';

export type SupportTab = 'applications' | 'policies' | 'budget' | 'findings';

export function supportTabs(active: SupportTab, year?: string): HTMLElement {
  const y = year ? `?year=${encodeURIComponent(year)}` : '';
  const tabs: [SupportTab, string, MessageKey][] = [
    ['applications', `/support${y}`, 'support.tab.applications'],
    ['policies', '/support/policies', 'support.tab.policies'],
    ['budget', `/support/budget${y}`, 'support.tab.budget'],
    ['findings', `/support/findings${y}`, 'support.tab.findings'],
  ];
  return h(
    'nav',
    { class: 'tabs', 'aria-label': t('nav.support') },
    ...tabs.map(([id, href, key]) => link(href, { class: id === active ? 'tab active' : 'tab', ...(id === active ? { 'aria-current': 'page' } : {}), 'data-tab': id }, t(key))),
  );
}

export function thisYear(): number {
  return Number(todayIso().slice(0, 4));
}

/** The years offered in the year choices: from next year back to 2021 (the programme's start). */
export function yearOptions(extra: (string | number | null | undefined)[] = []): { value: string; label: string }[] {
  const years = new Set<number>();
  for (let y = thisYear() + 1; y >= 2021; y--) years.add(y);
  for (const e of extra) if (e && Number(e) > 1900) years.add(Number(e));
  return [...years].sort((a, b) => b - a).map((y) => ({ value: String(y), label: String(y) }));
}

export function statusBadge(s: string): HTMLElement {
  const b = badge(statusLabel(s), statusKind(s));
  b.dataset.status = s;
  return b;
}

export function findingBadge(kind: string): HTMLElement {
  const b = h('span', { class: 'badge finding-badge', 'data-finding': kind, title: findingExplain(kind), style: { borderColor: findingColour(kind), color: findingColour(kind) } }, findingLabel(kind));
  return b;
}

export function parcelLink(p: { id: number; external_id: string } | null | undefined, fallback = ''): Node | string {
  if (!p) return fallback || t('common.none');
  return link(`/registry/parcels/${p.id}`, { class: 'mono', 'data-parcel-id': String(p.id) }, p.external_id || `#${p.id}`);
}
