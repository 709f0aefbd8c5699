// The overview map: units at 31/12/2024 and today from the server's own GeoJSON,
// the side panel with the illustrative badge, and the phone layout.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, DEMO, LAPTOP, PHONE } from './lib/harness.mjs';

/** Waits until the map has drawn the units of the current date; returns how many. */
async function waitForUnits(page, isoDate = null, level = null) {
  let sel = '[data-testid=map-status][data-as-of]';
  if (isoDate) sel += `[data-as-of="${isoDate}"]`;
  if (level) sel += `[data-level="${level}"]`;
  const status = page.locator(sel);
  await status.waitFor({ timeout: 20000 });
  await page.waitForFunction(() => {
    const m = window.nongsanMap;
    return m && m.loaded() && m.getLayer('units-fill') && m.queryRenderedFeatures({ layers: ['units-fill'] }).length > 0;
  }, null, { timeout: 20000 });
  return Number(await status.getAttribute('data-count'));
}

/** Finds a screen point inside a drawn unit that matches `want`, by probing the canvas on a grid. */
async function pointOnUnit(page, want = {}) {
  const canvas = page.locator('.map-canvas canvas');
  const box = await canvas.boundingBox();
  const hit = await page.evaluate(({ want, w, h }) => {
    const m = window.nongsanMap;
    for (let fy = 0.3; fy < 0.95; fy += 0.05) {
      for (let fx = 0.1; fx < 0.95; fx += 0.05) {
        const x = Math.round(w * fx);
        const y = Math.round(h * fy);
        const f = m.queryRenderedFeatures([x, y], { layers: ['units-fill'] })[0];
        if (!f) continue;
        if (want.geom_source && f.properties.geom_source !== want.geom_source) continue;
        return { x, y, name: f.properties.name, id: f.properties.id };
      }
    }
    return null;
  }, { want, w: box.width, h: box.height });
  assert.ok(hit, `a unit ${JSON.stringify(want)} is drawn on the map`);
  return { ...hit, x: box.x + hit.x, y: box.y + hit.y };
}

