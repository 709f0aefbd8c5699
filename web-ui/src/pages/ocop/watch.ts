// OCOP — the quality watch after certification (docs/ocop.md "Quality watch"): every
// finding of the products in scope (failed lab tests, lapsed certificates, complaints)
// with where it came from and its state — open, or decided with the revocation or
// downgrade that closed it (decided on the product page). Officers who may enter run the
// watch on a date (POST /api/v1/ocop/watch); it raises each finding once.
import { h, replace } from '../../lib/dom';
import { link, setQuery, type Route } from '../../lib/router';
import { dataTable, filterForm, filterSelect, type Column } from '../../lib/list';
import { dateInput, errorBox, loading, notice } from '../../lib/ui';
import { fmtDate, t, todayIso, type MessageKey } from '../../i18n';
import { canEnterOcop, canManageOcop, findingLabel, ocopApi, type Finding } from './ocop_api';
import { illustrativeBadge, ocopTabs, originText, stateNode } from './common';

type Listed = Finding & { product: string; product_name: string; illustrative: boolean };

export async function renderOcopWatch(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('ocop.tab.watch')} · ${t('ocop.title')} · nongsan`;
  let state = route.query.get('state') ?? 'open';
  const body = h('div', { 'aria-live': 'polite', 'data-testid': 'ocop-findings' });
  const result = h('div', { 'aria-live': 'polite', 'data-testid': 'watch-result' });
  const stateSel = filterSelect('state', (['open', 'decided'] as const).map((s) => ({ value: s, label: t(`ocop.watch.state.${s}` as MessageKey) })), state, (v) => {
    state = v;
    setQuery({ state });
    void load();
  });
  let runOn = todayIso();
  const runDate = dateInput('on', runOn, (v) => {
    if (v) runOn = v;
  });
  const run = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'run-watch' }, t('ocop.watch.run'));
  run.addEventListener('click', () => {
    run.setAttribute('disabled', '');
    replace(result, loading());
    request()
      .then((r) => {
        replace(result, notice(r.raised.length ? t('ocop.watch.raised', { n: r.raised.length, date: fmtDate(r.on) }) : t('ocop.watch.raised_none', { date: fmtDate(r.on) }), r.raised.length ? 'warn' : 'ok'));
        return load();
      })
      .catch((err) => replace(result, errorBox(err)))
      .finally(() => run.removeAttribute('disabled'));
  });
  const request = () => ocopApi.watch(runOn);
  replace(
    root,
    h('h1', null, t('ocop.title')),
    ocopTabs('watch'),
    h('p', { class: 'muted' }, t('ocop.watch.intro')),
    canEnterOcop()
      ? h('section', { class: 'card watch-run', 'data-testid': 'watch-run' }, h('h2', null, t('ocop.watch.run_heading')), h('p', { class: 'small muted' }, t('ocop.watch.run_hint')), filterForm([t('ocop.watch.on'), runDate.el, 'on']), run, result)
      : '',
    filterForm([t('ocop.watch.state'), stateSel, 'state']),
    body,
  );

  async function load(): Promise<void> {
    replace(body, loading());
    try {
      const r = await ocopApi.findings(state);
      replace(body, render(r.items));
    } catch (err) {
      replace(body, errorBox(err));
    }
  }

  function render(items: Listed[]): Node {
    if (!items.length) return h('p', { class: 'empty', 'data-testid': 'findings-empty' }, t('ocop.watch.none'));
    const columns: Column<Listed>[] = [
      {
        label: t('ocop.col.product'),
        title: true,
        cell: (f) => [link(`/ocop/products/${encodeURIComponent(f.product)}`, { 'data-product': f.product }, `${f.product_name} (${f.product})`), f.illustrative ? illustrativeBadge() : null],
      },
      { label: t('ocop.watch.found_on'), cell: (f) => fmtDate(f.found_on) },
      { label: t('ocop.finding_kind'), cell: (f) => findingLabel(f.kind) },
      { label: t('ocop.watch.origin'), cell: (f) => h('span', { 'data-origin': f.origin_kind, title: f.origin }, originText(f)) },
      { label: t('ocop.watch.state'), cell: (f) => stateNode(f) },
      { label: t('ocop.finding_detail'), class: 'hide-sm', cell: (f) => f.detail },
      {
        label: '',
        cell: (f) => (f.state === 'open' && canManageOcop() ? link(`/ocop/products/${encodeURIComponent(f.product)}#decide`, { class: 'btn btn-small', 'data-testid': 'decide-link' }, t('ocop.watch.decide')) : ''),
      },
    ];
    return dataTable(columns, items, { testId: 'findings-table', row: (f) => ({ 'data-product': f.product, 'data-kind': f.kind, 'data-state': f.state }) });
  }

  await load();
}
