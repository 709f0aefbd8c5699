// The registry's write dialogs: parcels (new, attributes, boundary), land
// rights, plantings, conversions, ending a right or a planting, producers and
// zones. Each sends one request; the server checks scope and validity and its
// per-field messages appear next to the fields.
import { api } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { clearFieldErrors, dateInput, field, openDialog, select, setLocalError, showFormError, type DateInput } from '../../lib/ui';
import { shapeMap } from '../../lib/shapes';
import { fmtDate, fmtNumber, lang, numberForInput, parseNumber, t, todayIso } from '../../i18n';
import {
  FROM_USES,
  KNOWN_CROPS,
  PARCEL_STATES,
  PRODUCER_KINDS,
  RIGHT_KINDS,
  ZONE_STATUSES,
  cropLabel,
  fromUseLabel,
  loadCommunes,
  loadZones,
  parcelStateLabel,
  producerKindLabel,
  producerPicker,
  rightKindLabel,
  zoneStatusLabel,
  geometryBBox,
  type FeatureCollection,
  type Geometry,
  type ParcelDetail,
  type ParcelItem,
  type ParcelProps,
  type Producer,
  type ProducerDetail,
  type Zone,
} from '../../lib/registry';

// ---- plumbing -----------------------------------------------------------------

class LocalError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/** A dialog with a form; `submit` throws LocalError for a field, or the ApiError of the request. */
function formDialog(title: string, controls: (HTMLElement | string)[], submit: () => Promise<void>, opts: { wide?: boolean; grid?: boolean; submitLabel?: string } = {}): void {
  const slot = h('div', { class: 'form-alert', 'aria-live': 'assertive' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'form-save' }, opts.submitLabel ?? t('common.save'));
  const cancel = h('button', { type: 'button', class: 'btn' }, t('common.cancel'));
  const form = h('form', { class: opts.grid ? 'form form-grid' : 'form', novalidate: true }, slot, ...controls, h('div', { class: 'form-actions' }, cancel, save));
  const dlg = openDialog(title, [form], { wide: opts.wide });
  cancel.addEventListener('click', () => dlg.close());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    replace(slot);
    save.disabled = true;
    save.textContent = t('common.saving');
    try {
      await submit();
      dlg.close();
    } catch (err) {
      if (err instanceof LocalError) setLocalError(form, err.field, err.message);
      else showFormError(form, slot, err);
      save.disabled = false;
      save.textContent = opts.submitLabel ?? t('common.save');
    }
  });
  (form.querySelector('input:not([type=hidden]):not([tabindex="-1"]),select,textarea') as HTMLElement | null)?.focus();
}

function text(name: string, value = '', attrs: Record<string, string> = {}): HTMLInputElement {
  return h('input', { type: 'text', name, value, autocomplete: 'off', ...attrs });
}

function numberInput(name: string, value: number | null | undefined): HTMLInputElement {
  return h('input', { type: 'text', name, inputmode: 'decimal', autocomplete: 'off', value: numberForInput(value ?? null) });
}

const numberHint = (): string => (lang() === 'vi' ? '1.234,5' : '1,234.5');

function readNumber(input: HTMLInputElement, name: string, required: boolean): number | null {
  if (input.value.trim() === '') {
    if (required) throw new LocalError(name, t('common.required'));
    return null;
  }
  const v = parseNumber(input.value);
  if (v === null) throw new LocalError(name, t('common.invalid_number'));
  return v;
}

function readDate(d: DateInput, name: string, required: boolean): string | null {
  const v = d.value();
  if (v === null) throw new LocalError(name, t('common.invalid_date'));
  if (v === '' && required) throw new LocalError(name, t('common.required'));
  return v || null;
}

/** The geometry of a GeoJSON file: a Geometry, a Feature, or the first feature of a collection. */
async function readGeometry(input: HTMLInputElement, name: string, required: boolean): Promise<Geometry | null> {
  const file = input.files?.[0];
  if (!file) {
    if (required) throw new LocalError(name, t('common.required'));
    return null;
  }
  let data: unknown;
  try {
    data = JSON.parse(await file.text());
  } catch {
    throw new LocalError(name, t('registry.geojson_invalid'));
  }
  const obj = data as { type?: string; geometry?: unknown; features?: { geometry?: unknown }[] };
  const g = (obj.type === 'FeatureCollection' ? obj.features?.[0]?.geometry : obj.type === 'Feature' ? obj.geometry : obj) as Geometry | undefined;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) throw new LocalError(name, t('registry.geojson_polygon'));
  return g;
}

function geometryInput(name: string): HTMLInputElement {
  return h('input', { type: 'file', name, accept: '.geojson,.json,application/geo+json,application/json' });
}

