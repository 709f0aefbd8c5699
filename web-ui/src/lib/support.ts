// The support module's records and calls (src/api/handlers/support_handlers.cpp;
// docs/support.md): policies with their versions, applications through their life
// cycle, payments, budgets, the cross-checks' runs and findings, and the labels of
// statuses, steps, findings, funding sources and counted items in both languages.
// No page code here; the pages are in pages/support/.
import { api, request, withQuery, type Page, type UnitRef } from './api';
import { h } from './dom';
import { can } from './session';
import { fmtDate as fmtDateIso, fmtNumber, labelOf, lang, t, type MessageKey } from '../i18n';
import type { Geometry } from './registry';

export type AppStatus = 'submitted' | 'verified' | 'appraised' | 'accepted' | 'approved' | 'paid' | 'rejected' | 'recovered';
/** The life cycle in order, then the two ends outside it. */
export const STATUSES: AppStatus[] = ['submitted', 'verified', 'appraised', 'accepted', 'approved', 'paid', 'rejected', 'recovered'];

export type Step = 'verify' | 'appraise' | 'accept' | 'approve' | 'pay' | 'reject' | 'recover';
export const STEPS: Step[] = ['verify', 'appraise', 'accept', 'approve', 'pay', 'reject', 'recover'];

export type ItemUnit = 'area' | 'hive' | 'head' | 'cage_m3' | 'project';
export const ITEM_UNITS: ItemUnit[] = ['area', 'hive', 'head', 'cage_m3', 'project'];

export type FindingKind =
  | 'overlap'
  | 'exclusive_policies'
  | 'over_declared'
  | 'not_controlled'
  | 'outside_zone'
  | 'wrong_crop'
  | 'unsuitable'
  | 'duplicate_person'
  | 'cap_exceeded'
  | 'paid_without_acceptance'
  | 'paid_over_approved';
export const FINDINGS: FindingKind[] = [
  'overlap',
  'exclusive_policies',
  'over_declared',
  'not_controlled',
  'outside_zone',
  'wrong_crop',
  'unsuitable',
  'duplicate_person',
  'cap_exceeded',
  'paid_without_acceptance',
  'paid_over_approved',
];
/** Findings that name an item's parcel (and can be drawn on the map). */
export const PARCEL_FINDINGS: FindingKind[] = ['overlap', 'exclusive_policies', 'over_declared', 'not_controlled', 'outside_zone', 'wrong_crop', 'unsuitable'];

/** One colour per kind of finding, for the map, its legend and the badges. */
export const FINDING_COLOUR: Record<FindingKind, string> = {
  overlap: '#d50000',
  exclusive_policies: '#ad1457',
  over_declared: '#ef6c00',
  not_controlled: '#6a1b9a',
  outside_zone: '#1565c0',
  wrong_crop: '#2e7d32',
  unsuitable: '#795548',
  duplicate_person: '#00838f',
  cap_exceeded: '#5d4037',
  paid_without_acceptance: '#c62828',
  paid_over_approved: '#4e342e',
};

export type FundingSource = 'national_target_programme' | 'central_budget' | 'provincial_budget' | 'credit' | 'other';
export const FUNDING_SOURCES: FundingSource[] = ['national_target_programme', 'central_budget', 'provincial_budget', 'credit', 'other'];

export interface PolicyRequires {
  crop?: string;
  zone?: boolean;
  controller?: boolean;
  suitability?: string[];
  profile?: string;
}

export interface PolicyVersion {
  code: string;
  version: string;
  name_vi: string;
  name_en: string;
  content: string;
  item: ItemUnit;
  rate: number;
  one_time: boolean;
  cap_per_beneficiary_year: number | null;
  exclusive_with: string[];
  requires: PolicyRequires;
  conditions: string;
  source: string;
  illustrative: boolean;
  note: string;
  id?: number;
  created_by?: string;
  created_at?: string;
}

export interface Policy {
  code: string;
  versions: PolicyVersion[];
  current: PolicyVersion;
}

export interface ItemRecord {
  seq: number;
  parcel: { id: number; external_id: string } | null;
  quantity: number;
}

