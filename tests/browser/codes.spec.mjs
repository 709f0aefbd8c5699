// Mã số vùng trồng, as the people who use it (docs/area-codes.md): the province officer
// reads the register on a laptop, filters it by status, sees the codes' parcels on the
// map coloured by status, opens the code the demo's check suspended (its findings, the
// system's step) and reinstates it with a reason and a decision (refused without a
// reason, the message under the field); the inspector reads the register and a code on
// a phone and is offered no action. Screens at phone and laptop size.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, expectApiError, DEMO, LAPTOP, PHONE } from './lib/harness.mjs';
import { apiClient } from './lib/registry_fixture.mjs';

async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('.loading, [aria-busy=true]'), null, { timeout: 30000 });
}

function noErrors(page) {
  const errs = page.errors.filter((e) => !/401|403|404|409|400/.test(e));
  assert.deepEqual(errs, [], 'no page errors');
  assert.deepEqual(page.externalRequests, [], 'nothing fetched from outside the server');
}

const tests = [
  ['the province officer filters the register, sees it on the map and reinstates the suspended code', async (env) => {
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const all = await api.get('/api/v1/codes?page_size=200');
    const suspended = all.items.filter((c) => c.status === 'suspended');
    assert.ok(suspended.length >= 1, 'the demo check suspended a code');
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    // The nav entry is real: it leads to the register, not to a "planned" page.
    await page.locator('nav.app-nav a.nav-link[data-path="/codes"]').click();
    await page.locator('[data-testid=codes-table]').waitFor();
    await settled(page);
    assert.equal(await page.locator('nav.app-nav a.nav-link[data-path="/codes"] .nav-planned').count(), 0);
    assert.equal(await page.locator('[data-testid=codes-table] tbody tr').count(), Math.min(all.total, 50));
    assert.match(await page.locator('h1').innerText(), /Mã số vùng trồng/);
    await screenshot(page, 'codes-list-laptop');
    // The status filter: the rows are the suspended ones, and the URL keeps it.
    await page.locator('select[name=status]').selectOption('suspended');
    await page.waitForFunction(() => location.search.includes('status=suspended'));
    await settled(page);
    const statuses = await page.locator('[data-testid=codes-table] tbody tr').evaluateAll((r) => r.map((x) => x.dataset.status));
    assert.deepEqual(statuses, suspended.map(() => 'suspended'));
    // The register on the map: the codes' parcels, coloured by status.
    await page.locator('[data-tab=map]').click();
    await page.locator('[data-testid=codes-legend]').waitFor();
    await page.locator('[data-testid=codes-map-status][data-features]').waitFor({ timeout: 30000 });
    const mapped = await api.get('/api/v1/codes/map?status=suspended');
    assert.ok(mapped.features.length > 0, 'the suspended code has parcels');
    await page.locator('select[name=status]').selectOption('suspended');
    await page.locator(`[data-testid=codes-map-status][data-features="${mapped.features.length}"]`).waitFor({ timeout: 30000 });
    await page.locator('select[name=status]').selectOption('');
    const allMapped = await api.get('/api/v1/codes/map');
    await page.locator(`[data-testid=codes-map-status][data-features="${allMapped.features.length}"]`).waitFor({ timeout: 30000 });
    await page.waitForTimeout(500);
    await screenshot(page, 'codes-map-laptop');

    // The suspended code: its findings, the system's step, the actions open to it.
    const code = suspended[0];
    await page.goto(`/codes/${code.id}`);
    await page.locator('[data-testid=code-title]').waitFor();
    await settled(page);
    assert.equal(await page.locator('[data-testid=code-title]').innerText(), code.code);
    const findings = await page.locator('[data-testid=code-findings] li').evaluateAll((l) => l.map((x) => x.dataset.finding));
    assert.ok(findings.includes('below_minimum'), findings.join(','));
    assert.match(await page.locator('[data-testid=code-steps]').innerText(), /Hệ thống/);
    const offered = await page.locator('select[name=action] option').evaluateAll((o) => o.map((x) => x.value));
    assert.deepEqual(offered, ['confirm', 'reinstate', 'cancel']);
    await page.locator('[data-testid=code-map][data-ready=true]').waitFor({ timeout: 30000 });
    await screenshot(page, 'code-page-laptop');
    // Without a reason the server refuses, with the message under the field.
    expectApiError(page, { status: 400, url: new RegExp(`/api/v1/codes/${code.id}/steps$`), method: 'POST' });
    await page.locator('select[name=action]').selectOption('reinstate');
    await page.locator('[data-testid=code-act]').click();
    await page.locator('.field[data-field=reason].invalid').waitFor();
    await page.locator('textarea[name=reason]').fill('Đã kiểm tra thực địa, diện tích đạt sau đo đạc lại');
    await page.locator('input[name=decision_no]').fill('25/QĐ-TTBVTV');
    await page.locator('[data-testid=code-act]').click();
    await page.locator('.page-head [data-status=issued]').waitFor();
    const after = await api.get(`/api/v1/codes/${code.id}`);
    assert.equal(after.status, 'issued');
    assert.equal(after.steps.at(-1).action, 'reinstate');
    assert.equal(after.steps.at(-1).decision_no, '25/QĐ-TTBVTV');
    assert.match(await page.locator('[data-testid=code-steps]').innerText(), /25\/QĐ-TTBVTV/);
    noErrors(page);
    await page.context().close();
  }],

  ['the inspector reads the register and a code on a phone and is offered no action', async (env) => {
    const api = await apiClient(env.base, DEMO.inspector);
    const all = await api.get('/api/v1/codes?page_size=200');
    assert.ok(all.items.length > 0);
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.inspector);
    await page.goto('/codes');
    await page.locator('[data-testid=codes-table]').waitFor();
    await settled(page);
    assert.equal(await page.locator('[data-testid=codes-check]').count(), 0, 'the check is the province\'s');
    await screenshot(page, 'codes-list-phone');
    const withFindings = all.items.slice(0, 50).find((c) => c.kind === 'area' && c.code) ?? all.items[0];
    await page.locator(`[data-testid=codes-table] tr[data-code="${withFindings.code}"] a`).first().click();
    await page.locator('[data-testid=code-title]').waitFor();
    await settled(page);
    assert.equal(await page.locator('[data-testid=code-actions]').count(), 0);
    await screenshot(page, 'code-page-phone');
    await page.goto('/codes?view=map');
    await page.locator('[data-testid=codes-map-status][data-features]').waitFor({ timeout: 30000 });
    await page.waitForTimeout(500);
    await screenshot(page, 'codes-map-phone');
    noErrors(page);
    await page.context().close();
  }],
];

await run(tests);