async function communeSelect(name: string, value: number | null, allowNone: boolean): Promise<HTMLSelectElement> {
  const communes = await loadCommunes().catch(() => []);
  const opts = communes.map((u) => ({ value: String(u.id), label: u.name }));
  if (value && !communes.some((u) => u.id === value)) opts.unshift({ value: String(value), label: `#${value}` });
  return select(name, allowNone ? [{ value: '', label: t('common.none') }, ...opts] : opts, value ? String(value) : '');
}

/** A crop from the known list, or another code typed in. */
async function cropControl(name: string, value: string): Promise<{ el: HTMLElement; value(): string }> {
  const zones = await loadZones().catch(() => [] as Zone[]);
  const codes = new Set<string>([...KNOWN_CROPS, ...zones.map((z) => z.commodity)]);
  if (value) codes.add(value);
  const sorted = [...codes].sort((a, b) => cropLabel(a).localeCompare(cropLabel(b), 'vi'));
  const sel = select(name, [{ value: '', label: '—' }, ...sorted.map((c) => ({ value: c, label: cropLabel(c) })), { value: '__other', label: t('crop.other') }], value);
  const other = text(`${name}_other`, '', { placeholder: t('crop.other_hint'), hidden: 'hidden' });
  sel.addEventListener('change', () => {
    other.hidden = sel.value !== '__other';
    if (!other.hidden) other.focus();
  });
  return {
    el: h('div', { class: 'stack' }, sel, other),
    value: () => (sel.value === '__other' ? other.value.trim() : sel.value),
  };
}

// ---- parcels --------------------------------------------------------------------

// The live overlap check of a saved boundary (docs/rules.md §5): the save is kept and
// the officer is told which current parcels the boundary overlaps, largest first.
export interface SavedOverlap { id: number | null; external_id: string | null; overlap_m2: number }
export function overlapWarning(overlaps: SavedOverlap[] | null | undefined): string | null {
  if (!overlaps || overlaps.length === 0) return null;
  const shown = overlaps.slice(0, 5).map((o) =>
    o.id === null ? t('parcel.overlap_hidden', { m2: fmtNumber(o.overlap_m2, 1) }) : t('parcel.overlap_one', { id: o.external_id ?? String(o.id), m2: fmtNumber(o.overlap_m2, 1) }),
  );
  const more = overlaps.length > 5 ? ` ${t('parcel.overlap_more', { n: overlaps.length - 5 })}` : '';
  return `${t('parcel.overlap_warning', { n: overlaps.length })} ${shown.join('; ')}${more}`;
}
const FLASH_WARN = 'nongsan.flash.warn';
export function keepOverlapWarning(saved: { overlaps?: SavedOverlap[] | null } | null | undefined): void {
  const w = overlapWarning(saved?.overlaps);
  if (w) sessionStorage.setItem(FLASH_WARN, w);
}
export function takeOverlapWarning(): string | null {
  const w = sessionStorage.getItem(FLASH_WARN);
  if (w) sessionStorage.removeItem(FLASH_WARN);
  return w;
}

export function openParcelForm(onCreated: (p: ParcelItem) => void): void {
  void (async () => {
    const ext = text('external_id');
    const sheet = text('sheet_no');
    const no = text('parcel_no');
    const commune = await communeSelect('commune_id', null, true);
    const luc = text('land_use_code', '', { placeholder: 'LUC, LUK, BHK, CLN…' });
    const st = select('state', PARCEL_STATES.map((s) => ({ value: s, label: parcelStateLabel(s) })), 'in_use');
    const official = numberInput('official_area_m2', null);
    const from = dateInput('valid_from', todayIso());
    const geom = geometryInput('geometry');
    formDialog(
      t('parcels.add'),
      [
        field(t('parcel.external_id'), ext, { name: 'external_id', required: true }),
        field(t('parcel.commune'), commune, { name: 'commune_id' }),
        field(t('parcel.sheet_no'), sheet, { name: 'sheet_no' }),
        field(t('parcel.parcel_no'), no, { name: 'parcel_no' }),
        field(t('parcel.land_use_code'), luc, { name: 'land_use_code' }),
        field(t('parcel.state'), st, { name: 'state' }),
        field(t('parcel.official_area_m2'), official, { name: 'official_area_m2', hint: numberHint() }),
        field(t('parcel.valid_from'), from.el, { name: 'valid_from' }),
        h('div', { class: 'fieldset' }, field(t('parcel.geometry_file'), geom, { name: 'geometry', required: true, hint: t('registry.geojson_hint') })),
      ],
      async () => {
        const body = {
          external_id: ext.value.trim(),
          commune_id: commune.value ? Number(commune.value) : null,
          sheet_no: sheet.value.trim(),
          parcel_no: no.value.trim(),
          land_use_code: luc.value.trim(),
          state: st.value,
          official_area_m2: readNumber(official, 'official_area_m2', false),
          valid_from: readDate(from, 'valid_from', false) ?? todayIso(),
          geometry: await readGeometry(geom, 'geometry', true),
        };
        const created = await api.post<ParcelItem & { overlaps?: SavedOverlap[] | null }>('/api/v1/parcels', body);
        keepOverlapWarning(created);
        onCreated(created);
      },
      { grid: true, wide: true },
    );
  })();
}

