// Hỗ trợ, as the people who use it: the province officer's queues and the
// application page with its rule trace, steps with their permissions and four eyes
// (refusals shown in the server's words), a commune officer entering an application
// with parcels picked on the map and refused another commune's, the cooperative that
// sees only its own, the policy editor's live validation and preview, the budget,
// and the findings on the map with a check run and the settings. The records are
// created through the API (lib/support_fixture.mjs), so the tests do not depend on
// the demo holding support data. Every screen at phone and laptop size.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, expectApiError, DEMO, LAPTOP, PHONE } from './lib/harness.mjs';
import { apiClient } from './lib/registry_fixture.mjs';
import { BEES, TEA, YEAR, claimOf, ensureSupportData } from './lib/support_fixture.mjs';

const vi = (n, digits = 0) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits }).format(n);
const money = (n) => `${vi(n)} đ`;

async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('.loading, [aria-busy=true]'), null, { timeout: 30000 });
}

function noErrors(page) {
  const errs = page.errors.filter((e) => !/401|403|404|409|400/.test(e));
  assert.deepEqual(errs, [], 'no page errors');
  assert.deepEqual(page.externalRequests, [], 'nothing fetched from outside the server');
}

/** The applications of the test year as `who` sees them through the API. */
async function apiList(env, who, query = '') {
  const api = await apiClient(env.base, who);
  return api.get(`/api/v1/support/applications?year=${YEAR}&page_size=200${query}`);
}

/** Clicks a parcel on a map given its geometry: the middle of its vertices, projected. */
async function clickParcel(page, handle, canvasSel, geometry) {
  const ring = geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0][0];
  const pts = ring.slice(0, -1);
  const c = [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
  await page.waitForFunction((h) => window[h] && window[h].loaded() && !window[h].isMoving(), handle, { timeout: 30000 });
  await page.evaluate(([h, lnglat]) => new Promise((r) => { const m = window[h]; m.jumpTo({ center: lnglat, zoom: Math.max(m.getZoom(), 17) }); m.once('idle', () => r()); }), [handle, c]);
  await page.locator(canvasSel).scrollIntoViewIfNeeded();
  const xy = await page.evaluate(([h, lnglat]) => { const p = window[h].project(lnglat); return [p.x, p.y]; }, [handle, c]);
  const box = await page.locator(canvasSel).boundingBox();
  await page.mouse.click(box.x + xy[0], box.y + xy[1]);
}

