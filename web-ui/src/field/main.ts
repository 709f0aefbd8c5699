// The offline field app (served at /field/): start-up, the service worker, login with
// the normal session login, the top bar with the sync counter, the routes (in the URL's
// hash, so that every route is the one page the service worker keeps), the list of
// assignments and the sync page. The inspection itself is in inspection.ts, the
// conflict resolution in conflict.ts.
import '../styles.css';
import './field.css';
import { ApiError, setCsrfToken, request, type Me } from '../lib/api';
import { h, replace } from '../lib/dom';
import { errorBox } from '../lib/ui';
import { renderLogin } from '../pages/login';
import { fmtTimestamp, lang, onLangChange, t, type MessageKey } from '../i18n';
import * as db from './db';
import type { LocalInspection, SyncResult } from './db';
import * as remote from './remote';
import { renderInspection, statusLabel } from './inspection';
import { renderConflict } from './conflict';
import { fieldLabel, subjectLabel, topBar } from './chrome';
import { startGps } from './gps';

const app = document.getElementById('app') as HTMLElement;
document.documentElement.lang = lang();

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/field/sw.js', { scope: '/field/' }).catch(() => {
    // Without a service worker the app still works while the page stays open.
  });
}

// ---- routes ---------------------------------------------------------------------

let me: Me | null = null;