export function openParcelEdit(p: ParcelDetail, onSaved: () => void): void {
  void (async () => {
    const sheet = text('sheet_no', p.sheet_no);
    const no = text('parcel_no', p.parcel_no);
    const commune = await communeSelect('commune_id', p.commune?.id ?? null, true);
    const luc = text('land_use_code', p.land_use_code);
    const st = select('state', PARCEL_STATES.map((s) => ({ value: s, label: parcelStateLabel(s) })), p.state);
    const official = numberInput('official_area_m2', p.official_area_m2);
    const geom = geometryInput('geometry');
    const effective = dateInput('effective_date', todayIso());
    formDialog(
      t('parcel.edit'),
      [
        field(t('parcel.sheet_no'), sheet, { name: 'sheet_no' }),
        field(t('parcel.parcel_no'), no, { name: 'parcel_no' }),
        field(t('parcel.commune'), commune, { name: 'commune_id' }),
        field(t('parcel.land_use_code'), luc, { name: 'land_use_code' }),
        field(t('parcel.state'), st, { name: 'state' }),
        field(t('parcel.official_area_m2'), official, { name: 'official_area_m2', hint: numberHint() }),
        h(
          'fieldset',
          { class: 'fieldset' },
          h('legend', null, t('parcel.new_boundary')),
          field(t('parcel.geometry_file'), geom, { name: 'geometry', hint: t('parcel.new_boundary_hint') }),
          field(t('parcel.effective_date'), effective.el, { name: 'effective_date' }),
        ),
      ],
      async () => {
        // Only what changed, so the audit trail shows the real change.
        const body: Record<string, unknown> = {};
        if (sheet.value.trim() !== p.sheet_no) body.sheet_no = sheet.value.trim();
        if (no.value.trim() !== p.parcel_no) body.parcel_no = no.value.trim();
        const c = commune.value ? Number(commune.value) : null;
        if (c !== (p.commune?.id ?? null)) body.commune_id = c;
        if (luc.value.trim() !== p.land_use_code) body.land_use_code = luc.value.trim();
        if (st.value !== p.state) body.state = st.value;
        const area = readNumber(official, 'official_area_m2', false);
        if (area !== p.official_area_m2) body.official_area_m2 = area;
        const g = await readGeometry(geom, 'geometry', false);
        if (g) {
          body.geometry = g;
          body.effective_date = readDate(effective, 'effective_date', false) ?? todayIso();
        }
        if (Object.keys(body).length) keepOverlapWarning(await api.patch<{ overlaps?: SavedOverlap[] | null }>(`/api/v1/parcels/${p.id}`, body));
        onSaved();
      },
      { grid: true, wide: true },
    );
  })();
}

// ---- rights, plantings, conversions ----------------------------------------------

export function openRightForm(parcelId: number, onSaved: () => void): void {
  const who = producerPicker('producer', null);
  const kind = select('kind', RIGHT_KINDS.map((k) => ({ value: k, label: rightKindLabel(k) })), 'owner');
  const from = dateInput('valid_from', todayIso());
  const to = dateInput('valid_to', '');
  const doc = text('document', '', { placeholder: t('right.document_hint') });
  formDialog(
    t('right.add'),
    [
      field(t('right.producer'), who.el, { name: 'producer_id', required: true }),
      field(t('right.kind'), kind, { name: 'kind', required: true, hint: t('right.kind_hint') }),
      field(t('right.valid_from'), from.el, { name: 'valid_from', required: true }),
      field(t('right.valid_to'), to.el, { name: 'valid_to', hint: t('common.optional') }),
      field(t('right.document'), doc, { name: 'document' }),
    ],
    async () => {
      const p = who.value();
      if (!p) throw new LocalError('producer_id', t('common.required'));
      await api.post(`/api/v1/parcels/${parcelId}/rights`, {
        producer_id: p.id,
        kind: kind.value,
        valid_from: readDate(from, 'valid_from', true),
        valid_to: readDate(to, 'valid_to', false),
        document: doc.value.trim(),
      });
      onSaved();
    },
  );
}

/** Ends a right or a planting on a date (its last day). */
export function openEndForm(title: string, url: string, fieldName: 'valid_to' | 'end_date', onSaved: () => void): void {
  const d = dateInput(fieldName, todayIso());
  formDialog(
    title,
    [h('p', { class: 'muted small' }, t('registry.end_explain')), field(t('registry.last_day'), d.el, { name: fieldName, required: true })],
    async () => {
      await api.post(url, { [fieldName]: readDate(d, fieldName, true) });
      onSaved();
    },
    { submitLabel: t('registry.end') },
  );
}

