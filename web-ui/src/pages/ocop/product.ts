// One OCOP product: its certificate's standing on a date, the evaluations with their
// parts and stars (a provincial 90+ shows its proposal to the centre), the events, the
// quality watch (findings, and the decision that downgrades or revokes), and the dossier
// pre-filled from what nongsan holds, with its gaps (docs/ocop.md).
import { h, replace } from '../../lib/dom';
import { link, setQuery, type Route } from '../../lib/router';
import { dataTable, type Column } from '../../lib/list';
import { clearFieldErrors, dateInput, errorBox, field, loading, select, showFormError } from '../../lib/ui';
import { fmtDate, fmtNumber, t, todayIso } from '../../i18n';
import { canEnterOcop, canManageOcop, findingLabel, levelLabel, ocopApi, type Dossier, type Evaluation, type OcopProduct } from './ocop_api';
import { dossierSections, labForm } from './dossier';
import { illustrativeBadge, ocopTabs, originText, starsNode, stateNode, statusBadge } from './common';

export async function renderOcopProduct(root: HTMLElement, route: Route): Promise<void> {
  const code = route.params.code;
  let on = route.query.get('on') || todayIso();
  document.title = `${code} · OCOP · nongsan`;
  const body = h('div', { 'aria-live': 'polite', 'data-testid': 'ocop-product' });
  const date = dateInput('on', on, (v) => {
    if (!v) return;
    on = v;
    setQuery({ on });
    void load();
  });
  replace(root, link('/ocop', { class: 'back' }, `← ${t('ocop.title')}`), ocopTabs('products'), body);

  async function load(): Promise<void> {
    replace(body, loading());
    try {
      const d = await ocopApi.dossier(code, on);
      replace(body, render(d));
    } catch (err) {
      replace(body, errorBox(err));
    }
  }

  function render(d: Dossier): Node {
    const p = d.product;
    const s = p.standing;
    const head = h(
      'div',
      null,
      h('h1', null, p.name, ' ', p.illustrative ? illustrativeBadge() : null),
      h('p', { class: 'muted' }, `${p.product} · ${t('ocop.group', { n: p.group })}: ${p.group_name} · ${p.subject_name} (${p.subject})${p.commune ? ` · ${p.commune}` : ''}`),
      h('form', { class: 'filters', onsubmit: (ev: Event) => ev.preventDefault() }, h('label', null, t('ocop.on_date'), ' ', date.el)),
      h(
        'div',
        { class: 'card', 'data-testid': 'standing', 'data-status': s.status, 'data-stars': String(s.stars) },
        h('div', null, starsNode(s.stars), ' ', statusBadge(s.status)),
        s.proposed_to_centre ? h('p', { class: 'ocop-proposal' }, t('ocop.proposed_to_centre')) : null,
        s.decision_date ? h('p', null, t('ocop.standing_dates', { from: fmtDate(s.decision_date), to: fmtDate(s.expires), level: levelLabel(s.level) })) : h('p', null, t('ocop.no_certificate')),
      ),
    );
    const evCols: Column<Evaluation>[] = [
      { label: t('ocop.col.date'), title: true, cell: (e) => fmtDate(e.date) },
      { label: t('ocop.col.level'), cell: (e) => levelLabel(e.level) },
      { label: t('ocop.col.parts'), class: 'ocop-parts', cell: (e) => `${fmtNumber(e.part_a)} + ${fmtNumber(e.part_b)} + ${fmtNumber(e.part_c)} = ${fmtNumber(e.total)}` },
      { label: t('ocop.col.stars'), cell: (e) => [starsNode(e.stars), e.proposed_to_centre ? h('div', { class: 'ocop-proposal' }, t('ocop.proposed_to_centre')) : null] },
      { label: t('ocop.col.expires'), cell: (e) => fmtDate(e.expires) || t('common.none') },
      { label: t('ocop.col.decision'), cell: (e) => e.decision || t('common.none') },
    ];
    const events = p.events.length
      ? h('ul', { 'data-testid': 'events' }, ...p.events.map((e) => h('li', { 'data-kind': e.kind }, `${fmtDate(e.date)}: ${e.kind === 'revoked' ? t('ocop.event.revoked') : t('ocop.event.downgraded', { n: e.stars ?? 0 })}${e.reason ? ` — ${e.reason}` : ''}`)))
      : h('p', { class: 'muted' }, t('ocop.no_events'));
    const findings = p.findings.length
      ? h('ul', { 'data-testid': 'findings' }, ...p.findings.map((f) => h('li', { 'data-finding': String(f.id), 'data-state': f.state }, `${fmtDate(f.found_on)} · ${findingLabel(f.kind)}: ${f.detail}`, h('div', { class: 'small' }, h('span', { class: 'muted', 'data-origin': f.origin_kind }, originText(f)), ' ', stateNode(f)))))
      : h('p', { class: 'muted' }, t('ocop.no_findings'));
    const dossier = h(
      'section',
      { 'data-testid': 'dossier' },
      h('h2', null, t('ocop.dossier')),
      h('p', null, t('ocop.dossier_producer', { name: d.producer.name, id: d.producer.id })),
      h('p', null, t('ocop.dossier_parcels', { n: d.parcels.length, ha: fmtNumber(d.parcel_area_m2 / 10000) })),
      // A cooperative or an enterprise may hold hundreds of parcels: the list is folded.
      d.parcels.length
        ? h(
            'details',
            { class: 'ocop-parcels', 'data-testid': 'dossier-parcels', ...(d.parcels.length <= 10 ? { open: true } : {}) },
            h('summary', null, t('ocop.dossier.parcel_list', { n: d.parcels.length })),
            h('ul', null, ...d.parcels.map((x) => h('li', null, link(`/registry/parcels/${x.id}`, null, x.parcel), `: ${fmtNumber(x.area_m2 / 10000)} ha${x.crops ? ` — ${x.crops}` : ''}`))),
          )
        : null,
      h('p', null, t('ocop.dossier_support', { n: d.support.applications, paid: fmtNumber(d.support.paid, 0) })),
      ...dossierSections(d),
      canEnterOcop() ? labForm(p.product, on, () => void load()) : null,
      h('h3', null, t('ocop.gaps')),
      h('ul', { class: 'ocop-gaps', 'data-testid': 'gaps' }, ...d.gaps.map((g) => h('li', { 'data-gap': g.key }, g.text_vi))),
    );
    return h(
      'div',
      null,
      head,
      h('h2', null, t('ocop.evaluations')),
      dataTable(evCols, p.evaluations, { testId: 'evaluations' }),
      h('h2', null, t('ocop.events')),
      events,
      h('h2', null, t('ocop.quality_watch')),
      findings,
      canEnterOcop() ? findingForm(p) : null,
      canManageOcop() && s.status !== 'none' ? decisionForm(p) : null,
      dossier,
    );
  }

  function findingForm(p: OcopProduct): HTMLElement {
    const kind = select('kind', ['complaint', 'lab_failed', 'certificate_lapsed'].map((k) => ({ value: k, label: findingLabel(k) })), 'complaint');
    const when = dateInput('date', on);
    const detail = h('input', { type: 'text', name: 'detail', required: true });
    const slot = h('div');
    const form = h(
      'form',
      { class: 'card form-grid', 'data-testid': 'finding-form' },
      h('h3', null, t('ocop.add_finding')),
      field(t('ocop.finding_kind'), kind, { name: 'kind' }),
      field(t('ocop.col.date'), when.el, { name: 'date' }),
      field(t('ocop.finding_detail'), detail, { name: 'detail' }),
      slot,
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('ocop.add_finding')),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      void ocopApi
        .addFinding(p.product, { kind: kind.value, date: when.value() ?? '', detail: detail.value })
        .then(() => load())
        .catch((err) => showFormError(form, slot, err));
    });
    return form;
  }

  function decisionForm(p: OcopProduct): HTMLElement {
    const kind = select('kind', [{ value: 'downgraded', label: t('ocop.decide.downgrade') }, { value: 'revoked', label: t('ocop.decide.revoke') }], 'downgraded');
    const stars = select('stars', [1, 2, 3, 4].map((n) => ({ value: String(n), label: `${n} ★` })), String(Math.max(1, p.standing.stars - 1)));
    const when = dateInput('date', on);
    const reason = h('input', { type: 'text', name: 'reason', required: true });
    const open = p.findings.filter((f) => !f.closed_by_event);
    const finding = select('finding', [{ value: '', label: t('common.none') }, ...open.map((f) => ({ value: String(f.id), label: `${fmtDate(f.found_on)} · ${findingLabel(f.kind)}` }))], '');
    const slot = h('div');
    const form = h(
      'form',
      { class: 'card form-grid', id: 'decide', 'data-testid': 'decision-form' },
      h('h3', null, t('ocop.decide.title')),
      field(t('ocop.decide.kind'), kind, { name: 'kind' }),
      field(t('ocop.decide.stars'), stars, { name: 'stars' }),
      field(t('ocop.col.date'), when.el, { name: 'date' }),
      field(t('ocop.decide.reason'), reason, { name: 'reason' }),
      field(t('ocop.decide.finding'), finding, { name: 'finding' }),
      slot,
      h('button', { type: 'submit', class: 'btn btn-danger' }, t('ocop.decide.submit')),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      const body: { kind: string; date: string; stars?: number; reason: string; finding?: number } = { kind: kind.value, date: when.value() ?? '', reason: reason.value };
      if (kind.value === 'downgraded') body.stars = Number(stars.value);
      if (finding.value) body.finding = Number(finding.value);
      void ocopApi
        .decide(p.product, body)
        .then(() => load())
        .catch((err) => showFormError(form, slot, err));
    });
    return form;
  }

  await load();
}
