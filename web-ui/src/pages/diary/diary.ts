// Nhật ký canh tác — farming diaries (docs/diary.md). Two pages:
//   /diary           the entry form, phone first: own parcel, kind, date, product from the
//                    reference list with its registration status, dose, quantity, lot; the
//                    findings the entry raises are shown at once, in the page's language;
//                    then the parcel's entries.
//   /diary/findings  the officer's page: the findings of a date range with the entries
//                    behind each one, and the lots held by a harvest too soon after a
//                    spray, with the clear-hold action (a reason is required).
// The UI never reads the server's English: findings are worded from their codes.
import { api, type Page } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, navigate, setQuery, type Route } from '../../lib/router';
import { can } from '../../lib/session';
import { badge, dateInput, errorBox, field, loading, notice, select, showFormError, clearFieldErrors } from '../../lib/ui';
import { dataTable, filterForm, type Column } from '../../lib/list';
import { fmtDate, fmtNumber, t, todayIso, type MessageKey } from '../../i18n';
import './diary.css';

export type Kind = 'spray' | 'fertiliser' | 'harvest' | 'observation';
export type FindingKind = 'unregistered' | 'banned' | 'not_for_crop' | 'over_dose' | 'phi_not_passed';
const KINDS: Kind[] = ['spray', 'fertiliser', 'harvest', 'observation'];
const FINDINGS: FindingKind[] = ['unregistered', 'banned', 'not_for_crop', 'over_dose', 'phi_not_passed'];

export interface DiaryEntry {
  id: number;
  entry: string;
  parcel_id: number;
  parcel: string;
  date: string;
  kind: Kind;
  product: string;
  dose_per_ha: number | null;
  quantity_kg: number | null;
  lot: string;
  amends: string;
  note: string;
  created_by: string;
  created_at: string;
}

export interface DiaryFinding {
  finding: FindingKind;
  entry: string;
  parcel: string;
  parcel_id: number;
  product: string;
  lot: string;
  date: string;
  spray_entry?: string;
  spray_date?: string | null;
  phi_days?: number;
}

interface Product {
  product: string;
  name: string;
  registered: boolean;
  banned: boolean;
  registered_to: string | null;
  labels: { crop: string; max_dose_per_ha: number; phi_days: number }[];
}

interface Hold extends DiaryFinding {
  cleared: boolean;
  clearance?: { reason: string; cleared_by: string; cleared_at: string };
}

export interface LotStatus {
  lot: string;
  held: boolean;
  holds: Hold[];
  harvests: { entry: string; parcel: string; parcel_id: number; date: string; quantity_kg: number | null }[];
}

interface ParcelItem {
  id: number;
  external_id: string;
}

const kindLabel = (k: string): string => (KINDS.includes(k as Kind) ? t(`diary.kind.${k}` as MessageKey) : k);
const findingLabel = (k: string): string => (FINDINGS.includes(k as FindingKind) ? t(`diary.finding.${k}` as MessageKey) : k);

export function findingBadge(k: string): HTMLElement {
  const b = badge(findingLabel(k), k === 'banned' || k === 'phi_not_passed' ? 'danger' : 'warn');
  b.dataset.finding = k;
  return b;
}

/** What a finding means, in words, from its fields. */
export function findingText(f: DiaryFinding): string {
  if (f.finding === 'phi_not_passed')
    return t('diary.explain.phi_not_passed', {
      product: f.product,
      spray: f.spray_date ? fmtDate(f.spray_date) : '',
      harvest: fmtDate(f.date),
      days: f.phi_days ?? 0,
      lot: f.lot,
    });
  return t(`diary.explain.${f.finding}` as MessageKey, { product: f.product || '—' });
}

function tabs(active: 'entry' | 'findings'): HTMLElement {
  const items: ['entry' | 'findings', string, MessageKey, boolean][] = [
    ['entry', '/diary', 'diary.tab.entry', can('diary.enter')],
    ['findings', '/diary/findings', 'diary.tab.findings', can('diary.read')],
  ];
  return h(
    'nav',
    { class: 'tabs', 'aria-label': t('nav.diary') },
    ...items
      .filter(([, , , ok]) => ok)
      .map(([id, href, key]) => link(href, { class: id === active ? 'tab active' : 'tab', ...(id === active ? { 'aria-current': 'page' } : {}), 'data-tab': id }, t(key))),
  );
}

function productOption(p: Product): { value: string; label: string } {
  const state = p.banned ? t('diary.product.banned') : p.registered ? t('diary.product.registered') : t('diary.product.unregistered');
  return { value: p.product, label: `${p.product} · ${p.name} — ${state}` };
}

