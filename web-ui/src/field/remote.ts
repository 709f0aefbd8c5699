// The field app's side of the device sync API (docs/api.md, "Field"): fetch the
// assignments into the device's store, send the queue of unsynced changes, apply what
// the server answered (applied, duplicate, conflict, error) and resolve a conflict.
// The queue is not a separate list: it is what the store marks unsynced (an
// inspection's changed fields, findings and photos not yet accepted), so an
// inspection edited ten times is sent once with its latest values.
import { ApiError, request, setCsrfToken, type Me } from '../lib/api';
import { blobToBase64 } from '../lib/files';
import * as db from './db';
import { SMALL_PHOTO_BYTES, shrinkPhoto } from './photos';
import type { FindingFields, InspectionFields, LocalFinding, LocalInspection, LocalPhoto, ServerInspection } from './db';

export const API = '/api/field';

export interface ChecklistItem {
  item: string;
  label_vi: string;
  label_en: string;
  answer: 'yes_no' | 'number' | 'text';
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: { type: string; coordinates: unknown } | null; properties: Record<string, unknown> | null }[];
}

export interface MapData {
  parcels: FeatureCollection;
  zones: FeatureCollection;
  communes: FeatureCollection;
}

interface Assignments {
  inspector: string;
  server_time: string;
  inspections: ServerInspection[];
  checklists: Record<string, ChecklistItem[]>;
  map: MapData;
}

interface SyncAnswerItem {
  kind: string;
  code?: string;
  client_id?: string;
  outcome: 'applied' | 'duplicate' | 'conflict' | 'error';
  version?: number;
  server?: ServerInspection;
  error?: string;
}

/** The server's measured boundary as an object (it may come as GeoJSON text). */
function geometryOf(v: unknown): InspectionFields['measured_geojson'] {
  if (!v) return null;
  if (typeof v === 'string') {
    try {
      return geometryOf(JSON.parse(v));
    } catch {
      return null;
    }
  }
  const g = v as { type?: string; geometry?: unknown };
  if (g.type === 'Feature') return geometryOf(g.geometry);
  return g.type === 'Polygon' ? (g as InspectionFields['measured_geojson']) : null;
}

export function fieldsOf(s: ServerInspection): InspectionFields {
  return {
    status: s.status,
    answers: { ...(s.answers ?? {}) },
    notes: s.notes ?? '',
    parcel: s.parcel ?? null,
    measured_geojson: geometryOf(s.measured_geojson),
    measured_area_m2: s.measured_area_m2 ?? null,
    measure_method: s.measure_method ?? '',
    opened_at: s.opened_at ?? '',
    closed_at: s.closed_at ?? '',
  };
}

export function normalise(s: ServerInspection): ServerInspection {
  return { ...s, ...fieldsOf(s) };
}

