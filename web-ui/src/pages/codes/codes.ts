// Mã số vùng trồng và cơ sở đóng gói — the code register (docs/area-codes.md). Pages:
//   /codes          the register: a list with filters (status, kind, crop, commune, text),
//                   or the register on the map (the codes' parcels coloured by status);
//   /codes/:id      a code: its parcels on the map, seasons, life cycle with decisions,
//                   findings with the entries behind them, and the officer's actions
//                   (shown only to roles that may decide, and only the steps open to it).
// All data from /api/v1/codes…; findings are worded here from their names, the server's
// English detail is shown beside as the figures behind them. Loaded on demand (MapLibre).
import { addGeoJSON, boundsOf, createMap, fit, legendRow, onFeatureClick, type BaseMap } from '../../lib/map';
import { api, type Page, type UnitRef } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, setQuery, type Route } from '../../lib/router';
import { can } from '../../lib/session';
import { badge, clearFieldErrors, dateInput, errorBox, field, loading, notice, select, showFormError } from '../../lib/ui';
import { dataTable, filterForm, listView, searchInput, type Column } from '../../lib/list';
import { loadCommunes, type Geometry } from '../../lib/registry';
import { fmtDate, fmtNumber, t, todayIso, type MessageKey } from '../../i18n';
import './codes.css';

export type CodeStatus = 'applied' | 'issued' | 'suspended' | 'cancelled' | 'refused';
const STATUSES: CodeStatus[] = ['applied', 'issued', 'suspended', 'cancelled', 'refused'];
const KINDS = ['area', 'packing_house'] as const;
const FINDINGS = ['below_minimum', 'area_mismatch', 'diary_gap', 'banned_use', 'over_shipped'];
const ACTIONS = ['issue', 'refuse', 'suspend', 'confirm', 'reinstate', 'cancel'];

/** Colours of the statuses on the map and in the legend. */
export const STATUS_COLOR: Record<CodeStatus, string> = {
  applied: '#1e88e5',
  issued: '#2e7d32',
  suspended: '#ef6c00',
  cancelled: '#8d6e63',
  refused: '#9e9e9e',
};

export interface AreaCode {
  id: number;
  code: string | null;
  kind: 'area' | 'packing_house';
  scheme: string;
  holder: { id: number; external_id: string; name: string; kind: string };
  unit: UnitRef | null;
  crop: string;
  crop_name_vi: string;
  standard: string;
  facility: string;
  address: string;
  capacity_t_per_day: number | null;
  status: CodeStatus;
  applied: string;
  issued: string | null;
  pending_review: boolean;
  parcels: string[];
}

interface Season {
  season: string;
  crop: string;
  variety: string;
  standard: string;
  area_ha: number;
  expected_kg: number;
  harvest_from: string;
  harvest_to: string;
  actual_kg: number | null;
}

interface Step {
  action: string;
  from_status: string;
  to_status: string;
  reason: string;
  decision_no: string;
  decision_date: string | null;
  by_system: boolean;
  actor: string;
  at: string;
}

export interface CodeFinding {
  finding: string;
  code: string;
  season: string;
  detail: string;
  serious: boolean;
  entries?: string[];
}

interface CodeDetail extends AreaCode {
  registry_area_ha: number;
  minimum_ha: number | null;
  seasons: Season[];
  steps: Step[];
  findings: CodeFinding[];
  actions: string[];
  parcel_map: { type: 'FeatureCollection'; features: { geometry: Geometry; properties: Record<string, unknown> }[] };
}

interface Crop {
  code: string;
  name_vi: string;
}

const statusLabel = (s: string): string => (STATUSES.includes(s as CodeStatus) ? t(`codes.status.${s}` as MessageKey) : s);
const kindLabel = (k: string): string => ((KINDS as readonly string[]).includes(k) ? t(`codes.kind.${k}` as MessageKey) : k);
const findingLabel = (f: string): string => (FINDINGS.includes(f) ? t(`codes.finding.${f}` as MessageKey) : f);
const actionLabel = (a: string): string => (ACTIONS.includes(a) ? t(`codes.action.${a}` as MessageKey) : a);

