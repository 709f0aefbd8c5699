// Nhật ký canh tác, as the people who use it (docs/diary.md): a cooperative writes a
// spray on its own parcel on a phone, picking the product from the reference list with
// its status, and sees the findings at once in Vietnamese; a harvest without a lot is
// refused under the field; the province officer reads the demo's findings with the
// entries behind them and clears the held lot with a reason (refused without one); the
// inspector reads and cannot clear. Screens at phone and laptop size.
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
  ['a cooperative writes a spray on its own parcel on a phone and sees the findings at once', async (env) => {
    const coop = await apiClient(env.base, DEMO.coop);
    const mine = await coop.get('/api/v1/parcels?page_size=5');
    assert.ok(mine.items.length > 0, 'the demo cooperative has parcels');
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.coop);
    await page.goto('/diary');
    await page.locator('form.diary-form').waitFor();
    await settled(page);
    // Only its own parcels are offered.
    const offered = await page.locator('select[name=parcel_id] option').evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
    const all = await coop.get('/api/v1/parcels?page_size=500');
    assert.deepEqual(offered.sort(), all.items.map((p) => String(p.id)).sort());
    await page.locator('select[name=parcel_id]').selectOption(String(mine.items[0].id));
    await page.locator('select[name=kind]').selectOption('spray');
    // The product list says which one has a banned ingredient.
    const label = await page.locator('select[name=product] option[value="MH-MIX-25WP"]').innerText();
    assert.match(label, /chứa hoạt chất cấm/);
    await page.locator('select[name=product]').selectOption('MH-MIX-25WP');
    assert.match(await page.locator('[data-testid=product-hint]').innerText(), /chứa hoạt chất cấm/);
    await page.locator('input[name=dose_per_ha]').fill('1');
    await page.locator('[data-testid=save-entry]').click();
    await page.locator('[data-testid=entry-findings]').waitFor();
    const kinds = await page.locator('[data-testid=entry-findings] li').evaluateAll((l) => l.map((x) => x.dataset.finding));
    assert.ok(kinds.includes('banned'), kinds.join(','));
    assert.match(await page.locator('[data-testid=entry-findings]').innerText(), /Hoạt chất cấm/);
    await page.locator('[data-testid=entries] tbody tr').first().waitFor();
    await screenshot(page, 'diary-entry-phone');
    // A harvest needs its lot: the server's refusal shows under the field.
    expectApiError(page, { status: 400, url: /\/api\/v1\/diary\/entries$/, method: 'POST' });
    await page.locator('select[name=kind]').selectOption('harvest');
    await page.locator('input[name=quantity_kg]').fill('100');
    await page.locator('[data-testid=save-entry]').click();
    await page.locator('.field[data-field=lot].invalid').waitFor();
    noErrors(page);
    await page.context().close();
  }],

  ['the province officer reads the findings with their entries and clears the held lot with a reason', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.locator('nav.app-nav a.nav-link[data-path="/diary"]').click();
    await page.goto('/diary/findings');
    await page.locator('[data-testid=findings-table]').waitFor();
    await settled(page);
    const kinds = new Set(await page.locator('[data-testid=findings-table] tbody tr').evaluateAll((r) => r.map((x) => x.dataset.finding)));
    for (const k of ['unregistered', 'banned', 'not_for_crop', 'over_dose', 'phi_not_passed']) assert.ok(kinds.has(k), `the demo has ${k}`);
    // The entries behind a harvest too soon: the harvest and the spray.
    assert.match(await page.locator('[data-testid=findings-table] tr[data-finding=phi_not_passed]').first().innerText(), /sau lần phun NK-MH-T/);
    const held = page.locator('.lot-card[data-lot="LOT-CHE-2025-02"]');
    await held.waitFor();
    assert.equal(await held.getAttribute('data-held'), 'true');
    assert.equal(await page.locator('.lot-card[data-lot="LOT-CHE-2025-03"]').getAttribute('data-held'), 'false');
    assert.match(await page.locator('.lot-card[data-lot="LOT-CHE-2025-03"] [data-testid=clearance]').innerText(), /dư lượng/);
    await screenshot(page, 'diary-findings-laptop');
    // Without a reason the server refuses, with the message under the field.
    expectApiError(page, { status: 400, url: /\/api\/v1\/diary\/lots\/LOT-CHE-2025-02\/clear$/, method: 'POST' });
    await held.locator('[data-testid=clear-hold]').click();
    await held.locator('.field[data-field=reason].invalid').waitFor();
    await held.locator('textarea[name=reason]').fill('Mẫu xét nghiệm dư lượng đạt (phiếu số 12/2025)');
    await held.locator('[data-testid=clear-hold]').click();
    await page.locator('.lot-card[data-lot="LOT-CHE-2025-02"][data-held=false]').waitFor();
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const status = await api.get('/api/v1/diary/lots/LOT-CHE-2025-02');
    assert.equal(status.held, false);
    assert.equal(status.holds[0].clearance.reason, 'Mẫu xét nghiệm dư lượng đạt (phiếu số 12/2025)');
    noErrors(page);
    await page.context().close();
  }],

  ['the inspector reads the findings on a phone and cannot clear a hold', async (env) => {
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.inspector);
    await page.goto('/diary');
    await page.waitForURL(/\/diary\/findings/);
    await page.locator('[data-testid=findings-table]').waitFor();
    await settled(page);
    await page.locator('.lot-card').first().waitFor();
    assert.equal(await page.locator('[data-testid=clear-hold]').count(), 0);
    await screenshot(page, 'diary-findings-phone');
    noErrors(page);
    await page.context().close();
  }],
];

await run(tests);
