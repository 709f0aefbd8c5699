// Entering a support application: the policy, the applicant (the producer picker),
// the filing date, and the items. For a policy of area, the parcels are picked on
// the registry's parcel map (/api/v1/map/parcels: the view's parcels, and all of
// the applicant's): a click adds a parcel as an item with its computed area
// prefilled, a second click takes it out. Counted items (hives, head, m³ of cages,
// projects) are typed, without a map. The server checks everything again (scope of
// the applicant and of each parcel, the version in force) and its messages go under
// the fields they name. Loaded on demand with MapLibre.
import { addGeoJSON, boundsOf, createMap, fit, isPhone, legendRow, onFeatureClick, setData, type BaseMap, type MapLibreMap } from '../../lib/map';
import { api, type Page } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, navigate, type Route } from '../../lib/router';
import { session } from '../../lib/session';
import { clearFieldErrors, dateInput, errorBox, field, select, setLocalError, showFormError } from '../../lib/ui';
import { producerPicker, type FeatureCollection, type ParcelDetail, type ParcelItem, type ParcelProps, type ProducerRef, cropLabel } from '../../lib/registry';
import { fmtDate, fmtNumber, numberForInput, parseNumber, t, todayIso } from '../../i18n';
import { canEnterApplications, cropInSentence, itemUnitLabel, perUnitLabel, loadPolicies, policyName, supportApi, versionInForce, type Policy, type PolicyVersion } from '../../lib/support';
import { supportTabs } from './common';

/** Below this zoom the view may hold too many parcels: only the applicant's are drawn. */
const MIN_PARCEL_ZOOM = 13;
const PARCEL_LIMIT = 3000;
const PICKED = '#1b5e20';
const OWN = '#66bb6a';
const OTHER = '#a9b8a4';

interface Picked {
  id: number;
  external_id: string;
  area_ha: number | null;
  holder: string | null;
  quantity: string;
}

/** Hectares from m², cut (not rounded) to 4 decimals: a prefilled claim never exceeds the parcel. */
export function claimFromM2(m2: number | null | undefined): number | null {
  if (m2 === null || m2 === undefined) return null;
  return Math.floor((m2 / 10000) * 10000 + 1e-9) / 10000;
}

