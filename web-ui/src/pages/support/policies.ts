// Chính sách hỗ trợ: the policies with their versions (a later version of a code is
// an amendment; the version in force for an application is the latest one dated on
// or before its filing date), a policy's page with every version side by side, and
// — for those who manage support — the editor for a new policy or an amendment,
// with live validation and the preview over last year's applications.
import { h, replace } from '../../lib/dom';
import { link, type Route } from '../../lib/router';
import { dataTable, type Column } from '../../lib/list';
import { actorNode, badge, errorBox, notice } from '../../lib/ui';
import { cropLabel } from '../../lib/registry';
import { fmtDate, fmtNumber, t, todayIso } from '../../i18n';
import { canManageSupport, cropInSentence, fmtMoney, itemLabel, loadPolicies, perUnitLabel, policyNameNode, type Policy, type PolicyVersion } from '../../lib/support';
import { supportTabs } from './common';
import { policyForm } from './policy_form';

function illustrative(v: PolicyVersion): HTMLElement | string {
  return v.illustrative ? badge(t('support.illustrative'), 'warn', t('support.illustrative_note')) : '';
}

function rateText(v: PolicyVersion): string {
  return t('support.rate_per', { rate: fmtMoney(v.rate), unit: perUnitLabel(v.item) });
}

function versionsText(n: number): string {
  return n === 1 ? t('support.versions_one') : t('support.versions_count', { n: fmtNumber(n) });
}

function requiresText(v: PolicyVersion): (Node | string)[] {
  const out: (Node | string)[] = [];
  const r = v.requires ?? {};
  if (r.controller) out.push(t('support.requires.controller'));
  if (r.crop) out.push(t('support.requires.crop', { crop: cropInSentence(cropLabel(r.crop)) }));
  if (r.zone) out.push(t('support.requires.zone'));
  if (r.suitability?.length) out.push(t('support.requires.suitability', { classes: r.suitability.join(', ') }));
  if (r.profile) out.push(t('support.requires.profile', { profile: r.profile }));
  if (v.one_time) out.push(t('support.one_time_short'));
  if (v.cap_per_beneficiary_year) out.push(t('support.cap_short', { cap: fmtMoney(v.cap_per_beneficiary_year) }));
  if (v.exclusive_with.length) out.push(t('support.exclusive_short', { codes: v.exclusive_with.join(', ') }));
  return out.length ? [out.join('; ')] : [h('span', { class: 'muted' }, t('common.none'))];
}

function flash(): HTMLElement {
  const box = h('div', { class: 'flash', 'aria-live': 'polite', 'data-testid': 'flash' });
  const message = sessionStorage.getItem('nongsan.support.flash');
  if (message) {
    sessionStorage.removeItem('nongsan.support.flash');
    box.append(notice(message, 'ok'));
  }
  return box;
}

/** /support/policies */
export async function renderPolicies(root: HTMLElement): Promise<void> {
  document.title = `${t('support.tab.policies')} · nongsan`;
  const policies = await loadPolicies(true);
  const today = todayIso();
  const cols: Column<Policy>[] = [
    { label: t('support.policy_code'), title: true, class: 'nowrap', cell: (p) => link(`/support/policies/${encodeURIComponent(p.code)}`, { class: 'mono', 'data-testid': 'open-policy' }, p.code) },
    { label: t('support.policy_name'), cell: (p) => h('span', null, policyNameNode(p.current), ' ', illustrative(p.current)) },
    { label: t('support.item'), cell: (p) => itemLabel(p.current.item) },
    { label: t('support.rate'), class: 'num', cell: (p) => rateText(p.current) },
    { label: t('support.requires_short'), cell: (p) => h('span', { class: 'small' }, ...requiresText(p.current)) },
    {
      label: t('support.versions'),
      cell: (p) =>
        h(
          'span',
          { class: 'small' },
          versionsText(p.versions.length),
          ' · ',
          p.current.version > today ? t('support.version_from', { date: fmtDate(p.current.version) }) : t('support.version_since', { date: fmtDate(p.current.version) }),
        ),
    },
  ];
  const add = canManageSupport() ? link('/support/policies/new', { class: 'btn btn-primary', 'data-testid': 'new-policy' }, `+ ${t('support.new_policy')}`) : null;
  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', null, t('support.policies_title')), h('div', { class: 'page-actions' }, add ?? '')),
    h('p', { class: 'intro' }, t('support.policies_intro')),
    supportTabs('policies'),
    flash(),
    policies.length ? dataTable(cols, policies, { testId: 'policy-table', row: (p) => ({ 'data-code': p.code }) }) : h('p', { class: 'empty', 'data-testid': 'list-empty' }, t('support.no_policies'), ' ', t('support.no_policies_cli'), ' ', h('code', null, 'nongsan import policies FILE.json'), '.'),
  );
}