const tests = [
  ['the map shows districts on 31/12/2024 and communes today', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/map');
    const communesToday = await waitForUnits(page, null, 'commune');
    assert.match(await page.locator('input[name=as_of]').inputValue(), /^\d{2}\/\d{2}\/\d{4}$/, 'date as dd/mm/yyyy');
    assert.ok(communesToday > 0, 'communes are drawn today');
    assert.equal(await page.locator('select[name=level]').inputValue(), 'commune');
    await page.locator('[data-testid=districts-gone]').waitFor();
    assert.equal(await page.locator('select[name=level] option[value=district]').isDisabled(), true, 'no districts after 1 July 2025');
    await screenshot(page, 'map-today-laptop-vi');

    await page.locator('[data-testid=preset-before]').click();
    const districts = await waitForUnits(page, '2024-12-31', 'district');
    assert.match(await page.locator('[data-testid=map-status]').textContent(), /31\/12\/2024/);
    assert.ok(districts > 0, 'districts are drawn on 31/12/2024');
    assert.equal(await page.locator('select[name=level]').inputValue(), 'district');
    assert.equal(await page.locator('[data-testid=districts-gone]').count(), 0);
    await page.waitForTimeout(300);
    await screenshot(page, 'map-2024-12-31-districts-laptop-vi');

    await page.locator('select[name=level]').selectOption('commune');
    const communesBefore = await waitForUnits(page, '2024-12-31', 'commune');
    assert.ok(communesBefore > districts, 'more communes than districts');
    await page.waitForTimeout(300);
    await screenshot(page, 'map-2024-12-31-communes-laptop-vi');
    assert.deepEqual(page.externalRequests, [], 'no tiles, fonts or glyphs from outside');
    assert.deepEqual(page.errors.filter((e) => !/401/.test(e)), [], 'no script errors');
    await page.context().close();
  }],

  ['clicking a unit opens its details with the illustrative badge', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/map');
    await waitForUnits(page);
    const legend = page.locator('[data-testid=legend-illustrative]');
    assert.match(await legend.textContent(), /Ranh giới cấp xã trên bản đồ là minh họa/);
    const hit = await pointOnUnit(page, { geom_source: 'illustrative' });
    await page.mouse.click(hit.x, hit.y);
    const panel = page.locator('[data-testid=unit-panel]');
    await panel.locator('[data-testid=unit-name]').filter({ hasText: hit.name }).waitFor();
    const text = await panel.textContent();
    assert.match(text, /Ranh giới minh họa/);
    for (const label of ['Mã', 'Cấp', 'Diện tích (ha)', 'Hiệu lực từ', 'Trực thuộc', 'Đơn vị tiền thân', 'Đơn vị kế thừa']) {
      assert.ok(text.includes(label), `panel shows ${label}`);
    }
    await screenshot(page, 'map-unit-panel-laptop-vi');
    // In English the same panel speaks English.
    await page.locator('.app-header [data-lang=en]').click();
    await waitForUnits(page);
    await page.locator('[data-testid=unit-panel] [data-testid=unit-name]').waitFor();
    assert.match(await page.locator('[data-testid=unit-panel]').textContent(), /Illustrative boundary/);
    assert.match(await page.locator('[data-testid=legend-illustrative]').textContent(), /Commune boundaries on this map are illustrative/);
    await screenshot(page, 'map-unit-panel-laptop-en');
    await page.locator('.app-header [data-lang=vi]').click();
    await page.context().close();
  }],

  ['a commune of 31/12/2024 shows its successor with the share', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/map?as_of=2024-12-31&level=commune');
    await waitForUnits(page, '2024-12-31', 'commune');
    const hit = await pointOnUnit(page);
    await page.mouse.click(hit.x, hit.y);
    const panel = page.locator('[data-testid=unit-panel]');
    await panel.locator('[data-testid=unit-name]').filter({ hasText: hit.name }).waitFor();
    const successors = panel.locator('.panel-section', { hasText: 'Đơn vị kế thừa' }).locator('li');
    assert.ok(await successors.count() >= 1, 'a pre-reform commune has a successor');
    assert.match(await successors.first().textContent(), /\d+(,\d+)? %/);
    assert.match(await panel.textContent(), /Hiệu lực đến\s*30\/06\/2025/);
    await screenshot(page, 'map-successor-laptop-vi');
    await page.context().close();
  }],

  ['choosing a series colours the units by their figures', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/map');
    await waitForUnits(page, null, 'commune');
    const series = page.locator('select[name=series]');
    await page.waitForFunction(() => document.querySelectorAll('select[name=series] option').length > 1);
    const code = await series.locator('option').nth(1).getAttribute('value');
    await series.selectOption(code);
    await page.locator('input[name=year]').fill('2024');
    await page.locator('input[name=year]').press('Enter');
    await page.locator('input[name=year]').dispatchEvent('change');
    const legend = page.locator('[data-testid=map-legend]');
    // The legend is first drawn for the default year when the series is chosen; wait for the
    // redraw that follows the year change instead of reading whichever response landed first.
    await page.waitForFunction(() => /2024/.test(document.querySelector('[data-testid=map-legend]')?.textContent ?? ''));
    await legend.locator('.legend-row', { hasText: 'Chưa có số liệu' }).waitFor();
    assert.ok(await legend.locator('.legend-row').count() >= 3, 'value classes are listed');
    assert.match(await legend.textContent(), /2024/);
    const hit = await pointOnUnit(page);
    await page.mouse.click(hit.x, hit.y);
    await page.locator('[data-testid=unit-panel] .panel-figure', { hasText: 'Số liệu 2024' }).waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, 'map-choropleth-laptop-vi');
    await page.context().close();
  }],

  ['on a phone the menu button opens the navigation and the panel fits', async (env) => {
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.admin);
    await page.goto('/map');
    await waitForUnits(page);
    const nav = page.locator('nav.app-nav');
    const hidden = await nav.boundingBox();
    assert.ok(!hidden || hidden.x + hidden.width <= 1, 'navigation is off screen until asked for');
    await screenshot(page, 'map-phone-vi');
    await page.locator('.menu-btn').click();
    await page.waitForTimeout(300);
    const shown = await nav.boundingBox();
    assert.ok(shown && shown.x >= 0 && shown.width > 200, 'navigation slides in');
    assert.equal(await page.locator('.menu-btn').getAttribute('aria-expanded'), 'true');
    await screenshot(page, 'menu-open-phone-vi');
    await nav.locator('a[data-path="/units"]').click();
    await page.locator('h1', { hasText: 'Đơn vị hành chính' }).waitFor();
    await page.waitForTimeout(300);
    const closed = await nav.boundingBox();
    assert.ok(!closed || closed.x + closed.width <= 1, 'navigation closes after choosing');

    await page.goto('/map');
    await waitForUnits(page);
    const hit = await pointOnUnit(page);
    await page.mouse.click(hit.x, hit.y);
    const panel = page.locator('[data-testid=unit-panel]');
    await panel.locator('[data-testid=unit-name]').filter({ hasText: hit.name }).waitFor();
    const pb = await panel.boundingBox();
    assert.ok(pb.x >= 0 && pb.x + pb.width <= PHONE.width + 1, 'panel fits the phone width');
    await screenshot(page, 'map-unit-panel-phone-vi');
    await page.locator('.app-header [data-lang=en]').click();
    await waitForUnits(page);
    await screenshot(page, 'map-phone-en');
    await page.context().close();
  }],

  ['a shared link with a series opens as a map of units for a user who may not read figures', async (env) => {
    // The cooperative account has no figures.read: the map used to ask for the series
    // anyway and showed the server's 403 over the map.
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.coop);
    await page.goto('/map?as_of=2024-12-31&series=tea_area_ha&year=2024');
    await waitForUnits(page);
    await page.waitForLoadState('networkidle');
    assert.equal(await page.locator('.alert-error').count(), 0, 'no error on the map');
    assert.equal(await page.locator('select[name=series]').count(), 0, 'no series to choose');
    assert.doesNotMatch(page.url(), /series=/, 'the link no longer names the series');
    await page.context().close();
  }],
];

await run(tests);
