// Chuỗi liên kết: the linkage contracts with the year's fulfilment per party and the
// warnings (behind, side-selling, non-purchase), a contract with its deliveries and its
// chain drawn as a diagram (land → households → cooperatives → lead → processor →
// buyers) and on a small map, and the processing facilities with their capacity against
// the zones' expected output. Rules: docs/chains.md; routes: api/handlers/chain_handlers.cpp.
import { h, replace } from '../../lib/dom';
import { api, request } from '../../lib/api';
import { link, navigate, setQuery, type Route } from '../../lib/router';
import { dataTable, type Column } from '../../lib/list';
import { badge, clearFieldErrors, errorBox, field, loading, notice, select, showFormError } from '../../lib/ui';
import { can } from '../../lib/session';
import { fmtDate, fmtNumber, parseNumber, t, todayIso, type MessageKey } from '../../i18n';
import { contractForm, facilityForm, investmentForm, type ContractInput } from './forms';
import { documentsSection } from './documents';
import './chains.css';

interface Party { id: number; external_id: string; name: string; kind: string }
interface Contract {
  id: number; code: string; lead: Party; commodity: string; start: string; end: string; committed_kg: number;
  quality: string; price_mechanism: string; price_note: string; inputs_services: string; documents: string[];
  illustrative: boolean; participants: Party[]; parcel_ids: number[]; zone_ids: number[];
}
interface LinkageRate { commodity: string; delivered_kg: number; harvested_kg: number; linkage_rate_pct: number | null; participants: number }
interface ContractItem extends Contract { year_committed_kg: number; year_delivered_kg: number; year_fulfilment_pct: number | null; warnings: number }
interface Warning { kind: 'behind' | 'side_selling' | 'non_purchase'; contract: string; party: string; expected_kg: number; delivered_kg: number; refused_kg: number }
interface PartyRow { participant: string; committed_kg: number; delivered_kg: number; fulfilment_pct: number | null; party: Party }
interface Delivery { id: number; date: string; participant: Party; quantity_kg: number; refused_kg: number; origin: string; epcis_event_id: string }
interface UnmatchedEvent { event_hash: string; event_id: string; event_time: string; contract: string; contract_id: number | null; participant: string; quantity_kg: number | null; reason: string; capture_id: string }
interface Investment { id: number; code: string; name: string; kind: string; status: string; investor: string; commodity: string; land_ha: number; raw_material_t: number; illustrative: boolean }
interface ContractDetail extends Contract {
  year: number; as_of: string; parties: PartyRow[]; warnings: Warning[]; deliveries: Delivery[];
  buyers: { id: number; name: string; market: string; country: string }[];
  trade_events: { id: number; name: string; held_on: string; place: string; result: string }[];
}
interface ChainNode { id: string; layer: string; label: string; kind: string }
interface ChainView { nodes: ChainNode[]; edges: { from: string; to: string }[]; map: { features: { geometry: { type: string; coordinates: unknown }; properties: { kind: string; label: string } }[] } }
interface Facility {
  id: number; code: string; name: string; operator: Party | null; technology: string; certifications: string[];
  illustrative: boolean; capacities: { commodity: string; product: string; capacity_t_per_season: number }[]; zone_ids: number[];
}
interface SupplyRow { commodity: string; capacity_t: number; drawn_supply_t: number; zones_supply_t: number; balance_t: number; status: string; t_per_ha: number; yield_illustrative: boolean }

