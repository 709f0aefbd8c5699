// The forms of the chains page: a linkage contract (create and edit: the lead and the
// participants picked from the registry by search, the commodity, the parcels and zones
// covered, the committed quantity and quality, the price mechanism, inputs and services,
// the dates), a processing facility, and an investment project. Every form sends what
// was typed to the one ChainService route and shows the server's errors next to their
// fields (docs/chains.md); nothing here decides what is valid.
import { h, replace } from '../../lib/dom';
import { api, request, type Page } from '../../lib/api';
import { picker, type Picker } from '../../lib/picker';
import { loadCommunes, loadZones, producerPicker, type ProducerRef } from '../../lib/registry';
import { clearFieldErrors, dateInput, field, select, showFormError, type DateInput } from '../../lib/ui';
import { parseNumber, t, type MessageKey } from '../../i18n';

export const COMMODITIES = ['tea', 'macadamia', 'passion_fruit', 'sweet_corn'];

interface PartyLike { id: number; name: string; external_id?: string }
export interface ContractInput {
  id: number; code: string; lead: PartyLike; commodity: string; start: string; end: string; committed_kg: number;
  quality: string; price_mechanism: string; price_note: string; inputs_services: string; documents: string[];
  participants: PartyLike[]; parcel_ids: number[]; zone_ids: number[];
}
interface ParcelRef { id: number; external_id: string }

const input = (name: string, value = '', attrs: Record<string, string> = {}): HTMLInputElement =>
  h('input', { type: 'text', name, value, autocomplete: 'off', ...attrs });
// A number as typed: the language's decimal comma understood; what is not a number goes
// to the server as typed, so that its error names the field.
const num = (el: HTMLInputElement): unknown => (el.value.trim() === '' ? undefined : parseNumber(el.value) ?? el.value);
const list = (text: string): string[] => text.split(/[;\n]/).map((s) => s.trim()).filter(Boolean);

function actions(label: string, testid: string, onCancel?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'form-actions' },
    h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': testid }, label),
    onCancel ? h('button', { type: 'button', class: 'btn', onclick: onCancel }, t('common.cancel')) : '',
  );
}

// Chosen items shown as removable chips; `key` names them for tests.
function chips<T>(label: (x: T) => string, key: (x: T) => string, testid: string): { el: HTMLElement; items: T[]; add(x: T): void; redraw(): void } {
  const items: T[] = [];
  const el = h('ul', { class: 'chips', 'data-testid': testid });
  const draw = (): void => {
    replace(el, ...items.map((x, i) => h('li', { class: 'chip', 'data-key': key(x) }, label(x), ' ',
      h('button', { type: 'button', class: 'chip-remove', 'aria-label': `${t('chains.form.remove')} ${label(x)}`, onclick: () => { items.splice(i, 1); draw(); } }, '×'))));
  };
  return { el, items, add: (x: T) => { if (!items.some((y) => key(y) === key(x))) { items.push(x); draw(); } }, redraw: draw };
}

const parcelSource = {
  search: async (q: string): Promise<ParcelRef[]> => (await api.get<Page<ParcelRef>>('/api/v1/parcels', { q, page_size: 15 })).items.map((p) => ({ id: p.id, external_id: p.external_id })),
  text: (p: ParcelRef) => p.external_id,
  option: (p: ParcelRef) => ({ name: p.external_id }),
  key: (p: ParcelRef): [string, string] => ['data-parcel-id', String(p.id)],
};

