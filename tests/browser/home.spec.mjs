// The first screen after signing in: leaders (province and district officers,
// administrator, inspector) land on how the programme stands today, with every
// number linking to the records behind it and the map one click away; commune
// officers and cooperatives land on their records. Pages without a map never
// load MapLibre.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, DEMO, LAPTOP, PHONE } from './lib/harness.mjs';
import { importNq05 } from './lib/nq05.mjs';

async function apiGet(page, url) {
  return page.evaluate(async (u) => {
    const r = await fetch(u, { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(`${u}: ${r.status} ${await r.text()}`);
    return r.json();
  }, url);
}

/** The grouping the page promises (pages/home.ts, standing()): achieved, unlikely, low, on track, no data. */
function standing(i) {
  if (i.actual === null || i.band === null) return 'no_data';
  if (i.band === 'achieved') return 'achieved';
  if (i.forecast_reached === false) return 'unlikely';
  if (i.band === 'low') return 'low';
  return 'on_track';
}

async function homeLoaded(page) {
  await page.waitForFunction(() => document.querySelector('.home-grid')?.dataset.loaded === 'true');
}

async function checkStandings(page, programme, asOf) {
  const r = await apiGet(page, `/api/v1/programmes/${programme}/review?as_of=${asOf}`);
  const want = { achieved: [], on_track: [], low: [], unlikely: [], no_data: [] };
  for (const i of r.indicators) want[standing(i)].push(i.indicator);
  for (const [k, codes] of Object.entries(want)) {
    const tile = page.locator(`[data-testid=standing-${k}]`);
    assert.equal(await tile.getAttribute('data-value'), String(codes.length), `${programme}: ${k}`);
    const linked = await tile.locator('li a').evaluateAll((as) => as.map((a) => a.dataset.indicator));
    assert.deepEqual(linked.sort(), [...codes].sort(), `${programme}: the indicators listed as ${k}`);
  }
  return r;
}

const tests = [
  ['a province officer lands on the programme in force today, its numbers match the review and link to the records', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.waitForURL('**/home');
    await homeLoaded(page);
    const programmes = await apiGet(page, '/api/v1/programmes');
    const today = await page.evaluate(() => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()));
    const inForce = programmes.filter((p) => p.start <= today && today <= p.end);
    const code = (inForce[0] ?? programmes.filter((p) => p.end < today).sort((a, b) => (a.end < b.end ? 1 : -1))[0]).code;
    assert.match(await page.locator('.home-programme').innerText(), new RegExp(code));
    const r = await checkStandings(page, code, today);
    // The programme's figures are illustrative: the mark is there.
    if (r.indicators.some((i) => i.illustrative)) await page.locator('.home-programme [data-testid=illustrative]').waitFor();
    // The widest gap is the indicator furthest from its target, and it opens its drill-down page.
    const gaps = r.indicators.filter((i) => i.achievement_pct !== null && i.band !== 'achieved').sort((a, b) => a.achievement_pct - b.achievement_pct);
    if (gaps.length) {
      const first = page.locator('[data-testid=home-gaps] li').first();
      assert.equal(await first.getAttribute('data-indicator'), gaps[0].indicator);
      await screenshot(page, 'home-laptop-vi');
      await first.locator('a').click();
      await page.locator('[data-testid=indicator-title]').waitFor();
      assert.match(page.url(), new RegExp(`/targets/${code}/indicators/${gaps[0].indicator}`));
      await page.goBack();
      await homeLoaded(page);
    }
    // A count opens the programme's review.
    await page.locator('[data-testid=standing-unlikely] .tile-value a').click();
    await page.locator('[data-testid=review-table]').waitFor();
    assert.match(page.url(), new RegExp(`/targets/${code}`));
    await page.goBack();
    await homeLoaded(page);
    // The last approval and the converted land are links to their records.
    const approval = page.locator('[data-testid=home-approval]');
    await approval.waitFor();
    if (await approval.locator('[data-testid=last-approval]').count()) {
      assert.match(await approval.locator('[data-testid=last-approval]').getAttribute('href'), /\/observations\?indicator=/);
    }
    assert.match(await page.locator('[data-testid=converted-rice-ha]').getAttribute('href'), /\/registry\/conversions\/records\?from=2021-01-01&to=\d{4}-\d{2}-\d{2}&from_use=inefficient_rice/);
    // The map is one click away.
    await page.locator('[data-testid=home-map]').click();
    await page.locator('[data-testid=map][data-ready=true]').waitFor();
    assert.deepEqual(page.errors.filter((e) => !/401/.test(e)), []);
    await page.context().close();
  }],

  ['NQ05 at 30/06/2023 on the first screen: 17 indicators grouped as the review says, with the illustrative mark', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/home?programme=NQ05&as_of=2023-06-30');
    await homeLoaded(page);
    const r = await checkStandings(page, 'NQ05', '2023-06-30');
    assert.equal(r.indicators.length, 17);
    await page.locator('.home-programme [data-testid=illustrative]').waitFor();
    // Counted things are whole numbers: "58 chuỗi", never "58,3 chuỗi".
    const gapText = await page.locator('[data-testid=home-gaps]').innerText();
    for (const m of gapText.matchAll(/(\d[\d.,]*) (công trình|chuỗi|sản phẩm|trang trại|đàn)\b/g)) assert.doesNotMatch(m[1], /,/, `a count with decimals: ${m[0]}`);
    await screenshot(page, 'home-nq05-2023-laptop-vi');
    await page.context().close();
  }],

  ['the programmes side by side: the NQ05 card carries "minh họa" because its indicators are illustrative', async (env) => {
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.provinceOfficer);
    const programmes = await apiGet(page, '/api/v1/programmes');
    await page.goto('/targets');
    for (const p of programmes) {
      const card = page.locator(`.programme-card[data-programme="${p.code}"]`);
      await card.locator('[data-testid=headline]').waitFor();
      const indicators = await apiGet(page, `/api/v1/programmes/${p.code}/indicators`);
      const illustrative = p.illustrative || indicators.some((i) => i.illustrative);
      assert.equal(await card.locator('[data-testid=illustrative]').count(), illustrative ? 1 : 0, `${p.code}: the mark ${illustrative ? 'is' : 'is not'} there`);
    }
    // NQ05 is a real resolution; the demo's figures for it are illustrative, and its card says so.
    assert.ok(programmes.some((p) => p.code === 'NQ05' && p.illustrative && p.illustrative_indicators > 0), 'NQ05 is marked for its illustrative figures');
    await screenshot(page, 'targets-programmes-phone-vi');
    await page.context().close();
  }],

  ['counted things are whole numbers wherever the programme figures appear', async (env) => {
    // Barns supported are counted in "công trình": the review's 94.5 (a sum through the
    // reform's shares) is shown as 95, in both languages; hectares keep their decimals.
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    const review = await apiGet(page, '/api/v1/programmes/NQ05/review?milestone=2025&as_of=2023-06-30');
    const counted = review.indicators.filter((i) => ['công trình', 'trang trại', 'đàn', 'sản phẩm', 'chuỗi'].includes(i.measure_unit));
    assert.ok(counted.length >= 3, 'the demo has counted indicators');
    await page.goto('/targets/NQ05?milestone=2025&as_of=2023-06-30');
    await page.locator('[data-testid=review-table] tbody tr').first().waitFor();
    for (const i of counted) {
      const cell = await page.locator(`[data-testid=review-table] tr[data-indicator="${i.indicator}"] td[data-label="Thực hiện"] strong`).innerText();
      assert.match(cell, /^\d{1,3}(\.\d{3})*$/, `${i.indicator} (${i.measure_unit}) is a whole number: ${cell} (API ${i.actual})`);
    }
    const barns = counted.find((i) => i.indicator === 'CHUONG_TRAI_HT');
    if (barns && !Number.isInteger(barns.actual)) {
      await page.goto('/targets/NQ05/indicators/CHUONG_TRAI_HT?milestone=2025&as_of=2023-06-30');
      await page.locator('[data-testid=indicator-title]').waitFor();
      const tiles = await page.locator('.targets-facts').innerText();
      assert.ok(tiles.includes(String(Math.round(barns.actual))), `the indicator page shows ${Math.round(barns.actual)}: ${tiles}`);
      assert.ok(!tiles.includes(String(barns.actual).replace('.', ',')), `and not ${barns.actual}`);
      const chart = await page.locator('.chart-box').innerText();
      assert.doesNotMatch(chart, /\d,\d/, `no decimals on the chart of a count: ${chart}`);
    }
    const area = review.indicators.find((i) => i.measure_unit === 'ha' && i.actual !== null && !Number.isInteger(i.actual));
    if (area) {
      await page.goto('/targets/NQ05?milestone=2025&as_of=2023-06-30');
      const cell = await page.locator(`[data-testid=review-table] tr[data-indicator="${area.indicator}"] td[data-label="Thực hiện"] strong`).innerText();
      assert.match(cell, /,\d/, `hectares keep their decimals: ${cell}`);
    }
    await page.context().close();
  }],

  ['the first screen fits a phone and reads in English', async (env) => {
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.districtOfficer);
    await page.waitForURL('**/home');
    await homeLoaded(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width + 1, `no sideways scrolling (${width}px)`);
    // Huyện Tam Đường ended with the reform of 1/7/2025: today its officer's scope holds no
    // unit, and the first screen says so by name instead of showing bare zeros.
    const why = page.locator('.home-grid [data-reason=scope]');
    await why.waitFor();
    assert.match(await why.innerText(), /Huyện Tam Đường.*30\/06\/2025/s);
    await screenshot(page, 'home-phone-vi');
    await page.locator('.menu-btn').click();
    await page.locator('nav.app-nav a[data-path="/home"]').waitFor();
    await page.locator('.app-nav .nav-user').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.app-header [data-lang=en]').click();
    await page.locator('h1', { hasText: 'How the programme stands' }).waitFor();
    await homeLoaded(page);
    await screenshot(page, 'home-phone-en');
    await page.context().close();
  }],

  ['a commune officer and a cooperative land on their records, not on the overview', async (env) => {
    for (const who of [DEMO.communeOfficer, DEMO.coop]) {
      const page = await newPage(env, { viewport: PHONE });
      await login(page, who);
      await page.waitForURL('**/registry/parcels');
      await page.locator('[data-testid=parcel-table], [data-testid=no-parcels]').first().waitFor();
      await page.context().close();
    }
  }],

  ['pages without a map do not load MapLibre; the pages with one do', async (env) => {
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.admin);
    await page.waitForURL('**/home');
    const requested = [];
    page.on('request', (r) => requested.push(r.url()));
    const maplibre = () => requested.filter((u) => /\/assets\/maplibre/.test(u));
    const without = ['/home', '/units', '/figures', '/registry/parcels', '/registry/producers', '/registry/zones', '/registry/conversions', '/registry/topology',
      '/targets', '/targets/NQ05?milestone=2025&as_of=2023-06-30', '/targets/NQ05/observations', '/suitability?tab=profile&crop=tea', '/users', '/audit'];
    for (const p of without) {
      requested.length = 0;
      await page.goto(p);
      await page.waitForLoadState('networkidle');
      assert.deepEqual(maplibre(), [], `${p} loads no MapLibre`);
    }
    for (const [p, ready] of [['/map', '[data-testid=map][data-ready=true]'], ['/registry', '[data-testid=map][data-ready=true]'], ['/suitability?tab=map&crop=tea', '[data-testid=suit-map][data-ready=true]'],
      ['/targets/NQ05/indicators/CHE_DT?milestone=2025&as_of=2023-06-30', '[data-testid=choropleth][data-ready=true]']]) {
      requested.length = 0;
      await page.goto(p);
      await page.locator(ready).waitFor();
      assert.ok(maplibre().length > 0, `${p} loads MapLibre`);
    }
    await page.context().close();
  }],
];

await run(tests, { setup: importNq05 });
