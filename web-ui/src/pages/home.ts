// The leaders' first screen (province and district officers, administrator,
// inspector): how the programme in force stands today — its indicators achieved,
// on track, low and unlikely to be reached (the review API), the widest gaps,
// the land converted since the programme began, the last approval of reported
// data — every number a link to the records behind it, and the map one click
// away. It draws no map, so it loads no MapLibre.
import { api, type UnitDetail } from '../lib/api';
import { h, replace } from '../lib/dom';
import { link, navigate, type Route } from '../lib/router';
import { can, session } from '../lib/session';
import { actorLabel, errorBox, levelLabel, loading } from '../lib/ui';
import { icon } from '../lib/icons';
import { fmtMeasure } from '../lib/measures';
import { scopeGone } from '../lib/list';
import { fmtDate, fmtNumber, fmtTimestamp, t, todayIso, type MessageKey } from '../i18n';
import { targetsApi, type Observation, type Programme, type Review, type ReviewIndicator } from '../lib/targets';
import type { ConversionSummary } from '../lib/registry';
import { achievementBar, fmtPct, illustrativeBadge, indicatorName, paramsQuery, programmeIllustrative, programmeName, type ViewParams } from './targets/common';

const enc = encodeURIComponent;

/** How an indicator stands: one group each, in the order a leader reads them. */
export type Standing = 'achieved' | 'on_track' | 'low' | 'unlikely' | 'no_data';
export const STANDINGS: Standing[] = ['achieved', 'on_track', 'low', 'unlikely', 'no_data'];

/**
 * Achieved: the target is reached. Unlikely: not reached and the forecast to the
 * milestone misses it. Low: below half of the target, forecast not missed (or none).
 * On track: the rest with data (above half, or forecast to reach it). The rules are
 * the review's (docs/review-json.md); this only groups its answers.
 */
export function standing(i: Pick<ReviewIndicator, 'band' | 'forecast_reached' | 'actual'>): Standing {
  if (i.actual === null || i.band === null) return 'no_data';
  if (i.band === 'achieved') return 'achieved';
  if (i.forecast_reached === false) return 'unlikely';
  if (i.band === 'low') return 'low';
  return 'on_track';
}

/** The programme a leader asks about today: the one in force, else the one that ended last. */
export function programmeInForce(programmes: Programme[], today: string): Programme | null {
  const running = programmes.filter((p) => p.start <= today && today <= p.end).sort((a, b) => (a.start < b.start ? 1 : -1));
  if (running.length) return running[0];
  const ended = programmes.filter((p) => p.end < today).sort((a, b) => (a.end < b.end ? 1 : -1));
  return ended[0] ?? programmes[0] ?? null;
}

/** Where a user lands after signing in: leaders on this page, others on what they work on. */
export async function landingPath(): Promise<string> {
  const me = session();
  if (!me) return '/map';
  const role = me.user.role;
  if (role === 'producer') return can('registry.read') ? '/registry/parcels' : '/map';
  if (role === 'unit_officer' && me.user.unit) {
    try {
      const u = await api.get<UnitDetail>(`/api/v1/units/${me.user.unit.id}`);
      if (u.level === 'commune') return can('registry.read') ? '/registry/parcels' : '/map';
    } catch {
      // Unknown level: the overview serves every officer.
    }
  }
  return can('targets.read') ? '/home' : '/map';
}

function card(title: string, testid: string, ...body: (Node | string)[]): HTMLElement {
  return h('section', { class: 'card home-card', 'data-testid': testid }, h('h2', null, title), ...body);
}

