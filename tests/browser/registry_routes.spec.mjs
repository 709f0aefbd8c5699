// The registry's newer routes in the UI: a parcel's page shows the zones it lies in,
// its land-use code with the catalogue's name, and its suitability per crop (or
// "chưa đánh giá"); the parcel list finds parcels by code, map sheet and parcel
// number in the server's natural order (1-1, 1-2, 1-10) with the sort in the link;
// the geometry check runs as a background job from the topology page, which always
// says when the check last ran and by whom — never "no errors" before it ran.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, DEMO, LAPTOP, PHONE } from './lib/harness.mjs';
import { apiClient, ensureRegistryData } from './lib/registry_fixture.mjs';

let fx = null;

/** A parcel inside a zone, with a land-use code the catalogue names, and the API's view of it. */
async function fixture(env) {
  if (fx) return fx;
  const seeded = await ensureRegistryData(env.base, DEMO.admin);
  const api = seeded.api;
  const zones = (await api.get('/api/v1/zones')).items;
  let parcel = null;
  for (const z of zones) {
    const r = await api.get(`/api/v1/parcels?zone_id=${z.id}&page_size=20`);
    const p = r.items.find((x) => x.land_use && x.sheet_no && x.parcel_no);
    if (p) {
      parcel = await api.get(`/api/v1/parcels/${p.id}`);
      break;
    }
  }
  assert.ok(parcel, 'a parcel in a zone with a land-use code, a map sheet and a parcel number');
  assert.ok(parcel.zones?.length > 0, 'the parcel\'s JSON names its zones');
  fx = { api, parcel };
  return fx;
}

const scriptErrors = (page) => page.errors.filter((e) => !/401/.test(e));

