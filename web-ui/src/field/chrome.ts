// The frame every screen of the field app shares: the top bar with the online state,
// the sync button and its counter of unsynced changes, the language switch; and the
// words of subjects and fields.
import { h } from '../lib/dom';
import { icon } from '../lib/icons';
import { lang, setLang, t, type MessageKey } from '../i18n';
import * as remote from './remote';

// ---- the counter of unsynced changes, shown in the top bar -------------------

const counters = new Set<HTMLElement>();
export async function refreshCounter(): Promise<void> {
  const q = await remote.queue();
  for (const c of counters) {
    if (!c.isConnected) {
      counters.delete(c);
      continue;
    }
    c.textContent = String(q.count);
    c.dataset.count = String(q.count);
  }
}

function onlineBadge(): HTMLElement {
  const b = h('span', { class: 'fa-online', 'data-testid': 'online' });
  const set = () => {
    b.textContent = navigator.onLine ? t('field.online') : t('field.offline');
    b.classList.toggle('is-offline', !navigator.onLine);
  };
  set();
  window.addEventListener('online', set);
  window.addEventListener('offline', set);
  return b;
}

/**
 * The top bar (back, title, the sync button with its counter, the language) and under
 * it a slim line with the network state, so that a phone's narrow bar keeps the title.
 */
export function topBar(title: string, back: string | null): DocumentFragment {
  const count = h('span', { class: 'fa-count', 'data-testid': 'sync-count' }, '0');
  counters.add(count);
  void refreshCounter();
  const langBtn = h('button', { type: 'button', class: 'fa-icon-btn', 'aria-label': t('header.language') }, lang() === 'vi' ? 'EN' : 'VI');
  langBtn.addEventListener('click', () => setLang(lang() === 'vi' ? 'en' : 'vi'));
  const f = document.createDocumentFragment();
  f.append(
    h(
      'header',
      { class: 'fa-top' },
      back ? h('a', { class: 'fa-icon-btn', href: back, 'aria-label': t('field.back') }, '‹') : h('span', { class: 'fa-brand', 'aria-hidden': 'true' }, icon('leaf', 24)),
      h('h1', { class: 'fa-title' }, title),
      h('a', { class: 'fa-sync-btn', href: '#/sync', 'data-testid': 'sync-link' }, t('field.sync'), ' ', count),
      langBtn,
    ),
    h('div', { class: 'fa-netbar' }, onlineBadge()),
  );
  return f;
}

export function subjectLabel(kind: string): string {
  const known = ['applicant', 'parcel', 'area_code', 'ocop_product', 'facility', 'application'];
  return known.includes(kind) ? t(`field.subject.${kind}` as MessageKey) : kind;
}

export function fieldLabel(k: string): string {
  const known = ['status', 'answers', 'notes', 'parcel', 'measured_geojson', 'measured_area_m2', 'measure_method', 'opened_at', 'closed_at'];
  return known.includes(k) ? t(`field.f.${k}` as MessageKey) : k;
}
