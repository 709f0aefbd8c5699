// One inspection (docs/inspection.md "Officers"): answers against the checklist, the
// measured boundary on the map beside the registered one, photos with time and place,
// findings with their decisions and the decision form (only the actions the user's role
// may take), and the sync log with the device's and the server's times.
import { h, replace } from '../../lib/dom';
import { link, type Route } from '../../lib/router';
import { dataTable, type Column } from '../../lib/list';
import type { Geometry } from '../../lib/registry';
import { addGeoJSON, boundsOf, createMap, fit } from '../../lib/map';
import { badge, clearFieldErrors, dateInput, errorBox, field, loading, select, showFormError } from '../../lib/ui';
import { fmtNumber, lang, t, todayIso } from '../../i18n';
import './inspection.css';
import { actionLabel, actionsAllowed, canDecide, inspectionApi, outcomeLabel, statusLabel, type Finding, type InspectionDetail, type SyncEntry } from './inspection_api';

export async function renderInspection(root: HTMLElement, route: Route): Promise<void> {
  const code = route.params.code;
  document.title = `${code} · ${t('insp.title')} · nongsan`;
  const body = h('div', { 'aria-live': 'polite', 'data-testid': 'inspection' });
  replace(root, link('/inspections', { class: 'back' }, `← ${t('insp.title')}`), body);
  let destroyMap: (() => void) | null = null;

  async function load(): Promise<void> {
    replace(body, loading());
    try {
      const d = await inspectionApi.get(code);
      destroyMap?.();
      replace(body, render(d));
      drawMap(d);
    } catch (err) {
      replace(body, errorBox(err));
    }
  }

  function answerText(v: unknown): string {
    if (v === true) return t('insp.yes');
    if (v === false) return t('insp.no');
    if (v == null) return t('common.none');
    return typeof v === 'number' ? fmtNumber(v) : String(v);
  }

  const mapBox = h('div', { class: 'insp-map', 'data-testid': 'inspection-map' });

  function drawMap(d: InspectionDetail): void {
    if (!d.measured_geojson && !d.registered_geojson) return;
    const m = createMap(mapBox, { cooperative: true, handle: 'nongsanInspectionMap' });
    if (!m) return;
    destroyMap = () => m.destroy();
    void m.loaded.then(() => {
      const fc = (g: Geometry | null) => ({ type: 'FeatureCollection', features: g ? [{ type: 'Feature', geometry: g, properties: {} }] : [] });
      addGeoJSON(m.map, 'registered', fc(d.registered_geojson));
      addGeoJSON(m.map, 'measured', fc(d.measured_geojson));
      m.map.addLayer({ id: 'registered-fill', type: 'fill', source: 'registered', paint: { 'fill-color': '#1f77b4', 'fill-opacity': 0.15 } });
      m.map.addLayer({ id: 'registered-line', type: 'line', source: 'registered', paint: { 'line-color': '#1f77b4', 'line-width': 2 } });
      m.map.addLayer({ id: 'measured-line', type: 'line', source: 'measured', paint: { 'line-color': '#d62728', 'line-width': 2.5, 'line-dasharray': [2, 1] } });
      fit(m.map, boundsOf([d.registered_geojson, d.measured_geojson]), 24, 18);
    });
  }

  function render(d: InspectionDetail): Node {
    const answers = d.checklist.map((c) => ({ ...c, value: d.answers[c.item] }));
    const answerCols: Column<(typeof answers)[number]>[] = [
      { label: t('insp.col.item'), title: true, cell: (a) => (lang() === 'en' ? a.label_en : a.label_vi) },
      { label: t('insp.col.answer'), cell: (a) => answerText(a.value) },
    ];
    const syncCols: Column<SyncEntry>[] = [
      { label: t('insp.col.item_kind'), title: true, cell: (s) => `${t(`insp.item.${s.item_kind}` as never)}${s.client_id ? ` ${s.client_id}` : ''}` },
      { label: t('insp.col.outcome'), cell: (s) => badge(outcomeLabel(s.outcome), s.outcome === 'error' || s.outcome === 'conflict' ? 'warn' : 'ok') },
      { label: t('insp.col.device_time'), cell: (s) => s.device_time },
      { label: t('insp.col.server_time'), cell: (s) => s.server_time },
      { label: t('insp.col.device'), class: 'hide-sm', cell: (s) => `${s.device_id} · ${s.user}` },
      { label: t('insp.col.note'), class: 'hide-sm', cell: (s) => syncNote(s) },
    ];
    return h(
      'div',
      null,
      h('h1', null, d.code, ' ', badge(statusLabel(d.status), d.status === 'closed' ? 'ok' : 'info'), d.illustrative ? ' ' : null, d.illustrative ? badge(t('insp.illustrative'), 'warn') : null),
      h('p', { class: 'muted' }, `${t(`insp.subject.${d.subject_kind}` as never)}: ${d.subject_ref} · ${t(`insp.checklist.${d.checklist_kind}` as never)} · ${t('insp.col.inspector')}: ${d.inspector || t('common.none')}`),
      h('p', null, t('insp.times', { opened: d.opened_at || t('common.none'), closed: d.closed_at || t('common.none') })),
      d.notes ? h('p', null, d.notes) : null,
      h('h2', null, t('insp.answers')),
      answers.length ? dataTable(answerCols, answers, { testId: 'answers' }) : h('p', { class: 'muted' }, t('common.none')),
      h('h2', null, t('insp.boundary')),
      h(
        'p',
        { 'data-testid': 'areas' },
        t('insp.areas', {
          measured: d.measured_area_m2 == null ? t('common.none') : `${fmtNumber(d.measured_area_m2, 0)} m²`,
          registered: d.registered_area_m2 == null ? t('common.none') : `${fmtNumber(d.registered_area_m2, 0)} m²`,
          method: d.measure_method ? t(`insp.method.${d.measure_method}` as never) : t('common.none'),
        }),
      ),
      h('p', { class: 'insp-legend' }, h('span', { class: 'swatch-registered' }), ` ${t('insp.registered')}  `, h('span', { class: 'swatch-measured' }), ` ${t('insp.measured')}`),
      mapBox,
      h('h2', null, t('insp.photos')),
      d.photos.length
        ? h('div', { class: 'insp-photos', 'data-testid': 'photos' }, ...d.photos.map((p) => h('figure', null, h('img', { src: p.url, alt: p.client_id, loading: 'lazy' }), h('figcaption', null, `${p.taken_at}${p.lon != null && p.lat != null ? ` · ${fmtNumber(p.lat, 5)}, ${fmtNumber(p.lon, 5)}` : ` · ${t('insp.no_place')}`}`))))
        : h('p', { class: 'muted' }, t('insp.no_photos')),
      h('h2', null, t('insp.findings')),
      d.findings.length ? h('div', { 'data-testid': 'findings' }, ...d.findings.map((f) => findingCard(f))) : h('p', { class: 'muted' }, t('insp.no_findings')),
      h('h2', null, t('insp.sync_log')),
      d.sync_log.length ? dataTable(syncCols, d.sync_log, { testId: 'sync-log' }) : h('p', { class: 'muted' }, t('insp.no_sync')),
    );
  }

  function syncNote(s: SyncEntry): string {
    const x = s.detail ?? {};
    if (typeof x.error === 'string') return x.error;
    if (typeof x.server_area_m2 === 'number')
      return t('insp.area_note', { server: fmtNumber(x.server_area_m2 as number, 0), device: x.device_area_m2 == null ? t('common.none') : fmtNumber(x.device_area_m2 as number, 0) }) + (x.area_mismatch ? ` — ${t('insp.mismatch')}` : '');
    return '';
  }

  function findingCard(f: Finding): HTMLElement {
    return h(
      'div',
      { class: 'card', 'data-finding': String(f.id), 'data-status': f.status },
      h('h3', null, `${f.kind} `, badge(t(`insp.severity.${f.severity}` as never), f.severity === 'serious' ? 'danger' : 'neutral'), ' ', badge(t(`insp.finding_status.${f.status}` as never), f.status === 'open' ? 'warn' : 'ok')),
      h('p', null, `${t(`insp.subject.${f.subject_kind}` as never)}: ${f.subject_ref} · ${f.recorded_at}${f.measured_area_m2 != null ? ` · ${fmtNumber(f.measured_area_m2, 0)} m²` : ''}`),
      f.detail ? h('p', null, f.detail) : null,
      ...f.decisions.map((x) => h('p', { class: 'insp-decision', 'data-action': x.action }, t('insp.decided', { action: actionLabel(x.action), no: x.decision_no || t('common.none'), by: x.decided_by, at: x.decided_at }), x.target_ref ? ` → ${x.target_ref}` : '', ` — ${x.reason}`)),
      f.status === 'open' && canDecide() ? decisionForm(f) : null,
    );
  }

  function decisionForm(f: Finding): HTMLElement {
    const allowed = actionsAllowed();
    const action = select('action', allowed.map((a) => ({ value: a, label: actionLabel(a) })), allowed[0] ?? 'dismiss');
    const reason = h('input', { type: 'text', name: 'reason', required: true });
    const number = h('input', { type: 'text', name: 'decision_no' });
    const when = dateInput('date', todayIso());
    const target = h('input', { type: 'text', name: 'target', placeholder: f.subject_ref });
    const amount = h('input', { type: 'number', name: 'amount', min: '0', step: '1000' });
    const stars = select('stars', [1, 2, 3, 4].map((n) => ({ value: String(n), label: `${n} ★` })), '3');
    const slot = h('div');
    const form = h(
      'form',
      { class: 'form-grid', 'data-testid': 'decision-form' },
      h('h4', null, t('insp.decide')),
      field(t('insp.col.action'), action, { name: 'action' }),
      field(t('insp.reason'), reason, { name: 'reason' }),
      field(t('insp.decision_no'), number, { name: 'decision_no' }),
      field(t('insp.date'), when.el, { name: 'date' }),
      field(t('insp.target'), target, { name: 'target' }),
      field(t('insp.amount'), amount, { name: 'amount' }),
      field(t('insp.stars'), stars, { name: 'stars' }),
      h('p', { class: 'muted' }, t('insp.decide_help')),
      slot,
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('insp.decide_submit')),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      const b: Record<string, unknown> = { action: action.value, reason: reason.value };
      if (number.value) b.decision_no = number.value;
      if (when.value()) b.date = when.value();
      if (target.value) b.target = target.value;
      if ((action.value === 'recover' || action.value === 'reduce_amount') && amount.value) b.amount = Number(amount.value);
      if (action.value === 'downgrade_ocop') b.stars = Number(stars.value);
      void inspectionApi
        .decide(f.id, b)
        .then(() => load())
        .catch((err) => showFormError(form, slot, err));
    });
    return form;
  }

  await load();
}
