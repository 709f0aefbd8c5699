// Chuỗi liên kết, as the people who use it, on the demo's illustrative chains: the
// province officer's contract list with the year's fulfilment and warnings, a contract
// with the fulfilment per party, the planted side-seller and the refused offer named,
// the chain drawn as a diagram and on the small map, a delivery recorded (and a bad
// quantity refused in the server's words), deliveries taken from the demo's EPCIS
// receiving events, a contract created and edited from its form (a wrong end date shown
// by its field), a facility and an investment project added from theirs, the facilities
// with capacity against supply, a signed contract uploaded as a PDF and downloaded with the
// same bytes (a file of another type refused in the server's words), and a commune
// officer who sees only the chains of their scope. Phone and laptop.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
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
    await page.locator('[data-testid=add-delivery] summary').click();
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
  ['a signed contract is uploaded as a file, listed, downloaded byte for byte; a text file is refused', async (env) => {
    for (const [viewport, tag] of [[LAPTOP, 'laptop'], [PHONE, 'phone']]) {
      const page = await newPage(env, { viewport });
      await login(page, DEMO.provinceOfficer);
      await page.goto('/chains?year=2025');
      await page.locator('[data-code=DEMO-LK-NGONGOT] a').click();
      await page.locator('[data-testid=documents]').waitFor();
      await settled(page);
      const name = `Hợp đồng liên kết ngô ngọt (${tag}).pdf`;
      const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n% hợp đồng đã ký\n'), Buffer.from([0, 1, 2, 250, 251, 252]), Buffer.from('\n%%EOF\n')]);
      await page.locator('[data-testid=add-document] summary').click();
      // A text file: the server reads the type and refuses it, naming the media type.
      expectApiError(page, { status: 400, method: 'POST', url: /\/api\/v1\/chains\/contracts\/\d+\/documents$/ });
      await page.locator('[data-testid=document-input]').setInputFiles({ name: 'ghi-chu.txt', mimeType: 'text/plain', buffer: Buffer.from('không phải PDF') });
      await page.locator('[data-testid=upload-document]').click();
      const refused = page.locator('[data-testid=document-form] .alert');
      await refused.waitFor();
      assert.match(await refused.innerText(), /file\.media_type/, 'the refused field is named');
      await screenshot(page, `chains-document-refused-${tag}`);
      await page.locator('[data-testid=document-input]').setInputFiles({ name, mimeType: 'application/pdf', buffer: pdf });
      await page.locator('[data-testid=upload-document]').click();
      const row = page.locator(`[data-testid=document-table] tr[data-name="${name}"]`);
      await row.waitFor();
      const href = await row.locator('[data-testid=document-link]').getAttribute('href');
      const got = await page.evaluate(async (url) => {
        const r = await fetch(url, { credentials: 'same-origin' });
        return { type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), bytes: Array.from(new Uint8Array(await r.arrayBuffer())) };
      }, href);
      assert.equal(got.type, 'application/pdf');
      assert.deepEqual(Buffer.from(got.bytes), pdf, 'the download is the uploaded bytes');
      assert.ok(got.disposition.includes(`filename*=UTF-8''${encodeURIComponent(name).replace(/[()']/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())}`), got.disposition);
      await row.scrollIntoViewIfNeeded();
      await screenshot(page, `chains-documents-${tag}`);
    }
  }],
  ['the demo’s receiving events named a contract: the tea chain shows deliveries taken from EPCIS', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto('/chains?year=2025');
    await page.locator('[data-code=DEMO-LK-CHE] a').click();
    await page.locator('[data-testid=delivery-table]').waitFor();
    await settled(page);
    assert.ok(await page.locator('[data-testid=delivery-table] [data-origin=epcis]').count() >= 1, 'a delivery from EPCIS');
    assert.match(await page.locator('[data-testid=delivery-table] [data-origin=epcis]').first().innerText(), /EPCIS/);
  }],
  ['an EPCIS receiving event naming a contract but not one of its participants is listed with its reason', async (env) => {
    for (const [viewport, tag] of [[LAPTOP, 'laptop'], [PHONE, 'phone']]) {
      const page = await newPage(env, { viewport });
      await login(page, DEMO.provinceOfficer);
      await page.goto('/chains?year=2025');
      const row = page.locator('[data-testid=unmatched-table] [data-reason=not_participant]');
      await row.waitFor();
      assert.match(await row.innerText(), /DEMO-LK-CHE/);
      assert.match(await row.innerText(), /không tham gia hợp đồng/);
      await row.scrollIntoViewIfNeeded();
      await screenshot(page, `chains-unmatched-${tag}`);
    }
  }],
  ['a contract is created and edited from the form, with the server’s errors by field', async (env) => {
    for (const [viewport, tag] of [[LAPTOP, 'laptop'], [PHONE, 'phone']]) {
      const page = await newPage(env, { viewport });
      await login(page, DEMO.provinceOfficer);
      await page.goto('/chains?year=2025');
      await page.locator('[data-testid=contract-table]').waitFor();
      await page.locator('[data-testid=new-contract] summary').click();
      const form = page.locator('[data-testid=contract-form]');
      const code = `UI-LK-${tag.toUpperCase()}`;
      await form.locator('input[name=code]').fill(code);
      await form.locator('input[name=lead_id]').fill('HTX chè Tam Đường');
      await form.locator('.field[data-field=lead_id] .picker-list li[data-producer-id]').first().click();
      for (const who of ['HTX chè Bản Bo', 'HTX chè Thân Thuộc']) {
        await form.locator('input[name=participant_pick]').fill(who);
        await form.locator('.field[data-field=participant_ids] .picker-list li[data-producer-id]').first().click();
      }
      assert.equal(await form.locator('[data-testid=participant-chips] li').count(), 2);
      await form.locator('input[name=parcel_pick]').fill('LC-');
      await form.locator('.field[data-field=parcel_ids] .picker-list li[data-parcel-id]').first().click();
      assert.equal(await form.locator('[data-testid=parcel-chips] li').count(), 1);
      await form.locator('input[name=commodity]').fill('tea');
      await form.locator('input[name=start]').fill('01/06/2025');  // dd/mm/yyyy, as typed in Vietnamese
      await form.locator('input[name=end]').fill('01/01/2025');  // before the start: the server says so
      await form.locator('input[name=committed_kg]').fill('12.000,5');
      await form.locator('select[name=price_mechanism]').selectOption('floor');
      await form.locator('textarea[name=inputs_services]').fill('Giống chè LDP1, phân bón trả chậm');
      expectApiError(page, { status: 400, method: 'POST', url: /\/api\/v1\/chains\/contracts$/ });
      await page.locator('[data-testid=save-contract]').click();
      const endError = form.locator('.field[data-field=end] .field-error');
      await endError.filter({ hasText: /./ }).waitFor();
      assert.match(await endError.innerText(), /sớm hơn ngày bắt đầu/, 'the error is in Vietnamese, all of it');
      await screenshot(page, `chains-contract-form-refused-${tag}`);
      await form.locator('input[name=end]').fill('31/12/2025');
      await page.locator('[data-testid=save-contract]').click();
      await page.waitForURL(/\/chains\/contracts\/\d+/);
      await page.locator('[data-testid=party-table]').waitFor();
      assert.match(await page.locator('h1').innerText(), new RegExp(code));
      assert.equal(await page.locator('[data-testid=party-table] [data-participant]').count(), 2);
      await screenshot(page, `chains-contract-created-${tag}`);
      // Edit: the commitment changes, the participants stay.
      await page.locator('[data-testid=edit-contract] summary').click();
      const edit = page.locator('[data-testid=edit-contract] [data-testid=contract-form]');
      // The covered parcel is shown by its registry id, as it was picked.
      await edit.locator('[data-testid=parcel-chips] li').filter({ hasText: /^LC-/ }).waitFor();
      await edit.locator('input[name=committed_kg]').fill('24000');
      await edit.locator('[data-testid=save-contract]').click();
      await page.waitForFunction(() => /24[.,]000/.test(document.querySelector('.facts')?.textContent ?? ''), null, { timeout: 15000 });
    }
  }],
  ['a facility and an investment project are added from their forms', async (env) => {
    for (const [viewport, tag] of [[LAPTOP, 'laptop'], [PHONE, 'phone']]) {
      const page = await newPage(env, { viewport });
      await login(page, DEMO.provinceOfficer);
      await page.goto('/chains/facilities');
      await page.locator('[data-testid=facility-table]').waitFor();
      await page.locator('[data-testid=new-facility] summary').click();
      const f = page.locator('[data-testid=facility-form]');
      const code = `UI-CS-${tag.toUpperCase()}`;
      await f.locator('input[name=code]').fill(code);
      await f.locator('input[name=name]').fill(`Xưởng sấy mắc ca ${tag}`);
      await f.locator('select[name=unit_id]').selectOption({ index: 1 });
      await f.locator('select[name=technology]').selectOption('automated');
      await f.locator('input[name=certifications]').fill('VietGAP; HACCP');
      await f.locator('input[name="capacities[0].commodity"]').fill('macadamia');
      await f.locator('input[name="capacities[0].product"]').fill('hạt sấy');
      await f.locator('input[name="capacities[0].capacity_t_per_season"]').fill('-3');
      expectApiError(page, { status: 400, method: 'POST', url: /\/api\/v1\/chains\/facilities$/ });
      await page.locator('[data-testid=save-facility]').click();
      await f.locator('.field[data-field="capacities[0].capacity_t_per_season"] .field-error').filter({ hasText: /./ }).waitFor();
      await f.locator('input[name="capacities[0].capacity_t_per_season"]').fill('45,5');
      await page.locator('[data-testid=save-facility]').click();
      await page.locator(`[data-testid=facility-table] :text("${code}")`).waitFor();
      await screenshot(page, `chains-facility-added-${tag}`);

      await page.goto('/chains/investments');
      await page.locator('[data-testid=investment-table], .alert').first().waitFor();
      await page.locator('[data-testid=new-investment] summary').click();
      const i = page.locator('[data-testid=investment-form]');
      const project = `UI-DA-${tag.toUpperCase()}`;
      await i.locator('input[name=code]').fill(project);
      await i.locator('input[name=name]').fill(`Nhà máy chế biến chè ${tag}`);
      await i.locator('select[name=kind]').selectOption('plant');
      await i.locator('select[name=status]').selectOption('under_construction');
      await i.locator('input[name=land_ha]').fill('3,5');
      await i.locator('input[name=raw_material_t]').fill('8000');
      await page.locator('[data-testid=save-investment]').click();
      await page.locator(`[data-testid=investment-table] [data-code="${project}"]`).waitFor();
      assert.match(await page.locator(`[data-testid=investment-table] [data-code="${project}"]`).innerText(), /Đang xây dựng/);
      await screenshot(page, `chains-investments-${tag}`);
    }
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

// Before the server starts: a receiving event captured with the CLI that names the demo's
// tea contract and a party who is not among its participants (docs/chains.md
// "Deliveries from EPCIS"): not a delivery, listed as unmatched.
async function setup({ cli, db, tmp }) {
  const doc = {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0',
    creationDate: '2025-10-02T00:00:00Z',
    epcisBody: { eventList: [{
      type: 'ObjectEvent', eventTime: '2025-10-01T09:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'OBSERVE', bizStep: 'receiving',
      bizTransactionList: [{ type: 'po', bizTransaction: 'urn:nongsan:contract:DEMO-LK-CHE' }],
      sourceList: [{ type: 'owning_party', source: 'urn:nongsan:producer:KHONG-THAM-GIA' }],
      quantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 75, uom: 'KGM' }],
    }] },
  };
  const file = path.join(tmp, 'unmatched.jsonld');
  fs.writeFileSync(file, JSON.stringify(doc));
  cli('epcis', 'capture', file, '--db', db);
}

await run(tests, { setup });
