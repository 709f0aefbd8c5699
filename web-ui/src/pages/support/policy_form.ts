// The policy editor: a form for a new policy or a new version (an amendment) of
// one, checked as the official types (POST /support/policies/check: the server's
// messages under the fields they name, the condition's with a mark at the position
// of the mistake), and the preview over a year's applications ("what would this
// amendment have paid?": POST /support/policies/preview?year=Y) with the totals
// before and after and the applications whose amount changes.
import { ApiError, type FieldError } from '../../lib/api';
import { debounce, h, replace } from '../../lib/dom';
import { link, navigate } from '../../lib/router';
import { dataTable, type Column } from '../../lib/list';
import { clearFieldErrors, dateInput, errorBox, field, select, showFieldErrors } from '../../lib/ui';
import { PROGRAMME_CROPS, cropLabel } from '../../lib/registry';
import { fmtDate, fmtNumber, numberForInput, parseNumber, t, todayIso } from '../../i18n';
import { ITEM_UNITS, fmtMoney, itemLabel, loadPolicies, supportApi, type Policy, type PolicyVersion, type Preview, type PreviewChange } from '../../lib/support';
import { thisYear, yearOptions } from './common';
import { factLabel } from './trace';

const CLASSES = ['S1', 'S2', 'S3', 'N'];
const FACT_NAMES = ['claimed_ha', 'quantity', 'applicant_kind', 'applicant_commune', 'filed_year', 'items'];

/**
 * "position 12: unknown fact 'x'" → 12 (characters, from 1); the server writes it in
 * the page's language, so "vị trí 12: …" too.
 */
export function conditionPosition(message: string): number | null {
  const m = /(?:position|vị trí) (\d+)/.exec(message);
  return m ? Number(m[1]) : null;
}

/** The condition with a mark under the character the server names. */
export function caretView(text: string, position: number): HTMLElement {
  const chars = [...text];
  const at = Math.max(0, Math.min(chars.length, position - 1));
  // The line that holds the position, and the mark under it.
  let start = at;
  while (start > 0 && chars[start - 1] !== '\n') start--;
  let end = at;
  while (end < chars.length && chars[end] !== '\n') end++;
  const line = chars.slice(start, end).join('');
  return h('pre', { class: 'cond-caret mono', 'data-testid': 'condition-caret', 'data-position': String(position), 'aria-hidden': 'true' }, `${line}\n${' '.repeat(at - start)}^`);
}

export interface PolicyFormOptions {
  /** Prefill from this version (an amendment); null for a new policy. */
  from: PolicyVersion | null;
  policies: Policy[];
}

