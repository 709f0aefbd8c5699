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

  ['the parcel page says "chưa đánh giá" before any suitability run, and the run\'s figures after one', async (env) => {
    const { api, parcel } = await fixture(env);
    const before = await api.get(`/api/v1/parcels/${parcel.id}/suitability`);
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    if (!before.items.length) {
      await page.goto(`/registry/parcels/${parcel.id}`);
      await page.locator('[data-testid=suitability-none]', { hasText: 'Chưa đánh giá' }).waitFor();
      // One crop evaluated over the parcel's commune.
      const profiles = (await api.get('/api/v1/suitability/profiles')).items;
      assert.ok(profiles.length > 0, 'the demo has crop profiles');
      await api.post('/api/v1/suitability/runs', { crop: profiles[0].crop, commune: parcel.commune.code });
    }
    const after = await api.get(`/api/v1/parcels/${parcel.id}/suitability`);
    assert.ok(after.items.length > 0, 'the parcel has been evaluated');
    await page.goto(`/registry/parcels/${parcel.id}`);
    const s = after.items[0];
    const row = page.locator(`[data-testid=suitability-table] tr[data-crop="${s.crop}"]`);
    await row.waitFor();
    const text = await row.innerText();
    for (const c of ['S1', 'S2', 'S3', 'N']) {
      const cell = await row.locator(`td[data-ha=${c}]`).innerText();
      assert.equal(Number(cell.replace(/\./g, '').replace(',', '.')), Number((s.hectares[c] ?? 0).toFixed(2)), `${c} hectares`);
    }
    assert.match(text, new RegExp(`phiên bản ${s.profile_version}`));
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
    assert.ok((await ids()).includes(parcel.id));
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

    for (const lang of ['vi', 'en']) {
      const page = await newPage(env, { viewport: PHONE, lang });
      await login(page, DEMO.provinceOfficer);
      await page.goto('/registry/topology');
      await page.locator('[data-testid=topology-last-run]').waitFor();
      if (!(start.last_checks ?? []).length) {
        assert.equal(await page.locator('[data-testid=topology-last-run]').getAttribute('data-never'), 'true');
        await page.locator('[data-testid=no-findings] [data-reason=never]').waitFor();
        const text = await page.locator('main').innerText();
        assert.doesNotMatch(text, lang === 'vi' ? /Không có lỗi hình học nào/ : /No topology findings/, 'never "no errors" before any check');
      }
      await screenshot(page, `registry-topology-before-phone-${lang}`);
      await page.context().close();
    }

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
