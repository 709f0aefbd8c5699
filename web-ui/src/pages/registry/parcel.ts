// One parcel: its attributes (editable) with the land-use code's name, who holds
// it on a chosen date, the zones it lies in, its suitability per crop (the last
// evaluation run), the timeline of land rights, plantings, conversions, the
// boundary and its older versions on a small map, and the lineage of splits and merges.
import { api } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, navigate, type Route } from '../../lib/router';
import { can } from '../../lib/session';
import { badge, dateInput, errorBox, field, notice } from '../../lib/ui';
import { icon } from '../../lib/icons';
import { fmtDate, fmtNumber, fmtTimestamp, lang, t, todayIso } from '../../i18n';
import { classChip, classLabel, layerLabel } from '../../lib/suitability';
import { shapeMap, type ShapeLayer } from '../../lib/shapes';
import {
  cropChip,
  cropColor,
  fromUseLabel,
  ha,
  haFromM2,
  illustrativeBadge,
  landUseName,
  producerKindLabel,
  rightKindLabel,
  stateBadge,
  type LandRight,
  type ParcelDetail,
  type ParcelSuitability,
  type ParcelZone,
} from '../../lib/registry';
import { openConversionForm, openEndForm, openMergeForm, openParcelEdit, openPlantingForm, openRightForm, openSplitForm, takeOverlapWarning } from './forms';

function facts(rows: [string, Node | string][]): HTMLElement {
  return h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

function table(head: (string | [string, string])[], rows: HTMLElement[], testid: string): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table table-stack', 'data-testid': testid },
      h('thead', null, h('tr', null, ...head.map((c) => (Array.isArray(c) ? h('th', { class: c[1] }, c[0]) : h('th', null, c))))),
      h('tbody', null, ...rows),
    ),
  );
}

/** The zones the parcel lies in, largest share first (the server's order). */
function zonesCard(zones: ParcelZone[] | undefined): HTMLElement {
  const list = zones ?? [];
  return h(
    'section',
    { class: 'card', 'data-testid': 'parcel-zones' },
    h('h2', null, t('parcel.zones')),
    list.length
      ? table(
          [t('zone.name'), t('zone.commodity'), [t('parcel.zone_inside'), 'num'], [t('parcel.zone_share'), 'num']],
          list.map((z) =>
            h(
              'tr',
              { 'data-zone-id': String(z.id) },
              h('td', { class: 'cell-title' }, link(`/registry/zones/${z.id}`, null, z.name), h('span', { class: 'muted small mono' }, ` ${z.code}`), ' ', illustrativeBadge(z.illustrative) ?? ''),
              h('td', { 'data-label': t('zone.commodity') }, cropChip(z.commodity)),
              h('td', { class: 'num', 'data-label': t('parcel.zone_inside') }, haFromM2(z.inside_m2, 3)),
              h('td', { class: 'num', 'data-label': t('parcel.zone_share'), 'data-share': String(z.share_pct) }, `${fmtNumber(z.share_pct, 1)} %`),
            ),
          ),
          'zones-table',
        )
      : h('p', { class: 'muted', 'data-testid': 'no-zones' }, t('parcel.no_zones')),
  );
}

