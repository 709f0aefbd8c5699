// Chuyển đổi cơ cấu cây trồng: hectares converted in a period by former use,
// new crop and commune (/api/v1/conversions/summary), and the records behind
// each number. The API has no list of conversions, so the records page finds
// them on the parcels themselves (the parcels of the commune now growing the new
// crop, then each parcel's conversions) and says whether they add up.
import { api, type Page, type UnitRef } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, navigate, setQuery, type Route } from '../../lib/router';
import { dateInput, errorBox, field, loading } from '../../lib/ui';
import { fmtDate, fmtNumber, t, todayIso } from '../../i18n';
import { FROM_USES, cropChip, cropLabel, fromUseLabel, ha, illustrativeBadge, serverHasRoute, type ConversionSummary, type ParcelDetail, type ParcelItem } from '../../lib/registry';

/** Resolution 05-NQ/TU runs from 2021; its first period ends in 2025. */
const PROGRAMME_START = '2021-01-01';

interface Period {
  from: string;
  to: string;
}

function periodQuery(p: Period, extra: Record<string, string> = {}): string {
  const qs = new URLSearchParams(Object.entries({ from: p.from, to: p.to, ...extra }).filter(([, v]) => v !== ''));
  return qs.toString();
}

function recordsHref(p: Period, extra: Record<string, string>): string {
  return `/registry/conversions/records?${periodQuery(p, extra)}`;
}

function bars(rows: { label: Node | string; value: number; href: string; testid?: string }[], total: number, caption: string): HTMLElement {
  if (!rows.length) return h('p', { class: 'muted' }, t('common.empty'));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table table-bars' },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', null, h('tr', null, h('th', null, caption), h('th', { class: 'num' }, t('conversion.hectares')), h('th', { class: 'hide-sm' }, t('conversion.share')), h('th', null, ''))),
      h(
        'tbody',
        null,
        ...rows.map((r) =>
          h(
            'tr',
            { 'data-testid': r.testid ?? null },
            h('td', null, r.label),
            h('td', { class: 'num' }, ha(r.value)),
            h('td', { class: 'hide-sm bar-cell' }, h('div', { class: 'bar bar-thin' }, h('div', { class: 'bar-fill', style: { width: `${total > 0 ? Math.min(100, (r.value / total) * 100) : 0}%` } }))),
            h('td', { class: 'actions' }, link(r.href, { class: 'btn btn-small' }, `${t('conversion.records')} ›`)),
          ),
        ),
      ),
    ),
  );
}

function periodForm(p: Period, go: (p: Period) => void): HTMLElement {
  const from = dateInput('from', p.from);
  const to = dateInput('to', p.to);
  const show = h('button', { type: 'submit', class: 'btn btn-primary' }, t('conversion.show'));
  const year = new Date().getFullYear();
  const presets: [string, Period][] = [
    [t('conversion.preset_programme'), { from: PROGRAMME_START, to: '2025-12-31' }],
    [t('conversion.preset_year', { year }), { from: `${year}-01-01`, to: todayIso() }],
    [t('conversion.preset_all'), { from: '', to: '' }],
  ];
  const form = h(
    'form',
    { class: 'filters', novalidate: true },
    field(t('conversion.from'), from.el, { name: 'from' }),
    field(t('conversion.to'), to.el, { name: 'to' }),
    h('div', { class: 'field field-button' }, show),
    h(
      'div',
      { class: 'presets field-wide' },
      ...presets.map(([label, pp]) => {
        const b = h('button', { type: 'button', class: `btn btn-small${pp.from === p.from && pp.to === p.to ? ' active' : ''}` }, label);
        b.addEventListener('click', () => go(pp));
        return b;
      }),
    ),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = from.value();
    const tt = to.value();
    if (f === null || tt === null) return;
    go({ from: f, to: tt });
  });
  return form;
}

function periodText(p: Period): string {
  if (!p.from && !p.to) return t('conversion.all_time');
  return `${p.from ? fmtDate(p.from) : '…'} – ${p.to ? fmtDate(p.to) : '…'}`;
}

