// A conflict: the inspection was changed on the server while the inspector worked
// offline. Each field the inspector changed is shown side by side — theirs and the
// server's — (the checklist answer by answer), the inspector picks one of each, and the
// merged record goes to the resolve route with the server version shown here.
import { ApiError } from '../lib/api';
import { h, replace } from '../lib/dom';
import { errorBox } from '../lib/ui';
import { fmtNumber, fmtTimestamp, lang, t } from '../i18n';
import * as db from './db';
import type { Answer, InspectionFields, LocalInspection } from './db';
import * as remote from './remote';
import type { ChecklistItem } from './remote';
import { fieldLabel, refreshCounter, topBar } from './chrome';
import { fmtArea, statusLabel } from './inspection';
import { geometryArea } from './geo';

function answerText(v: Answer | undefined): string {
  if (v === undefined || v === null || v === '') return t('common.none');
  if (v === true) return t('field.yes');
  if (v === false) return t('field.no');
  if (typeof v === 'number') return fmtNumber(v, 6);
  return v;
}

function valueText(k: keyof InspectionFields, f: InspectionFields): string {
  const v = f[k];
  switch (k) {
    case 'status':
      return statusLabel(String(v));
    case 'measured_area_m2':
      return fmtArea(v as number | null);
    case 'measured_geojson':
      return f.measured_geojson ? t('field.boundary_points', { n: f.measured_geojson.coordinates[0].length - 1, area: fmtArea(geometryArea(f.measured_geojson)) }) : t('common.none');
    case 'measure_method':
      return v ? t(v === 'walked' ? 'field.method.walked' : 'field.method.drawn') : t('common.none');
    case 'opened_at':
    case 'closed_at':
      return v ? fmtTimestamp(String(v)) : t('common.none');
    default:
      return v === null || v === '' ? t('common.none') : String(v);
  }
}

export async function renderConflict(container: HTMLElement, code: string): Promise<void> {
  const rec = await db.get<LocalInspection>('inspections', code);
  if (!rec || !rec.conflict) {
    replace(container, topBar(code, '#/sync'), h('main', { class: 'fa-main' }, h('p', null, t('field.no_conflict'))));
    return;
  }
  const server = rec.conflict;
  const mine = rec.fields;
  const checklists = (await db.getMeta<Record<string, ChecklistItem[]>>('checklists')) ?? {};
  const labels = new Map((checklists[rec.server.checklist_kind] ?? []).map((i) => [i.item, lang() === 'en' && i.label_en ? i.label_en : i.label_vi]));

  // One choice per row: a field, or one checklist answer. Mine by default: nothing typed is dropped unless the inspector says so.
  interface Row {
    key: string;
    label: string;
    mine: string;
    theirs: string;
  }
  const rows: Row[] = [];
  for (const k of rec.dirty) {
    if (k === 'answers') {
      const items = new Set([...Object.keys(mine.answers), ...Object.keys(server.answers ?? {})]);
      for (const item of items) {
        const a = mine.answers[item];
        const b = server.answers?.[item];
        if (JSON.stringify(a ?? null) === JSON.stringify(b ?? null)) continue;
        rows.push({ key: `answers.${item}`, label: `${fieldLabel('answers')}: ${labels.get(item) ?? item}`, mine: answerText(a), theirs: answerText(b) });
      }
    } else if ((k === 'measured_area_m2' || k === 'measure_method') && rec.dirty.includes('measured_geojson')) {
      // Shown with the boundary: the three are taken together.
    } else if (JSON.stringify(mine[k]) !== JSON.stringify(server[k])) {
      rows.push({ key: k, label: fieldLabel(k), mine: valueText(k, mine), theirs: valueText(k, server) });
    }
  }
  const choice = new Map<string, 'mine' | 'server'>(rows.map((r) => [r.key, 'mine']));
  const table = h(
    'div',
    { class: 'fa-conflict', 'data-testid': 'conflict-table' },
    h('div', { class: 'fa-conflict-row fa-conflict-head' }, h('span', null, ''), h('span', null, t('field.yours')), h('span', null, t('field.servers'))),
    rows.map((r) => {
      const pick = (side: 'mine' | 'server', text: string) => {
        const id = `c-${r.key}-${side}`;
        const input = h('input', { type: 'radio', name: `c-${r.key}`, id, value: side, checked: side === 'mine', 'data-side': side });
        input.addEventListener('change', () => choice.set(r.key, side));
        return h('label', { class: 'fa-conflict-cell', for: id }, input, h('span', { 'data-verbatim': 'data' }, text));
      };
      return h('div', { class: 'fa-conflict-row', 'data-field': r.key }, h('span', { class: 'fa-conflict-label' }, r.label), pick('mine', r.mine), pick('server', r.theirs));
    }),
  );
  const slot = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'button', class: 'fa-btn fa-btn-primary fa-btn-block', 'data-testid': 'resolve' }, t('field.resolve_save'));
  save.addEventListener('click', async () => {
    save.disabled = true;
    // The merged record: the server's, with each row the inspector kept as theirs.
    const merged: Partial<InspectionFields> = {};
    const answers: Record<string, Answer> = { ...(server.answers ?? {}) };
    for (const k of rec.dirty) {
      if (k === 'answers') continue;
      const pickMine = choice.get(k) === 'mine' || !rows.some((r) => r.key === k);
      (merged as Record<string, unknown>)[k] = pickMine ? mine[k] : server[k];
    }
    if (rec.dirty.includes('answers')) {
      for (const [item, v] of Object.entries(mine.answers)) {
        if (choice.get(`answers.${item}`) !== 'server') {
          answers[item] = v;
        }
      }
      merged.answers = answers;
    }
    // A boundary comes with its area and method: they go together.
    if ('measured_geojson' in merged || 'measured_area_m2' in merged) {
      const takeMine = choice.get('measured_geojson') !== 'server' && choice.get('measured_area_m2') !== 'server';
      const src = takeMine ? mine : server;
      merged.measured_geojson = src.measured_geojson;
      merged.measured_area_m2 = src.measured_area_m2;
      merged.measure_method = src.measure_method;
    }
    try {
      await remote.resolve(code, server.version, merged);
      void refreshCounter();
      location.hash = '#/sync';
    } catch (err) {
      if (err instanceof remote.SessionGone) location.hash = '#/login';
      else if (err instanceof ApiError && err.status === 0) replace(slot, h('div', { class: 'alert alert-warn', role: 'alert' }, t('field.sync_offline')));
      else replace(slot, errorBox(err));
      save.disabled = false;
    }
  });
  replace(
    container,
    topBar(code, '#/sync'),
    h(
      'main',
      { class: 'fa-main' },
      h('h2', { class: 'fa-h2' }, t('field.conflict_title', { code })),
      h('p', null, t('field.conflict_intro', { version: server.version })),
      rows.length ? table : h('p', { class: 'fa-muted' }, t('field.conflict_same')),
      slot,
      save,
    ),
  );
}