export function openPlantingForm(p: ParcelDetail, onSaved: () => void): void {
  void (async () => {
    const crop = await cropControl('crop', '');
    const variety = text('variety');
    const perennial = h('input', { type: 'checkbox', name: 'perennial' });
    const season = text('season', '', { placeholder: t('planting.season_hint') });
    const year = h('input', { type: 'number', name: 'planted_year', min: '1950', max: '2100', step: '1', inputmode: 'numeric', class: 'input-year' });
    const start = dateInput('start_date', todayIso());
    const end = dateInput('end_date', '');
    const area = numberInput('planted_area_m2', p.area_m2 !== null ? Math.round(p.area_m2) : null);
    formDialog(
      t('planting.add'),
      [
        field(t('planting.crop'), crop.el, { name: 'crop', required: true }),
        field(t('planting.variety'), variety, { name: 'variety' }),
        h('div', { class: 'field field-check', 'data-field': 'perennial' }, h('label', null, perennial, t('planting.perennial'))),
        field(t('planting.season'), season, { name: 'season' }),
        field(t('planting.planted_year'), year, { name: 'planted_year' }),
        field(t('planting.start_date'), start.el, { name: 'start_date', required: true }),
        field(t('planting.end_date'), end.el, { name: 'end_date', hint: t('common.optional') }),
        field(t('planting.area_m2'), area, { name: 'planted_area_m2', required: true, hint: t('planting.area_hint', { area: fmtNumber(p.area_m2, 0) }) }),
      ],
      async () => {
        const c = crop.value();
        if (!c) throw new LocalError('crop', t('common.required'));
        await api.post(`/api/v1/parcels/${p.id}/plantings`, {
          crop: c,
          variety: variety.value.trim(),
          perennial: perennial.checked,
          season: season.value.trim(),
          planted_year: year.value === '' ? null : Number(year.value),
          start_date: readDate(start, 'start_date', true),
          end_date: readDate(end, 'end_date', false),
          planted_area_m2: readNumber(area, 'planted_area_m2', true),
        });
        onSaved();
      },
      { grid: true, wide: true },
    );
  })();
}

export function openConversionForm(p: ParcelDetail, onSaved: () => void): void {
  void (async () => {
    const from = select('from_use', FROM_USES.map((f) => ({ value: f, label: fromUseLabel(f) })), p.state === 'idle' ? 'idle' : 'inefficient_rice');
    const crop = await cropControl('to_crop', '');
    const date = dateInput('date', todayIso());
    const area = numberInput('area_m2', p.area_m2 !== null ? Math.round(p.area_m2) : null);
    const note = h('textarea', { name: 'note', rows: '2' });
    formDialog(
      t('conversion.add'),
      [
        field(t('conversion.from_use'), from, { name: 'from_use', required: true }),
        field(t('conversion.to_crop'), crop.el, { name: 'to_crop', required: true }),
        field(t('conversion.date'), date.el, { name: 'date', required: true }),
        field(t('conversion.area_m2'), area, { name: 'area_m2', required: true, hint: numberHint() }),
        field(t('conversion.note'), note, { name: 'note' }),
      ],
      async () => {
        const c = crop.value();
        if (!c) throw new LocalError('to_crop', t('common.required'));
        await api.post(`/api/v1/parcels/${p.id}/conversions`, {
          from_use: from.value,
          to_crop: c,
          date: readDate(date, 'date', true),
          area_m2: readNumber(area, 'area_m2', true),
          note: note.value.trim(),
        });
        onSaved();
      },
    );
  })();
}

// ---- producers ----------------------------------------------------------------------