export async function renderConversions(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('conversions.title')} · nongsan`;
  const q = route.query;
  const p: Period = { from: q.has('from') ? q.get('from') ?? '' : PROGRAMME_START, to: q.has('to') ? q.get('to') ?? '' : todayIso() };
  const go = (np: Period): void => navigate(`/registry/conversions?${new URLSearchParams({ from: np.from, to: np.to }).toString()}`);
  const result = h('div', { class: 'results' }, loading());
  replace(root, h('h1', null, t('conversions.title')), h('p', { class: 'intro' }, t('conversions.intro')), periodForm(p, go), result);
  let s: ConversionSummary;
  try {
    s = await api.get<ConversionSummary>('/api/v1/conversions/summary', { from: p.from, to: p.to });
  } catch (err) {
    replace(result, errorBox(err));
    return;
  }
  const byFrom = FROM_USES.filter((f) => (s.by_from_use_ha[f] ?? 0) > 0).map((f) => ({ label: fromUseLabel(f), value: s.by_from_use_ha[f], href: recordsHref(p, { from_use: f }) }));
  for (const [k, v] of Object.entries(s.by_from_use_ha)) if (!(FROM_USES as string[]).includes(k)) byFrom.push({ label: k, value: v, href: recordsHref(p, { from_use: k }) });
  const byCrop = Object.entries(s.by_crop_ha)
    .sort((a, b) => b[1] - a[1])
    .map(([c, v]) => ({ label: cropChip(c), value: v, href: recordsHref(p, { to_crop: c }) }));
  const byCommune = [...s.by_commune]
    .sort((a, b) => b.hectares - a.hectares)
    .map((r) => ({ label: r.unit?.name ?? t('common.none'), value: r.hectares, href: recordsHref(p, { commune_id: r.unit ? String(r.unit.id) : '' }), testid: 'commune-row' }));
  replace(
    result,
    h(
      'section',
      { class: 'card conv-headline', 'data-testid': 'conversion-headline' },
      h('div', { class: 'headline-label' }, t('conversion.headline_label', { period: periodText(p) })),
      h('div', { class: 'big-number' }, h('strong', { 'data-testid': 'inefficient-rice-ha' }, fmtNumber(s.from_inefficient_rice_ha, 2)), ' ', h('span', null, t('conversion.headline_text'))),
      s.from_inefficient_rice_ha > 0 ? h('p', null, link(recordsHref(p, { from_use: 'inefficient_rice' }), { class: 'btn btn-small btn-primary', 'data-testid': 'trace-inefficient-rice' }, `${t('conversion.trace')} ›`)) : '',
      h('p', { class: 'muted small' }, t('conversion.totals', { ha: fmtNumber(s.total_ha, 2), n: fmtNumber(s.conversions) })),
    ),
    h('div', { class: 'detail-grid' }, h('section', { class: 'card' }, h('h2', null, t('conversion.by_from_use')), bars(byFrom, s.total_ha, t('conversion.from_use'))), h('section', { class: 'card' }, h('h2', null, t('conversion.by_crop')), bars(byCrop, s.total_ha, t('conversion.to_crop')))),
    h('section', { class: 'card' }, h('h2', null, t('conversion.by_commune')), bars(byCommune, s.total_ha, t('parcel.commune'))),
  );
}

/** Runs `work` over the items, `n` at a time. */
async function pool<T>(items: T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

interface Row {
  parcel: { id: number; external_id: string; illustrative?: boolean };
  commune: UnitRef | null;
  id: number;
  date: string;
  from_use: string;
  to_crop: string;
  area_m2: number;
  note: string;
}

interface Want {
  from_use: string;
  to_crop: string;
  commune_id: string;
}

/** A conversion as a list route would give it (GET /api/v1/conversions, proposed). */
interface ListedConversion {
  id: number;
  parcel?: { id: number; external_id: string; commune?: UnitRef | null; illustrative?: boolean } | null;
  parcel_id?: number;
  commune?: UnitRef | null;
  from_use: string;
  to_crop: string;
  date: string;
  area_m2: number;
  note?: string;
}

async function fromListRoute(p: Period, want: Want): Promise<Row[]> {
  const rows: Row[] = [];
  for (let page = 1; page < 1000; page++) {
    const r = await api.get<Page<ListedConversion>>('/api/v1/conversions', { from: p.from, to: p.to, ...want, page, page_size: 500 });
    for (const v of r.items) {
      const parcel = v.parcel ?? (v.parcel_id ? { id: v.parcel_id, external_id: `#${v.parcel_id}` } : null);
      if (!parcel) continue;
      rows.push({ parcel, commune: v.commune ?? v.parcel?.commune ?? null, id: v.id, date: v.date, from_use: v.from_use, to_crop: v.to_crop, area_m2: v.area_m2, note: v.note ?? '' });
    }
    if (page * 500 >= r.total || !r.items.length) break;
  }
  return rows;
}

