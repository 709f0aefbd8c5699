// One inspection on the device, in five tabs a thumb reaches at the bottom: the map with
// the measurement (walk the boundary or draw it), the checklist with opening and closing,
// photos with time and place, findings, notes. Every change is written to the device's
// store at once and marked unsynced.
import { h, replace } from '../lib/dom';
import { fmtNumber, fmtTimestamp, lang, parseNumber, t, type MessageKey } from '../i18n';
import * as db from './db';
import type { Answer, FindingFields, InspectionFields, LocalFinding, LocalInspection, LocalPhoto } from './db';
import { distance, geometryArea, polygonOf, ringArea, type LonLat } from './geo';
import { FieldMap } from './map';
import { normalisePhoto } from './photos';
import * as remote from './remote';
import type { ChecklistItem, MapData } from './remote';
import { currentPosition, gpsError, lastPosition, onPosition, startGps } from './gps';
import { refreshCounter, subjectLabel, topBar } from './chrome';

export function statusLabel(s: string): string {
  return ['assigned', 'open', 'closed'].includes(s) ? t(`field.status.${s}` as MessageKey) : s;
}

/** Writes a change of the working copy at once, marking the fields changed. */
export async function edit(code: string, change: Partial<InspectionFields>): Promise<LocalInspection | undefined> {
  const out = await db.update<LocalInspection>('inspections', code, (cur) => {
    const fields = { ...cur.fields, ...change };
    const dirty = new Set(cur.dirty);
    for (const k of Object.keys(change) as (keyof InspectionFields)[]) {
      // A field brought back to the server's value is no change to send.
      if (JSON.stringify(fields[k]) === JSON.stringify(cur.server[k]) && !cur.conflict) dirty.delete(k);
      else dirty.add(k);
    }
    return { ...cur, fields, dirty: [...dirty], changed_at: new Date().toISOString() };
  });
  void refreshCounter();
  return out;
}

export function fmtArea(m2: number | null | undefined): string {
  if (m2 === null || m2 === undefined) return t('common.none');
  return `${fmtNumber(m2, 1)} m² (${fmtNumber(m2 / 10000, 4)} ha)`;
}

const TABS = ['map', 'check', 'photos', 'findings', 'notes'] as const;
type Tab = (typeof TABS)[number];

export async function renderInspection(container: HTMLElement, code: string, tabArg: string): Promise<void> {
  const rec = await db.get<LocalInspection>('inspections', code);
  const tab: Tab = (TABS as readonly string[]).includes(tabArg) ? (tabArg as Tab) : 'map';
  if (!rec) {
    replace(container, topBar(code, '#/'), h('main', { class: 'fa-main' }, h('p', null, t('field.not_on_device'))));
    return;
  }
  const body = h('main', { class: 'fa-main fa-with-tabs' });
  const nav = h(
    'nav',
    { class: 'fa-tabs', 'aria-label': t('field.sections') },
    TABS.map((k) =>
      h('a', { href: `#/i/${encodeURIComponent(code)}/${k}`, class: 'fa-tab', 'aria-current': k === tab ? 'page' : null, 'data-tab': k }, t(`field.tab.${k}` as MessageKey)),
    ),
  );
  const head = h(
    'div',
    { class: 'fa-head' },
    h('div', null, subjectLabel(rec.server.subject_kind), ': ', h('strong', { 'data-verbatim': 'data' }, rec.server.subject_ref)),
    h('span', { class: `fa-status fa-status-${rec.fields.status}`, 'data-testid': 'status' }, statusLabel(rec.fields.status)),
    rec.conflict ? h('a', { class: 'fa-conflict-note', href: `#/conflict/${encodeURIComponent(code)}` }, t('field.conflict_waiting')) : null,
  );
  replace(container, topBar(code, '#/'), head, body, nav);
  if (tab === 'map') await mapTab(body, rec);
  else if (tab === 'check') await checkTab(body, rec);
  else if (tab === 'photos') await photosTab(body, rec);
  else if (tab === 'findings') await findingsTab(body, rec);
  else notesTab(body, rec);
}

// ---- map and measurement ------------------------------------------------------------

interface MeasureDraft {
  method: 'walked' | 'drawn';
  points: LonLat[];
}

