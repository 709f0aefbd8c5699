// Report downloads (the review as PDF, DOCX, XLSX, HTML or JSON, in the state
// or the party layout, for the parameters on screen) and the register of issued
// reports with its check "has the data changed since?".
import type { UnitRef } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, type Route } from '../../lib/router';
import { errorBox, loading, actorLabel } from '../../lib/ui';
import { fmtDate, fmtNumber, fmtTimestamp, t, type MessageKey } from '../../i18n';
import {
  REPORT_FORMATS,
  reviewDocumentUrl,
  targetsApi,
  type ReportIssue,
  type ReportProfile,
  type ReviewParams,
} from '../../lib/targets';
import { illustrativeBadge, paramsBar, programmeName, programmeTabs, readParams } from './common';

const enc = encodeURIComponent;

/** The five download links for the current parameters, with the layout choice. */
export function downloadButtons(code: string, p: ReviewParams): HTMLElement {
  let profile: ReportProfile = 'state';
  const links = REPORT_FORMATS.map((f) =>
    h('a', { class: f === 'pdf' ? 'btn btn-primary' : 'btn', 'data-format': f, download: '', rel: 'nofollow' }, f.toUpperCase()),
  );
  const update = (): void => {
    for (const a of links) a.setAttribute('href', reviewDocumentUrl(code, p, a.dataset.format as (typeof REPORT_FORMATS)[number], profile));
  };
  const seg = h('div', { class: 'seg', role: 'group', 'aria-label': t('targets.profile') }, h('span', { class: 'seg-label' }, t('targets.profile')));
  for (const pr of ['state', 'party'] as ReportProfile[]) {
    const b = h('button', { type: 'button', class: 'seg-btn', 'aria-pressed': String(pr === profile), 'data-profile': pr }, t(`targets.profile.${pr}` as MessageKey));
    b.addEventListener('click', () => {
      profile = pr;
      for (const x of seg.querySelectorAll('button')) x.setAttribute('aria-pressed', String(x.dataset.profile === pr));
      update();
    });
    seg.append(b);
  }
  update();
  return h(
    'div',
    { class: 'downloads', 'data-testid': 'downloads' },
    seg,
    h('div', { class: 'btn-row' }, ...links),
    h('p', { class: 'muted small' }, t('targets.downloads_note')),
  );
}

function paramsText(i: ReportIssue): string {
  const p = i.parameters ?? {};
  const parts = [
    p.milestone ? `${t('targets.milestone')} ${p.milestone}` : '',
    p.as_of ? fmtDate(p.as_of) : '',
    p.unit ? `${t('targets.unit')} ${p.unit}` : '',
    p.profile ? t(`targets.profile.${p.profile}` as MessageKey) : '',
  ];
  return parts.filter(Boolean).join(' · ');
}

function registerTable(items: ReportIssue[]): HTMLElement {
  if (!items.length) return h('p', { class: 'empty' }, t('targets.register_empty'));
  const rows = items.map((i) => {
    const result = h('div', { class: 'verify-result', 'aria-live': 'polite' });
    const verify = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'verify' }, t('targets.verify'));
    verify.addEventListener('click', async () => {
      verify.disabled = true;
      replace(result, loading());
      try {
        const v = await targetsApi.verify(i.id);
        replace(
          result,
          v.data_changed
            ? h('span', { class: 'badge badge-warn', 'data-changed': 'true', title: `${v.data_hash_now}` }, t('targets.data_changed'))
            : h('span', { class: 'badge badge-ok', 'data-changed': 'false' }, t('targets.data_unchanged')),
          h('span', { class: 'muted small' }, ` ${fmtTimestamp(v.checked_at)}`),
        );
      } catch (err) {
        replace(result, errorBox(err));
      } finally {
        verify.disabled = false;
      }
    });
    return h(
      'tr',
      { 'data-issue': String(i.id) },
      h('td', { class: 'cell-title' }, `#${i.id} · ${i.format.toUpperCase()}`, i.file_name ? h('div', { class: 'muted small' }, i.file_name) : ''),
      h('td', { 'data-label': t('targets.parameters') }, paramsText(i)),
      h('td', { 'data-label': t('targets.data_hash') }, h('code', { title: i.data_hash }, i.data_hash.slice(0, 12)), h('div', { class: 'muted small' }, `${fmtNumber(i.size_bytes)} B`)),
      h('td', { 'data-label': t('targets.issued') }, actorLabel(i.issued_by), h('div', { class: 'muted small' }, fmtTimestamp(i.issued_at))),
      h('td', { class: 'actions' }, verify, result),
    );
  });
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table table-stack', 'data-testid': 'register' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', null, t('targets.report')),
          h('th', null, t('targets.parameters')),
          h('th', null, t('targets.data_hash')),
          h('th', null, t('targets.issued')),
          h('th', null, t('common.actions')),
        ),
      ),
      h('tbody', null, ...rows),
    ),
  );
}

/** /targets/:programme/reports */
export async function renderReports(root: HTMLElement, route: Route): Promise<void> {
  const code = route.params.programme;
  const p = readParams(route.query);
  const programmes = await targetsApi.programmes();
  const prog = programmes.find((x) => x.code === code);
  if (!prog) {
    replace(root, h('h1', null, t('error.not_found')), h('p', null, link('/targets', null, `‹ ${t('nav.targets')}`)));
    return;
  }
  document.title = `${t('targets.tab.reports')} · ${prog.code} · nongsan`;
  const unit: UnitRef | null = p.unit ? { id: 0, code: p.unit, name: p.unit_name || p.unit, level: 'district' } : null;
  const register = h('div', null, loading());
  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', null, programmeName(prog)), prog.illustrative ? illustrativeBadge() : ''),
    programmeTabs(code, 'reports', p),
    paramsBar(programmes, prog, p, unit, (c) => `/targets/${enc(c)}/reports`),
    h('section', { class: 'card' }, h('h2', null, t('targets.downloads')), downloadButtons(code, { milestone: p.milestone, as_of: p.as_of, unit: p.unit || null })),
    h('section', null, h('h2', null, t('targets.register')), h('p', { class: 'muted small' }, t('targets.register_intro')), register),
  );
  try {
    const items = await targetsApi.issues(code);
    replace(register, registerTable(items));
  } catch (err) {
    replace(register, errorBox(err));
  }
}