export function openProducerForm(existing: ProducerDetail | null, onSaved: (p: Producer) => void): void {
  void (async () => {
    const editing = existing !== null;
    const kind = select('kind', PRODUCER_KINDS.map((k) => ({ value: k, label: producerKindLabel(k) })), existing?.kind ?? 'household', editing ? { disabled: true } : {});
    const ext = text('external_id', existing?.external_id ?? '', editing ? { disabled: 'disabled' } : {});
    const name = text('name', existing?.name ?? '');
    const unit = await communeSelect('unit_id', existing?.unit?.id ?? null, false);
    const members = h('input', { type: 'number', name: 'members_count', min: '0', step: '1', inputmode: 'numeric', value: existing?.members_count ?? '' });
    const ethnicity = text('ethnicity', existing?.ethnicity ?? '');
    const citizen = text('citizen_id', '', { placeholder: editing ? existing.citizen_id : '', inputmode: 'numeric' });
    const tax = text('tax_code', existing?.tax_code ?? '');
    const phone = h('input', { type: 'tel', name: 'phone', autocomplete: 'off', placeholder: editing ? existing.phone : '' });
    const address = text('address', existing?.address ?? '');
    const org = producerPicker('organisation', null, { placeholder: t('producer.organisation_hint') });
    formDialog(
      editing ? t('producer.edit') : t('producer.add'),
      [
        field(t('producer.kind'), kind, { name: 'kind', required: true }),
        field(t('producer.external_id'), ext, { name: 'external_id' }),
        field(t('producer.name'), name, { name: 'name', required: true }),
        field(t('producer.unit'), unit, { name: 'unit_id', required: true }),
        field(t('producer.members_count'), members, { name: 'members_count' }),
        field(t('producer.ethnicity'), ethnicity, { name: 'ethnicity' }),
        field(t('producer.citizen_id'), citizen, { name: 'citizen_id', hint: editing ? t('users.masked_note') : undefined }),
        field(t('producer.phone'), phone, { name: 'phone', hint: editing ? t('users.masked_note') : undefined }),
        field(t('producer.tax_code'), tax, { name: 'tax_code', hint: t('producer.tax_code_hint') }),
        field(t('producer.address'), address, { name: 'address' }),
        editing ? '' : field(t('producer.organisation'), org.el, { name: 'organisation_id', hint: t('common.optional') }),
      ],
      async () => {
        const count = members.value === '' ? null : Number(members.value);
        if (editing) {
          const body: Record<string, unknown> = {};
          if (name.value.trim() !== existing.name) body.name = name.value.trim();
          if (Number(unit.value) !== existing.unit?.id) body.unit_id = Number(unit.value);
          if (count !== existing.members_count) body.members_count = count;
          if (ethnicity.value.trim() !== existing.ethnicity) body.ethnicity = ethnicity.value.trim();
          if (tax.value.trim() !== existing.tax_code) body.tax_code = tax.value.trim();
          if (address.value.trim() !== existing.address) body.address = address.value.trim();
          if (citizen.value.trim()) body.citizen_id = citizen.value.trim();
          if (phone.value.trim()) body.phone = phone.value.trim();
          onSaved(Object.keys(body).length ? await api.patch<Producer>(`/api/v1/producers/${existing.id}`, body) : existing);
        } else {
          onSaved(
            await api.post<Producer>('/api/v1/producers', {
              external_id: ext.value.trim(),
              kind: kind.value,
              name: name.value.trim(),
              unit_id: unit.value ? Number(unit.value) : null,
              members_count: count,
              ethnicity: ethnicity.value.trim(),
              citizen_id: citizen.value.trim(),
              tax_code: tax.value.trim(),
              phone: phone.value.trim(),
              address: address.value.trim(),
              organisation_id: org.value()?.id ?? null,
            }),
          );
        }
      },
      { grid: true, wide: true },
    );
  })();
}

// ---- zones ----------------------------------------------------------------------------

export function openZoneForm(existing: Zone | null, onSaved: (z: Zone) => void): void {
  void (async () => {
    const editing = existing !== null;
    const code = text('code', existing?.code ?? '', editing ? { disabled: 'disabled' } : {});
    const name = text('name', existing?.name ?? '');
    const crop = await cropControl('commodity', existing?.commodity ?? '');
    const unit = await communeSelect('unit_id', existing?.unit?.id ?? null, true);
    unit.disabled = editing;
    const planned = numberInput('planned_area_ha', existing?.planned_area_ha);
    const decision = text('decision', existing?.decision ?? '');
    const from = dateInput('period_from', existing?.period_from ?? '');
    const to = dateInput('period_to', existing?.period_to ?? '');
    const st = select('status', ZONE_STATUSES.map((s) => ({ value: s, label: zoneStatusLabel(s) })), existing?.status ?? 'planned');
    const geom = geometryInput('geometry');
    formDialog(
      editing ? t('zone.edit') : t('zone.add'),
      [
        field(t('zone.code'), code, { name: 'code', required: true }),
        field(t('zone.name'), name, { name: 'name', required: true }),
        field(t('zone.commodity'), crop.el, { name: 'commodity', required: true }),
        field(t('zone.unit'), unit, { name: 'unit_id' }),
        field(t('zone.planned_area'), planned, { name: 'planned_area_ha', hint: numberHint() }),
        field(t('zone.status'), st, { name: 'status' }),
        field(t('zone.period_from'), from.el, { name: 'period_from' }),
        field(t('zone.period_to'), to.el, { name: 'period_to' }),
        field(t('zone.decision'), decision, { name: 'decision' }),
        h('div', { class: 'fieldset' }, field(t('zone.geometry_file'), geom, { name: 'geometry', required: !editing, hint: editing ? t('zone.geometry_keep') : t('registry.geojson_hint') })),
      ],
      async () => {
        const c = crop.value();
        if (!c) throw new LocalError('commodity', t('common.required'));
        const fields: Record<string, unknown> = {
          name: name.value.trim(),
          commodity: c,
          unit_id: unit.value ? Number(unit.value) : null,
          planned_area_ha: readNumber(planned, 'planned_area_ha', false),
          decision: decision.value.trim(),
          period_from: readDate(from, 'period_from', false),
          period_to: readDate(to, 'period_to', false),
          status: st.value,
        };
        const g = await readGeometry(geom, 'geometry', !editing);
        if (editing) {
          // Only what changed (the commune of a zone is fixed once created).
          const before: Record<string, unknown> = { ...existing, unit_id: existing.unit?.id ?? null };
          const body: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(fields)) if (k !== 'unit_id' && v !== before[k]) body[k] = v;
          if (g) body.geometry = g;
          onSaved(Object.keys(body).length ? await api.patch<Zone>(`/api/v1/zones/${existing.id}`, body) : existing);
        } else {
          onSaved(await api.post<Zone>('/api/v1/zones', { code: code.value.trim(), ...fields, geometry: g }));
        }
      },
      { grid: true, wide: true },
    );
  })();
}

