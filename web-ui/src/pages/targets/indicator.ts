// One indicator of a programme for one unit: the figures, the trend chart, a
// choropleth of every unit of a level coloured by band (click a unit to drill
// down to it), the child units' table and the records behind the value
// (observations, or registry records for a computed indicator). The choropleth
// (indicator_map.ts, with MapLibre) is loaded after the rest of the page is drawn,
// so the figures, the chart and the records never wait for the map code.
import { api, type Level, type UnitDetail } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, type Route } from '../../lib/router';
import { errorBox, field, levelLabel, loading, select, actorLabel } from '../../lib/ui';
import { fmtDate, fmtNumber, fmtTimestamp, t } from '../../i18n';
import { targetsApi, type Band, type Records, type Review, type Trend } from '../../lib/targets';
import {
  achievementBar,
  bandBadge,
  bandKey,
  fmtPct,
  forecastMark,
  illustrativeBadge,
  indicatorName,
  paramsBar,
  paramsQuery,
  programmeTabs,
  readParams,
  statusBadge,
  type ViewParams,
} from './common';
import { chartLegend, trendChart } from './chart';
import { fmtValue, measureLabel } from '../../lib/measures';

/** The day the district level was abolished (Resolution 202/2025/QH15). */
const REFORM_DATE = '2025-07-01';
const enc = encodeURIComponent;
const isPhone = (): boolean => window.matchMedia('(max-width: 860px)').matches;