export interface Application {
  id: number;
  code: string;
  policy: string;
  applicant: { id: number; external_id: string; name: string };
  unit: UnitRef | null;
  filed: string;
  accepted: string | null;
  status: AppStatus;
  approved_amount: number | null;
  note: string;
  source: string;
  items: ItemRecord[];
  created_at: string;
  updated_at: string;
  /** Kinds of finding of the year's latest check run (list only). */
  findings?: string[];
  evaluated_amount?: number;
}

export interface StepRecord {
  from: string;
  to: string;
  date: string;
  reason: string;
  actor: string;
  at: string;
}

export interface Payment {
  id: number;
  application: string;
  date: string;
  amount: number;
  kind: 'payment' | 'recovery';
  funding_source: string;
  reference: string;
  source: string;
}

export interface SupportFinding {
  finding: string;
  application: string;
  other_application: string;
  parcel: string;
  detail: string;
  application_id?: number;
  applicant?: string;
  parcel_id?: number;
  geometry?: Geometry;
}

export interface ConditionStep {
  text: string;
  left: string;
  op: string;
  right: string;
  result: boolean;
}

export interface ItemTrace {
  parcel: string;
  claimed: number;
  area_ha: number;
  counted: number;
  excess_ha: number;
  reasons: string[];
}

/** How the amount came about (claim_checks.hpp AmountTrace). */
export interface Trace {
  application: string;
  policy: string;
  amount: number;
  before_cap: number;
  payable: number;
  penalty_ha: number;
  rate: number;
  policy_version: string;
  status: string;
  conditions_hold: boolean;
  conditions: ConditionStep[];
  items: ItemTrace[];
  note: string;
}

export interface CheckRunRef {
  id: number;
  run_at: string;
  run_by: string;
}

export interface ApplicationDetail extends Omit<Application, 'findings'> {
  steps: StepRecord[];
  payments: Payment[];
  paid_net: number;
  next_steps: Step[];
  check_run?: CheckRunRef;
  findings?: SupportFinding[];
  evaluated_amount?: number;
  trace?: Trace | null;
}

export interface CheckRun extends CheckRunRef {
  applications: number;
  findings: number;
  total_amount: number;
  settings: Settings | null;
}

/** A background job (GET /api/v1/jobs/{id}): the year's cross-checks run as one. */
export interface CheckJob {
  id: number;
  kind: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted';
  progress: { done: number; total: number; stage: string };
  params: { year?: number; min_overlap_m2?: number };
  started_by: string;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  result: { run_id: number; year: number; applications: number; findings: number; counts: Record<string, number>; total_amount: number } | null;
  error: string | null;
}

export interface FindingsAnswer {
  year: number;
  run: CheckRun | null;
  items: SupportFinding[];
  counts: Record<string, number>;
  /** The check job queued or running now, if any. */
  running?: CheckJob | null;
}

export interface Settings {
  tolerance_pct: number;
  tolerance_ha: number;
  penalty_factor: number;
  min_overlap_m2: number;
  four_eyes: boolean;
  source?: string;
}

export interface BudgetLine {
  policy: string;
  planned: number;
  committed: number;
  paid: number;
  remaining: number;
  sources: { source: string; planned: number; paid: number }[];
}

export interface Budget {
  year: number;
  lines: BudgetLine[];
  total: { planned: number; committed: number; paid: number; remaining: number };
}

export interface PreviewChange {
  application: string;
  before: number;
  after: number;
  difference: number;
}

export interface Preview {
  policy: PolicyVersion;
  year: number;
  total_before: number;
  total_after: number;
  difference: number;
  changed: number;
  changes: PreviewChange[];
}

export interface ApplicationQuery {
  year?: string;
  status?: string;
  policy?: string;
  finding?: string;
  q?: string;
  page?: number;
  page_size?: number;
}

const B = '/api/v1/support';

