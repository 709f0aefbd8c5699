// Types and calls for the targets module (programmes, indicators, targets with
// revisions, observations and their workflow, the mid-term review and the
// register of issued reports). Shapes follow src/modules/targets and
// docs/api.md; the review follows the review JSON contract.
import { api, request, withQuery, type Level, type Page, type UnitRef } from './api';
import { todayIso } from '../i18n';

export type Band = 'achieved' | 'over_half' | 'low';
// The server's life cycle (docs/api.md, "Observation"): approval is the last step.
export type ObservationStatus = 'draft' | 'submitted' | 'approved' | 'returned';
export const STATUSES: ObservationStatus[] = ['draft', 'submitted', 'approved', 'returned'];

export interface Programme {
  code: string;
  name_vi: string;
  name_en: string;
  start: string;
  end: string;
  baseline_year: number;
  milestones: number[];
  illustrative: boolean;
  source: string;
  indicators?: number | Indicator[];
}

export interface Indicator {
  code: string;
  name_vi: string;
  name_en: string;
  measure_unit: string;
  kind: 'stock' | 'flow';
  direction: 'up' | 'down';
  source: 'reported' | 'computed';
  computed: unknown;
  not_above: string | null;
  position: number;
  illustrative: boolean;
  note: string;
}

export interface ReviewIndicator {
  indicator: string;
  name_vi: string;
  name_en: string;
  measure_unit: string;
  kind: 'stock' | 'flow';
  direction: 'up' | 'down';
  source: 'reported' | 'computed';
  unit_code: string;
  baseline: number;
  target: number | null;
  target_original: number | null;
  target_decision: string | null;
  target_effective: string | null;
  actual: number | null;
  actual_year: number | null;
  achievement_pct: number | null;
  forecast: number | null;
  forecast_pct: number | null;
  band: Band | null;
  /** The band, or why there is none: no_target, no_data, not_evaluable. */
  status?: Band | 'no_target' | 'no_data' | 'not_evaluable';
  forecast_reached: boolean | null;
  trend: { year: number; value: number }[];
  flags: string[];
  illustrative: boolean;
}

export interface ReviewCounts {
  total: number;
  achieved: number;
  over_half: number;
  low: number;
  /** No target anywhere below the unit: not "no data", nothing was asked. */
  no_target: number;
  no_data: number;
  /** A target and an actual, but nothing to divide by. */
  not_evaluable: number;
  passed_half: number;
  forecast_missed: number;
}

export interface UnitIndicator {
  indicator: string;
  target: number | null;
  actual: number | null;
  achievement_pct: number | null;
  forecast_pct: number | null;
  band: Band | null;
  forecast_reached: boolean | null;
}

export interface Review {
  kind: 'review';
  programme: Programme;
  milestone: number;
  as_of: string;
  elapsed_fraction: number;
  unit: UnitRef;
  indicators: ReviewIndicator[];
  counts: ReviewCounts;
  narrative: { title: string; paragraphs: string[] };
  units: { unit_code: string; unit_name: string; level: Level; indicators: UnitIndicator[] }[];
  standouts: { unit_code: string; unit_name: string; indicator: string; name_vi?: string; achievement_pct: number; note: string }[];
  data_hash: string;
  generated_at: string;
}

export interface MapValues {
  programme: string;
  indicator: Indicator;
  milestone: number;
  as_of: string;
  items: {
    unit_id: number;
    code: string;
    name: string;
    level: Level;
    actual: number | null;
    target: number | null;
    achievement_pct: number | null;
    forecast_pct: number | null;
    band: Band | null;
  }[];
}

export interface Trend {
  programme: string;
  indicator: Indicator;
  unit: UnitRef;
  milestone: number;
  as_of: string;
  baseline: number;
  target: number | null;
  target_original: number | null;
  actual: number | null;
  achievement_pct: number | null;
  forecast: number | null;
  forecast_pct: number | null;
  values: { year: number; value: number; cumulative?: number }[];
  target_line: { year: number; value: number }[];
}

