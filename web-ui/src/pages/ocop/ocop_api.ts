// The OCOP and certificate records and calls (src/api/handlers/ocop_handlers.cpp,
// certificate_handlers.cpp; docs/ocop.md), and their labels. No page code here.
import { api, request } from '../../lib/api';
import { can } from '../../lib/session';
import { t, type MessageKey } from '../../i18n';

export type OcopStatus = 'none' | 'revoked' | 'expired' | 'expiring' | 'valid';
export const OCOP_STATUSES: OcopStatus[] = ['valid', 'expiring', 'expired', 'revoked', 'none'];

export interface StatusRow {
  product: string;
  name: string;
  stars: number;
  decision_date: string | null;
  expires: string | null;
  status: OcopStatus;
  level: 'province' | 'central' | null;
  proposed_to_centre: boolean;
  days_left: number | null;
}

export interface Evaluation {
  id: number;
  level: 'self' | 'province' | 'central';
  date: string;
  part_a: number;
  part_b: number;
  part_c: number;
  total: number;
  stars: number;
  proposed_to_centre: boolean;
  expires: string | null;
  decision: string;
}

export interface OcopProduct {
  product: string;
  name: string;
  subject: string;
  subject_name: string;
  group: number;
  group_name: string;
  commune: string | null;
  illustrative: boolean;
  on: string;
  standing: Omit<StatusRow, 'product' | 'name'>;
  evaluations: Evaluation[];
  events: { id: number; date: string; kind: 'revoked' | 'downgraded'; stars: number | null; reason: string }[];
  findings: Finding[];
}

/** A quality-watch finding: where it came from and whether a decision closed it. */
export interface Finding {
  id: number;
  found_on: string;
  kind: string;
  detail: string;
  origin: string;
  origin_kind: 'lab' | 'certificate' | 'entered';
  state: 'open' | 'decided';
  closed_by_event: number | null;
  decision: { id: number; kind: 'revoked' | 'downgraded'; date: string; stars: number | null; reason: string } | null;
}

export type LabCategory = 'pesticide_residue' | 'heavy_metal' | 'microbiological' | 'other';
export const LAB_CATEGORIES: LabCategory[] = ['pesticide_residue', 'heavy_metal', 'microbiological', 'other'];

export interface LabResult {
  id: number;
  sample: string;
  product: string;
  lot: string;
  laboratory: string;
  date: string;
  parameter: string;
  category: LabCategory;
  value: number;
  unit: string;
  limit: number;
  standard: string;
  passed: boolean;
  illustrative: boolean;
}

/** A dossier section: filled with its items, or a gap with the reason (Vietnamese). */
export interface Section<T> {
  filled: boolean;
  gap_vi: string | null;
  source: string;
  items: T[];
}

export interface DossierLot {
  lot: string;
  harvested_from: string;
  harvested_to: string;
  quantity_kg: number;
  parcels: string[];
  gtin: string | null;
  uri: string | null;
  path: string | null;
  held: boolean;
  epcis_events: number;
  trace_gap_vi: string | null;
}

export interface DossierSections {
  area_codes: Section<{ id: number; code: string | null; kind: string; crop: string; crop_name_vi: string; status: string; parcels: string[] }>;
  diary: Section<{ kind: string; entries: number }> & {
    from: string;
    to: string;
    warnings: { kind: string; entry: string; parcel: string; date: string; product: string; lot: string; detail: string }[];
  };
  lots: Section<DossierLot>;
  volumes: Section<{ year: number; harvests: number; harvested_kg: number }>;
  certificates: Section<{ code: string; kind: string; issuer: string; standard: string; valid_from: string; valid_to: string; status: string; covers: string; illustrative: boolean }>;
  linkage: Section<{ id: number; code: string; commodity: string; role: 'lead' | 'participant'; start: string; end: string; year_committed_kg: number; year_delivered_kg: number; illustrative: boolean }> & { year: number };
  lab_results: Section<LabResult>;
}

