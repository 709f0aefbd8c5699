// Kiểm tra, giám sát (Notice 752-TB/TU §2.5; docs/inspection.md): the year's inspection
// plan drawn from risk and at random (year, share, risk share, seed), saved plans with
// their entries, each score's parts and the inspector assigned, the risk weights the
// province sets, and the registry-quality summary (LPIS QA).
import { h, replace } from '../../lib/dom';
import { link, navigate, type Route } from '../../lib/router';
import { can } from '../../lib/session';
import { dataTable, type Column } from '../../lib/list';
import { badge, clearFieldErrors, errorBox, field, loading, notice, select, showFormError } from '../../lib/ui';
import { fmtNumber, fmtPercent, parseNumber, t, type MessageKey } from '../../i18n';
import { inspectionApi, type PlanEntry, type PlanSummary, type Quality, type ScorePart, type Weight } from '../../lib/inspection';

const thisYear = (): number => new Date().getFullYear();

function partLabel(part: string): string {
  return t(`inspection.part.${part}` as MessageKey);
}
function kindLabel(kind: string): string {
  return t(`inspection.kind.${kind}` as MessageKey);
}

/** The parts of a score: those that count, with weight × value = points; all of them on demand. */
export function partsNode(parts: ScorePart[]): HTMLElement {
  const line = (p: ScorePart): HTMLElement =>
    h('li', { 'data-part': p.part }, `${partLabel(p.part)}: ${fmtNumber(p.weight)} × ${fmtNumber(p.value)} = ${fmtNumber(p.points)}`);
  const counting = parts.filter((p) => p.points !== 0);
  return h(
    'details',
    { class: 'score-parts' },
    h('summary', null, counting.length ? counting.map((p) => `${partLabel(p.part)} ${fmtNumber(p.points)}`).join(' · ') : t('inspection.no_parts')),
    h('ul', { class: 'small' }, ...parts.map(line)),
  );
}

function reasonBadge(reason: string): HTMLElement {
  return badge(reason === 'risk' ? t('inspection.reason.risk') : t('inspection.reason.random'), reason === 'risk' ? 'warn' : 'neutral');
}

function entryTable(items: PlanEntry[]): HTMLElement {
  const cols: Column<PlanEntry>[] = [
    { label: t('inspection.applicant'), title: true, cell: (e) => h('span', { class: 'mono' }, e.applicant) },
    { label: t('inspection.reason'), cell: (e) => reasonBadge(e.reason) },
    { label: t('inspection.score'), class: 'num', cell: (e) => fmtNumber(e.score) },
    { label: t('inspection.parts'), cell: (e) => partsNode(e.parts) },
    { label: t('inspection.commune'), cell: (e) => e.commune || t('inspection.province_record') },
    { label: t('inspection.inspector'), cell: (e) => e.inspector || h('span', { class: 'muted' }, t('inspection.unassigned')) },
  ];
  return dataTable(cols, items, { testId: 'plan-entries', row: (e) => ({ 'data-applicant': e.applicant, 'data-reason': e.reason }) });
}