export interface RecordItem {
  kind: 'observation' | 'parcel' | 'producer' | 'application' | string;
  id: number;
  parcel_id?: number | null;
  code?: string; // applications: the application code
  basis?: 'check_run' | 'claimed'; // applications: where the hectares come from
  unit: UnitRef | null;
  value: number;
  status?: ObservationStatus;
  share: number;
  contribution: number;
  approved_by?: string;
  approved_at?: string;
  link: string;
}

export interface Records {
  programme: string;
  indicator: Indicator;
  unit: UnitRef;
  year: number;
  as_of: string;
  reference_date: string;
  value: number | null;
  records: RecordItem[];
}

export interface Flag {
  code: string;
  message: string;
}

export interface Observation {
  id: number;
  indicator: string;
  unit: UnitRef;
  year: number;
  period: number;
  value: number;
  status: ObservationStatus;
  counts: boolean;
  entered_by: string;
  submitted_by: string;
  submitted_at: string;
  approved_by: string;
  approved_at: string;
  returned_reason: string;
  note: string;
  flags: Flag[];
  created_at: string;
  updated_at: string;
}

/** A row of the approval inbox: a submitted observation and what the approver needs beside it. */
export interface ApprovalItem extends Observation {
  indicator_name_vi: string;
  indicator_name_en: string;
  measure_unit: string;
  previous: { id: number; year: number; value: number; approved_by: string; approved_at: string } | null;
  change: number | null;
  can_approve: boolean;
  cannot_approve_reason: 'four_eyes' | string | null;
}

/** GET /programmes/{code}/approvals (docs/api.md, "The approval inbox"). */
export interface Approvals extends Page<ApprovalItem> {
  programme: string;
  waiting: {
    total: number;
    by_unit: { unit: UnitRef; count: number }[];
    by_indicator: { indicator: string; name_vi: string; name_en: string; count: number }[];
  };
  four_eyes: boolean;
}

export interface FlagsReport {
  programme: string;
  checked: number;
  flagged: number;
  items: {
    observation_id: number;
    indicator: string;
    unit_code: string;
    unit_name: string;
    year: number;
    period: number;
    value: number;
    status: ObservationStatus;
    flags: Flag[];
  }[];
  rules: Record<string, string>;
}

export interface TargetRevision {
  seq: number;
  value: number;
  decision: string;
  effective_date: string | null;
  original: boolean;
  created_by: string;
  created_at: string;
}

export interface Target {
  id: number;
  indicator: string;
  unit: UnitRef;
  year: number;
  original: number | null;
  in_force_today: number | null;
  revisions: TargetRevision[];
}

export interface ReportIssue {
  id: number;
  kind: string;
  programme: string;
  parameters: { programme?: string; milestone?: number; as_of?: string; unit?: string | null; profile?: string };
  format: string;
  data_hash: string;
  file_name: string;
  size_bytes: number;
  file_sha256: string;
  issued_by: string;
  issued_at: string;
}

export interface VerifyResult {
  issue: ReportIssue;
  data_hash_then: string;
  data_hash_now: string;
  data_changed: boolean;
  checked_at: string;
}

/** The parameters every review view shares; all of them live in the URL so a view can be shared. */
export interface ReviewParams {
  milestone?: number | null;
  as_of?: string | null;
  unit?: string | null;
}

const enc = encodeURIComponent;
const P = (code: string): string => `/api/v1/programmes/${enc(code)}`;

