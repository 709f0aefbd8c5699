// Targets and the mid-term review (Notice 752-TB/TU): the programme dashboard at
// 30/06/2023 shows what the review API returns (counts, bands, forecast marks);
// the indicator page draws its trend chart and choropleth and drills down to a
// district and to the records; an officer enters a value (a negative one is
// refused on the field), submits it, the province officer approves it (approved:
// no more edits); the report buttons point at the review document route.
import assert from 'node:assert/strict';
import path from 'node:path';
import { run, newPage, login, screenshot, repoRoot, expectApiError, DEMO, LAPTOP, PHONE } from './lib/harness.mjs';
import { importNq05 } from './lib/nq05.mjs';

const P = 'NQ05';
const AS_OF = '2023-06-30';
const MILESTONE = 2025;
const DASH = `/targets/${P}?milestone=${MILESTONE}&as_of=${AS_OF}`;


async function apiGet(page, url) {
  return page.evaluate(async (u) => {
    const r = await fetch(u, { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(`${u}: ${r.status} ${await r.text()}`);
    return r.json();
  }, url);
}

// The 401 of /auth/me before signing in is expected.
const scriptErrors = (page) => page.errors.filter((e) => !/401/.test(e));

async function noHorizontalOverflow(page) {
  const { sw, iw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: window.innerWidth }));
  assert.ok(sw <= iw + 1, `page is wider than the screen: ${sw} > ${iw}`);
}

async function noRawKeys(page) {
  const text = await page.locator('main').innerText();
  const m = text.match(/\b(targets|nav|common)\.[a-z_]+(\.[a-z_]+)?\b/);
  assert.equal(m, null, `untranslated key on the page: ${m?.[0]}`);
}

async function openDashboard(page) {
  await page.goto(DASH);
  await page.locator('[data-testid=review-table] tbody tr').first().waitFor();
  await page.waitForFunction(() => document.querySelector('.targets-body')?.dataset.loaded === 'true');
}

async function checkDashboardAgainstApi(page) {
  const r = await apiGet(page, `/api/v1/programmes/${P}/review?milestone=${MILESTONE}&as_of=${AS_OF}`);
  for (const k of ['achieved', 'over_half', 'low', 'no_data', 'forecast_missed']) {
    assert.equal(await page.locator(`[data-testid=review-summary] [data-testid=count-${k}]`).getAttribute('data-value'), String(r.counts[k]), `count ${k}`);
  }
  const head = page.locator('[data-testid=review-summary] [data-testid=headline]');
  assert.equal(await head.getAttribute('data-passed'), String(r.counts.passed_half));
  assert.equal(await head.getAttribute('data-total'), String(r.counts.total));
  assert.match(await head.innerText(), new RegExp(`${r.counts.passed_half}/${r.counts.total}`));
  const rows = page.locator('[data-testid=review-table] tbody tr');
  assert.equal(await rows.count(), r.indicators.length, 'one row per indicator');
  for (const i of r.indicators) {
    const row = page.locator(`[data-testid=review-table] tbody tr[data-indicator="${i.indicator}"]`);
    assert.equal(await row.getAttribute('data-band'), i.band ?? 'none', `band of ${i.indicator}`);
    const fc = await row.locator('[data-forecast]').getAttribute('data-forecast');
    assert.equal(fc, i.forecast_reached === null ? 'none' : i.forecast_reached ? 'reached' : 'missed', `forecast of ${i.indicator}`);
  }
  assert.equal(await page.locator('[data-testid=review-table] [data-forecast=missed]').count(), r.counts.forecast_missed, 'forecast marks');
  assert.ok(await page.locator('[data-testid=review-table] .ach-elapsed').count() >= 1, 'elapsed-time marks on the bars');
  assert.ok((await page.locator('[data-testid=narrative] p').count()) >= r.narrative.paragraphs.length, 'the narrative');
  return r;
}

