// Entry point: asks /auth/me who is signed in, then shows the login page, the
// forced password change, or the shell with the page for the current path.
import './styles.css';
import { abortSessionRequests, ApiError, request, setCsrfToken, setUnauthenticatedHandler, type Me } from './lib/api';
import { h, replace } from './lib/dom';
import { currentRoute, link, match, onRoute, type Route } from './lib/router';
import { session, setSession, can } from './lib/session';
import { errorBox, loading } from './lib/ui';
import { lang, onLangChange, t } from './i18n';
import { renderShell, NAV, type Shell } from './shell';
import { renderLogin, renderChangePassword } from './pages/login';
import { renderPlanned } from './pages/planned';
import { renderUnits, renderUnitDetail } from './pages/units';
import { renderFigures, renderRollup } from './pages/figures';
import { renderUsers } from './pages/users';
import { renderAudit } from './pages/audit';
import { renderParcels } from './pages/registry/parcels';
import { renderParcelDetail } from './pages/registry/parcel';
import { renderProducers, renderProducerDetail } from './pages/registry/producers';
import { renderZones, renderZoneDetail } from './pages/registry/zones';
import { renderConversions, renderConversionRecords } from './pages/registry/conversions';
import { renderFindParcel, renderTopology } from './pages/registry/topology';
import { renderDashboard, renderProgrammes } from './pages/targets/dashboard';
import { renderObservations, renderObservationsHome } from './pages/targets/observations';
import { renderTargets } from './pages/targets/targets';
import { renderReports } from './pages/targets/reports';
import { renderApprovals, renderApprovalsHome } from './pages/targets/approvals';
import { goToLanding, renderHome } from './pages/home';
import { renderSupportQueue } from './pages/support/queue';
import { renderApplication } from './pages/support/application';
import { renderNewPolicy, renderPolicies, renderPolicy } from './pages/support/policies';
import { renderBudget } from './pages/support/budget';
import { renderOcopProducts } from './pages/ocop/products';

export type Cleanup = (() => void) | void;
export type PageRenderer = (root: HTMLElement, route: Route) => Cleanup | Promise<Cleanup>;

const app = document.getElementById('app') as HTMLElement;
document.documentElement.lang = lang();

let shell: Shell | null = null;
let cleanup: Cleanup = undefined;
let renderSeq = 0;

interface RouteDef {
  pattern: string;
  render: PageRenderer;
  perm?: string;
}

/** A page loaded on demand: the pages that draw a map, so that MapLibre stays out of the others. */
function lazy<M>(load: () => Promise<M>, pick: (m: M) => PageRenderer): PageRenderer {
  return async (root, route) => pick(await load())(root, route);
}

