// Kết quả đối chiếu on the map: the findings of a year's latest check run drawn on
// the parcels they name (GET /support/findings?year=Y&geometry=true), coloured by
// kind, with a legend that counts each kind; the findings that name no parcel (a
// person applying twice, the cap, payments) are listed beside the map. Those who
// manage support run the checks (POST /support/checks/jobs, a background job whose
// progress the page follows) and change their settings
// (tolerances, penalty, overlap threshold, four eyes). Loaded on demand with MapLibre.
import { addGeoJSON, boundsOf, createMap, fit, idFilter, isPhone, legendRow, onFeatureClick, setData, type BaseMap, type MapLibreMap } from '../../lib/map';
import { api } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, setQuery, type Route } from '../../lib/router';
import { actorNode, clearFieldErrors, errorBox, field, loading, mapPanel, notice, openDialog, select, setLocalError, showFormError } from '../../lib/ui';
import { cropLabel, type Geometry } from '../../lib/registry';
import { fmtNumber, fmtTimestamp, numberForInput, parseNumber, t } from '../../i18n';
import {
  FINDINGS,
  PARCEL_FINDINGS,
  canManageSupport,
  cropInSentence,
  findingColour,
  findingExplain,
  findingLabel,
  findingSentence,
  fmtMoney,
  supportApi,
  type CheckJob,
  type FindingsAnswer,
  type Settings,
  type SupportFinding,
} from '../../lib/support';
import { findingBadge, supportTabs, thisYear, yearOptions } from './common';

interface ParcelFeature {
  type: 'Feature';
  id: number;
  geometry: Geometry;
  properties: { id: number; parcel: string; kinds: string; color: string; count: number };
}

/** The first kind in FINDINGS order (the list's order is the colour's priority). */
function firstKind(kinds: string[]): string {
  return FINDINGS.find((k) => kinds.includes(k)) ?? kinds[0];
}