export function statusBadge(c: { status: string; pending_review?: boolean }): HTMLElement {
  const kind = c.status === 'issued' ? 'ok' : c.status === 'suspended' ? 'warn' : c.status === 'applied' ? 'info' : 'muted';
  const b = badge(statusLabel(c.status), kind);
  b.dataset.status = c.status;
  if (c.pending_review) {
    const wrap = h('span', { class: 'code-status' }, b, ' ', badge(t('codes.pending_review'), 'warn'));
    return wrap;
  }
  return b;
}

function tabs(active: 'list' | 'map'): HTMLElement {
  const items: ['list' | 'map', string, MessageKey][] = [
    ['list', '/codes', 'codes.tab.list'],
    ['map', '/codes?view=map', 'codes.tab.map'],
  ];
  return h(
    'nav',
    { class: 'tabs', 'aria-label': t('nav.codes') },
    ...items.map(([id, href, key]) => link(href, { class: id === active ? 'tab active' : 'tab', ...(id === active ? { 'aria-current': 'page' } : {}), 'data-tab': id }, t(key))),
  );
}

interface Filters {
  status: string;
  kind: string;
  crop: string;
  commune: string;
  q: string;
}

function readFilters(q: URLSearchParams): Filters {
  return { status: q.get('status') ?? '', kind: q.get('kind') ?? '', crop: q.get('crop') ?? '', commune: q.get('commune') ?? '', q: q.get('q') ?? '' };
}

function apiQuery(f: Filters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v) out[k] = v;
  return out;
}

/** The filter bar; `changed` runs after the URL holds the new filters. */
function filterBar(f: Filters, view: 'list' | 'map', changed: () => void): HTMLFormElement {
  const all = { value: '', label: t('common.all') };
  const status = select('status', [all, ...STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))], f.status);
  const kind = select('kind', [all, ...KINDS.map((k) => ({ value: k, label: kindLabel(k) }))], f.kind);
  const crop = select('crop', [all], f.crop);
  const commune = select('commune', [all], f.commune);
  const q = searchInput('q', f.q, t('codes.search_placeholder'), (v) => set('q', v));
  function set(key: keyof Filters, v: string): void {
    f[key] = v;
    // setQuery writes the whole query: every filter, and the view (page 1 again).
    setQuery({ ...(view === 'map' ? { view: 'map' } : {}), ...apiQuery(f) });
    changed();
  }
  for (const [el, key] of [[status, 'status'], [kind, 'kind'], [crop, 'crop'], [commune, 'commune']] as [HTMLSelectElement, keyof Filters][])
    el.addEventListener('change', () => set(key, el.value));
  void api.get<Crop[]>('/api/v1/codes/crops').then((crops) => {
    for (const c of crops) crop.append(h('option', { value: c.code }, c.name_vi));
    crop.value = f.crop;
  }).catch(() => undefined);
  void loadCommunes().then((units) => {
    for (const u of units) commune.append(h('option', { value: String(u.id) }, u.name));
    commune.value = f.commune;
  }).catch(() => undefined);
  return filterForm(
    [t('codes.filter.status'), status, 'status'],
    [t('codes.filter.kind'), kind, 'kind'],
    [t('codes.filter.crop'), crop, 'crop'],
    [t('codes.filter.commune'), commune, 'commune'],
    [t('codes.filter.q'), q, 'q'],
  );
}

// ---- the register --------------------------------------------------------------------

