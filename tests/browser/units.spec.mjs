// Administrative units: search that ignores diacritics, filters, pagination,
// and a unit's detail with its predecessors and successors and their shares.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, DEMO, LAPTOP, PHONE } from './lib/harness.mjs';

const tests = [
  ['searching "muong te" without diacritics finds Mường Tè', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/units?as_of=2024-12-31');
    await page.locator('table.table tbody tr').first().waitFor();
    await page.locator('input[name=q]').fill('muong te');
    await page.waitForFunction(() => {
      const tds = [...document.querySelectorAll('table.table tbody tr td:nth-child(2)')];
      return tds.length > 0 && tds.every((td) => td.textContent.includes('Mường Tè'));
    });
    const names = await page.locator('table.table tbody tr td:nth-child(2)').allTextContents();
    assert.ok(names.length >= 1 && names.every((n) => /Mường Tè/.test(n)), `only Mường Tè matches: ${names}`);
    await screenshot(page, 'units-search-laptop-vi');
    await page.context().close();
  }],

  ['the level filter and the pager work', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/units?as_of=2024-12-31');
    await page.locator('select[name=level]').selectOption('commune');
    await page.waitForFunction(() => [...document.querySelectorAll('table.table tbody tr td:nth-child(3)')].every((td) => td.textContent === 'Cấp xã'));
    const info = await page.locator('.pager-info').textContent();
    const total = Number(/· ([\d.]+) bản ghi/.exec(info)[1].replace(/\./g, ''));
    assert.ok(total > 0, `communes on 31/12/2024: ${info}`);
    if (total > 25) {
      await page.locator('[data-testid=next]').click();
      await page.locator('.pager-info', { hasText: 'Trang 2/' }).waitFor();
    }
    await page.locator('select[name=level]').selectOption('district');
    await page.waitForFunction(() => [...document.querySelectorAll('table.table tbody tr td:nth-child(3)')].every((td) => td.textContent === 'Cấp huyện'));
    await page.context().close();
  }],

  ['a pre-reform commune shows its successor with share and basis', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/units?as_of=2024-12-31&level=commune&q=binh%20lu');
    await page.locator('table.table tbody tr a', { hasText: 'Bình Lư' }).first().click();
    await page.locator('h1', { hasText: 'Bình Lư' }).waitFor();
    const succ = page.locator('section', { hasText: 'Đơn vị kế thừa' }).locator('table').last();
    await succ.waitFor();
    const row = await succ.locator('tbody tr').first().textContent();
    assert.match(row, /\d+(,\d+)? %/, `share as a percentage: ${row}`);
    assert.match(row, /toàn bộ đơn vị|theo diện tích|theo thửa đất/);
    assert.match(row, /01\/07\/2025/);
    await screenshot(page, 'unit-detail-old-laptop-vi');
    // Following the link leads to the successor, which lists it as a predecessor.
    await succ.locator('tbody tr a').first().click();
    await page.locator('section', { hasText: 'Đơn vị tiền thân' }).locator('tbody tr', { hasText: 'Bình Lư' }).first().waitFor();
    await screenshot(page, 'unit-detail-new-laptop-vi');
    await page.locator('.app-header [data-lang=en]').click();
    await page.locator('h2', { hasText: 'Predecessors' }).waitFor();
    await screenshot(page, 'unit-detail-new-laptop-en');
    await page.context().close();
  }],

  ['the units page is usable on a phone', async (env) => {
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.districtOfficer);
    await page.goto('/units');
    await page.locator('table.table tbody tr').first().waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 391, `no sideways scrolling of the page (${width}px)`);
    await screenshot(page, 'units-phone-vi');
    await page.locator('table.table tbody tr a').first().click();
    await page.locator('.card .facts').waitFor();
    const detailWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(detailWidth <= 391, `the unit detail fits the phone (${detailWidth}px)`);
    await screenshot(page, 'unit-detail-phone-vi');
    await page.goBack();
    await page.locator('.app-header [data-lang=en]').click();
    await page.locator('h1', { hasText: 'Administrative units' }).waitFor();
    await page.locator('table.table tbody tr').first().waitFor();
    await screenshot(page, 'units-phone-en');
    await page.context().close();
  }],
];

await run(tests);
