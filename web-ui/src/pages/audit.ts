// The audit trail (province administrator): who did what, when, with the
// record before and after. Rows expand to show both as JSON, changed keys marked.
import { api, type AuditEntry, type Page } from '../lib/api';
import { h, replace } from '../lib/dom';
import { setQuery, type Route } from '../lib/router';
import { actorNode, dateInput, field, select } from '../lib/ui';
import { listView } from '../lib/list';
import { fmtTimestamp, t, type MessageKey } from '../i18n';

const PAGE_SIZE = 50;
// What the server records (every audit::record in src/modules and src/cli); anything
// else is shown as it comes, and the i18n test lists it as untranslated.
const ENTITIES = [
  'app_user', 'session', 'unit_figure', 'admin_unit', 'parcel', 'producer', 'land_right', 'planting', 'crop_conversion', 'zone', 'topology_finding',
  'programme', 'indicator', 'target', 'observation', 'report_issue', 'crop_profile', 'raster_layer', 'suitability_run', 'database',
];
const ACTIONS = [
  'create', 'update', 'delete', 'reveal', 'login', 'login_failed', 'logout', 'token_issued', 'reset_password', 'change_password', 'import', 'split',
  'merge', 'revise', 'submit', 'approve', 'return', 'unlock', 'issue', 'run', 'derive', 'check', 'backup', 'restore',
];

function entityLabel(e: string): string {
  return ENTITIES.includes(e) ? t(`audit.entity.${e}` as MessageKey) : e;
}

function actionLabel(a: string): string {
  return ACTIONS.includes(a) ? t(`audit.action.${a}` as MessageKey) : a;
}


function changedKeys(before: unknown, after: unknown): Set<string> {
  const out = new Set<string>();
  const b = before && typeof before === 'object' ? (before as Record<string, unknown>) : {};
  const a = after && typeof after === 'object' ? (after as Record<string, unknown>) : {};
  for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (JSON.stringify(b[k]) !== JSON.stringify(a[k])) out.add(k);
  }
  return out;
}

/** Pretty JSON as text nodes; lines of changed top-level keys are marked. */
function jsonBlock(value: unknown, changed: Set<string>, label: string): HTMLElement {
  const pre = h('pre', { class: 'json', 'aria-label': label });
  if (value === null || value === undefined) {
    pre.append(h('span', { class: 'muted' }, t('audit.nothing')));
    return pre;
  }
  const text = JSON.stringify(value, null, 2);
  for (const line of text.split('\n')) {
    const m = /^ {2}"([^"]+)":/.exec(line);
    pre.append(m && changed.has(m[1]) ? h('span', { class: 'json-changed' }, line) : line, '\n');
  }
  return pre;
}