/** Create (existing null) or edit a linkage contract; `onSaved` gets the stored contract's id. */
export function contractForm(existing: ContractInput | null, onSaved: (id: number) => void, onCancel?: () => void): HTMLElement {
  const e = existing;
  const code = input('code', e?.code ?? '');
  const lead = producerPicker('lead_id', e ? { id: e.lead.id, name: e.lead.name } : null);
  const parts = chips<ProducerRef>((p) => p.name, (p) => String(p.id), 'participant-chips');
  for (const p of e?.participants ?? []) parts.add({ id: p.id, name: p.name });
  const partPick: Picker<ProducerRef> = producerPicker('participant_pick', null, {
    onChange: (p) => { if (p) { parts.add(p); partPick.set(null); } },
    placeholder: t('chains.form.participant_search'),
  });
  const commodity = input('commodity', e?.commodity ?? '', { list: 'chain-commodities' });
  const commodities = h('datalist', { id: 'chain-commodities' }, ...COMMODITIES.map((c) => h('option', { value: c }, t(`chains.commodity.${c}` as MessageKey))));
  const start = dateInput('start', e?.start ?? '');
  const end = dateInput('end', e?.end ?? '');
  // A date as typed (dd/mm/yyyy in Vietnamese); one that is not a date goes as typed.
  const iso = (d: DateInput): string => d.value() ?? d.input.value;
  const committed = input('committed_kg', e ? String(e.committed_kg) : '', { inputmode: 'decimal' });
  const quality = input('quality', e?.quality ?? '');
  const price = select('price_mechanism', [{ value: '', label: t('chains.form.price_none') }, ...['fixed', 'floor', 'market_linked'].map((p) => ({ value: p, label: t(`chains.price.${p}` as MessageKey) }))], e?.price_mechanism ?? '');
  const priceNote = input('price_note', e?.price_note ?? '');
  const inputs = h('textarea', { name: 'inputs_services', rows: 2 }, e?.inputs_services ?? '');
  const documents = h('textarea', { name: 'documents', rows: 2 }, (e?.documents ?? []).join('\n'));
  const parcels = chips<ParcelRef>((p) => p.external_id, (p) => String(p.id), 'parcel-chips');
  // The covered parcels (the contract names their ids): kept at once, labelled with their
  // registry id once read.
  for (const id of e?.parcel_ids ?? []) parcels.add({ id, external_id: `#${id}` });
  void Promise.all(parcels.items.map((p) => api.get<ParcelRef>(`/api/v1/parcels/${p.id}`).then((x) => { p.external_id = x.external_id; }, () => undefined)))
    .then(() => parcels.redraw());
  const parcelPick: Picker<ParcelRef> = picker<ParcelRef>('parcel_pick', parcelSource, null, {
    onChange: (p) => { if (p) { parcels.add(p); parcelPick.set(null); } },
    placeholder: t('chains.form.parcel_search'),
  });
  const zones = h('div', { class: 'checks', 'data-testid': 'zone-checks' }, h('span', { class: 'muted small' }, '…'));
  void loadZones().then((zs) => {
    replace(zones, ...(zs.length ? zs.map((z) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'zone_ids', value: String(z.id), checked: (e?.zone_ids ?? []).includes(z.id) }), ` ${z.name}`)) : [h('span', { class: 'muted small' }, t('common.none'))]));
  }).catch(() => replace(zones, h('span', { class: 'muted small' }, t('common.none'))));
  const slot = h('div', { class: 'form-alert' });
  const f = h(
    'form',
    { class: 'form-grid', novalidate: true, 'data-testid': 'contract-form' },
    field(t('chains.form.code'), code, { name: 'code', required: true }),
    field(t('chains.lead'), lead.el, { name: 'lead_id', required: true, hint: t('chains.form.lead_hint') }),
    field(t('chains.participants'), h('div', null, parts.el, partPick.el), { name: 'participant_ids', required: true }),
    field(t('chains.commodity'), h('div', null, commodity, commodities), { name: 'commodity', required: true, hint: t('chains.form.commodity_hint') }),
    field(t('chains.form.start'), start.el, { name: 'start', required: true }),
    field(t('chains.form.end'), end.el, { name: 'end', required: true }),
    field(t('chains.committed_total'), committed, { name: 'committed_kg', required: true, hint: t('chains.form.committed_hint') }),
    field(t('chains.quality'), quality, { name: 'quality' }),
    field(t('chains.form.price_mechanism'), price, { name: 'price_mechanism' }),
    field(t('chains.form.price_note'), priceNote, { name: 'price_note' }),
    field(t('chains.inputs'), inputs, { name: 'inputs_services' }),
    field(t('chains.documents'), documents, { name: 'documents', hint: t('chains.form.list_hint') }),
    field(t('chains.form.parcels'), h('div', null, parcels.el, parcelPick.el), { name: 'parcel_ids' }),
    field(t('chains.form.zones'), zones, { name: 'zone_ids' }),
    slot,
    actions(e ? t('common.save') : t('chains.form.create_contract'), 'save-contract', onCancel),
  );
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearFieldErrors(f);
    const body = {
      code: code.value, lead_id: lead.value()?.id ?? null, participant_ids: parts.items.map((p) => p.id),
      commodity: commodity.value, start: iso(start), end: iso(end), committed_kg: num(committed) ?? null,
      quality: quality.value, price_mechanism: price.value, price_note: priceNote.value, inputs_services: inputs.value,
      documents: list(documents.value), parcel_ids: parcels.items.map((p) => p.id),
      zone_ids: [...zones.querySelectorAll<HTMLInputElement>('input[name=zone_ids]:checked')].map((c) => Number(c.value)),
    };
    request<{ id: number }>(e ? 'PUT' : 'POST', e ? `/api/v1/chains/contracts/${e.id}` : '/api/v1/chains/contracts', { body })
      .then((r) => onSaved(r.id))
      .catch((err) => showFormError(f, slot, err));
  });
  return f;
}