const dayBefore = (iso: string): string => new Date(Date.parse(`${iso}T00:00:00Z`) - 86400000).toISOString().slice(0, 10);

/**
 * Without a list route the records are found on the parcels: those growing a
 * new crop at the end of the period and not at its start (where a conversion
 * leads), in the communes asked for; then each one's conversions.
 */
async function fromParcels(p: Period, want: Want, s: ConversionSummary, progress: (text: string) => void): Promise<Row[]> {
  const communes = new Set(s.by_commune.filter((c) => c.unit && (!want.commune_id || String(c.unit.id) === want.commune_id)).map((c) => (c.unit as UnitRef).id));
  const crops = Object.keys(s.by_crop_ha).filter((c) => !want.to_crop || c === want.to_crop);
  const end = p.to && p.to < todayIso() ? p.to : '';
  const start = p.from ? dayBefore(p.from) : '';
  const growing = async (crop: string, asOf: string): Promise<Map<number, ParcelItem>> => {
    const out = new Map<number, ParcelItem>();
    for (let page = 1; page < 1000; page++) {
      const r = await api.get<Page<ParcelItem>>('/api/v1/parcels', { crop, as_of: asOf, page, page_size: 500, commune_id: communes.size === 1 ? [...communes][0] : '' });
      for (const it of r.items) if (it.commune && communes.has(it.commune.id)) out.set(it.id, it);
      if (page * 500 >= r.total || !r.items.length) break;
    }
    return out;
  };
  const candidates = new Map<number, ParcelItem>();
  let listed = 0;
  await pool(crops, 3, async (crop) => {
    const [atEnd, atStart] = await Promise.all([growing(crop, end), start ? growing(crop, start) : Promise.resolve(new Map<number, ParcelItem>())]);
    for (const [id, it] of atEnd) if (!atStart.has(id)) candidates.set(id, it);
    listed++;
    progress(t('conversion.tracing_crops', { n: fmtNumber(listed), total: fmtNumber(crops.length) }));
  });
  const rows: Row[] = [];
  const list = [...candidates.values()];
  let done = 0;
  await pool(list, 8, async (it) => {
    try {
      const d = await api.get<ParcelDetail>(`/api/v1/parcels/${it.id}`, { as_of: end });
      for (const v of d.conversions) {
        if (p.from && v.date < p.from) continue;
        if (p.to && v.date > p.to) continue;
        if (want.from_use && v.from_use !== want.from_use) continue;
        if (want.to_crop && v.to_crop !== want.to_crop) continue;
        rows.push({ parcel: it, commune: d.commune, ...v });
      }
    } catch {
      // A parcel that cannot be read is left out; the totals show the gap.
    }
    done++;
    if (done % 50 === 0) progress(t('conversion.tracing_n', { n: fmtNumber(done), total: fmtNumber(list.length) }));
  });
  return rows;
}