export const targetsApi = {
  programmes: () => api.get<Programme[]>('/api/v1/programmes'),
  programme: (code: string) => api.get<Programme & { indicators: Indicator[] }>(P(code)),
  indicators: (code: string) => api.get<Indicator[]>(`${P(code)}/indicators`),
  review: (code: string, p: ReviewParams) => api.get<Review>(`${P(code)}/review`, { ...p }),
  mapValues: (code: string, ind: string, p: ReviewParams & { level?: Level }) =>
    api.get<MapValues>(`${P(code)}/indicators/${enc(ind)}/map`, { milestone: p.milestone, as_of: p.as_of, level: p.level }),
  trend: (code: string, ind: string, p: ReviewParams) => api.get<Trend>(`${P(code)}/indicators/${enc(ind)}/trend`, { ...p }),
  records: (code: string, ind: string, p: { unit?: string | null; year: number; as_of?: string | null }) =>
    api.get<Records>(`${P(code)}/indicators/${enc(ind)}/records`, { ...p }),
  targets: (code: string, q: { indicator?: string; unit_id?: number | null; year?: number | string | null }) =>
    api.get<Target[]>(`${P(code)}/targets`, q),
  setTarget: (code: string, body: { indicator: string; unit_id: number; year: number; value: number; decision?: string; effective_date?: string }) =>
    api.post<Target>(`${P(code)}/targets`, body),
  observations: (
    code: string,
    q: { indicator?: string; unit_id?: number | null; year?: number | string | null; status?: string; page?: number; page_size?: number },
  ) => api.get<Page<Observation>>(`${P(code)}/observations`, q),
  createObservation: (code: string, body: { indicator: string; unit_id: number; year: number; period: number; value: number; note?: string }) =>
    api.post<Observation>(`${P(code)}/observations`, body),
  updateObservation: (id: number, body: { value?: number; note?: string }) => api.patch<Observation>(`/api/v1/observations/${id}`, body),
  transition: (id: number, action: 'submit' | 'approve' | 'return' | 'unlock', reason?: string) =>
    // submit and approve take no body (the server refuses one); return and unlock carry the reason.
    request<Observation>('POST', `/api/v1/observations/${id}/${action}`, reason === undefined ? {} : { body: { reason } }),
  flags: (code: string) => api.get<FlagsReport>(`${P(code)}/observations/flags`),
  approvals: (code: string, q: { unit_id?: number | null; indicator?: string; page?: number; page_size?: number }) =>
    api.get<Approvals>(`${P(code)}/approvals`, q),
  issues: (programme: string) => api.get<ReportIssue[]>('/api/v1/reports', { programme }),
  verify: (id: number) => api.get<VerifyResult>(`/api/v1/reports/${id}/verify`),
};

/** The programme in force today, else the first. */
export function programmeInForce(list: Programme[]): Programme | undefined {
  const today = todayIso();
  return list.find((p) => p.start <= today && today <= p.end) ?? list[0];
}

/**
 * How many values wait for the caller's approval, in every programme (the inbox's
 * `waiting.total` of each): the values of an earlier programme still wait after the
 * next one has begun.
 */
export async function waitingApprovals(): Promise<{ total: number; programmes: { code: string; total: number }[] }> {
  const list = await targetsApi.programmes();
  const programmes = await Promise.all(list.map(async (p) => ({ code: p.code, total: (await targetsApi.approvals(p.code, { page_size: 1 })).waiting.total })));
  return { total: programmes.reduce((n, p) => n + p.total, 0), programmes };
}

/** A programme with its indicators, and every programme (for the programme chooser). */
export async function loadProgramme(code: string): Promise<{ programmes: Programme[]; prog: Programme & { indicators: Indicator[] }; indicators: Indicator[]; byCode: Map<string, Indicator> }> {
  const [programmes, prog] = await Promise.all([targetsApi.programmes(), targetsApi.programme(code)]);
  const indicators: Indicator[] = Array.isArray(prog.indicators) ? prog.indicators : await targetsApi.indicators(code);
  return { programmes, prog, indicators, byCode: new Map(indicators.map((i) => [i.code, i])) };
}

export const REPORT_FORMATS = ['pdf', 'docx', 'xlsx', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export type ReportProfile = 'state' | 'party';

/** The address of a review document (the server registers every issued report). */
export function reviewDocumentUrl(code: string, p: ReviewParams, format: ReportFormat, profile: ReportProfile): string {
  return withQuery(`${P(code)}/review/document`, {
    milestone: p.milestone ?? undefined,
    as_of: p.as_of ?? undefined,
    unit: p.unit ?? undefined,
    format,
    profile,
  });
}

/** The milestone a review uses by default: the first not yet passed on as_of (as the server does). */
export function defaultMilestone(p: Programme, asOf: string): number {
  const y = Number(asOf.slice(0, 4));
  const ms = p.milestones.length ? p.milestones : [Number(p.end.slice(0, 4))];
  return ms.find((m) => m >= y) ?? ms[ms.length - 1];
}

/** 0 the year; 1–4 quarters; 101–112 months (the API's period numbering). */
export const PERIODS: number[] = [0, 1, 2, 3, 4, ...Array.from({ length: 12 }, (_, i) => 101 + i)];
