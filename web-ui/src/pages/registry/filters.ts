// The parcel filters shared by the registry map and the parcel list: commune,
// zone, crop, holder (a producer search) and state; the list adds finding a parcel
// by its code (q), map sheet and parcel number. They live in the URL, so a
// filtered map and the same list link to each other.
import { h, replace } from '../../lib/dom';
import { field, select } from '../../lib/ui';
import { t } from '../../i18n';
import { PARCEL_STATES, PROGRAMME_CROPS, cropLabel, loadCommunes, loadZones, parcelStateLabel, producerPicker } from '../../lib/registry';

export interface ParcelFilters {
  commune_id: string;
  zone_id: string;
  crop: string;
  holder_id: string;
  holder_name: string;
  state: string;
  /** Part of the code, "sheet/parcel" (12/345) or a parcel number (the list only). */
  q: string;
  sheet_no: string;
  parcel_no: string;
}

export const FILTER_KEYS = ['commune_id', 'zone_id', 'crop', 'holder_id', 'state', 'q', 'sheet_no', 'parcel_no'] as const;
/** The keys only the parcel list searches by (the map has no use for them). */
const SEARCH_KEYS = ['q', 'sheet_no', 'parcel_no'] as const;

export function readFilters(q: URLSearchParams): ParcelFilters {
  return {
    commune_id: q.get('commune_id') ?? '',
    zone_id: q.get('zone_id') ?? '',
    crop: q.get('crop') ?? '',
    holder_id: q.get('holder_id') ?? '',
    holder_name: q.get('holder_name') ?? '',
    state: q.get('state') ?? '',
    q: q.get('q') ?? '',
    sheet_no: q.get('sheet_no') ?? '',
    parcel_no: q.get('parcel_no') ?? '',
  };
}

/** For the URL: the filters and the holder's name (so the search box can show it again). */
export function filterQuery(f: ParcelFilters): Record<string, string> {
  return { commune_id: f.commune_id, zone_id: f.zone_id, crop: f.crop, holder_id: f.holder_id, holder_name: f.holder_id ? f.holder_name : '', state: f.state, q: f.q, sheet_no: f.sheet_no, parcel_no: f.parcel_no };
}

/** For the map's URL: the filters the map applies (not the list's search). */
export function mapFilterQuery(f: ParcelFilters): Record<string, string> {
  const q = filterQuery(f);
  for (const k of SEARCH_KEYS) delete q[k];
  return q;
}

/** For the API: only what /parcels and /map/parcels accept. */
export function apiFilters(f: ParcelFilters): Record<string, string> {
  return { commune_id: f.commune_id, zone_id: f.zone_id, crop: f.crop, holder_id: f.holder_id, state: f.state };
}

/** For GET /parcels: the map's filters and the search by code, sheet and parcel number. */
export function listApiFilters(f: ParcelFilters): Record<string, string> {
  return { ...apiFilters(f), q: f.q, sheet_no: f.sheet_no, parcel_no: f.parcel_no };
}

export function activeFilters(f: ParcelFilters): number {
  return FILTER_KEYS.filter((k) => f[k] !== '').length;
}

export function queryString(q: Record<string, string>): string {
  const s = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== '')).toString();
  return s ? `?${s}` : '';
}

export interface FilterBar {
  el: HTMLElement;
  /** "Filters (n)": shows and hides the form on a phone (hidden by CSS on a laptop). */
  toggle: HTMLButtonElement;
  ready: Promise<void>;
  /** Crops seen in the data, added to the crop list. */
  addCrops(codes: string[]): void;
}

/** A text box for a search key, calling back a moment after the typing stops. */
function searchBox(name: 'q' | 'sheet_no' | 'parcel_no', f: ParcelFilters, placeholder: string, onChange: (key: keyof ParcelFilters) => void): HTMLInputElement {
  const el = h('input', { type: name === 'q' ? 'search' : 'text', name, value: f[name], placeholder, autocomplete: 'off', class: name === 'q' ? '' : 'input-short' });
  let timer = 0;
  el.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      const v = el.value.trim();
      if (v === f[name]) return;
      f[name] = v;
      onChange(name);
    }, 300);
  });
  return el;
}