export const supportApi = {
  policies: () => api.get<Policy[]>(`${B}/policies`),
  policy: (code: string) => api.get<Policy>(`${B}/policies/${encodeURIComponent(code)}`),
  savePolicy: (body: unknown) => api.post<PolicyVersion & { result: string }>(`${B}/policies`, body),
  checkPolicy: (body: unknown) => api.post<{ result: string; policy: PolicyVersion }>(`${B}/policies/check`, body),
  preview: (body: unknown, year: number) => request<Preview>('POST', withQuery(`${B}/policies/preview`, { year }), { body }),
  applications: (q: ApplicationQuery) => api.get<Page<Application>>(`${B}/applications`, { ...q }),
  application: (id: number | string) => api.get<ApplicationDetail>(`${B}/applications/${id}`),
  createApplication: (body: unknown) => api.post<Application>(`${B}/applications`, body),
  step: (id: number, body: unknown) => api.post<Application>(`${B}/applications/${id}/steps`, body),
  addPayment: (id: number, body: unknown) => api.post<Payment>(`${B}/applications/${id}/payments`, body),
  queues: (year?: string) => api.get<Record<AppStatus, number>>(`${B}/queues`, { year }),
  /** Queues the year's cross-checks as a background job (202 with the job). */
  startChecks: (year: number) => api.post<CheckJob>(`${B}/checks/jobs`, { year }),
  job: (id: number) => api.get<CheckJob>(`/api/v1/jobs/${id}`),
  runChecks: (year: number) => api.post<{ run_id: number; applications: number; findings: number; counts: Record<string, number>; total_amount: number }>(`${B}/checks`, { year }),
  findings: (year: number, opts: { finding?: string; geometry?: boolean } = {}) =>
    api.get<FindingsAnswer>(`${B}/findings`, { year, finding: opts.finding, geometry: opts.geometry ? 'true' : undefined }),
  settings: () => api.get<Settings>(`${B}/settings`),
  saveSettings: (body: Partial<Settings>) => api.patch<Settings>(`${B}/settings`, body),
  budget: (year: number) => api.get<Budget>(`${B}/budget`, { year }),
  setBudget: (body: unknown) => request<unknown>('PUT', `${B}/budget`, { body }),
};

// ---- policies, cached for the page ----------------------------------------------------

let policiesCache: Promise<Policy[]> | null = null;

/** The policies with their versions (read once; `force` after a save). */
export function loadPolicies(force = false): Promise<Policy[]> {
  if (!policiesCache || force) {
    policiesCache = supportApi.policies().catch((err) => {
      policiesCache = null;
      throw err;
    });
  }
  return policiesCache;
}

/** A policy's name in the user's language (the Vietnamese one when there is no English name). */
export function policyName(p: Pick<PolicyVersion, 'name_vi' | 'name_en' | 'code'> | null | undefined): string {
  if (!p) return '';
  return (lang() === 'en' && p.name_en) || p.name_vi || p.code;
}

/** The name as a node; marked lang="vi" when an English page shows the Vietnamese name. */
export function policyNameNode(p: Pick<PolicyVersion, 'name_vi' | 'name_en' | 'code'>): HTMLElement {
  return h('span', { class: 'policy-name', lang: lang() === 'en' && !p.name_en ? 'vi' : null }, policyName(p));
}

/** The version of a policy in force on a date: the latest one dated on or before it. */
export function versionInForce(p: Policy | undefined, date: string): PolicyVersion | undefined {
  if (!p) return undefined;
  let best: PolicyVersion | undefined;
  for (const v of p.versions) if (v.version <= date && (!best || best.version < v.version)) best = v;
  return best;
}

// ---- labels ----------------------------------------------------------------------------

export const statusLabel = (s: string): string => labelOf('support.status', s, STATUSES);
/** What an application at this status waits for ("chờ xã xác minh"). */
export const statusWaiting = (s: string): string => labelOf('support.waiting', s, STATUSES);
export const stepLabel = (s: string): string => labelOf('support.step', s, STEPS);
export const findingLabel = (s: string): string => labelOf('support.finding', s, FINDINGS);
export const findingExplain = (s: string): string => labelOf('support.finding_explain', s, FINDINGS);
export const fundingLabel = (s: string): string => (s === '' || s === 'unspecified' ? t('support.funding.unspecified') : labelOf('support.funding', s, FUNDING_SOURCES));
export const itemLabel = (s: string): string => labelOf('support.item', s, ITEM_UNITS);
/** The unit a quantity of this item is counted in: "ha", "đàn ong", "m³ lồng" … */
export const itemUnitLabel = (s: string): string => labelOf('support.item_unit', s, ITEM_UNITS);
/** One unit, for a rate: "đ / ha", "VND / hive". */
export const perUnitLabel = (s: string): string => labelOf('support.per_unit', s, ITEM_UNITS);