export function renderCodes(root: HTMLElement, route: Route): (() => void) | void {
  document.title = `${t('codes.title')} · nongsan`;
  const view = route.query.get('view') === 'map' ? 'map' : 'list';
  const f = readFilters(route.query);
  const head = h('div', { class: 'page-head' }, h('h1', null, t('codes.title')), can('codes.manage') ? checkButton() : '');
  const intro = h('p', { class: 'muted' }, t('codes.intro'));
  if (view === 'map') return renderRegisterMap(root, f, head, intro);
  const columns: Column<AreaCode>[] = [
    { label: t('codes.col.code'), cell: (c) => link(`/codes/${c.id}`, { 'data-testid': 'code-link' }, c.code ?? t('codes.no_code_yet')), class: 'mono' },
    { label: t('codes.col.kind'), cell: (c) => kindLabel(c.kind), class: 'hide-sm' },
    { label: t('codes.col.holder'), cell: (c) => (c.kind === 'packing_house' && c.facility ? `${c.facility} — ${c.holder.name}` : c.holder.name) },
    { label: t('codes.col.crop'), cell: (c) => c.crop_name_vi || c.crop },
    { label: t('codes.col.commune'), cell: (c) => c.unit?.name ?? '—', class: 'hide-sm' },
    { label: t('codes.col.status'), cell: (c) => statusBadge(c) },
    { label: t('codes.col.issued'), cell: (c) => (c.issued ? fmtDate(c.issued) : '—'), class: 'hide-sm' },
  ];
  const list = listView<AreaCode>({
    pageSize: 50,
    page: Number(route.query.get('page') ?? 1),
    fetch: ({ page, page_size }) => api.get<Page<AreaCode>>('/api/v1/codes', { ...apiQuery(f), page, page_size }),
    syncUrl: (page) => setQuery({ ...apiQuery(f), page: page > 1 ? page : null }),
    render: (p) => [h('p', { class: 'muted', 'data-testid': 'codes-total' }, t('codes.total', { n: p.total })), dataTable(columns, p.items, { testId: 'codes-table', row: (c) => ({ 'data-code': c.code ?? '', 'data-status': c.status }) })],
    empty: () => t('codes.empty'),
  });
  replace(root, head, intro, tabs('list'), filterBar(f, 'list', () => void list.reload(true)), list.el);
  void list.reload();
}

/** The province's check (codes.manage): runs code health; serious findings suspend codes. */
function checkButton(): HTMLElement {
  const out = h('div', { class: 'codes-check', 'data-testid': 'codes-check-result' });
  const b = h('button', { type: 'button', class: 'btn', 'data-testid': 'codes-check' }, t('codes.check'));
  b.addEventListener('click', async () => {
    b.disabled = true;
    replace(out, loading());
    try {
      const r = await api.post<{ findings: CodeFinding[]; suspended: string[] }>('/api/v1/codes/check');
      replace(out, notice(t('codes.check_done', { n: r.findings.length, s: r.suspended.length }), r.suspended.length ? 'warn' : 'ok'));
    } catch (err) {
      replace(out, errorBox(err));
    } finally {
      b.disabled = false;
    }
  });
  return h('div', { class: 'codes-check-wrap' }, b, out);
}

function legend(): HTMLElement {
  return h(
    'div',
    { class: 'map-legend', 'data-testid': 'codes-legend' },
    h('div', { class: 'legend-title' }, t('codes.legend')),
    ...STATUSES.filter((s) => s !== 'refused').map((s) => legendRow(STATUS_COLOR[s], statusLabel(s), undefined, { 'data-status': s })),
  );
}

function statusPaint(): unknown {
  return ['match', ['get', 'status'], ...STATUSES.flatMap((s) => [s, STATUS_COLOR[s]]), '#999'];
}

