// Chuỗi liên kết, as the people who use it, on the demo's illustrative chains: the
// province officer's contract list with the year's fulfilment and warnings, a contract
// with the fulfilment per party, the planted side-seller and the refused offer named,
// the chain drawn as a diagram and on the small map, a delivery recorded (and a bad
// quantity refused in the server's words), the facilities with capacity against supply,
// and a commune officer who sees only the chains of their scope. Phone and laptop.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, expectApiError, DEMO, LAPTOP, PHONE } from './lib/harness.mjs';

async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('.loading, [aria-busy=true]'), null, { timeout: 30000 });
}

const tests = [
  ['the province officer sees the four illustrative chains with fulfilment and warnings', async (env) => {
    for (const [viewport, tag] of [[LAPTOP, 'laptop'], [PHONE, 'phone']]) {
      const page = await newPage(env, { viewport });
      await login(page, DEMO.provinceOfficer);
      await page.goto('/chains?year=2025');
      await page.locator('[data-testid=contract-table]').waitFor();
      await settled(page);
      const codes = await page.locator('[data-testid=contract-table] [data-code]').evaluateAll((rows) => rows.map((r) => r.dataset.code));
      assert.deepEqual(codes.sort(), ['DEMO-LK-CHANHLEO', 'DEMO-LK-CHE', 'DEMO-LK-MACCA', 'DEMO-LK-NGONGOT']);
      assert.ok(await page.locator('[data-testid=illustrative]').isVisible(), 'the data are labelled illustrative');
      assert.match(await page.locator('h1').innerText(), /Chuỗi liên kết/);
      await screenshot(page, `chains-list-${tag}`);
    }
  }],
  ['a contract shows fulfilment per party, the side-seller and the refused offer, the chain and its map', async (env) => {
    for (const [viewport, tag] of [[LAPTOP, 'laptop'], [PHONE, 'phone']]) {
      const page = await newPage(env, { viewport });
      await login(page, DEMO.provinceOfficer);
      await page.goto('/chains?year=2025');
      await page.locator('[data-code=DEMO-LK-CHE] a').click();
      await page.locator('[data-testid=party-table]').waitFor();
      await settled(page);
      assert.equal(await page.locator('[data-testid=party-table] [data-participant]').count(), 6);
      const kinds = await page.locator('[data-testid=warnings] li').evaluateAll((li) => li.map((x) => x.dataset.kind).sort());
      assert.deepEqual(kinds, ['non_purchase', 'side_selling']);
      assert.match(await page.locator('[data-kind=side_selling]').innerText(), /bán ra ngoài/);
      assert.match(await page.locator('[data-kind=non_purchase]').innerText(), /không thu mua/);
      const layers = await page.locator('[data-testid=chain-diagram] .cd-node').evaluateAll((g) => [...new Set(g.map((x) => x.getAttribute('class')))]);
      for (const l of ['cd-land', 'cd-household', 'cd-lead', 'cd-processor', 'cd-buyer']) assert.ok(layers.some((c) => c.includes(l)), `the diagram shows ${l}`);
      assert.ok(await page.locator('[data-testid=chain-map] path').count() > 0, 'the zone is on the map');
      await screenshot(page, `chains-contract-${tag}`);
      await page.locator('[data-testid=chain-diagram]').scrollIntoViewIfNeeded();
      await screenshot(page, `chains-diagram-${tag}`);
    }
  }],
  ['a delivery is recorded from the form, and a bad quantity is refused in the server’s words', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto('/chains?year=2025');
    await page.locator('[data-code=DEMO-LK-MACCA] a').click();
    await page.locator('[data-testid=delivery-table]').waitFor();
    const before = await page.locator('[data-testid=delivery-table] tbody tr').count();
    await page.locator('details.add-form summary').click();
    const form = page.locator('[data-testid=delivery-form]');
    await form.locator('input[name=date]').fill('2025-11-20');
    await form.locator('input[name=quantity_kg]').fill('-5');
    expectApiError(page, { status: 400, method: 'POST', url: /\/api\/v1\/chains\/contracts\/\d+\/deliveries$/ });
    await page.locator('[data-testid=save-delivery]').click();
    const fieldError = page.locator('[data-testid=delivery-form] .field-error:not(:empty)').first();
    await fieldError.waitFor();
    assert.match(await fieldError.innerText(), /0/, 'the quantity must be 0 or more, in Vietnamese');
    await screenshot(page, 'chains-delivery-refused-laptop');
    await form.locator('input[name=quantity_kg]').fill('42,5');
    await page.locator('[data-testid=save-delivery]').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=delivery-table] tbody tr').length === n + 1, before, { timeout: 15000 });
  }],
  ['the facilities page sets capacity against the zones’ expected output', async (env) => {
    for (const [viewport, tag] of [[LAPTOP, 'laptop'], [PHONE, 'phone']]) {
      const page = await newPage(env, { viewport });
      await login(page, DEMO.provinceOfficer);
      await page.goto('/chains/facilities');
      await page.locator('[data-testid=supply-table]').waitFor();
      await settled(page);
      const statuses = await page.locator('[data-testid=supply-table] [data-commodity]').evaluateAll((r) => r.map((x) => `${x.dataset.commodity}:${x.dataset.status}`));
      assert.ok(statuses.length >= 3, statuses.join());
      assert.ok(statuses.some((s) => s.endsWith(':shortfall') || s.endsWith(':surplus')), statuses.join());
      assert.ok(await page.locator('[data-testid=facility-table]').isVisible());
      await screenshot(page, `chains-facilities-${tag}`);
    }
  }],
  ['a commune officer sees only the chains of their commune', async (env) => {
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.communeOfficer);
    await page.goto('/chains?year=2025');
    await page.locator('[data-testid=contract-table], [data-testid=contracts-empty]').first().waitFor();
    const codes = await page.locator('[data-testid=contract-table] [data-code]').evaluateAll((rows) => rows.map((r) => r.dataset.code));
    assert.ok(codes.length < 4, `a commune officer sees ${codes.length} of the province's 4 chains`);
  }],
];

await run(tests);
