// The field app's store on the device (IndexedDB): the assignments as the server sent
// them, the inspector's working copy of each inspection, findings and photos made on the
// device, the map data and the results of past syncs. Everything typed goes here at
// once, so closing the app loses nothing. Depends only on the browser.
import type { LonLat } from './geo';

export type Status = 'assigned' | 'open' | 'closed';
export type MeasureMethod = '' | 'walked' | 'drawn';
export type Answer = boolean | number | string | null;

/** The fields of an inspection a device may change (the sync API's `fields`). */
export interface InspectionFields {
  status: Status;
  answers: Record<string, Answer>;
  notes: string;
  parcel: string | null;
  measured_geojson: { type: 'Polygon'; coordinates: LonLat[][] } | null;
  measured_area_m2: number | null;
  measure_method: MeasureMethod;
  opened_at: string;
  closed_at: string;
}
export const FIELD_NAMES: (keyof InspectionFields)[] = [
  'status',
  'answers',
  'notes',
  'parcel',
  'measured_geojson',
  'measured_area_m2',
  'measure_method',
  'opened_at',
  'closed_at',
];

export interface FindingFields {
  kind: string;
  subject_kind: string;
  subject_ref: string;
  severity: 'minor' | 'serious';
  detail: string;
  measured_area_m2: number | null;
  recorded_at: string;
}

export interface ServerFinding extends FindingFields {
  client_id: string;
  status: string;
}
export interface ServerPhoto {
  client_id: string;
  taken_at: string;
  lon: number | null;
  lat: number | null;
  mime: string;
  url: string;
}

/** An inspection as GET /field/assignments sends it. */
export interface ServerInspection extends InspectionFields {
  code: string;
  subject_kind: string;
  subject_ref: string;
  checklist_kind: string;
  version: number;
  findings: ServerFinding[];
  photos: ServerPhoto[];
}

export interface LocalInspection {
  code: string;
  /** The record as the server last sent it. */
  server: ServerInspection;
  /** The inspector's working copy. */
  fields: InspectionFields;
  /** Fields changed on the device and not yet accepted by the server. */
  dirty: (keyof InspectionFields)[];
  /** The server version the changes started from. */
  base_version: number;
  /** Set when a sync found the record changed on the server: its current record. */
  conflict: ServerInspection | null;
  changed_at: string;
}

export interface LocalFinding {
  client_id: string;
  inspection: string;
  fields: FindingFields;
  synced: boolean;
  status: string;
  error: string;
}

export interface LocalPhoto {
  client_id: string;
  inspection: string;
  blob: Blob | null;
  mime: string;
  taken_at: string;
  lon: number | null;
  lat: number | null;
  accuracy_m: number | null;
  url: string;
  synced: boolean;
  error: string;
}

export interface SyncResult {
  id?: number;
  at: string;
  kind: string;
  ref: string;
  inspection: string;
  outcome: string;
  error: string;
}

const NAME = 'nongsan-field';
const VERSION = 1;
type StoreName = 'meta' | 'inspections' | 'findings' | 'photos' | 'results';

let opened: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(NAME, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore('meta');
      db.createObjectStore('inspections', { keyPath: 'code' });
      db.createObjectStore('findings', { keyPath: 'client_id' }).createIndex('inspection', 'inspection');
      db.createObjectStore('photos', { keyPath: 'client_id' }).createIndex('inspection', 'inspection');
      db.createObjectStore('results', { keyPath: 'id', autoIncrement: true });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opened;
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(stores: StoreName[], mode: IDBTransactionMode, f: (t: IDBTransaction) => Promise<T> | T): Promise<T> {
  const db = await open();
  const t = db.transaction(stores, mode);
  const finished = new Promise<void>((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error ?? new Error('transaction aborted'));
  });
  const out = await f(t);
  await finished;
  return out;
}

export async function getMeta<T>(key: string): Promise<T | undefined> {
  return tx(['meta'], 'readonly', (t) => done(t.objectStore('meta').get(key)) as Promise<T | undefined>);
}
export async function setMeta(key: string, value: unknown): Promise<void> {
  await tx(['meta'], 'readwrite', (t) => done(t.objectStore('meta').put(value, key)));
}

export async function all<T>(store: 'inspections' | 'findings' | 'photos' | 'results'): Promise<T[]> {
  return tx([store], 'readonly', (t) => done(t.objectStore(store).getAll()) as Promise<T[]>);
}
export async function byInspection<T>(store: 'findings' | 'photos', code: string): Promise<T[]> {
  return tx([store], 'readonly', (t) => done(t.objectStore(store).index('inspection').getAll(code)) as Promise<T[]>);
}
export async function get<T>(store: 'inspections' | 'findings' | 'photos', key: string): Promise<T | undefined> {
  return tx([store], 'readonly', (t) => done(t.objectStore(store).get(key)) as Promise<T | undefined>);
}
export async function put(store: 'inspections' | 'findings' | 'photos' | 'results', value: unknown): Promise<void> {
  await tx([store], 'readwrite', (t) => done(t.objectStore(store).put(value)));
}
export async function remove(store: 'inspections' | 'findings' | 'photos', key: string): Promise<void> {
  await tx([store], 'readwrite', (t) => done(t.objectStore(store).delete(key)));
}

/** Changes one stored record in one transaction (read, change, write), so two quick edits never overwrite each other. */
export async function update<T>(store: 'inspections' | 'findings' | 'photos', key: string, f: (v: T) => T): Promise<T | undefined> {
  return tx([store], 'readwrite', async (t) => {
    const s = t.objectStore(store);
    const v = (await done(s.get(key))) as T | undefined;
    if (v === undefined) return undefined;
    const next = f(v);
    s.put(next);
    return next;
  });
}

/** Removes everything stored (on logout with nothing left to sync). */
export async function clearAll(): Promise<void> {
  const names: StoreName[] = ['meta', 'inspections', 'findings', 'photos', 'results'];
  await tx(names, 'readwrite', (t) => Promise.all(names.map((n) => done(t.objectStore(n).clear()))));
}
