// The land registry's records as the API returns them (src/api/handlers/
// registry_handlers.cpp), their labels in both languages, crop colours, and the
// small pickers and lists the registry pages share.
import { ApiError, api, type EmptyReason, type Page, type UnitRef } from './api';
import { h } from './dom';
import { picker, type Picker, type PickerSource } from './picker';
import { shapeBounds } from './shapes';
import { badge } from './ui';
import { t, fmtNumber, fmtPercent, labelOf, lang, type MessageKey } from '../i18n';

export type ProducerKind = 'household' | 'cooperative' | 'cooperative_group' | 'enterprise' | 'farm';
export type RightKind = 'owner' | 'lessee' | 'contributed';
export type ParcelState = 'in_use' | 'idle' | 'inefficient_rice';
export type FromUse = 'rice' | 'inefficient_rice' | 'idle' | 'other';
export type ZoneStatus = 'planned' | 'active' | 'closed';

export const PRODUCER_KINDS: ProducerKind[] = ['household', 'cooperative', 'cooperative_group', 'enterprise', 'farm'];
export const RIGHT_KINDS: RightKind[] = ['owner', 'lessee', 'contributed'];
export const PARCEL_STATES: ParcelState[] = ['in_use', 'idle', 'inefficient_rice'];
export const FROM_USES: FromUse[] = ['inefficient_rice', 'rice', 'idle', 'other'];
export const ZONE_STATUSES: ZoneStatus[] = ['planned', 'active', 'closed'];

export type Geometry =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

export interface Producer {
  id: number;
  external_id: string;
  kind: ProducerKind;
  name: string;
  unit: UnitRef | null;
  members_count: number | null;
  ethnicity: string;
  citizen_id: string;
  tax_code: string;
  phone: string;
  address: string;
  illustrative: boolean;
  created_at: string;
  updated_at: string;
}

export interface ProducerDetail extends Producer {
  members: { id: number; name: string }[];
  organisations: { id: number; name: string }[];
  rights: {
    id: number;
    kind: RightKind;
    valid_from: string;
    valid_to: string | null;
    parcel: { id: number; external_id: string; area_ha: number | null } | null;
  }[];
  possible_duplicates: number[];
}

export interface Holder {
  producer_id: number;
  name: string;
  kind: ProducerKind;
  right: RightKind;
  since: string;
}

export interface ParcelItem {
  id: number;
  external_id: string;
  sheet_no: string;
  parcel_no: string;
  commune: UnitRef | null;
  land_use_code: string;
  /** The code in the land-use catalogue (docs/rules.md §12); null for a code it does not know. */
  land_use?: LandUse | null;
  state: ParcelState;
  official_area_m2: number | null;
  area_m2: number | null;
  area_ha: number | null;
  valid_from: string;
  valid_to: string | null;
  crops: string[];
  holder: Holder | null;
  illustrative: boolean;
  source: string;
}

export interface LandRight {
  id: number;
  producer: { id: number; name: string; kind: ProducerKind } | null;
  kind: RightKind;
  valid_from: string;
  valid_to: string | null;
  document: string;
}

export interface Planting {
  id: number;
  crop: string;
  variety: string;
  perennial: boolean;
  season: string;
  planted_year: number | null;
  start_date: string;
  end_date: string | null;
  planted_area_m2: number;
  active: boolean;
}

export interface Conversion {
  id: number;
  from_use: FromUse;
  to_crop: string;
  date: string;
  area_m2: number;
  note: string;
}

export interface LandUse {
  code: string;
  name_vi: string;
  name_en: string;
  group: string;
  sourced: boolean;
}

/** A zone the parcel lies in (GET /parcels/{id}: `zones`, largest share first). */
export interface ParcelZone {
  id: number;
  code: string;
  name: string;
  commodity: string;
  unit: UnitRef | null;
  inside_m2: number;
  share_pct: number;
  illustrative: boolean;
}

export type SuitabilityClass = 'S1' | 'S2' | 'S3' | 'N';
export const SUITABILITY_CLASSES: SuitabilityClass[] = ['S1', 'S2', 'S3', 'N'];

/** One crop's last evaluation of a parcel (GET /parcels/{id}/suitability). */
export interface ParcelSuitability {
  crop: string;
  name_vi: string;
  name_en: string;
  dominant_class: SuitabilityClass | 'nodata' | null;
  limiting_factor: string | null;
  hectares: Record<SuitabilityClass | 'nodata', number>;
  total_ha: number;
  run_id: number;
  profile_version: number;
  run_at: string;
}