/** Enter a processing facility: its capacity by product, one row each. */
export function facilityForm(onSaved: () => void): HTMLElement {
  const code = input('code');
  const name = input('name');
  const operator = producerPicker('operator_id', null);
  const commune = select('unit_id', [{ value: '', label: t('chains.form.commune_of_operator') }], '');
  void loadCommunes().then((us) => { for (const u of us) commune.append(h('option', { value: String(u.id) }, u.name)); }).catch(() => undefined);
  const tech = select('technology', ['manual', 'semi_mechanised', 'automated'].map((s) => ({ value: s, label: t(`chains.tech.${s}` as MessageKey) })), 'manual');
  const certs = input('certifications', '', { placeholder: 'VietGAP; HACCP' });
  const rows = h('div', { class: 'capacity-rows', 'data-testid': 'capacity-rows' });
  const addRow = (): void => {
    const i = rows.children.length;
    rows.append(h('div', { class: 'capacity-row' },
      field(t('chains.commodity'), input(`capacities[${i}].commodity`, '', { list: 'chain-commodities-f' }), { name: `capacities[${i}].commodity` }),
      field(t('chains.form.product'), input(`capacities[${i}].product`), { name: `capacities[${i}].product` }),
      field(t('chains.form.capacity_t'), input(`capacities[${i}].capacity_t_per_season`, '', { inputmode: 'decimal' }), { name: `capacities[${i}].capacity_t_per_season` })));
  };
  addRow();
  const slot = h('div', { class: 'form-alert' });
  const f = h(
    'form',
    { class: 'form-grid', novalidate: true, 'data-testid': 'facility-form' },
    field(t('chains.form.facility_code'), code, { name: 'code', required: true }),
    field(t('chains.form.name'), name, { name: 'name', required: true }),
    field(t('chains.operator'), operator.el, { name: 'operator_id' }),
    field(t('chains.form.commune'), commune, { name: 'unit_id' }),
    field(t('chains.technology'), tech, { name: 'technology', required: true }),
    field(t('chains.certifications'), certs, { name: 'certifications', hint: t('chains.form.list_hint') }),
    h('datalist', { id: 'chain-commodities-f' }, ...COMMODITIES.map((c) => h('option', { value: c }, t(`chains.commodity.${c}` as MessageKey)))),
    h('fieldset', { class: 'span-2' }, h('legend', null, t('chains.capacity')), rows,
      h('button', { type: 'button', class: 'btn btn-sm', onclick: addRow }, t('chains.form.add_product'))),
    slot,
    actions(t('chains.form.create_facility'), 'save-facility'),
  );
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearFieldErrors(f);
    const capacities = [...rows.querySelectorAll('.capacity-row')].map((r) => {
      const v = (k: string): HTMLInputElement => r.querySelector<HTMLInputElement>(`input[name$=".${k}"]`)!;
      return { commodity: v('commodity').value, product: v('product').value, capacity_t_per_season: num(v('capacity_t_per_season')) ?? null };
    }).filter((c) => c.commodity || c.product || c.capacity_t_per_season !== null);
    const body: Record<string, unknown> = { code: code.value, name: name.value, technology: tech.value, certifications: list(certs.value), capacities };
    if (operator.value()) body.operator_id = operator.value()!.id;
    if (commune.value) body.unit_id = Number(commune.value);
    request('POST', '/api/v1/chains/facilities', { body })
      .then(() => onSaved())
      .catch((err) => showFormError(f, slot, err));
  });
  return f;
}