function registeredArea(map: MapData | null, parcel: string | null): number | null {
  if (!map || !parcel) return null;
  const f = map.parcels?.features.find((x) => String(x.properties?.external_id) === parcel);
  if (!f) return null;
  const a = f.properties?.area_m2;
  return typeof a === 'number' ? a : geometryArea(f.geometry);
}

async function mapTab(body: HTMLElement, rec: LocalInspection): Promise<void> {
  const data = (await db.getMeta<MapData>('map')) ?? { parcels: { type: 'FeatureCollection', features: [] }, zones: { type: 'FeatureCollection', features: [] }, communes: { type: 'FeatureCollection', features: [] } };
  const draftKey = `draft:measure:${rec.code}`;
  let draft = (await db.getMeta<MeasureDraft | null>(draftKey)) ?? null;
  let fields = rec.fields;
  const highlight = new Set<string>();
  if (fields.parcel) highlight.add(fields.parcel);
  if (rec.server.subject_kind === 'parcel') highlight.add(rec.server.subject_ref);
  for (const f of data.parcels?.features ?? []) {
    const p = f.properties ?? {};
    if (p.subject === true || p.assigned === true || (Array.isArray(p.inspections) && p.inspections.includes(rec.code))) highlight.add(String(p.external_id));
  }

  startGps();
  const gpsLine = h('div', { class: 'fa-gps', 'data-testid': 'gps' });
  const info = h('div', { class: 'fa-measure-info', 'data-testid': 'measure-info' });
  const controls = h('div', { class: 'fa-measure-controls' });
  const map = new FieldMap(data, {
    highlight,
    labels: { zoomIn: t('field.zoom_in'), zoomOut: t('field.zoom_out'), fit: t('field.fit'), locate: t('field.locate'), map: t('field.map_label') },
    onTap: (p, parcel) => {
      if (draft && draft.method === 'drawn') {
        draft.points.push(p);
        void saveDraft();
      } else if (parcel) {
        void edit(rec.code, { parcel }).then((r) => {
          if (r) fields = r.fields;
          highlight.add(parcel);
          showInfo();
        });
      }
    },
  });
  const pts = fields.measured_geojson?.coordinates?.[0] ?? null;
  map.setMeasured(pts ? pts.slice(0, -1) : null);
  map.setDraft(draft?.points ?? null);

  const showGps = () => {
    const p = lastPosition();
    map.setPosition(p);
    const err = gpsError();
    gpsLine.textContent = p
      ? t('field.gps_at', { lat: p.lat.toFixed(6), lon: p.lon.toFixed(6), acc: fmtNumber(p.accuracy, 0) })
      : err === 'denied'
        ? t('field.gps_denied')
        : t('field.gps_waiting');
  };
  showGps();
  const stopGps = onPosition(() => {
    if (!body.isConnected) return stopGps();
    showGps();
    // Walking: each fix at least 3 m from the last point (and no worse than 20 m) is a vertex.
    const p = lastPosition();
    if (draft && draft.method === 'walked' && autoWalk && p && p.accuracy <= 20) {
      const here: LonLat = [p.lon, p.lat];
      const prev = draft.points[draft.points.length - 1];
      if (!prev || distance(prev, here) >= 3) {
        draft.points.push(here);
        void saveDraft();
      }
    }
  });
  let autoWalk = true;

  async function saveDraft(): Promise<void> {
    await db.setMeta(draftKey, draft);
    map.setDraft(draft?.points ?? null);
    showInfo();
    showControls();
  }

  function showInfo(): void {
    const reg = registeredArea(data, fields.parcel);
    const rows: Node[] = [];
    rows.push(h('div', null, t('field.parcel'), ': ', h('strong', { 'data-testid': 'parcel' }, fields.parcel ?? t('field.parcel_tap')), reg !== null ? ` · ${t('field.registered')}: ${fmtArea(reg)}` : ''));
    if (draft) {
      const a = draft.points.length >= 3 ? ringArea(draft.points) : 0;
      rows.push(h('div', { class: 'fa-draft-area' }, t(draft.method === 'walked' ? 'field.walking' : 'field.drawing', { n: draft.points.length }), ' · ', h('span', { 'data-testid': 'draft-area' }, fmtArea(a))));
    }
    if (fields.measured_area_m2 !== null) {
      const diff = reg ? ((fields.measured_area_m2 - reg) / reg) * 100 : null;
      rows.push(
        h(
          'div',
          { class: 'fa-measured-area' },
          t('field.measured', { method: t(fields.measure_method === 'walked' ? 'field.method.walked' : 'field.method.drawn') }),
          ': ',
          h('strong', { 'data-testid': 'measured-area', 'data-m2': String(fields.measured_area_m2) }, fmtArea(fields.measured_area_m2)),
          diff !== null ? ` (${diff >= 0 ? '+' : ''}${fmtNumber(diff, 1)} %)` : '',
        ),
      );
    }
    replace(info, ...rows);
  }

  function btn(label: string, testid: string, f: () => void, cls = 'fa-btn'): HTMLButtonElement {
    const b = h('button', { type: 'button', class: cls, 'data-testid': testid }, label);
    b.addEventListener('click', f);
    return b;
  }

  function showControls(): void {
    if (!draft) {
      replace(
        controls,
        btn(t('field.draw'), 'draw', () => {
          draft = { method: 'drawn', points: [] };
          void saveDraft();
        }),
        btn(t('field.walk'), 'walk', () => {
          draft = { method: 'walked', points: [] };
          const p = lastPosition();
          if (p) draft.points.push([p.lon, p.lat]);
          void saveDraft();
        }),
      );
      return;
    }
    const d = draft;
    const save = btn(t('field.save_boundary'), 'save-boundary', async () => {
      const geom = polygonOf(d.points);
      const area = Math.round(ringArea(d.points) * 100) / 100;
      const r = await edit(rec.code, { measured_geojson: geom, measured_area_m2: area, measure_method: d.method });
      if (r) fields = r.fields;
      draft = null;
      await db.setMeta(draftKey, null);
      map.setMeasured(d.points);
      map.setDraft(null);
      showInfo();
      showControls();
    }, 'fa-btn fa-btn-primary');
    save.disabled = d.points.length < 3;
    const items: Node[] = [];
    if (d.method === 'walked') {
      items.push(
        btn(t('field.add_gps_point'), 'add-gps-point', async () => {
          const p = await currentPosition();
          if (p) {
            d.points.push([p.lon, p.lat]);
            void saveDraft();
          }
        }),
      );
      const auto = h('label', { class: 'fa-check' }, h('input', { type: 'checkbox', checked: autoWalk }), ' ', t('field.auto_points'));
      auto.querySelector('input')!.addEventListener('change', (e) => (autoWalk = (e.target as HTMLInputElement).checked));
      items.push(auto);
    } else {
      items.push(h('p', { class: 'fa-muted' }, t('field.draw_hint')));
    }
    items.push(
      btn(t('field.undo_point'), 'undo-point', () => {
        d.points.pop();
        void saveDraft();
      }),
      btn(t('field.cancel'), 'cancel-measure', () => {
        draft = null;
        void saveDraft();
      }, 'fa-btn fa-btn-quiet'),
      save,
    );
    replace(controls, ...items);
  }

  body.append(gpsLine, map.element, info, controls);
  showInfo();
  showControls();
  requestAnimationFrame(() => (fields.measured_geojson ? map.fit(fields.measured_geojson.coordinates[0]) : map.fitHighlight()));
}