/** The land-use code's name in the user's language; null when the catalogue does not know the code. */
export function landUseName(p: { land_use?: LandUse | null }): string | null {
  if (!p.land_use) return null;
  return lang() === 'en' && p.land_use.name_en ? p.land_use.name_en : p.land_use.name_vi;
}

export interface ParcelDetail extends ParcelItem {
  zones?: ParcelZone[];
  rights: LandRight[];
  plantings: Planting[];
  conversions: Conversion[];
  geometry_history: { valid_from: string; valid_to: string | null; area_m2: number | null; geometry: Geometry | null }[];
  lineage: { relation: 'from' | 'into'; event: 'split' | 'merge' | string; date: string; parcel: { id: number; external_id: string } | null }[];
  geometry?: Geometry;
  as_of: string;
  valid_on_as_of?: boolean;
}

export interface Zone {
  id: number;
  code: string;
  name: string;
  commodity: string;
  unit: UnitRef | null;
  planned_area_ha: number | null;
  decision: string;
  period_from: string | null;
  period_to: string | null;
  status: ZoneStatus;
  illustrative: boolean;
}

/** A background job (GET /api/v1/jobs/{id}); the topology check is one. */
export interface Job {
  id: number;
  kind: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted';
  progress: { done: number; total: number; stage: string } | null;
  started_by: string;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  result: unknown;
  error: string | null;
}

/** When one kind of topology finding was last checked, and by whom. */
export interface TopologyCheck {
  kind: FindingKind | string;
  checked_at: string;
  checked_by: string;
  parcels_checked: number;
  findings_in_scope: number;
  job_id: number | null;
}

/** GET /api/v1/topology/findings: a page of findings and how the checks stand. */
export interface FindingsPage extends Page<Finding> {
  last_checks?: TopologyCheck[];
  running?: Job | null;
}

export interface ZoneMeasures {
  as_of: string;
  commodity: string;
  zone_area_ha?: number;
  planned_area_ha?: number | null;
  planted_area_ha?: number;
  share_of_planned_pct?: number | null;
  parcels_in_zone?: number;
  commodity_parcels?: number;
  producers?: number;
  mean_parcel_size_ha?: number | null;
  parcels_per_ha?: number | null;
  blocks?: number;
  largest_block_ha?: number;
  largest_block_share_pct?: number | null;
  method?: string;
}

export interface ZoneDetail extends Zone {
  measures: ZoneMeasures;
  geometry?: Geometry;
}

export interface ConversionSummary {
  from: string | null;
  to: string | null;
  conversions: number;
  total_ha: number;
  from_inefficient_rice_ha: number;
  by_from_use_ha: Record<string, number>;
  by_crop_ha: Record<string, number>;
  by_commune: { unit: UnitRef | null; hectares: number }[];
}

export type FindingKind = 'overlap' | 'outside' | 'invalid' | 'sliver';
export const FINDING_KINDS: FindingKind[] = ['overlap', 'outside', 'invalid', 'sliver'];
/** A parcel named by a finding: the server gives its external id; an id or a small object is read as well. */
export type FindingParcel = string | number | { id: number; external_id?: string } | null;
export interface Finding {
  id?: number;
  kind: FindingKind | string;
  parcel_a: FindingParcel;
  parcel_b: FindingParcel;
  value: number | null;
  message: string;
  checked_at: string;
}

export interface Feature<P> {
  type: 'Feature';
  id?: number | string;
  properties: P;
  geometry: Geometry | null;
}
export interface FeatureCollection<P> {
  type: 'FeatureCollection';
  features: Feature<P>[];
  total?: number;
  truncated?: boolean;
}

export interface ParcelProps {
  id: number;
  external_id: string;
  crop: string | null;
  zone: string | null;
  state: ParcelState;
  land_use_code: string;
  holder: string | null;
  area_ha: number | null;
  illustrative?: boolean;
  color?: string;
}

// ---- labels ----------------------------------------------------------------

export const producerKindLabel = (k: string): string => labelOf('producer.kind', k, PRODUCER_KINDS);
export const rightKindLabel = (k: string): string => labelOf('right.kind', k, RIGHT_KINDS);
export const parcelStateLabel = (s: string): string => labelOf('parcel.state', s, PARCEL_STATES);
export const fromUseLabel = (s: string): string => labelOf('from_use', s, FROM_USES);
export const zoneStatusLabel = (s: string): string => labelOf('zone.status', s, ZONE_STATUSES);
export const findingKindLabel = (s: string): string => labelOf('topology.kind', s, FINDING_KINDS);