const tests = [
  ['dashboard at 30/06/2023 shows the counts, bands and forecasts of the review API', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await openDashboard(page);
    await checkDashboardAgainstApi(page);
    await noRawKeys(page);
    await screenshot(page, 'targets-dashboard-laptop-vi');
    // The overview of all programmes side by side.
    await page.goto(`/targets?as_of=${AS_OF}`);
    await page.locator(`.programme-card[data-programme=${P}] [data-testid=headline]`).waitFor();
    await screenshot(page, 'targets-programmes-laptop-vi');
    assert.deepEqual(scriptErrors(page), []);
    await page.context().close();
  }],

  ['dashboard on a phone, in Vietnamese and in English', async (env) => {
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.admin);
    await openDashboard(page);
    await checkDashboardAgainstApi(page);
    await noHorizontalOverflow(page);
    await screenshot(page, 'targets-dashboard-phone-vi');
    await page.locator('[data-testid=review-table]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(repoRoot, 'build', 'screenshots', 'targets-dashboard-table-phone-vi.png') });
    await page.evaluate(() => localStorage.setItem('nongsan.lang', 'en'));
    await page.reload();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.locator('[data-testid=review-table] tbody tr').first().waitFor();
    await page.locator('[data-testid=review-summary]', { hasText: 'indicators above 50 %' }).waitFor();
    await noRawKeys(page);
    await noHorizontalOverflow(page);
    await screenshot(page, 'targets-dashboard-phone-en');
    assert.deepEqual(scriptErrors(page), []);
    await page.context().close();
  }],

  ['indicator page: trend chart, choropleth, child units, records; drill down to a district', async (env) => {
    for (const [viewport, tag] of [[LAPTOP, 'laptop'], [PHONE, 'phone']]) {
      const page = await newPage(env, { viewport });
      await login(page, DEMO.provinceOfficer);
      await openDashboard(page);
      await page.locator('[data-testid=review-table] tr[data-indicator=CHE_DT] a.indicator-link').click();
      await page.locator('[data-testid=trend-chart] polyline[data-series=values]').waitFor();
      assert.ok(await page.locator('[data-testid=trend-chart] [data-series=target]').count(), 'target line');
      assert.ok(await page.locator('[data-testid=trend-chart] [data-series=forecast]').count(), 'forecast line');
      assert.ok(await page.locator('[data-testid=trend-chart] [data-series=baseline]').count(), 'baseline');
      const map = await apiGet(page, `/api/v1/programmes/${P}/indicators/CHE_DT/map?milestone=${MILESTONE}&as_of=${AS_OF}&level=district`);
      await page.waitForFunction(() => document.querySelector('[data-testid=choropleth]')?.dataset.loaded === 'true');
      const banded = map.items.filter((x) => x.band).length;
      assert.ok(banded > 0, 'the API gives bands by district');
      assert.equal(await page.locator('[data-testid=choropleth]').getAttribute('data-coloured'), String(banded), 'units coloured as the API says');
      assert.ok(Number(await page.locator('[data-testid=choropleth]').getAttribute('data-features')) >= banded);
      // The map has drawn the coloured units (WebGL through SwiftShader in the headless browser).
      await page.waitForFunction(() => {
        const m = window.nongsanTargetsMap;
        return m && m.getLayer('units-fill') && m.queryRenderedFeatures({ layers: ['units-fill'] }).length > 0 &&
          document.querySelector('[data-testid=choropleth]')?.dataset.drawn === 'true';
      });
      await page.locator('[data-testid=child-units] tbody tr').first().waitFor();
      await page.locator('[data-testid=records] tbody tr').first().waitFor();
      await noRawKeys(page);
      if (tag === 'phone') await noHorizontalOverflow(page);
      await screenshot(page, `targets-indicator-${tag}-vi`);
      await page.locator('[data-testid=choropleth]').scrollIntoViewIfNeeded();
      await screenshot(page, `targets-indicator-map-${tag}-vi`);
      await page.locator('[data-testid=records]').scrollIntoViewIfNeeded();
      await screenshot(page, `targets-indicator-records-${tag}-vi`);
      // Drill down: province → a district.
      const first = page.locator('[data-testid=child-units] tbody tr').first();
      const unitCode = await first.getAttribute('data-unit');
      const unitName = (await first.locator('a.drill-link').innerText()).trim();
      await first.locator('a.drill-link').click();
      await page.waitForFunction((c) => new URLSearchParams(location.search).get('unit') === c, unitCode);
      await page.locator('[data-testid=unit-title]', { hasText: unitName }).waitFor();
      await page.locator('[data-testid=crumbs] a', { hasText: 'Lai Châu' }).waitFor();
      const t = await apiGet(page, `/api/v1/programmes/${P}/indicators/CHE_DT/trend?milestone=${MILESTONE}&as_of=${AS_OF}&unit=${unitCode}`);
      assert.equal(t.unit.code, unitCode);
      await page.locator('[data-testid=trend-chart] polyline[data-series=values]').waitFor();
      await page.locator('[data-testid=records] tbody tr').first().waitFor();
      if (tag === 'laptop') {
        await screenshot(page, 'targets-indicator-district-laptop-vi');
        // Clicking another unit on the choropleth drills to it too.
        await page.goto(`/targets/${P}/indicators/CHE_DT?milestone=${MILESTONE}&as_of=${AS_OF}`);
        await page.locator('[data-testid=choropleth]').scrollIntoViewIfNeeded();
        await page.waitForFunction(() => document.querySelector('[data-testid=choropleth]')?.dataset.drawn === 'true');
        const hit = await page.evaluate(() => {
          const m = window.nongsanTargetsMap;
          const c = m.getCanvas();
          const w = c.clientWidth, hgt = c.clientHeight;
          for (let i = 1; i < 30; i++) for (let j = 1; j < 30; j++) {
            const pt = [(w * i) / 30, (hgt * j) / 30];
            // A point well inside a unit: its neighbours 8 px away are the same unit.
            const code = (p) => m.queryRenderedFeatures(p, { layers: ['units-fill'] })[0]?.properties.code;
            const here = code(pt);
            if (here && [[8, 0], [-8, 0], [0, 8], [0, -8]].every(([a, b]) => code([pt[0] + a, pt[1] + b]) === here)) {
              return { x: pt[0], y: pt[1], code: here };
            }
          }
          return null;
        });
        assert.ok(hit, 'a unit is drawn on the map');
        const box = await page.locator('[data-testid=choropleth] canvas').boundingBox();
        await page.mouse.click(box.x + hit.x, box.y + hit.y);
        await page.waitForFunction((c) => new URLSearchParams(location.search).get('unit') === c, hit.code);
        await page.locator('[data-testid=trend-chart] polyline[data-series=values]').waitFor();
      }
      assert.deepEqual(scriptErrors(page), []);
      await page.context().close();
    }
  }],

  ['an officer enters and submits a value; another officer approves it and it can no longer be edited', async (env) => {
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.districtOfficer);
    await page.goto(`/targets/${P}/observations`);
    await page.locator('[data-testid=add-observation]').click();
    const dlg = page.locator('dialog[open]');
    await dlg.waitFor();
    await dlg.locator('select[name=indicator]').selectOption('CHE_DT');
    assert.ok((await dlg.locator('input[name=unit]').inputValue()).includes('Tam Đường'), 'the officer\'s unit is the default');
    await dlg.locator('input[name=year]').fill('2024');
    await dlg.locator('select[name=period]').selectOption('2');
    await dlg.locator('input[name=value]').fill('-5');
    await dlg.locator('button[type=submit]').click();
    await dlg.locator('.field[data-field=value].invalid .field-error', { hasText: 'âm' }).waitFor();
    await screenshot(page, 'targets-entry-error-phone-vi');
    // The server's own check lands on its field: the year is before the baseline year.
    expectApiError(page, { status: 400, method: 'POST', url: /^\/api\/v1\/programmes\/NQ05\/observations$/ });
    await dlg.locator('input[name=year]').fill('2019');
    await dlg.locator('input[name=value]').fill('5');
    await dlg.locator('button[type=submit]').click();
    await dlg.locator('.field[data-field=year].invalid .field-error').waitFor();
    assert.ok((await dlg.locator('.field[data-field=year] .field-error').innerText()).trim().length > 0);
    await dlg.locator('input[name=year]').fill('2024');
    await dlg.locator('input[name=value]').fill('1.234,5');
    const created = page.waitForResponse((r) => r.url().endsWith(`/programmes/${P}/observations`) && r.request().method() === 'POST');
    await dlg.locator('button[type=submit]').click();
    const resp = await created;
    assert.equal(resp.status(), 201);
    const obs = await resp.json();
    assert.equal(obs.value, 1234.5);
    assert.equal(obs.status, 'draft');
    const row = page.locator(`[data-testid=observations] tr[data-observation-id="${obs.id}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'draft');
    assert.match(await row.innerText(), /1\.234,5/);
    await noHorizontalOverflow(page);
    await screenshot(page, 'targets-entry-phone-vi');
    await row.locator('[data-testid=submit]').click();
    await page.locator(`[data-testid=observations] tr[data-observation-id="${obs.id}"][data-status=submitted]`).waitFor();
    await page.context().close();

    const boss = await newPage(env, { viewport: LAPTOP });
    await login(boss, DEMO.provinceOfficer);
    // The old queue's link leads to the approval inbox.
    await boss.goto(`/targets/${P}/observations?view=queue`);
    await boss.waitForURL(new RegExp(`/targets/${P}/approvals`));
    const queued = boss.locator(`[data-testid=approvals] tr[data-observation-id="${obs.id}"]`);
    await queued.waitFor();
    await screenshot(boss, 'targets-queue-laptop-vi');
    await queued.locator('[data-testid=approve]').click();
    await boss.locator('.flash .alert-ok').waitFor();
    await boss.waitForFunction((id) => !document.querySelector(`[data-testid=approvals] tr[data-observation-id="${id}"]`), obs.id);
    const after = await apiGet(boss, `/api/v1/observations/${obs.id}`);
    assert.equal(after.status, 'approved');
    assert.match(after.approved_by, new RegExp(DEMO.provinceOfficer.username.replace('.', '\\.')));
    await boss.goto(`/targets/${P}/observations?indicator=CHE_DT&year=2024&status=approved`);
    const approved = boss.locator(`[data-testid=observations] tr[data-observation-id="${obs.id}"][data-status=approved]`);
    await approved.waitFor();
    assert.match(await approved.innerText(), /Đã duyệt/);
    assert.equal(await approved.locator('[data-testid=submit], [data-testid=approve], [data-testid=edit]').count(), 0, 'no edit once approved');
    // The batch checks view answers.
    await boss.locator('button[data-view=flags]').click();
    await boss.locator('[data-testid=flags-summary]').waitFor();
    assert.deepEqual(scriptErrors(boss), []);
    await boss.context().close();

    // An administrator unlocks it with a reason: it goes back to the officer as returned.
    const admin = await newPage(env, { viewport: LAPTOP });
    await login(admin, DEMO.admin);
    await admin.goto(`/targets/${P}/observations?indicator=CHE_DT&year=2024&status=approved`);
    await admin.locator(`[data-testid=observations] tr[data-observation-id="${obs.id}"] [data-testid=unlock]`).click();
    const reason = admin.locator('dialog[open]');
    await reason.locator('button[type=submit]').click();
    await reason.locator('.field[data-field=reason].invalid').waitFor();
    await reason.locator('textarea[name=reason]').fill('Sai đơn vị tính, nhập lại');
    await reason.locator('button[type=submit]').click();
    await admin.locator('.flash .alert-ok').waitFor();
    const back = await apiGet(admin, `/api/v1/observations/${obs.id}`);
    assert.equal(back.status, 'returned');
    assert.equal(back.returned_reason, 'Sai đơn vị tính, nhập lại');
    assert.deepEqual(scriptErrors(admin), []);
    await admin.context().close();
  }],

  ['a value far from the unit\'s other years is saved with a check warning', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.districtOfficer);
    await page.goto(`/targets/${P}/observations`);
    await page.locator('[data-testid=add-observation]').click();
    const dlg = page.locator('dialog[open]');
    await dlg.locator('select[name=indicator]').selectOption('CHE_DT');
    await dlg.locator('input[name=year]').fill('2025');
    await dlg.locator('input[name=value]').fill('1.000.000');
    const created = page.waitForResponse((r) => r.url().endsWith(`/programmes/${P}/observations`) && r.request().method() === 'POST');
    await dlg.locator('button[type=submit]').click();
    const obs = await (await created).json();
    assert.ok(obs.flags.some((f) => f.code === 'outlier'), 'the server flags it');
    await page.locator('[data-testid=save-warnings] li[data-flag=outlier]').waitFor();
    await screenshot(page, 'targets-entry-warning-laptop-vi');
    await page.context().close();
  }],

  ['report buttons point at the review document route with the current parameters', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto(`/targets/${P}/reports?milestone=${MILESTONE}&as_of=${AS_OF}&unit=106&unit_name=Huy%E1%BB%87n%20Tam%20%C4%90%C6%B0%E1%BB%9Dng`);
    const dl = page.locator('[data-testid=downloads]');
    await dl.waitFor();
    for (const f of ['pdf', 'docx', 'xlsx', 'html', 'json']) {
      const href = await dl.locator(`a[data-format=${f}]`).getAttribute('href');
      assert.equal(href, `/api/v1/programmes/${P}/review/document?milestone=${MILESTONE}&as_of=${AS_OF}&unit=106&format=${f}&profile=state`);
    }
    await dl.locator('button[data-profile=party]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=downloads] a[data-format=docx]')?.getAttribute('href')?.endsWith('profile=party'));
    await page.locator('[data-testid=register], .empty').first().waitFor();
    await noRawKeys(page);
    await screenshot(page, 'targets-reports-laptop-vi');
    // The dashboard carries the same buttons for what it shows.
    await openDashboard(page);
    assert.equal(
      await page.locator('[data-testid=downloads] a[data-format=pdf]').getAttribute('href'),
      `/api/v1/programmes/${P}/review/document?milestone=${MILESTONE}&as_of=${AS_OF}&format=pdf&profile=state`,
    );
    assert.deepEqual(scriptErrors(page), []);
    await page.context().close();
  }],
];

await run(tests, { setup: importNq05 });