function findingsList(findings: DiaryFinding[]): HTMLElement {
  if (findings.length === 0) return notice(t('diary.no_findings_for_entry'), 'ok');
  return h(
    'div',
    { class: 'alert alert-warn diary-findings', role: 'alert', 'data-testid': 'entry-findings' },
    h('strong', null, t('diary.entry_findings', { n: findings.length })),
    h('ul', null, ...findings.map((f) => h('li', { 'data-finding': f.finding }, findingBadge(f.finding), ' ', findingText(f)))),
  );
}

// ---- the entry form -----------------------------------------------------------------

export async function renderDiaryEntry(root: HTMLElement, route: Route): Promise<void> {
  // Readers who do not enter (inspectors) land on the findings.
  if (!can('diary.enter')) return navigate('/diary/findings');
  document.title = `${t('diary.title')} · nongsan`;
  replace(root, h('h1', null, t('diary.title')), tabs('entry'), loading());
  let parcels: ParcelItem[] = [];
  let products: Product[] = [];
  try {
    const [p, pr] = await Promise.all([
      api.get<Page<ParcelItem>>('/api/v1/parcels', { page_size: 500 }),
      api.get<{ items: Product[] }>('/api/v1/diary/products', { date: todayIso() }),
    ]);
    parcels = p.items;
    products = pr.items;
  } catch (err) {
    replace(root, h('h1', null, t('diary.title')), tabs('entry'), errorBox(err));
    return;
  }
  const wanted = route.query.get('parcel_id') ?? '';
  const parcelSel = select('parcel_id', [{ value: '', label: t('diary.pick_parcel') }, ...parcels.map((p) => ({ value: String(p.id), label: p.external_id }))],
    parcels.some((p) => String(p.id) === wanted) ? wanted : parcels.length === 1 ? String(parcels[0].id) : '', { required: true });
  const kindSel = select('kind', KINDS.map((k) => ({ value: k, label: kindLabel(k) })), 'spray');
  const date = dateInput('date', todayIso());
  const productSel = select('product', [{ value: '', label: t('diary.pick_product') }, ...products.map(productOption)], '');
  const productText = h('input', { type: 'text', name: 'product_text', autocomplete: 'off', placeholder: t('diary.fertiliser_placeholder') });
  const dose = h('input', { type: 'number', name: 'dose_per_ha', min: '0', step: 'any', inputmode: 'decimal' });
  const quantity = h('input', { type: 'number', name: 'quantity_kg', min: '0', step: 'any', inputmode: 'decimal' });
  const lot = h('input', { type: 'text', name: 'lot', autocomplete: 'off', placeholder: 'LOT-…' });
  const note = h('textarea', { name: 'note', rows: '2' });
  const productHint = h('p', { class: 'muted small', 'data-testid': 'product-hint', 'aria-live': 'polite' });
  const productField = field(t('diary.product'), productSel, { name: 'product' });
  const productTextField = field(t('diary.fertiliser'), productText, { name: 'product' });
  const doseField = field(t('diary.dose'), dose, { name: 'dose_per_ha', hint: t('diary.dose_hint') });
  const quantityField = field(t('diary.quantity'), quantity, { name: 'quantity_kg' });
  const lotField = field(t('diary.lot'), lot, { name: 'lot', hint: t('diary.lot_hint') });
  const paintProduct = (): void => {
    const p = products.find((x) => x.product === productSel.value);
    if (!p) return replace(productHint);
    const labels = p.labels.map((l) => t('diary.label_line', { crop: l.crop, dose: fmtNumber(l.max_dose_per_ha), days: l.phi_days })).join('; ');
    replace(productHint, p.banned ? badge(t('diary.product.banned'), 'danger') : p.registered ? badge(t('diary.product.registered'), 'ok') : badge(t('diary.product.unregistered'), 'warn'), ' ', labels || t('diary.no_label'));
  };
  productSel.addEventListener('change', paintProduct);
  const paintKind = (): void => {
    const k = kindSel.value as Kind;
    productField.hidden = k !== 'spray';
    productHint.hidden = k !== 'spray';
    productTextField.hidden = k !== 'fertiliser';
    doseField.hidden = k !== 'spray' && k !== 'fertiliser';
    quantityField.hidden = k === 'observation';
    lotField.hidden = k !== 'harvest';
  };
  kindSel.addEventListener('change', paintKind);
  paintKind();

  const slot = h('div', { 'aria-live': 'polite' });
  const result = h('div', { 'data-testid': 'entry-result', 'aria-live': 'polite' });
  const list = h('div', { 'data-testid': 'parcel-entries' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'save-entry' }, t('diary.save'));
  const form = h(
    'form',
    { class: 'card diary-form', novalidate: true },
    field(t('diary.parcel'), parcelSel, { name: 'parcel_id', required: true }),
    field(t('diary.kind'), kindSel, { name: 'kind' }),
    field(t('diary.date'), date.el, { name: 'date' }),
    productField,
    productHint,
    productTextField,
    doseField,
    quantityField,
    lotField,
    field(t('diary.note'), note, { name: 'note' }),
    slot,
    submit,
  );
  const loadEntries = async (): Promise<void> => {
    if (!parcelSel.value) return replace(list);
    try {
      const r = await api.get<{ items: DiaryEntry[] }>('/api/v1/diary/entries', { parcel_id: parcelSel.value });
      replace(list, h('h2', null, t('diary.parcel_entries')), entriesTable(r.items.slice().reverse()));
    } catch (err) {
      replace(list, errorBox(err));
    }
  };
  parcelSel.addEventListener('change', () => {
    setQuery({ parcel_id: parcelSel.value });
    void loadEntries();
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    replace(slot);
    const k = kindSel.value as Kind;
    const iso = date.value();
    const body: Record<string, unknown> = { parcel_id: Number(parcelSel.value) || 0, kind: k, date: iso ?? '', note: note.value };
    if (k === 'spray') body.product = productSel.value;
    if (k === 'fertiliser') body.product = productText.value.trim();
    if ((k === 'spray' || k === 'fertiliser') && dose.value !== '') body.dose_per_ha = Number(dose.value);
    if (k !== 'observation' && quantity.value !== '') body.quantity_kg = Number(quantity.value);
    if (k === 'harvest') body.lot = lot.value.trim();
    submit.disabled = true;
    try {
      const r = await api.post<{ entry: DiaryEntry; findings: DiaryFinding[] }>('/api/v1/diary/entries', body);
      replace(result, notice(t('diary.saved', { entry: r.entry.entry }), 'ok'), findingsList(r.findings));
      dose.value = '';
      quantity.value = '';
      note.value = '';
      await loadEntries();
      result.scrollIntoView({ block: 'nearest' });
    } catch (err) {
      showFormError(form, slot, err);
    } finally {
      submit.disabled = false;
    }
  });
  replace(
    root,
    h('h1', null, t('diary.title')),
    h('p', { class: 'intro' }, t('diary.intro')),
    tabs('entry'),
    parcels.length === 0 ? notice(t('diary.no_parcels'), 'info') : '',
    form,
    result,
    list,
  );
  await loadEntries();
}