function standingsCard(code: string, view: ViewParams, r: Review): HTMLElement {
  const dash = `/targets/${enc(code)}${paramsQuery(view)}`;
  const groups = new Map<Standing, ReviewIndicator[]>(STANDINGS.map((s) => [s, []]));
  for (const i of r.indicators) groups.get(standing(i))!.push(i);
  const tiles = STANDINGS.map((s) => {
    const items = groups.get(s)!;
    return h(
      'div',
      { class: `tile home-standing home-${s}`, 'data-testid': `standing-${s}`, 'data-value': String(items.length) },
      h('div', { class: 'tile-label' }, t(`home.standing.${s}` as MessageKey)),
      h('div', { class: 'tile-value' }, link(dash, { title: t('home.open_dashboard') }, fmtNumber(items.length, 0))),
      items.length
        ? h(
            'ul',
            { class: 'home-list' },
            ...items.map((i) => h('li', null, link(`/targets/${enc(code)}/indicators/${enc(i.indicator)}${paramsQuery(view)}`, { 'data-indicator': i.indicator }, indicatorName(i)))),
          )
        : '',
    );
  });
  return card(
    t('home.standings', { n: fmtNumber(r.indicators.length, 0) }),
    'home-standings',
    h('div', { class: 'tiles home-tiles' }, ...tiles),
    h('p', { class: 'muted small' }, t('home.standing_rules')),
  );
}