export async function renderInspections(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('inspection.title')} · nongsan`;
  const year = Number(route.query.get('year')) || thisYear() - 1;
  const planner = can('inspection.plan');
  const sections: HTMLElement[] = [];

  // ---- the plan: preview and creation ----
  if (planner) {
    const yearIn = h('input', { type: 'number', name: 'year', value: String(year), min: '1945', max: '2100', inputmode: 'numeric' });
    const shareIn = h('input', { type: 'text', name: 'share', value: '5', inputmode: 'decimal' });
    const riskIn = h('input', { type: 'text', name: 'risk_share', value: '0,5', inputmode: 'decimal' });
    const seedIn = h('input', { type: 'number', name: 'seed', value: '1', min: '0', inputmode: 'numeric' });
    const slot = h('div', { class: 'form-alert' });
    const result = h('div', { 'aria-live': 'polite', 'data-testid': 'plan-preview' });
    const previewBtn = h('button', { type: 'submit', class: 'btn', 'data-testid': 'preview-plan' }, t('inspection.preview'));
    const saveBtn = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'save-plan' }, t('inspection.save_plan'));
    const form = h(
      'form',
      { class: 'form-grid', novalidate: true, 'data-testid': 'plan-form' },
      field(t('inspection.year'), yearIn, { name: 'year', required: true }),
      field(t('inspection.share'), shareIn, { name: 'share', required: true, hint: t('inspection.share_hint') }),
      field(t('inspection.risk_share'), riskIn, { name: 'risk_share', required: true, hint: t('inspection.risk_share_hint') }),
      field(t('inspection.seed'), seedIn, { name: 'seed', required: true, hint: t('inspection.seed_hint') }),
      slot,
      h('div', { class: 'form-actions' }, previewBtn, saveBtn),
    );
    const values = (): { year: number; share: number; risk_share: number; seed: number } => ({
      year: Number(yearIn.value),
      share: parseNumber(shareIn.value) ?? Number.NaN,
      risk_share: parseNumber(riskIn.value) ?? Number.NaN,
      seed: Number(seedIn.value),
    });
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      replace(result, loading());
      inspectionApi
        .preview(values())
        .then((p) => {
          replace(
            result,
            h('p', { class: 'small', 'data-testid': 'preview-count' }, t('inspection.preview_count', { n: p.items.length, population: p.population, year: p.year })),
            entryTable(p.items),
          );
        })
        .catch((err) => {
          replace(result);
          showFormError(form, slot, err);
        });
    });
    saveBtn.addEventListener('click', () => {
      clearFieldErrors(form);
      inspectionApi
        .create(values())
        .then((p) => navigate(`/inspections/plans/${encodeURIComponent(p.code)}`))
        .catch((err) => showFormError(form, slot, err));
    });
    sections.push(h('section', { class: 'card' }, h('h2', null, t('inspection.new_plan')), h('p', { class: 'small muted' }, t('inspection.rule')), form, result));
  }

  // ---- saved plans ----
  const plansBox = h('div', { 'data-testid': 'plans' }, loading());
  sections.push(h('section', { class: 'card' }, h('h2', null, t('inspection.plans')), plansBox));
  inspectionApi
    .plans()
    .then((r) => {
      if (!r.items.length) return replace(plansBox, h('p', { class: 'empty' }, t('inspection.no_plans')));
      const cols: Column<PlanSummary>[] = [
        { label: t('inspection.code'), title: true, cell: (p) => link(`/inspections/plans/${encodeURIComponent(p.code)}`, { class: 'mono' }, p.code) },
        { label: t('inspection.year'), class: 'num', cell: (p) => String(p.year) },
        { label: t('inspection.entries'), class: 'num', cell: (p) => `${p.entries} / ${p.population}` },
        { label: t('inspection.assigned'), class: 'num', cell: (p) => String(p.assigned) },
        { label: t('inspection.share'), class: 'num hide-sm', cell: (p) => `${fmtNumber(p.share_pct)} %` },
        { label: t('inspection.seed'), class: 'num hide-sm', cell: (p) => p.seed },
        { label: '', cell: (p) => (p.illustrative ? badge(t('inspection.illustrative'), 'info') : '') },
      ];
      replace(plansBox, dataTable(cols, r.items, { row: (p) => ({ 'data-code': p.code }) }));
    })
    .catch((err) => replace(plansBox, errorBox(err)));

  // ---- registry quality ----
  const qYear = select('quality_year', [0, 1, 2, 3].map((d) => ({ value: String(thisYear() - d), label: String(thisYear() - d) })), String(thisYear() - 1));
  const qBox = h('div', { 'data-testid': 'quality', 'aria-live': 'polite' });
  const loadQuality = (): void => {
    replace(qBox, loading());
    inspectionApi
      .quality(Number(qYear.value))
      .then((q) => replace(qBox, qualityNode(q)))
      .catch((err) => replace(qBox, errorBox(err)));
  };
  qYear.addEventListener('change', loadQuality);
  sections.push(h('section', { class: 'card' }, h('h2', null, t('inspection.quality')), h('p', { class: 'small muted' }, t('inspection.quality_rule')), field(t('inspection.year'), qYear, { name: 'quality_year' }), qBox));
  loadQuality();

  // ---- weights ----
  const wBox = h('div', { 'data-testid': 'weights' }, loading());
  sections.push(h('section', { class: 'card' }, h('h2', null, t('inspection.weights')), h('p', { class: 'small muted' }, t('inspection.weights_intro')), wBox));
  inspectionApi
    .weights()
    .then((r) => replace(wBox, weightsNode(r.items, planner)))
    .catch((err) => replace(wBox, errorBox(err)));

  replace(root, h('div', { class: 'page' }, h('h1', null, t('inspection.title')), h('p', { class: 'lead' }, t('inspection.intro')), ...sections));
}

function qualityNode(q: Quality): HTMLElement {
  if (!q.sampled) return h('p', { class: 'empty', 'data-testid': 'quality-empty' }, t('inspection.quality_none', { year: q.year }));
  const m2 = (v: number | null): string => (v === null ? '—' : `${fmtNumber(v, 1)} m²`);
  const pct = (v: number | null): string => (v === null ? '—' : `${fmtNumber(v, 2)} %`);
  const tile = (label: string, value: string, test: string): HTMLElement =>
    h('div', { class: 'tile', 'data-testid': test }, h('div', { class: 'tile-label' }, label), h('div', { class: 'tile-value' }, value));
  const cols: Column<Quality['parcels'][number]>[] = [
    { label: t('inspection.parcel'), title: true, cell: (p) => h('span', { class: 'mono' }, p.parcel) },
    { label: t('inspection.registered'), class: 'num', cell: (p) => m2(p.registered_area_m2) },
    { label: t('inspection.measured'), class: 'num', cell: (p) => (p.illustrative ? [m2(p.measured_area_m2), ' ', badge(t('inspection.illustrative'), 'info')] : m2(p.measured_area_m2)) },
    { label: t('inspection.tolerance'), class: 'num hide-sm', cell: (p) => m2(p.tolerance_m2) },
    { label: '', cell: (p) => (p.within === null ? '' : p.within ? badge(t('inspection.within'), 'ok') : badge(t('inspection.outside'), 'warn')) },
  ];
  return h(
    'div',
    null,
    h(
      'div',
      { class: 'tiles tiles-4' },
      tile(t('inspection.q.measured'), `${q.measured} / ${q.sampled}`, 'q-measured'),
      tile(t('inspection.q.within'), fmtPercent(q.share_within), 'q-within'),
      tile(t('inspection.q.bias'), `${m2(q.mean_bias_m2)} (${pct(q.bias_pct)})`, 'q-bias'),
      tile(t('inspection.q.ci'), q.ci_low_m2 === null ? '—' : `${m2(q.ci_low_m2)} … ${m2(q.ci_high_m2)}`, 'q-ci'),
    ),
    q.illustrative ? h('p', { class: 'alert alert-info small', 'data-testid': 'quality-illustrative' }, t('inspection.q.illustrative')) : '',
    h('p', { class: 'small muted' }, t('inspection.q.settings', { buffer: fmtNumber(q.settings.buffer_m), cap: fmtNumber(q.settings.max_tolerance_m2, 0) })),
    dataTable(cols, q.parcels, { class: 'table-compact', testId: 'quality-parcels' }),
  );
}

function weightsNode(items: Weight[], editable: boolean): HTMLElement {
  const inputs = new Map<string, HTMLInputElement>();
  const kinds = [...new Set(items.map((w) => w.subject_kind))];
  const form = h('form', { class: 'weights-form', novalidate: true, 'data-testid': 'weights-form' });
  const slot = h('div', { class: 'form-alert' });
  for (const kind of kinds) {
    const rows = items.filter((w) => w.subject_kind === kind);
    const cols: Column<Weight>[] = [
      { label: t('inspection.part'), title: true, cell: (w) => partLabel(w.part) },
      {
        label: t('inspection.weight'),
        class: 'num',
        cell: (w) => {
          if (!editable) return fmtNumber(w.weight);
          const input = h('input', { type: 'text', name: `${w.subject_kind}.${w.part}`, value: fmtNumber(w.weight), inputmode: 'decimal', 'aria-label': `${kindLabel(kind)} · ${partLabel(w.part)}`, size: 5 });
          inputs.set(`${w.subject_kind}|${w.part}`, input);
          return input;
        },
      },
      { label: t('inspection.default'), class: 'num hide-sm', cell: (w) => fmtNumber(w.default) },
      { label: t('inspection.updated_by'), class: 'hide-sm', cell: (w) => w.updated_by || '—' },
    ];
    form.append(h('h3', null, kindLabel(kind)), dataTable(cols, rows, { class: 'table-compact', row: (w) => ({ 'data-part': `${w.subject_kind}.${w.part}` }) }));
  }
  if (editable) {
    const flash = h('div', { class: 'flash', 'aria-live': 'polite' });
    form.append(slot, h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'save-weights' }, t('common.save'))), flash);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      const body = [...inputs.entries()].map(([k, input]) => {
        const [subject_kind, part] = k.split('|');
        return { subject_kind, part, weight: parseNumber(input.value) ?? Number.NaN };
      });
      inspectionApi
        .setWeights(body)
        .then(() => replace(flash, notice(t('inspection.weights_saved'), 'ok')))
        .catch((err) => showFormError(form, slot, err));
    });
  }
  return form;
}

export async function renderPlan(root: HTMLElement, route: Route): Promise<void> {
  const code = route.params.code ?? '';
  document.title = `${code} · ${t('inspection.title')} · nongsan`;
  replace(root, loading());
  try {
    const p = await inspectionApi.plan(code);
    replace(
      root,
      h(
        'div',
        { class: 'page' },
        h('p', null, link('/inspections', null, `← ${t('inspection.title')}`)),
        h('h1', null, `${t('inspection.plan')} ${p.code}`, p.illustrative ? [' ', badge(t('inspection.illustrative'), 'info')] : ''),
        h('p', { class: 'small', 'data-testid': 'plan-summary' }, t('inspection.plan_summary', { year: p.year, n: p.entries, population: p.population, share: fmtNumber(p.share_pct), risk: fmtNumber(p.risk_share), seed: p.seed, assigned: p.assigned })),
        p.items.length ? entryTable(p.items) : h('p', { class: 'empty' }, t('inspection.no_entries')),
      ),
    );
  } catch (err) {
    replace(root, errorBox(err));
  }
}