// ---- split and merge ------------------------------------------------------------------

type Ring = number[][];

/** Polygons of a geometry as lists of rings. */
function polygonsOf(g: Geometry): Ring[][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/** Signed area in a local plane (x scaled by cos latitude), in square degrees of latitude. */
function ringArea(r: Ring, k: number): number {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] * k) * r[i][1] - (r[i][0] * k) * r[j][1];
  return a / 2;
}

function area(polys: Ring[][], k: number): number {
  let s = 0;
  for (const p of polys) p.forEach((r, i) => (s += i === 0 ? Math.abs(ringArea(r, k)) : -Math.abs(ringArea(r, k))));
  return s;
}

const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

/**
 * Keeps the part of a ring where dx·x·k + dy·y ≤ c (Sutherland–Hodgman against
 * one half-plane). The crossing point of an edge is computed from its endpoints
 * in a fixed order, so the two parts of a split share exactly the same cut.
 */
function clipRing(r: Ring, dx: number, dy: number, c: number, k: number, keepBelow: boolean): Ring {
  const side = (p: number[]): number => (dx * p[0] * k + dy * p[1] - c) * (keepBelow ? 1 : -1);
  const cross = (a: number[], b: number[]): number[] => {
    const [p, q] = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]) ? [a, b] : [b, a];
    const sp = dx * p[0] * k + dy * p[1] - c;
    const sq = dx * q[0] * k + dy * q[1] - c;
    const t = sp / (sp - sq);
    return [round7(p[0] + (q[0] - p[0]) * t), round7(p[1] + (q[1] - p[1]) * t)];
  };
  const pts = r.slice(0, r.length - 1);
  const out: number[][] = [];
  for (let i = 0; i < pts.length; i++) {
    const cur = pts[i];
    const prev = pts[(i + pts.length - 1) % pts.length];
    const cin = side(cur) <= 0;
    const pin = side(prev) <= 0;
    if (cin) {
      if (!pin) out.push(cross(prev, cur));
      out.push(cur);
    } else if (pin) out.push(cross(prev, cur));
  }
  if (out.length < 3) return [];
  return [...out, out[0]];
}

function clip(polys: Ring[][], dx: number, dy: number, c: number, k: number, keepBelow: boolean): Ring[][] {
  const out: Ring[][] = [];
  for (const p of polys) {
    const outer = clipRing(p[0], dx, dy, c, k, keepBelow);
    if (!outer.length) continue;
    out.push([outer, ...p.slice(1).map((h) => clipRing(h, dx, dy, c, k, keepBelow)).filter((h) => h.length)]);
  }
  return out;
}