// ---- checklist, opening and closing ------------------------------------------------------

async function checkTab(body: HTMLElement, rec: LocalInspection): Promise<void> {
  const checklists = (await db.getMeta<Record<string, ChecklistItem[]>>('checklists')) ?? {};
  const items = checklists[rec.server.checklist_kind] ?? [];
  let answers: Record<string, Answer> = { ...rec.fields.answers };
  const save = (item: string, value: Answer) => {
    answers = { ...answers, [item]: value };
    void edit(rec.code, { answers });
  };

  const now = () => new Date().toISOString();
  const status = rec.fields.status;
  const openClose = h('div', { class: 'fa-row' });
  const rerender = () => void renderInspection(document.getElementById('app')!, rec.code, 'check');
  if (status === 'assigned') {
    const b = h('button', { type: 'button', class: 'fa-btn fa-btn-primary fa-btn-block', 'data-testid': 'open-inspection' }, t('field.open_inspection'));
    b.addEventListener('click', async () => {
      await edit(rec.code, { status: 'open', opened_at: now() });
      rerender();
    });
    openClose.append(b);
  } else if (status === 'open') {
    const b = h('button', { type: 'button', class: 'fa-btn fa-btn-primary fa-btn-block', 'data-testid': 'close-inspection' }, t('field.close_inspection'));
    b.addEventListener('click', async () => {
      await edit(rec.code, { status: 'closed', closed_at: now() });
      rerender();
    });
    openClose.append(h('p', { class: 'fa-muted' }, t('field.opened_at', { at: fmtTimestamp(rec.fields.opened_at) })), b);
  } else {
    const b = h('button', { type: 'button', class: 'fa-btn', 'data-testid': 'reopen-inspection' }, t('field.reopen_inspection'));
    b.addEventListener('click', async () => {
      await edit(rec.code, { status: 'open', closed_at: '' });
      rerender();
    });
    openClose.append(h('p', { class: 'fa-muted' }, t('field.closed_at', { at: fmtTimestamp(rec.fields.closed_at) })), b);
  }

  const rows = items.map((it) => {
    const label = lang() === 'en' && it.label_en ? it.label_en : it.label_vi;
    const v = answers[it.item];
    let control: HTMLElement;
    if (it.answer === 'yes_no') {
      control = h('div', { class: 'fa-seg', role: 'radiogroup', 'aria-label': label });
      for (const [val, key] of [[true, 'field.yes'], [false, 'field.no']] as const) {
        const b = h('button', { type: 'button', class: 'fa-seg-btn', role: 'radio', 'aria-checked': String(v === val), 'data-answer': String(val) }, t(key));
        b.addEventListener('click', () => {
          for (const x of Array.from(control.children)) x.setAttribute('aria-checked', String(x === b));
          save(it.item, val);
        });
        control.append(b);
      }
    } else if (it.answer === 'number') {
      const input = h('input', { type: 'text', inputmode: 'decimal', class: 'fa-input', value: typeof v === 'number' ? fmtNumber(v, 6) : '', 'aria-label': label });
      const err = h('div', { class: 'fa-error' });
      input.addEventListener('input', () => {
        const n = parseNumber(input.value);
        err.textContent = input.value.trim() && n === null ? t('field.not_a_number') : '';
        if (input.value.trim() === '') save(it.item, null);
        else if (n !== null) save(it.item, n);
      });
      control = h('div', null, input, err);
    } else {
      const input = h('textarea', { class: 'fa-input', rows: 2, 'aria-label': label });
      input.value = typeof v === 'string' ? v : '';
      input.addEventListener('input', () => save(it.item, input.value));
      control = input;
    }
    return h('div', { class: 'fa-q', 'data-item': it.item }, h('div', { class: 'fa-q-label' }, label), control);
  });
  body.append(
    h('section', { class: 'fa-section' }, openClose),
    h('section', { class: 'fa-section', 'data-testid': 'checklist' }, h('h2', null, t('field.checklist'), rec.server.checklist_kind ? ` — ${rec.server.checklist_kind}` : ''), rows.length ? rows : h('p', { class: 'fa-muted' }, t('field.no_checklist'))),
  );
}

