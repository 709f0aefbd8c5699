// Users and the audit trail: an administrator creates a user, reveals a phone
// number (and sees that view in the audit trail), resets a password; a commune
// officer sees no Users menu and the API refuses them.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, DEMO, LAPTOP, PHONE, expectApiError } from './lib/harness.mjs';

const NEW_USER = { username: 'kiemthu.officer', display_name: 'Cán bộ Kiểm Thử', phone: '0912000111', password: 'Kiem-thu-2025-mat-khau' };

async function createUser(page) {
  await page.goto('/users');
  await page.locator('[data-testid=create-user]').click();
  const dlg = page.locator('dialog[open]');
  await dlg.locator('input[name=username]').fill(NEW_USER.username);
  await dlg.locator('input[name=display_name]').fill(NEW_USER.display_name);
  await dlg.locator('select[name=role]').selectOption('unit_officer');
  await dlg.locator('input[name=unit]').fill('Bình Lư');
  await dlg.locator('.picker-list li[role=option]').first().click();
  await dlg.locator('input[name=phone]').fill(NEW_USER.phone);
  await dlg.locator('input[name=password]').fill(NEW_USER.password);
  await screenshot(page, 'users-create-laptop-vi');
  await dlg.locator('button[type=submit]').click();
  await page.locator('.flash .alert-ok', { hasText: 'Đã tạo người dùng' }).waitFor();
}