export async function renderEntry(root: HTMLElement, route: Route): Promise<() => void> {
  document.title = `${t('support.new_application')} · nongsan`;
  if (!canEnterApplications()) {
    replace(root, h('h1', null, t('error.forbidden')), h('p', null, link('/support', null, `‹ ${t('support.title')}`)));
    return () => {};
  }
  const policies: Policy[] = await loadPolicies();
  const state = {
    policy: route.query.get('policy') ?? '',
    applicant: null as ProducerRef | null,
    picked: [] as Picked[],
    counted: [''] as string[],
  };

  // ---- the form ----
  const policySel = select('policy', [{ value: '', label: t('support.choose_policy') }, ...policies.map((p) => ({ value: p.code, label: `${p.code} · ${policyName(p.current)}` }))], state.policy);
  for (const o of policySel.options) {
    const p = policies.find((x) => x.code === o.value);
    if (p && !p.current.name_en) o.lang = 'vi';
  }
  const code = h('input', { type: 'text', name: 'code', autocomplete: 'off', placeholder: t('support.code_placeholder') });
  const filed = dateInput('filed', todayIso(), () => showPolicy());
  const note = h('textarea', { name: 'note', rows: '2' });
  const applicant = producerPicker('applicant', null, {
    placeholder: t('support.applicant_placeholder'),
    onChange: (p) => {
      state.applicant = p;
      void loadApplicantParcels();
      renderItems();
    },
  });
  const policyInfo = h('div', { class: 'policy-info small', 'data-testid': 'policy-info', 'aria-live': 'polite' });
  const items = h('div', { class: 'entry-items', 'data-testid': 'entry-items' });
  const mapBox = h('div', { class: 'entry-map-box', hidden: true });
  const slot = h('div', { class: 'form-alert' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'save-application' }, t('support.save_application'));
  const cancel = link('/support', { class: 'btn' }, t('common.cancel'));
  // On a laptop the map stands beside the form, the items under the fields; on a phone it comes between them.
  const layout = h(
    'div',
    { class: 'entry-layout no-map' },
    h(
      'div',
      { class: 'entry-fields form-grid' },
      field(t('support.policy'), policySel, { name: 'policy', required: true }),
      field(t('support.code'), code, { name: 'code', required: true, hint: t('support.code_hint') }),
      field(t('support.applicant'), applicant.el, { name: 'applicant_id', required: true, hint: t('support.applicant_hint') }),
      field(t('support.filed'), filed.el, { name: 'filed', required: true }),
      h('div', { class: 'field-wide' }, policyInfo),
    ),
    mapBox,
    h(
      'div',
      { class: 'entry-rest' },
      h('section', { class: 'entry-items-section', 'aria-labelledby': 'entry-items-h' }, h('h2', { id: 'entry-items-h' }, t('support.items')), h('div', { class: 'field', 'data-field': 'items' }, items, h('div', { class: 'field-error', id: 'items-error' }))),
      field(t('support.note'), note, { name: 'note' }),
      slot,
      h('div', { class: 'form-actions' }, cancel, save),
    ),
  );
  const form = h('form', { class: 'form', novalidate: true, 'data-testid': 'entry-form' }, layout);

  replace(
    root,
    link('/support', { class: 'back' }, `‹ ${t('support.title')}`),
    h('h1', null, t('support.new_application')),
    supportTabs('applications'),
    h('p', { class: 'intro' }, t('support.entry_intro')),
    policies.length ? form : h('p', { class: 'empty', 'data-testid': 'no-policies' }, t('support.no_policies_to_apply'), ' ', link('/support/policies', null, t('support.tab.policies'))),
  );

  /** The version in force on the filing date, or the latest. */
  function version(): PolicyVersion | undefined {
    const p = policies.find((x) => x.code === state.policy);
    const d = filed.value() || todayIso();
    return versionInForce(p, d) ?? undefined;
  }
  function isArea(): boolean {
    return version()?.item === 'area' || (!version() && policies.find((x) => x.code === state.policy)?.current.item === 'area');
  }

  function showPolicy(): void {
    const p = policies.find((x) => x.code === state.policy);
    const v = version();
    if (!p) replace(policyInfo);
    else if (!v) replace(policyInfo, h('p', { class: 'alert alert-warn' }, t('support.no_version_on', { date: fmtDate(filed.value() || todayIso()), first: fmtDate(p.versions[0]?.version) })));
    else {
      const req: string[] = [];
      if (v.requires.controller) req.push(t('support.requires.controller'));
      if (v.requires.crop) req.push(t('support.requires.crop', { crop: cropInSentence(cropLabel(v.requires.crop)) }));
      if (v.requires.zone) req.push(t('support.requires.zone'));
      if (v.requires.suitability?.length) req.push(t('support.requires.suitability', { classes: v.requires.suitability.join(', ') }));
      replace(
        policyInfo,
        h(
          'p',
          { class: 'alert alert-info' },
          t('support.policy_summary', { version: fmtDate(v.version), rate: fmtNumber(v.rate, 0), unit: perUnitLabel(v.item) }),
          v.conditions ? [' ', t('support.policy_conditions'), ' ', h('code', null, v.conditions), '.'] : '',
          req.length ? h('span', null, ' ', t('support.policy_requires', { list: req.join('; ') })) : '',
        ),
      );
    }
    const area = isArea();
    mapBox.hidden = !area || !p;
    layout.classList.toggle('no-map', mapBox.hidden);
    if (area && p) ensureMap();
    renderItems();
  }
  policySel.addEventListener('change', () => {
    state.policy = policySel.value;
    showPolicy();
  });

  // ---- items ----
  function renderItems(): void {
    if (!state.policy) {
      replace(items, h('p', { class: 'muted' }, t('support.choose_policy_first')));
      return;
    }
    if (isArea()) {
      if (!state.picked.length) {
        replace(items, h('p', { class: 'muted', 'data-testid': 'no-items' }, t('support.pick_parcels_hint')));
        return;
      }
      const rows = state.picked.map((p, i) => {
        const input = h('input', { type: 'text', inputmode: 'decimal', id: `qty-${p.id}`, name: `items[${i}].quantity`, value: p.quantity, class: 'input-qty', 'aria-label': t('support.claimed_ha_of', { parcel: p.external_id }) });
        input.addEventListener('input', () => (p.quantity = input.value));
        const remove = h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'aria-label': t('support.remove_parcel', { parcel: p.external_id }), title: t('support.remove_parcel', { parcel: p.external_id }) }, '×');
        remove.addEventListener('click', () => togglePicked(p.id));
        const other = state.applicant && p.holder && p.holder !== state.applicant.name;
        // A card per parcel: the column beside the map is narrow.
        return h(
          'li',
          { class: 'picked-item', 'data-parcel-id': String(p.id) },
          h('div', { class: 'picked-head' }, link(`/registry/parcels/${p.id}`, { class: 'mono strong', target: '_blank' }, p.external_id), remove),
          h(
            'div',
            { class: 'small muted' },
            `${t('support.parcel_area')}: ${p.area_ha === null ? t('common.none') : `${fmtNumber(p.area_ha, 4)} ha`} · ${t('support.holder')}: `,
            h('span', null, p.holder ?? t('common.none')),
          ),
          other ? h('div', { class: 'small warn-text', 'data-testid': 'holder-warning' }, t('support.not_applicants_parcel')) : '',
          h(
            'div',
            { class: 'field', 'data-field': `items[${i}].quantity` },
            h('label', { for: `qty-${p.id}` }, t('support.claimed_ha')),
            input,
            h('div', { class: 'field-error' }),
          ),
          h('div', { class: 'field', 'data-field': `items[${i}].parcel_id` }, h('div', { class: 'field-error' })),
        );
      });
      const total = state.picked.reduce((s, p) => s + (parseNumber(p.quantity) ?? 0), 0);
      replace(
        items,
        h('ul', { class: 'picked-list', 'data-testid': 'picked-parcels' }, ...rows),
        h('p', { class: 'small muted' }, t('support.picked_total', { n: state.picked.length, total: fmtNumber(total, 4) })),
      );
      return;
    }
    const unit = itemUnitLabel(version()?.item ?? policies.find((x) => x.code === state.policy)?.current.item ?? 'hive');
    const rows = state.counted.map((q, i) => {
      const input = h('input', { type: 'text', inputmode: 'decimal', name: `items[${i}].quantity`, value: q, class: 'input-qty' });
      input.addEventListener('input', () => (state.counted[i] = input.value));
      const remove = h('button', { type: 'button', class: 'btn btn-small btn-ghost', title: t('support.remove_item'), 'aria-label': t('support.remove_item') }, '×');
      remove.addEventListener('click', () => {
        state.counted.splice(i, 1);
        if (!state.counted.length) state.counted.push('');
        renderItems();
      });
      return h('div', { class: 'counted-row' }, field(t('support.quantity_n', { n: i + 1, unit }), input, { name: `items[${i}].quantity` }), state.counted.length > 1 ? remove : '');
    });
    const add = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'add-item' }, `+ ${t('support.add_item')}`);
    add.addEventListener('click', () => {
      state.counted.push('');
      renderItems();
    });
    replace(items, h('p', { class: 'muted small' }, t('support.counted_hint', { unit })), ...rows, add);
  }

  async function togglePicked(id: number, props?: ParcelProps): Promise<void> {
    const at = state.picked.findIndex((p) => p.id === id);
    if (at >= 0) state.picked.splice(at, 1);
    else {
      const entry: Picked = { id, external_id: props?.external_id ?? `#${id}`, area_ha: props?.area_ha ?? null, holder: props?.holder ?? null, quantity: '' };
      state.picked.push(entry);
      renderItems();
      try {
        // The computed area (VN-2000) to the square metre, for the prefilled claim.
        const d = await api.get<ParcelDetail>(`/api/v1/parcels/${id}`);
        entry.external_id = d.external_id;
        entry.area_ha = claimFromM2(d.area_m2);
        entry.holder = d.holder?.name ?? null;
      } catch {
        // The map's rounded area is better than nothing.
      }
      if (entry.quantity === '' && entry.area_ha !== null) entry.quantity = numberForInput(entry.area_ha);
    }
    renderItems();
    paint();
  }

  // ---- the map ----
  let base: BaseMap | null = null;
  let map: MapLibreMap | null = null;
  let ready = false;
  let view: FeatureCollection<ParcelProps> = { type: 'FeatureCollection', features: [] };
  let own: FeatureCollection<ParcelProps> = { type: 'FeatureCollection', features: [] };
  let smallScope = false;
  let seq = 0;
  /** Loads on their way; the status says `data-ready` once none is and the map is drawn (tests wait for it). */
  let pending = 0;
  const busy = (): void => {
    pending++;
    status.dataset.ready = 'false';
  };
  const idle = (): void => {
    pending = Math.max(0, pending - 1);
    if (pending || !map) return;
    map.once('idle', () => (status.dataset.ready = String(pending === 0)));
    map.triggerRepaint();
  };
  const status = h('div', { class: 'map-status muted small', 'data-testid': 'entry-map-status', 'aria-live': 'polite' });
  const legend = h(
    'div',
    { class: 'map-legend' },
    legendRow(PICKED, t('support.legend_picked')),
    legendRow(OWN, t('support.legend_applicants')),
    legendRow(OTHER, t('support.legend_other')),
  );

  function paint(): void {
    const picked = new Set(state.picked.map((p) => p.id));
    const owned = new Set(own.features.map((f) => f.properties.id));
    const byId = new Map<number, (typeof view.features)[number]>();
    for (const f of [...view.features, ...own.features]) byId.set(f.properties.id, f);
    const features = [...byId.values()].map((f) => ({
      ...f,
      id: f.properties.id,
      properties: { ...f.properties, color: picked.has(f.properties.id) ? PICKED : owned.has(f.properties.id) ? OWN : OTHER, picked: picked.has(f.properties.id) },
    }));
    setData(map, 'entry-parcels', { type: 'FeatureCollection', features });
    // The applicant's and the picked parcels as dots too: at a commune's zoom a parcel is a few pixels.
    const points = features
      .filter((f) => f.properties.color !== OTHER && f.geometry)
      .map((f) => {
        const b = boundsOf([f.geometry]);
        return { type: 'Feature', id: f.id, properties: f.properties, geometry: { type: 'Point', coordinates: b ? [(b[0][0] + b[1][0]) / 2, (b[0][1] + b[1][1]) / 2] : [0, 0] } };
      });
    setData(map, 'entry-points', { type: 'FeatureCollection', features: points });
  }

  function ensureMap(): void {
    if (base) return;
    const canvas = h('div', { class: 'map-canvas entry-map', 'data-testid': 'entry-map' });
    replace(mapBox, h('p', { class: 'muted small' }, t('support.map_hint')), h('div', { class: 'map-wrap entry-map-wrap' }, canvas, legend, status));
    base = createMap(canvas, { zoom: 8, cooperative: true, handle: 'nongsanEntryMap' });
    map = base?.map ?? null;
    if (!map) return;
    const m = map;
    void base!.loaded.then(async () => {
      addGeoJSON(m, 'entry-parcels', undefined, 'id');
      m.addLayer({ id: 'entry-parcels-fill', type: 'fill', source: 'entry-parcels', paint: { 'fill-color': ['coalesce', ['get', 'color'], OTHER], 'fill-opacity': 0.9 } });
      m.addLayer({ id: 'entry-parcels-line', type: 'line', source: 'entry-parcels', paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.1, 17, 1.2] } });
      m.addLayer({ id: 'entry-parcels-picked', type: 'line', source: 'entry-parcels', filter: ['==', ['get', 'picked'], true], paint: { 'line-color': '#0b2e13', 'line-width': 2.5 } });
      addGeoJSON(m, 'entry-points', undefined, 'id');
      m.addLayer({ id: 'entry-points', type: 'circle', source: 'entry-points', maxzoom: 15, paint: { 'circle-color': ['get', 'color'], 'circle-radius': 6, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5, 'circle-opacity': ['interpolate', ['linear'], ['zoom'], 13, 1, 14.8, 0], 'circle-stroke-opacity': ['interpolate', ['linear'], ['zoom'], 13, 1, 14.8, 0] } });
      ready = true;
      await startMap();
    });
    m.on('moveend', () => void loadView());
    onFeatureClick(m, ['entry-points', 'entry-parcels-fill'], (_layer, f) => {
      const id = Number(f.properties.id);
      const props = [...view.features, ...own.features].find((x) => x.properties.id === id)?.properties;
      void togglePicked(id, props);
    });
  }

  async function startMap(): Promise<void> {
    if (!map) return;
    status.textContent = t('common.loading');
    busy();
    try {
      // A small scope (a commune, a cooperative) is drawn whole; otherwise the view's parcels once zoomed in.
      const probe = await api.get<Page<ParcelItem>>('/api/v1/parcels', { page_size: 1 });
      if (probe.total > 0 && probe.total <= PARCEL_LIMIT) {
        const all = await api.get<FeatureCollection<ParcelProps>>('/api/v1/map/parcels', { limit: PARCEL_LIMIT });
        ++seq; // a view's load still on its way must not replace the whole scope
        view = all;
        view.features = view.features.filter((f) => f.geometry);
        smallScope = true;
        fit(map, boundsOf(view.features.map((f) => f.geometry)), 24, 16);
      } else {
        const unit = session()?.user.unit;
        if (unit) {
          const units = await api.get<FeatureCollection<{ id: number }>>('/api/v1/map/units', { level: 'commune' }).catch(() => null);
          const mine = units?.features.find((f) => f.properties.id === unit.id && f.geometry);
          if (mine) fit(map, boundsOf([mine.geometry]), 24);
        }
      }
      paint();
    } catch (err) {
      replace(status, errorBox(err));
      return;
    }
    await loadApplicantParcels();
    await loadView();
    idle();
  }

  async function loadView(): Promise<void> {
    if (!map || !ready || smallScope) {
      updateStatus();
      return;
    }
    const mine = ++seq;
    if (map.getZoom() < MIN_PARCEL_ZOOM) {
      view = { type: 'FeatureCollection', features: [] };
      paint();
      updateStatus();
      return;
    }
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(',');
    busy();
    try {
      const fc = await api.get<FeatureCollection<ParcelProps>>('/api/v1/map/parcels', { bbox, limit: PARCEL_LIMIT });
      if (mine !== seq || smallScope) return;
      view = { type: 'FeatureCollection', features: fc.features.filter((f) => f.geometry) };
      paint();
      updateStatus();
    } catch (err) {
      if (mine === seq) replace(status, errorBox(err));
    } finally {
      idle();
    }
  }

  async function loadApplicantParcels(): Promise<void> {
    if (!map || !ready) return;
    if (!state.applicant) {
      own = { type: 'FeatureCollection', features: [] };
      paint();
      updateStatus();
      return;
    }
    busy();
    try {
      const fc = await api.get<FeatureCollection<ParcelProps>>('/api/v1/map/parcels', { holder_id: state.applicant.id, as_of: filed.value() || todayIso(), limit: 500 });
      own = { type: 'FeatureCollection', features: fc.features.filter((f) => f.geometry) };
      paint();
      const b = boundsOf(own.features.map((f) => f.geometry));
      if (b) fit(map, b, isPhone() ? 30 : 60, 17);
      updateStatus();
    } catch (err) {
      replace(status, errorBox(err));
    } finally {
      idle();
    }
  }

  function updateStatus(): void {
    if (!map) return;
    const parts: string[] = [];
    if (state.applicant) parts.push(t('support.applicants_parcels', { n: fmtNumber(own.features.length) }));
    if (smallScope) parts.push(t('support.scope_parcels', { n: fmtNumber(view.features.length) }));
    else if (map.getZoom() >= MIN_PARCEL_ZOOM) parts.push(t('support.view_parcels', { n: fmtNumber(view.features.length) }));
    else parts.push(t('support.zoom_in_for_parcels'));
    status.textContent = parts.join(' · ');
    status.dataset.count = String(view.features.length + own.features.length);
  }

  // ---- saving ----
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    replace(slot);
    const body: Record<string, unknown> = { code: code.value.trim(), policy: state.policy, note: note.value.trim() };
    let bad = false;
    if (!state.policy) {
      setLocalError(form, 'policy', t('common.required'));
      bad = true;
    }
    if (!body.code) {
      setLocalError(form, 'code', t('common.required'));
      bad = true;
    }
    if (!state.applicant) {
      setLocalError(form, 'applicant_id', t('support.choose_applicant'));
      bad = true;
    } else body.applicant_id = state.applicant.id;
    const fv = filed.value();
    if (!fv) {
      setLocalError(form, 'filed', fv === null ? t('common.invalid_date') : t('common.required'));
      bad = true;
    } else body.filed = fv;
    const list: { parcel_id?: number; quantity: number }[] = [];
    if (state.policy) {
      const entries = isArea() ? state.picked.map((p) => ({ parcel_id: p.id, text: p.quantity })) : state.counted.map((q) => ({ parcel_id: undefined, text: q }));
      entries.forEach((e, i) => {
        const n = parseNumber(e.text);
        if (n === null || n <= 0) {
          setLocalError(form, `items[${i}].quantity`, t('support.quantity_positive'));
          bad = true;
        } else list.push(e.parcel_id ? { parcel_id: e.parcel_id, quantity: n } : { quantity: n });
      });
      if (!entries.length) {
        setLocalError(form, 'items', isArea() ? t('support.pick_at_least_one') : t('support.count_at_least_one'));
        bad = true;
      }
    }
    body.items = list;
    if (bad) {
      (form.querySelector('.field.invalid input, .field.invalid select, .field.invalid textarea') as HTMLElement | null)?.focus();
      return;
    }
    save.disabled = true;
    try {
      const created = await supportApi.createApplication(body);
      sessionStorage.setItem('nongsan.support.flash', t('support.application_saved', { code: created.code }));
      navigate(`/support/applications/${created.id}`);
    } catch (err) {
      save.disabled = false;
      showFormError(form, slot, err);
    }
  });

  showPolicy();
  return () => base?.destroy();
}
