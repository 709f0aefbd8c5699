// Kiểm tra, giám sát, as the people who use it: the province officer sees the demo's
// saved plan (illustrative) with each entry's reason, score parts and inspector, previews
// a plan from year, share, risk share and seed (the same seed twice gives the same
// entries), is refused a share over 100 with the field named, saves a plan and lands on
// it; changes a risk weight (audited) and sees it back; reads the registry-quality
// summary of the demo's sample. A unit officer has no planning form; the inspector reads.
// Every screen at phone and laptop size.
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

async function entries(page) {
  return page.locator('[data-testid=plan-preview] tbody tr').evaluateAll((rows) =>
    rows.map((r) => `${r.getAttribute('data-applicant')}:${r.getAttribute('data-reason')}`));
}

const tests = [
  ['the officer previews a plan: the same seed gives the same entries, a bad share names the field', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    // The nav leads to the inspections; the plans are one link away.
    await page.locator('nav.app-nav a.nav-link[data-path="/inspections"]').click();
    await page.locator('[data-testid=to-plans]').click();
    await page.locator('[data-testid=plan-form]').waitFor();
    await settled(page);
    assert.match(await page.locator('h1').innerText(), /Kiểm tra, giám sát/);
    await page.locator('input[name=year]').fill('2025');
    await page.locator('input[name=share]').fill('20');
    await page.locator('input[name=seed]').fill('7');
    await page.locator('[data-testid=preview-plan]').click();
    await page.locator('[data-testid=plan-entries]').waitFor();
    const first = await entries(page);
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const want = await api.get('/api/v1/inspection/plans/preview?year=2025&share=20&risk_share=0.5&seed=7');
    assert.deepEqual(first, want.items.map((e) => `${e.applicant}:${e.reason}`), 'the page shows the API plan');
    assert.equal(first.length, Math.ceil(want.population * 0.2 - 1e-9), 'share rounded up');
    await page.locator('[data-testid=preview-plan]').click();
    await page.locator('[data-testid=plan-entries]').waitFor();
    assert.deepEqual(await entries(page), first, 'same seed, same plan');
    // Every score shows its parts with their weights.
    await page.locator('[data-testid=plan-entries] details.score-parts').first().click();
    assert.match(await page.locator('[data-testid=plan-entries] details.score-parts li[data-part=claim_risk]').first().innerText(), /Rủi ro hồ sơ hỗ trợ: 1 × [\d.,]+ = [\d.,]+/);
    await screenshot(page, 'inspection-preview-laptop');
    expectApiError(page, { status: 400, url: /\/inspection\/plans\/preview/ });
    await page.locator('input[name=share]').fill('150');
    await page.locator('[data-testid=preview-plan]').click();
    await page.locator('.field.invalid input[name=share]').waitFor();
    noErrors(page);
    await page.context().close();
  }],
  ['the officer saves a plan and sees its entries with inspectors; the demo plan is illustrative', async (env) => {
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.provinceOfficer);
    await page.goto('/inspections/plans');
    await page.locator('[data-testid=plans] a').first().waitFor();
    await settled(page);
    assert.match(await page.locator('[data-testid=plans]').innerText(), /KH-2025-001[\s\S]*minh họa/);
    await screenshot(page, 'inspection-home-phone');
    await page.locator('input[name=year]').fill('2025');
    await page.locator('input[name=share]').fill('15');
    await page.locator('input[name=seed]').fill('3');
    await page.locator('[data-testid=save-plan]').click();
    await page.waitForURL(/\/inspections\/plans\/KH-2025-\d{3}$/);
    await page.locator('[data-testid=plan-entries]').waitFor();
    await settled(page);
    const code = page.url().split('/').pop();
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const plan = await api.get(`/api/v1/inspection/plans/${code}`);
    assert.equal(await page.locator('[data-testid=plan-entries] tbody tr').count(), plan.items.length);
    assert.ok(plan.items.every((e) => e.inspector === 'inspector'), 'the demo inspector (province-wide) gets every entry');
    assert.match(await page.locator('[data-testid=plan-entries]').innerText(), /inspector/);
    await screenshot(page, 'inspection-plan-phone');
    noErrors(page);
    await page.context().close();
  }],
  ['weights are changed by the province and read by the inspector; the quality summary of the demo sample', async (env) => {
    for (const [size, viewport] of [['laptop', LAPTOP], ['phone', PHONE]]) {
      const page = await newPage(env, { viewport });
      await login(page, DEMO.provinceOfficer);
      await page.goto('/inspections/plans');
      await page.locator('[data-testid=weights-form] input[name="applicant.over_declared_history"]').waitFor();
      await page.locator('[data-testid=quality] [data-testid=q-measured]').waitFor();
      await settled(page);
      assert.equal(await page.locator('[data-testid=q-measured] .tile-value').innerText(), '8 / 12');
      // The demo's measurements are illustrative, and the page says so.
      await page.locator('[data-testid=quality-illustrative]').waitFor();
      await page.locator('[data-testid=quality]').scrollIntoViewIfNeeded();
      await screenshot(page, `inspection-quality-${size}`);
      if (size === 'laptop') {
        await page.locator('[data-testid=weights-form] input[name="applicant.over_declared_history"]').fill('12,5');
        await page.locator('[data-testid=save-weights]').click();
        await page.locator('[data-testid=weights] .flash').getByText('Đã lưu trọng số.').waitFor();
        const api = await apiClient(env.base, DEMO.inspector);
        const w = await api.get('/api/v1/inspection/weights');
        assert.equal(w.items.find((x) => x.subject_kind === 'applicant' && x.part === 'over_declared_history').weight, 12.5);
      }
      await page.locator('[data-testid=weights]').scrollIntoViewIfNeeded();
      await screenshot(page, `inspection-weights-${size}`);
      noErrors(page);
      await page.context().close();
    }
    // The inspector reads plans and weights but has no planning form nor weight inputs.
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.inspector);
    await page.goto('/inspections/plans');
    await page.locator('[data-testid=weights-form]').waitFor();
    await settled(page);
    assert.equal(await page.locator('[data-testid=plan-form]').count(), 0);
    assert.equal(await page.locator('[data-testid=weights-form] input').count(), 0);
    noErrors(page);
    await page.context().close();
  }],
];

await run(tests);