// ---- photos --------------------------------------------------------------------------------

async function photosTab(body: HTMLElement, rec: LocalInspection): Promise<void> {
  const input = h('input', { type: 'file', accept: 'image/*', capture: 'environment', class: 'fa-file', id: 'fa-photo-input', 'data-testid': 'photo-input' });
  const label = h('label', { for: 'fa-photo-input', class: 'fa-btn fa-btn-primary fa-btn-block' }, t('field.take_photo'));
  const slot = h('div', { 'aria-live': 'polite' });
  const grid = h('div', { class: 'fa-photos', 'data-testid': 'photos' });
  const draw = async () => {
    const photos = (await db.byInspection<LocalPhoto>('photos', rec.code)).sort((a, b) => a.taken_at.localeCompare(b.taken_at));
    replace(
      grid,
      photos.length
        ? photos.map((p) =>
            h(
              'figure',
              { class: 'fa-photo', 'data-synced': String(p.synced) },
              p.blob || p.url ? h('img', { src: p.blob ? URL.createObjectURL(p.blob) : p.url, alt: t('field.photo_alt', { at: fmtTimestamp(p.taken_at) }) }) : null,
              h(
                'figcaption',
                null,
                fmtTimestamp(p.taken_at),
                h('br'),
                p.lat !== null && p.lon !== null ? `${p.lat.toFixed(6)}, ${p.lon.toFixed(6)}${p.accuracy_m !== null ? ` ±${fmtNumber(p.accuracy_m, 0)} m` : ''}` : t('field.no_place'),
                h('br'),
                h('span', { class: p.synced ? 'fa-ok' : 'fa-unsynced' }, p.synced ? t('field.synced') : t('field.not_synced')),
                p.error ? h('div', { class: 'fa-error', 'data-verbatim': 'server' }, p.error) : null,
              ),
            ),
          )
        : h('p', { class: 'fa-muted' }, t('field.no_photos')),
    );
  };
  input.addEventListener('change', async () => {
    const files = Array.from(input.files ?? []);
    for (const file of files) {
      try {
        const blob = await normalisePhoto(file);
        const pos = await currentPosition();
        const photo: LocalPhoto = {
          client_id: remote.newId(),
          inspection: rec.code,
          blob,
          mime: blob.type || 'image/jpeg',
          taken_at: new Date().toISOString(),
          lon: pos?.lon ?? null,
          lat: pos?.lat ?? null,
          accuracy_m: pos?.accuracy ?? null,
          url: '',
          synced: false,
          error: '',
        };
        await db.put('photos', photo);
      } catch {
        replace(slot, h('div', { class: 'alert alert-error', role: 'alert' }, t('field.photo_unreadable')));
      }
    }
    input.value = '';
    void refreshCounter();
    await draw();
  });
  body.append(h('section', { class: 'fa-section' }, label, input, slot), grid);
  await draw();
}