/** The parcel's suitability per crop from the last evaluation runs (GET /parcels/{id}/suitability). */
function suitabilityCard(id: number): HTMLElement {
  const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted small' }, t('common.loading')));
  const card = h('section', { class: 'card', 'data-testid': 'parcel-suitability' }, h('h2', null, t('parcel.suitability')), body);
  api
    .get<{ parcel_id: number; items: ParcelSuitability[] }>(`/api/v1/parcels/${id}/suitability`)
    .then((r) => {
      body.removeAttribute('aria-busy');
      if (!r.items.length) {
        replace(body, h('p', { class: 'muted', 'data-testid': 'suitability-none' }, t('parcel.suitability_none')));
        return;
      }
      const cls = ['S1', 'S2', 'S3', 'N', 'nodata'] as const;
      replace(
        body,
        table(
          [t('suit.crop'), t('parcel.suit_dominant'), t('suit.limiting'), ...cls.map((c): [string, string] => [c === 'nodata' ? t('parcel.suit_nodata_short') : c, 'num hide-sm']), t('parcel.suit_run')],
          r.items.map((s) =>
            h(
              'tr',
              { 'data-crop': s.crop, 'data-class': s.dominant_class ?? 'none' },
              h('td', { class: 'cell-title' }, (lang() === 'en' ? s.name_en : s.name_vi) || s.name_vi || s.crop),
              h('td', { 'data-label': t('parcel.suit_dominant') }, s.dominant_class ? h('span', { title: classLabel(s.dominant_class) }, classChip(s.dominant_class), ` ${classLabel(s.dominant_class)}`) : t('common.none')),
              h('td', { 'data-label': t('suit.limiting') }, s.limiting_factor ? h('span', { title: s.limiting_factor }, layerLabel(s.limiting_factor)) : t('common.none')),
              ...cls.map((c) => h('td', { class: 'num hide-sm', 'data-label': c === 'nodata' ? t('suit.class_nodata') : c, 'data-ha': c }, fmtNumber(s.hectares?.[c] ?? 0, 2))),
              // On a phone the hectares by class make one line.
              h('td', { class: 'show-sm', 'data-label': t('parcel.suit_ha') }, cls.filter((c) => Number((s.hectares?.[c] ?? 0).toFixed(2)) > 0).map((c) => `${c === 'nodata' ? t('parcel.suit_nodata_short') : c} ${fmtNumber(s.hectares[c], 2)}`).join(' · ') || '0'),
              h('td', { class: 'small', 'data-label': t('parcel.suit_run') }, t('parcel.suit_run_text', { version: s.profile_version, at: fmtTimestamp(s.run_at) })),
            ),
          ),
          'suitability-table',
        ),
        h('p', { class: 'small muted' }, t('parcel.suit_ha_note')),
      );
    })
    .catch((err) => {
      body.removeAttribute('aria-busy');
      replace(body, errorBox(err));
    });
  return card;
}

const days = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86400000;

/** Rights as bars on a shared time axis, with a marker on the date shown. */
function rightsTimeline(rights: LandRight[], asOf: string, parcelFrom: string): HTMLElement {
  const today = todayIso();
  const starts = [parcelFrom, ...rights.map((r) => r.valid_from)].filter(Boolean);
  const ends = [today, asOf, ...rights.map((r) => r.valid_to ?? today)];
  let lo = days(starts.sort()[0]);
  let hi = days(ends.sort()[ends.length - 1]);
  if (hi - lo < 365) hi = lo + 365;
  const span = hi - lo;
  const pct = (iso: string): number => Math.max(0, Math.min(100, ((days(iso) - lo) / span) * 100));
  const firstYear = new Date(lo * 86400000).getUTCFullYear() + 1;
  const lastYear = new Date(hi * 86400000).getUTCFullYear();
  const step = Math.max(1, Math.ceil((lastYear - firstYear + 1) / 5));
  const ticks: HTMLElement[] = [];
  for (let y = firstYear; y <= lastYear; y += step) ticks.push(h('span', { class: 'tick', style: { left: `${pct(`${y}-01-01`)}%` } }, String(y)));
  const sorted = [...rights].sort((a, b) => (a.valid_from < b.valid_from ? -1 : 1));
  return h(
    'div',
    { class: 'timeline', 'data-testid': 'rights-timeline', role: 'img', 'aria-label': t('right.timeline') },
    ...sorted.map((r) => {
      const end = r.valid_to ?? today;
      const left = pct(r.valid_from);
      const width = Math.max(0.8, pct(end) - left);
      return h(
        'div',
        { class: 'tl-row' },
        h('div', { class: 'tl-label' }, r.producer?.name ?? '—', h('span', { class: 'muted small' }, ` · ${rightKindLabel(r.kind)}`)),
        h(
          'div',
          { class: 'tl-track' },
          h('div', {
            class: `tl-bar tl-${r.kind}${r.valid_to ? '' : ' tl-open'}`,
            style: { left: `${left}%`, width: `${width}%` },
            title: `${rightKindLabel(r.kind)}: ${fmtDate(r.valid_from)} – ${r.valid_to ? fmtDate(r.valid_to) : t('right.open')}`,
          }),
        ),
      );
    }),
    h('div', { class: 'tl-row tl-axis' }, h('div', { class: 'tl-label' }), h('div', { class: 'tl-track' }, ...ticks, h('span', { class: 'tl-now', style: { left: `${pct(asOf)}%` }, title: fmtDate(asOf) }))),
  );
}