const routes: RouteDef[] = [
  { pattern: '/home', render: renderHome, perm: 'targets.read' },
  { pattern: '/map', render: lazy(() => import('./pages/map'), (m) => m.renderMap) },
  { pattern: '/registry', render: lazy(() => import('./pages/registry/map'), (m) => m.renderRegistryMap), perm: 'registry.read' },
  { pattern: '/suitability', render: lazy(() => import('./pages/suitability'), (m) => m.renderSuitability), perm: 'suitability.read' },
  { pattern: '/registry/parcels', render: renderParcels, perm: 'registry.read' },
  { pattern: '/registry/parcels/find', render: renderFindParcel, perm: 'registry.read' },
  { pattern: '/registry/parcels/:id', render: renderParcelDetail, perm: 'registry.read' },
  { pattern: '/registry/producers', render: renderProducers, perm: 'registry.read' },
  { pattern: '/registry/producers/:id', render: renderProducerDetail, perm: 'registry.read' },
  { pattern: '/registry/zones', render: renderZones, perm: 'registry.read' },
  { pattern: '/registry/zones/:id', render: renderZoneDetail, perm: 'registry.read' },
  { pattern: '/registry/conversions', render: renderConversions, perm: 'registry.read' },
  { pattern: '/registry/conversions/records', render: renderConversionRecords, perm: 'registry.read' },
  { pattern: '/registry/topology', render: renderTopology, perm: 'registry.read' },
  { pattern: '/targets', render: renderProgrammes, perm: 'targets.read' },
  { pattern: '/targets/observations', render: renderObservationsHome, perm: 'targets.read' },
  { pattern: '/targets/approvals', render: renderApprovalsHome, perm: 'targets.approve' },
  { pattern: '/targets/:programme', render: renderDashboard, perm: 'targets.read' },
  { pattern: '/targets/:programme/indicators/:code', render: lazy(() => import('./pages/targets/indicator'), (m) => m.renderIndicator), perm: 'targets.read' },
  { pattern: '/targets/:programme/observations', render: renderObservations, perm: 'targets.read' },
  { pattern: '/targets/:programme/approvals', render: renderApprovals, perm: 'targets.approve' },
  { pattern: '/targets/:programme/targets', render: renderTargets, perm: 'targets.read' },
  { pattern: '/targets/:programme/reports', render: renderReports, perm: 'targets.read' },
  { pattern: '/inspections/plans', render: lazy(() => import('./pages/inspection/plans'), (m) => m.renderInspections), perm: 'inspection.read' },
  { pattern: '/inspections/plans/:code', render: lazy(() => import('./pages/inspection/plans'), (m) => m.renderPlan), perm: 'inspection.read' },
  { pattern: '/support', render: renderSupportQueue, perm: 'support.read' },
  { pattern: '/support/applications/new', render: lazy(() => import('./pages/support/entry'), (m) => m.renderEntry), perm: 'support.enter' },
  { pattern: '/support/applications/:id', render: renderApplication, perm: 'support.read' },
  { pattern: '/support/policies', render: renderPolicies, perm: 'support.read' },
  { pattern: '/support/policies/new', render: renderNewPolicy, perm: 'support.manage' },
  { pattern: '/support/policies/:code', render: renderPolicy, perm: 'support.read' },
  { pattern: '/support/budget', render: renderBudget, perm: 'support.read' },
  { pattern: '/support/findings', render: lazy(() => import('./pages/support/findings_map'), (m) => m.renderFindingsMap), perm: 'support.read' },
  { pattern: '/diary', render: lazy(() => import('./pages/diary/diary'), (m) => m.renderDiaryEntry), perm: 'diary.read' },
  { pattern: '/diary/findings', render: lazy(() => import('./pages/diary/diary'), (m) => m.renderDiaryFindings), perm: 'diary.read' },
  { pattern: '/codes', render: lazy(() => import('./pages/codes/codes'), (m) => m.renderCodes), perm: 'codes.read' },
  { pattern: '/codes/:id', render: lazy(() => import('./pages/codes/codes'), (m) => m.renderCode), perm: 'codes.read' },
  { pattern: '/diary/lots/:lot', render: lazy(() => import('./pages/diary/lot_journey'), (m) => m.renderLotJourney), perm: 'diary.read' },
  { pattern: '/trace/labels', render: lazy(() => import('./pages/trace/labels'), (m) => m.renderLabels), perm: 'diary.read' },
  { pattern: '/chains', render: lazy(() => import('./pages/chains/chains'), (m) => m.renderChains), perm: 'chains.read' },
  { pattern: '/chains/contracts/:id', render: lazy(() => import('./pages/chains/chains'), (m) => m.renderContract), perm: 'chains.read' },
  { pattern: '/chains/facilities', render: lazy(() => import('./pages/chains/chains'), (m) => m.renderFacilities), perm: 'chains.read' },
  { pattern: '/chains/investments', render: lazy(() => import('./pages/chains/chains'), (m) => m.renderInvestments), perm: 'chains.read' },
  { pattern: '/ocop', render: renderOcopProducts, perm: 'ocop.read' },
  { pattern: '/ocop/calendar', render: lazy(() => import('./pages/ocop/calendar'), (m) => m.renderOcopCalendar), perm: 'ocop.read' },
  { pattern: '/ocop/watch', render: lazy(() => import('./pages/ocop/watch'), (m) => m.renderOcopWatch), perm: 'ocop.read' },
  { pattern: '/ocop/products/:code', render: lazy(() => import('./pages/ocop/product'), (m) => m.renderOcopProduct), perm: 'ocop.read' },
  { pattern: '/inspections', render: lazy(() => import('./pages/inspection/list'), (m) => m.renderInspections), perm: 'inspection.read' },
  { pattern: '/inspections/:code', render: lazy(() => import('./pages/inspection/detail'), (m) => m.renderInspection), perm: 'inspection.read' },
  { pattern: '/ocop/certificates', render: lazy(() => import('./pages/certificates/list'), (m) => m.renderCertificates), perm: 'ocop.read' },
  { pattern: '/conclusions', render: lazy(() => import('./pages/conclusions/conclusions'), (m) => m.renderConclusions), perm: 'targets.manage' },
  { pattern: '/conclusions/:id', render: lazy(() => import('./pages/conclusions/conclusions'), (m) => m.renderConclusion), perm: 'targets.manage' },
  { pattern: '/units', render: renderUnits },
  { pattern: '/units/:id', render: renderUnitDetail },
  { pattern: '/figures', render: renderFigures, perm: 'figures.read' },
  { pattern: '/figures/rollup', render: renderRollup, perm: 'figures.read' },
  { pattern: '/users', render: renderUsers, perm: 'users.read' },
  { pattern: '/audit', render: renderAudit, perm: 'audit.read' },
  ...NAV.filter((n) => n.planned).map((n) => ({
    pattern: n.path,
    render: (root: HTMLElement) => renderPlanned(root, n),
  })),
];

