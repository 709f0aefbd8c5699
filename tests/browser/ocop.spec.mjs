// OCOP and certificates, as the people who use them, on the demo's illustrative
// products (data/demo/ocop/ocop.json, relative to the day the demo runs): the province
// officer's list with stars and status counts equal to the API's, the provincial 90+
// with its proposal to the centre, the expiry calendar with the owners to notify, the
// product page with its revocation, quality watch and dossier sections (each filled as
// the API says or with its reason), the lab results with the failed honey test and one
// entered in the page, a downgrade decided
// in the page, a refused decision shown in the server's words, the inspector who reads
// without the forms, the certificates near expiry; every screen at phone and laptop size.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, expectApiError, DEMO, LAPTOP, PHONE } from './lib/harness.mjs';
import { apiClient } from './lib/registry_fixture.mjs';

async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('.loading, [aria-busy=true]'), null, { timeout: 30000 });
}

function noErrors(page) {
  const errs = page.errors.filter((e) => !/400|401|403|404|409/.test(e));
  assert.deepEqual(errs, [], 'no page errors');
  assert.deepEqual(page.externalRequests, [], 'nothing fetched from outside the server');
}

// The day the pages use: the browser runs in Vietnam's time (UTC+7), so after 17:00 UTC
// it is already tomorrow there.
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());

