// The dossier's sections on the product page (docs/ocop.md "The dossier"): each filled
// from its module with links to the records, or a gap with the server's reason; the lab
// results with pass or fail as computed by the server, and the form to record one.
import { h } from '../../lib/dom';
import { link } from '../../lib/router';
import { cropLabel } from '../../lib/registry';
import { badge, clearFieldErrors, dateInput, field, select, showFormError } from '../../lib/ui';
import { fmtDate, fmtNumber, t, type MessageKey } from '../../i18n';
import { illustrativeBadge } from './common';
import { certKindLabel, certStatusLabel, LAB_CATEGORIES, labCategoryLabel, ocopApi, type Dossier, type LabResult, type Section } from './ocop_api';

function part<T>(key: string, title: MessageKey, s: Section<T>, body: (items: T[]) => Node | Node[] | null, extra: Node | null = null): HTMLElement {
  return h(
    'section',
    { class: 'ocop-section', 'data-section': key, 'data-filled': String(s.filled) },
    h('h3', null, t(title)),
    extra,
    s.filled ? body(s.items) : h('p', { class: 'muted ocop-gap' }, s.gap_vi ?? ''),
  );
}

export function labTable(items: LabResult[]): HTMLElement {
  return h(
    'ul',
    { class: 'ocop-labs', 'data-testid': 'lab-results' },
    ...items.map((r) =>
      h(
        'li',
        { 'data-lab': String(r.id), 'data-passed': String(r.passed) },
        badge(r.passed ? t('ocop.lab.passed') : t('ocop.lab.failed'), r.passed ? 'ok' : 'danger'),
        ' ',
        `${fmtDate(r.date)} · ${r.parameter} (${labCategoryLabel(r.category)}): ${fmtNumber(r.value, 4)} ${r.unit} / ${t('ocop.lab.limit')} ${fmtNumber(r.limit, 4)} ${r.unit}`,
        r.standard ? ` — ${r.standard}` : '',
        ` · ${t('ocop.lab.sample')} ${r.sample}, ${r.laboratory}`,
        r.lot ? [' · ', link(`/diary/lots/${encodeURIComponent(r.lot)}`, null, t('ocop.dossier.lot', { lot: r.lot }))] : '',
        r.illustrative ? [' ', illustrativeBadge()] : '',
      ),
    ),
  );
}