/** Crop codes with a label in both dictionaries; any other code is shown as it is. */
export const KNOWN_CROPS = [
  'tea', 'tea_shan_tuyet', 'macadamia', 'rice', 'rice_paddy', 'rice_upland', 'pineapple', 'cardamom', 'black_cardamom',
  'purple_amomum', 'passion_fruit', 'sweet_corn', 'maize', 'fruit', 'plum', 'longan', 'banana', 'orchid', 'ginseng',
  'cinnamon', 'vegetables', 'citrus',
] as const;

/** The province's programme crops, offered in the crop filter even before any zone names them. */
export const PROGRAMME_CROPS = ['tea', 'macadamia', 'rice', 'pineapple', 'cardamom', 'passion_fruit', 'fruit'];

export function cropLabel(code: string | null | undefined): string {
  if (!code) return t('crop.none');
  return (KNOWN_CROPS as readonly string[]).includes(code) ? t(`crop.${code}` as MessageKey) : code.replace(/_/g, ' ');
}

const CROP_COLORS: Record<string, string> = {
  tea: '#2e7d32',
  tea_shan_tuyet: '#558b2f',
  macadamia: '#8d6e63',
  rice: '#f2c500',
  rice_paddy: '#f2c500',
  rice_upland: '#d4a900',
  pineapple: '#fb8c00',
  cardamom: '#8e24aa',
  black_cardamom: '#6a1b9a',
  purple_amomum: '#ba68c8',
  passion_fruit: '#3949ab',
  sweet_corn: '#c0ca33',
  maize: '#c0ca33',
  fruit: '#e53935',
  plum: '#d81b60',
  longan: '#a1887f',
  banana: '#9ccc65',
  orchid: '#f06292',
  ginseng: '#5d4037',
  cinnamon: '#795548',
  vegetables: '#26a69a',
  citrus: '#00acc1',
};
const EXTRA = ['#1e88e5', '#00897b', '#f4511e', '#3949ab', '#7cb342', '#6d4c41', '#00acc1', '#5e35b1'];
export const NO_CROP_COLOR = '#d9d9d9';

function hash(s: string): number {
  let x = 0;
  for (let i = 0; i < s.length; i++) x = (x * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(x);
}

export function cropColor(code: string | null | undefined): string {
  if (!code) return NO_CROP_COLOR;
  return CROP_COLORS[code] ?? EXTRA[hash(code) % EXTRA.length];
}

/** Soft, distinct colours for zones, by their order in the zone list. */
export const ZONE_PALETTE = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#1f78b4', '#b2df8a', '#fb9a99', '#cab2d6', '#6a3d9a'];
export const NO_ZONE_COLOR = '#c8c8c8';

export function cropChip(code: string): HTMLElement {
  return h('span', { class: 'crop-chip', 'data-crop': code }, h('span', { class: 'dot', style: { background: cropColor(code) } }), cropLabel(code));
}

export function illustrativeBadge(on: boolean | undefined): HTMLElement | null {
  return on ? badge(t('registry.illustrative'), 'warn', t('registry.illustrative_note')) : null;
}

export function stateBadge(s: ParcelState): HTMLElement {
  return badge(parcelStateLabel(s), s === 'in_use' ? 'ok' : s === 'idle' ? 'muted' : 'warn');
}

/** m² as ha with the language's separators: 2.705,02 m² → "0,27 ha". */
export function haFromM2(m2: number | null | undefined, digits = 2): string {
  if (m2 === null || m2 === undefined) return t('common.none');
  return `${fmtNumber(m2 / 10000, digits)} ha`;
}

export function ha(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined) return t('common.none');
  return `${fmtNumber(v, digits)} ha`;
}

export function findingParcelName(p: FindingParcel): string {
  if (p === null || p === undefined || p === '') return '';
  if (typeof p === 'string') return p;
  return typeof p === 'number' ? `#${p}` : p.external_id || `#${p.id}`;
}

/**
 * Where a finding's parcel opens: its page when the id is known, otherwise a
 * look-up by external id near the finding (the API has no search by external id).
 */
export function findingParcelHref(p: FindingParcel, near?: Geometry | null): string | null {
  if (p === null || p === undefined || p === '') return null;
  if (typeof p === 'number') return `/registry/parcels/${p}`;
  if (typeof p === 'object') return p.id ? `/registry/parcels/${p.id}` : null;
  const qs = new URLSearchParams({ external_id: p });
  const b = near ? geometryBBox(near) : null;
  if (b) qs.set('bbox', b.map((v) => v.toFixed(6)).join(','));
  return `/registry/parcels/find?${qs.toString()}`;
}

/** The finding's measure: m² for overlaps and slivers, the share outside for a parcel across a commune boundary. */
export function findingValue(f: Finding): string {
  if (f.value === null || f.value === undefined) return t('common.none');
  if (f.kind === 'outside') return f.value <= 1 ? fmtPercent(f.value) : `${fmtNumber(f.value, 1)} %`;
  if (f.kind === 'overlap' || f.kind === 'sliver') return `${fmtNumber(f.value, 1)} m²`;
  return fmtNumber(f.value, 2);
}