const COMMODITIES = ['tea', 'macadamia', 'passion_fruit', 'sweet_corn'];
const thisYear = (): number => Number(todayIso().slice(0, 4));
const kg = (v: number): string => fmtNumber(v, 2);
const pct = (v: number | null): string => (v === null ? '—' : `${fmtNumber(v, 1)} %`);
function commodityLabel(c: string): string {
  return COMMODITIES.includes(c) ? t(`chains.commodity.${c}` as MessageKey) : c;
}
function techLabel(s: string): string {
  return ['manual', 'semi_mechanised', 'automated'].includes(s) ? t(`chains.tech.${s}` as MessageKey) : s;
}
function warningLabel(w: Warning): string {
  return t(`chains.warning.${w.kind}` as MessageKey, { party: w.party, expected: kg(w.expected_kg), delivered: kg(w.delivered_kg), refused: kg(w.refused_kg) });
}
function fulfilmentBar(v: number | null): HTMLElement {
  const w = v === null ? 0 : Math.max(0, Math.min(100, v));
  const cls = v === null ? 'fb-none' : v < 80 ? 'fb-low' : v < 100 ? 'fb-mid' : 'fb-ok';
  return h('div', { class: `fulfilment-bar ${cls}`, role: 'img', 'aria-label': pct(v) }, h('div', { class: 'fb-fill', style: { width: `${w}%` } }));
}
function tabs(active: 'contracts' | 'facilities' | 'investments'): HTMLElement {
  return h(
    'nav',
    { class: 'tabs', 'aria-label': t('nav.chains') },
    link('/chains', { class: active === 'contracts' ? 'tab active' : 'tab', 'data-tab': 'contracts' }, t('chains.tab.contracts')),
    link('/chains/facilities', { class: active === 'facilities' ? 'tab active' : 'tab', 'data-tab': 'facilities' }, t('chains.tab.facilities')),
    link('/chains/investments', { class: active === 'investments' ? 'tab active' : 'tab', 'data-tab': 'investments' }, t('chains.tab.investments')),
  );
}
function yearSelect(year: number, onChange: (y: number) => void): HTMLSelectElement {
  const years: { value: string; label: string }[] = [];
  for (let y = thisYear() + 1; y >= 2021; y--) years.push({ value: String(y), label: String(y) });
  if (!years.some((o) => o.value === String(year))) years.push({ value: String(year), label: String(year) });
  const s = select('year', years, String(year));
  s.setAttribute('aria-label', t('chains.year'));
  s.addEventListener('change', () => onChange(Number(s.value)));
  return s;
}
const illustrativeNote = (): HTMLElement => h('p', { class: 'alert alert-info small', 'data-testid': 'illustrative' }, t('chains.illustrative'));

// ---- the contracts -------------------------------------------------------------------