/** Enter an investment project for a processing plant or an industrial cluster. */
export function investmentForm(onSaved: () => void): HTMLElement {
  const code = input('code');
  const name = input('name');
  const kind = select('kind', ['plant', 'industrial_cluster'].map((k) => ({ value: k, label: t(`chains.invest.kind.${k}` as MessageKey) })), 'plant');
  const status = select('status', INVESTMENT_STATUSES.map((s) => ({ value: s, label: t(`chains.invest.status.${s}` as MessageKey) })), 'proposed');
  const investor = input('investor');
  const commodity = input('commodity', '', { list: 'chain-commodities-i' });
  const commune = select('unit_id', [{ value: '', label: t('chains.form.commune_province') }], '');
  void loadCommunes().then((us) => { for (const u of us) commune.append(h('option', { value: String(u.id) }, u.name)); }).catch(() => undefined);
  const land = input('land_ha', '', { inputmode: 'decimal' });
  const raw = input('raw_material_t', '', { inputmode: 'decimal' });
  const slot = h('div', { class: 'form-alert' });
  const f = h(
    'form',
    { class: 'form-grid', novalidate: true, 'data-testid': 'investment-form' },
    field(t('chains.form.project_code'), code, { name: 'code', required: true }),
    field(t('chains.form.name'), name, { name: 'name', required: true }),
    field(t('chains.invest.kind'), kind, { name: 'kind', required: true }),
    field(t('chains.invest.status'), status, { name: 'status', required: true }),
    field(t('chains.invest.investor'), investor, { name: 'investor' }),
    field(t('chains.commodity'), h('div', null, commodity, h('datalist', { id: 'chain-commodities-i' }, ...COMMODITIES.map((c) => h('option', { value: c }, t(`chains.commodity.${c}` as MessageKey))))), { name: 'commodity' }),
    field(t('chains.form.commune'), commune, { name: 'unit_id' }),
    field(t('chains.invest.land_ha'), land, { name: 'land_ha' }),
    field(t('chains.invest.raw_material_t'), raw, { name: 'raw_material_t' }),
    slot,
    actions(t('chains.form.create_investment'), 'save-investment'),
  );
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearFieldErrors(f);
    const body: Record<string, unknown> = { code: code.value, name: name.value, kind: kind.value, status: status.value, investor: investor.value, commodity: commodity.value };
    if (commune.value) body.unit_id = Number(commune.value);
    for (const [k, el] of [['land_ha', land], ['raw_material_t', raw]] as const) if (el.value.trim()) body[k] = num(el);
    request('POST', '/api/v1/chains/investments', { body })
      .then(() => onSaved())
      .catch((err) => showFormError(f, slot, err));
  });
  return f;
}

export const INVESTMENT_STATUSES = ['proposed', 'approved', 'under_construction', 'operating', 'suspended'];