/** /support/policies/new */
export async function renderNewPolicy(root: HTMLElement): Promise<void> {
  document.title = `${t('support.new_policy')} · nongsan`;
  if (!canManageSupport()) {
    replace(root, h('h1', null, t('error.forbidden')), h('p', null, link('/support/policies', null, `‹ ${t('support.tab.policies')}`)));
    return;
  }
  const policies = await loadPolicies();
  replace(root, link('/support/policies', { class: 'back' }, `‹ ${t('support.tab.policies')}`), h('h1', null, t('support.new_policy')), supportTabs('policies'), h('p', { class: 'intro' }, t('support.new_policy_intro')), policyForm({ from: null, policies }));
}

/** /support/policies/:code — every version, and the amendment editor. */
export async function renderPolicy(root: HTMLElement, route: Route): Promise<void> {
  const code = route.params.code;
  const policies = await loadPolicies(true);
  const p = policies.find((x) => x.code === code);
  document.title = `${code} · ${t('support.tab.policies')} · nongsan`;
  if (!p) {
    replace(root, link('/support/policies', { class: 'back' }, `‹ ${t('support.tab.policies')}`), h('h1', null, code), errorBox(new Error(t('support.no_such_policy', { code }))));
    return;
  }
  const today = todayIso();
  const inForce = [...p.versions].filter((v) => v.version <= today).pop();
  const cols: Column<PolicyVersion>[] = [
    {
      label: t('support.version_date'),
      title: true,
      class: 'nowrap',
      cell: (v) => h('span', null, fmtDate(v.version), ' ', v === inForce ? badge(t('support.in_force'), 'ok') : v.version > today ? badge(t('support.future_version'), 'info') : ''),
    },
    { label: t('support.rate'), class: 'num', cell: (v) => rateText(v) },
    { label: t('support.conditions'), cell: (v) => (v.conditions ? h('code', null, v.conditions) : h('span', { class: 'muted' }, t('support.no_conditions'))) },
    { label: t('support.requires_short'), cell: (v) => h('span', { class: 'small' }, ...requiresText(v)) },
    { label: t('support.source'), cell: (v) => (v.source ? h('span', { 'data-verbatim': 'record', class: 'small' }, v.source) : t('common.none')) },
    { label: t('support.created_by'), class: 'hide-sm', cell: (v) => (v.created_by ? actorNode(v.created_by) : t('common.none')) },
  ];
  const current = p.current;
  const editor = h('div', { class: 'amend-box' });
  const amendBtn = canManageSupport() ? h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'amend-policy' }, t('support.amend')) : null;
  amendBtn?.addEventListener('click', () => {
    amendBtn.hidden = true;
    replace(editor, h('h2', null, t('support.amend_title', { code })), h('p', { class: 'muted' }, t('support.amend_intro')), policyForm({ from: current, policies }));
    editor.scrollIntoView({ block: 'start' });
  });
  replace(
    root,
    link('/support/policies', { class: 'back' }, `‹ ${t('support.tab.policies')}`),
    h('div', { class: 'page-head' }, h('h1', null, h('span', { class: 'mono' }, code), ' · ', policyNameNode(current)), h('div', { class: 'page-actions' }, amendBtn ?? '')),
    supportTabs('policies'),
    flash(),
    h(
      'section',
      { class: 'card' },
      h('dl', { class: 'facts' },
        h('dt', null, t('support.content')), h('dd', null, h('span', { class: 'mono' }, current.content)),
        h('dt', null, t('support.item')), h('dd', null, itemLabel(current.item)),
        h('dt', null, t('support.versions')), h('dd', null, versionsText(p.versions.length)),
        current.note ? [h('dt', null, t('support.note')), h('dd', { 'data-verbatim': 'record' }, current.note)] : '',
      ),
      illustrative(current),
    ),
    h('h2', null, t('support.versions_title')),
    dataTable(cols, [...p.versions].reverse(), { testId: 'version-table', row: (v) => ({ 'data-version': v.version }) }),
    editor,
  );
  if (route.query.get('amend') === '1') amendBtn?.click();
}