export function renderAudit(root: HTMLElement, route: Route): void {
  document.title = `${t('audit.title')} · nongsan`;
  const q = route.query;
  const state = {
    entity: q.get('entity') ?? '',
    entity_id: q.get('entity_id') ?? '',
    actor: q.get('actor') ?? '',
    action: q.get('action') ?? '',
    from: q.get('from') ?? '',
    to: q.get('to') ?? '',
  };
  const text = (name: 'entity_id' | 'actor', placeholder = ''): HTMLInputElement =>
    h('input', { type: 'text', name, value: state[name], autocomplete: 'off', spellcheck: 'false', placeholder });
  const entity = select('entity', [{ value: '', label: t('common.all') }, ...ENTITIES.map((e) => ({ value: e, label: entityLabel(e) }))], state.entity);
  const entityId = text('entity_id');
  const actor = text('actor', t('audit.actor_hint'));
  const action = select('action', [{ value: '', label: t('common.all') }, ...ACTIONS.map((a) => ({ value: a, label: actionLabel(a) }))], state.action);
  const from = dateInput('from', state.from);
  const to = dateInput('to', state.to);
  const apply = h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.filter'));
  const clearBtn = h('button', { type: 'button', class: 'btn' }, t('common.clear'));
  const form = h(
    'form',
    { class: 'filters', role: 'search', novalidate: true },
    field(t('audit.entity'), entity, { name: 'entity' }),
    field(t('audit.entity_id'), entityId, { name: 'entity_id' }),
    field(t('audit.actor'), actor, { name: 'actor' }),
    field(t('audit.action'), action, { name: 'action' }),
    field(t('audit.from'), from.el, { name: 'from' }),
    field(t('audit.to'), to.el, { name: 'to' }),
    h('div', { class: 'field field-button' }, h('div', { class: 'btn-row' }, apply, clearBtn)),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    state.entity = entity.value.trim();
    state.entity_id = entityId.value.trim();
    // The server records actors as "user:<username>" (or "cli:…"); a bare username means a user.
    const who = actor.value.trim();
    state.actor = who && !who.includes(':') ? `user:${who}` : who;
    state.action = action.value.trim();
    state.from = from.value() ?? '';
    state.to = to.value() ?? '';
    void list.reload(true);
  });
  clearBtn.addEventListener('click', () => {
    for (const el of [entity, entityId, actor, action]) el.value = '';
    from.set('');
    to.set('');
    Object.assign(state, { entity: '', entity_id: '', actor: '', action: '', from: '', to: '' });
    void list.reload(true);
  });

  const list = listView<AuditEntry>({
    pageSize: PAGE_SIZE,
    page: Number(q.get('page') ?? '1'),
    fetch: (pg) => api.get<Page<AuditEntry>>('/api/v1/audit', { ...state, ...pg }),
    syncUrl: (page) => setQuery({ ...state, page: page > 1 ? page : '' }),
    render: (page) => {
      const tbody = h('tbody', null);
      for (const e of page.items) {
        const toggle = h('button', { type: 'button', class: 'btn btn-small btn-ghost expand', 'aria-expanded': 'false', 'data-testid': 'expand-audit' }, '▸');
        toggle.setAttribute('aria-label', t('audit.expand'));
        const row = h(
          'tr',
          { class: 'audit-row', 'data-audit-id': String(e.id) },
          h('td', { class: 'cell-toggle' }, toggle),
          h('td', { class: 'nowrap cell-title' }, fmtTimestamp(e.at)),
          h('td', { 'data-label': t('audit.actor'), title: typeof e.actor === 'string' ? e.actor : '' }, actorNode(e.actor)),
          h('td', { 'data-label': t('audit.action'), title: e.action }, actionLabel(e.action)),
          h('td', { 'data-label': t('audit.entity'), title: e.entity }, entityLabel(e.entity), e.entity_id !== null && e.entity_id !== undefined && e.entity_id !== '' ? h('span', { class: 'muted mono' }, ` #${e.entity_id}`) : ''),
          h('td', { class: 'hide-sm mono small' }, e.request_id ?? ''),
        );
        const changed = changedKeys(e.before, e.after);
        const detail = h(
          'tr',
          { class: 'audit-detail', hidden: true },
          h(
            'td',
            { colspan: '6' },
            h(
              'div',
              { class: 'diff' },
              h('div', null, h('h3', null, t('audit.before')), jsonBlock(e.before, changed, t('audit.before'))),
              h('div', null, h('h3', null, t('audit.after')), jsonBlock(e.after, changed, t('audit.after'))),
            ),
            h('div', { class: 'muted small' }, `${t('audit.request_id')}: ${e.request_id ?? ''}`),
          ),
        );
        const flip = (): void => {
          const open = !row.classList.contains('expanded');
          detail.hidden = !open;
          toggle.textContent = open ? '▾' : '▸';
          toggle.setAttribute('aria-expanded', String(open));
          toggle.setAttribute('aria-label', open ? t('audit.collapse') : t('audit.expand'));
          row.classList.toggle('expanded', open);
        };
        toggle.addEventListener('click', (ev) => {
          ev.stopPropagation();
          flip();
        });
        row.addEventListener('click', flip);
        tbody.append(row, detail);
      }
      const head = h('tr', null, h('th', null, ''), h('th', null, t('audit.at')), h('th', null, t('audit.actor')), h('th', null, t('audit.action')), h('th', null, t('audit.entity')), h('th', { class: 'hide-sm' }, t('audit.request_id')));
      return [h('div', { class: 'table-wrap' }, h('table', { class: 'table table-audit table-stack' }, h('thead', null, head), tbody))];
    },
    empty: () => t('list.none_match', { what: t('list.what.audit') }),
  });
  replace(root, h('h1', null, t('audit.title')), h('p', { class: 'intro' }, t('audit.intro')), form, list.el);
  void list.reload();
}