/** A crop's name inside a sentence: "thửa trồng chè", "the parcel grows tea" (proper names keep their capitals after the first word). */
export function cropInSentence(label: string): string {
  return label.charAt(0).toLocaleLowerCase() + label.slice(1);
}

export function findingColour(kind: string): string {
  return FINDING_COLOUR[kind as FindingKind] ?? '#616161';
}

export function statusKind(s: string): string {
  if (s === 'paid') return 'ok';
  if (s === 'approved' || s === 'accepted') return 'info';
  if (s === 'rejected' || s === 'recovered') return 'warn';
  return 'neutral';
}

/** Whole đồng: "15.000.000 đ" (vi), "15,000,000 VND" (en). */
export function fmtMoney(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return t('common.none');
  return t('support.money', { v: fmtNumber(v, 0) });
}

/** A quantity with its unit: "1,25 ha", "40 đàn ong". */
export function fmtQuantity(v: number | null | undefined, item: string): string {
  if (v === null || v === undefined) return t('common.none');
  return `${fmtNumber(v, item === 'area' ? 4 : 2)} ${itemUnitLabel(item)}`;
}

// ---- who may take which step --------------------------------------------------------------

/**
 * The permission each step needs (application_lifecycle.cpp): a rejection needs the
 * permission of the step it stops. The server decides; the UI only hides buttons
 * that would be refused anyway. Four eyes is the server's to say.
 */
const STEP_PERMISSION: Record<Step, string> = {
  verify: 'support.verify',
  appraise: 'support.appraise',
  accept: 'support.verify',
  approve: 'support.approve',
  pay: 'support.pay',
  reject: 'support.verify',
  recover: 'support.pay',
};

export function mayTake(step: Step, nextSteps: Step[]): boolean {
  if (step === 'reject') {
    const stops = nextSteps.find((s) => s !== 'reject');
    return can(stops ? STEP_PERMISSION[stops] : STEP_PERMISSION.reject);
  }
  return can(STEP_PERMISSION[step]);
}

export const canEnterApplications = (): boolean => can('support.enter');
export const canManageSupport = (): boolean => can('support.manage');
export const canPay = (): boolean => can('support.pay');

/** The year of a civil date "2025-03-01" → 2025. */
export function yearOf(iso: string): number {
  return Number(iso.slice(0, 4));
}

// ---- findings in words ------------------------------------------------------------------

const ISO = '(\\d{4}-\\d{2}-\\d{2})';
const IDENTIFIERS: Record<string, MessageKey> = {
  citizen_id: 'support.identifier.citizen_id',
  bank_account: 'support.identifier.bank_account',
  phone: 'support.identifier.phone',
};

/**
 * A finding as a sentence in the user's language, built from its record; the
 * server words the detail in English (`claimed 1.5000 ha, parcel 1.2000 ha`), which
 * stays available as a tooltip. `verbatim` is true when the detail had a shape this
 * does not know and is shown as the server wrote it.
 */
