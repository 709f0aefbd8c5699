// The programme dashboard: the review of every indicator for a unit on a date
// (counts by band, achievement bars with the elapsed-time mark, forecasts,
// revised targets, flags) and the narrative; /targets shows every programme
// side by side.
import type { UnitRef } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, type Route } from '../../lib/router';
import { errorBox, levelLabel, loading } from '../../lib/ui';
import { fmtDate, lang, t, type MessageKey } from '../../i18n';
import { targetsApi, type Programme, type Review, type ReviewCounts, type ReviewIndicator } from '../../lib/targets';
import {
  achievementBar,
  BAND_COLOUR,
  flagLabel,
  fmtPct,
  forecastMark,
  illustrativeBadge,
  programmeIllustrative,
  indicatorName,
  paramsBar,
  paramsQuery,
  programmeName,
  programmeTabs,
  readParams,
  type ViewParams,
} from './common';
import { downloadButtons } from './reports';
import { fmtValue, measureLabel } from '../../lib/measures';

const enc = encodeURIComponent;

function countsTiles(c: ReviewCounts): HTMLElement {
  const tile = (key: string, label: string, value: string, cls = ''): HTMLElement =>
    h('div', { class: `tile ${cls}`, 'data-testid': `count-${key}`, 'data-value': value }, h('div', { class: 'tile-label' }, label), h('div', { class: 'tile-value' }, value));
  return h(
    'div',
    { class: 'tiles targets-tiles' },
    tile('achieved', t('targets.band.achieved'), String(c.achieved), 'tile-achieved'),
    tile('over_half', t('targets.band.over_half'), String(c.over_half), 'tile-over_half'),
    tile('low', t('targets.band.low'), String(c.low), 'tile-low'),
    tile('no_data', t('targets.band.none'), String(c.no_data), 'tile-none'),
    // Indicators without a target are not "no data": nothing was asked of the unit.
    tile('no_target', t('targets.status_no_target'), String(c.no_target ?? 0), 'tile-none'),
    (c.not_evaluable ?? 0) > 0 ? tile('not_evaluable', t('targets.status_not_evaluable'), String(c.not_evaluable), 'tile-none') : '',
    tile('forecast_missed', t('targets.forecast_missed'), String(c.forecast_missed), 'tile-missed'),
  );
}

/** A thin bar split by band: how the indicators fall at a glance. */
function bandStrip(c: ReviewCounts): HTMLElement {
  const parts: [keyof typeof BAND_COLOUR, number][] = [
    ['achieved', c.achieved],
    ['over_half', c.over_half],
    ['low', c.low],
    ['none', c.no_data],
  ];
  return h(
    'div',
    { class: 'band-strip', role: 'img', 'aria-label': parts.map(([k, n]) => `${t(`targets.band.${k}` as MessageKey)}: ${n}`).join(', ') },
    ...parts.filter(([, n]) => n > 0).map(([k, n]) => h('span', { class: `band-bg-${k}`, style: { flexGrow: String(n) }, title: `${t(`targets.band.${k}` as MessageKey)}: ${n}` })),
  );
}

function headline(r: Review): HTMLElement {
  return h(
    'p',
    { class: 'targets-headline', 'data-testid': 'headline', 'data-passed': String(r.counts.passed_half), 'data-total': String(r.counts.total) },
    h('strong', null, `${r.counts.passed_half}/${r.counts.total}`),
    ' ',
    t('targets.passed_half_text'),
    h('span', { class: 'muted small' }, ` · ${r.elapsed_fraction < 0 ? t('targets.not_started', { date: fmtDate(r.programme.start) }) : t('targets.elapsed', { pct: fmtPct(r.elapsed_fraction * 100), year: r.milestone })}`),
  );
}

function targetCell(i: ReviewIndicator): HTMLElement {
  const td = h('td', { class: 'num inline-sm', 'data-label': t('targets.target') });
  if (i.target === null) {
    td.append(i.status === 'no_target' ? h('span', { class: 'muted small', 'data-status': 'no_target' }, t('targets.status_no_target')) : t('common.none'));
    return td;
  }
  const revised = i.target_original !== null && i.target_original !== i.target;
  if (revised) td.append(h('s', { class: 'target-original', title: t('targets.target_original') }, fmtValue(i.target_original, i.measure_unit)), ' ');
  td.append(h('strong', null, fmtValue(i.target, i.measure_unit)));
  if (i.target_decision) {
    const line = `${i.target_decision}${i.target_effective ? ` · ${fmtDate(i.target_effective)}` : ''}`;
    td.append(h('div', { class: 'muted small target-decision', title: line }, line));
  }
  return td;
}