// ---- findings -----------------------------------------------------------------------------

const FINDING_KINDS = ['over_declared', 'not_cultivated', 'boundary_wrong', 'banned_pesticide', 'quality_failed', 'other'];
const FINDING_SUBJECTS = ['parcel', 'application', 'applicant', 'area_code', 'ocop_product', 'facility'];

async function findingsTab(body: HTMLElement, rec: LocalInspection): Promise<void> {
  const draftKey = `draft:finding:${rec.code}`;
  const blank = (): FindingFields => ({
    kind: 'over_declared',
    subject_kind: rec.fields.parcel ? 'parcel' : rec.server.subject_kind,
    subject_ref: rec.fields.parcel ?? rec.server.subject_ref,
    severity: 'minor',
    detail: '',
    measured_area_m2: rec.fields.measured_area_m2,
    recorded_at: '',
  });
  let draft: FindingFields = (await db.getMeta<FindingFields | null>(draftKey)) ?? blank();
  const keep = () => void db.setMeta(draftKey, draft);

  const sel = (name: string, options: string[], prefix: string, value: string, on: (v: string) => void) => {
    const s = h('select', { class: 'fa-input', name }, options.map((o) => h('option', { value: o, selected: o === value }, t(`${prefix}.${o}` as MessageKey))));
    s.addEventListener('change', () => on(s.value));
    return s;
  };
  const kind = sel('kind', FINDING_KINDS, 'field.fkind', draft.kind, (v) => ((draft.kind = v), keep()));
  const subjKind = sel('subject_kind', FINDING_SUBJECTS, 'field.subject', draft.subject_kind, (v) => ((draft.subject_kind = v), keep()));
  const subjRef = h('input', { class: 'fa-input', name: 'subject_ref', value: draft.subject_ref });
  subjRef.addEventListener('input', () => ((draft.subject_ref = subjRef.value), keep()));
  const sev = h('div', { class: 'fa-seg', role: 'radiogroup', 'aria-label': t('field.severity') });
  for (const s of ['minor', 'serious'] as const) {
    const b = h('button', { type: 'button', class: 'fa-seg-btn', role: 'radio', 'aria-checked': String(draft.severity === s), 'data-severity': s }, t(`field.severity.${s}`));
    b.addEventListener('click', () => {
      for (const x of Array.from(sev.children)) x.setAttribute('aria-checked', String(x === b));
      draft.severity = s;
      keep();
    });
    sev.append(b);
  }
  const detail = h('textarea', { class: 'fa-input', name: 'detail', rows: 3 });
  detail.value = draft.detail;
  detail.addEventListener('input', () => ((draft.detail = detail.value), keep()));
  const area = h('input', { class: 'fa-input', name: 'measured_area_m2', inputmode: 'decimal', value: draft.measured_area_m2 !== null ? fmtNumber(draft.measured_area_m2, 2) : '' });
  const areaErr = h('div', { class: 'fa-error' });
  area.addEventListener('input', () => {
    const n = parseNumber(area.value);
    areaErr.textContent = area.value.trim() && (n === null || n < 0) ? t('field.not_a_number') : '';
    draft.measured_area_m2 = area.value.trim() === '' || n === null ? null : n;
    keep();
  });
  const slot = h('div', { 'aria-live': 'polite' });
  const add = h('button', { type: 'button', class: 'fa-btn fa-btn-primary fa-btn-block', 'data-testid': 'add-finding' }, t('field.add_finding'));
  add.addEventListener('click', async () => {
    if (!draft.subject_ref.trim()) {
      replace(slot, h('div', { class: 'alert alert-error', role: 'alert' }, t('field.subject_required')));
      return;
    }
    const f: LocalFinding = { client_id: remote.newId(), inspection: rec.code, fields: { ...draft, subject_ref: draft.subject_ref.trim(), recorded_at: new Date().toISOString() }, synced: false, status: 'open', error: '' };
    await db.put('findings', f);
    await db.setMeta(draftKey, null);
    void refreshCounter();
    await renderInspection(document.getElementById('app')!, rec.code, 'findings');
  });
  const lbl = (text: string, control: HTMLElement, extra?: HTMLElement) => h('label', { class: 'fa-field' }, h('span', { class: 'fa-q-label' }, text), control, extra ?? null);
  const list = (await db.byInspection<LocalFinding>('findings', rec.code)).sort((a, b) => a.fields.recorded_at.localeCompare(b.fields.recorded_at));
  body.append(
    h(
      'section',
      { class: 'fa-section', 'data-testid': 'findings' },
      h('h2', null, t('field.findings', { n: list.length })),
      list.length
        ? h(
            'ul',
            { class: 'fa-list' },
            list.map((f) =>
              h(
                'li',
                { 'data-synced': String(f.synced) },
                h('strong', null, t(`field.fkind.${FINDING_KINDS.includes(f.fields.kind) ? f.fields.kind : 'other'}` as MessageKey)),
                ' · ',
                t(`field.severity.${f.fields.severity}`),
                ' · ',
                subjectLabel(f.fields.subject_kind),
                ' ',
                h('span', { 'data-verbatim': 'data' }, f.fields.subject_ref),
                f.fields.detail ? h('div', { 'data-verbatim': 'data' }, f.fields.detail) : null,
                h('div', { class: f.synced ? 'fa-ok' : 'fa-unsynced' }, f.synced ? t('field.synced') : t('field.not_synced'), ' · ', fmtTimestamp(f.fields.recorded_at)),
                f.error ? h('div', { class: 'fa-error', 'data-verbatim': 'server' }, f.error) : null,
              ),
            ),
          )
        : h('p', { class: 'fa-muted' }, t('field.no_findings')),
    ),
    h(
      'section',
      { class: 'fa-section fa-form' },
      h('h2', null, t('field.new_finding')),
      lbl(t('field.finding_kind'), kind),
      h('div', { class: 'fa-field' }, h('span', { class: 'fa-q-label' }, t('field.severity')), sev),
      lbl(t('field.about_kind'), subjKind),
      lbl(t('field.about_ref'), subjRef),
      lbl(t('field.detail'), detail),
      lbl(t('field.finding_area'), area, areaErr),
      slot,
      add,
    ),
  );
}

// ---- notes --------------------------------------------------------------------------------

function notesTab(body: HTMLElement, rec: LocalInspection): void {
  const notes = h('textarea', { class: 'fa-input fa-notes', rows: 10, 'aria-label': t('field.tab.notes'), 'data-testid': 'notes' });
  notes.value = rec.fields.notes;
  notes.addEventListener('input', () => void edit(rec.code, { notes: notes.value }));
  body.append(h('section', { class: 'fa-section' }, h('h2', null, t('field.tab.notes')), notes, h('p', { class: 'fa-muted' }, t('field.saved_on_device'))));
}
