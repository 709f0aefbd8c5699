// Users (province administrator): list, create, edit role/unit/active, reset a
// password (the temporary one is shown once) and reveal masked personal data,
// which the server records in the audit trail.
import { api, type Page, type Role, type User, type UnitRef } from '../lib/api';
import { h, replace } from '../lib/dom';
import { setQuery, type Route } from '../lib/router';
import {
  badge,
  clearFieldErrors,
  confirmDialog,
  errorBox,
  field,
  notice,
  openDialog,
  revealable,
  select,
  showFormError,
} from '../lib/ui';
import { unitPicker } from '../lib/picker';
import { dataTable, filterForm, filterSelect, listView, searchInput } from '../lib/list';
import { t, type MessageKey } from '../i18n';

const ROLES: Role[] = ['province_admin', 'province_officer', 'unit_officer', 'producer', 'inspector'];
const PAGE_SIZE = 25;

function roleLabel(r: string): string {
  return ROLES.includes(r as Role) ? t(`role.${r}` as MessageKey) : r;
}

function roleOptions(withAll: boolean): { value: string; label: string }[] {
  const o = ROLES.map((r) => ({ value: r, label: roleLabel(r) }));
  return withAll ? [{ value: '', label: t('common.all') }, ...o] : o;
}


export function renderUsers(root: HTMLElement, route: Route): void {
  document.title = `${t('users.title')} · nongsan`;
  const state = {
    q: route.query.get('q') ?? '',
    role: route.query.get('role') ?? '',
    active: route.query.get('active') ?? '',
  };
  const flash = h('div', { class: 'flash', 'aria-live': 'polite' });
  const list = listView<User>({
    pageSize: PAGE_SIZE,
    page: Number(route.query.get('page') ?? '1'),
    fetch: (pg) => api.get<Page<User>>('/api/v1/users', { ...state, ...pg }),
    syncUrl: (page) => setQuery({ ...state, page: page > 1 ? page : '' }),
    render: (page) => [
      dataTable<User>(
        [
          { label: t('users.display_name'), title: true, cell: (u) => [h('strong', null, u.display_name), h('div', { class: 'muted small mono' }, u.username)] },
          { label: t('users.role'), cell: (u) => [roleLabel(u.role), u.must_change_password ? h('div', null, badge(t('users.must_change'), 'warn')) : ''] },
          { label: t('users.unit'), class: 'hide-sm', cell: (u) => [u.unit ? u.unit.name : t('common.none'), u.organisation ? h('div', { class: 'muted small' }, u.organisation) : ''] },
          { label: t('users.phone'), class: 'hide-sm', cell: (u) => revealable(u.phone, 'phone', `/api/v1/users/${u.id}/reveal`, (m) => replace(flash, m)) },
          { label: t('users.status'), cell: (u) => (u.active ? badge(t('users.active'), 'ok') : badge(t('users.inactive'), 'muted')) },
          {
            label: t('common.actions'),
            class: 'actions',
            cell: (u) => {
              const edit = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'edit-user' }, t('common.edit'));
              edit.addEventListener('click', () => openUserForm(u));
              const reset = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'reset-password' }, t('users.reset_password'));
              reset.addEventListener('click', () => void resetPassword(u));
              return [edit, reset];
            },
          },
        ],
        page.items,
        { row: (u) => ({ 'data-username': u.username, class: u.active ? '' : 'row-inactive' }) },
      ),
    ],
    empty: () => t('list.none_match', { what: t('list.what.users') }),
  });
  const changed = (): void => void list.reload(true);
  const createBtn = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'create-user' }, `+ ${t('users.create')}`);
  createBtn.addEventListener('click', () => openUserForm(null));

  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', null, t('users.title')), h('div', { class: 'page-actions' }, createBtn)),
    h('p', { class: 'intro' }, t('users.intro')),
    filterForm(
      [t('common.search'), searchInput('q', state.q, '', (v) => ((state.q = v), changed())), 'q'],
      [t('users.role'), filterSelect('role', roleOptions(false), state.role, (v) => ((state.role = v), changed())), 'role'],
      [t('users.status'), filterSelect('active', [{ value: 'true', label: t('users.active') }, { value: 'false', label: t('users.inactive') }], state.active, (v) => ((state.active = v), changed())), 'active'],
    ),
    flash,
    list.el,
  );
  const load = (): Promise<void> => list.reload();

  async function resetPassword(u: User): Promise<void> {
    if (!(await confirmDialog(t('users.reset_confirm', { name: u.display_name || u.username }), t('users.reset_password')))) return;
    try {
      const r = await api.post<{ temporary_password: string }>(`/api/v1/users/${u.id}/reset-password`, {});
      const pw = h('code', { class: 'temp-password', 'data-testid': 'temporary-password' }, r.temporary_password);
      const copy = h('button', { type: 'button', class: 'btn btn-small' }, t('common.copy'));
      copy.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(r.temporary_password);
          copy.textContent = t('common.copied');
        } catch {
          // Clipboard may be unavailable; the password stays on screen to copy by hand.
        }
      });
      const ok = h('button', { type: 'button', class: 'btn btn-primary' }, t('common.close'));
      const d = openDialog(t('users.temporary_password'), [
        h('p', null, u.display_name || u.username),
        h('div', { class: 'temp-password-box' }, pw, copy),
        notice(t('users.temporary_once'), 'warn'),
        h('div', { class: 'form-actions' }, ok),
      ]);
      ok.addEventListener('click', () => d.close());
      void load();
    } catch (err) {
      replace(flash, errorBox(err));
    }
  }

  function openUserForm(existing: User | null): void {
    const editing = existing !== null;
    const username = h('input', { type: 'text', name: 'username', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', value: existing?.username ?? '', disabled: editing });
    const displayName = h('input', { type: 'text', name: 'display_name', value: existing?.display_name ?? '' });
    const roleS = select('role', roleOptions(false), existing?.role ?? 'unit_officer');
    const unit = unitPicker('unit', existing?.unit ? ({ ...existing.unit, level: 'commune' } as UnitRef) : null, { allowEmpty: true });
    const organisation = h('input', { type: 'text', name: 'organisation', value: existing?.organisation ?? '' });
    const email = h('input', { type: 'email', name: 'email', autocomplete: 'off', value: existing?.email ?? '' });
    const phone = h('input', { type: 'tel', name: 'phone', autocomplete: 'off', placeholder: existing?.phone ?? '' });
    const citizen = h('input', { type: 'text', name: 'citizen_id', inputmode: 'numeric', autocomplete: 'off', placeholder: existing?.citizen_id ?? '' });
    const bank = h('input', { type: 'text', name: 'bank_account', autocomplete: 'off', placeholder: existing?.bank_account ?? '' });
    const password = h('input', { type: 'text', name: 'password', autocomplete: 'new-password', spellcheck: 'false' });
    const active = h('input', { type: 'checkbox', name: 'active', checked: existing?.active ?? true });
    const slot = h('div', { class: 'form-alert', 'aria-live': 'assertive' });
    const revealSlot = h('div', { 'aria-live': 'polite' });
    const save = h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'));
    const cancel = h('button', { type: 'button', class: 'btn' }, t('common.cancel'));

    const personal = editing
      ? h(
          'fieldset',
          { class: 'fieldset' },
          h('legend', null, t('users.masked_note')),
          h('dl', { class: 'facts' },
            ...(['phone', 'citizen_id', 'bank_account'] as const).flatMap((f) => [h('dt', null, t(`users.${f}`)), h('dd', null, revealable(existing[f], f, `/api/v1/users/${existing.id}/reveal`, (m) => replace(revealSlot, m)))]),
          ),
          revealSlot,
        )
      : '';

    const form = h(
      'form',
      { class: 'form form-grid', novalidate: true },
      slot,
      field(t('users.username'), username, { name: 'username', required: true }),
      field(t('users.display_name'), displayName, { name: 'display_name', required: true }),
      field(t('users.role'), roleS, { name: 'role', required: true }),
      field(t('users.unit'), unit.el, { name: 'unit_id', hint: t('users.no_unit') }),
      field(t('users.organisation'), organisation, { name: 'organisation' }),
      field(t('users.email'), email, { name: 'email' }),
      personal,
      field(t('users.phone'), phone, { name: 'phone' }),
      field(t('users.citizen_id'), citizen, { name: 'citizen_id' }),
      field(t('users.bank_account'), bank, { name: 'bank_account' }),
      editing ? '' : field(t('users.password'), password, { name: 'password', required: true }),
      editing ? h('div', { class: 'field field-check', 'data-field': 'active' }, h('label', null, active, ` ${t('users.active')}`), h('div', { class: 'field-error' })) : '',
      h('div', { class: 'form-actions' }, cancel, save),
    );
    const dlg = openDialog(editing ? t('users.edit') : t('users.create'), [form], { wide: true });
    cancel.addEventListener('click', () => dlg.close());
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFieldErrors(form);
      replace(slot);
      save.disabled = true;
      save.textContent = t('common.saving');
      try {
        if (editing) {
          const body: Record<string, unknown> = {};
          if (displayName.value !== existing.display_name) body.display_name = displayName.value;
          if (roleS.value !== existing.role) body.role = roleS.value;
          const unitId = unit.value()?.id ?? null;
          if (unitId !== (existing.unit?.id ?? null)) body.unit_id = unitId;
          if (organisation.value !== existing.organisation) body.organisation = organisation.value;
          if (email.value !== existing.email) body.email = email.value;
          if (phone.value.trim()) body.phone = phone.value.trim();
          if (citizen.value.trim()) body.citizen_id = citizen.value.trim();
          if (bank.value.trim()) body.bank_account = bank.value.trim();
          if (active.checked !== existing.active) body.active = active.checked;
          await api.patch<User>(`/api/v1/users/${existing.id}`, body);
          replace(flash, notice(t('common.saved'), 'ok'));
        } else {
          const body: Record<string, unknown> = {
            username: username.value.trim(),
            display_name: displayName.value.trim(),
            role: roleS.value,
            password: password.value,
          };
          const unitId = unit.value()?.id;
          if (unitId) body.unit_id = unitId;
          for (const [k, el] of [['organisation', organisation], ['email', email], ['phone', phone], ['citizen_id', citizen], ['bank_account', bank]] as const) {
            if (el.value.trim()) body[k] = el.value.trim();
          }
          const created = await api.post<User>('/api/v1/users', body);
          replace(flash, notice(t('users.created', { name: created.display_name || created.username }), 'ok'));
        }
        dlg.close();
        void load();
      } catch (err) {
        showFormError(form, slot, err);
        save.disabled = false;
        save.textContent = t('common.save');
      }
    });
    (editing ? displayName : username).focus();
  }

  void load();
}