export interface Dossier {
  product: OcopProduct;
  producer: { id: string; name: string; kind: string };
  parcels: { id: number; parcel: string; area_m2: number; crops: string }[];
  parcel_area_m2: number;
  support: { applications: number; paid: number };
  sections: DossierSections;
  gaps: { key: string; text_vi: string }[];
}

export interface LabInput {
  sample: string;
  product: string;
  lot?: string;
  laboratory: string;
  date: string;
  parameter: string;
  category: string;
  value: number;
  unit: string;
  limit: number;
  standard?: string;
}

export interface CalendarItem {
  product: string;
  name: string;
  stars: number;
  decision_date: string | null;
  expires: string;
  notify_on: string;
}

export interface Certificate {
  code: string;
  kind: string;
  holder: string;
  holder_name: string;
  issuer: string;
  standard: string;
  mark: string;
  valid_from: string;
  valid_to: string;
  status: 'valid' | 'expiring' | 'expired' | 'not_yet';
  days_left: number;
  scope: { kind: string; target: string }[];
  illustrative: boolean;
}

export const ocopApi = {
  status: (on: string) => api.get<{ on: string; items: StatusRow[] }>('/api/v1/ocop/status', { on }),
  calendar: (from: string, to: string) =>
    api.get<{ from: string; to: string; notice_days: number; items: CalendarItem[] }>('/api/v1/ocop/calendar', { from, to }),
  product: (code: string, on: string) => api.get<OcopProduct>(`/api/v1/ocop/products/${encodeURIComponent(code)}`, { on }),
  dossier: (code: string, on: string) => api.get<Dossier>(`/api/v1/ocop/products/${encodeURIComponent(code)}/dossier`, { on }),
  addFinding: (code: string, body: { kind: string; date: string; detail: string }) =>
    request<OcopProduct>('POST', `/api/v1/ocop/products/${encodeURIComponent(code)}/findings`, { body }),
  decide: (code: string, body: { kind: string; date: string; stars?: number; reason: string; finding?: number }) =>
    request<OcopProduct>('POST', `/api/v1/ocop/products/${encodeURIComponent(code)}/decisions`, { body }),
  findings: (state: string) =>
    api.get<{ items: (Finding & { product: string; product_name: string; illustrative: boolean })[] }>('/api/v1/ocop/findings', { state }),
  watch: (on: string) => request<{ on: string; raised: { id: number; product: string; kind: string }[] }>('POST', '/api/v1/ocop/watch', { body: { on } }),
  labResults: (product: string) => api.get<{ product: string | null; items: LabResult[] }>('/api/v1/ocop/lab-results', { product }),
  addLabResult: (body: LabInput) => request<LabResult & { findings: unknown[] }>('POST', '/api/v1/ocop/lab-results', { body }),
  certificates: (on: string, status = '', kind = '') =>
    api.get<{ on: string; notice_days: number; items: Certificate[] }>('/api/v1/certificates', { on, status, kind }),
};

export const canManageOcop = (): boolean => can('ocop.manage');
export const canEnterOcop = (): boolean => can('ocop.enter');

export function statusLabel(s: string): string {
  return t(`ocop.status.${s}` as MessageKey);
}
export function levelLabel(s: string | null): string {
  return s ? t(`ocop.level.${s}` as MessageKey) : '';
}
export function certKindLabel(s: string): string {
  return t(`ocop.cert.kind.${s}` as MessageKey);
}
export function certStatusLabel(s: string): string {
  return t(`ocop.cert.status.${s}` as MessageKey);
}
export function labCategoryLabel(s: string): string {
  return t(`ocop.lab.category.${s}` as MessageKey);
}
export function findingLabel(s: string): string {
  return t(`ocop.finding.${s}` as MessageKey);
}
/** ★★★★☆ with the number for screen readers. */
export function starsText(n: number): string {
  return n > 0 ? '★'.repeat(n) + '☆'.repeat(Math.max(0, 5 - n)) : '—';
}