const tests = [
  ['the province officer’s queues count applications by status, and each row shows its findings', async (env) => {
    const fx = await ensureSupportData(env.base);
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.locator('nav.app-nav a.nav-link[data-path="/support"]').click();
    await page.locator('[data-testid=application-table]').waitFor();
    await settled(page);
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const counts = await api.get('/api/v1/support/queues');
    for (const s of ['submitted', 'verified', 'accepted', 'paid', 'rejected'])
      assert.equal(await page.locator(`.queue-card[data-status=${s}]`).getAttribute('data-count'), String(counts[s]), `queue ${s}`);
    assert.match(await page.locator('.queue-card[data-status=submitted]').innerText(), /Đã nộp\s+chờ xã xác minh/);
    // A queue is a filter: only submitted applications, and the URL says so.
    await page.locator('.queue-card[data-status=submitted]').click();
    await page.waitForURL(/status=submitted/);
    await settled(page);
    const statuses = await page.locator('[data-testid=application-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.status));
    assert.ok(statuses.length >= 3 && statuses.every((s) => s === 'submitted'), statuses.join(','));
    // Each row with its findings: the over-declared claim paid before acceptance.
    await page.locator('.queue-card[data-status=submitted]').click();
    await page.locator('select[name=year]').selectOption(String(YEAR));
    await settled(page);
    const row = page.locator('[data-testid=application-table] tr[data-code="T25-002"]');
    assert.deepEqual((await row.locator('[data-finding]').evaluateAll((b) => b.map((x) => x.dataset.finding))).sort(), ['over_declared', 'paid_without_acceptance']);
    assert.match(await row.innerText(), /Kê khai vượt diện tích/);
    assert.match(await row.innerText(), new RegExp(money(fx.apps['T25-002'].evaluated_amount).replace(/\./g, '\\.')));
    // Filtered by a finding of the year's check run.
    await page.locator('select[name=finding]').selectOption('not_controlled');
    await settled(page);
    const flagged = await page.locator('[data-testid=application-table] tbody tr').evaluateAll((r) => r.map((x) => x.dataset.code));
    const expected = await api.get(`/api/v1/support/applications?year=${YEAR}&finding=not_controlled&page_size=50`);
    assert.deepEqual(flagged, expected.items.map((a) => a.code));
    assert.ok(flagged.includes('T25-003'));
    assert.equal(await page.locator('[data-testid=application-table] tbody tr [data-finding=not_controlled]').count(), flagged.length, 'each row shows the finding');
    await screenshot(page, 'support-queue-laptop');
    noErrors(page);
    await page.context().close();
  }],

  ['the application page explains the amount step by step, in Vietnamese and in English', async (env) => {
    const fx = await ensureSupportData(env.base);
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const detail = await api.get(`/api/v1/support/applications/${fx.apps['T25-002'].id}`);
    const tr = detail.trace;
    assert.ok(tr.penalty_ha > 0 && tr.items[0].excess_ha > 0, 'T25-002 is over-declared');
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto(`/support/applications/${fx.apps['T25-002'].id}`);
    await page.locator('[data-testid=trace-steps]').waitFor();
    const steps = page.locator('[data-testid=trace-steps]');
    assert.match(await steps.locator('[data-trace=version]').innerText(), /TEST-CHE.*22\/03\/2021.*05\/03\/2025/);
    // The condition with the value it saw.
    assert.match(await steps.locator('[data-trace=conditions]').innerText(), new RegExp(`claimed_ha >= 0\\.1: tổng diện tích đề nghị \\(ha\\) ${vi(tr.conditions[0].left * 1, 4)} ≥ 0,1 → đạt`));
    // The item: claimed, the parcel's area, what counts, the excess.
    const item = await page.locator('[data-testid=trace-items] tbody tr').first().innerText();
    assert.match(item, new RegExp(fx.p2.external_id));
    assert.match(item, new RegExp(`${vi(tr.items[0].claimed, 4)} ha`));
    assert.match(item, new RegExp(`${vi(tr.items[0].area_ha, 4)} ha`));
    assert.match(item, /Kê khai vượt/);
    // The penalty, the payable hectares, the rate and the amount.
    assert.match(await steps.locator('[data-trace=penalty]').innerText(), new RegExp(`1,5 × ${vi(tr.items[0].excess_ha, 4)} ha vượt = ${vi(tr.penalty_ha, 4)} ha`));
    assert.match(await steps.locator('[data-trace=payable]').innerText(), new RegExp(`= ${vi(tr.payable, 4)} ha`));
    assert.match(await steps.locator('[data-trace=amount]').innerText(), new RegExp(`× 15\\.000\\.000 đ/ha = ${money(tr.amount).replace(/\./g, '\\.')}`));
    assert.equal(await page.locator('[data-testid=trace-amount] strong').innerText(), money(detail.evaluated_amount));
    // The findings in words, the life cycle with who and when, the payment.
    assert.match(await page.locator('[data-testid=app-findings]').innerText(), /Chi trả ngày 01\/06\/2025 khi hồ sơ chưa được nghiệm thu/);
    assert.match(await page.locator('[data-testid=app-steps]').innerText(), /binhlu\.officer[\s\S]*Đã nộp → Đã xác minh/);
    assert.match(await page.locator('[data-testid=app-payments]').innerText(), /5\.000\.000 đ[\s\S]*Chương trình mục tiêu quốc gia/);
    // The parcel links to the registry's page.
    assert.equal(await page.locator('[data-testid=app-items] a').first().getAttribute('href'), `/registry/parcels/${fx.p2.id}`);
    await screenshot(page, 'support-application-laptop');
    // The overlap's later side counts nothing, and says with which application.
    await page.goto(`/support/applications/${fx.apps['T25-003'].id}`);
    await page.locator('[data-testid=trace-items]').waitFor();
    assert.match(await page.locator('[data-testid=trace-items] tbody').innerText(), /Không được tính vì: chồng lấn với hồ sơ T25-001 nộp trước; không có quyền sử dụng đất/);
    assert.match(await page.locator('[data-testid=app-findings]').innerText(), /Đất đề nghị trong hồ sơ này giao .* m² với thửa .* của hồ sơ T25-001/);
    // In English.
    await page.locator('.app-header [data-lang=en]').click();
    await page.locator('[data-testid=trace-steps] [data-trace=items]', { hasText: 'What counts of each parcel' }).waitFor();
    assert.match(await page.locator('[data-testid=trace-items] tbody').innerText(), /Counts nothing: overlaps application T25-001, filed earlier; land not controlled/);
    await screenshot(page, 'support-application-laptop-en');
    noErrors(page);
    await page.context().close();
  }],

  ['steps follow the roles: the province approves, four eyes refuses the approver’s payment in the server’s words, another person pays', async (env) => {
    const fx = await ensureSupportData(env.base);
    const id = fx.apps['T25-007'].id;
    // The commune officer accepted it, and may not approve: no button, and a sentence says why.
    const commune = await newPage(env, { viewport: PHONE });
    await login(commune, DEMO.communeOfficer);
    await commune.goto(`/support/applications/${id}`);
    await commune.locator('[data-testid=no-steps-for-you]').waitFor();
    assert.match(await commune.locator('[data-testid=no-steps-for-you]').innerText(), /Phê duyệt, Từ chối/);
    await screenshot(commune, 'support-application-phone-commune');
    await commune.context().close();

    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto(`/support/applications/${id}`);
    await page.locator('[data-testid=step-actions] [data-step=approve]').click();
    const dialog = page.locator('dialog[open]');
    const evaluated = (await (await apiClient(env.base, DEMO.provinceOfficer)).get(`/api/v1/support/applications/${id}`)).evaluated_amount;
    assert.equal(await dialog.locator('input[name=amount]').inputValue(), String(evaluated), 'the amount under the rules is offered');
    // A amount that is not whole đồng is refused before sending.
    await dialog.locator('input[name=amount]').fill('12,5');
    await dialog.locator('[data-testid=step-submit]').click();
    await dialog.locator('.field[data-field=amount] .field-error', { hasText: 'số đồng nguyên' }).waitFor();
    await dialog.locator('input[name=amount]').fill(String(evaluated));
    await dialog.locator('input[name=reference]').fill('789/QĐ-UBND');
    await dialog.locator('[data-testid=step-submit]').click();
    await page.locator('[data-testid=flash]', { hasText: 'Phê duyệt' }).waitFor();
    assert.equal(await page.locator('.page-head [data-status]').getAttribute('data-status'), 'approved');
    // Four eyes: whoever approved may not pay. The server's words are shown, in the page's language.
    expectApiError(page, { status: 403, method: 'POST', url: new RegExp(`^/api/v1/support/applications/${id}/steps$`) });
    await page.locator('[data-testid=step-actions] [data-step=pay]').click();
    await page.locator('dialog[open] [data-testid=step-submit]').click();
    const refusal = page.locator('dialog[open] .alert-error');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /Bạn không có quyền/);
    assert.match(await refusal.locator('[data-verbatim=server]').innerText(), /nguyên tắc hai người: người đã phê duyệt hồ sơ không được chi trả hồ sơ đó/);
    await screenshot(page, 'support-four-eyes-laptop');
    await page.context().close();

    const admin = await newPage(env, { viewport: LAPTOP });
    await login(admin, DEMO.admin);
    await admin.goto(`/support/applications/${id}`);
    await admin.locator('[data-testid=step-actions] [data-step=pay]').click();
    await admin.locator('dialog[open] select[name=funding_source]').selectOption('provincial_budget');
    await admin.locator('dialog[open] [data-testid=step-submit]').click();
    await admin.locator('[data-testid=flash]', { hasText: 'Chi trả' }).waitFor();
    assert.equal(await admin.locator('.page-head [data-status]').getAttribute('data-status'), 'paid');
    const stepsText = await admin.locator('[data-testid=app-steps]').innerText();
    assert.match(stepsText, /province\.officer[\s\S]*admin/);
    assert.match(await admin.locator('[data-testid=app-payments]').innerText(), new RegExp(`${money(evaluated).replace(/\./g, '\\.')}[\\s\\S]*Ngân sách tỉnh`));
    // A rejection needs its reason; the form says so before anything is sent.
    await admin.goto(`/support/applications/${fx.apps['T25-003'].id}`);
    await admin.locator('[data-testid=step-actions] [data-step=reject]').click();
    await admin.locator('dialog[open] [data-testid=step-submit]').click();
    await admin.locator('dialog[open] .field[data-field=reason] .field-error', { hasText: 'Bắt buộc nhập' }).waitFor();
    await admin.locator('dialog[open] .dialog-x').click();
    noErrors(admin);
    await admin.context().close();
  }],

  ['a commune officer enters an application with parcels picked on the map, and sees only the commune’s', async (env) => {
    const fx = await ensureSupportData(env.base);
    const mine = await apiList(env, DEMO.communeOfficer);
    assert.ok(!mine.items.some((a) => a.code === 'T25-005'), 'another commune’s application is out of scope');
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.communeOfficer);
    await page.goto(`/support?year=${YEAR}`);
    await page.locator('[data-testid=application-table]').waitFor();
    await settled(page);
    const codes = await page.locator('[data-testid=application-table] tbody tr').evaluateAll((r) => r.map((x) => x.dataset.code));
    assert.deepEqual(codes.sort(), mine.items.map((a) => a.code).sort());
    // Another commune's application answers as if it did not exist.
    expectApiError(page, { status: 404, method: 'GET', url: new RegExp(`^/api/v1/support/applications/${fx.apps['T25-005'].id}$`) });
    await page.goto(`/support/applications/${fx.apps['T25-005'].id}`);
    await page.locator('.alert-error', { hasText: 'Không tìm thấy' }).waitFor();

    await page.goto('/support');
    await page.locator('[data-testid=new-application]').click();
    await page.locator('[data-testid=entry-form]').waitFor();
    await page.locator('select[name=policy]').selectOption(TEA);
    await page.locator('[data-testid=policy-info]', { hasText: '18.000.000 đ mỗi ha' }).waitFor();
    await page.locator('input[name=code]').fill('UI-BL-001');
    await page.locator('input[name=applicant]').fill(fx.h3.name);
    await page.locator(`.picker-list li[data-producer-id="${fx.h3.id}"]`).click();
    // The applicant's parcels are drawn; one is picked with its area prefilled.
    await page.locator('[data-testid=entry-map-status][data-ready=true]', { hasText: 'thửa của người đề nghị' }).waitFor({ timeout: 30000 });
    // The commune is small enough to be drawn whole, and stays whole once the applicant's parcels are fitted.
    const scope = (await (await apiClient(env.base, DEMO.communeOfficer)).get('/api/v1/parcels?page_size=1')).total;
    if (scope <= 3000) assert.match(await page.locator('[data-testid=entry-map-status]').innerText(), new RegExp(`${vi(scope).replace('.', '\\.')} thửa trong phạm vi của bạn`));
    const parcel = await (await apiClient(env.base, DEMO.communeOfficer)).get(`/api/v1/parcels/${fx.p4.id}`);
    await clickParcel(page, 'nongsanEntryMap', '[data-testid=entry-map] canvas', parcel.geometry);
    const row = page.locator(`[data-testid=picked-parcels] [data-parcel-id="${fx.p4.id}"]`);
    await row.waitFor();
    const expected = claimOf(parcel.area_m2);
    await page.waitForFunction(([id, v]) => document.querySelector(`[data-testid=picked-parcels] [data-parcel-id="${id}"] input`)?.value === v, [fx.p4.id, String(expected).replace('.', ',')]);
    assert.match(await row.innerText(), new RegExp(fx.p4.external_id));
    await screenshot(page, 'support-entry-laptop');
    // Clicked again, it goes out; clicked once more, it comes back.
    await clickParcel(page, 'nongsanEntryMap', '[data-testid=entry-map] canvas', parcel.geometry);
    await page.locator('[data-testid=no-items]').waitFor();
    await clickParcel(page, 'nongsanEntryMap', '[data-testid=entry-map] canvas', parcel.geometry);
    await row.waitFor();
    await page.waitForFunction((id) => document.querySelector(`[data-testid=picked-parcels] [data-parcel-id="${id}"] input`)?.value !== '', fx.p4.id);
    await page.locator('[data-testid=save-application]').click();
    await page.locator('[data-testid=flash]', { hasText: 'Đã lưu hồ sơ UI-BL-001' }).waitFor();
    assert.equal(await page.locator('[data-testid=app-items] a').first().getAttribute('href'), `/registry/parcels/${fx.p4.id}`);
    assert.match(await page.locator('[data-testid=app-items]').innerText(), new RegExp(`${vi(expected, 4)} ha`));

    // Counted items need no map; the server's refusal goes under the field it names.
    await page.goto('/support/applications/new');
    await page.locator('select[name=policy]').selectOption(BEES);
    assert.equal(await page.locator('.entry-map-box').isHidden(), true, 'no map for hives');
    await page.locator('input[name=code]').fill('UI-BL-001');
    await page.locator('input[name=applicant]').fill('HTX chè Tam');
    await page.locator(`.picker-list li[data-producer-id="${fx.coop.id}"]`).click();
    await page.locator('input[name="items[0].quantity"]').fill('25');
    expectApiError(page, { status: 400, method: 'POST', url: /^\/api\/v1\/support\/applications$/ });
    await page.locator('[data-testid=save-application]').click();
    await page.locator('.field[data-field=code] .field-error', { hasText: 'đã được dùng cho một hồ sơ khác' }).waitFor();
    await page.locator('input[name=code]').fill('UI-BL-002');
    await page.locator('[data-testid=save-application]').click();
    await page.locator('[data-testid=flash]', { hasText: 'Đã lưu hồ sơ UI-BL-002' }).waitFor();
    assert.match(await page.locator('[data-testid=app-items]').innerText(), /25 đàn ong/);
    noErrors(page);
    await page.context().close();

    const phone = await newPage(env, { viewport: PHONE });
    await login(phone, DEMO.communeOfficer);
    await phone.goto(`/support/applications/new?policy=${TEA}`);
    await phone.locator('[data-testid=entry-map-status][data-ready=true]').waitFor({ timeout: 30000 });
    await screenshot(phone, 'support-entry-phone');
    await phone.context().close();
  }],

  ['the cooperative sees only its own application, enters nothing and takes no step', async (env) => {
    const fx = await ensureSupportData(env.base);
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.coop);
    await page.goto('/support');
    await page.locator('[data-testid=application-table]').waitFor();
    await settled(page);
    const codes = await page.locator('[data-testid=application-table] tbody tr').evaluateAll((r) => r.map((x) => x.dataset.code));
    const own = await (await apiClient(env.base, DEMO.coop)).get('/api/v1/support/applications?page_size=200');
    assert.deepEqual(codes.sort(), own.items.map((a) => a.code).sort());
    assert.ok(codes.includes('T25-004') && own.items.every((a) => a.applicant.id === fx.coop.id), 'only the cooperative’s own');
    assert.equal(await page.locator('[data-testid=new-application]').count(), 0, 'no entry button');
    await screenshot(page, 'support-queue-phone-coop');
    await page.goto(`/support/applications/${fx.apps['T25-004'].id}`);
    await page.locator('[data-testid=trace-steps]').waitFor();
    assert.equal(await page.locator('[data-testid=step-actions]').count(), 0, 'no step buttons');
    assert.match(await page.locator('[data-testid=trace-steps] [data-trace=amount]').innerText(), /40 đàn ong × 300\.000 đ\/đàn ong = 12\.000\.000 đ/);
    assert.match(await page.locator('[data-testid=trace-steps] [data-trace=conditions]').innerText(), /applicant_kind in \["household", "cooperative"\].*cooperative.*đạt/);
    await screenshot(page, 'support-application-phone-coop');
    // Someone else's application, the entry form and the policy editor are refused.
    expectApiError(page, { status: 404, method: 'GET', url: new RegExp(`^/api/v1/support/applications/${fx.apps['T25-001'].id}$`) });
    await page.goto(`/support/applications/${fx.apps['T25-001'].id}`);
    await page.locator('.alert-error', { hasText: 'Không tìm thấy' }).waitFor();
    await page.goto('/support/applications/new');
    await page.locator('h1', { hasText: 'Bạn không có quyền' }).waitFor();
    await page.goto('/support/policies/new');
    await page.locator('h1', { hasText: 'Bạn không có quyền' }).waitFor();
    noErrors(page);
    await page.context().close();
  }],

  ['the policy editor shows a mistake under the conditions with its position, and previews what an amendment would have paid last year', async (env) => {
    await ensureSupportData(env.base);
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto('/support/policies');
    await page.locator(`[data-testid=policy-table] tr[data-code="${TEA}"] a`).click();
    await page.locator('[data-testid=version-table] tbody tr').first().waitFor();
    assert.equal(await page.locator('[data-testid=version-table] tbody tr').count(), 2, 'the policy and its amendment');
    await page.locator('[data-testid=amend-policy]').click();
    const form = page.locator('[data-testid=policy-form]');
    await form.locator('[data-testid=policy-verdict] [data-result=amendment]').waitFor();
    // A mistake in the condition: the server's position, under the field, with a mark.
    expectApiError(page, { status: 400, method: 'POST', url: /^\/api\/v1\/support\/policies\/check$/ });
    const cond = form.locator('[data-testid=conditions]');
    await cond.fill('claimed_ha >= 0.1 and applicant_kind = "household"');
    await form.locator('[data-testid=condition-caret][data-position="38"]').waitFor();
    assert.match(await form.locator('[data-testid=conditions-error]').innerText(), /vị trí 38: viết == để so sánh bằng/);
    assert.match(await form.locator('.caret-caption').innerText(), /ký tự thứ 38/);
    assert.match(await form.locator('[data-testid=condition-caret]').innerText(), /claimed_ha >= 0\.1 and applicant_kind = "household"\n {37}\^/);
    await screenshot(page, 'support-policy-error-laptop');
    await cond.fill('claimed_ha >= 0.1 and applicant_kind == "household"');
    await form.locator('[data-testid=policy-verdict] [data-result=amendment]').waitFor();
    assert.equal(await form.locator('[data-testid=condition-caret]').count(), 0);
    // Saving a mistake is refused too, with nothing stored.
    expectApiError(page, { status: 400, method: 'POST', url: /^\/api\/v1\/support\/policies$/ });
    await cond.fill('claimed_area >= 1');
    await form.locator('[data-testid=save-policy]').click();
    await form.locator('[data-testid=conditions-error]', { hasText: "không biết dữ kiện 'claimed_area'" }).waitFor();
    await form.locator('.form-alert .alert-error').waitFor();
    // The preview: an amendment from 1 Jan of last year at 20 million đồng a hectare.
    await cond.fill('claimed_ha >= 0.1');
    await form.locator('input[name=version]').fill(`01/01/${YEAR}`);
    await form.locator('input[name=version]').press('Enter');
    await form.locator('input[name=rate]').fill('20.000.000');
    await form.locator('select[name=preview_year]').selectOption(String(YEAR));
    await form.locator('[data-testid=policy-verdict] [data-result=amendment]', { hasText: `01/01/${YEAR}` }).waitFor();
    assert.equal(await form.locator('.form-alert .alert-error').count(), 0, 'the failed save’s message goes once the form is valid');
    await form.locator('[data-testid=preview-policy]').click();
    const preview = form.locator('[data-testid=preview] [data-year]');
    await preview.waitFor({ timeout: 60000 });
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const body = { ...(await api.get(`/api/v1/support/policies/${TEA}`)).current, version: `${YEAR}-01-01`, rate: 20000000 };
    for (const k of ['id', 'created_by', 'created_at']) delete body[k];
    const expected = await api.post(`/api/v1/support/policies/preview?year=${YEAR}`, body);
    assert.ok(expected.changed > 0 && expected.difference > 0, 'the amendment changes last year’s amounts');
    assert.equal(await preview.getAttribute('data-changed'), String(expected.changed));
    assert.match(await form.locator('[data-testid=preview-before]').innerText(), new RegExp(money(expected.total_before).replace(/\./g, '\\.')));
    assert.match(await form.locator('[data-testid=preview-after]').innerText(), new RegExp(money(expected.total_after).replace(/\./g, '\\.')));
    assert.match(await form.locator('[data-testid=preview-difference]').innerText(), new RegExp(`\\+${money(expected.difference).replace(/\./g, '\\.')}`));
    const rows = await form.locator('[data-testid=preview-changes] tbody tr').count();
    assert.equal(rows, expected.changes.length);
    assert.match(await form.locator('[data-testid=preview-changes]').innerText(), /T25-001/);
    await screenshot(page, 'support-policy-preview-laptop');
    // Nothing was saved by the preview.
    assert.equal((await api.get(`/api/v1/support/policies/${TEA}`)).versions.length, 2);
    noErrors(page);
    await page.context().close();
  }],

  ['a new policy is saved from the editor; a commune officer reads the policies without the editor', async (env) => {
    await ensureSupportData(env.base);
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.provinceOfficer);
    await page.goto('/support/policies');
    await page.locator('[data-testid=new-policy]').click();
    const form = page.locator('[data-testid=policy-form]');
    await form.locator('input[name=code]').fill('TEST-CHUONG');
    await form.locator('input[name=version]').fill('01/01/2026');
    await form.locator('input[name=name_vi]').fill('Hỗ trợ làm chuồng trại (thử nghiệm)');
    await form.locator('input[name=content]').fill('barns');
    await form.locator('select[name=item]').selectOption('project');
    assert.equal(await form.locator('fieldset[data-field=requires]').isHidden(), true, 'no land requirements for projects');
    await form.locator('input[name=rate]').fill('30.000.000');
    await form.locator('[data-testid=conditions]').fill('items >= 1');
    await form.locator('[data-testid=policy-verdict] [data-result=new_policy]').waitFor();
    await screenshot(page, 'support-policy-new-phone');
    await form.locator('[data-testid=save-policy]').click();
    await page.locator('[data-testid=flash]', { hasText: 'Đã lưu chính sách TEST-CHUONG' }).waitFor();
    assert.match(await page.locator('[data-testid=version-table]').innerText(), /30\.000\.000 đ \/ dự án/);
    await page.context().close();

    const commune = await newPage(env, { viewport: LAPTOP });
    await login(commune, DEMO.communeOfficer);
    await commune.goto(`/support/policies/${TEA}`);
    await commune.locator('[data-testid=version-table]').waitFor();
    assert.equal(await commune.locator('[data-testid=amend-policy]').count(), 0);
    await commune.goto('/support/policies');
    await commune.locator('[data-testid=policy-table]').waitFor();
    assert.equal(await commune.locator('[data-testid=new-policy]').count(), 0);
    await screenshot(commune, 'support-policies-laptop-commune');
    noErrors(commune);
    await commune.context().close();
  }],

  ['the budget shows planned, committed, paid and remaining by policy and source; a manager sets a plan', async (env) => {
    await ensureSupportData(env.base);
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const before = await api.get(`/api/v1/support/budget?year=${YEAR}`);
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto(`/support/budget?year=${YEAR}`);
    await page.locator('[data-testid=budget-lines]').waitFor();
    for (const k of ['planned', 'committed', 'paid', 'remaining'])
      assert.equal(await page.locator(`[data-testid=budget-${k}]`).getAttribute('data-value'), String(before.total[k]), k);
    const tea = page.locator(`.budget-line[data-policy="${TEA}"]`);
    assert.deepEqual((await tea.locator('tr[data-source]').evaluateAll((r) => r.map((x) => x.dataset.source))).sort(), before.lines.find((l) => l.policy === TEA).sources.map((s) => s.source).sort());
    assert.match(await tea.innerText(), /Chương trình mục tiêu quốc gia[\s\S]*50\.000\.000 đ/);
    await page.locator('[data-testid=budget-set] summary').click();
    await page.locator('[data-testid=budget-form] select[name=policy]').selectOption(BEES);
    await page.locator('[data-testid=budget-form] select[name=funding_source]').selectOption('national_target_programme');
    await page.locator('[data-testid=budget-form] input[name=planned]').fill('10.000.000');
    await page.locator('[data-testid=save-budget]').click();
    await page.waitForFunction((v) => document.querySelector('[data-testid=budget-planned]')?.getAttribute('data-value') === v, String(before.total.planned + 10000000));
    await screenshot(page, 'support-budget-laptop');
    noErrors(page);
    await page.context().close();
    const commune = await newPage(env, { viewport: PHONE });
    await login(commune, DEMO.communeOfficer);
    await commune.goto(`/support/budget?year=${YEAR}`);
    await commune.locator('[data-testid=budget-lines]').waitFor();
    assert.equal(await commune.locator('[data-testid=budget-set]').count(), 0, 'only managers set plans');
    await screenshot(commune, 'support-budget-phone-commune');
    await commune.context().close();
  }],

  ['the findings are drawn on their parcels with counts by kind; a manager runs the checks and changes the settings', async (env) => {
    await ensureSupportData(env.base);
    const api = await apiClient(env.base, DEMO.provinceOfficer);
    const answer = await api.get(`/api/v1/support/findings?year=${YEAR}&geometry=true`);
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto(`/support/findings?year=${YEAR}`);
    await page.locator('[data-testid=map-status][data-ready=true]').waitFor({ timeout: 30000 });
    for (const [kind, n] of Object.entries(answer.counts))
      assert.equal(await page.locator(`[data-testid=findings-legend] [data-finding=${kind}]`).getAttribute('data-count'), String(n), kind);
    const parcels = new Set(answer.items.filter((f) => f.geometry).map((f) => f.parcel_id));
    assert.ok(parcels.size >= 2);
    assert.equal(await page.locator('[data-testid=map-status]').getAttribute('data-count'), String(parcels.size));
    assert.match(await page.locator('[data-testid=findings-elsewhere]').innerText(), /Chi trả trước nghiệm thu[\s\S]*T25-002/);
    // A click on a parcel lists its findings, with links to the applications.
    const over = answer.items.find((f) => f.finding === 'over_declared');
    await clickParcel(page, 'nongsanFindingsMap', '[data-testid=findings-map] canvas', over.geometry);
    await page.locator('[data-testid=parcel-findings] li[data-finding=over_declared]').waitFor();
    assert.equal(await page.locator('[data-testid=parcel-findings] a[data-testid=finding-application]').first().getAttribute('href'), `/support/applications/${over.application_id}`);
    await screenshot(page, 'support-findings-laptop');
    // The checks run again; the run line names the new run.
    // The button queues a background job (POST /support/checks/jobs) and follows it.
    const runBefore = await page.locator('[data-testid=run-info] [data-run]').getAttribute('data-run');
    const jobsBefore = (await api.get('/api/v1/jobs?kind=support_check')).total;
    await page.locator('[data-testid=run-checks]').click();
    await page.locator('[data-testid=run-info] .alert-ok').waitFor({ timeout: 60000 });
    const runAfter = await page.locator('[data-testid=run-info] [data-run]').getAttribute('data-run');
    assert.notEqual(runAfter, runBefore);
    const jobs = await api.get('/api/v1/jobs?kind=support_check');
    assert.equal(jobs.total, jobsBefore + 1);
    assert.equal(jobs.items[0].state, 'succeeded');
    assert.equal(String(jobs.items[0].result.run_id), runAfter);
    assert.equal(await page.locator('[data-testid=check-progress]').isHidden(), true);
    // Settings: a number in the language's convention; a bad one is refused on the spot.
    await page.locator('[data-testid=open-settings]').click();
    const dlg = page.locator('dialog[open] [data-testid=settings-form]');
    await dlg.locator('input[name=tolerance_pct]').fill('ba');
    await dlg.locator('[data-testid=save-settings]').click();
    await dlg.locator('.field[data-field=tolerance_pct] .field-error', { hasText: 'Số không hợp lệ' }).waitFor();
    await dlg.locator('input[name=tolerance_pct]').fill('5');
    await dlg.locator('input[name=penalty_factor]').fill('2,5');
    await dlg.locator('[data-testid=save-settings]').click();
    await page.locator('[data-testid=run-info] .alert-ok', { hasText: 'Đã lưu thiết lập' }).waitFor();
    const s = await api.get('/api/v1/support/settings');
    assert.equal(s.tolerance_pct, 5);
    assert.equal(s.penalty_factor, 2.5);
    await api.patch('/api/v1/support/settings', { tolerance_pct: 3, penalty_factor: 1.5 });
    noErrors(page);
    await page.context().close();

    // A commune officer sees the commune's findings only, and neither runs nor sets anything.
    const commune = await newPage(env, { viewport: PHONE });
    await login(commune, DEMO.communeOfficer);
    await commune.goto(`/support/findings?year=${YEAR}`);
    // On a phone the legend counts and the status line is not shown.
    await commune.locator('[data-testid=map-status][data-ready=true]').waitFor({ state: 'attached', timeout: 30000 });
    assert.equal(await commune.locator('[data-testid=run-checks]').count(), 0);
    assert.equal(await commune.locator('[data-testid=open-settings]').count(), 0);
    const theirs = await (await apiClient(env.base, DEMO.communeOfficer)).get(`/api/v1/support/findings?year=${YEAR}`);
    const shown = await commune.locator('[data-testid=findings-legend] [data-finding]').evaluateAll((r) => Object.fromEntries(r.map((x) => [x.dataset.finding, Number(x.dataset.count)])));
    assert.deepEqual(shown, theirs.counts);
    await screenshot(commune, 'support-findings-phone-commune');
    await commune.context().close();
  }],

  ['every support screen at phone and laptop size, in both languages, without page errors', async (env) => {
    const fx = await ensureSupportData(env.base);
    const screens = [
      ['queue', '/support', '[data-testid=application-table]'],
      ['application', `/support/applications/${fx.apps['T25-002'].id}`, '[data-testid=trace-steps]'],
      ['entry', `/support/applications/new?policy=${TEA}`, '[data-testid=entry-map-status][data-ready=true]'],
      ['policies', '/support/policies', '[data-testid=policy-table]'],
      ['policy', `/support/policies/${TEA}?amend=1`, '[data-testid=policy-verdict] [data-result]'],
      ['budget', `/support/budget?year=${YEAR}`, '[data-testid=budget-lines]'],
      ['findings', `/support/findings?year=${YEAR}`, '[data-testid=map-status][data-ready=true]'],
    ];
    const maps = new Set(['entry', 'findings']);
    for (const [size, viewport] of [['phone', PHONE], ['laptop', LAPTOP]]) {
      for (const lang of ['vi', 'en']) {
        const page = await newPage(env, { viewport, lang });
        await login(page, DEMO.admin);
        const requested = [];
        page.on('request', (r) => requested.push(r.url()));
        for (const [name, url, sel] of screens) {
          requested.length = 0;
          await page.goto(url);
          await page.locator(sel).first().waitFor({ state: 'attached', timeout: 30000 });
          await settled(page);
          await screenshot(page, `support-${name}-${size}-${lang}`);
          // MapLibre only where there is a map.
          assert.equal(requested.some((u) => /\/assets\/maplibre/.test(u)), maps.has(name), `${name}: MapLibre loaded only on map pages`);
        }
        noErrors(page);
        await page.context().close();
      }
    }
  }],
];

await run(tests);