async function showRoute(route: Route): Promise<void> {
  if (!session()) return;
  if (route.path === '/' || route.path === '/login' || route.path === '/index.html') {
    // Leaders land on how the programme stands; commune officers and cooperatives on their records.
    await goToLanding();
    return;
  }
  if (!shell) shell = renderShell(app, logout);
  const mine = ++renderSeq;
  if (typeof cleanup === 'function') cleanup();
  cleanup = undefined;
  shell.setActive(route.path);
  const root = h('div', { class: 'page' });
  replace(shell.main, root);
  let def: RouteDef | undefined;
  for (const r of routes) {
    const params = match(r.pattern, route.path);
    if (params) {
      def = r;
      route.params = params;
      break;
    }
  }
  if (!def) {
    replace(root, h('h1', null, t('error.page_not_found')), h('p', null, link('/', null, `‹ ${t('nav.start')}`)));
    return;
  }
  if (def.perm && !can(def.perm)) {
    replace(root, h('h1', null, t('error.forbidden')), h('p', null, link('/', null, `‹ ${t('nav.start')}`)));
    return;
  }
  root.append(loading());
  try {
    const c = await def.render(root, route);
    if (mine !== renderSeq) {
      if (typeof c === 'function') c();
      return;
    }
    cleanup = c;
  } catch (err) {
    if (mine === renderSeq) replace(root, errorBox(err));
  }
}

function showLogin(message: string | null): void {
  shell = null;
  if (typeof cleanup === 'function') cleanup();
  cleanup = undefined;
  setSession(null);
  setCsrfToken('');
  document.title = `${t('login.title')} · nongsan`;
  renderLogin(app, message, async () => {
    await start();
  });
}

async function logout(): Promise<void> {
  abortSessionRequests();
  try {
    await request<void>('POST', '/api/v1/auth/logout', { quiet401: true });
  } catch {
    // Signed out locally all the same.
  }
  showLogin(t('login.logged_out'));
}

function enter(me: Me): void {
  setSession(me);
  setCsrfToken(me.csrf_token);
  if (me.user.must_change_password) {
    shell = null;
    renderChangePassword(app, me, () => void start());
    return;
  }
  document.title = 'nongsan';
  shell = renderShell(app, logout);
  void showRoute(currentRoute());
}

let lastLoginMessage: string | null = null;

async function start(): Promise<void> {
  replace(app, loading());
  try {
    const me = await request<Me>('GET', '/api/v1/auth/me', { quiet401: true });
    enter(me);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      showLogin(lastLoginMessage);
      lastLoginMessage = null;
    } else {
      replace(app, h('div', { class: 'auth-page' }, h('div', { class: 'auth-card' }, errorBox(err))));
    }
  }
}

setUnauthenticatedHandler(() => {
  if (session()) showLogin(t('login.expired'));
});

onRoute((route) => void showRoute(route));

onLangChange(() => {
  const me = session();
  if (me && !me.user.must_change_password) {
    shell = renderShell(app, logout);
    void showRoute(currentRoute());
  } else if (me) {
    renderChangePassword(app, me, () => void start());
  } else {
    // Keep what was typed on the login page across the switch.
    const typed = (app.querySelector('input[name=username]') as HTMLInputElement | null)?.value ?? '';
    showLogin(null);
    const input = app.querySelector('input[name=username]') as HTMLInputElement | null;
    if (input) input.value = typed;
  }
});

void start();