function renderRegisterMap(root: HTMLElement, f: Filters, head: HTMLElement, intro: HTMLElement): () => void {
  const mapEl = h('div', { class: 'map-canvas', 'data-testid': 'codes-map' });
  const status = h('div', { class: 'codes-map-status', 'aria-live': 'polite', 'data-testid': 'codes-map-status' });
  const panel = h('div', { class: 'codes-map-panel', 'data-testid': 'codes-map-panel' });
  let base: BaseMap | null = null;
  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    replace(status, t('common.loading'));
    try {
      const fc = await api.get<{ type: string; features: { geometry: Geometry; properties: Record<string, unknown> }[] }>('/api/v1/codes/map', apiQuery(f));
      if (mine !== seq || !base) return;
      await base.loaded;
      (base.map.getSource('codes') as unknown as { setData(d: unknown): void } | undefined)?.setData(fc);
      const codes = new Set(fc.features.map((x) => String(x.properties.id)));
      replace(status, t('codes.map_count', { n: codes.size, p: fc.features.length }));
      status.dataset.features = String(fc.features.length);
      fit(base.map, boundsOf(fc.features.map((x) => x.geometry)), 40, 16);
    } catch (err) {
      if (mine === seq) replace(status, errorBox(err));
    }
  }
  replace(
    root,
    head,
    intro,
    tabs('map'),
    filterBar(f, 'map', () => void load()),
    h('div', { class: 'codes-map-area' }, h('div', { class: 'map-wrap' }, mapEl, legend()), panel),
    status,
  );
  base = createMap(mapEl, { handle: 'nongsanCodesMap', cooperative: true, fallback: link('/codes', null, t('codes.tab.list')) });
  if (base) {
    const m = base.map;
    void base.loaded.then(() => {
      addGeoJSON(m, 'codes');
      m.addLayer({ id: 'codes-fill', type: 'fill', source: 'codes', paint: { 'fill-color': statusPaint() as never, 'fill-opacity': 0.7 } });
      m.addLayer({ id: 'codes-line', type: 'line', source: 'codes', paint: { 'line-color': '#1b1b1b', 'line-width': 1 } });
      onFeatureClick(m, ['codes-fill'], (_l, feat) => {
        const p = feat.properties;
        replace(
          panel,
          h('div', { class: 'card', 'data-testid': 'codes-map-card' },
            h('div', { class: 'mono' }, link(`/codes/${p.id}`, null, String(p.code ?? t('codes.no_code_yet')))),
            h('div', null, statusBadge({ status: String(p.status) })),
            h('div', { class: 'muted' }, t('codes.parcel'), ': ', String(p.parcel ?? '')),
          ),
        );
      });
      void load();
    });
  }
  return () => base?.destroy();
}

// ---- a code --------------------------------------------------------------------------

