// Field inspections as the officers use them, on the demo's illustrative inspections
// (src/app/demo/demo_inspection.cpp): the list as the API gives it, the closed
// inspection with its answers, measured boundary beside the registered one, photo,
// decided finding and sync log with device and server times; a finding dismissed in
// the page; a decision the server refuses shown beside its field; the inspector who
// reads without the decision form; every screen at phone and laptop size.
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

const tests = [
  ['the province officer lists the inspections as the API does and opens the decided one', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.locator('nav.app-nav a.nav-link[data-path="/inspections"]').click();
    await page.locator('[data-testid=inspections]').waitFor();
    await settled(page);
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const list = await api.get('/api/v1/inspections');
    const rows = await page.locator('[data-testid=inspections] tbody tr').evaluateAll((r) => r.map((x) => x.dataset.code));
    assert.deepEqual(rows, list.items.map((i) => i.code));
    // The demo's three field inspections, and those its saved plan assigned.
    assert.ok(rows.length >= 3, `${rows.length} rows`);
    assert.match(await page.locator('[data-testid=inspections]').innerText(), /minh họa/);
    const closed = list.items.find((i) => i.status === "closed");
    assert.ok(closed, "the demo closed one inspection");
    await page.locator(`tr[data-code="${closed.code}"] a`).click();
    await page.locator('[data-testid=inspection]').waitFor();
    await settled(page);
    const text = await page.locator('[data-testid=inspection]').innerText();
    assert.match(text, /Đã kết thúc/);
    assert.match(text, /Ranh giới thực địa khớp với bản đồ/);
    assert.match(await page.locator('[data-testid=areas]').innerText(), /VN-2000/);
    assert.equal(await page.locator('[data-testid=photos] img').count(), 1);
    const decided = page.locator('[data-testid=findings] [data-status=decided]');
    assert.match(await decided.innerText(), /Chỉnh lý ranh giới thửa đất/);
    assert.equal(await decided.locator('[data-testid=decision-form]').count(), 0);
    const log = await page.locator('[data-testid=sync-log]').innerText();
    assert.match(log, /2026-03-02T09:40:00\+07:00/, 'the device time');
    assert.match(log, /Z/, 'the server time');
    noErrors(page);
    await page.context().close();
  }],

  ['a finding dismissed in the page; a refused decision names its field', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const open = (await api.get('/api/v1/inspections?status=open')).items[0];
    await page.goto(`/inspections/${open.code}`);
    const form = page.locator('[data-testid=decision-form]').first();
    await form.waitFor();
    // Recovering money names no application: the server refuses, naming the target.
    expectApiError(page, { status: 400, url: /\/decisions$/, method: 'POST' });
    await form.locator('select[name=action]').selectOption('recover');
    await form.locator('input[name=reason]').fill('Thu hồi');
    await form.locator('input[name=decision_no]').fill('9/QĐ');
    await form.locator('input[name=amount]').fill('1000000');
    await form.locator('button[type=submit]').click();
    await form.locator('.field-error:not(:empty), [role=alert]').first().waitFor();
    assert.match(await form.innerText(), /target|đối tượng|hồ sơ/i);
    await form.locator('select[name=action]').selectOption('dismiss');
    await form.locator('input[name=reason]').fill('Không có căn cứ (minh họa)');
    await form.locator('button[type=submit]').click();
    await page.locator('[data-testid=findings] [data-status=dismissed]').waitFor();
    const after = await api.get(`/api/v1/inspections/${open.code}`);
    assert.equal(after.findings[0].status, 'dismissed');
    noErrors(page);
    await page.context().close();
  }],

  ['the inspector reads their inspections without the decision form', async (env) => {
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.inspector);
    await page.goto('/inspections');
    await page.locator('[data-testid=inspections]').waitFor();
    await settled(page);
    const first = await page.locator('[data-testid=inspections] tbody tr').first().getAttribute('data-code');
    await page.goto(`/inspections/${first}`);
    await page.locator('[data-testid=inspection]').waitFor();
    await settled(page);
    assert.equal(await page.locator('[data-testid=decision-form]').count(), 0);
    noErrors(page);
    await page.context().close();
  }],

  ['every inspection screen at phone and laptop size', async (env) => {
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const code = (await api.get('/api/v1/inspections?status=closed')).items[0].code;
    const screens = [
      ['list', '/inspections', '[data-testid=inspections]'],
      ['detail', `/inspections/${code}`, '[data-testid=sync-log]'],
    ];
    for (const [size, viewport] of [['phone', PHONE], ['laptop', LAPTOP]]) {
      const page = await newPage(env, { viewport });
      await login(page, DEMO.provinceOfficer);
      for (const [name, url, sel] of screens) {
        await page.goto(url);
        await page.locator(sel).first().waitFor({ state: 'attached', timeout: 30000 });
        await settled(page);
        await page.waitForTimeout(500);  // the map's tiles are drawn from local data; give it a frame
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 1, `${name} at ${size}: no sideways scrolling (${overflow}px)`);
        await screenshot(page, `inspection-${name}-${size}`);
      }
      noErrors(page);
      await page.context().close();
    }
  }],
];

await run(tests);