export function filterBar(f: ParcelFilters, changed: (key: keyof ParcelFilters) => void, extra: HTMLElement[] = [], opts: { search?: boolean } = {}): FilterBar {
  const onChange = (key: keyof ParcelFilters): void => {
    changed(key);
    paintToggle();
  };
  const commune = select('commune_id', [{ value: '', label: t('common.all') }], f.commune_id);
  const zone = select('zone_id', [{ value: '', label: t('common.all') }], f.zone_id);
  const crop = select('crop', [{ value: '', label: t('common.all') }], f.crop);
  const state = select('state', [{ value: '', label: t('common.all') }, ...PARCEL_STATES.map((s) => ({ value: s, label: parcelStateLabel(s) }))], f.state);
  const holder = producerPicker('holder', f.holder_id ? { id: Number(f.holder_id), name: f.holder_name || `#${f.holder_id}` } : null, {
    onChange: (p) => {
      const id = p ? String(p.id) : '';
      if (id === f.holder_id) return;
      f.holder_id = id;
      f.holder_name = p?.name ?? '';
      onChange('holder_id');
    },
  });
  const crops = new Set<string>(PROGRAMME_CROPS);
  if (f.crop) crops.add(f.crop);
  const fillCrops = (): void => {
    const current = crop.value || f.crop;
    const sorted = [...crops].sort((a, b) => cropLabel(a).localeCompare(cropLabel(b), 'vi'));
    replace(crop, h('option', { value: '' }, t('common.all')), ...sorted.map((c) => h('option', { value: c }, cropLabel(c))));
    crop.value = current;
  };
  fillCrops();
  const bind = (el: HTMLSelectElement, key: keyof ParcelFilters): void => {
    el.addEventListener('change', () => {
      f[key] = el.value;
      onChange(key);
    });
  };
  bind(commune, 'commune_id');
  bind(zone, 'zone_id');
  bind(crop, 'crop');
  bind(state, 'state');
  const search = opts.search
    ? [
        field(t('parcels.search'), searchBox('q', f, t('parcels.search_placeholder'), onChange), { name: 'q' }),
        field(t('parcel.sheet_no'), searchBox('sheet_no', f, t('parcels.sheet_placeholder'), onChange), { name: 'sheet_no' }),
        field(t('parcel.parcel_no'), searchBox('parcel_no', f, t('parcels.parcel_placeholder'), onChange), { name: 'parcel_no' }),
      ]
    : [];
  const clearBtn = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'clear-filters' }, t('common.clear'));
  clearBtn.addEventListener('click', () => {
    for (const k of FILTER_KEYS) f[k] = '';
    f.holder_name = '';
    commune.value = zone.value = crop.value = state.value = '';
    holder.input.value = '';
    for (const el of search) for (const i of el.querySelectorAll('input')) i.value = '';
    onChange('commune_id');
  });

  const ready = (async () => {
    const [communes, zones] = await Promise.all([loadCommunes().catch(() => []), loadZones().catch(() => [])]);
    for (const u of communes) commune.append(h('option', { value: String(u.id) }, u.name));
    if (f.commune_id && !communes.some((u) => String(u.id) === f.commune_id)) commune.append(h('option', { value: f.commune_id }, `#${f.commune_id}`));
    commune.value = f.commune_id;
    for (const z of zones) zone.append(h('option', { value: String(z.id) }, `${z.name} (${cropLabel(z.commodity)})`));
    if (f.zone_id && !zones.some((z) => String(z.id) === f.zone_id)) zone.append(h('option', { value: f.zone_id }, `#${f.zone_id}`));
    zone.value = f.zone_id;
    for (const z of zones) crops.add(z.commodity);
    fillCrops();
  })();

  const el = h(
    'form',
    { class: 'filters reg-filters collapsible', role: 'search', 'data-testid': 'parcel-filters', onsubmit: (ev: Event) => ev.preventDefault() },
    ...search,
    field(t('parcel.commune'), commune, { name: 'commune_id' }),
    field(t('parcel.zone'), zone, { name: 'zone_id' }),
    field(t('parcel.crop'), crop, { name: 'crop' }),
    field(t('parcel.holder'), holder.el, { name: 'holder_id' }),
    field(t('parcel.state'), state, { name: 'state' }),
    ...extra,
    h('div', { class: 'field field-button' }, clearBtn),
  );
  const toggle = h('button', { type: 'button', class: 'btn btn-small filter-toggle', 'aria-expanded': 'false', 'data-testid': 'filter-toggle' });
  function paintToggle(): void {
    const n = activeFilters(f);
    replace(toggle, t('registry.filters'), n ? h('span', { class: 'count-pill' }, String(n)) : '');
    toggle.setAttribute('aria-expanded', String(el.classList.contains('open')));
  }
  toggle.addEventListener('click', () => {
    el.classList.toggle('open');
    paintToggle();
  });
  paintToggle();
  return {
    el,
    toggle,
    ready,
    addCrops(codes: string[]) {
      let added = false;
      for (const c of codes)
        if (c && !crops.has(c)) {
          crops.add(c);
          added = true;
        }
      if (added) fillCrops();
    },
  };
}