const tests = [
  ['the form shows the server\'s validation messages next to the fields', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/users');
    await page.locator('[data-testid=create-user]').click();
    const dlg = page.locator('dialog[open]');
    await dlg.locator('input[name=username]').fill(DEMO.admin.username); // taken
    await dlg.locator('input[name=password]').fill('x');
    expectApiError(page, { status: 400, method: 'POST', url: /^\/api\/v1\/users$/ });
    await dlg.locator('button[type=submit]').click();
    await dlg.locator('.field.invalid').first().waitFor();
    const messages = await dlg.locator('.field.invalid .field-error').allTextContents();
    assert.ok(messages.length >= 1 && messages.every((m) => m.trim().length > 0), `field messages: ${messages}`);
    assert.match(await dlg.locator('.form-alert').textContent(), /Dữ liệu chưa hợp lệ/);
    await screenshot(page, 'users-validation-laptop-vi');
    await page.context().close();
  }],

  ['an administrator creates a user whose phone is shown masked', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await createUser(page);
    const row = page.locator(`tr[data-username="${NEW_USER.username}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /Cán bộ Kiểm Thử/);
    const phone = await row.locator('[data-field=phone]').textContent();
    assert.ok(!phone.includes(NEW_USER.phone), `phone is masked in the list: ${phone}`);
    assert.ok(phone.endsWith(NEW_USER.phone.slice(-3)), `masked phone keeps the last digits: ${phone}`);
    await screenshot(page, 'users-list-laptop-vi');
    await page.context().close();
  }],

  ['revealing a phone number shows it and the audit trail records the view', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/users');
    const row = page.locator(`tr[data-username="${NEW_USER.username}"]`);
    await row.locator('[data-testid=reveal-phone]').click();
    await row.locator('[data-field=phone]', { hasText: NEW_USER.phone }).waitFor();
    assert.match(await page.locator('.flash').textContent(), /đã được ghi vào nhật ký/);
    await screenshot(page, 'users-revealed-laptop-vi');

    await page.locator('nav.app-nav a[data-path="/audit"]').click();
    await page.locator('h1', { hasText: 'Nhật ký' }).waitFor();
    const rows = page.locator('tr.audit-row');
    await rows.first().waitFor();
    // Filter as an administrator would: personal-data views by admin.
    await page.locator('select[name=action]').selectOption('reveal');
    await page.locator('input[name=actor]').fill('admin');
    await page.locator('form.filters button[type=submit]').click();
    await page.waitForFunction(() => {
      const trs = [...document.querySelectorAll('tr.audit-row')];
      return trs.length > 0 && trs.every((tr) => tr.textContent.includes('Xem dữ liệu cá nhân'));
    });
    const first = await rows.first().textContent();
    assert.match(first, /admin/);
    assert.match(first, /Người dùng/);
    const i = 0;
    await rows.nth(i).locator('[data-testid=expand-audit]').click();
    const detail = page.locator('tr.audit-detail:not([hidden])');
    await detail.waitFor();
    assert.equal(await detail.locator('pre.json').count(), 2, 'before and after are shown');
    await screenshot(page, 'audit-expanded-laptop-vi');
    await page.context().close();
  }],

  ['an administrator changes the role and disables the account', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/users');
    const row = page.locator(`tr[data-username="${NEW_USER.username}"]`);
    await row.locator('[data-testid=edit-user]').click();
    const dlg = page.locator('dialog[open]');
    assert.ok(await dlg.locator('input[name=username]').isDisabled(), 'the username cannot change');
    // Markup typed into a name stays text.
    await dlg.locator('input[name=display_name]').fill('Cán bộ <b>Kiểm Thử</b><img src=x onerror="window.__xss=1">');
    await dlg.locator('select[name=role]').selectOption('inspector');
    await dlg.locator('input[name=unit]').fill('');
    await dlg.locator('input[name=active]').uncheck();
    await screenshot(page, 'users-edit-laptop-vi');
    await dlg.locator('button[type=submit]').click();
    await page.locator('.flash .alert-ok', { hasText: 'Đã lưu' }).waitFor();
    await row.filter({ hasText: 'Đã khóa' }).filter({ hasText: 'Thanh tra viên' }).waitFor();
    assert.match(await row.locator('td').first().textContent(), /<b>Kiểm Thử<\/b><img/);
    assert.equal(await row.locator('b, img').count(), 0, 'no element was made from the name');
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    // And back, so the next test can sign in with the account.
    await row.locator('[data-testid=edit-user]').click();
    await dlg.locator('input[name=active]').check();
    await dlg.locator('button[type=submit]').click();
    await row.filter({ hasText: 'Đang hoạt động' }).waitFor();
    await page.context().close();
  }],

  ['a password reset shows the temporary password once and forces a change', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/users');
    await page.locator(`tr[data-username="${NEW_USER.username}"] [data-testid=reset-password]`).click();
    await page.locator('dialog[open] .btn-danger').click();
    const pw = page.locator('[data-testid=temporary-password]');
    await pw.waitFor();
    const temporary = (await pw.textContent()).trim();
    assert.ok(temporary.length >= 8, 'a temporary password is shown');
    assert.match(await page.locator('dialog[open]').textContent(), /chỉ hiển thị một lần/);
    await screenshot(page, 'users-temporary-password-laptop-vi');
    await page.context().close();

    const user = await newPage(env, { viewport: PHONE });
    await user.goto('/');
    await user.locator('input[name=username]').fill(NEW_USER.username);
    await user.locator('input[name=password]').fill(temporary);
    await user.locator('form button[type=submit]').click();
    await user.locator('h1', { hasText: 'Đổi mật khẩu' }).waitFor();
    await user.locator('input[name=current_password]').fill(temporary);
    await user.locator('input[name=new_password]').fill('Mat-khau-moi-2025');
    await user.locator('input[name=confirm_password]').fill('Mat-khau-moi-2025');
    await screenshot(user, 'change-password-phone-vi');
    await user.locator('form button[type=submit]').click();
    await user.locator('.app-header').waitFor();
    await user.context().close();
  }],

  ['a commune officer has no Users menu and the API answers 403', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.communeOfficer);
    assert.equal(await page.locator('nav.app-nav a[data-path="/users"]').count(), 0);
    assert.equal(await page.locator('nav.app-nav a[data-path="/audit"]').count(), 0);
    assert.match(await page.locator('.app-header .user-role').textContent(), /Cán bộ huyện\/xã/);
    // The officer asks for the users and the audit trail on purpose: both answer 403.
    expectApiError(page, { status: 403, method: 'GET', url: /^\/api\/v1\/(users|audit)(\?|$)/ });
    await page.goto('/users');
    await page.locator('h1', { hasText: 'Bạn không có quyền' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/v1/users', { credentials: 'same-origin' })).status);
    assert.equal(status, 403);
    const auditStatus = await page.evaluate(async () => (await fetch('/api/v1/audit', { credentials: 'same-origin' })).status);
    assert.equal(auditStatus, 403);
    await screenshot(page, 'officer-forbidden-laptop-vi');
    await page.context().close();
  }],
];

await run(tests);
