// Sign-in, and the forced password change that follows when an administrator
// has reset the password (must_change_password).
import { ApiError, request, type Me, type User } from '../lib/api';
import { h, replace } from '../lib/dom';
import { field, errorBox, notice, showFormError, clearFieldErrors, setLocalError } from '../lib/ui';
import { lang, setLang, t } from '../i18n';
import { icon } from '../lib/icons';

function langSwitch(): HTMLElement {
  return h(
    'div',
    { class: 'lang-switch', role: 'group', 'aria-label': t('header.language') },
    ...(['vi', 'en'] as const).map((l) => {
      const b = h('button', { type: 'button', class: 'lang-btn', 'aria-pressed': String(lang() === l), lang: l, 'data-lang': l }, l.toUpperCase());
      b.addEventListener('click', () => setLang(l));
      return b;
    }),
  );
}

function frame(title: string, ...content: Node[]): HTMLElement {
  return h(
    'div',
    { class: 'auth-page' },
    h(
      'div',
      { class: 'auth-card' },
      h('div', { class: 'auth-top' }, h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, icon('leaf', 26)), h('span', { class: 'brand-name' }, t('app.name'))), langSwitch()),
      h('p', { class: 'auth-subtitle' }, t('login.subtitle')),
      h('h1', null, title),
      ...content,
    ),
  );
}

export interface LoginResult {
  user: User;
  csrf_token: string;
  expires_at: string;
}

export function renderLogin(container: HTMLElement, message: string | null, onSuccess: (r: LoginResult) => void): void {
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const slot = h('div', { class: 'form-alert', 'aria-live': 'assertive' });
  if (message) slot.append(notice(message, 'info'));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, t('login.submit'));
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-label': t('login.title') },
    slot,
    field(t('login.username'), username, { name: 'username', required: true }),
    field(t('login.password'), password, { name: 'password', required: true }),
    submit,
  );
  let timer: number | undefined;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    replace(slot);
    if (!username.value.trim() || !password.value) {
      replace(slot, h('div', { class: 'alert alert-error', role: 'alert' }, t('login.required')));
      return;
    }
    submit.disabled = true;
    submit.textContent = t('login.busy');
    try {
      const r = await request<LoginResult>('POST', '/api/v1/auth/login', {
        body: { username: username.value.trim(), password: password.value },
        quiet401: true,
      });
      onSuccess(r);
      return;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        replace(slot, h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'login-error' }, t('login.bad_credentials')));
        password.value = '';
        password.focus();
      } else if (err instanceof ApiError && err.status === 429) {
        const box = h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'login-error' });
        replace(slot, box);
        let left = err.retryAfter;
        const tick = (): void => {
          box.textContent = left !== null && left > 0 ? t('login.throttled', { seconds: left }) : t('login.throttled_later');
        };
        tick();
        window.clearInterval(timer);
        if (left !== null) {
          submit.disabled = true;
          timer = window.setInterval(() => {
            left = (left ?? 1) - 1;
            if (left <= 0) {
              window.clearInterval(timer);
              submit.disabled = false;
              replace(slot);
              return;
            }
            tick();
          }, 1000);
          submit.textContent = t('login.submit');
          return;
        }
      } else {
        showFormError(form, slot, err);
      }
    }
    submit.disabled = false;
    submit.textContent = t('login.submit');
  });
  replace(container, frame(t('login.title'), form));
  username.focus();
}

export function renderChangePassword(container: HTMLElement, me: Me, onDone: () => void): void {
  const current = h('input', { type: 'password', name: 'current_password', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', name: 'new_password', autocomplete: 'new-password', required: true });
  const confirm = h('input', { type: 'password', name: 'confirm_password', autocomplete: 'new-password', required: true });
  const slot = h('div', { class: 'form-alert', 'aria-live': 'assertive' }, notice(t('pw.explain'), 'warn'));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, t('pw.submit'));
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    slot,
    h('p', { class: 'muted' }, t('header.signed_in_as', { name: me.user.display_name || me.user.username })),
    field(t('pw.current'), current, { name: 'current_password', required: true }),
    field(t('pw.new'), next, { name: 'new_password', required: true }),
    field(t('pw.confirm'), confirm, { name: 'confirm_password', required: true }),
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    replace(slot);
    let bad = false;
    for (const [el, name] of [[current, 'current_password'], [next, 'new_password'], [confirm, 'confirm_password']] as const) {
      if (!el.value) {
        setLocalError(form, name, t('common.required'));
        bad = true;
      }
    }
    if (!bad && next.value !== confirm.value) {
      setLocalError(form, 'confirm_password', t('pw.mismatch'));
      bad = true;
    }
    if (bad) return;
    submit.disabled = true;
    try {
      await request<void>('POST', '/api/v1/auth/password', {
        body: { current_password: current.value, new_password: next.value },
        quiet401: true,
      });
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && err.fieldErrors.length === 0) {
        // A wrong current password; the session itself is still valid.
        setLocalError(form, 'current_password', err.message);
        replace(slot, errorBox(err));
      } else {
        showFormError(form, slot, err);
      }
      submit.disabled = false;
    }
  });
  replace(container, frame(t('pw.title'), form));
  current.focus();
}
