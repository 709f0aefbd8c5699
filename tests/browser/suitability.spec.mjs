// Thích nghi đất đai: choose a crop, the class map draws with its legend, a click
// shows the factors of the point (checked against the API), the profile editor
// re-evaluates a zone with an edited (unsaved) profile, the reports tab lists the
// zones on unsuitable land and the candidate land, at laptop and phone sizes.
// Needs the demo's profiles and illustrative rasters (`nongsan demo`).
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, DEMO, LAPTOP, PHONE } from './lib/harness.mjs';

async function mapReady(page) {
  await page.locator('[data-testid=suit-map][data-ready=true]').waitFor();
  await page.locator('[data-testid=suit-map][data-idle=true]').waitFor({ timeout: 30000 });
}

async function clickPoint(page) {
  // The middle of the map: inside the province at the initial (fitted) view.
  const box = await page.locator('[data-testid=suit-map]').boundingBox();
  await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.5);
  await page.locator('[data-testid=suit-point]').waitFor();
}

await run([
  [
    'map: choose a crop, tiles and legend, click panel equals the point route',
    async (env) => {
      const page = await newPage(env, { viewport: LAPTOP });
      await login(page, DEMO.provinceOfficer);
      await page.goto('/suitability');
      await mapReady(page);
      await page.locator('[data-testid=suit-crop]').selectOption('macadamia');
      await mapReady(page);
      assert.match(page.url(), /crop=macadamia/);
      const legend = await page.locator('[data-testid=suit-legend]').innerText();
      for (const s of ['S1', 'S2', 'S3', 'N', 'Rất thích nghi', 'Không thích nghi']) assert.ok(legend.includes(s), `legend has ${s}`);
      // The demo's layers are illustrative: the badge says so.
      assert.ok((await page.locator('[data-testid=suit-flags]').innerText()).includes('minh họa'));
      // Tiles were fetched and are PNGs.
      const tile = await page.evaluate(async () => {
        const r = await fetch('/api/v1/suitability/macadamia/tiles/8/201/111.png');
        return { status: r.status, type: r.headers.get('content-type'), size: (await r.arrayBuffer()).byteLength };
      });
      assert.equal(tile.status, 200);
      assert.equal(tile.type, 'image/png');
      assert.ok(tile.size > 400, 'a tile over the province has content');
      await clickPoint(page);
      const panelClass = await page.locator('[data-testid=suit-point-class]').getAttribute('data-class');
      // The same point through the API: the panel shows what the route returns.
      const ll = await page.locator('[data-testid=suit-point] p.small').first().innerText();
      const [lat, lon] = ll.split(',').map((s) => Number(s.trim()));
      const api = await page.evaluate(async ([lo, la]) => (await fetch(`/api/v1/suitability/macadamia/point?lon=${lo}&lat=${la}`)).json(), [lon, lat]);
      assert.equal(panelClass, api.class);
      assert.equal(await page.locator('[data-testid=suit-point] tbody tr').count(), api.factors.length);
      assert.deepEqual(page.errors.filter((e) => !/401/.test(e)), [], 'no script errors (401 is the page before login)');
      assert.deepEqual(page.externalRequests, []);
      await screenshot(page, 'suitability-map-laptop');
      // The candidate-land layer for the crop: as many parcels as the report lists for it.
      await page.locator('[data-testid=suit-candidates-toggle]').check();
      await page.locator('[data-testid=suit-status][data-candidates]').waitFor();
      const shown = Number(await page.locator('[data-testid=suit-status]').getAttribute('data-candidates'));
      const report = await page.evaluate(async () => (await fetch('/api/v1/suitability/reports/candidate-land')).json());
      assert.equal(shown, report.parcels.filter((p) => p.crop === 'macadamia').length);
      assert.ok(shown > 0, 'the demo has candidate land for macadamia');
      await page.waitForTimeout(500);
      await screenshot(page, 'suitability-candidates-laptop');
    },
  ],
  [
    'profile editor: re-evaluate a zone with an edited profile before saving',
    async (env) => {
      const page = await newPage(env, { viewport: LAPTOP });
      await login(page, DEMO.provinceOfficer);
      await page.goto('/suitability?tab=profile&crop=tea');
      await page.locator('[data-testid=suit-evaluate]').waitFor();
      await page.locator('[data-testid=suit-evaluate]').click();
      await page.locator('[data-testid=suit-ha-S1]').waitFor();
      const before = Number((await page.locator('[data-testid=suit-ha-N]').innerText()).replace(/\./g, '').replace(',', '.'));
      // Make elevation S1 impossible and everything else N: the zone turns N.
      await page.locator('[data-testid=suit-f-elevation-S1]').fill('9000–9001');
      await page.locator('[data-testid=suit-f-elevation-S2]').fill('');
      await page.locator('[data-testid=suit-f-elevation-S3]').fill('');
      await page.locator('[data-testid=suit-evaluate]').click();
      await page.waitForFunction((b) => {
        const el = document.querySelector('[data-testid=suit-ha-N]');
        return el && Number(el.textContent.replace(/\./g, '').replace(',', '.')) !== b;
      }, before);
      const s1 = await page.locator('[data-testid=suit-ha-S1]').innerText();
      assert.equal(s1, '0');
      await page.locator('[data-testid=suit-area-image]').waitFor();
      await screenshot(page, 'suitability-editor-laptop');
      // A broken range is refused before anything is sent.
      await page.locator('[data-testid=suit-f-elevation-S1]').fill('abc');
      await page.locator('[data-testid=suit-evaluate]').click();
      assert.ok((await page.locator('[data-testid=suit-errors]').innerText()).includes('elevation S1'));
      // Nothing was saved: the stored profile still has its S1 range.
      const stored = await page.evaluate(async () => (await fetch('/api/v1/suitability/profiles/tea')).json());
      assert.notDeepEqual(stored.profile.factors[0].S1, [[9000, 9001]]);
      assert.deepEqual(page.errors.filter((e) => !/401/.test(e)), [], 'no script errors (401 is the page before login)');
    },
  ],
  [
    'reports: zones on unsuitable land and candidate land, with downloads',
    async (env) => {
      const page = await newPage(env, { viewport: LAPTOP });
      await login(page, DEMO.provinceOfficer);
      await page.goto('/suitability?tab=reports&crop=tea');
      await page.locator('[data-testid=suit-zone-report] table').waitFor();
      const zones = await page.locator('[data-testid=suit-zone-report] tbody tr').count();
      assert.ok(zones > 0, 'some demo zones sit on S3/N land');
      await page.locator('[data-testid=suit-candidates] table').waitFor();
      assert.ok((await page.locator('[data-testid=suit-candidates] tbody tr').count()) > 0, 'candidate land per commune');
      const csv = await page.evaluate(async () => {
        const r = await fetch('/api/v1/suitability/reports/zone-suitability?min_share=0.3&format=csv');
        return { type: r.headers.get('content-type'), text: await r.text() };
      });
      assert.match(csv.type, /text\/csv/);
      assert.ok(csv.text.includes('S3_N_share'));
      await screenshot(page, 'suitability-reports-laptop');
      assert.deepEqual(page.errors.filter((e) => !/401/.test(e)), [], 'no script errors (401 is the page before login)');
    },
  ],
  [
    'phone: map, click panel and reports',
    async (env) => {
      const page = await newPage(env, { viewport: PHONE });
      await login(page, DEMO.inspector);
      await page.goto('/suitability?crop=tea');
      await mapReady(page);
      await screenshot(page, 'suitability-map-phone');
      await clickPoint(page);
      await screenshot(page, 'suitability-point-phone');
      // An inspector reads but cannot save a profile.
      await page.goto('/suitability?tab=profile&crop=tea');
      await page.locator('[data-testid=suit-save]').waitFor();
      assert.equal(await page.locator('[data-testid=suit-save]').isDisabled(), true);
      await screenshot(page, 'suitability-editor-phone');
      await page.goto('/suitability?tab=reports');
      await page.locator('[data-testid=suit-zone-report] table').waitFor();
      await screenshot(page, 'suitability-reports-phone');
      assert.deepEqual(page.errors.filter((e) => !/401/.test(e)), [], 'no script errors (401 is the page before login)');
    },
  ],
]);
