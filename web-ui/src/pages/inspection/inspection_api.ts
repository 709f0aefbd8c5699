// The inspection records and calls (src/api/handlers/inspection_handlers.cpp;
// docs/inspection.md "Inspections and sync", "Decisions"), and their labels. No page code.
import { api, request } from '../../lib/api';
import type { Geometry } from '../../lib/registry';
import { can } from '../../lib/session';
import { t, type MessageKey } from '../../i18n';

export interface InspectionRow {
  code: string;
  subject_kind: string;
  subject_ref: string;
  checklist_kind: string;
  status: 'assigned' | 'open' | 'closed';
  version: number;
  inspector: string;
  parcel: string | null;
  measured_area_m2: number | null;
  opened_at: string;
  closed_at: string;
  illustrative: boolean;
  findings: number;
  open_findings: number;
}

export interface Decision {
  id: number;
  action: string;
  target_ref: string;
  amount: number | null;
  stars: number | null;
  decision_no: string;
  reason: string;
  result_ref: string;
  decided_by: string;
  decided_at: string;
}

export interface Finding {
  id: number;
  client_id: string;
  kind: string;
  subject_kind: string;
  subject_ref: string;
  severity: 'minor' | 'serious';
  detail: string;
  measured_area_m2: number | null;
  recorded_at: string;
  status: 'open' | 'decided' | 'dismissed';
  decisions: Decision[];
}

export interface Photo {
  client_id: string;
  taken_at: string;
  lon: number | null;
  lat: number | null;
  mime: string;
  url: string;
}

export interface SyncEntry {
  device_id: string;
  user: string;
  item_kind: string;
  client_id: string;
  device_time: string;
  server_time: string;
  outcome: string;
  detail: Record<string, unknown> | null;
}

export interface InspectionDetail extends Omit<InspectionRow, 'findings' | 'open_findings'> {
  answers: Record<string, unknown>;
  notes: string;
  measured_geojson: Geometry | null;
  measure_method: string;
  findings: Finding[];
  photos: Photo[];
  registered_geojson: Geometry | null;
  registered_area_m2: number | null;
  checklist: { item: string; label_vi: string; label_en: string; answer: string }[];
  sync_log: SyncEntry[];
}

export const ACTIONS = ['dismiss', 'correct_boundary', 'reduce_amount', 'recover', 'suspend_code', 'downgrade_ocop', 'revoke_ocop'] as const;
// The permission each action needs besides inspection.decide (docs/inspection.md "Decisions").
const ACTION_PERMISSION: Record<string, string> = {
  dismiss: 'inspection.decide',
  correct_boundary: 'registry.write',
  reduce_amount: 'support.approve',
  recover: 'support.pay',
  suspend_code: 'codes.manage',
  downgrade_ocop: 'ocop.manage',
  revoke_ocop: 'ocop.manage',
};

export const canDecide = (): boolean => can('inspection.decide');
export const actionsAllowed = (): string[] => ACTIONS.filter((a) => can(ACTION_PERMISSION[a]));

export const inspectionApi = {
  list: (status: string) => api.get<{ items: InspectionRow[] }>('/api/v1/inspections', { status }),
  get: (code: string) => api.get<InspectionDetail>(`/api/v1/inspections/${encodeURIComponent(code)}`),
  decide: (finding: number, body: Record<string, unknown>) =>
    request<Decision>('POST', `/api/v1/inspections/findings/${finding}/decisions`, { body }),
};

export function statusLabel(s: string): string {
  return t(`insp.status.${s}` as MessageKey);
}
export function actionLabel(a: string): string {
  return t(`insp.action.${a}` as MessageKey);
}
export function outcomeLabel(o: string): string {
  return t(`insp.outcome.${o}` as MessageKey);
}