const tests = [
  ['a parcel\'s page shows its zones, its land-use name and its suitability per crop', async (env) => {
    const { api, parcel } = await fixture(env);
    const suit = await api.get(`/api/v1/parcels/${parcel.id}/suitability`);
    for (const [size, viewport] of [['laptop', LAPTOP], ['phone', PHONE]])
      for (const lang of ['vi', 'en']) {
        const page = await newPage(env, { viewport, lang });
        await login(page, DEMO.provinceOfficer);
        await page.goto(`/registry/parcels/${parcel.id}`);
        await page.locator('[data-testid=parcel-title]').waitFor();
        // Zones, largest share first, linked to their pages.
        const rows = page.locator('[data-testid=zones-table] tbody tr');
        assert.equal(await rows.count(), parcel.zones.length, 'one row per zone');
        for (let i = 0; i < parcel.zones.length; i++) {
          assert.equal(await rows.nth(i).getAttribute('data-zone-id'), String(parcel.zones[i].id));
          assert.match(await rows.nth(i).innerText(), new RegExp(parcel.zones[i].name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        }
        // The land-use code with its name in the user's language.
        const lu = await page.locator('[data-testid=land-use]').innerText();
        assert.match(lu, new RegExp(parcel.land_use_code));
        assert.ok(lu.includes(lang === 'en' ? parcel.land_use.name_en : parcel.land_use.name_vi), `land-use name in ${lang}: ${lu}`);
        // Suitability: one row per crop evaluated, or "not evaluated".
        const card = page.locator('[data-testid=parcel-suitability]');
        await card.locator('[data-testid=suitability-table], [data-testid=suitability-none], .alert-error').first().waitFor();
        if (suit.items.length) {
          const srows = card.locator('[data-testid=suitability-table] tbody tr');
          assert.equal(await srows.count(), suit.items.length);
          for (const s of suit.items) {
            const r = card.locator(`tr[data-crop="${s.crop}"]`);
            assert.equal(await r.getAttribute('data-class'), s.dominant_class ?? 'none');
            assert.match(await r.innerText(), new RegExp(`${s.profile_version}`));
          }
        } else {
          assert.match(await card.innerText(), lang === 'vi' ? /Chưa đánh giá/ : /Not evaluated/);
        }
        await page.locator('[data-testid=parcel-zones]').scrollIntoViewIfNeeded();
        await screenshot(page, `registry-parcel-zones-suitability-${size}-${lang}`);
        assert.deepEqual(scriptErrors(page), []);
        await page.context().close();
      }
  }],

  ['a new parcel says "chưa đánh giá" until a suitability run covers it, then shows the run\'s figures', async (env) => {
    const { api, parcel } = await fixture(env);
    // A parcel registered now (on the boundary of one that exists) has not been evaluated.
    const fresh = await api.post('/api/v1/parcels', { external_id: `UI-SUIT-${Date.now()}`, geometry: parcel.geometry, commune_id: parcel.commune.id, land_use_code: parcel.land_use_code });
    assert.equal((await api.get(`/api/v1/parcels/${fresh.id}/suitability`)).items.length, 0, 'no run has covered the new parcel');
    for (const lang of ['vi', 'en']) {
      const page = await newPage(env, { viewport: PHONE, lang });
      await login(page, DEMO.provinceOfficer);
      await page.goto(`/registry/parcels/${fresh.id}`);
      await page.locator('[data-testid=suitability-none]', { hasText: lang === 'vi' ? 'Chưa đánh giá' : 'Not evaluated' }).scrollIntoViewIfNeeded();
      await screenshot(page, `registry-parcel-not-evaluated-phone-${lang}`);
      await page.context().close();
    }
    // One crop evaluated over the parcel's commune.
    const profiles = (await api.get('/api/v1/suitability/profiles')).items;
    await api.post('/api/v1/suitability/runs', { crop: profiles[0].crop, commune: parcel.commune.code });
    const after = await api.get(`/api/v1/parcels/${fresh.id}/suitability`);
    assert.equal(after.items.length, 1, 'the run covered the new parcel');
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto(`/registry/parcels/${fresh.id}`);
    const s = after.items[0];
    const row = page.locator(`[data-testid=suitability-table] tr[data-crop="${s.crop}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-class'), s.dominant_class ?? 'none');
    for (const c of ['S1', 'S2', 'S3', 'N']) {
      const cell = await row.locator(`td[data-ha=${c}]`).innerText();
      assert.equal(Number(cell.replace(/\./g, '').replace(',', '.')), Number((s.hectares[c] ?? 0).toFixed(2)), `${c} hectares`);
    }
    assert.match(await row.innerText(), new RegExp(`phiên bản ${s.profile_version}`));
    if (s.limiting_factor) assert.equal(await row.locator('td').nth(2).locator('span').getAttribute('title'), s.limiting_factor);
    await screenshot(page, 'registry-parcel-suitability-laptop-vi');
    await page.context().close();
  }],

  ['the parcel list finds parcels by code, map sheet and parcel number, in the server\'s order, sort kept in the link', async (env) => {
    const { api, parcel } = await fixture(env);
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto('/registry/parcels');
    await page.locator('[data-testid=parcel-table] tbody tr').first().waitFor();
    const ids = () => page.locator('[data-testid=parcel-table] tbody tr').evaluateAll((rs) => rs.map((r) => Number(r.dataset.parcelId)));
    const settled = async (re) => {
      await page.waitForURL(re);
      await page.locator('.results:not([aria-busy])').waitFor();
    };
    // By code: what the server answers for q, in its order.
    await page.locator('input[name=q]').fill(parcel.external_id);
    await settled(new RegExp(`q=${encodeURIComponent(parcel.external_id)}`));
    const byCode = await api.get(`/api/v1/parcels?q=${encodeURIComponent(parcel.external_id)}&page_size=50`);
    assert.deepEqual(await ids(), byCode.items.map((p) => p.id), 'the rows are the server\'s answer to q');
    assert.ok((await ids()).includes(parcel.id));
    // The land-use code's name as a second line and a tooltip.
    const lu = page.locator(`[data-testid=parcel-table] tr[data-parcel-id="${parcel.id}"] .land-use`);
    assert.equal(await lu.getAttribute('title'), parcel.land_use.name_vi);
    await page.locator('input[name=q]').fill('');
    // By map sheet and parcel number.
    await page.locator('input[name=sheet_no]').fill(parcel.sheet_no);
    await page.locator('input[name=parcel_no]').fill(parcel.parcel_no);
    await settled(/parcel_no=/);
    await page.waitForFunction(() => !new URL(location.href).searchParams.get('q'));
    await page.locator('.results:not([aria-busy])').waitFor();
    const bySheet = await api.get(`/api/v1/parcels?sheet_no=${encodeURIComponent(parcel.sheet_no)}&parcel_no=${encodeURIComponent(parcel.parcel_no)}&page_size=50`);
    assert.deepEqual(await ids(), bySheet.items.map((p) => p.id));
    // Every commune has a sheet 1: each row is that sheet and number.
    const cells = await page.locator('[data-testid=parcel-table] tbody tr td:nth-child(2)').allInnerTexts();
    assert.ok(cells.length > 0 && cells.every((c) => c.includes(`${parcel.sheet_no} / ${parcel.parcel_no}`)), `rows of sheet ${parcel.sheet_no}, parcel ${parcel.parcel_no}`);
    await screenshot(page, 'registry-parcels-search-laptop-vi');
    // Sorting by map sheet: the header sets sort=sheet in the link and the rows follow the server.
    await page.locator('[data-testid=clear-filters]').click();
    await page.locator('[data-testid=parcel-table] th button[data-sort=sheet]').click();
    await settled(/sort=sheet/);
    const sheetOrder = await api.get('/api/v1/parcels?sort=sheet&page_size=50');
    assert.deepEqual(await ids(), sheetOrder.items.map((p) => p.id), 'ordered by sheet then parcel number, as the server orders');
    // Natural order: parcel numbers compare as numbers (the rows' numbers never go down within a sheet).
    const pairs = sheetOrder.items.map((p) => [p.sheet_no, p.parcel_no]);
    for (let i = 1; i < pairs.length; i++)
      if (pairs[i][0] === pairs[i - 1][0] && /^\d+$/.test(pairs[i][1]) && /^\d+$/.test(pairs[i - 1][1]))
        assert.ok(Number(pairs[i][1]) >= Number(pairs[i - 1][1]), `natural order: ${pairs[i - 1][1]} before ${pairs[i][1]}`);
    // The sort survives a reload from the link.
    await page.reload();
    await page.locator('[data-testid=parcel-table] tbody tr').first().waitFor();
    assert.equal(await page.locator('[data-testid=parcel-table] th[aria-sort=ascending] button').getAttribute('data-sort'), 'sheet');
    assert.deepEqual(await ids(), sheetOrder.items.map((p) => p.id));
    await page.locator('[data-testid=parcel-table] th button[data-sort=external_id]').click();
    await page.waitForFunction(() => !new URL(location.href).searchParams.get('sort'));
    await page.locator('.results:not([aria-busy])').waitFor();
    const codeOrder = await api.get('/api/v1/parcels?page_size=50');
    assert.deepEqual(await ids(), codeOrder.items.map((p) => p.id), 'back to the natural order by code');
    assert.deepEqual(scriptErrors(page), []);
    await page.context().close();
  }],

  ['the geometry check runs as a job: never run is said, progress is shown, then the last run and who ran it', async (env) => {
    const admin = await apiClient(env.base, DEMO.admin);
    const start = await admin.get('/api/v1/topology/findings?page_size=1');
    // An inspector reads the findings but may not start the check.
    const insp = await newPage(env, { viewport: LAPTOP });
    await login(insp, DEMO.inspector);
    await insp.goto('/registry/topology');
    await insp.locator('[data-testid=topology-last-run]').waitFor();
    assert.equal(await insp.locator('[data-testid=run-topology]').count(), 0, 'no run button without registry.write');
    await insp.context().close();

    // Before any check: the server answers a new database with no last_checks (the demo has
    // run the check, so that answer is played from the real one with the checks taken out).
    for (const lang of ['vi', 'en']) {
      const page = await newPage(env, { viewport: PHONE, lang });
      await login(page, DEMO.provinceOfficer);
      await page.route('**/api/v1/topology/findings*', async (route) => {
        const real = await (await route.fetch()).json();
        await route.fulfill({ json: { ...real, items: [], total: 0, last_checks: [], running: null } });
      });
      await page.goto('/registry/topology');
      await page.locator('[data-testid=topology-last-run][data-never=true]').waitFor();
      await page.locator('[data-testid=no-findings] [data-reason=never]').waitFor();
      const text = await page.locator('main').innerText();
      assert.doesNotMatch(text, lang === 'vi' ? /Không có lỗi hình học nào/ : /No geometry errors/, 'never "no errors" before any check');
      assert.match(text, lang === 'vi' ? /Chưa chạy kiểm tra/ : /never run/);
      await screenshot(page, `registry-topology-never-phone-${lang}`);
      await page.context().close();
    }
    if (!(start.last_checks ?? []).length) console.log('     (this database had never been checked)');

    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto('/registry/topology');
    await page.locator('[data-testid=topology-last-run]').waitFor();
    const posted = page.waitForResponse((r) => r.url().endsWith('/api/v1/topology/checks') && r.request().method() === 'POST');
    await page.locator('[data-testid=run-topology]').click();
    const resp = await posted;
    assert.equal(resp.status(), 202);
    const job = await resp.json();
    // Progress from GET /jobs/{id}, until the job ends and the list reloads.
    await page.locator(`[data-testid=topology-job][data-job-id="${job.id}"], [data-testid=topology-job][data-state=succeeded]`).first().waitFor();
    await screenshot(page, 'registry-topology-running-laptop-vi');
    await page.locator('[data-testid=topology-job][data-state=succeeded]').waitFor({ timeout: 300000 });
    const done = await admin.get(`/api/v1/jobs/${job.id}`);
    assert.equal(done.state, 'succeeded');
    const last = page.locator('[data-testid=topology-last-run][data-never=false]');
    await last.waitFor();
    const text = await last.innerText();
    assert.match(text, /Lần kiểm tra gần nhất/);
    assert.match(text, /province\.officer/, 'who ran it');
    await page.locator('[data-testid=finding-table], [data-testid=no-findings] [data-reason=checked]').first().waitFor();
    await screenshot(page, 'registry-topology-after-laptop-vi');
    const en = await newPage(env, { viewport: LAPTOP, lang: 'en' });
    await login(en, DEMO.provinceOfficer);
    await en.goto('/registry/topology');
    await en.locator('[data-testid=topology-last-run][data-never=false]', { hasText: 'Last check' }).waitFor();
    await screenshot(en, 'registry-topology-after-laptop-en');
    await en.context().close();
    assert.deepEqual(scriptErrors(page), []);
    await page.context().close();
  }],
];

await run(tests);