export function renderFindingsMap(root: HTMLElement, route: Route): () => void {
  document.title = `${t('support.tab.findings')} · nongsan`;
  const state = {
    year: Number(route.query.get('year')) || thisYear(),
    kind: route.query.get('finding') ?? '',
    parcel: Number(route.query.get('parcel')) || null,
  };
  let answer: FindingsAnswer | null = null;
  let features: ParcelFeature[] = [];

  const yearSel = select('year', yearOptions([state.year]), String(state.year));
  const kindSel = select('finding', [{ value: '', label: t('common.all') }, ...FINDINGS.map((f) => ({ value: f, label: findingLabel(f) }))], state.kind);
  const runBtn = canManageSupport() ? h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'run-checks' }, t('support.run_checks')) : null;
  const settingsBtn = canManageSupport() ? h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'open-settings' }, t('support.settings')) : null;
  const runInfo = h('div', { class: 'run-info small', 'data-testid': 'run-info', 'aria-live': 'polite' });
  const legend = h('div', { class: 'map-legend findings-legend', 'data-testid': 'findings-legend' });
  const status = h('div', { class: 'map-status muted small', 'data-testid': 'map-status', 'aria-live': 'polite' });
  const mapEl = h('div', { class: 'map-canvas', 'data-testid': 'findings-map' });
  const { panel, body: panelBody } = mapPanel(t('support.findings'), 'findings-panel', () => selectParcel(null));

  replace(
    root,
    h(
      'div',
      { class: 'map-page findings-page' },
      h(
        'div',
        { class: 'map-toolbar findings-toolbar' },
        h('div', { class: 'findings-title' }, h('h1', null, t('support.findings_title')), supportTabs('findings', String(state.year))),
        h('div', { class: 'findings-controls' }, field(t('support.year'), yearSel, { name: 'year' }), field(t('support.finding_label'), kindSel, { name: 'finding' }), h('div', { class: 'btn-row' }, runBtn ?? '', settingsBtn ?? '')),
        runInfo,
      ),
      h('div', { class: 'map-area' }, h('div', { class: 'map-wrap' }, mapEl, legend, status), panel),
    ),
  );
  root.classList.add('page-map');

  function syncUrl(): void {
    setQuery({ year: state.year, finding: state.kind, parcel: state.parcel ?? '' });
  }

  // ---- data ----
  async function load(fitTo = true): Promise<void> {
    replace(runInfo, loading());
    status.dataset.ready = 'false';
    try {
      answer = await supportApi.findings(state.year, { geometry: true });
    } catch (err) {
      replace(runInfo, errorBox(err));
      return;
    }
    build();
    renderRunInfo();
    if (answer.running && following === 0) void follow(answer.running);
    renderLegend();
    draw(fitTo);
    if (state.parcel && features.some((f) => f.id === state.parcel)) showParcel(state.parcel);
    else overview();
  }

  function visible(): SupportFinding[] {
    return (answer?.items ?? []).filter((f) => !state.kind || f.finding === state.kind);
  }

  function build(): void {
    const byParcel = new Map<number, { geometry: Geometry; parcel: string; kinds: Set<string>; count: number }>();
    for (const f of visible()) {
      if (!f.parcel_id || !f.geometry) continue;
      const e = byParcel.get(f.parcel_id) ?? { geometry: f.geometry, parcel: f.parcel, kinds: new Set<string>(), count: 0 };
      e.kinds.add(f.finding);
      e.count++;
      byParcel.set(f.parcel_id, e);
    }
    features = [...byParcel.entries()].map(([id, e]) => {
      const kinds = [...e.kinds];
      return { type: 'Feature', id, geometry: e.geometry, properties: { id, parcel: e.parcel, kinds: kinds.join(','), color: findingColour(firstKind(kinds)), count: e.count } };
    });
  }

  function renderRunInfo(): void {
    const run = answer?.run;
    if (!run) {
      replace(runInfo, h('span', { 'data-run': 'none' }, t('support.no_run', { year: state.year }), canManageSupport() ? ` ${t('support.no_run_manager')}` : ''));
      return;
    }
    const s = run.settings;
    replace(
      runInfo,
      h(
        'span',
        { 'data-run': String(run.id) },
        t('support.last_run', { date: fmtTimestamp(run.run_at) }),
        ' ',
        actorNode(run.run_by),
        ' · ',
        t('support.run_summary', { applications: fmtNumber(run.applications), findings: fmtNumber(run.findings), amount: fmtMoney(run.total_amount) }),
        s ? h('span', { class: 'muted run-settings' }, ' · ', t('support.run_settings', { pct: fmtNumber(s.tolerance_pct), ha: fmtNumber(s.tolerance_ha), factor: fmtNumber(s.penalty_factor), m2: fmtNumber(s.min_overlap_m2) })) : '',
      ),
    );
  }

  function renderLegend(): void {
    const counts = answer?.counts ?? {};
    const rows: Node[] = [h('div', { class: 'legend-title' }, t('support.legend_title'))];
    const kinds = FINDINGS.filter((k) => counts[k]);
    for (const k of kinds) {
      const onMap = PARCEL_FINDINGS.includes(k as (typeof PARCEL_FINDINGS)[number]);
      rows.push(
        legendRow(onMap ? findingColour(k) : 'transparent', h('span', { title: findingExplain(k) }, findingLabel(k)), h('span', { class: 'muted' }, ` ${fmtNumber(counts[k])}${onMap ? '' : ` · ${t('support.not_on_map')}`}`), { 'data-finding': k, 'data-count': String(counts[k]) }),
      );
    }
    if (!kinds.length) rows.push(h('div', { class: 'muted' }, answer?.run ? t('support.no_findings_year') : t('support.nothing_yet')));
    replace(legend, ...rows);
  }

  function draw(fitTo: boolean): void {
    setData(map, 'findings', { type: 'FeatureCollection', features });
    const n = features.length;
    status.textContent = n ? t('support.parcels_with_findings', { n: fmtNumber(n) }) : t('support.no_parcels_with_findings');
    status.dataset.count = String(n);
    if (map && fitTo && n) fit(map, boundsOf(features.map((f) => f.geometry)), isPhone() ? 30 : 60, 16);
    map?.once('idle', () => (status.dataset.ready = 'true'));
    if (!map) status.dataset.ready = 'true';
  }

  // ---- panel ----
  function findingRow(f: SupportFinding): HTMLElement {
    const s = findingSentence(f, (c) => cropInSentence(cropLabel(c)));
    return h(
      'li',
      { 'data-finding': f.finding },
      findingBadge(f.finding),
      ' ',
      f.application_id ? link(`/support/applications/${f.application_id}`, { class: 'mono', 'data-testid': 'finding-application' }, f.application) : h('span', { class: 'mono' }, f.application),
      f.applicant ? h('span', { class: 'muted' }, ` · ${f.applicant}`) : '',
      h('div', { class: 'small' }, s.verbatim ? h('span', { 'data-verbatim': 'server' }, s.text) : h('span', { title: f.detail }, s.text)),
    );
  }

  function overview(): void {
    panel.classList.remove('has-unit');
    const elsewhere = visible().filter((f) => !f.parcel_id || !f.geometry);
    replace(
      panelBody,
      h('p', { class: 'muted' }, answer?.run ? t('support.map_hint_findings') : t('support.no_run', { year: state.year })),
      elsewhere.length
        ? h(
            'details',
            { class: 'elsewhere', 'data-testid': 'findings-elsewhere', open: !isPhone() },
            h('summary', null, t('support.not_on_map_title', { n: fmtNumber(elsewhere.length) })),
            h('ul', { class: 'finding-list' }, ...elsewhere.slice(0, 200).map(findingRow)),
          )
        : '',
      h('p', { class: 'small panel-links' }, link(`/support?year=${state.year}`, null, `${t('support.tab.applications')} ›`)),
    );
  }

  function showParcel(id: number): void {
    const here = visible().filter((f) => f.parcel_id === id);
    if (!here.length) return overview();
    panel.classList.add('has-unit');
    replace(
      panelBody,
      h('h2', { class: 'panel-title', 'data-testid': 'finding-parcel' }, t('support.parcel_title', { parcel: here[0].parcel })),
      h('ul', { class: 'finding-list', 'data-testid': 'parcel-findings' }, ...here.map(findingRow)),
      h('p', null, link(`/registry/parcels/${id}`, { class: 'btn btn-small' }, `${t('support.open_parcel')} ›`)),
    );
  }

  function selectParcel(id: number | null): void {
    state.parcel = id;
    syncUrl();
    map?.setFilter('findings-selected', idFilter(id) as never);
    if (id === null) overview();
    else showParcel(id);
  }

  // ---- controls ----
  yearSel.addEventListener('change', () => {
    state.year = Number(yearSel.value);
    state.parcel = null;
    syncUrl();
    for (const tab of root.querySelectorAll<HTMLAnchorElement>('.tabs a')) {
      const u = new URL(tab.href);
      if (u.pathname !== '/support/policies') u.searchParams.set('year', String(state.year));
      tab.href = u.pathname + u.search;
    }
    void load();
  });
  kindSel.addEventListener('change', () => {
    state.kind = kindSel.value;
    syncUrl();
    build();
    draw(false);
    if (state.parcel) showParcel(state.parcel);
    else overview();
  });
  // The checks run as a background job (POST /support/checks/jobs → 202): the page
  // follows its progress (GET /api/v1/jobs/{id}) and shows the run when it ends; a page
  // opened while a check runs follows that one (findings' `running`).
  let following = 0;
  const progressBox = h('div', { class: 'check-progress', 'data-testid': 'check-progress', hidden: true });
  runInfo.after(progressBox);
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  const stageLabel = (stage: string): string => t(stage === 'geometry' ? 'support.check_stage.geometry' : 'support.check_stage.reading');
  function showProgress(job: CheckJob): void {
    const year = job.params.year ?? state.year;
    const { done, total, stage } = job.progress;
    const pct = total > 0 ? Math.min(100, Math.round((100 * done) / total)) : null;
    progressBox.hidden = false;
    replace(
      progressBox,
      h('span', { role: 'status', 'data-state': job.state }, job.state === 'queued' ? t('support.check_queued', { year }) : t('support.running_checks', { year })),
      ' ',
      h('progress', { max: '100', ...(pct === null ? {} : { value: String(pct) }), 'aria-label': t('support.check_progress') }),
      job.state === 'queued' ? '' : h('span', { class: 'muted small' }, pct === null ? ` ${stageLabel(stage)}` : ` ${stageLabel(stage)} ${fmtNumber(done)}/${fmtNumber(total)} (${pct} %)`),
      ' · ',
      actorNode(job.started_by),
    );
  }
  async function follow(job: CheckJob): Promise<void> {
    const mine = ++following;
    if (runBtn) runBtn.disabled = true;
    try {
      let j = job;
      while (j.state === 'queued' || j.state === 'running') {
        showProgress(j);
        await sleep(700);
        if (mine !== following) return;
        j = await supportApi.job(j.id);
      }
      progressBox.hidden = true;
      if (j.state !== 'succeeded' || !j.result) {
        replace(runInfo, notice(t('support.check_failed', { error: j.error ?? j.state }), 'warn'));
        return;
      }
      const year = j.result.year;
      if (year === state.year) await load();
      runInfo.prepend(notice(t('support.checks_done', { applications: fmtNumber(j.result.applications), findings: fmtNumber(j.result.findings) }), 'ok'));
    } catch (err) {
      progressBox.hidden = true;
      replace(runInfo, errorBox(err));
    } finally {
      if (runBtn && mine === following) runBtn.disabled = false;
    }
  }
  runBtn?.addEventListener('click', async () => {
    runBtn.disabled = true;
    try {
      await follow(await supportApi.startChecks(state.year));
    } catch (err) {
      replace(runInfo, errorBox(err));
      runBtn.disabled = false;
    }
  });
  settingsBtn?.addEventListener('click', () => void openSettings());

  // ---- the map ----
  const base: BaseMap | null = createMap(mapEl, { zoom: 8, handle: 'nongsanFindingsMap', fallback: link(`/support?year=${state.year}`, null, t('support.tab.applications')) });
  const map: MapLibreMap | null = base?.map ?? null;
  if (map) {
    void base!.loaded.then(() => {
      addGeoJSON(map, 'communes');
      map.addLayer({ id: 'communes-line', type: 'line', source: 'communes', paint: { 'line-color': '#8a9a86', 'line-width': 1, 'line-dasharray': [3, 2] } });
      void api
        .get<{ type: 'FeatureCollection'; features: unknown[] }>('/api/v1/map/units', { level: 'commune' })
        .then((fc) => setData(map, 'communes', fc))
        .catch(() => {
          // The findings stand without the communes' outlines.
        });
      addGeoJSON(map, 'findings', undefined, 'id');
      map.addLayer({ id: 'findings-fill', type: 'fill', source: 'findings', paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.7 } });
      map.addLayer({ id: 'findings-line', type: 'line', source: 'findings', paint: { 'line-color': ['get', 'color'], 'line-width': 2 } });
      // At the province view a parcel is smaller than a pixel: a dot marks it until it can be seen.
      map.addLayer({ id: 'findings-point', type: 'circle', source: 'findings', maxzoom: 13, paint: { 'circle-color': ['get', 'color'], 'circle-radius': 5, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5, 'circle-opacity': ['interpolate', ['linear'], ['zoom'], 11, 1, 12.8, 0], 'circle-stroke-opacity': ['interpolate', ['linear'], ['zoom'], 11, 1, 12.8, 0] } });
      map.addLayer({ id: 'findings-selected', type: 'line', source: 'findings', filter: idFilter(state.parcel) as never, paint: { 'line-color': '#111', 'line-width': 3.5 } });
      void load();
    });
    onFeatureClick(map, ['findings-fill', 'findings-point'], (_l, f) => selectParcel(Number(f.properties.id)), { liftOnPhone: 0.22 });
  } else {
    void load(false);
  }

  async function openSettings(): Promise<void> {
    let s: Settings;
    try {
      s = await supportApi.settings();
    } catch (err) {
      replace(runInfo, errorBox(err));
      return;
    }
    const num = (name: keyof Settings, v: number): HTMLInputElement => h('input', { type: 'text', name, inputmode: 'decimal', value: numberForInput(v) });
    const pct = num('tolerance_pct', s.tolerance_pct);
    const ha = num('tolerance_ha', s.tolerance_ha);
    const factor = num('penalty_factor', s.penalty_factor);
    const m2 = num('min_overlap_m2', s.min_overlap_m2);
    const fourEyes = h('input', { type: 'checkbox', name: 'four_eyes', checked: s.four_eyes });
    const slot = h('div', { class: 'form-alert' });
    const ok = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'save-settings' }, t('common.save'));
    const cancel = h('button', { type: 'button', class: 'btn' }, t('common.cancel'));
    const form = h(
      'form',
      { class: 'form form-grid', novalidate: true, 'data-testid': 'settings-form' },
      h('p', { class: 'muted field-wide' }, t('support.settings_intro')),
      field(t('support.setting.tolerance_pct'), pct, { name: 'tolerance_pct', hint: t('support.setting.tolerance_pct_hint') }),
      field(t('support.setting.tolerance_ha'), ha, { name: 'tolerance_ha', hint: t('support.setting.tolerance_ha_hint') }),
      field(t('support.setting.penalty_factor'), factor, { name: 'penalty_factor', hint: t('support.setting.penalty_factor_hint') }),
      field(t('support.setting.min_overlap_m2'), m2, { name: 'min_overlap_m2', hint: t('support.setting.min_overlap_m2_hint') }),
      h('div', { class: 'field field-check field-wide', 'data-field': 'four_eyes' }, h('label', null, fourEyes, t('support.setting.four_eyes')), h('div', { class: 'hint' }, t('support.setting.four_eyes_hint')), h('div', { class: 'field-error' })),
      s.source ? h('p', { class: 'small muted field-wide' }, t('support.setting.source'), ' ', h('span', { 'data-verbatim': 'server' }, s.source)) : '',
      slot,
      h('div', { class: 'form-actions' }, cancel, ok),
    );
    const d = openDialog(t('support.settings_title'), [form], { wide: true });
    cancel.addEventListener('click', () => d.close());
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      replace(slot);
      const body: Record<string, number | boolean> = { four_eyes: fourEyes.checked };
      let bad = false;
      for (const [name, input] of [['tolerance_pct', pct], ['tolerance_ha', ha], ['penalty_factor', factor], ['min_overlap_m2', m2]] as const) {
        const n = parseNumber(input.value);
        if (n === null) {
          setLocalError(form, name, t('common.invalid_number'));
          bad = true;
        } else body[name] = n;
      }
      if (bad) return;
      ok.disabled = true;
      try {
        await supportApi.saveSettings(body);
        d.close();
        await load(false);
        runInfo.prepend(notice(t('support.settings_saved'), 'ok'));
      } catch (err) {
        ok.disabled = false;
        showFormError(form, slot, err);
      }
    });
  }

  return () => base?.destroy();
}