export function findingSentence(
  f: Pick<SupportFinding, 'finding' | 'application' | 'parcel' | 'other_application' | 'detail'>,
  crop: (code: string) => string,
  self?: string,
): { text: string; verbatim: boolean } {
  const d = f.detail ?? '';
  const num = (s: string, digits = 4): string => fmtNumber(Number(s), digits);
  const date = (s: string): string => fmtDateIso(s);
  const parcel = f.parcel;
  // A pair's row is written from its first application's side; on the other's page, the other way round.
  const otherSide = !!self && self !== f.application && self === f.other_application;
  const other = otherSide ? f.application : f.other_application;
  let m: RegExpExecArray | null;
  switch (f.finding) {
    case 'overlap':
    case 'exclusive_policies':
      if ((m = /^intersection ([\d.]+) m2$/.exec(d))) {
        const key = f.finding === 'overlap' ? (otherSide ? 'support.text.overlap_other' : 'support.text.overlap') : otherSide ? 'support.text.exclusive_other' : 'support.text.exclusive_policies';
        return { text: t(key, { parcel, other, area: num(m[1], 1) }), verbatim: false };
      }
      break;
    case 'over_declared':
      if ((m = /^claimed ([\d.]+) ha, parcel ([\d.]+) ha$/.exec(d))) return { text: t('support.text.over_declared', { parcel, claimed: num(m[1]), area: num(m[2]) }), verbatim: false };
      break;
    case 'not_controlled':
      if ((m = new RegExp(`^controlled by (.+) on ${ISO}$`).exec(d))) return { text: t('support.text.not_controlled', { parcel, holder: m[1], date: date(m[2]) }), verbatim: false };
      if ((m = new RegExp(`^nobody holds a right to it on ${ISO}$`).exec(d))) return { text: t('support.text.not_controlled_nobody', { parcel, date: date(m[1]) }), verbatim: false };
      break;
    case 'outside_zone':
      if ((m = /^([\d.]+) % in zones(?: of (.+))?$/.exec(d))) return { text: t('support.text.outside_zone', { parcel, pct: num(m[1], 1), crop: m[2] ? crop(m[2]) : '' }).replace(/\s+\./, '.'), verbatim: false };
      break;
    case 'wrong_crop':
      if ((m = new RegExp(`^no planting of (.+) in force on ${ISO}$`).exec(d))) return { text: t('support.text.wrong_crop', { parcel, crop: crop(m[1]), date: date(m[2]) }), verbatim: false };
      break;
    case 'unsuitable':
      if ((m = /^dominant class (\S+)$/.exec(d))) return { text: t('support.text.unsuitable', { parcel, cls: m[1] }), verbatim: false };
      if ((m = /^not evaluated for (.+)$/.exec(d))) return { text: t('support.text.unsuitable_none', { parcel, crop: crop(m[1]) }), verbatim: false };
      break;
    case 'duplicate_person':
      if ((m = /^same (.+) as another applicant$/.exec(d))) {
        const what = m[1].split(', ').map((k) => (IDENTIFIERS[k] ? t(IDENTIFIERS[k]) : k)).join(', ');
        return { text: t('support.text.duplicate_person', { what, other }), verbatim: false };
      }
      break;
    case 'cap_exceeded':
      if ((m = /^cap (\d+), earlier applications got (\d+), cut from (\d+) to (\d+)$/.exec(d)))
        return { text: t('support.text.cap_exceeded', { cap: fmtMoney(Number(m[1])), got: fmtMoney(Number(m[2])), from: fmtMoney(Number(m[3])), to: fmtMoney(Number(m[4])) }), verbatim: false };
      break;
    case 'paid_without_acceptance':
      if ((m = new RegExp(`^(?:accepted ${ISO}|not accepted); paid (.+)$`).exec(d))) {
        const dates = m[2].split(', ').map(date).join(', ');
        return { text: m[1] ? t('support.text.paid_before_acceptance', { dates, date: date(m[1]) }) : t('support.text.paid_not_accepted', { dates }), verbatim: false };
      }
      break;
    case 'paid_over_approved':
      if ((m = /^approved (\d+), paid net (-?\d+)$/.exec(d))) return { text: t('support.text.paid_over_approved', { approved: fmtMoney(Number(m[1])), paid: fmtMoney(Number(m[2])) }), verbatim: false };
      break;
  }
  return { text: d, verbatim: true };
}

/** Why an item of the trace counts 0: a finding ("not_controlled"), or the later side of a pair ("overlap with A-17"). */
export function reasonText(reason: string): string {
  const m = /^(overlap|exclusive_policies) with (.+)$/.exec(reason);
  if (m) return t(m[1] === 'overlap' ? 'support.reason.overlap_with' : 'support.reason.exclusive_with', { other: m[2] });
  if (!FINDINGS.includes(reason as FindingKind)) return reason;
  const label = findingLabel(reason);
  return label.charAt(0).toLocaleLowerCase() + label.slice(1);
}