function indicatorRow(code: string, p: ViewParams, r: Review, i: ReviewIndicator): HTMLElement {
  const href = `/targets/${enc(code)}/indicators/${enc(i.indicator)}${paramsQuery({ ...p, milestone: r.milestone, unit: r.unit.code, unit_name: r.unit.name })}`;
  const flags = h(
    'div',
    { class: 'badges' },
    ...i.flags.map((f) => h('span', { class: 'badge badge-warn', 'data-flag': f, title: flagLabel(f) }, flagLabel(f))),
    i.illustrative ? illustrativeBadge() : '',
    i.source === 'computed' ? h('span', { class: 'badge badge-neutral', title: t('targets.computed_note') }, t('targets.computed')) : '',
  );
  return h(
    'tr',
    { 'data-indicator': i.indicator, 'data-band': i.band ?? 'none', class: `band-row-${i.band ?? 'none'}` },
    h('td', { class: 'cell-title' }, link(href, { class: 'indicator-link' }, indicatorName({ ...i, code: i.indicator })), flags.childNodes.length ? flags : ''),
    h('td', { class: 'inline-sm', 'data-label': t('targets.measure_unit') }, measureLabel(i.measure_unit)),
    targetCell(i),
    h(
      'td',
      { class: 'num inline-sm', 'data-label': t('targets.actual') },
      i.actual === null ? t('common.none') : h('strong', null, fmtValue(i.actual, i.measure_unit)),
      i.actual_year ? h('span', { class: 'muted small' }, ` (${i.actual_year})`) : '',
    ),
    h(
      'td',
      { class: 'ach-cell', 'data-label': t('targets.achievement') },
      h('div', { class: 'ach-text' }, h('strong', { 'data-testid': 'ach-pct' }, fmtPct(i.achievement_pct))),
      achievementBar(i.achievement_pct, i.band, r.elapsed_fraction),
    ),
    h('td', { 'data-label': t('targets.forecast') }, forecastMark(i.forecast_reached, i.forecast_pct)),
  );
}

export function renderReview(code: string, p: ViewParams, r: Review): (Node | string)[] {
  const rows = r.indicators.map((i) => indicatorRow(code, p, r, i));
  return [
    h(
      'div',
      { class: 'card targets-summary', 'data-testid': 'review-summary' },
      h(
        'div',
        { class: 'card-head' },
        h('h2', null, `${r.unit.name}`, h('span', { class: 'muted small' }, ` · ${levelLabel(r.unit.level)}`)),
        h('span', { class: 'muted small' }, t('targets.review_at', { date: fmtDate(r.as_of), year: r.milestone })),
      ),
      headline(r),
      bandStrip(r.counts),
      countsTiles(r.counts),
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table table-stack table-review', 'data-testid': 'review-table' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', null, t('targets.indicator')),
            h('th', null, t('targets.measure_unit')),
            h('th', { class: 'num' }, t('targets.target_year', { year: r.milestone })),
            h('th', { class: 'num' }, t('targets.actual')),
            h('th', null, t('targets.achievement')),
            h('th', null, t('targets.forecast')),
          ),
        ),
        h('tbody', null, ...rows),
      ),
    ),
    h(
      'p',
      { class: 'small muted legend-line' },
      h('span', { class: 'ach-legend-mark', 'aria-hidden': 'true' }),
      ` ${t('targets.elapsed_legend', { pct: fmtPct(r.elapsed_fraction * 100) })}`,
    ),
    r.narrative?.paragraphs?.length
      ? h(
          'section',
          // The server writes the assessment in Vietnamese, as the official report does: in
          // English it is shown as it is, marked as Vietnamese, with a note saying so.
          { class: 'card narrative', 'data-testid': 'narrative' },
          h('h2', null, t('targets.narrative')),
          lang() === 'vi' ? '' : h('p', { class: 'muted small', 'data-testid': 'narrative-lang' }, t('targets.narrative_vi_only')),
          h(
            'div',
            { lang: 'vi' },
            r.narrative.title ? h('p', { class: 'strong' }, r.narrative.title) : '',
            ...r.narrative.paragraphs.map((x) => h('p', null, x)),
          ),
        )
      : '',
  ];
}