const tests = [
  ['the quality watch lists the findings with origin and state; an officer runs it', async (env) => {
    for (const [viewport, tag] of [[LAPTOP, 'laptop'], [PHONE, 'phone']]) {
      const page = await newPage(env, { viewport });
      await login(page, DEMO.provinceOfficer);
      await page.goto('/ocop');
      await page.locator('[data-tab=watch]').click();
      await page.locator('[data-testid=ocop-findings]').waitFor();
      await settled(page);
      const api = await apiClient(env.base, DEMO.provinceOfficer);
      const open = await api.get('/api/v1/ocop/findings?state=open');
      assert.ok(open.items.length > 0, 'the demo has an open finding (the honey test)');
      assert.equal(await page.locator('[data-testid=findings-table] tbody tr').count(), open.items.length);
      const lab = open.items.find((f) => f.origin_kind === 'lab');
      assert.ok(lab, 'a finding raised by a failed lab test');
      const row = page.locator(`[data-testid=findings-table] tr[data-product="${lab.product}"][data-kind=lab_failed]`).first();
      assert.match(await row.locator('[data-origin=lab]').innerText(), /Kết quả kiểm nghiệm #\d+/);
      assert.match(await row.innerText(), /Chưa xử lý/);
      // Running the watch again raises nothing new: each finding is raised once.
      await page.locator('[data-testid=run-watch]').click();
      await page.locator('[data-testid=watch-result] .alert').waitFor();
      assert.match(await page.locator('[data-testid=watch-result]').innerText(), /Không có phát hiện mới|Đã phát hiện/);
      await settled(page);
      await screenshot(page, `ocop-watch-${tag}`);
      // The expiry calendar: each certificate with the day its owner is notified (30 days before).
      await page.locator('[data-tab=calendar]').click();
      await page.locator('text=/Thông báo|thông báo/').first().waitFor();
      await settled(page);
      await screenshot(page, `ocop-calendar-notices-${tag}`);
      noErrors(page);
    }
  }],
  ['the province officer sees the OCOP products with stars, counted as the API counts them', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.locator('nav.app-nav a.nav-link[data-path="/ocop"]').click();
    await page.locator('[data-testid=ocop-table]').waitFor();
    await settled(page);
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const status = await api.get(`/api/v1/ocop/status?on=${today()}`);
    assert.ok(status.items.length >= 8, `${status.items.length} products`);
    for (const s of ['valid', 'expiring', 'expired', 'revoked', 'none']) {
      const n = status.items.filter((i) => i.status === s).length;
      assert.equal(await page.locator(`[data-testid=count-${s}]`).getAttribute('data-value'), String(n), `count ${s}`);
      assert.ok(n > 0 || s === 'none', `the demo has a ${s} product`);
    }
    const rows = await page.locator('[data-testid=ocop-table] tbody tr').evaluateAll((r) => r.map((x) => [x.dataset.product, x.dataset.status]));
    assert.deepEqual(rows, status.items.map((i) => [i.product, i.status]));
    // A provincial 92: 4 stars and the proposal to the centre, in Vietnamese.
    const mac = page.locator('tr[data-product="OCOP-MH-02"]');
    assert.equal(await mac.locator('[data-stars]').getAttribute('data-stars'), '4');
    assert.match(await mac.innerText(), /đề xuất Trung ương/);
    assert.match(await page.locator('tr[data-product="OCOP-MH-01"]').innerText(), /Sắp hết hạn/);
    // Filtered by status in the URL.
    await page.locator('select[name=status]').selectOption('expiring');
    await page.waitForURL(/status=expiring/);
    await settled(page);
    const shown = await page.locator('[data-testid=ocop-table] tbody tr').evaluateAll((r) => r.map((x) => x.dataset.status));
    assert.ok(shown.length >= 2 && shown.every((s) => s === 'expiring'), shown.join(','));
    noErrors(page);
    await page.context().close();
  }],

  ['the expiry calendar lists the certificates by month with the day the owner is notified', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto('/ocop/calendar');
    await page.locator('[data-testid=ocop-calendar] .ocop-month').first().waitFor();
    await settled(page);
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const to = new Date(Date.now() + 365 * 86400000).toISOString().slice(0, 10);
    const cal = await api.get(`/api/v1/ocop/calendar?from=${today()}&to=${to}`);
    const listed = await page.locator('[data-testid=ocop-calendar] li[data-product]').evaluateAll((l) => l.map((x) => x.dataset.product));
    assert.deepEqual(listed, cal.items.map((i) => i.product));
    assert.match(await page.locator('[data-testid=ocop-calendar]').innerText(), /cần thông báo cho chủ thể/);
    noErrors(page);
    await page.context().close();
  }],

  ['the product page: a revocation on a failed lab test, the dossier with its gaps, a downgrade decided there', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto('/ocop/products/OCOP-MH-04');
    await page.locator('[data-testid=standing]').waitFor();
    await settled(page);
    assert.equal(await page.locator('[data-testid=standing]').getAttribute('data-status'), 'revoked');
    assert.match(await page.locator('[data-testid=findings]').innerText(), /Kiểm nghiệm không đạt/);
    // The finding the revocation closed shows its state and the decision (docs/ocop.md "Quality watch").
    assert.match(await page.locator('[data-testid=findings] li[data-state=decided]').first().innerText(), /Đã thu hồi · \d\d\/\d\d\/\d{4}/);
    // Every section of the dossier, filled as the API says or with the server's reason.
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const d = await api.get(`/api/v1/ocop/products/OCOP-MH-04/dossier?on=${today()}`);
    const sections = await page.locator('[data-testid=dossier] section[data-section]').evaluateAll((l) => l.map((x) => [x.dataset.section, x.dataset.filled, x.innerText]));
    assert.deepEqual(sections.map((x) => x[0]), ['area_codes', 'diary', 'lots', 'volumes', 'certificates', 'linkage', 'lab_results']);
    for (const [key, filled, text] of sections) {
      assert.equal(filled, String(d.sections[key].filled), key);
      if (filled === 'false') assert.ok(text.includes(d.sections[key].gap_vi), `${key}: ${text}`);
    }
    const gaps = await page.locator('[data-testid=gaps] li').evaluateAll((l) => l.map((x) => x.dataset.gap));
    assert.deepEqual(gaps, d.gaps.map((g) => g.key));

    // A downgrade of the tea product, decided in the page.
    await page.goto('/ocop/products/OCOP-MH-01');
    await page.locator('[data-testid=decision-form]').waitFor();
    await settled(page);
    assert.equal(await page.locator('[data-testid=standing]').getAttribute('data-stars'), '4');
    // Without a reason the server refuses, in Vietnamese, next to the field.
    expectApiError(page, { status: 400, url: /\/decisions$/, method: 'POST' });
    const form = page.locator('[data-testid=decision-form]');
    await form.locator('select[name=stars]').selectOption('3');
    await form.locator('input[name=reason]').evaluate((i) => i.removeAttribute('required'));
    await form.locator('button[type=submit]').click();
    await form.locator('.field-error:not(:empty), .alert').first().waitFor();
    assert.match(await form.innerText(), /lý do|Lý do/);
    await form.locator('input[name=reason]').fill('Kết quả giám sát chất lượng (thử)');
    await form.locator('button[type=submit]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=standing]')?.getAttribute('data-stars') === '3', null, { timeout: 30000 });
    assert.match(await page.locator('[data-testid=events]').innerText(), /Hạ xuống 3 sao/);
    noErrors(page);
    await page.context().close();
  }],

  ['lab results: the failed honey test raised its finding; a result recorded in the page', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto('/ocop/products/OCOP-MH-03');
    await page.locator('[data-testid=lab-results]').waitFor();
    await settled(page);
    const labs = page.locator('[data-testid=lab-results] li');
    assert.equal(await labs.first().getAttribute('data-passed'), 'false');
    assert.match(await labs.first().innerText(), /Không đạt/);
    assert.match(await labs.first().innerText(), /minh họa/);
    assert.match(await page.locator('[data-testid=findings]').innerText(), /Kiểm nghiệm không đạt/);
    // A passing result entered in the form shows as passed, computed by the server.
    const form = page.locator('[data-testid=lab-form]');
    const sample = `KN-TEST-${Date.now()}`;
    await form.locator('input[name=sample]').fill(sample);
    await form.locator('input[name=laboratory]').fill('Phòng thử nghiệm (thử)');
    await form.locator('input[name=parameter]').fill('Chì (Pb)');
    await form.locator('select[name=category]').selectOption('heavy_metal');
    await form.locator('input[name=value]').fill('0.05');
    await form.locator('input[name=unit]').fill('mg/kg');
    await form.locator('input[name=limit]').fill('1');
    await form.locator('button[type=submit]').click();
    await page.waitForFunction((s) => [...document.querySelectorAll('[data-testid=lab-results] li')].some((li) => li.textContent.includes(s)), sample, { timeout: 30000 });
    const mine = page.locator('[data-testid=lab-results] li', { hasText: sample });
    assert.equal(await mine.getAttribute('data-passed'), 'true');
    assert.match(await mine.innerText(), /Đạt/);
    noErrors(page);
    await page.context().close();
  }],

  ['the inspector reads the products and certificates without the forms', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.inspector);
    await page.goto('/ocop/products/OCOP-MH-02');
    await page.locator('[data-testid=dossier]').waitFor();
    await settled(page);
    assert.equal(await page.locator('[data-testid=decision-form]').count(), 0);
    assert.equal(await page.locator('[data-testid=finding-form]').count(), 0);
    await page.goto('/ocop/certificates?status=expiring');
    await page.locator('[data-testid=certificates-table]').waitFor();
    await settled(page);
    const codes = await page.locator('[data-testid=certificates-table] tbody tr').evaluateAll((r) => r.map((x) => x.dataset.code));
    assert.ok(codes.includes('VG-MH-001'), codes.join(','));
    assert.match(await page.locator('tr[data-code="VG-MH-001"]').innerText(), /VietGAP/);
    assert.match(await page.locator('tr[data-code="VG-MH-001"]').innerText(), /minh họa/);
    noErrors(page);
    await page.context().close();
  }],

  ['every OCOP screen at phone and laptop size', async (env) => {
    const screens = [
      ['products', '/ocop', '[data-testid=ocop-table]'],
      ['calendar', '/ocop/calendar', '[data-testid=ocop-calendar]'],
      ['product', '/ocop/products/OCOP-MH-02', '[data-testid=dossier]'],
      ['product-lab', '/ocop/products/OCOP-MH-03', '[data-testid=lab-results]'],
      ['certificates', '/ocop/certificates', '[data-testid=certificates-table]'],
    ];
    for (const [size, viewport] of [['phone', PHONE], ['laptop', LAPTOP]]) {
      const page = await newPage(env, { viewport });
      await login(page, DEMO.provinceOfficer);
      for (const [name, url, sel] of screens) {
        await page.goto(url);
        await page.locator(sel).first().waitFor({ state: 'attached', timeout: 30000 });
        await settled(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 1, `${name} at ${size}: no sideways scrolling (${overflow}px)`);
        await screenshot(page, `ocop-${name}-${size}`);
      }
      noErrors(page);
      await page.context().close();
    }
  }],
];

await run(tests);
