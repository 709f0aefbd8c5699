// The list pages behave alike (lib/list.ts, lib/picker.ts): an empty list says
// why — in the server's words where the registry's lists send a reason (`empty`:
// the scope, the filters, no records at all), otherwise worked out in the browser:
// the user's scope holding no units on the chosen date (with the scope's name), the
// filters, or no records yet; a whole list sorts by a column; the pickers search as
// you type and choose with the keyboard.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, DEMO, LAPTOP, PHONE } from './lib/harness.mjs';
import { apiClient } from './lib/registry_fixture.mjs';

const tests = [
  ['a district officer whose district the 2025 reform ended sees the communes that replaced it', async (env) => {
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.districtOfficer);
    // Today Huyện Tam Đường no longer exists: its scope reaches the communes that
    // replaced it, through the successor links of the reform.
    await page.goto('/registry/parcels');
    const table = page.locator('[data-testid=parcel-table]');
    await table.waitFor();
    assert.ok((await table.locator('tbody tr').count()) > 0, 'the successors\' parcels are listed');
    assert.doesNotMatch(await page.locator('main').innerText(), /khớp với bộ lọc/);
    await screenshot(page, 'parcels-successor-scope-phone-vi');
    // The producers list (no date: today) too.
    await page.goto('/registry/producers');
    await page.locator('[data-testid=list-empty], table').first().waitFor();
    assert.equal(await page.locator('[data-testid=list-empty] [data-reason=scope]').count(), 0);
    // On 31/12/2024 the district existed: its own parcels, or a sentence that says why none.
    await page.goto('/registry/parcels?as_of=2024-12-31');
    await page.locator('[data-testid=parcel-table], [data-testid=no-parcels]').first().waitFor();
    if (await page.locator('[data-testid=no-parcels]').count()) {
      const reason = await page.locator('[data-testid=no-parcels] [data-reason]').getAttribute('data-reason');
      assert.equal(reason, 'none', 'no filter chosen: "no parcels in Huyện Tam Đường on 31/12/2024"');
      assert.match(await page.locator('[data-testid=no-parcels]').innerText(), /Huyện Tam Đường.*31\/12\/2024/s);
    }
    await page.context().close();
  }],

  ['a filter that matches nothing says so', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/registry/producers?q=khong-co-ai-ten-nay');
    const empty = page.locator('[data-testid=list-empty] [data-reason]');
    await empty.waitFor();
    assert.equal(await empty.getAttribute('data-reason'), 'filter');
    assert.match(await empty.innerText(), /Không có người sản xuất nào khớp với bộ lọc/);
    await page.context().close();
  }],

  ['an empty registry list gives the server\'s reason: the scope, or the filters', async (env) => {
    // Phường Đoàn Kết has no production zone: the server says the scope holds none.
    const doanket = { username: 'doanket.officer', password: 'officer-demo-2025' };
    for (const lang of ['vi', 'en']) {
      const page = await newPage(env, { viewport: PHONE, lang });
      await login(page, doanket);
      const body = await (await apiClient(env.base, doanket)).get('/api/v1/zones');
      assert.equal(body.empty?.reason, 'scope', 'the server says why');
      await page.goto('/registry/zones');
      const empty = page.locator('[data-testid=list-empty] [data-reason]');
      await empty.waitFor();
      assert.equal(await empty.getAttribute('data-reason'), 'scope');
      assert.equal(await empty.getAttribute('data-source'), 'server');
      const text = await empty.innerText();
      assert.match(text, /Phường Đoàn Kết/, 'the scope by name');
      assert.match(text, lang === 'vi' ? /Phạm vi của bạn .*không có vùng sản xuất nào/s : /Your scope .*holds no production zones/s);
      await screenshot(page, `lists-empty-scope-phone-${lang}`);
      await page.context().close();
    }
    // A cooperative's parcels filtered to nothing: the filters, as the server says.
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.coop);
    assert.equal((await (await apiClient(env.base, DEMO.coop)).get('/api/v1/parcels?q=KHONG-CO-THUA-NAY')).empty?.reason, 'filter');
    await page.goto('/registry/parcels?q=KHONG-CO-THUA-NAY');
    const empty = page.locator('[data-testid=no-parcels] [data-reason]');
    await empty.waitFor();
    assert.equal(await empty.getAttribute('data-reason'), 'filter');
    assert.equal(await empty.getAttribute('data-source'), 'server');
    assert.match(await empty.innerText(), /Không có thửa đất nào khớp với bộ lọc/);
    await screenshot(page, 'lists-empty-filter-laptop-vi');
    await page.context().close();
  }],

  ['the zones sort by a column, both ways, and keep the order in the link', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto('/registry/zones');
    await page.locator('[data-testid=zone-table] tbody tr').first().waitFor();
    const areas = async () =>
      page.locator('[data-testid=zone-table] tbody tr td:nth-child(5)').evaluateAll((tds) => tds.map((td) => Number(td.textContent.replace(/[^\d,]/g, '').replace(',', '.'))));
    await page.locator('[data-testid=zone-table] th button[data-sort=planned]').click();
    await page.waitForURL(/sort=planned/);
    const up = await areas();
    assert.deepEqual(up, [...up].sort((a, b) => a - b), 'ascending by planned area');
    await page.locator('[data-testid=zone-table] th button[data-sort=planned]').click();
    await page.waitForURL(/sort=-planned/);
    const down = await areas();
    assert.deepEqual(down, [...down].sort((a, b) => b - a), 'descending by planned area');
    assert.equal(await page.locator('[data-testid=zone-table] th[aria-sort=descending]').count(), 1);
    await page.reload();
    await page.locator('[data-testid=zone-table] tbody tr').first().waitFor();
    assert.deepEqual(await areas(), down, 'the order survives a reload');
    await screenshot(page, 'zones-sorted-laptop-vi');
    await page.context().close();
  }],

  ['the pickers search as you type and choose with the keyboard', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    // The unit picker of the figures page.
    await page.goto('/figures');
    const unit = page.locator('form.filters input[name=unit]');
    await unit.fill('muong te');
    const option = page.locator('form.filters .picker-list li[role=option]').first();
    await option.waitFor();
    assert.match(await option.innerText(), /Mường Tè/);
    await unit.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/unit_id=\d+/);
    assert.match(await unit.inputValue(), /Mường Tè/);
    // The producer picker of the parcel filters.
    await page.goto('/registry/parcels');
    const holder = page.locator('[data-testid=parcel-filters] input[name=holder]');
    await holder.fill('zzzz-khong-co');
    await page.locator('[data-testid=parcel-filters] .picker-list li', { hasText: 'Không tìm thấy' }).waitFor();
    await holder.fill('');
    const first = await page.evaluate(async () => (await (await fetch('/api/v1/producers?page_size=1')).json()).items[0]);
    await holder.fill(first.name.split(' ').slice(0, 2).join(' '));
    await page.locator(`[data-testid=parcel-filters] .picker-list li[data-producer-id="${first.id}"]`).waitFor();
    await holder.press('ArrowDown');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('[data-testid=parcel-filters] .picker-list').isHidden(), true, 'Escape closes the list');
    await page.context().close();
  }],
];

await run(tests);
