// Login, language switch, the navigation (every area built), logout and throttling, as a user sees them.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, DEMO, LAPTOP, PHONE, expectApiError } from './lib/harness.mjs';

const tests = [
  ['a wrong password says so in Vietnamese', async (env) => {
    const page = await newPage(env);
    expectApiError(page, { status: 401, method: 'POST', url: /^\/api\/v1\/auth\/login$/ });
    await page.goto('/');
    assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
    await page.locator('h1').filter({ hasText: 'Đăng nhập' }).waitFor();
    await page.locator('input[name=username]').fill(DEMO.admin.username);
    await page.locator('input[name=password]').fill('not-the-password');
    await page.locator('form button[type=submit]').click();
    const err = page.locator('[data-testid=login-error]');
    await err.waitFor();
    assert.match(await err.textContent(), /Tên đăng nhập hoặc mật khẩu không đúng/);
    assert.equal(await page.locator('.app-header').count(), 0, 'no shell after a failed login');
    await screenshot(page, 'login-error-laptop-vi');
    await page.context().close();
  }],

  ['after login the header shows the product, the user and the role', async (env) => {
    const page = await newPage(env);
    await login(page, DEMO.admin);
    const header = page.locator('.app-header');
    assert.match(await header.textContent(), /nongsan/);
    assert.match(await header.locator('.user-role').textContent(), /Quản trị viên tỉnh/);
    // Every area of the design is in the navigation; admins also see Users and Audit trail.
    const nav = page.locator('nav.app-nav');
    for (const label of ['Tổng quan', 'Đơn vị hành chính', 'Số liệu theo đơn vị', 'Sổ đăng ký đất đai', 'Chỉ tiêu & sơ kết', 'Thích nghi đất đai', 'Hỗ trợ', 'Chuỗi liên kết', 'Truy xuất nguồn gốc', 'OCOP', 'Kết luận', 'Kiểm tra, giám sát', 'Người dùng', 'Nhật ký']) {
      assert.equal(await nav.getByText(label, { exact: true }).count(), 1, `nav has ${label}`);
    }
    await page.waitForTimeout(1500);
    await screenshot(page, 'shell-laptop-vi');
    assert.deepEqual(page.externalRequests, [], 'nothing is fetched from outside the server');
    await page.context().close();
  }],

  ['the language switch changes every label and is remembered', async (env) => {
    const page = await newPage(env);
    await login(page, DEMO.admin);
    await page.goto('/units');
    await page.locator('h1', { hasText: 'Đơn vị hành chính' }).waitFor();
    // Vietnamese dates are dd/mm/yyyy.
    assert.match(await page.locator('input[name=as_of]').inputValue(), /^\d{2}\/\d{2}\/\d{4}$/);
    await page.locator('.app-header [data-lang=en]').click();
    await page.locator('h1', { hasText: 'Administrative units' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.locator('.app-header .header-logout').textContent(), 'Log out');
    assert.match(await page.locator('input[name=as_of]').inputValue(), /^\d{4}-\d{2}-\d{2}$/);
    await page.reload();
    await page.locator('h1', { hasText: 'Administrative units' }).waitFor();
    assert.equal(await page.locator('nav.app-nav a[data-path="/figures"]').textContent(), 'Figures by unit');
    await screenshot(page, 'units-laptop-en');
    await page.locator('.app-header [data-lang=vi]').click();
    await page.locator('h1', { hasText: 'Đơn vị hành chính' }).waitFor();
    await page.context().close();
  }],

  ['every area of the design is built: no navigation entry is marked planned', async (env) => {
    // The "planned" mark (shell.ts NavItem.planned) is for an area whose module is not
    // built; every area now has its module, so none may carry it.
    const page = await newPage(env);
    await login(page, DEMO.admin);
    await page.locator('nav.app-nav a.nav-link').first().waitFor();
    assert.ok((await page.locator('nav.app-nav a.nav-link').count()) >= 15);
    assert.equal(await page.locator('nav.app-nav .nav-planned').count(), 0, 'no entry marked planned');
    await page.context().close();
  }],

  ['logout returns to the login page and the session is gone', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.locator('.app-header .header-logout').click();
    await page.locator('input[name=username]').waitFor();
    assert.match(await page.locator('.auth-card').textContent(), /Bạn đã đăng xuất/);
    await page.reload();
    await page.locator('input[name=username]').waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    assert.equal(status, 401);
    await page.context().close();
  }],

  ['logout while the page is still loading cancels its requests: none comes back refused', async (env) => {
    // The home page's conversions are held until the logout has been answered. Sent on
    // after the session ended they would come back 401; the shell cancels them instead
    // (lib/api.ts abortSessionRequests), so the harness sees no refused request.
    const page = await newPage(env, { viewport: LAPTOP });
    let release;
    const loggedOut = new Promise((r) => (release = r));
    let held = 0;
    await page.route(/\/api\/v1\/conversions\/summary/, async (route) => {
      held++;
      await loggedOut;
      await route.continue().catch(() => {});
    });
    await login(page, DEMO.admin);
    await page.waitForFunction(() => document.querySelector('[data-testid=home-standings]'));
    assert.ok(held >= 1, 'the conversions request was held');
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout'));
    await page.locator('.app-header .header-logout').click();
    assert.equal((await answered).status(), 204);
    release();
    await page.locator('input[name=username]').waitFor();
    // Time for a request that was not cancelled to reach the server and come back.
    await page.waitForTimeout(500);
    assert.equal(await page.locator('.alert-error, .error-box').count(), 0, 'no error shown on the login page');
    await page.context().close();
  }],

  ['logout works from the phone menu', async (env) => {
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.admin);
    assert.equal(await page.locator('.app-header .header-logout').isVisible(), false, 'no room for logout in the phone header');
    await page.locator('.menu-btn').click();
    await page.locator('.nav-user .logout-btn').click();
    await page.locator('input[name=username]').waitFor();
    await screenshot(page, 'login-phone-vi');
    await page.context().close();
  }],

  ['too many attempts tell the user how long to wait', async (env) => {
    const page = await newPage(env);
    expectApiError(page, { status: [401, 429], method: 'POST', url: /^\/api\/v1\/auth\/login$/ });
    await page.goto('/');
    const err = page.locator('[data-testid=login-error]');
    let throttled = false;
    for (let i = 0; i < 25 && !throttled; i++) {
      await page.locator('input[name=username]').fill('throttle.test');
      await page.locator('input[name=password]').fill(`wrong-${i}`);
      await page.locator('form button[type=submit]').click();
      await err.waitFor();
      const text = await err.textContent();
      throttled = /quá nhiều lần/.test(text);
      if (!throttled) await page.waitForFunction(() => !document.querySelector('form button[type=submit]').disabled);
    }
    assert.ok(throttled, 'the server throttles repeated failures (429)');
    assert.match(await err.textContent(), /thử lại sau \d+ giây/);
    assert.equal(await page.locator('form button[type=submit]').isDisabled(), true, 'the button waits out Retry-After');
    await screenshot(page, 'login-throttled-laptop-vi');
    await page.context().close();
  }],
];

await run(tests);