export function policyForm(opts: PolicyFormOptions): HTMLElement {
  const v = opts.from;
  const amend = v !== null;
  const touched = new Set<string>();

  const code = h('input', { type: 'text', name: 'code', autocomplete: 'off', value: v?.code ?? '', readonly: amend, placeholder: 'NQ07-CHE' });
  const version = dateInput('version', amend ? todayIso() : todayIso(), () => live());
  const nameVi = h('input', { type: 'text', name: 'name_vi', value: v?.name_vi ?? '', lang: 'vi' });
  const nameEn = h('input', { type: 'text', name: 'name_en', value: v?.name_en ?? '', lang: 'en' });
  const content = h('input', { type: 'text', name: 'content', autocomplete: 'off', value: v?.content ?? '', placeholder: 'tea_planting' });
  const item = select('item', ITEM_UNITS.map((u) => ({ value: u, label: itemLabel(u) })), v?.item ?? 'area');
  const rate = h('input', { type: 'text', name: 'rate', inputmode: 'decimal', value: v ? numberForInput(v.rate) : '' });
  const oneTime = h('input', { type: 'checkbox', name: 'one_time', checked: v?.one_time ?? false });
  const cap = h('input', { type: 'text', name: 'cap_per_beneficiary_year', inputmode: 'numeric', value: v?.cap_per_beneficiary_year ? numberForInput(v.cap_per_beneficiary_year) : '' });
  const exclusive = h('input', { type: 'text', name: 'exclusive_with', autocomplete: 'off', value: (v?.exclusive_with ?? []).join(', '), placeholder: opts.policies.map((p) => p.code).slice(0, 3).join(', ') });
  const crops = new Set(PROGRAMME_CROPS);
  if (v?.requires.crop) crops.add(v.requires.crop);
  const crop = select('requires.crop', [{ value: '', label: t('support.requires.no_crop') }, ...[...crops].map((c) => ({ value: c, label: cropLabel(c) }))], v?.requires.crop ?? '');
  const zone = h('input', { type: 'checkbox', name: 'requires.zone', checked: v?.requires.zone ?? false });
  const controller = h('input', { type: 'checkbox', name: 'requires.controller', checked: v?.requires.controller ?? false });
  const suit = CLASSES.map((c) => h('input', { type: 'checkbox', name: 'requires.suitability', value: c, checked: v?.requires.suitability?.includes(c) ?? false }));
  const profile = h('input', { type: 'text', name: 'requires.profile', autocomplete: 'off', value: v?.requires.profile ?? '' });
  const conditions = h('textarea', { name: 'conditions', rows: '3', class: 'mono', spellcheck: 'false', 'data-testid': 'conditions' }, v?.conditions ?? '');
  const caretSlot = h('div', { class: 'caret-slot' });
  const source = h('input', { type: 'text', name: 'source', value: v?.source ?? '', placeholder: t('support.source_placeholder') });
  const illustrative = h('input', { type: 'checkbox', name: 'illustrative', checked: v?.illustrative ?? false });
  const note = h('textarea', { name: 'note', rows: '2' }, v?.note ?? '');
  const verdict = h('div', { class: 'policy-verdict', 'data-testid': 'policy-verdict', 'aria-live': 'polite' });
  const slot = h('div', { class: 'form-alert' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'save-policy' }, amend ? t('support.save_amendment') : t('support.save_policy'));
  const previewYear = select('preview_year', yearOptions(), String(thisYear() - 1));
  const previewBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'preview-policy' }, t('support.preview_button'));
  const previewOut = h('div', { class: 'preview-out', 'data-testid': 'preview', 'aria-live': 'polite' });

  const check = (el: HTMLInputElement, label: string, name: string): HTMLElement => h('div', { class: 'field field-check', 'data-field': name }, h('label', null, el, label), h('div', { class: 'field-error' }));
  const requiresBox = h(
    'fieldset',
    { class: 'fieldset field-wide', 'data-field': 'requires' },
    h('legend', null, t('support.requires_legend')),
    h(
      'div',
      { class: 'form-grid' },
      field(t('support.requires_crop'), crop, { name: 'requires.crop', hint: t('support.requires_crop_hint') }),
      field(t('support.requires_profile'), profile, { name: 'requires.profile', hint: t('support.requires_profile_hint') }),
      check(controller, t('support.requires_controller'), 'requires.controller'),
      check(zone, t('support.requires_zone'), 'requires.zone'),
      h('div', { class: 'field field-wide', 'data-field': 'requires.suitability' }, h('label', null, t('support.requires_suitability')), h('div', { class: 'check-row' }, ...suit.map((s) => h('label', { class: 'check' }, s, s.value))), h('div', { class: 'field-error' })),
    ),
    h('div', { class: 'field-error' }),
  );

  const condHelp = h(
    'details',
    { class: 'cond-help small' },
    h('summary', null, t('support.conditions_help')),
    h('p', null, t('support.conditions_syntax'), ' ', ...['== != < <= > >=', 'in', 'not in', 'and', 'or', 'not', '( )'].flatMap((op, i) => [i ? ', ' : '', h('code', null, op)])),
    h('p', null, t('support.conditions_facts')),
    h('ul', null, ...FACT_NAMES.map((f) => h('li', null, h('code', null, f), ` — ${factLabel(f)}`))),
    h('p', null, t('support.conditions_example'), ' ', h('code', null, 'claimed_ha >= 0.3 and applicant_kind in ["household", "cooperative"]')),
  );

  const form = h(
    'form',
    { class: 'form policy-form', novalidate: true, 'data-testid': 'policy-form', 'data-mode': amend ? 'amend' : 'new' },
    h(
      'div',
      { class: 'form-grid' },
      field(t('support.policy_code'), code, { name: 'code', required: true, hint: amend ? t('support.code_fixed') : t('support.policy_code_hint') }),
      field(amend ? t('support.amendment_date') : t('support.version_date'), version.el, { name: 'version', required: true, hint: t('support.version_hint') }),
      field(t('support.name_vi'), nameVi, { name: 'name_vi', required: true }),
      field(t('support.name_en'), nameEn, { name: 'name_en' }),
      field(t('support.content'), content, { name: 'content', required: true, hint: t('support.content_hint') }),
      field(t('support.item'), item, { name: 'item', required: true }),
      field(t('support.rate'), rate, { name: 'rate', required: true, hint: t('support.rate_hint') }),
      field(t('support.cap'), cap, { name: 'cap_per_beneficiary_year', hint: t('support.cap_hint') }),
      check(oneTime, t('support.one_time'), 'one_time'),
      field(t('support.exclusive_with'), exclusive, { name: 'exclusive_with', hint: t('support.exclusive_hint') }),
      requiresBox,
      h('div', { class: 'field field-wide', 'data-field': 'conditions' }, h('label', { for: 'policy-conditions' }, t('support.conditions')), conditions, caretSlot, h('div', { class: 'field-error', 'data-testid': 'conditions-error' }), h('div', { class: 'hint' }, t('support.conditions_hint')), condHelp),
      field(t('support.source'), source, { name: 'source', hint: t('support.source_hint') }),
      check(illustrative, t('support.illustrative_check'), 'illustrative'),
      h('div', { class: 'field field-wide', 'data-field': 'note' }, h('label', null, t('support.note')), note, h('div', { class: 'field-error' })),
    ),
    verdict,
    slot,
    h('div', { class: 'form-actions' }, save),
    h(
      'section',
      { class: 'card preview-card', 'aria-labelledby': 'preview-h' },
      h('h3', { id: 'preview-h' }, t('support.preview_title')),
      h('p', { class: 'muted small' }, t('support.preview_intro')),
      h('div', { class: 'preview-bar' }, field(t('support.preview_year'), previewYear, { name: 'preview_year' }), previewBtn),
      previewOut,
    ),
  );
  conditions.id = 'policy-conditions';

  function syncRequires(): void {
    const area = item.value === 'area';
    requiresBox.hidden = !area;
  }
  syncRequires();

  /** The policy as the form holds it; local problems (numbers) go to `problems`. */
  function body(problems: FieldError[]): Record<string, unknown> {
    const b: Record<string, unknown> = {
      code: code.value.trim(),
      version: version.value() ?? '',
      name_vi: nameVi.value.trim(),
      content: content.value.trim(),
      item: item.value,
      one_time: oneTime.checked,
      illustrative: illustrative.checked,
    };
    if (version.value() === null) problems.push({ field: 'version', message: t('common.invalid_date') });
    if (nameEn.value.trim()) b.name_en = nameEn.value.trim();
    const r = parseNumber(rate.value);
    if (rate.value.trim() === '') problems.push({ field: 'rate', message: t('common.required') });
    else if (r === null || r < 0) problems.push({ field: 'rate', message: t('support.rate_invalid') });
    else b.rate = r;
    if (cap.value.trim()) {
      const c = parseNumber(cap.value);
      if (c === null || c < 0 || !Number.isInteger(c)) problems.push({ field: 'cap_per_beneficiary_year', message: t('support.amount_whole') });
      else b.cap_per_beneficiary_year = c;
    }
    const ex = exclusive.value.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);
    if (ex.length) b.exclusive_with = ex;
    if (item.value === 'area') {
      const req: Record<string, unknown> = {};
      if (crop.value) req.crop = crop.value;
      if (profile.value.trim()) req.profile = profile.value.trim();
      if (zone.checked) req.zone = true;
      if (controller.checked) req.controller = true;
      const cls = suit.filter((s) => s.checked).map((s) => s.value);
      if (cls.length) req.suitability = cls;
      if (Object.keys(req).length) b.requires = req;
    }
    if (conditions.value.trim()) b.conditions = conditions.value;
    if (source.value.trim()) b.source = source.value.trim();
    if (note.value.trim()) b.note = note.value.trim();
    return b;
  }

  /** For the live check: what is missing is filled in, so that the server looks at the rest (the condition above all). */
  function liveBody(b: Record<string, unknown>): Record<string, unknown> {
    return {
      ...b,
      code: b.code || 'X',
      version: b.version || todayIso(),
      name_vi: b.name_vi || 'x',
      content: b.content || 'x',
      rate: b.rate ?? 0,
    };
  }

  function showErrors(errors: FieldError[], all: boolean): void {
    clearFieldErrors(form);
    replace(caretSlot);
    const shown = all ? errors : errors.filter((e) => touched.has(e.field.replace(/\[\d+\]$/, '').split('.')[0]) || touched.has(e.field.replace(/\[\d+\]$/, '')));
    const rest = showFieldErrors(form, shown);
    for (const e of shown) {
      if (e.field !== 'conditions') continue;
      const pos = conditionPosition(e.message);
      if (pos !== null) replace(caretSlot, caretView(conditions.value, pos), h('div', { class: 'caret-caption small' }, t('support.condition_error_at', { pos })));
    }
    // The server's words (in the page's language), quoted: marked so.
    for (const el of form.querySelectorAll('.field-error')) if (el.textContent) el.setAttribute('data-verbatim', 'server');
    if (rest.length && all) replace(slot, h('div', { class: 'alert alert-error' }, ...rest.map((e) => h('div', { 'data-verbatim': 'server' }, `${e.field}: ${e.message}`))));
  }

  function verdictText(result: string, p: PolicyVersion): HTMLElement {
    const existing = opts.policies.find((x) => x.code === p.code);
    const kinds: Record<string, [string, string]> = {
      new_policy: [t('support.verdict.new_policy', { code: p.code }), 'info'],
      amendment: [t('support.verdict.amendment', { code: p.code, date: fmtDate(p.version), versions: existing?.versions.length ?? 0 }), 'ok'],
      earlier_version: [t('support.verdict.earlier_version', { code: p.code, date: fmtDate(p.version) }), 'warn'],
      unchanged: [t('support.verdict.unchanged', { code: p.code, date: fmtDate(p.version) }), 'warn'],
    };
    const [text, kind] = kinds[result] ?? [result, 'info'];
    return h('p', { class: `alert alert-${kind}`, 'data-result': result }, text);
  }

  let seq = 0;
  const live = debounce(async () => {
    const mine = ++seq;
    const problems: FieldError[] = [];
    const b = body(problems);
    const complete = problems.length === 0 && b.code && b.name_vi && b.content;
    try {
      const r = await supportApi.checkPolicy(liveBody(b));
      if (mine !== seq) return;
      showErrors(problems, false);
      replace(verdict, complete ? verdictText(r.result, r.policy) : '');
      // What a failed save said no longer holds.
      if (!problems.length) replace(slot);
      form.dataset.valid = 'true';
    } catch (err) {
      if (mine !== seq) return;
      form.dataset.valid = 'false';
      if (err instanceof ApiError && err.status === 400) {
        showErrors([...problems, ...err.fieldErrors], false);
        replace(verdict);
      } else if (err instanceof ApiError && err.status === 409) {
        showErrors(problems, false);
        replace(verdict, complete ? errorBox(err) : '');
      } else replace(verdict, errorBox(err));
    }
    form.dataset.checked = String(mine);
  }, 400);

  form.addEventListener('input', (ev) => {
    const name = (ev.target as HTMLInputElement).name;
    if (name && name !== 'preview_year') touched.add(name.split('.')[0] === 'requires' ? name : name);
    if (name === 'requires.crop' || name.startsWith('requires')) touched.add('requires');
    if (name === 'item') syncRequires();
    if (name !== 'preview_year') live();
  });
  form.addEventListener('change', (ev) => {
    const name = (ev.target as HTMLInputElement).name;
    if (name === 'item') {
      syncRequires();
      touched.add('item');
      live();
    }
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(slot);
    const problems: FieldError[] = [];
    const b = body(problems);
    if (!b.code) problems.push({ field: 'code', message: t('common.required') });
    if (!b.name_vi) problems.push({ field: 'name_vi', message: t('common.required') });
    if (!b.content) problems.push({ field: 'content', message: t('common.required') });
    if (problems.length) {
      showErrors(problems, true);
      return;
    }
    save.disabled = true;
    try {
      const saved = await supportApi.savePolicy(b);
      await loadPolicies(true);
      sessionStorage.setItem('nongsan.support.flash', saved.result === 'unchanged' ? t('support.verdict.unchanged', { code: saved.code, date: fmtDate(saved.version) }) : t('support.policy_saved', { code: saved.code, date: fmtDate(saved.version) }));
      navigate(`/support/policies/${encodeURIComponent(saved.code)}`);
    } catch (err) {
      save.disabled = false;
      if (err instanceof ApiError && err.status === 400) {
        showErrors(err.fieldErrors, true);
        replace(slot, errorBox(err));
        (form.querySelector('.field.invalid input, .field.invalid select, .field.invalid textarea') as HTMLElement | null)?.focus();
      } else replace(slot, errorBox(err));
    }
  });

  previewBtn.addEventListener('click', async () => {
    const problems: FieldError[] = [];
    const b = body(problems);
    if (problems.length) {
      showErrors(problems, true);
      return;
    }
    const year = Number(previewYear.value);
    previewBtn.disabled = true;
    replace(previewOut, h('p', { class: 'loading', role: 'status' }, t('support.preview_running', { year })));
    try {
      const p = await supportApi.preview(b, year);
      replace(previewOut, renderPreview(p));
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) showErrors(err.fieldErrors, true);
      replace(previewOut, errorBox(err));
    } finally {
      previewBtn.disabled = false;
    }
  });

  if (amend) live();
  return form;
}