/** The two parts of a parcel cut by a straight line at `angle` degrees, the first holding `share` of the area. */
export function splitByLine(g: Geometry, angleDeg: number, share: number): [Geometry, Geometry] | null {
  const polys = polygonsOf(g);
  const lat0 = polys[0][0].reduce((s, p) => s + p[1], 0) / polys[0][0].length;
  const k = Math.cos((lat0 * Math.PI) / 180);
  const a = (angleDeg * Math.PI) / 180;
  // The cut runs along the angle; parts lie on either side of it (normal dx, dy).
  const dx = -Math.sin(a);
  const dy = Math.cos(a);
  let lo = Infinity, hi = -Infinity;
  for (const p of polys) for (const [x, y] of p[0]) {
    const v = dx * x * k + dy * y;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const total = area(polys, k);
  let c = (lo + hi) / 2;
  for (let i = 0, a0 = lo, a1 = hi; i < 60; i++) {
    c = (a0 + a1) / 2;
    if (area(clip(polys, dx, dy, c, k, true), k) < share * total) a0 = c;
    else a1 = c;
  }
  const one = clip(polys, dx, dy, c, k, true);
  const two = clip(polys, dx, dy, c, k, false);
  if (!one.length || !two.length) return null;
  return [
    { type: 'MultiPolygon', coordinates: one },
    { type: 'MultiPolygon', coordinates: two },
  ];
}

export function openSplitForm(p: ParcelDetail, onDone: () => void): void {
  if (!p.geometry) return;
  const parent = p.geometry;
  const angle = h('input', { type: 'range', name: 'angle', min: '0', max: '179', step: '1', value: '90' });
  const share = h('input', { type: 'range', name: 'share', min: '10', max: '90', step: '1', value: '50' });
  const shareOut = h('output', null, '50 %');
  const ext1 = text('part_1', `${p.external_id}-1`);
  const ext2 = text('part_2', `${p.external_id}-2`);
  const date = dateInput('date', todayIso());
  const file = geometryInput('parts');
  const preview = h('div', { class: 'split-preview', 'data-testid': 'split-preview' });
  let parts: [Geometry, Geometry] | null = null;
  const draw = (): void => {
    parts = splitByLine(parent, Number(angle.value), Number(share.value) / 100);
    shareOut.textContent = `${share.value} % / ${100 - Number(share.value)} %`;
    replace(
      preview,
      shapeMap(
        parts
          ? [
              { geometry: parts[0], fill: '#2f6b3a', opacity: 0.6, stroke: '#163d22', strokeWidth: 1.5, title: ext1.value },
              { geometry: parts[1], fill: '#d95f02', opacity: 0.6, stroke: '#7a3500', strokeWidth: 1.5, title: ext2.value },
            ]
          : [{ geometry: parent, fill: '#ccc', stroke: '#333' }],
        { label: t('parcel.split'), width: 320, height: 200 },
      ),
    );
  };
  angle.addEventListener('input', draw);
  share.addEventListener('input', draw);
  draw();
  formDialog(
    t('parcel.split'),
    [
      h('p', { class: 'muted small' }, t('parcel.split_explain')),
      preview,
      field(t('parcel.split_angle'), angle, { name: 'angle' }),
      field(t('parcel.split_share'), h('div', { class: 'range-row' }, share, shareOut), { name: 'share' }),
      field(t('parcel.split_part', { n: 1 }), ext1, { name: 'parts[0].external_id', required: true }),
      field(t('parcel.split_part', { n: 2 }), ext2, { name: 'parts[1].external_id', required: true }),
      field(t('parcel.split_date'), date.el, { name: 'date', required: true, hint: t('parcel.split_date_hint') }),
      h('details', { class: 'small' }, h('summary', null, t('parcel.split_file')), field(t('parcel.geometry_file'), file, { name: 'parts', hint: t('parcel.split_file_hint') })),
    ],
    async () => {
      let body: { date: string | null; parts: { external_id: string; geometry: Geometry }[] };
      const d = readDate(date, 'date', true) as string;
      if (d <= p.valid_from) throw new LocalError('date', t('parcel.date_after', { date: fmtDate(p.valid_from) }));
      const f = file.files?.[0];
      if (f) {
        let data: { features?: { properties?: { external_id?: string }; geometry?: Geometry }[] };
        try {
          data = JSON.parse(await f.text());
        } catch {
          throw new LocalError('parts', t('registry.geojson_invalid'));
        }
        const feats = data.features ?? [];
        if (feats.length < 2) throw new LocalError('parts', t('parcel.split_file_hint'));
        body = { date: d, parts: feats.map((x, i) => ({ external_id: String(x.properties?.external_id ?? `${p.external_id}-${i + 1}`), geometry: x.geometry as Geometry })) };
      } else {
        if (!parts) throw new LocalError('angle', t('parcel.split_failed'));
        body = { date: d, parts: [{ external_id: ext1.value.trim(), geometry: parts[0] }, { external_id: ext2.value.trim(), geometry: parts[1] }] };
      }
      await api.post(`/api/v1/parcels/${p.id}/split`, body);
      onDone();
    },
    { wide: true, submitLabel: t('parcel.split') },
  );
}

/** The shortest distance in metres between the boundaries of two shapes (vertices against edges, both ways). */
function gapMetres(a: Geometry, b: Geometry): number {
  const ra = polygonsOf(a).flat();
  const rb = polygonsOf(b).flat();
  const lat0 = ra[0][0][1];
  const kx = 111320 * Math.cos((lat0 * Math.PI) / 180);
  const ky = 110574;
  const toXY = (r: Ring): number[][] => r.map(([x, y]) => [x * kx, y * ky]);
  const A = ra.map(toXY);
  const B = rb.map(toXY);
  const segDist = (p: number[], s: number[], e: number[]): number => {
    const dx = e[0] - s[0], dy = e[1] - s[1];
    const len = dx * dx + dy * dy;
    const t = len ? Math.max(0, Math.min(1, ((p[0] - s[0]) * dx + (p[1] - s[1]) * dy) / len)) : 0;
    return Math.hypot(p[0] - (s[0] + t * dx), p[1] - (s[1] + t * dy));
  };
  let best = Infinity;
  for (const [P, Q] of [[A, B], [B, A]])
    for (const r of P)
      for (const pt of r)
        for (const q of Q)
          for (let i = 1; i < q.length; i++) best = Math.min(best, segDist(pt, q[i - 1], q[i]));
  return best;
}

/** Neighbours within this distance can be merged (digitising gaps, as the zone measures allow). */
const MERGE_GAP_M = 2;

export function openMergeForm(p: ParcelDetail, onDone: (newId: number, rightsCarried: boolean) => void): void {
  void (async () => {
    const b = geometryBBox(p.geometry);
    if (!b) return;
    const pad = Math.max(b[2] - b[0], b[3] - b[1]) * 0.6;
    const near = await api.get<FeatureCollection<ParcelProps>>('/api/v1/map/parcels', { bbox: [b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad].map((v) => v.toFixed(6)).join(','), limit: 200 });
    const self = p.geometry as Geometry;
    const others = near.features.filter((f) => f.properties.id !== p.id && f.geometry && gapMetres(self, f.geometry) <= MERGE_GAP_M);
    const chosen = new Set<number>();
    const preview = h('div', { class: 'split-preview', 'data-testid': 'merge-preview' });
    const list = h('div', { class: 'merge-list' });
    const boxes = new Map<number, HTMLInputElement>();
    const draw = (): void => {
      replace(
        preview,
        shapeMap(
          [
            ...others.map((f) => ({
              geometry: f.geometry,
              fill: chosen.has(f.properties.id) ? '#d95f02' : '#e9eee7',
              opacity: chosen.has(f.properties.id) ? 0.65 : 1,
              stroke: '#8a9a86',
              strokeWidth: 0.8,
              title: f.properties.external_id,
              onClick: () => {
                const box = boxes.get(f.properties.id);
                if (box) {
                  box.checked = !box.checked;
                  box.dispatchEvent(new Event('change'));
                }
              },
            })),
            { geometry: p.geometry ?? null, fill: '#2f6b3a', opacity: 0.7, stroke: '#163d22', strokeWidth: 2, title: p.external_id },
          ],
          { label: t('parcel.merge'), width: 320, height: 220, frame: { type: 'Polygon', coordinates: [[[b[0] - pad / 2, b[1] - pad / 2], [b[2] + pad / 2, b[1] - pad / 2], [b[2] + pad / 2, b[3] + pad / 2], [b[0] - pad / 2, b[3] + pad / 2], [b[0] - pad / 2, b[1] - pad / 2]]] } },
        ),
      );
    };
    for (const f of others.slice(0, 40)) {
      const box = h('input', { type: 'checkbox', name: 'parcel_ids', value: String(f.properties.id) });
      box.addEventListener('change', () => {
        if (box.checked) chosen.add(f.properties.id);
        else chosen.delete(f.properties.id);
        draw();
      });
      boxes.set(f.properties.id, box);
      list.append(h('label', { class: 'check' }, box, f.properties.external_id, h('span', { class: 'muted small' }, ` · ${cropLabel(f.properties.crop)}${f.properties.holder ? ` · ${f.properties.holder}` : ''}`)));
    }
    draw();
    const ext = text('external_id', `${p.external_id}-G`);
    const date = dateInput('date', todayIso());
    formDialog(
      t('parcel.merge'),
      [
        h('p', { class: 'muted small' }, t('parcel.merge_explain', { id: p.external_id })),
        preview,
        field(t('parcel.merge_with'), others.length ? list : h('p', { class: 'muted' }, t('parcel.merge_none')), { name: 'parcel_ids' }),
        field(t('parcel.merge_new_id'), ext, { name: 'external_id', required: true }),
        field(t('parcel.split_date'), date.el, { name: 'date', required: true }),
      ],
      async () => {
        if (!chosen.size) throw new LocalError('parcel_ids', t('parcel.merge_pick'));
        const d = readDate(date, 'date', true) as string;
        if (d <= p.valid_from) throw new LocalError('date', t('parcel.date_after', { date: fmtDate(p.valid_from) }));
        const r = await api.post<{ parcel: { id: number }; rights_carried_over?: boolean }>('/api/v1/parcels/merge', { parcel_ids: [p.id, ...chosen], date: d, external_id: ext.value.trim() });
        onDone(r.parcel.id, r.rights_carried_over !== false);
      },
      { wide: true, submitLabel: t('parcel.merge') },
    );
  })();
}