/** A sentence in the user's language; the server's own message (English, with GEOS details) stays available as a tooltip. */
export function findingText(f: Finding): string {
  const a = findingParcelName(f.parcel_a);
  const b = findingParcelName(f.parcel_b);
  switch (f.kind) {
    case 'overlap':
      return t('topology.text.overlap', { a, b, value: findingValue(f) });
    case 'outside':
      return t('topology.text.outside', { a, value: findingValue(f) });
    case 'sliver':
      return t('topology.text.sliver', { a, value: findingValue(f) });
    case 'invalid':
      return t('topology.text.invalid', { a, message: f.message });
    default:
      return f.message;
  }
}

export function geometryBBox(g: Geometry | null | undefined): [number, number, number, number] | null {
  return shapeBounds([g]);
}

let openapi: Promise<Set<string>> | null = null;

/**
 * Whether the server offers a route (from its OpenAPI document, read once), so
 * that optional screens can ask before calling instead of failing with a 404.
 */
export async function serverHasRoute(path: string): Promise<boolean> {
  if (!openapi)
    openapi = api
      .get<{ paths?: Record<string, unknown> }>('/api/openapi.json')
      .then((d) => new Set(Object.keys(d.paths ?? {})))
      .catch(() => {
        openapi = null;
        return new Set<string>(['*']);
      });
  const paths = await openapi;
  return paths.has('*') || paths.has(path);
}

/** True when the server does not have the route at all (an older server), not when a record is missing. */
export function routeMissing(err: unknown): boolean {
  // The server writes it in the page's language (src/core/messages/vi.json).
  return err instanceof ApiError && err.status === 404 && /no such API route|không có đường dẫn API/i.test(err.message);
}

// ---- shared look-ups (cached for the session of a page) ----------------------

let communesCache: Promise<UnitRef[]> | null = null;
let zonesCache: Promise<Zone[]> | null = null;
let zonesEmptyReason: EmptyReason | undefined;

/** The communes in force today, for the commune filter. */
export function loadCommunes(): Promise<UnitRef[]> {
  if (!communesCache) {
    communesCache = (async () => {
      const out: UnitRef[] = [];
      for (let page = 1; page < 20; page++) {
        const r = await api.get<Page<UnitRef>>('/api/v1/units', { level: 'commune', page, page_size: 200 });
        out.push(...r.items.map((u) => ({ id: u.id, code: u.code, name: u.name, level: u.level })));
        if (out.length >= r.total || !r.items.length) break;
      }
      return out.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    })().catch((err) => {
      communesCache = null;
      throw err;
    });
  }
  return communesCache;
}

export function loadZones(force = false): Promise<Zone[]> {
  if (!zonesCache || force) {
    zonesCache = api
      .get<{ items: Zone[]; empty?: EmptyReason }>('/api/v1/zones')
      .then((r) => {
        zonesEmptyReason = r.empty;
        return r.items;
      })
      .catch((err) => {
        zonesCache = null;
        throw err;
      });
  }
  return zonesCache;
}

/** The server's reason when the zones in scope are none (see lib/list.ts serverEmpty). */
export function zonesEmpty(): EmptyReason | undefined {
  return zonesEmptyReason;
}

export function forgetZones(): void {
  zonesCache = null;
}

// ---- producer picker ---------------------------------------------------------

export interface ProducerRef {
  id: number;
  name: string;
}

export type ProducerPicker = Picker<ProducerRef>;

/** Producers by name (the server ignores diacritics: "lo van" finds "Lò Văn"). */
export const producerSource: PickerSource<ProducerRef & { kind?: ProducerKind; unit?: UnitRef | null }> = {
  search: async (q) => (await api.get<Page<Producer>>('/api/v1/producers', { q, page_size: 15 })).items.map((p) => ({ id: p.id, name: p.name, kind: p.kind, unit: p.unit })),
  text: (p) => p.name,
  option: (p) => ({ name: p.name, detail: `· ${p.kind ? producerKindLabel(p.kind) : ''}${p.unit ? ` · ${p.unit.name}` : ''}` }),
  key: (p) => ['data-producer-id', String(p.id)],
};

export function producerPicker(name: string, initial: ProducerRef | null, opts: { onChange?: (p: ProducerRef | null) => void; placeholder?: string } = {}): ProducerPicker {
  return picker<ProducerRef>(name, producerSource, initial, { placeholder: opts.placeholder ?? t('producer.search_placeholder'), onChange: opts.onChange });
}