export async function renderParcelDetail(root: HTMLElement, route: Route): Promise<void> {
  const id = route.params.id;
  const asOf = route.query.get('as_of') ?? '';
  const back = link('/registry/parcels', { class: 'back' }, `‹ ${t('parcels.title')}`);
  let p: ParcelDetail;
  try {
    p = await api.get<ParcelDetail>(`/api/v1/parcels/${encodeURIComponent(id)}`, { as_of: asOf });
    // Without a date in the link, show a retired parcel as it was on its last day.
    // and a parcel that begins later (a merge dated ahead) as on its first day.
    if (!asOf && p.valid_to && p.valid_to < todayIso()) p = await api.get<ParcelDetail>(`/api/v1/parcels/${encodeURIComponent(id)}`, { as_of: p.valid_to });
    else if (!asOf && p.valid_from > todayIso()) p = await api.get<ParcelDetail>(`/api/v1/parcels/${encodeURIComponent(id)}`, { as_of: p.valid_from });
  } catch (err) {
    replace(root, back, h('div', { 'data-testid': 'parcel-error' }, errorBox(err)), h('p', null, link('/registry', null, `‹ ${t('registry.map_title')}`)));
    return;
  }
  document.title = `${t('parcel.title', { id: p.external_id })} · nongsan`;
  const when = p.as_of ?? (asOf || todayIso());
  const writable = can('registry.write') && !p.valid_to;
  const flash = h('div', { class: 'flash', 'aria-live': 'polite' });
  const reload = (message?: string): void => {
    if (message) sessionStorage.setItem('nongsan.flash', message);
    navigate(`/registry/parcels/${p.id}${asOf ? `?as_of=${asOf}` : ''}`, { replace: true });
  };
  const saved = sessionStorage.getItem('nongsan.flash');
  if (saved) {
    sessionStorage.removeItem('nongsan.flash');
    flash.append(notice(saved, 'ok'));
  }
  const overlapped = takeOverlapWarning();
  if (overlapped) flash.append(h('div', { 'data-testid': 'overlap-warning' }, notice(overlapped, 'warn')));

  const date = dateInput('as_of', when, (v) => navigate(`/registry/parcels/${p.id}${v && v !== todayIso() ? `?as_of=${v}` : ''}`, { replace: true }));
  const editBtn = writable ? h('button', { type: 'button', class: 'btn', 'data-testid': 'edit-parcel' }, t('common.edit')) : null;
  editBtn?.addEventListener('click', () => openParcelEdit(p, () => reload(t('common.saved'))));
  const splitBtn = writable && p.geometry ? h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'split-parcel' }, t('parcel.split')) : null;
  splitBtn?.addEventListener('click', () => openSplitForm(p, () => reload(t('parcel.split_done'))));
  const mergeBtn = writable && p.geometry ? h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'merge-parcel' }, t('parcel.merge')) : null;
  mergeBtn?.addEventListener('click', () =>
    openMergeForm(p, (id, carried) => {
      sessionStorage.setItem('nongsan.flash', carried ? t('parcel.merged') : t('parcel.merged_no_rights'));
      navigate(`/registry/parcels/${id}`);
    }),
  );

  // ---- attributes and holder ----
  const attributes = h(
    'section',
    { class: 'card', 'data-testid': 'parcel-attributes' },
    h('div', { class: 'card-head' }, h('h2', null, t('parcel.attributes')), editBtn ?? ''),
    facts([
      [t('parcel.external_id'), h('span', { class: 'mono' }, p.external_id)],
      [t('parcel.sheet_no'), p.sheet_no || t('common.none')],
      [t('parcel.parcel_no'), p.parcel_no || t('common.none')],
      [t('parcel.commune'), p.commune ? link(`/units/${p.commune.id}`, null, p.commune.name) : t('common.none')],
      [
        t('parcel.land_use_code'),
        p.land_use_code
          ? h('span', { 'data-testid': 'land-use' }, h('span', { class: 'mono' }, p.land_use_code), ' — ', landUseName(p) ?? h('span', { class: 'muted' }, t('land_use.unknown')))
          : t('common.none'),
      ],
      [t('parcel.state'), stateBadge(p.state)],
      [t('parcel.area'), h('span', null, ha(p.area_ha), h('span', { class: 'muted small' }, ` (${fmtNumber(p.area_m2, 0)} m²)`))],
      [t('parcel.official_area_m2'), p.official_area_m2 !== null ? `${fmtNumber(p.official_area_m2, 1)} m²` : t('common.none')],
      [t('parcel.valid_from'), fmtDate(p.valid_from)],
      [t('parcel.valid_to'), p.valid_to ? fmtDate(p.valid_to) : t('unit.still_valid')],
      [t('parcel.source'), p.source || t('common.none')],
    ]),
  );
  const holder = h(
    'section',
    { class: 'card holder-card', 'data-testid': 'parcel-holder' },
    h('h2', null, t('parcel.holder_on', { date: fmtDate(when) })),
    p.holder
      ? h(
          'div',
          { class: 'holder-box' },
          h('div', { class: 'holder-name' }, link(`/registry/producers/${p.holder.producer_id}`, null, p.holder.name)),
          h('div', { class: 'muted small' }, `${producerKindLabel(p.holder.kind)} · ${rightKindLabel(p.holder.right)} ${t('parcel.since')} ${fmtDate(p.holder.since)}`),
        )
      : h('p', { class: 'muted' }, t('parcel.no_holder')),
    h('p', { class: 'small muted' }, t('parcel.holder_rule')),
    field(t('parcel.as_of'), date.el, { name: 'as_of' }),
  );

  // ---- boundary ----
  const current = p.geometry ?? null;
  const older = p.geometry_history.filter((g) => g.valid_to && g.geometry);
  const layers: ShapeLayer[] = [
    ...older.map((g) => ({ geometry: g.geometry, stroke: '#8a5a00', dash: '4 3', strokeWidth: 1.5, title: `${fmtDate(g.valid_from)} – ${fmtDate(g.valid_to)}` })),
    { geometry: current, fill: cropColor(p.crops[0]), opacity: 0.55, stroke: '#1f4d2b', strokeWidth: 2, title: p.external_id },
  ];
  const boundary = h(
    'section',
    { class: 'card', 'data-testid': 'parcel-boundary' },
    h('h2', null, t('parcel.boundary')),
    current ? shapeMap(layers, { label: t('parcel.boundary'), width: 360, height: 220 }) : h('p', { class: 'muted' }, t('parcel.no_geometry')),
    h('div', { class: 'shape-legend small' }, h('span', null, h('span', { class: 'swatch', style: { background: cropColor(p.crops[0]) } }), ` ${t('parcel.boundary_current')}`), older.length ? h('span', null, h('span', { class: 'swatch swatch-dashed' }), ` ${t('parcel.boundary_older')}`) : ''),
    p.geometry_history.length > 1 || older.length
      ? table(
          [t('parcel.boundary_from'), t('parcel.boundary_to'), [t('parcel.area'), 'num']],
          p.geometry_history.map((g) =>
            h('tr', null, h('td', { class: 'cell-title' }, fmtDate(g.valid_from)), h('td', { 'data-label': t('parcel.boundary_to') }, g.valid_to ? fmtDate(g.valid_to) : t('unit.still_valid')), h('td', { class: 'num', 'data-label': t('parcel.area') }, haFromM2(g.area_m2))),
          ),
          'boundary-history',
        )
      : h('p', { class: 'muted small' }, t('parcel.boundary_unchanged')),
    h('p', { class: 'btn-row' }, link(`/registry?parcel=${p.id}`, { class: 'btn btn-small' }, icon('map', 16), t('parcel.view_on_map')), splitBtn ?? '', mergeBtn ?? ''),
  );

  // ---- rights ----
  const addRight = writable ? h('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-testid': 'add-right' }, `+ ${t('right.add')}`) : null;
  addRight?.addEventListener('click', () => openRightForm(p.id, () => reload(t('common.saved'))));
  const rightRows = [...p.rights]
    .sort((a, b) => (a.valid_from < b.valid_from ? 1 : -1))
    .map((r) => {
      const active = r.valid_from <= when && (!r.valid_to || when <= r.valid_to);
      const end = writable && !r.valid_to ? h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'end-right' }, t('registry.end')) : null;
      end?.addEventListener('click', () => openEndForm(t('right.end'), `/api/v1/rights/${r.id}/end`, 'valid_to', () => reload(t('common.saved'))));
      return h(
        'tr',
        { class: active ? 'row-active' : '', 'data-right-id': String(r.id) },
        h('td', { class: 'cell-title' }, r.producer ? link(`/registry/producers/${r.producer.id}`, null, r.producer.name) : t('common.none'), r.producer ? h('span', { class: 'muted small' }, ` · ${producerKindLabel(r.producer.kind)}`) : ''),
        h('td', { 'data-label': t('right.kind') }, rightKindLabel(r.kind)),
        h('td', { class: 'nowrap', 'data-label': t('right.period') }, `${fmtDate(r.valid_from)} – ${r.valid_to ? fmtDate(r.valid_to) : t('right.open')}`),
        h('td', { 'data-label': t('right.document') }, r.document || t('common.none')),
        h('td', { class: 'actions' }, active ? badge(t('right.in_force'), 'ok') : '', end ?? ''),
      );
    });
  const rights = h(
    'section',
    { class: 'card', 'data-testid': 'parcel-rights' },
    h('div', { class: 'card-head' }, h('h2', null, t('right.title')), addRight ?? ''),
    p.rights.length ? rightsTimeline(p.rights, when, p.valid_from) : '',
    p.rights.length ? table([t('right.producer'), t('right.kind'), t('right.period'), t('right.document'), ''], rightRows, 'rights-table') : h('p', { class: 'muted' }, t('right.none')),
  );

  // ---- plantings ----
  const addPlanting = writable ? h('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-testid': 'add-planting' }, `+ ${t('planting.add')}`) : null;
  addPlanting?.addEventListener('click', () => openPlantingForm(p, () => reload(t('planting.added'))));
  const plantingRows = [...p.plantings]
    .sort((a, b) => (a.start_date < b.start_date ? 1 : -1))
    .map((pl) => {
      const end = writable && !pl.end_date ? h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'end-planting' }, t('registry.end')) : null;
      end?.addEventListener('click', () => openEndForm(t('planting.end'), `/api/v1/plantings/${pl.id}/end`, 'end_date', () => reload(t('common.saved'))));
      return h(
        'tr',
        { class: pl.active ? 'row-active' : '', 'data-planting-id': String(pl.id), 'data-crop': pl.crop },
        h('td', { class: 'cell-title' }, cropChip(pl.crop), pl.variety ? h('span', { class: 'muted small' }, ` · ${pl.variety}`) : ''),
        h('td', { 'data-label': t('planting.kind') }, pl.perennial ? t('planting.perennial') : pl.season || t('planting.annual')),
        h('td', { class: 'num', 'data-label': t('planting.planted_year') }, pl.planted_year ? String(pl.planted_year) : t('common.none')),
        h('td', { class: 'nowrap', 'data-label': t('right.period') }, `${fmtDate(pl.start_date)} – ${pl.end_date ? fmtDate(pl.end_date) : t('right.open')}`),
        h('td', { class: 'num', 'data-label': t('planting.area') }, haFromM2(pl.planted_area_m2, 3)),
        h('td', { class: 'actions' }, pl.active ? badge(t('planting.active'), 'ok') : '', end ?? ''),
      );
    });
  const plantings = h(
    'section',
    { class: 'card', 'data-testid': 'parcel-plantings' },
    h('div', { class: 'card-head' }, h('h2', null, t('planting.title')), addPlanting ?? ''),
    p.plantings.length
      ? table([t('planting.crop'), t('planting.kind'), [t('planting.planted_year'), 'num'], t('right.period'), [t('planting.area'), 'num'], ''], plantingRows, 'plantings-table')
      : h('p', { class: 'muted' }, t('planting.none')),
  );

  // ---- conversions ----
  const addConversion = writable ? h('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-testid': 'add-conversion' }, `+ ${t('conversion.add')}`) : null;
  addConversion?.addEventListener('click', () => openConversionForm(p, () => reload(t('common.saved'))));
  const conversions = h(
    'section',
    { class: 'card', 'data-testid': 'parcel-conversions' },
    h('div', { class: 'card-head' }, h('h2', null, t('conversion.title')), addConversion ?? ''),
    p.conversions.length
      ? table(
          [t('conversion.date'), t('conversion.from_use'), t('conversion.to_crop'), [t('conversion.area'), 'num'], t('conversion.note')],
          p.conversions.map((c) =>
            h(
              'tr',
              null,
              h('td', { class: 'cell-title' }, fmtDate(c.date)),
              h('td', { 'data-label': t('conversion.from_use') }, fromUseLabel(c.from_use)),
              h('td', { 'data-label': t('conversion.to_crop') }, cropChip(c.to_crop)),
              h('td', { class: 'num', 'data-label': t('conversion.area') }, haFromM2(c.area_m2, 3)),
              h('td', { 'data-label': t('conversion.note') }, c.note || t('common.none')),
            ),
          ),
          'conversions-table',
        )
      : h('p', { class: 'muted' }, t('conversion.none')),
  );

  // ---- lineage ----
  const from = p.lineage.filter((l) => l.relation === 'from');
  const into = p.lineage.filter((l) => l.relation === 'into');
  const lineageList = (rows: typeof p.lineage): HTMLElement =>
    h(
      'ul',
      { class: 'lineage' },
      ...rows.map((l) =>
        h('li', null, l.parcel ? link(`/registry/parcels/${l.parcel.id}`, null, l.parcel.external_id) : t('common.none'), h('span', { class: 'muted small' }, ` · ${l.event === 'split' ? t('lineage.split') : l.event === 'merge' ? t('lineage.merge') : l.event} · ${fmtDate(l.date)}`)),
      ),
    );
  const lineage = h(
    'section',
    { class: 'card', 'data-testid': 'parcel-lineage' },
    h('h2', null, t('lineage.title')),
    !p.lineage.length ? h('p', { class: 'muted' }, t('lineage.none')) : '',
    from.length ? h('div', null, h('h3', null, t('lineage.from')), lineageList(from)) : '',
    into.length ? h('div', null, h('h3', null, t('lineage.into')), lineageList(into)) : '',
  );

  replace(
    root,
    back,
    h(
      'div',
      { class: 'page-head' },
      h('h1', { 'data-testid': 'parcel-title' }, t('parcel.title', { id: p.external_id })),
      h('div', { class: 'badges' }, stateBadge(p.state), illustrativeBadge(p.illustrative) ?? '', p.valid_to ? badge(t('parcel.retired_on', { date: fmtDate(p.valid_to) }), 'muted') : ''),
    ),
    p.illustrative ? h('p', { class: 'alert alert-warn' }, t('registry.illustrative_note')) : '',
    p.valid_on_as_of === false ? h('p', { class: 'alert alert-info' }, t('parcel.not_valid_on', { date: fmtDate(when) })) : '',
    p.valid_to ? h('p', { class: 'alert alert-info' }, t('parcel.retired_note', { date: fmtDate(p.valid_to) })) : '',
    flash,
    h('div', { class: 'detail-grid' }, attributes, h('div', null, holder, zonesCard(p.zones), boundary)),
    suitabilityCard(p.id),
    rights,
    plantings,
    conversions,
    lineage,
  );
}