async function route(): Promise<void> {
  if (!me) return;
  const hash = location.hash.replace(/^#/, '') || '/';
  const parts = hash.split('/').filter(Boolean).map(decodeURIComponent);
  try {
    if (parts[0] === 'i' && parts[1]) await renderInspection(app, parts[1], parts[2] ?? 'map');
    else if (parts[0] === 'sync') await renderSync(app);
    else if (parts[0] === 'conflict' && parts[1]) await renderConflict(app, parts[1]);
    else if (parts[0] === 'login') showLogin(t('field.login_to_sync'));
    else await renderList(app);
  } catch (err) {
    replace(app, topBar(t('field.title'), '#/'), h('main', { class: 'fa-main' }, errorBox(err)));
  }
}

window.addEventListener('hashchange', () => void route());
onLangChange(() => void route());

// ---- the list of assignments ------------------------------------------------------

async function renderList(container: HTMLElement): Promise<void> {
  const list = (await db.all<LocalInspection>('inspections')).sort((a, b) => a.code.localeCompare(b.code));
  const q = await remote.queue();
  const waiting = (code: string) =>
    (q.inspections.some((i) => i.code === code) ? 1 : 0) + q.findings.filter((f) => f.inspection === code).length + q.photos.filter((p) => p.inspection === code).length;
  const fetched = await db.getMeta<string>('fetched_at');
  const refresh = h('button', { type: 'button', class: 'fa-btn', 'data-testid': 'refresh' }, t('field.refresh'));
  const slot = h('div', { 'aria-live': 'polite' });
  refresh.addEventListener('click', async () => {
    refresh.disabled = true;
    try {
      await remote.refreshAssignments();
      await route();
    } catch (err) {
      replace(slot, errorBox(err));
      refresh.disabled = false;
    }
  });
  const logout = h('button', { type: 'button', class: 'fa-btn fa-btn-quiet' }, t('field.logout'));
  logout.addEventListener('click', async () => {
    const q = await remote.queue();
    if (q.count) {
      replace(slot, h('div', { class: 'alert alert-warn', role: 'alert' }, t('field.logout_unsynced', { n: q.count })));
      return;
    }
    try {
      await request<void>('POST', '/api/v1/auth/logout', { quiet401: true });
    } catch {
      // Offline: the session ends on the server when it expires; the device forgets it now.
    }
    await db.clearAll();
    me = null;
    showLogin(null);
  });
  const cards = list.map((i) =>
    h(
      'a',
      { class: 'fa-card', href: `#/i/${encodeURIComponent(i.code)}/map`, 'data-code': i.code },
      h('div', { class: 'fa-card-top' }, h('strong', null, i.code), h('span', { class: `fa-status fa-status-${i.fields.status}` }, statusLabel(i.fields.status))),
      h('div', null, subjectLabel(i.server.subject_kind), ': ', h('span', { 'data-verbatim': 'data' }, i.server.subject_ref)),
      i.server.checklist_kind ? h('div', { class: 'fa-muted' }, t('field.checklist_kind'), ': ', i.server.checklist_kind) : null,
      waiting(i.code) ? h('div', { class: 'fa-unsynced' }, t('field.unsynced_changes', { n: waiting(i.code) })) : null,
      i.conflict ? h('div', { class: 'fa-conflict-note' }, t('field.conflict_waiting')) : null,
    ),
  );
  replace(
    container,
    topBar(t('field.title'), null),
    h(
      'main',
      { class: 'fa-main' },
      h('p', { class: 'fa-muted' }, t('field.inspector', { name: me?.user.display_name || me?.user.username || '' }), fetched ? ` · ${t('field.fetched_at', { at: fmtTimestamp(fetched) })}` : ''),
      slot,
      list.length ? h('div', { class: 'fa-cards', 'data-testid': 'assignments' }, cards) : h('p', { class: 'fa-empty' }, t('field.no_assignments')),
      h('div', { class: 'fa-row' }, refresh, logout),
    ),
  );
}


// ---- the sync page ---------------------------------------------------------------

async function renderSync(container: HTMLElement): Promise<void> {
  const q = await remote.queue();
  const results = (await db.all<SyncResult>('results')).sort((a, b) => (b.id ?? 0) - (a.id ?? 0)).slice(0, 60);
  const conflicts = (await db.all<LocalInspection>('inspections')).filter((i) => i.conflict);
  const status = h('div', { class: 'fa-sync-status', 'aria-live': 'polite', 'data-testid': 'sync-status' });
  const go = h('button', { type: 'button', class: 'fa-btn fa-btn-primary fa-btn-block', 'data-testid': 'sync-now' }, t('field.sync_now', { n: q.count }));
  go.addEventListener('click', async () => {
    go.disabled = true;
    replace(status, t('field.syncing'));
    try {
      const s = await remote.sync();
      await route();
      const again = document.querySelector('[data-testid=sync-status]');
      if (again) replace(again as HTMLElement, t('field.sync_done', { applied: s.applied + s.duplicate, conflict: s.conflict, error: s.error }));
    } catch (err) {
      if (err instanceof remote.SessionGone) return showLogin(t('field.login_to_sync'));
      replace(status, err instanceof ApiError && err.status === 0 ? h('div', { class: 'alert alert-warn' }, t('field.sync_offline')) : errorBox(err));
      go.disabled = false;
    }
  });
  const queueRows = [
    ...q.inspections.map((i) => h('li', null, t('field.q_inspection', { code: i.code, fields: i.dirty.map((k) => fieldLabel(k)).join(', ') }))),
    ...q.findings.map((f) => h('li', null, t('field.q_finding', { code: f.inspection, kind: f.fields.kind }), f.error ? h('span', { class: 'fa-error' }, ` — ${f.error}`) : '')),
    ...q.photos.map((p) => h('li', null, t('field.q_photo', { code: p.inspection }), p.error ? h('span', { class: 'fa-error' }, ` — ${p.error}`) : '')),
  ];
  replace(
    container,
    topBar(t('field.sync_title'), '#/'),
    h(
      'main',
      { class: 'fa-main' },
      go,
      status,
      conflicts.length
        ? h(
            'section',
            { class: 'fa-section', 'data-testid': 'conflicts' },
            h('h2', null, t('field.conflicts')),
            h('p', { class: 'fa-muted' }, t('field.conflicts_intro')),
            conflicts.map((i) => h('a', { class: 'fa-btn fa-btn-warn fa-btn-block', href: `#/conflict/${encodeURIComponent(i.code)}`, 'data-testid': 'resolve-link' }, t('field.resolve', { code: i.code }))),
          )
        : null,
      h('section', { class: 'fa-section' }, h('h2', null, t('field.queue', { n: q.count })), queueRows.length ? h('ul', { class: 'fa-list', 'data-testid': 'queue' }, queueRows) : h('p', { class: 'fa-muted' }, t('field.queue_empty'))),
      h(
        'section',
        { class: 'fa-section' },
        h('h2', null, t('field.results')),
        results.length
          ? h(
              'ul',
              { class: 'fa-list', 'data-testid': 'results' },
              results.map((r) =>
                h(
                  'li',
                  { 'data-outcome': r.outcome },
                  h('span', { class: `fa-outcome fa-outcome-${r.outcome}` }, outcomeLabel(r.outcome)),
                  ' ',
                  kindLabel(r.kind),
                  ' · ',
                  r.inspection,
                  ' · ',
                  fmtTimestamp(r.at),
                  r.error ? h('div', { class: 'fa-error', 'data-verbatim': 'server' }, r.error) : null,
                ),
              ),
            )
          : h('p', { class: 'fa-muted' }, t('field.no_results')),
      ),
    ),
  );
}

function outcomeLabel(o: string): string {
  const known = ['applied', 'duplicate', 'conflict', 'error', 'resolved'];
  return known.includes(o) ? t(`field.outcome.${o}` as MessageKey) : o;
}
function kindLabel(k: string): string {
  const known = ['inspection', 'finding', 'photo'];
  return known.includes(k) ? t(`field.kind.${k}` as MessageKey) : k;
}

// ---- start-up ---------------------------------------------------------------------

/**
 * Enters the app as `user`: their assignments onto the device. The device holds one
 * inspector's work: another's unsynced changes are never sent under this login — that
 * inspector syncs them first.
 */
async function enter(user: Me): Promise<void> {
  try {
    const before = await db.getMeta<Me>('me_user');
    if (before && before.user.username !== user.user.username) {
      const q = await remote.queue();
      if (q.count) {
        await db.setMeta('me', before);
        try {
          await request<void>('POST', '/api/v1/auth/logout', { quiet401: true });
        } catch {
          // The session ends on the server when it expires.
        }
        replace(app, h('main', { class: 'fa-main' }, h('div', { class: 'alert alert-warn', role: 'alert' }, t('field.other_user', { n: q.count, user: before.user.display_name || before.user.username }))));
        return;
      }
      await db.clearAll();
    }
    me = user;
    await db.setMeta('me', user);
    await db.setMeta('me_user', user);
    await remote.refreshAssignments();
  } catch (err) {
    replace(app, h('main', { class: 'fa-main' }, errorBox(err)));
    return;
  }
  startGps();
  // Back where the session was found gone: the sync page.
  if (location.hash.startsWith('#/login')) location.hash = '#/sync';
  else await route();
}

function showLogin(message: string | null): void {
  renderLogin(app, message, async (r) => {
    setCsrfToken(r.csrf_token);
    let user: Me;
    try {
      user = (await remote.whoAmI()) ?? { user: r.user, csrf_token: r.csrf_token, permissions: [] };
    } catch (err) {
      replace(app, h('main', { class: 'fa-main' }, errorBox(err)));
      return;
    }
    if (user.user.must_change_password) {
      replace(app, h('main', { class: 'fa-main' }, h('div', { class: 'alert alert-warn' }, t('field.change_password')), h('a', { class: 'fa-btn', href: '/' }, t('field.open_main'))));
      return;
    }
    await enter(user);
  });
}

async function boot(): Promise<void> {
  // Ask the browser to keep the device's store even when space runs short: it holds work not yet synced.
  void navigator.storage?.persist?.().catch(() => false);
  const stored = await db.getMeta<Me>('me');
  if (stored) {
    // The device's copy first: the app opens with no network.
    me = stored;
    startGps();
    await route();
    if (navigator.onLine) {
      try {
        const fresh = await remote.whoAmI();
        if (fresh && fresh.user.username === stored.user.username) {
          me = fresh;
          await remote.refreshAssignments();
          await route();
        } else if (fresh) {
          await enter(fresh);
        }
      } catch {
        // No network after all: the device's copy stands.
      }
    }
    return;
  }
  let user: Me | null;
  try {
    user = await remote.whoAmI();
  } catch (err) {
    replace(app, h('main', { class: 'fa-main' }, h('div', { class: 'alert alert-warn' }, t('field.first_time_online')), errorBox(err)));
    return;
  }
  if (!user) showLogin(null);
  else await enter(user);
}

void boot();