/** Asks who is signed in (and the CSRF token of the session); null when nobody is. */
export async function whoAmI(): Promise<Me | null> {
  try {
    const me = await request<Me>('GET', '/api/v1/auth/me', { quiet401: true });
    setCsrfToken(me.csrf_token);
    return me;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** The session has ended (or was never there): the inspector logs in again; the device keeps everything. */
export class SessionGone extends Error {
  constructor() {
    super('session gone');
    this.name = 'SessionGone';
  }
}

/** Before a change is sent: the session is alive and its CSRF token known (a reopened app has none in memory). */
async function ensureSession(): Promise<void> {
  const who = await whoAmI();
  // The browser's session may now be another user's (the main UI shares it): never send one inspector's work as another's.
  const owner = await db.getMeta<Me>('me_user');
  if (!who || (owner && owner.user.username !== who.user.username)) throw new SessionGone();
}

/**
 * Fetches the assignments and merges them into the store: a record with no change on
 * the device takes the server's values; one with changes keeps them (and the version
 * they started from, so the next sync finds a conflict if the server moved on).
 */
export async function refreshAssignments(): Promise<void> {
  const a = await request<Assignments>('GET', `${API}/assignments`);
  const local = new Map((await db.all<LocalInspection>('inspections')).map((i) => [i.code, i]));
  const seen = new Set<string>();
  for (const raw of a.inspections) {
    const s = normalise(raw);
    seen.add(s.code);
    const mine = local.get(s.code);
    // A record with changes on the device stays as it is: the next sync sends them against base_version.
    if (!mine || !mine.dirty.length) {
      const rec: LocalInspection = { code: s.code, server: s, fields: fieldsOf(s), dirty: [], base_version: s.version, conflict: null, changed_at: '' };
      await db.put('inspections', rec);
    }
    for (const f of s.findings ?? []) {
      const have = await db.get<LocalFinding>('findings', f.client_id);
      if (!have || have.synced) {
        const { client_id, status, ...fields } = f;
        await db.put('findings', { client_id, inspection: s.code, fields: fields as FindingFields, synced: true, status, error: '' });
      }
    }
    for (const p of s.photos ?? []) {
      const have = await db.get<LocalPhoto>('photos', p.client_id);
      if (!have) {
        await db.put('photos', { client_id: p.client_id, inspection: s.code, blob: null, mime: p.mime, taken_at: p.taken_at, lon: p.lon, lat: p.lat, accuracy_m: null, url: p.url, synced: true, error: '' });
      } else if (!have.url) {
        await db.put('photos', { ...have, url: p.url, synced: true });
      }
    }
  }
  // Inspections no longer assigned go, unless something typed on the device is still unsent.
  for (const [code, mine] of local) if (!seen.has(code) && !mine.dirty.length) await db.remove('inspections', code);
  await db.setMeta('checklists', a.checklists ?? {});
  await db.setMeta('map', a.map ?? null);
  await db.setMeta('server_time', a.server_time);
  await db.setMeta('inspector', a.inspector);
  await db.setMeta('fetched_at', new Date().toISOString());
}

/** What is waiting to be sent. */
export interface Queue {
  inspections: LocalInspection[];
  findings: LocalFinding[];
  photos: LocalPhoto[];
  count: number;
}

export async function queue(): Promise<Queue> {
  const inspections = (await db.all<LocalInspection>('inspections')).filter((i) => i.dirty.length > 0);
  const findings = (await db.all<LocalFinding>('findings')).filter((f) => !f.synced);
  const photos = (await db.all<LocalPhoto>('photos')).filter((p) => !p.synced);
  return { inspections, findings, photos, count: inspections.length + findings.length + photos.length };
}

export async function deviceId(): Promise<string> {
  let id = await db.getMeta<string>('device_id');
  if (!id) {
    id = newId();
    await db.setMeta('device_id', id);
  }
  return id;
}

export function newId(): string {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function changedFields(i: LocalInspection): Partial<InspectionFields> {
  const out: Record<string, unknown> = {};
  for (const k of i.dirty) out[k] = i.fields[k];
  return out as Partial<InspectionFields>;
}

async function record(kind: string, ref: string, inspection: string, outcome: string, error = ''): Promise<void> {
  await db.put('results', { at: new Date().toISOString(), kind, ref, inspection, outcome, error });
}

export interface SyncSummary {
  applied: number;
  duplicate: number;
  conflict: number;
  error: number;
}

/**
 * Sends the queue: the inspections and findings in one request, each photo in a request
 * of its own (a photo may be megabytes). Then fetches the assignments again.
 */
export async function sync(): Promise<SyncSummary> {
  await ensureSession();
  const summary: SyncSummary = { applied: 0, duplicate: 0, conflict: 0, error: 0 };
  const device_id = await deviceId();
  const q = await queue();
  const now = () => new Date().toISOString();

  const inspections = q.inspections.filter((i) => !i.conflict);
  const batch: unknown[] = [
    ...inspections.map((i) => ({ kind: 'inspection', code: i.code, base_version: i.base_version, device_time: i.changed_at || now(), fields: changedFields(i) })),
    ...q.findings.map((f) => ({ kind: 'finding', inspection: f.inspection, client_id: f.client_id, device_time: f.fields.recorded_at || now(), fields: f.fields })),
  ];
  if (batch.length) {
    const answer = await request<{ items: SyncAnswerItem[] }>('POST', `${API}/sync`, { body: { device_id, items: batch } });
    for (let n = 0; n < answer.items.length; n++) {
      const it = answer.items[n];
      summary[it.outcome] = (summary[it.outcome] ?? 0) + 1;
      if (n < inspections.length) {
        const sent = inspections[n];
        await applyInspectionAnswer(sent, it);
        await record('inspection', sent.code, sent.code, it.outcome, it.error ?? '');
      } else {
        const f = q.findings[n - inspections.length];
        const ok = it.outcome === 'applied' || it.outcome === 'duplicate';
        await db.update<LocalFinding>('findings', f.client_id, (v) => ({ ...v, synced: ok, error: ok ? '' : (it.error ?? it.outcome) }));
        await record('finding', f.client_id, f.inspection, it.outcome, it.error ?? '');
      }
    }
  }
  for (const p of q.photos) {
    if (!p.blob) continue;
    const item = {
      kind: 'photo',
      inspection: p.inspection,
      client_id: p.client_id,
      device_time: p.taken_at,
      taken_at: p.taken_at,
      lon: p.lon,
      lat: p.lat,
      accuracy_m: p.accuracy_m,
      mime: p.mime,
      data_base64: await blobToBase64(p.blob),
    };
    let answer: { items: SyncAnswerItem[] };
    try {
      answer = await request<{ items: SyncAnswerItem[] }>('POST', `${API}/sync`, { body: { device_id, items: [item] } });
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 413)) throw err;
      // Refused as too large (a proxy's limit, or the server's): smaller, once more, and kept so on the device.
      const small = await shrinkPhoto(p.blob, SMALL_PHOTO_BYTES);
      await db.update<LocalPhoto>('photos', p.client_id, (v) => ({ ...v, blob: small, mime: small.type }));
      const retry = { ...item, mime: small.type, data_base64: await blobToBase64(small) };
      answer = await request<{ items: SyncAnswerItem[] }>('POST', `${API}/sync`, { body: { device_id, items: [retry] } });
    }
    const it = answer.items[0];
    summary[it.outcome] = (summary[it.outcome] ?? 0) + 1;
    const ok = it.outcome === 'applied' || it.outcome === 'duplicate';
    await db.update<LocalPhoto>('photos', p.client_id, (v) => ({ ...v, synced: ok, error: ok ? '' : (it.error ?? it.outcome) }));
    await record('photo', p.client_id, p.inspection, it.outcome, it.error ?? '');
  }
  await db.setMeta('synced_at', now());
  await refreshAssignments();
  return summary;
}

async function applyInspectionAnswer(sent: LocalInspection, it: SyncAnswerItem): Promise<void> {
  await db.update<LocalInspection>('inspections', sent.code, (cur) => {
    // Fields typed while the request was under way stay dirty.
    const still = cur.dirty.filter((k) => JSON.stringify(cur.fields[k]) !== JSON.stringify(sent.fields[k]));
    if (it.outcome === 'applied' || it.outcome === 'duplicate') {
      const version = it.version ?? cur.base_version;
      return { ...cur, dirty: still, base_version: version, server: { ...cur.server, ...sent.fields, version } };
    }
    if (it.outcome === 'conflict' && it.server) return { ...cur, conflict: normalise(it.server) };
    return cur;
  });
}

/**
 * Resolves a conflict: `merged` is the inspector's choice field by field; the server
 * checks that `base_version` is still the version shown beside it.
 */
export async function resolve(code: string, base_version: number, merged: Partial<InspectionFields>): Promise<void> {
  await ensureSession();
  const rec = await request<ServerInspection>('POST', `${API}/inspections/${encodeURIComponent(code)}/resolve`, {
    body: { base_version, device_time: new Date().toISOString(), fields: merged },
  });
  const s = normalise(rec);
  await db.update<LocalInspection>('inspections', code, (cur) => ({ ...cur, server: s, fields: fieldsOf(s), dirty: [], base_version: s.version, conflict: null }));
  await record('inspection', code, code, 'resolved');
}