export async function renderIndicator(root: HTMLElement, route: Route): Promise<() => void> {
  const code = route.params.programme;
  const ind = route.params.code;
  const p = readParams(route.query);
  const programmes = await targetsApi.programmes();
  const prog = programmes.find((x) => x.code === code);
  if (!prog) {
    replace(root, h('h1', null, t('error.not_found')), h('p', null, link('/targets', null, `‹ ${t('nav.targets')}`)));
    return () => {};
  }
  const q = { milestone: p.milestone, as_of: p.as_of, unit: p.unit || null };
  const [trend, review] = await Promise.all([targetsApi.trend(code, ind, q), targetsApi.review(code, q)]);
  const ri = review.indicators.find((x) => x.indicator === ind);
  const view: ViewParams = { ...p, milestone: trend.milestone, unit: trend.unit.code, unit_name: trend.unit.name };
  const indHref = (unitCode: string, unitName: string): string =>
    `/targets/${enc(code)}/indicators/${enc(ind)}${paramsQuery({ ...view, unit: unitCode, unit_name: unitName })}`;
  document.title = `${indicatorName(trend.indicator)} · ${trend.unit.name} · nongsan`;

  const crumbs = h('nav', { class: 'crumbs small', 'aria-label': t('targets.drill_path'), 'data-testid': 'crumbs' });
  const chartBox = h('div', { class: 'chart-box' });
  const mapEl = h('div', { class: 'map-canvas', 'data-testid': 'choropleth' });
  const legend = h('div', { class: 'choropleth-legend small', 'data-testid': 'choropleth-legend' });
  const mapStatus = h('div', { class: 'choropleth-status muted small', 'aria-live': 'polite' });
  const childBox = h('div', null, loading());
  const recordsBox = h('div', null, loading());
  const districtsExist = view.as_of < REFORM_DATE;
  const levelQ = route.query.get('level');
  let level: Level = levelQ === 'commune' || levelQ === 'district' ? levelQ : districtsExist ? 'district' : 'commune';
  if (!districtsExist) level = 'commune';
  const levelSel = select('level', [
    { value: 'district', label: levelLabel('district') },
    { value: 'commune', label: levelLabel('commune') },
  ], level);
  (levelSel.querySelector('option[value=district]') as HTMLOptionElement).disabled = !districtsExist;

  // Colour by band, or by the actual value where no target gives a band (e.g. the new
  // communes after 1/7/2025, whose targets were set for the districts).
  const colourBy: 'band' | 'value' = route.query.get('colour') === 'value' ? 'value' : 'band';
  const colourSel = select('colour', [
    { value: 'band', label: t('targets.colour_band') },
    { value: 'value', label: t('targets.colour_value') },
  ], colourBy);

  const ti = trend;
  const revised = ti.target_original !== null && ti.target !== null && ti.target_original !== ti.target;
  const band: Band | null = ri?.band ?? null;
  const lastYear = ti.values.length ? ti.values[ti.values.length - 1].year : null;
  const facts = h(
    'div',
    { class: 'tiles targets-facts' },
    h('div', { class: 'tile' }, h('div', { class: 'tile-label' }, t('targets.target_year', { year: ti.milestone })), h('div', { class: 'tile-value' }, revised ? h('s', { class: 'target-original small' }, fmtValue(ti.target_original, ti.indicator.measure_unit, 1)) : '', revised ? ' ' : '', fmtValue(ti.target, ti.indicator.measure_unit, 1)),
      ri?.target_decision ? h('div', { class: 'muted small' }, `${ri.target_decision}${ri.target_effective ? ` · ${fmtDate(ri.target_effective)}` : ''}`) : ''),
    h('div', { class: 'tile' }, h('div', { class: 'tile-label' }, `${t('targets.actual')}${lastYear ? ` (${lastYear})` : ''}`), h('div', { class: 'tile-value' }, fmtValue(ti.actual, ti.indicator.measure_unit, 1))),
    h('div', { class: 'tile' }, h('div', { class: 'tile-label' }, t('targets.achievement')), h('div', { class: 'tile-value', 'data-testid': 'ind-pct' }, fmtPct(ti.achievement_pct)), bandBadge(band)),
    h('div', { class: 'tile' }, h('div', { class: 'tile-label' }, t('targets.forecast')), h('div', { class: 'tile-value' }, fmtValue(ti.forecast, ti.indicator.measure_unit, 1)), forecastMark(ri?.forecast_reached ?? null, ti.forecast_pct)),
  );

  replace(
    root,
    h('p', { class: 'back' }, link(`/targets/${enc(code)}${paramsQuery(view)}`, null, `‹ ${prog.code} · ${t('targets.tab.dashboard')}`)),
    h(
      'div',
      { class: 'page-head' },
      h('h1', { 'data-testid': 'indicator-title' }, indicatorName(ti.indicator)),
      h('div', { class: 'badges' }, h('span', { class: 'badge badge-neutral' }, measureLabel(ti.indicator.measure_unit)), ti.indicator.illustrative ? illustrativeBadge() : '', h('span', { class: 'badge badge-level' }, t(ti.indicator.kind === 'flow' ? 'targets.kind.flow' : 'targets.kind.stock'))),
    ),
    programmeTabs(code, 'dashboard', view),
    paramsBar(programmes, prog, view, trend.unit, (c) => (c === code ? `/targets/${enc(c)}/indicators/${enc(ind)}` : `/targets/${enc(c)}`)),
    crumbs,
    h('h2', { 'data-testid': 'unit-title' }, trend.unit.name, h('span', { class: 'muted small' }, ` · ${levelLabel(trend.unit.level)} · ${t('targets.review_at', { date: fmtDate(view.as_of), year: ti.milestone })}`)),
    facts,
    h('div', { class: 'indicator-grid' },
      h('section', { class: 'card' }, h('h2', null, t('targets.trend')), chartBox),
      h('section', { class: 'card map-card' },
        h('h2', null, t('targets.choropleth')),
        h('div', { class: 'map-controls' }, field(t('map.level'), levelSel, { name: 'level' }), field(t('targets.colour_by'), colourSel, { name: 'colour' })),
        h('div', { class: 'choropleth-wrap' }, mapEl),
        legend,
        mapStatus,
      ),
    ),
    h('section', null, h('h2', null, t('targets.child_units')), childBox),
    h('section', null, h('h2', null, t('targets.records')), recordsBox),
  );

  // ---- breadcrumbs: the unit's ancestors, each a drill-up link ----
  void api.get<UnitDetail>(`/api/v1/units/${trend.unit.id}`, { as_of: view.as_of }).then((u) => {
    const parts: Node[] = [];
    if (!u.ancestors?.length) return;
    for (const a of u.ancestors) parts.push(link(indHref(a.code, a.name), null, a.name), document.createTextNode(' › '));
    parts.push(h('strong', null, u.name));
    replace(crumbs, ...parts);
  }).catch(() => replace(crumbs));

  // ---- chart ----
  const drawChart = (): void => {
    replace(chartBox, ti.values.length || ti.target_line.length ? trendChart(ti, isPhone()) : h('p', { class: 'empty' }, t('targets.no_values')), chartLegend());
    chartBox.dataset.drawn = 'true';
  };
  drawChart();

  // ---- child units (from the review of this unit) ----
  {
    const r: Review = review;
    const rows = r.units
      .map((u) => ({ u, v: u.indicators.find((x) => x.indicator === ind) }))
      .filter((x) => x.v)
      .map(({ u, v }) =>
        h(
          'tr',
          { 'data-unit': u.unit_code, 'data-band': bandKey(v!.band) },
          h('td', { class: 'cell-title' }, link(indHref(u.unit_code, u.unit_name), { class: 'drill-link' }, u.unit_name), h('span', { class: 'muted small' }, ` ${levelLabel(u.level)}`)),
          h('td', { class: 'num', 'data-label': t('targets.actual') }, fmtValue(v!.actual, ti.indicator.measure_unit)),
          h('td', { class: 'num', 'data-label': t('targets.target') }, fmtValue(v!.target, ti.indicator.measure_unit)),
          h('td', { class: 'ach-cell', 'data-label': t('targets.achievement') }, h('div', { class: 'ach-text' }, fmtPct(v!.achievement_pct), ' ', bandBadge(v!.band)), achievementBar(v!.achievement_pct, v!.band, r.elapsed_fraction)),
          h('td', { 'data-label': t('targets.forecast') }, forecastMark(v!.forecast_reached, v!.forecast_pct)),
        ),
      );
    replace(
      childBox,
      rows.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'table table-stack', 'data-testid': 'child-units' },
            h('thead', null, h('tr', null, h('th', null, t('targets.unit')), h('th', { class: 'num' }, t('targets.actual')), h('th', { class: 'num' }, t('targets.target')), h('th', null, t('targets.achievement')), h('th', null, t('targets.forecast')))),
            h('tbody', null, ...rows)))
        : h('p', { class: 'empty' }, t('targets.no_child_units')),
    );
  }

  // ---- records behind the value ----
  const recYearSel = select('record_year', ti.values.map((v) => ({ value: String(v.year), label: String(v.year) })).reverse(), String(lastYear ?? ''));
  const recList = h('div');
  const loadRecords = async (year: number): Promise<void> => {
    replace(recList, loading());
    try {
      const rec: Records = await targetsApi.records(code, ind, { unit: view.unit, year, as_of: view.as_of });
      const rows = rec.records.map((x) => {
        const href = x.kind === 'observation'
          ? `/targets/${enc(code)}/observations?indicator=${enc(ind)}&unit_id=${x.unit?.id ?? ''}&unit_code=${enc(x.unit?.code ?? '')}&unit_name=${enc(x.unit?.name ?? '')}&year=${year}`
          : x.kind === 'producer' ? `/registry/producers/${x.id}`
          : x.kind === 'application' ? `/support/applications/${x.id}` : `/registry/parcels/${x.parcel_id ?? x.id}`;
        const label = x.kind === 'observation' ? `${t('targets.observation')} #${x.id}`
          : x.kind === 'application' ? `${t('support.application')} ${x.code ?? `#${x.id}`}`
          : `${x.kind === 'producer' ? t('targets.producer') : t('targets.parcel')} #${x.kind === 'producer' ? x.id : x.parcel_id ?? x.id}`;
        return h(
          'tr',
          { 'data-record': x.kind },
          h('td', { class: 'cell-title' }, link(href, null, label)),
          h('td', { 'data-label': t('targets.unit') }, x.unit?.name ?? t('common.none')),
          h('td', { class: 'num', 'data-label': t('targets.value') }, fmtNumber(x.value, 3), x.share !== 1 ? h('span', { class: 'muted small' }, ` × ${fmtNumber(x.share, 3)}`) : ''),
          h('td', { 'data-label': t('targets.status') }, x.status ? statusBadge(x.status) : x.basis ? h('span', { class: 'muted small', 'data-basis': x.basis }, t(x.basis === 'claimed' ? 'support.basis.claimed' : 'support.basis.check_run')) : ''),
          h('td', { 'data-label': t('targets.approved') }, x.approved_by ? actorLabel(x.approved_by) : '', x.approved_at ? h('div', { class: 'muted small' }, fmtTimestamp(x.approved_at)) : ''),
        );
      });
      replace(
        recList,
        h('p', { class: 'small' }, t('targets.records_total', { value: fmtValue(rec.value, ti.indicator.measure_unit), unit: measureLabel(ti.indicator.measure_unit), year, date: fmtDate(rec.reference_date) })),
        rows.length
          ? h('div', { class: 'table-wrap' }, h('table', { class: 'table table-stack', 'data-testid': 'records' },
              h('thead', null, h('tr', null, h('th', null, t('targets.record')), h('th', null, t('targets.unit')), h('th', { class: 'num' }, t('targets.value')), h('th', null, t('targets.status')), h('th', null, t('targets.approved')))),
              h('tbody', null, ...rows)))
          : h('p', { class: 'empty' }, t('common.empty')),
      );
    } catch (err) {
      replace(recList, errorBox(err));
    }
  };
  recYearSel.addEventListener('change', () => void loadRecords(Number(recYearSel.value)));
  if (lastYear !== null) {
    replace(recordsBox, h('div', { class: 'filters filters-inline' }, field(t('targets.year'), recYearSel, { name: 'record_year' })), recList);
    void loadRecords(lastYear);
  } else {
    replace(recordsBox, h('p', { class: 'empty' }, t('targets.no_values')));
  }

  // ---- choropleth (MapLibre, loaded now that the rest is on screen) ----
  let disposeMap: (() => void) | null = null;
  let disposed = false;
  import('./indicator_map')
    .then((m) => {
      if (disposed) return;
      disposeMap = m.drawChoropleth({ code, ind, view, trend, level, colourBy, levelQ, mapEl, legend, mapStatus, levelSel, colourSel, indHref });
    })
    .catch((err) => replace(mapStatus, errorBox(err)));

  let phone = isPhone();
  const onResize = (): void => {
    if (isPhone() !== phone) {
      phone = isPhone();
      drawChart();
    }
  };
  window.addEventListener('resize', onResize);
  return () => {
    window.removeEventListener('resize', onResize);
    disposed = true;
    disposeMap?.();
  };
}

export type { Trend };