export function renderPreview(p: Preview): HTMLElement {
  const tile = (label: string, value: string, test: string, extra = ''): HTMLElement => h('div', { class: `tile ${extra}`, 'data-testid': test }, h('div', { class: 'tile-label' }, label), h('div', { class: 'tile-value' }, value));
  const diff = p.difference;
  const cols: Column<PreviewChange>[] = [
    { label: t('support.code'), title: true, cell: (c) => link(`/support?year=${p.year}&q=${encodeURIComponent(c.application)}`, { class: 'mono' }, c.application) },
    { label: t('support.preview_before'), class: 'num', cell: (c) => fmtMoney(c.before) },
    { label: t('support.preview_after'), class: 'num', cell: (c) => fmtMoney(c.after) },
    { label: t('support.preview_difference'), class: 'num', cell: (c) => h('span', { class: c.difference > 0 ? 'diff-up' : 'diff-down' }, `${c.difference > 0 ? '+' : ''}${fmtMoney(c.difference)}`) },
  ];
  return h(
    'div',
    { 'data-year': String(p.year), 'data-changed': String(p.changed) },
    h('p', null, t('support.preview_summary', { year: p.year, code: p.policy.code, date: fmtDate(p.policy.version) })),
    h(
      'div',
      { class: 'tiles tiles-4' },
      tile(t('support.preview_total_before', { year: p.year }), fmtMoney(p.total_before), 'preview-before'),
      tile(t('support.preview_total_after'), fmtMoney(p.total_after), 'preview-after'),
      tile(t('support.preview_difference'), `${diff > 0 ? '+' : ''}${fmtMoney(diff)}`, 'preview-difference', diff > 0 ? 'tile-up' : diff < 0 ? 'tile-down' : ''),
      tile(t('support.preview_changed'), fmtNumber(p.changed), 'preview-changed'),
    ),
    p.changes.length ? dataTable(cols, p.changes, { testId: 'preview-changes' }) : h('p', { class: 'muted', 'data-testid': 'preview-no-change' }, t('support.preview_no_change', { year: p.year })),
  );
}