export function dossierSections(d: Dossier): HTMLElement[] {
  const s = d.sections;
  return [
    part('area_codes', 'ocop.dossier.area_codes', s.area_codes, (items) =>
      h('ul', null, ...items.map((c) => h('li', null, link(`/codes/${c.id}`, null, c.code ?? t('ocop.dossier.code_pending')), ` — ${c.crop_name_vi} · ${t(`codes.status.${c.status}` as MessageKey)}${c.parcels.length ? ` · ${c.parcels.join(', ')}` : ''}`))),
    ),
    part(
      'diary',
      'ocop.dossier.diary',
      s.diary,
      (items) => [
        h('p', null, items.map((k) => `${t(`diary.kind.${k.kind}` as MessageKey)}: ${k.entries}`).join(' · ')),
        s.diary.warnings.length
          ? h('ul', { class: 'ocop-warnings', 'data-testid': 'diary-warnings' }, ...s.diary.warnings.map((w) => h('li', { 'data-kind': w.kind }, badge(t(`diary.finding.${w.kind}` as MessageKey), 'warn'), ` ${fmtDate(w.date)} · ${w.parcel} · ${w.product}`, w.lot ? [' · ', link(`/diary/lots/${encodeURIComponent(w.lot)}`, null, w.lot)] : '')))
          : h('p', { class: 'muted' }, t('ocop.dossier.no_warnings')),
        link('/diary/findings', null, t('ocop.dossier.diary_findings')),
      ],
      h('p', { class: 'muted' }, t('ocop.dossier.period', { from: fmtDate(s.diary.from), to: fmtDate(s.diary.to) })),
    ),
    part('lots', 'ocop.dossier.lots', s.lots, (items) =>
      h(
        'ul',
        { 'data-testid': 'lots' },
        ...items.map((l) =>
          h(
            'li',
            { 'data-lot': l.lot, 'data-held': String(l.held) },
            link(`/diary/lots/${encodeURIComponent(l.lot)}`, null, l.lot),
            ` — ${fmtDate(l.harvested_from)}${l.harvested_to !== l.harvested_from ? `–${fmtDate(l.harvested_to)}` : ''} · ${fmtNumber(l.quantity_kg, 0)} kg · ${t('ocop.dossier.epcis', { n: l.epcis_events })}`,
            l.held ? [' ', badge(t('ocop.dossier.held'), 'warn')] : '',
            l.path ? [' · ', h('a', { href: l.path, target: '_blank', rel: 'noopener' }, t('ocop.dossier.trace_page'))] : '',
            l.trace_gap_vi && !l.held ? h('span', { class: 'muted' }, ` · ${l.trace_gap_vi}`) : '',
          ),
        ),
      ),
    ),
    part('volumes', 'ocop.dossier.volumes', s.volumes, (items) =>
      h('p', null, ...items.map((v) => t('ocop.dossier.volume_line', { year: v.year, kg: fmtNumber(v.harvested_kg, 0), n: v.harvests }))),
    ),
    part('certificates', 'ocop.dossier.certificates', s.certificates, (items) =>
      h('ul', null, ...items.map((c) => h('li', { 'data-cert': c.code }, link('/ocop/certificates', null, c.code), ` — ${certKindLabel(c.kind)} · ${c.issuer} · ${fmtDate(c.valid_from)}–${fmtDate(c.valid_to)} · ${certStatusLabel(c.status)}`, c.illustrative ? [' ', illustrativeBadge()] : ''))),
    ),
    part('linkage', 'ocop.dossier.linkage', s.linkage, (items) =>
      h('ul', null, ...items.map((k) => h('li', { 'data-contract': k.code }, link(`/chains/contracts/${k.id}`, null, k.code), ` — ${cropLabel(k.commodity)} · ${t(k.role === 'lead' ? 'ocop.dossier.role_lead' : 'ocop.dossier.role_participant')} · ${t('ocop.dossier.delivered', { year: s.linkage.year, delivered: fmtNumber(k.year_delivered_kg, 0), committed: fmtNumber(k.year_committed_kg, 0) })}`))),
    ),
    part('lab_results', 'ocop.dossier.lab_results', s.lab_results, (items) => labTable(items)),
  ];
}

export function labForm(product: string, on: string, done: () => void): HTMLElement {
  const input = (name: string, type = 'text', required = true): HTMLInputElement => h('input', { type, name, required, ...(type === 'number' ? { step: 'any', min: '0' } : {}) });
  const sample = input('sample');
  const lot = input('lot', 'text', false);
  const laboratory = input('laboratory');
  const when = dateInput('date', on);
  const parameter = input('parameter');
  const category = select('category', LAB_CATEGORIES.map((c) => ({ value: c, label: labCategoryLabel(c) })), 'heavy_metal');
  const value = input('value', 'number');
  const unit = input('unit');
  const limit = input('limit', 'number');
  const standard = input('standard', 'text', false);
  const slot = h('div');
  const form = h(
    'form',
    { class: 'card form-grid', 'data-testid': 'lab-form' },
    h('h3', null, t('ocop.lab.add')),
    field(t('ocop.lab.sample'), sample, { name: 'sample' }),
    field(t('ocop.lab.lot'), lot, { name: 'lot' }),
    field(t('ocop.lab.laboratory'), laboratory, { name: 'laboratory' }),
    field(t('ocop.col.date'), when.el, { name: 'date' }),
    field(t('ocop.lab.parameter'), parameter, { name: 'parameter' }),
    field(t('ocop.lab.category'), category, { name: 'category' }),
    field(t('ocop.lab.value'), value, { name: 'value' }),
    field(t('ocop.lab.unit'), unit, { name: 'unit' }),
    field(t('ocop.lab.limit'), limit, { name: 'limit' }),
    field(t('ocop.lab.standard'), standard, { name: 'standard' }),
    slot,
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('ocop.lab.add')),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    void ocopApi
      .addLabResult({
        sample: sample.value,
        product,
        lot: lot.value || undefined,
        laboratory: laboratory.value,
        date: when.value() ?? '',
        parameter: parameter.value,
        category: category.value,
        value: Number(value.value),
        unit: unit.value,
        limit: Number(limit.value),
        standard: standard.value || undefined,
      })
      .then(done)
      .catch((err) => showFormError(form, slot, err));
  });
  return form;
}