export async function renderConversionRecords(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('conversion.records_title')} · nongsan`;
  const q = route.query;
  const p: Period = { from: q.get('from') ?? '', to: q.get('to') ?? '' };
  const want: Want = { from_use: q.get('from_use') ?? '', to_crop: q.get('to_crop') ?? '', commune_id: q.get('commune_id') ?? '' };
  setQuery({ ...p, ...want });
  const back = link(`/registry/conversions?${periodQuery(p)}`, { class: 'back' }, `‹ ${t('conversions.title')}`);
  const status = h('div', { class: 'muted small', 'aria-live': 'polite', 'data-testid': 'trace-status' });
  const result = h('div', { class: 'results' });
  const what = [want.from_use ? fromUseLabel(want.from_use) : '', want.to_crop ? `→ ${cropLabel(want.to_crop)}` : ''].filter(Boolean).join(' ');
  const method = h('p', { class: 'small muted' });
  replace(root, back, h('h1', null, t('conversion.records_title')), h('p', { class: 'intro', 'data-testid': 'trace-what' }, `${what || t('conversion.all_uses')} · ${periodText(p)}`), status, result, method);

  let s: ConversionSummary;
  try {
    s = await api.get<ConversionSummary>('/api/v1/conversions/summary', { from: p.from, to: p.to });
  } catch (err) {
    replace(result, errorBox(err));
    return;
  }
  const commune = want.commune_id ? s.by_commune.find((c) => String(c.unit?.id) === want.commune_id) : undefined;
  if (commune?.unit) root.querySelector('[data-testid=trace-what]')?.append(` · ${commune.unit.name}`);
  // The summary gives one number per former use, crop and commune; the records behind the one asked for.
  const expected = want.from_use ? s.by_from_use_ha[want.from_use] ?? 0 : want.to_crop ? s.by_crop_ha[want.to_crop] ?? 0 : commune ? commune.hectares : s.total_ha;
  const single = [want.from_use, want.to_crop, want.commune_id].filter(Boolean).length <= 1;

  replace(status, loading());
  let rows: Row[];
  try {
    if (await serverHasRoute('/api/v1/conversions')) {
      rows = await fromListRoute(p, want);
    } else {
      replace(method, t('conversion.trace_method'));
      rows = await fromParcels(p, want, s, (text) => replace(status, text));
    }
  } catch (err) {
    replace(status);
    replace(result, errorBox(err));
    return;
  }
  rows.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.parcel.external_id.localeCompare(b.parcel.external_id)));
  const found = rows.reduce((sum, r) => sum + r.area_m2, 0) / 10000;
  const matches = Math.abs(found - expected) < 0.01 + expected * 0.001;
  replace(
    status,
    h(
      'div',
      { class: `alert ${!single || matches ? 'alert-ok' : 'alert-warn'}`, 'data-testid': 'trace-total', 'data-found-ha': found.toFixed(2), 'data-expected-ha': single ? expected.toFixed(2) : '' },
      single ? t('conversion.trace_total', { n: fmtNumber(rows.length), found: fmtNumber(found, 2), expected: fmtNumber(expected, 2) }) : t('conversion.trace_found', { n: fmtNumber(rows.length), found: fmtNumber(found, 2) }),
      single && !matches ? h('div', { class: 'small' }, t('conversion.trace_gap')) : '',
    ),
  );
  if (!rows.length) {
    replace(result, h('p', { class: 'empty' }, t('conversion.none_found')));
    return;
  }
  const shown = rows.slice(0, 1000);
  replace(
    result,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table table-stack', 'data-testid': 'conversion-records' },
        h('thead', null, h('tr', null, h('th', null, t('parcel.external_id')), h('th', null, t('parcel.commune')), h('th', null, t('conversion.date')), h('th', null, t('conversion.from_use')), h('th', null, t('conversion.to_crop')), h('th', { class: 'num' }, t('conversion.area')), h('th', { class: 'hide-sm' }, t('conversion.note')))),
        h(
          'tbody',
          null,
          ...shown.map((r) =>
            h(
              'tr',
              null,
              h('td', { class: 'cell-title' }, link(`/registry/parcels/${r.parcel.id}`, null, r.parcel.external_id), ' ', illustrativeBadge(r.parcel.illustrative) ?? ''),
              h('td', { 'data-label': t('parcel.commune') }, r.commune?.name ?? t('common.none')),
              h('td', { 'data-label': t('conversion.date') }, fmtDate(r.date)),
              h('td', { 'data-label': t('conversion.from_use') }, fromUseLabel(r.from_use)),
              h('td', { 'data-label': t('conversion.to_crop') }, cropChip(r.to_crop)),
              h('td', { class: 'num', 'data-label': t('conversion.area') }, ha(r.area_m2 / 10000, 3)),
              h('td', { class: 'hide-sm small' }, r.note),
            ),
          ),
        ),
        h('tfoot', null, h('tr', null, h('th', { colspan: '5' }, t('conversion.sum')), h('th', { class: 'num' }, ha(found, 2)), h('th', { class: 'hide-sm' }, ''))),
      ),
    ),
    rows.length > shown.length ? h('p', { class: 'muted small' }, t('conversion.first_n', { n: fmtNumber(shown.length), total: fmtNumber(rows.length) })) : '',
  );
}