export async function renderChains(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('nav.chains')} · nongsan`;
  let year = Number(route.query.get('year')) || thisYear();
  const body = h('div', { 'aria-live': 'polite', 'data-testid': 'contracts' });
  const yearSel = yearSelect(year, (y) => {
    year = y;
    setQuery({ year });
    void load();
  });
  const create = can('chains.write')
    ? h('details', { class: 'add-form card', 'data-testid': 'new-contract' }, h('summary', null, t('chains.form.new_contract')), contractForm(null, (id) => navigate(`/chains/contracts/${id}?year=${year}`)))
    : '';
  const unmatched = h('div', { 'data-testid': 'unmatched' });
  replace(root, h('h1', null, t('chains.title')), h('p', { class: 'lead' }, t('chains.intro')), tabs('contracts'), h('div', { class: 'toolbar' }, field(t('chains.year'), yearSel, { name: 'year' })), create, body, unmatched);
  // Events that named a contract and were not taken as deliveries (docs/chains.md
  // "Deliveries from EPCIS").
  void api.get<{ items: UnmatchedEvent[] }>('/api/v1/chains/epcis-unmatched').then((r) => {
    if (!r.items.length) return;
    const cols: Column<UnmatchedEvent>[] = [
      { label: t('chains.unmatched.time'), title: true, cell: (u) => (u.event_time ? fmtDate(u.event_time.slice(0, 10)) : '—') },
      { label: t('chains.contract'), cell: (u) => (u.contract_id ? link(`/chains/contracts/${u.contract_id}?year=${year}`, { class: 'mono' }, u.contract) : h('span', { class: 'mono' }, u.contract)) },
      { label: t('chains.participant'), cell: (u) => u.participant || '—' },
      { label: t('chains.quantity'), class: 'num', cell: (u) => (u.quantity_kg === null ? '—' : kg(u.quantity_kg)) },
      { label: t('chains.unmatched.reason'), cell: (u) => badge(t(`chains.unmatched.${u.reason}` as MessageKey), 'warn') },
      { label: t('chains.unmatched.event'), class: 'hide-sm', cell: (u) => h('span', { class: 'mono small', title: u.event_hash }, u.event_id || `${u.event_hash.slice(14, 26)}…`) },
    ];
    replace(unmatched, h('section', { class: 'card' }, h('h2', null, t('chains.unmatched.heading')), h('p', { class: 'muted small' }, t('chains.unmatched.intro')),
      dataTable(cols, r.items, { testId: 'unmatched-table', row: (u) => ({ 'data-reason': u.reason }) })));
  }).catch((err) => replace(unmatched, errorBox(err)));
  async function load(): Promise<void> {
    replace(body, loading());
    try {
      const [r, report] = await Promise.all([
        api.get<{ year: number; items: ContractItem[] }>('/api/v1/chains/contracts', { year }),
        api.get<{ rates: LinkageRate[] }>('/api/v1/chains/linkage', { year }),
      ]);
      if (!r.items.length) {
        replace(body, h('p', { class: 'empty', 'data-testid': 'contracts-empty' }, t('chains.none')));
        return;
      }
      const cols: Column<ContractItem>[] = [
        { label: t('chains.contract'), title: true, cell: (k) => link(`/chains/contracts/${k.id}?year=${year}`, { class: 'mono' }, k.code) },
        { label: t('chains.commodity'), cell: (k) => commodityLabel(k.commodity) },
        { label: t('chains.lead'), cell: (k) => k.lead.name },
        { label: t('chains.participants'), class: 'num', cell: (k) => String(k.participants.length) },
        { label: t('chains.period'), class: 'hide-sm', cell: (k) => `${fmtDate(k.start)} – ${fmtDate(k.end)}` },
        { label: t('chains.committed_year'), class: 'num', cell: (k) => kg(k.year_committed_kg) },
        { label: t('chains.delivered_year'), class: 'num', cell: (k) => kg(k.year_delivered_kg) },
        { label: t('chains.fulfilment'), cell: (k) => h('div', { class: 'fb-cell' }, fulfilmentBar(k.year_fulfilment_pct), h('span', { class: 'small' }, pct(k.year_fulfilment_pct))) },
        { label: t('chains.warnings'), class: 'num', cell: (k) => (k.warnings ? badge(String(k.warnings), 'warn', t('chains.warnings')) : '') },
      ];
      // The linkage rate per commodity: deliveries under contract ÷ the participants' diary
      // harvests of the year (docs/chains.md "Linkage rate").
      const rateCols: Column<LinkageRate>[] = [
        { label: t('chains.commodity'), title: true, cell: (x) => commodityLabel(x.commodity) },
        { label: t('chains.delivered_year'), class: 'num', cell: (x) => kg(x.delivered_kg) },
        { label: t('chains.harvested_year'), class: 'num', cell: (x) => kg(x.harvested_kg) },
        { label: t('chains.linkage_rate'), class: 'num', cell: (x) => (x.linkage_rate_pct === null ? t('chains.no_harvest') : pct(x.linkage_rate_pct)) },
      ];
      const rates = report.rates.length
        ? h('section', { class: 'card' }, h('h2', null, t('chains.rates_heading', { year })), h('p', { class: 'muted small' }, t('chains.rates_intro')),
            dataTable(rateCols, report.rates, { testId: 'rate-table', row: (x) => ({ 'data-commodity': x.commodity }) }))
        : '';
      replace(body, r.items.some((k) => k.illustrative) ? illustrativeNote() : '', dataTable(cols, r.items, { testId: 'contract-table', row: (k) => ({ 'data-code': k.code }) }), rates);
    } catch (err) {
      replace(body, errorBox(err));
    }
  }
  await load();
}

// ---- one contract ----------------------------------------------------------------------

export async function renderContract(root: HTMLElement, route: Route): Promise<void> {
  const id = Number(route.params.id);
  let year = Number(route.query.get('year')) || thisYear();
  replace(root, loading());
  async function load(): Promise<void> {
    let k: ContractDetail;
    let view: ChainView;
    let documents: HTMLElement;
    try {
      [k, view, documents] = await Promise.all([
        api.get<ContractDetail>(`/api/v1/chains/contracts/${id}`, { year }),
        api.get<ChainView>(`/api/v1/chains/contracts/${id}/chain`),
        documentsSection(id),
      ]);
    } catch (err) {
      replace(root, tabs('contracts'), errorBox(err));
      return;
    }
    document.title = `${k.code} · ${t('nav.chains')} · nongsan`;
    const yearSel = yearSelect(year, (y) => {
      year = y;
      setQuery({ year });
      void load();
    });
    const facts = h(
      'dl',
      { class: 'facts' },
      h('dt', null, t('chains.lead')), h('dd', null, `${k.lead.name} (${k.lead.external_id})`),
      h('dt', null, t('chains.commodity')), h('dd', null, commodityLabel(k.commodity)),
      h('dt', null, t('chains.period')), h('dd', null, `${fmtDate(k.start)} – ${fmtDate(k.end)}`),
      h('dt', null, t('chains.committed_total')), h('dd', null, `${kg(k.committed_kg)} kg`),
      h('dt', null, t('chains.quality')), h('dd', null, k.quality || '—'),
      h('dt', null, t('chains.price')), h('dd', null, k.price_mechanism ? `${t(`chains.price.${k.price_mechanism}` as MessageKey)}${k.price_note ? ` · ${k.price_note}` : ''}` : '—'),
      h('dt', null, t('chains.inputs')), h('dd', null, k.inputs_services || '—'),
      h('dt', null, t('chains.documents')), h('dd', null, k.documents.length ? k.documents.join('; ') : '—'),
    );
    const partyCols: Column<PartyRow>[] = [
      { label: t('chains.participant'), title: true, cell: (p) => `${p.party.name} (${p.participant})` },
      { label: t('chains.committed_year'), class: 'num', cell: (p) => kg(p.committed_kg) },
      { label: t('chains.delivered_year'), class: 'num', cell: (p) => kg(p.delivered_kg) },
      { label: t('chains.fulfilment'), cell: (p) => h('div', { class: 'fb-cell' }, fulfilmentBar(p.fulfilment_pct), h('span', { class: 'small' }, pct(p.fulfilment_pct))) },
      { label: t('chains.warnings'), cell: (p) => k.warnings.filter((w) => w.party === p.participant).map((w) => badge(t(`chains.warning_kind.${w.kind}` as MessageKey), 'warn')) },
    ];
    const warnings = k.warnings.length
      ? h('ul', { class: 'warnings', 'data-testid': 'warnings' }, ...k.warnings.map((w) => h('li', { class: `alert alert-warn small`, 'data-kind': w.kind, 'data-party': w.party }, warningLabel(w))))
      : h('p', { class: 'muted small', 'data-testid': 'no-warnings' }, t('chains.no_warnings'));
    const delCols: Column<Delivery>[] = [
      { label: t('chains.date'), title: true, cell: (d) => fmtDate(d.date) },
      { label: t('chains.participant'), cell: (d) => d.participant.name },
      { label: t('chains.quantity'), class: 'num', cell: (d) => kg(d.quantity_kg) },
      { label: t('chains.refused'), class: 'num hide-sm', cell: (d) => (d.refused_kg ? kg(d.refused_kg) : '') },
      { label: t('chains.origin'), class: 'hide-sm', cell: (d) => (d.epcis_event_id ? h('span', { title: d.epcis_event_id, 'data-origin': d.origin }, t(`chains.origin.${d.origin}` as MessageKey)) : t(`chains.origin.${d.origin}` as MessageKey)) },
      { label: '', cell: (d) => (d.date < k.start || d.date > k.end ? badge(t('chains.outside'), 'neutral', t('chains.outside_hint')) : '') },
    ];
    const buyers = k.buyers.length
      ? h('ul', { class: 'plain' }, ...k.buyers.map((b) => h('li', null, b.name, ' · ', t(`chains.market.${b.market}` as MessageKey), b.country ? ` (${b.country})` : '')))
      : h('p', { class: 'muted small' }, t('common.none'));
    const events = k.trade_events.length
      ? h('ul', { class: 'plain' }, ...k.trade_events.map((e) => h('li', null, `${fmtDate(e.held_on)} · ${e.name}${e.place ? ` (${e.place})` : ''}`, e.result ? h('div', { class: 'small muted' }, e.result) : '')))
      : h('p', { class: 'muted small' }, t('common.none'));
    replace(
      root,
      h('h1', null, t('chains.contract'), ' ', h('span', { class: 'mono' }, k.code)),
      tabs('contracts'),
      k.illustrative ? illustrativeNote() : '',
      h('div', { class: 'toolbar' }, field(t('chains.year'), yearSel, { name: 'year' })),
      h('section', { class: 'card' }, facts, can('chains.write')
        ? h('details', { class: 'add-form', 'data-testid': 'edit-contract' }, h('summary', null, t('chains.form.edit_contract')), contractForm(k as ContractInput, () => void load()))
        : ''),
      documents,
      h('section', { class: 'card' }, h('h2', null, t('chains.parties_heading', { year: k.year })), dataTable(partyCols, k.parties, { testId: 'party-table', row: (p) => ({ 'data-participant': p.participant }) }), warnings),
      h('section', { class: 'card' }, h('h2', null, t('chains.chain_heading')), chainDiagram(view), chainMap(view)),
      h('section', { class: 'card' }, h('h2', null, t('chains.deliveries_heading')), k.deliveries.length ? dataTable(delCols, k.deliveries, { testId: 'delivery-table' }) : h('p', { class: 'muted small' }, t('common.none')), can('chains.write') ? deliveryForm(k, load) : ''),
      h('div', { class: 'grid-2' }, h('section', { class: 'card' }, h('h2', null, t('chains.buyers')), buyers), h('section', { class: 'card' }, h('h2', null, t('chains.events')), events)),
    );
  }
  await load();
}

function deliveryForm(k: ContractDetail, reload: () => Promise<void>): HTMLElement {
  const who = select('participant_id', k.participants.map((p) => ({ value: String(p.id), label: `${p.name} (${p.external_id})` })), String(k.participants[0]?.id ?? ''));
  const date = h('input', { type: 'date', name: 'date', value: todayIso() });
  const qty = h('input', { type: 'text', name: 'quantity_kg', inputmode: 'decimal', autocomplete: 'off' });
  const refused = h('input', { type: 'text', name: 'refused_kg', inputmode: 'decimal', autocomplete: 'off' });
  const slot = h('div', { class: 'form-alert' });
  const f = h(
    'form',
    { class: 'form-grid', novalidate: true, 'data-testid': 'delivery-form' },
    field(t('chains.participant'), who, { name: 'participant_id', required: true }),
    field(t('chains.date'), date, { name: 'date', required: true }),
    field(t('chains.quantity'), qty, { name: 'quantity_kg', required: true }),
    field(t('chains.refused'), refused, { name: 'refused_kg', hint: t('chains.refused_hint') }),
    slot,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'save-delivery' }, t('chains.add_delivery'))),
  );
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearFieldErrors(f);
    const body: Record<string, unknown> = { participant_id: Number(who.value), date: date.value, quantity_kg: parseNumber(qty.value) ?? qty.value };
    if (refused.value.trim()) body.refused_kg = parseNumber(refused.value) ?? refused.value;
    request('POST', `/api/v1/chains/contracts/${k.id}/deliveries`, { body })
      .then(() => reload())
      .catch((err) => showFormError(f, slot, err));
  });
  return h('details', { class: 'add-form', 'data-testid': 'add-delivery' }, h('summary', null, t('chains.add_delivery')), f);
}

// The chain as columns of boxes, left to right, with lines between them (SVG).
const LAYERS = ['land', 'household', 'cooperative', 'lead', 'processor', 'buyer'];
export function chainDiagram(v: ChainView): HTMLElement {
  const ns = 'http://www.w3.org/2000/svg';
  const cols = LAYERS.filter((l) => v.nodes.some((n) => n.layer === l));
  const colW = 170, boxW = 150, boxH = 34, gap = 12, top = 30;
  const rows = Math.max(1, ...cols.map((l) => v.nodes.filter((n) => n.layer === l).length));
  const width = cols.length * colW, height = top + rows * (boxH + gap) + 10;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'chain-diagram');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('chains.chain_heading'));
  svg.dataset.testid = 'chain-diagram';
  const pos = new Map<string, { x: number; y: number }>();
  cols.forEach((layer, ci) => {
    const title = document.createElementNS(ns, 'text');
    title.setAttribute('x', String(ci * colW + boxW / 2 + 5));
    title.setAttribute('y', '16');
    title.setAttribute('text-anchor', 'middle');
    title.setAttribute('class', 'cd-layer');
    title.textContent = t(`chains.layer.${layer}` as MessageKey);
    svg.appendChild(title);
    v.nodes.filter((n) => n.layer === layer).forEach((n, ri) => pos.set(n.id, { x: ci * colW + 5, y: top + ri * (boxH + gap) }));
  });
  for (const e of v.edges) {
    const a = pos.get(e.from), b = pos.get(e.to);
    if (!a || !b) continue;
    const line = document.createElementNS(ns, 'path');
    const x1 = a.x + boxW, y1 = a.y + boxH / 2, x2 = b.x, y2 = b.y + boxH / 2;
    line.setAttribute('d', `M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}`);
    line.setAttribute('class', 'cd-edge');
    svg.appendChild(line);
  }
  for (const n of v.nodes) {
    const p = pos.get(n.id);
    if (!p) continue;
    const g = document.createElementNS(ns, 'g');
    g.setAttribute('class', `cd-node cd-${n.layer}`);
    g.dataset.node = n.id;
    const rect = document.createElementNS(ns, 'rect');
    rect.setAttribute('x', String(p.x));
    rect.setAttribute('y', String(p.y));
    rect.setAttribute('width', String(boxW));
    rect.setAttribute('height', String(boxH));
    rect.setAttribute('rx', '6');
    const text = document.createElementNS(ns, 'text');
    text.setAttribute('x', String(p.x + 8));
    text.setAttribute('y', String(p.y + boxH / 2 + 4));
    text.textContent = n.label.length > 22 ? `${n.label.slice(0, 21)}…` : n.label;
    const tip = document.createElementNS(ns, 'title');
    tip.textContent = n.label;
    g.append(rect, text, tip);
    svg.appendChild(g);
  }
  return h('div', { class: 'chain-diagram-wrap' }, svg as unknown as HTMLElement);
}

// The land covered and the facilities on a small map (SVG in an equirectangular view of
// the features' bounds: enough to see where the chain lies without a base map).
function chainMap(v: ChainView): HTMLElement {
  const feats = v.map.features;
  if (!feats.length) return h('p', { class: 'muted small', 'data-testid': 'chain-map-empty' }, t('chains.map_empty'));
  const pts: [number, number][] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') pts.push([c[0] as number, c[1] as number]);
    else if (Array.isArray(c)) c.forEach(walk);
  };
  feats.forEach((f) => walk(f.geometry.coordinates));
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of pts) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  const pad = Math.max(x1 - x0, y1 - y0) * 0.1 || 0.01;
  x0 -= pad; y0 -= pad; x1 += pad; y1 += pad;
  const W = 600, H = Math.max(200, Math.min(600, (W * (y1 - y0)) / (x1 - x0)));
  const px = (x: number): number => ((x - x0) / (x1 - x0)) * W;
  const py = (y: number): number => H - ((y - y0) / (y1 - y0)) * H;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('class', 'chain-map');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('chains.map'));
  svg.dataset.testid = 'chain-map';
  const ring = (r: [number, number][]): string => r.map(([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('') + 'Z';
  for (const f of feats) {
    const g = f.geometry;
    const title = document.createElementNS(ns, 'title');
    title.textContent = f.properties.label;
    if (g.type === 'Point') {
      const [x, y] = g.coordinates as [number, number];
      const c = document.createElementNS(ns, 'circle');
      c.setAttribute('cx', px(x).toFixed(1));
      c.setAttribute('cy', py(y).toFixed(1));
      c.setAttribute('r', '7');
      c.setAttribute('class', 'cm-facility');
      c.appendChild(title);
      svg.appendChild(c);
    } else {
      const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as [number, number][][][];
      const p = document.createElementNS(ns, 'path');
      p.setAttribute('d', polys.map((poly) => poly.map(ring).join('')).join(''));
      p.setAttribute('class', `cm-${f.properties.kind}`);
      p.appendChild(title);
      svg.appendChild(p);
    }
  }
  return h('figure', { class: 'chain-map-wrap' }, svg as unknown as HTMLElement, h('figcaption', { class: 'small muted' }, t('chains.map_caption')));
}

// ---- facilities and capacity against supply ----------------------------------------------

export async function renderFacilities(root: HTMLElement): Promise<void> {
  document.title = `${t('chains.tab.facilities')} · nongsan`;
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const create = can('chains.write')
    ? h('details', { class: 'add-form card', 'data-testid': 'new-facility' }, h('summary', null, t('chains.form.new_facility')), facilityForm(() => void renderFacilities(root)))
    : '';
  replace(root, h('h1', null, t('chains.title')), tabs('facilities'), create, body);
  try {
    const [fs, sup] = await Promise.all([
      api.get<{ items: Facility[] }>('/api/v1/chains/facilities'),
      api.get<{ rows: SupplyRow[] }>('/api/v1/chains/supply'),
    ]);
    const supCols: Column<SupplyRow>[] = [
      { label: t('chains.commodity'), title: true, cell: (r) => commodityLabel(r.commodity) },
      { label: t('chains.capacity_t'), class: 'num', cell: (r) => fmtNumber(r.capacity_t, 1) },
      { label: t('chains.drawn_supply_t'), class: 'num', cell: (r) => fmtNumber(r.drawn_supply_t, 1) },
      { label: t('chains.zones_supply_t'), class: 'num hide-sm', cell: (r) => fmtNumber(r.zones_supply_t, 1) },
      { label: t('chains.balance_t'), class: 'num', cell: (r) => fmtNumber(r.balance_t, 1) },
      { label: t('chains.supply_status'), cell: (r) => badge(t(`chains.supply.${r.status}` as MessageKey), r.status === 'shortfall' ? 'warn' : r.status === 'surplus' ? 'info' : 'neutral') },
      { label: t('chains.yield'), class: 'hide-sm', cell: (r) => `${fmtNumber(r.t_per_ha, 1)} t/ha${r.yield_illustrative ? ` (${t('chains.illustrative_short')})` : ''}` },
    ];
    const facCols: Column<Facility>[] = [
      { label: t('chains.facility'), title: true, cell: (f) => h('span', null, f.name, ' ', h('span', { class: 'mono small muted' }, f.code)) },
      { label: t('chains.operator'), cell: (f) => f.operator?.name ?? '—' },
      { label: t('chains.technology'), cell: (f) => techLabel(f.technology) },
      { label: t('chains.capacity'), cell: (f) => f.capacities.map((c) => `${c.product}: ${fmtNumber(c.capacity_t_per_season, 1)} t`).join('; ') },
      { label: t('chains.certifications'), class: 'hide-sm', cell: (f) => f.certifications.join(', ') || '—' },
    ];
    replace(
      body,
      fs.items.some((f) => f.illustrative) ? illustrativeNote() : '',
      h('section', { class: 'card' }, h('h2', null, t('chains.supply_heading')), h('p', { class: 'small muted' }, t('chains.supply_intro')), sup.rows.length ? dataTable(supCols, sup.rows, { testId: 'supply-table', row: (r) => ({ 'data-commodity': r.commodity, 'data-status': r.status }) }) : notice(t('chains.no_facilities'))),
      h('section', { class: 'card' }, h('h2', null, t('chains.facilities_heading')), fs.items.length ? dataTable(facCols, fs.items, { testId: 'facility-table' }) : notice(t('chains.no_facilities'))),
    );
  } catch (err) {
    replace(body, errorBox(err));
  }
}

// ---- investment projects ----------------------------------------------------------------

export async function renderInvestments(root: HTMLElement): Promise<void> {
  document.title = `${t('chains.tab.investments')} · nongsan`;
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const create = can('chains.manage')
    ? h('details', { class: 'add-form card', 'data-testid': 'new-investment' }, h('summary', null, t('chains.form.new_investment')), investmentForm(() => void renderInvestments(root)))
    : '';
  replace(root, h('h1', null, t('chains.title')), h('p', { class: 'lead' }, t('chains.invest.intro')), tabs('investments'), create, body);
  try {
    const r = await api.get<{ items: Investment[] }>('/api/v1/chains/investments');
    const cols: Column<Investment>[] = [
      { label: t('chains.form.name'), title: true, cell: (i) => h('span', null, i.name, ' ', h('span', { class: 'mono small muted' }, i.code)) },
      { label: t('chains.invest.kind'), cell: (i) => t(`chains.invest.kind.${i.kind}` as MessageKey) },
      { label: t('chains.invest.status'), cell: (i) => badge(t(`chains.invest.status.${i.status}` as MessageKey), i.status === 'operating' ? 'ok' : i.status === 'suspended' ? 'warn' : 'neutral') },
      { label: t('chains.invest.investor'), class: 'hide-sm', cell: (i) => i.investor || '—' },
      { label: t('chains.commodity'), cell: (i) => (i.commodity ? commodityLabel(i.commodity) : '—') },
      { label: t('chains.invest.land_ha'), class: 'num', cell: (i) => fmtNumber(i.land_ha, 2) },
      { label: t('chains.invest.raw_material_t'), class: 'num', cell: (i) => fmtNumber(i.raw_material_t, 1) },
    ];
    replace(body, r.items.some((i) => i.illustrative) ? illustrativeNote() : '',
      r.items.length ? dataTable(cols, r.items, { testId: 'investment-table', row: (i) => ({ 'data-code': i.code }) }) : notice(t('chains.invest.none')));
  } catch (err) {
    replace(body, errorBox(err));
  }
}