function facts(c: CodeDetail): HTMLElement {
  const rows: [string, Node | string][] = [
    [t('codes.col.kind'), kindLabel(c.kind)],
    [t('codes.col.holder'), c.holder.name + (c.holder.external_id ? ` (${c.holder.external_id})` : '')],
    [t('codes.col.crop'), c.crop_name_vi || c.crop],
    [t('codes.standard'), c.standard || '—'],
    [t('codes.col.commune'), c.unit?.name ?? '—'],
    [t('codes.scheme'), t(c.scheme === 'export' ? 'codes.scheme.export' : 'codes.scheme.domestic')],
    [t('codes.applied'), fmtDate(c.applied)],
    [t('codes.col.issued'), c.issued ? fmtDate(c.issued) : '—'],
  ];
  if (c.kind === 'area') {
    rows.push([t('codes.registry_area'), `${fmtNumber(c.registry_area_ha, 2)} ha`]);
    if (c.minimum_ha !== null) rows.push([t('codes.minimum'), `${fmtNumber(c.minimum_ha, 2)} ha`]);
    rows.push([t('codes.parcels'), c.parcels.join(', ') || '—']);
  } else {
    rows.push([t('codes.facility'), c.facility || '—'], [t('codes.address'), c.address || '—']);
    if (c.capacity_t_per_day !== null) rows.push([t('codes.capacity'), `${fmtNumber(c.capacity_t_per_day, 1)} t/ngày`]);
  }
  return h('dl', { class: 'facts', 'data-testid': 'code-facts' }, ...rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

function findingsCard(c: CodeDetail): HTMLElement {
  const body =
    c.findings.length === 0
      ? notice(t('codes.no_findings'), 'ok')
      : h(
          'ul',
          { class: 'code-findings', 'data-testid': 'code-findings' },
          ...c.findings.map((f) =>
            h(
              'li',
              { 'data-finding': f.finding },
              badge(findingLabel(f.finding), f.serious ? 'warn' : 'neutral'),
              f.serious ? h('span', null, ' ', badge(t('codes.serious'), 'warn')) : '',
              f.season ? h('span', null, ' ', t('codes.season_of', { s: f.season })) : '',
              h('div', { class: 'muted' }, t(`codes.explain.${f.finding}` as MessageKey)),
              h('div', { class: 'finding-detail mono' }, f.detail),
              f.entries && f.entries.length
                ? h(
                    'div',
                    { class: 'finding-entries', 'data-testid': 'finding-entries' },
                    t('codes.entries_behind'),
                    ': ',
                    ...f.entries.flatMap((e, i) => [i ? ', ' : '', e.startsWith('ni:') ? h('code', { title: e }, e.slice(0, 28) + '…') : h('code', null, e)]),
                    !f.entries.every((e) => e.startsWith('ni:')) && can('diary.read') ? h('span', null, ' · ', link('/diary/findings', null, t('codes.open_diary'))) : '',
                  )
                : '',
            ),
          ),
        );
  return h('section', { class: 'card' }, h('h2', null, t('codes.findings')), body);
}

function seasonsCard(c: CodeDetail): HTMLElement {
  const cols: Column<Season>[] = [
    { label: t('codes.season'), cell: (s) => s.season },
    { label: t('codes.variety'), cell: (s) => s.variety || '—', class: 'hide-sm' },
    { label: t('codes.declared_area'), cell: (s) => fmtNumber(s.area_ha, 2), class: 'num' },
    { label: t('codes.expected_kg'), cell: (s) => fmtNumber(s.expected_kg, 0), class: 'num' },
    { label: t('codes.actual_kg'), cell: (s) => (s.actual_kg === null ? '—' : fmtNumber(s.actual_kg, 0)), class: 'num' },
    { label: t('codes.harvest_window'), cell: (s) => `${fmtDate(s.harvest_from)} – ${fmtDate(s.harvest_to)}` },
  ];
  return h('section', { class: 'card' }, h('h2', null, t('codes.seasons')), c.seasons.length ? dataTable(cols, c.seasons, { testId: 'code-seasons' }) : h('p', { class: 'muted' }, t('codes.no_seasons')));
}

function stepsCard(c: CodeDetail): HTMLElement {
  const cols: Column<Step>[] = [
    { label: t('codes.step'), cell: (s) => actionLabel(s.action) },
    { label: t('codes.step_status'), cell: (s) => `${s.from_status ? statusLabel(s.from_status) : '—'} → ${statusLabel(s.to_status)}` },
    { label: t('codes.reason'), cell: (s) => s.reason },
    { label: t('codes.decision'), cell: (s) => [s.decision_no || '—', s.decision_date ? ` (${fmtDate(s.decision_date)})` : ''] },
    { label: t('codes.by'), cell: (s) => (s.by_system ? [badge(t('codes.by_system'), 'info'), ' ', s.actor] : s.actor), class: 'hide-sm' },
  ];
  return h('section', { class: 'card' }, h('h2', null, t('codes.lifecycle')), c.steps.length ? dataTable(cols, c.steps, { testId: 'code-steps' }) : h('p', { class: 'muted' }, '—'));
}

/** The officer's form: one of the steps open to the code, with reason and decision. */
function actionsCard(c: CodeDetail, reload: () => void): HTMLElement | '' {
  if (!can('codes.decide') || c.actions.length === 0) return '';
  const action = select('action', c.actions.map((a) => ({ value: a, label: actionLabel(a) })), c.actions[0], { required: true });
  const reason = h('textarea', { name: 'reason', rows: '2', required: true });
  const decisionNo = h('input', { name: 'decision_no', type: 'text', autocomplete: 'off' });
  const decisionDate = dateInput('decision_date', todayIso());
  const exportCode = h('input', { name: 'export_code', type: 'text', autocomplete: 'off', placeholder: 'VN-DTOR-0017' });
  const exportField = field(t('codes.export_code'), exportCode, { name: 'export_code', hint: t('codes.export_code_hint') });
  const slot = h('div');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'code-act' }, t('codes.act'));
  const sync = (): void => {
    exportField.hidden = action.value !== 'issue';
  };
  action.addEventListener('change', sync);
  sync();
  const form = h(
    'form',
    { class: 'form code-actions', 'data-testid': 'code-actions', novalidate: true },
    field(t('codes.action'), action, { name: 'action', required: true }),
    field(t('codes.reason'), reason, { name: 'reason', required: true }),
    field(t('codes.decision_no'), decisionNo, { name: 'decision_no' }),
    field(t('codes.decision_date'), decisionDate.el, { name: 'decision_date' }),
    exportField,
    slot,
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    replace(slot);
    const body: Record<string, string> = { action: action.value, reason: reason.value.trim(), decision_no: decisionNo.value.trim() };
    const date = decisionDate.value();
    if (date) body.decision_date = date;
    if (action.value === 'issue' && exportCode.value.trim()) body.export_code = exportCode.value.trim();
    submit.disabled = true;
    try {
      await api.post(`/api/v1/codes/${c.id}/steps`, body);
      reload();
    } catch (err) {
      showFormError(form, slot, err);
    } finally {
      submit.disabled = false;
    }
  });
  return h('section', { class: 'card' }, h('h2', null, t('codes.actions')), form);
}

