// Traceability labels and the public lot page, as their users meet them (docs/trace.md):
// the province officer makes a label sheet on a laptop — tea lots get the tea GTIN's QR
// codes, the held lot none, the macadamia lots are not labelled as tea — and a buyer scans
// a demo lot's QR code with a cheap phone: the public page opens without login and without
// script, fits the screen, in Vietnamese or English; a held lot says only that it is under
// review; an unknown lot is a clear 404 page.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, expectApiError, DEMO, LAPTOP, PHONE } from './lib/harness.mjs';
import { apiClient } from './lib/registry_fixture.mjs';

const TEA = '08939999000017'; // data/trace/gtins.json (illustrative), loaded by the demo

function noErrors(page) {
  const errs = page.errors.filter((e) => !/400|401|409/.test(e)); // 401: the login page's first look; 400/409: the refused lots
  assert.deepEqual(errs, [], 'no page errors');
  assert.deepEqual(page.externalRequests, [], 'nothing fetched from outside the server');
}

/** A phone with script turned off: the public page must not need it. */
async function phoneWithoutScript(env, lang = 'vi-VN') {
  const context = await env.browser.newContext({ viewport: PHONE, locale: lang, javaScriptEnabled: false, baseURL: env.base });
  return context.newPage();
}

const tests = [
  ['the province officer prints a sheet of tea labels: the held lot and the other crop\'s lots are refused', async (env) => {
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const entries = (await api.get('/api/v1/diary/entries')).items.filter((e) => e.kind === 'harvest' && e.lot);
    const lots = [...new Set(entries.map((e) => e.lot))];
    const tea = lots.filter((l) => l.startsWith('LOT-CHE'));
    const mac = lots.filter((l) => l.startsWith('LOT-MCA'));
    assert.ok(tea.length >= 3 && mac.length >= 1, `the demo's lots: ${lots.join(', ')}`);
    const page = await newPage(env, { viewport: LAPTOP });
    expectApiError(page, { status: [400, 409], url: /\/api\/v1\/trace\/label/, method: 'GET' });
    await login(page, DEMO.provinceOfficer);
    await page.locator('nav.app-nav a.nav-link[data-path="/trace/labels"]').click();
    await page.locator('[data-testid=gtin]').waitFor();
    assert.match(await page.locator('h1').innerText(), /In nhãn truy xuất nguồn gốc/);
    await page.locator('[data-testid=gtin]').selectOption(TEA);
    assert.equal(await page.locator('[data-testid=lots] input[type=checkbox]').count(), lots.length);
    await page.getByRole('button', { name: /Tạo tờ nhãn/ }).click();
    await page.locator('[data-testid=sheet] figure.trace-label').first().waitFor({ timeout: 30000 });
    await page.locator('[data-testid=refused-other]').waitFor();
    const labelled = await page.locator('[data-testid=sheet] figcaption span').evaluateAll((s) =>
      s.map((x) => x.textContent).filter((x) => /^Lô/.test(x)).map((x) => x.replace(/^Lô[^:]*: /, '')));
    const held = tea.filter((l) => !labelled.includes(l));
    assert.deepEqual(held, ['LOT-CHE-2025-02'], 'only the held tea lot has no label');
    assert.match(await page.locator('[data-testid=refused-held]').innerText(), /LOT-CHE-2025-02/);
    for (const m of mac) assert.match(await page.locator('[data-testid=refused-other]').innerText(), new RegExp(m));
    // Every QR image is served (the label sheet is printable as it stands). The images
    // load after the sheet is drawn: wait until the browser has finished each of them
    // (loaded or failed), then look at what it got.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=sheet] img')].every((x) => x.complete),
      null, { timeout: 30000 });
    const images = await page.locator('[data-testid=sheet] img').evaluateAll((i) => i.map((x) => x.naturalWidth));
    assert.ok(images.length === labelled.length && images.every((w) => w > 0), `QR images loaded: ${images}`);
    await screenshot(page, 'trace-labels-laptop');
    noErrors(page);
    await page.context().close();
  }],

  ['a buyer opens a demo lot\'s page on a phone, without login and without script', async (env) => {
    const page = await phoneWithoutScript(env);
    const res = await page.goto(`/01/${TEA}/10/LOT-CHE-2025-01`);
    assert.equal(res.status(), 200);
    const text = await page.locator('body').innerText();
    for (const want of ['Chè búp tươi', 'LOT-CHE-2025-01', 'Dữ liệu minh họa']) assert.ok(text.includes(want), `shows ${want}`);
    assert.match(text, /2025-04-20|20\/04\/2025/, 'the harvest date');
    assert.match(text, /Đủ thời gian cách ly trước thu hoạch/, 'the pre-harvest interval check passed');
    assert.equal(await page.locator('script').count(), 0, 'no script');
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(fits, 'no sideways scrolling on a 390 px phone');
    const fontPx = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(fontPx >= 14, `readable text (${fontPx}px)`);
    await screenshot(page, 'trace-public-phone');
    await page.goto(`/01/${TEA}/10/LOT-CHE-2025-01?lang=en`);
    assert.match(await page.locator('body').innerText(), /Pesticide checks passed/);
    await screenshot(page, 'trace-public-phone-en');
    await page.context().close();
  }],

  ['the held lot\'s page says only that it is under review; an unknown lot is a clear 404', async (env) => {
    const page = await phoneWithoutScript(env);
    let res = await page.goto(`/01/${TEA}/10/LOT-CHE-2025-02`);
    assert.equal(res.status(), 200);
    const held = await page.locator('body').innerText();
    assert.match(held, /đang được cơ quan quản lý xem xét/);
    assert.doesNotMatch(held, /2025-07-31|VN-/, 'nothing else of the held lot');
    await screenshot(page, 'trace-public-held-phone');
    res = await page.goto(`/01/${TEA}/10/LOT-KHONG-CO`);
    assert.equal(res.status(), 404);
    assert.match(await page.locator('body').innerText(), /Không có lô hàng với mã này/);
    // The macadamia lot under the tea GTIN is no lot of tea.
    res = await page.goto(`/01/${TEA}/10/LOT-MCA-2025-01`);
    assert.equal(res.status(), 404);
    await screenshot(page, 'trace-public-404-phone');
    await page.context().close();
  }],

  ['the public portal links to the lots\' public pages, never to a held lot', async (env) => {
    const page = await phoneWithoutScript(env);
    const res = await page.goto('/cong-khai');
    assert.equal(res.status(), 200);
    const links = await page.locator('#truy-xuat a').evaluateAll((a) => a.map((x) => x.getAttribute('href')));
    assert.ok(links.includes(`/01/${TEA}/10/LOT-CHE-2025-01`), links.join(' '));
    assert.ok(!links.some((l) => l.endsWith('/LOT-CHE-2025-02')), 'the held lot is not linked');
    await page.locator(`#truy-xuat a[href="/01/${TEA}/10/LOT-CHE-2025-01"]`).click();
    await page.waitForURL(/LOT-CHE-2025-01$/);
    assert.match(await page.locator('body').innerText(), /Hành trình của lô/);
    await page.context().close();
  }],
];

await run(tests);
