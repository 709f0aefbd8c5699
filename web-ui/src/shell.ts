// The frame around every page once signed in: header (product name, user,
// language switch, logout), navigation over all areas (side bar on a desktop,
// a menu button on a phone) and the page area.
import { h, replace } from './lib/dom';
import { link, navigate } from './lib/router';
import { session, can } from './lib/session';
import { lang, setLang, t, type MessageKey } from './i18n';
import { icon, type IconName } from './lib/icons';
import { waitingApprovals } from './lib/targets';

export interface NavItem {
  path: string;
  key: MessageKey;
  icon: IconName;
  planned?: boolean;
  admin?: boolean;
  /** The permission the area needs; without it the link is not shown. */
  perm?: string;
  section: 'data' | 'registry' | 'programme' | 'admin';
}

export const NAV: NavItem[] = [
  { path: '/home', key: 'nav.overview', icon: 'leaf', section: 'data', perm: 'targets.read' },
  { path: '/map', key: 'nav.units_map', icon: 'map', section: 'data' },
  { path: '/units', key: 'nav.units', icon: 'units', section: 'data' },
  { path: '/figures', key: 'nav.figures', icon: 'figures', section: 'data', perm: 'figures.read' },
  { path: '/registry', key: 'nav.registry_map', icon: 'registry', section: 'registry', perm: 'registry.read' },
  { path: '/registry/parcels', key: 'nav.parcels', icon: 'parcel', section: 'registry', perm: 'registry.read' },
  { path: '/registry/producers', key: 'nav.producers', icon: 'producer', section: 'registry', perm: 'registry.read' },
  { path: '/registry/zones', key: 'nav.zones', icon: 'zone', section: 'registry', perm: 'registry.read' },
  { path: '/registry/conversions', key: 'nav.conversions', icon: 'conversion', section: 'registry', perm: 'registry.read' },
  { path: '/registry/topology', key: 'nav.topology', icon: 'topology', section: 'registry', perm: 'registry.read' },
  { path: '/targets', key: 'nav.targets', icon: 'targets', section: 'programme', perm: 'targets.read' },
  { path: '/targets/observations', key: 'nav.targets_entry', icon: 'figures', section: 'programme', perm: 'targets.enter' },
  { path: '/targets/approvals', key: 'nav.approvals', icon: 'targets', section: 'programme', perm: 'targets.approve' },
  { path: '/suitability', key: 'nav.suitability', icon: 'suitability', section: 'programme', perm: 'suitability.read' },
  { path: '/support', key: 'nav.support', icon: 'support', section: 'programme', perm: 'support.read' },
  { path: '/diary', key: 'nav.diary', icon: 'leaf', section: 'programme', perm: 'diary.read' },
  { path: '/codes', key: 'nav.codes', icon: 'trace', section: 'programme', perm: 'codes.read' },
  { path: '/chains', key: 'nav.chains', icon: 'chains', section: 'programme', perm: 'chains.read' },
  { path: '/trace/labels', key: 'nav.trace', icon: 'trace', perm: 'diary.read', section: 'programme' },
  { path: '/ocop', key: 'nav.ocop', icon: 'ocop', section: 'programme', perm: 'ocop.read' },
  { path: '/conclusions', key: 'nav.conclusions', icon: 'targets', section: 'programme', perm: 'targets.manage' },
  { path: '/inspections', key: 'nav.inspections', icon: 'inspections', section: 'programme', perm: 'inspection.read' },
  { path: '/users', key: 'nav.users', icon: 'users', admin: true, section: 'admin', perm: 'users.read' },
  { path: '/audit', key: 'nav.audit', icon: 'audit', admin: true, section: 'admin', perm: 'audit.read' },
];

export interface Shell {
  root: HTMLElement;
  main: HTMLElement;
  setActive(path: string): void;
}