function gapsCard(code: string, view: ViewParams, r: Review): HTMLElement {
  const gaps = r.indicators
    .filter((i) => i.achievement_pct !== null && i.band !== 'achieved')
    .sort((a, b) => (a.achievement_pct ?? 0) - (b.achievement_pct ?? 0))
    .slice(0, 5);
  return card(
    t('home.gaps'),
    'home-gaps',
    gaps.length
      ? h(
          'ol',
          { class: 'home-gaps' },
          ...gaps.map((i) =>
            h(
              'li',
              { 'data-indicator': i.indicator },
              link(`/targets/${enc(code)}/indicators/${enc(i.indicator)}${paramsQuery(view)}`, null, indicatorName(i)),
              h('div', { class: 'small' }, t('home.gap_line', { actual: fmtMeasure(i.actual, i.measure_unit), target: fmtMeasure(i.target, i.measure_unit), pct: fmtPct(i.achievement_pct) })),
              achievementBar(i.achievement_pct, i.band, r.elapsed_fraction),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('home.no_gaps')),
  );
}

/** Converted land since the first programme began: the conversions of rice land are the province's work across programmes. */
async function conversionsCard(programmes: Programme[], today: string): Promise<HTMLElement> {
  const from = programmes.map((p) => p.start).sort()[0] ?? today;
  const to = today;
  const period = new URLSearchParams({ from, to }).toString();
  try {
    const s = await api.get<ConversionSummary>('/api/v1/conversions/summary', { from, to });
    return card(
      t('home.converted'),
      'home-converted',
      h(
        'p',
        { class: 'big-number' },
        link(`/registry/conversions/records?${period}&from_use=inefficient_rice`, { 'data-testid': 'converted-rice-ha' }, fmtNumber(s.from_inefficient_rice_ha, 1)),
        ' ',
        t('home.converted_rice'),
      ),
      h('p', { class: 'small' }, link(`/registry/conversions?${period}`, null, t('home.converted_total', { ha: fmtNumber(s.total_ha, 1), n: fmtNumber(s.conversions, 0) }))),
      h('p', { class: 'muted small' }, t('home.period', { from: fmtDate(from), to: fmtDate(to) })),
    );
  } catch (err) {
    return card(t('home.converted'), 'home-converted', errorBox(err));
  }
}

/**
 * The latest approval of reported data. The observations API has no order by
 * approval time, so the approved values of this year and the last are
 * read and the latest taken (a few hundred rows at most for a province).
 */
async function lastApprovalCard(prog: Programme, today: string): Promise<HTMLElement> {
  const year = Number(today.slice(0, 4));
  try {
    let latest: Observation | null = null;
    for (const y of [year, year - 1]) {
      for (let page = 1; page < 10; page++) {
        const r = await targetsApi.observations(prog.code, { status: 'approved', year: y, page, page_size: 500 });
        for (const o of r.items) if (o.approved_at && (!latest || o.approved_at > latest.approved_at)) latest = o;
        if (page * 500 >= r.total) break;
      }
    }
    if (!latest) {
      return card(t('home.last_approval'), 'home-approval', h('p', { class: 'muted' }, t('home.no_approval', { from: String(year - 1) })), h('p', { class: 'small' }, link(`/targets/${enc(prog.code)}/observations?view=queue`, null, `${t('home.queue')} ›`)));
    }
    const o = latest;
    const href = `/targets/${enc(prog.code)}/observations?indicator=${enc(o.indicator)}&unit_id=${o.unit.id}&unit_code=${enc(o.unit.code)}&unit_name=${enc(o.unit.name)}&year=${o.year}`;
    return card(
      t('home.last_approval'),
      'home-approval',
      h('p', { class: 'big-number' }, link(href, { 'data-testid': 'last-approval' }, fmtTimestamp(o.approved_at))),
      h('p', { class: 'small' }, t('home.approval_line', { who: actorLabel(o.approved_by), unit: o.unit.name, year: o.year })),
      h('p', { class: 'small' }, link(`/targets/${enc(prog.code)}/observations?view=queue`, null, `${t('home.queue')} ›`)),
    );
  } catch (err) {
    return card(t('home.last_approval'), 'home-approval', errorBox(err));
  }
}

export async function renderHome(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('home.title')} · nongsan`;
  const today = route.query.get('as_of') || todayIso();
  const programmes = await targetsApi.programmes();
  const chosen = route.query.get('programme');
  const prog = programmes.find((p) => p.code === chosen) ?? programmeInForce(programmes, today);
  const mapLink = link('/map', { class: 'btn', 'data-testid': 'home-map' }, icon('map', 16), t('home.map'));
  if (!prog) {
    replace(root, h('div', { class: 'page-head' }, h('h1', null, t('home.title')), h('div', { class: 'page-actions' }, mapLink)), h('p', { class: 'empty' }, t('targets.no_programmes')));
    return;
  }
  const body = h('div', { class: 'home-grid' }, loading());
  const others = programmes.filter((p) => p.code !== prog.code);
  const head = h('div', { class: 'page-head' }, h('h1', null, t('home.title')), h('div', { class: 'page-actions' }, mapLink));
  const subtitle = h(
    'p',
    { class: 'home-programme' },
    h('strong', null, programmeName(prog)),
    ' ',
    h('span', { class: 'muted small' }, `${prog.code} · ${fmtDate(prog.start)} – ${fmtDate(prog.end)}`),
  );
  replace(
    root,
    head,
    subtitle,
    others.length
      ? h('p', { class: 'small' }, `${t('home.other_programmes')}: `, ...others.flatMap((p, k) => [k ? ' · ' : '', link(`/home?programme=${enc(p.code)}`, null, p.code)]))
      : '',
    body,
  );
  let r: Review;
  try {
    r = await targetsApi.review(prog.code, { as_of: today });
  } catch (err) {
    replace(body, errorBox(err));
    return;
  }
  if (programmeIllustrative(prog, r.indicators)) subtitle.append(' ', illustrativeBadge());
  const view: ViewParams = { milestone: r.milestone, as_of: today, unit: r.unit.code, unit_name: r.unit.name };
  const when = h(
    'p',
    { class: 'home-when', 'data-testid': 'home-when' },
    t('home.when', { date: fmtDate(r.as_of), unit: r.unit.name, level: levelLabel(r.unit.level), year: r.milestone }),
    ' ',
    link(`/targets/${enc(prog.code)}${paramsQuery(view)}`, { class: 'btn btn-small' }, `${t('home.open_dashboard')} ›`),
  );
  const cards: Promise<HTMLElement>[] = [];
  if (can('registry.read')) cards.push(conversionsCard(programmes, today));
  cards.push(lastApprovalCard(prog, today));
  // An officer whose unit the 2025 reform ended sees no figures today: say why.
  const gone = r.indicators.every((i) => i.actual === null) ? await scopeGone(t('list.what.indicator_values'), today) : null;
  replace(body, when, gone ?? '', standingsCard(prog.code, view, r), gapsCard(prog.code, view, r));
  for (const c of await Promise.all(cards)) body.append(c);
  body.dataset.loaded = 'true';
}

/** "/" — sends each user to their first screen. */
export async function goToLanding(): Promise<void> {
  navigate(await landingPath(), { replace: true });
}

