// The REST client for /api/v1 (docs/api.md). Browser sessions use the
// nongsan_session cookie; every unsafe request carries the CSRF token that came
// with the login or /auth/me. Errors come back as ApiError with the server's
// code, message, per-field problems and request id.

export type Level = 'province' | 'district' | 'commune';
export type GeomSource = 'official' | 'illustrative' | 'imported' | 'none';
export type Role = 'province_admin' | 'province_officer' | 'unit_officer' | 'producer' | 'inspector';

export interface UnitRef {
  id: number;
  code: string;
  name: string;
  level: Level;
}

export interface Unit extends UnitRef {
  kind: string;
  valid_from: string;
  valid_to: string | null;
  parent: UnitRef | null;
  area_ha: number | null;
  geom_source: GeomSource;
  source: string;
}

export interface Succession {
  unit: UnitRef;
  share: number;
  basis: 'whole' | 'area' | 'parcels' | string;
  effective_date: string;
  legal_basis?: string;
}

export interface UnitDetail extends Unit {
  children: Unit[];
  predecessors: Succession[];
  successors: Succession[];
  ancestors: UnitRef[];
  valid_on_as_of?: boolean;
}

export interface User {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  unit: { id: number; code: string; name: string } | null;
  organisation: string;
  email: string;
  phone: string;
  citizen_id: string;
  bank_account: string;
  active: boolean;
  must_change_password: boolean;
  created_at: string;
}

export interface Me {
  user: User;
  csrf_token: string;
  permissions: string[];
}

/** Why a registry list is empty, as the server says it (docs/api.md, "Lists of the registry"). */
export interface EmptyReason {
  reason: 'scope' | 'filter' | 'no_records' | string;
  scope?: { kind: 'province' | 'units' | 'producer' | string; units?: (UnitRef & { valid_from?: string; valid_to?: string | null })[] };
}

export interface Page<T> {
  items: T[];
  page: number;
  page_size: number;
  total: number;
  /** Only on the registry's lists, only when `items` is empty. */
  empty?: EmptyReason;
}

export interface Series {
  code: string;
  name_vi: string;
  name_en: string;
  measure_unit: string;
  illustrative: boolean;
  source: string;
}

export interface Figure {
  id: number;
  series: string;
  unit: UnitRef;
  year: number;
  value: number;
  note: string;
  created_at: string;
  updated_at: string;
}

export interface Rollup {
  unit: UnitRef;
  series: string;
  year: number;
  as_of: string;
  reference_date?: string;
  measure_unit?: string;
  value: number | null;
  method: 'own' | 'children' | 'predecessors' | string;
  contributions: { unit: UnitRef; value: number | null; share: number; method: string }[];
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string | { id: number; username: string } | null;
  action: string;
  entity: string;
  entity_id: number | string | null;
  unit_id: number | null;
  before: unknown;
  after: unknown;
  request_id: string;
}

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: FieldError[] = [],
    readonly requestId = '',
    readonly retryAfter: number | null = null,
    /** The whole error body, for the extras some routes add (a duplicate's `existing`). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken = '';
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/**
 * Every request of the signed-in session carries this controller's signal, so that
 * logout can cancel what the page is still loading: sent after the session ended,
 * those requests would only come back 401. A new controller serves the next session.
 */
let sessionRequests = new AbortController();

/** Cancels every request still in flight; the pages awaiting them are abandoned (they never settle). */
export function abortSessionRequests(): void {
  sessionRequests.abort();
  sessionRequests = new AbortController();
}

/** Called when a request other than login answers 401: the session is gone. */
export function setUnauthenticatedHandler(f: () => void): void {
  onUnauthenticated = f;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === null || v === undefined || v === '') continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  opts: { query?: Query; body?: unknown; quiet401?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': document.documentElement.lang || 'vi' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const signal = sessionRequests.signal;
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal,
    });
  } catch {
    // Cancelled by logout: nobody is waiting for an answer, nor for an error box.
    if (signal.aborted) return new Promise<T>(() => {});
    throw new ApiError(0, 'network', 'network error');
  }
  if (res.status === 204) return undefined as T;
  let text: string;
  try {
    text = await res.text();
  } catch {
    if (signal.aborted) return new Promise<T>(() => {});
    throw new ApiError(0, 'network', 'network error');
  }
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const body = (data ?? {}) as { code?: string; message?: string; errors?: FieldError[]; request_id?: string };
    const retry = res.headers.get('Retry-After');
    const err = new ApiError(
      res.status,
      body.code ?? `http_${res.status}`,
      body.message ?? res.statusText,
      Array.isArray(body.errors) ? body.errors : [],
      body.request_id ?? res.headers.get('X-Request-Id') ?? '',
      retry !== null && /^\d+$/.test(retry.trim()) ? Number(retry) : null,
      data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {},
    );
    if (res.status === 401 && !opts.quiet401 && onUnauthenticated) onUnauthenticated();
    throw err;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
};