export function renderShell(container: HTMLElement, onLogout: () => void): Shell {
  const me = session();
  const user = me?.user;

  const menuBtn = h(
    'button',
    { type: 'button', class: 'btn btn-icon menu-btn', 'aria-label': t('nav.open_menu'), 'aria-expanded': 'false', 'aria-controls': 'nav' },
    h('span', { class: 'menu-icon', 'aria-hidden': 'true' }),
    h('span', { class: 'menu-label' }, t('nav.menu')),
  );

  const langSwitch = h(
    'div',
    { class: 'lang-switch', role: 'group', 'aria-label': t('header.language') },
    ...(['vi', 'en'] as const).map((l) => {
      const b = h('button', { type: 'button', class: 'lang-btn', 'aria-pressed': String(lang() === l), lang: l, 'data-lang': l }, l.toUpperCase());
      b.addEventListener('click', () => setLang(l));
      return b;
    }),
  );

  const logout = h('button', { type: 'button', class: 'btn btn-ghost logout-btn header-logout' }, t('header.logout'));
  logout.addEventListener('click', onLogout);

  const userBox = user
    ? h(
        'div',
        { class: 'user-box', title: t('header.signed_in_as', { name: user.display_name || user.username }) },
        h('span', { class: 'user-name' }, user.display_name || user.username),
        h('span', { class: 'user-role' }, t(`role.${user.role}` as MessageKey), user.unit ? ` · ${user.unit.name}` : ''),
      )
    : null;

  const header = h(
    'header',
    { class: 'app-header' },
    menuBtn,
    link('/', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, icon('leaf', 22)), h('span', { class: 'brand-name' }, t('app.name'))),
    h('span', { class: 'brand-tagline' }, t('app.tagline')),
    h('div', { class: 'header-right' }, userBox ?? '', langSwitch, logout),
  );

  const nav = h('nav', { class: 'app-nav', id: 'nav', 'aria-label': t('nav.menu') });
  // On a phone the header has no room for the user and logout; the drawer carries them.
  if (user) {
    const navLogout = h('button', { type: 'button', class: 'btn btn-small logout-btn' }, t('header.logout'));
    navLogout.addEventListener('click', onLogout);
    nav.append(
      h(
        'div',
        { class: 'nav-user' },
        h('div', { class: 'nav-user-name' }, user.display_name || user.username),
        h('div', { class: 'muted small' }, t(`role.${user.role}` as MessageKey), user.unit ? ` · ${user.unit.name}` : ''),
        navLogout,
      ),
    );
  }
  const sections: { id: NavItem['section']; key: MessageKey }[] = [
    { id: 'data', key: 'nav.section_data' },
    { id: 'registry', key: 'nav.registry' },
    { id: 'programme', key: 'nav.section_programme' },
    { id: 'admin', key: 'nav.section_admin' },
  ];
  for (const s of sections) {
    const items = NAV.filter((n) => n.section === s.id && (!n.perm || can(n.perm)));
    if (!items.length) continue;
    const ul = h('ul', null);
    for (const n of items) {
      const a = link(
        n.path,
        { class: 'nav-link', 'data-path': n.path },
        h('span', { class: 'nav-icon', 'aria-hidden': 'true' }, icon(n.icon)),
        h('span', { class: 'nav-text' }, t(n.key)),
      );
      if (n.planned) a.append(h('span', { class: 'nav-planned' }, t('nav.planned_mark')));
      if (n.path === '/targets/approvals') a.append(h('span', { class: 'count-pill nav-count', 'data-testid': 'approvals-count', hidden: true }));
      a.addEventListener('click', () => setOpen(false));
      ul.append(h('li', null, a));
    }
    nav.append(h('div', { class: 'nav-section' }, h('div', { class: 'nav-heading' }, t(s.key)), ul));
  }

  const scrim = h('div', { class: 'nav-scrim', hidden: true });
  const main = h('main', { class: 'app-main', id: 'main', tabindex: '-1' });
  const root = h('div', { class: 'app' }, header, h('div', { class: 'app-body' }, nav, scrim, main));

  function setOpen(open: boolean): void {
    root.classList.toggle('nav-open', open);
    menuBtn.setAttribute('aria-expanded', String(open));
    menuBtn.setAttribute('aria-label', open ? t('nav.close_menu') : t('nav.open_menu'));
    scrim.hidden = !open;
  }
  menuBtn.addEventListener('click', () => setOpen(!root.classList.contains('nav-open')));
  scrim.addEventListener('click', () => setOpen(false));
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && root.classList.contains('nav-open')) setOpen(false);
  });

  replace(container, root);
  if (can('targets.approve')) {
    menuBtn.append(h('span', { class: 'count-pill menu-count', 'data-testid': 'menu-approvals-count', hidden: true }));
    void refreshApprovalCount();
  }

  return {
    root,
    main,
    setActive(path: string) {
      // The most specific item wins: /registry/parcels/7 lights "Parcels", not "Registry map".
      const links = [...nav.querySelectorAll<HTMLAnchorElement>('a.nav-link')];
      const matching = links.map((a) => a.dataset.path ?? '').filter((p) => path === p || path.startsWith(`${p}/`));
      const best = matching.sort((a, b) => b.length - a.length)[0];
      for (const a of links) {
        const active = (a.dataset.path ?? '') === best;
        a.classList.toggle('active', active);
        if (active) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      }
    },
  };
}

/**
 * Shows how many values wait for the approver (the inbox of the programme in force)
 * beside the menu item and on the phone's menu button; nothing when none wait.
 */
export async function refreshApprovalCount(): Promise<void> {
  const pills = [...document.querySelectorAll<HTMLElement>('[data-testid=approvals-count], [data-testid=menu-approvals-count]')];
  if (!pills.length) return;
  let n = 0;
  try {
    n = (await waitingApprovals()).total;
  } catch {
    n = 0; // the count is a convenience: the inbox itself shows the error
  }
  for (const p of pills) {
    p.textContent = String(n);
    p.hidden = n === 0;
    p.dataset.value = String(n);
    p.title = t('nav.approvals_waiting', { n });
  }
}

export function goHome(): void {
  navigate('/', { replace: true });
}