/** /targets/:programme — one programme's dashboard. */
export async function renderDashboard(root: HTMLElement, route: Route): Promise<void> {
  const code = route.params.programme;
  const p = readParams(route.query);
  const programmes = await targetsApi.programmes();
  const prog = programmes.find((x) => x.code === code);
  if (!prog) {
    replace(root, h('h1', null, t('error.not_found')), h('p', null, link('/targets', null, `‹ ${t('nav.targets')}`)));
    return;
  }
  document.title = `${prog.code} · ${t('nav.targets')} · nongsan`;
  const body = h('div', { class: 'targets-body' }, loading());
  const unit: UnitRef | null = p.unit ? { id: 0, code: p.unit, name: p.unit_name || p.unit, level: 'district' } : null;
  const bar = paramsBar(programmes, prog, p, unit, (c) => `/targets/${enc(c)}`);
  const head = h('div', { class: 'page-head' }, h('h1', null, programmeName(prog)), prog.illustrative ? illustrativeBadge() : '');
  replace(
    root,
    head,
    h('p', { class: 'muted small' }, `${prog.code} · ${fmtDate(prog.start)} – ${fmtDate(prog.end)} · ${t('targets.baseline_year')} ${prog.baseline_year}`),
    programmeTabs(code, 'dashboard', p),
    bar,
    body,
  );
  try {
    const r = await targetsApi.review(code, { milestone: p.milestone, as_of: p.as_of, unit: p.unit || null });
    const view: ViewParams = { ...p, milestone: r.milestone };
    if (!prog.illustrative && programmeIllustrative(prog, r.indicators)) head.append(illustrativeBadge());
    // Without a unit in the link the server chose one (the officer's own unit): show it in the bar.
    if (!p.unit && r.unit.level !== 'province') bar.replaceWith(paramsBar(programmes, prog, p, r.unit, (c) => `/targets/${enc(c)}`));
    replace(
      body,
      ...renderReview(code, view, r),
      h('section', { class: 'card' }, h('h2', null, t('targets.downloads')), downloadButtons(code, { milestone: r.milestone, as_of: r.as_of, unit: p.unit || null })),
    );
    body.dataset.loaded = 'true';
  } catch (err) {
    replace(body, errorBox(err));
  }
}

/** /targets — every programme side by side, each with its counts, linking to its dashboard. */
export async function renderProgrammes(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('nav.targets')} · nongsan`;
  const p = readParams(route.query);
  const programmes = await targetsApi.programmes();
  const grid = h('div', { class: 'programme-grid' });
  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', null, t('targets.title'))),
    h('p', { class: 'intro' }, t('targets.intro')),
    programmes.length ? grid : h('p', { class: 'empty' }, t('targets.no_programmes')),
  );
  await Promise.all(
    programmes.map(async (prog: Programme) => {
      const card = h('section', { class: 'card programme-card', 'data-programme': prog.code }, h('h2', null, prog.code), loading());
      grid.append(card);
      try {
        const r = await targetsApi.review(prog.code, { as_of: p.as_of, unit: p.unit || null });
        replace(
          card,
          h('h2', null, link(`/targets/${enc(prog.code)}${paramsQuery({ ...p, milestone: r.milestone })}`, null, prog.code), programmeIllustrative(prog, r.indicators) ? [' ', illustrativeBadge()] : ''),
          h('p', { class: 'small' }, programmeName(prog)),
          h('p', { class: 'muted small' }, `${fmtDate(prog.start)} – ${fmtDate(prog.end)} · ${t('targets.review_at', { date: fmtDate(r.as_of), year: r.milestone })}`),
          headline(r),
          bandStrip(r.counts),
          countsTiles(r.counts),
          h('p', null, link(`/targets/${enc(prog.code)}${paramsQuery({ ...p, milestone: r.milestone })}`, { class: 'btn btn-small' }, `${t('targets.open_dashboard')} ›`)),
        );
      } catch (err) {
        card.append(errorBox(err));
      }
    }),
  );
}