function entriesTable(items: DiaryEntry[]): HTMLElement {
  if (items.length === 0) return h('p', { class: 'muted' }, t('diary.no_entries'));
  const columns: Column<DiaryEntry>[] = [
    { label: t('diary.date'), title: true, class: 'nowrap', cell: (e) => fmtDate(e.date) },
    { label: t('diary.kind'), cell: (e) => kindLabel(e.kind) },
    { label: t('diary.product'), cell: (e) => e.product || '—' },
    { label: t('diary.dose'), class: 'num', cell: (e) => (e.dose_per_ha === null ? '—' : fmtNumber(e.dose_per_ha)) },
    { label: t('diary.quantity'), class: 'num', cell: (e) => (e.quantity_kg === null ? '—' : fmtNumber(e.quantity_kg)) },
    { label: t('diary.lot'), cell: (e) => e.lot || '—' },
    { label: t('diary.entry_code'), class: 'mono hide-sm', cell: (e) => (e.amends ? `${e.entry} (${t('diary.amends', { entry: e.amends })})` : e.entry) },
  ];
  return dataTable(columns, items, { testId: 'entries' });
}

// ---- the officer's findings -----------------------------------------------------------

export async function renderDiaryFindings(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('diary.findings_title')} · nongsan`;
  const q = route.query;
  const state = { from: q.get('from') ?? '', to: q.get('to') ?? '', finding: q.get('finding') ?? '' };
  const from = dateInput('from', state.from, (v) => {
    state.from = v;
    void load();
  });
  const to = dateInput('to', state.to, (v) => {
    state.to = v;
    void load();
  });
  const kindSel = select('finding', [{ value: '', label: t('common.all') }, ...FINDINGS.map((f) => ({ value: f, label: findingLabel(f) }))], state.finding);
  kindSel.addEventListener('change', () => {
    state.finding = kindSel.value;
    void load();
  });
  const counts = h('div', { class: 'diary-counts', 'data-testid': 'finding-counts' });
  const lots = h('section', { 'data-testid': 'lots' });
  const body = h('div', { 'data-testid': 'findings' }, loading());
  replace(
    root,
    h('h1', null, t('diary.findings_title')),
    h('p', { class: 'intro' }, t('diary.findings_intro')),
    tabs('findings'),
    filterForm([t('diary.from'), from.el, 'from'], [t('diary.to'), to.el, 'to'], [t('diary.finding'), kindSel, 'finding']),
    counts,
    lots,
    body,
  );

  async function load(): Promise<void> {
    setQuery({ from: state.from, to: state.to, finding: state.finding });
    try {
      const r = await api.get<{ items: DiaryFinding[] }>('/api/v1/diary/findings', { from: state.from, to: state.to });
      const n = new Map<string, number>();
      for (const f of r.items) n.set(f.finding, (n.get(f.finding) ?? 0) + 1);
      replace(counts, ...FINDINGS.map((k) => h('div', { class: 'diary-count', 'data-finding': k }, h('span', { class: 'diary-count-n' }, String(n.get(k) ?? 0)), h('span', { class: 'diary-count-label' }, findingLabel(k)))));
      const shown = state.finding ? r.items.filter((f) => f.finding === state.finding) : r.items;
      const columns: Column<DiaryFinding>[] = [
        { label: t('diary.finding'), title: true, cell: (f) => findingBadge(f.finding) },
        { label: t('diary.date'), class: 'nowrap', cell: (f) => fmtDate(f.date) },
        { label: t('diary.parcel'), cell: (f) => link(`/registry/parcels/${f.parcel_id}`, { class: 'mono' }, f.parcel) },
        { label: t('diary.behind'), cell: (f) => behind(f) },
        { label: t('diary.lot'), cell: (f) => f.lot || '—' },
      ];
      replace(body, shown.length ? dataTable(columns, shown, { testId: 'findings-table', row: (f) => ({ 'data-finding': f.finding, 'data-entry': f.entry }) }) : notice(t('diary.no_findings'), 'ok'));
      await loadLots([...new Set(r.items.filter((f) => f.finding === 'phi_not_passed').map((f) => f.lot))]);
    } catch (err) {
      replace(body, errorBox(err));
    }
  }

  async function loadLots(codes: string[]): Promise<void> {
    if (codes.length === 0) return replace(lots);
    const statuses = await Promise.all(codes.map((c) => api.get<LotStatus>(`/api/v1/diary/lots/${encodeURIComponent(c)}`).catch(() => null)));
    replace(lots, h('h2', null, t('diary.lots_title')), ...statuses.filter((s): s is LotStatus => s !== null).map(lotCard));
  }

  function lotCard(s: LotStatus): HTMLElement {
    const card = h('div', { class: `card lot-card ${s.held ? 'lot-held' : 'lot-cleared'}`, 'data-lot': s.lot, 'data-held': String(s.held) });
    const harvested = s.harvests.map((x) => t('diary.harvest_line', { parcel: x.parcel, date: fmtDate(x.date), kg: x.quantity_kg === null ? '—' : fmtNumber(x.quantity_kg) })).join('; ');
    const holds = h('ul', null, ...s.holds.map((x) => h('li', null, findingText(x), x.cleared && x.clearance ? h('div', { class: 'muted small', 'data-testid': 'clearance' }, t('diary.cleared_by', { who: x.clearance.cleared_by, when: fmtDate(x.clearance.cleared_at.slice(0, 10)), reason: x.clearance.reason })) : '')));
    const children: (Node | string)[] = [
      h('h3', null, h('span', { class: 'mono' }, s.lot), ' ', s.held ? badge(t('diary.lot_held'), 'danger') : badge(t('diary.lot_cleared'), 'ok')),
      h('p', { class: 'small' }, harvested, ' · ', link(`/diary/lots/${encodeURIComponent(s.lot)}`, { 'data-testid': 'lot-journey' }, t('diary.journey_link'))),
      holds,
    ];
    if (s.held && can('lots.clear')) {
      const reason = h('textarea', { name: 'reason', rows: '2', required: true });
      const slot = h('div');
      const btn = h('button', { type: 'submit', class: 'btn btn-danger', 'data-testid': 'clear-hold' }, t('diary.clear_hold'));
      const f = h('form', { class: 'clear-form', novalidate: true }, field(t('diary.clear_reason'), reason, { name: 'reason', required: true }), slot, btn);
      f.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        btn.disabled = true;
        try {
          const after = await api.post<LotStatus>(`/api/v1/diary/lots/${encodeURIComponent(s.lot)}/clear`, { reason: reason.value });
          card.replaceWith(lotCard(after));
        } catch (err) {
          showFormError(f, slot, err);
        } finally {
          btn.disabled = false;
        }
      });
      children.push(f);
    }
    replace(card, ...children);
    return card;
  }

  await load();
}

/** The entries behind a finding: the entry itself and, for a harvest too soon, the spray. */
function behind(f: DiaryFinding): Node {
  const parts: (Node | string)[] = [h('span', { class: 'mono' }, f.entry), ` · ${f.product || '—'}`];
  if (f.finding === 'phi_not_passed' && f.spray_entry)
    parts.push(h('div', { class: 'muted small' }, t('diary.after_spray', { entry: f.spray_entry, date: f.spray_date ? fmtDate(f.spray_date) : '', days: f.phi_days ?? 0 })));
  return h('div', null, ...parts);
}
