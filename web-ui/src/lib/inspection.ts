// The inspection-planning API (docs/inspection.md): plans, risk weights, registry quality.
import { api, request } from './api';

export interface ScorePart { part: string; weight: number; value: number; points: number }
export interface PlanSummary {
  code: string; year: number; subject_kind: string; share_pct: number; risk_share: number; seed: string;
  population: number; entries: number; assigned: number; illustrative: boolean; created_by: string; created_at: string;
}
export interface PlanEntry {
  seq: number; applicant: string; reason: 'risk' | 'random'; score: number; parts: ScorePart[];
  commune: string; inspector: string; inspection?: string; parcels?: string[];
}
export interface PlanDetail extends PlanSummary { items: PlanEntry[] }
export interface PlanPreview { year: number; share_pct: number; risk_share: number; seed: string; population: number; items: PlanEntry[] }
export interface Weight { subject_kind: string; part: string; weight: number; default: number; updated_by: string; updated_at: string }
export interface QualityParcel {
  seq: number; parcel: string; registered_area_m2: number; perimeter_m: number; tolerance_m2: number;
  measured_area_m2: number | null; measured_on: string; measured_by: string; within: boolean | null; illustrative: boolean;
}
export interface Quality {
  year: number; illustrative: boolean; settings: { buffer_m: number; max_tolerance_m2: number };
  sampled: number; measured: number; within: number; share_within: number | null; mean_bias_m2: number | null;
  bias_pct: number | null; sd_m2: number | null; ci_low_m2: number | null; ci_high_m2: number | null;
  ci_low_pct: number | null; ci_high_pct: number | null; parcels: QualityParcel[];
}

const B = '/api/v1/inspection';
export const inspectionApi = {
  plans: (year?: number) => api.get<{ items: PlanSummary[] }>(`${B}/plans`, year ? { year } : undefined),
  plan: (code: string) => api.get<PlanDetail>(`${B}/plans/${encodeURIComponent(code)}`),
  preview: (q: { year: number; share: number; risk_share: number; seed: number }) => api.get<PlanPreview>(`${B}/plans/preview`, q),
  create: (body: { year: number; share: number; risk_share: number; seed: number }) => api.post<PlanDetail>(`${B}/plans`, body),
  weights: () => api.get<{ items: Weight[] }>(`${B}/weights`),
  setWeights: (items: { subject_kind: string; part: string; weight: number }[]) =>
    request<{ items: Weight[] }>('PUT', `${B}/weights`, { body: { items } }),
  quality: (year: number) => api.get<Quality>(`${B}/quality`, { year }),
};