export async function renderCode(root: HTMLElement, route: Route): Promise<() => void> {
  let base: BaseMap | null = null;
  const id = Number(route.params.id);
  async function draw(): Promise<void> {
    base?.destroy();
    base = null;
    replace(root, loading());
    let c: CodeDetail;
    try {
      c = await api.get<CodeDetail>(`/api/v1/codes/${id}`);
    } catch (err) {
      replace(root, link('/codes', null, '← ', t('codes.title')), errorBox(err));
      return;
    }
    document.title = `${c.code ?? t('codes.no_code_yet')} · nongsan`;
    const mapEl = h('div', { class: 'map-canvas', 'data-testid': 'code-map' });
    replace(
      root,
      h('p', null, link('/codes', null, '← ', t('codes.title'))),
      h('div', { class: 'page-head' }, h('h1', { class: 'mono', 'data-testid': 'code-title' }, c.code ?? t('codes.no_code_yet')), statusBadge(c)),
      h('div', { class: 'code-grid' },
        h('section', { class: 'card' }, facts(c)),
        c.parcel_map.features.length ? h('section', { class: 'card code-map-card' }, h('div', { class: 'code-map' }, mapEl, legend())) : '',
      ),
      findingsCard(c),
      actionsCard(c, () => void draw()),
      seasonsCard(c),
      stepsCard(c),
    );
    if (c.parcel_map.features.length) {
      const features = c.parcel_map.features.map((x) => ({ ...x, type: 'Feature', properties: { ...x.properties, status: c.status } }));
      base = createMap(mapEl, { cooperative: true, handle: 'nongsanCodeMap', bounds: boundsOf(features.map((x) => x.geometry)) ?? undefined });
      const b = base;
      if (b)
        void b.loaded.then(() => {
          addGeoJSON(b.map, 'code', { type: 'FeatureCollection', features });
          b.map.addLayer({ id: 'code-fill', type: 'fill', source: 'code', paint: { 'fill-color': statusPaint() as never, 'fill-opacity': 0.7 } });
          b.map.addLayer({ id: 'code-line', type: 'line', source: 'code', paint: { 'line-color': '#1b1b1b', 'line-width': 1.5 } });
          fit(b.map, boundsOf(features.map((x) => x.geometry)), 30, 17);
        });
    }
  }
  await draw();
  return () => base?.destroy();
}
