// The targets' approval inbox and the statuses the server has (draft, submitted,
// approved, returned — no "locked"): the approver sees how many values wait (in the
// menu), the rows oldest submission first with the previous approved value, the note
// and who submitted, approves or returns from the row; four eyes is said on the row
// and a refusal comes in the server's words; a duplicate entry opens the value that
// exists; the dashboard counts the indicators without a target apart from "no data".
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, DEMO, LAPTOP, PHONE, expectApiError } from './lib/harness.mjs';
import { importNq05 } from './lib/nq05.mjs';
import { apiClient } from './lib/registry_fixture.mjs';

const P = 'NQ05';
const scriptErrors = (page) => page.errors.filter((e) => !/401|403|409/.test(e));

let ctx = null;
async function setup(env) {
  if (ctx) return ctx;
  const officer = await apiClient(env.base, DEMO.districtOfficer);
  const boss = await apiClient(env.base, DEMO.provinceOfficer);
  const admin = await apiClient(env.base, DEMO.admin);
  const me = await officer.get('/api/v1/auth/me');
  ctx = { officer, boss, admin, unit: me.user.unit };
  return ctx;
}

/** A draft through the API as `who`; submitted too unless `draft`. */
async function entered(who, unit, { indicator = 'CHE_DT', year = 2024, period, value, note = '', draft = false }) {
  const o = await who.post(`/api/v1/programmes/${P}/observations`, { indicator, unit_id: unit.id, year, period, value, note });
  return draft ? o : who.action(`/api/v1/observations/${o.id}/submit`);
}

const tests = [
  ['the inbox: the count waiting in the menu, oldest submission first with the previous value, note and submitter; approve and return from the row', async (env) => {
    const { officer, boss, unit } = await setup(env);
    const a = await entered(officer, unit, { period: 1, value: 410.5, note: 'Số liệu quý I theo báo cáo của xã' });
    const b = await entered(officer, unit, { period: 2, value: 415, note: 'Quý II, đã đối chiếu' });
    const inbox = await boss.get(`/api/v1/programmes/${P}/approvals?page_size=100`);
    assert.ok(inbox.waiting.total >= 2);

    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    const pill = page.locator('[data-testid=approvals-count]');
    // Every programme's inbox counts (NQ05's values still wait after the next programme began).
    let waitingAll = 0;
    for (const prog of await boss.get('/api/v1/programmes')) waitingAll += (await boss.get(`/api/v1/programmes/${prog.code}/approvals?page_size=1`)).waiting.total;
    await page.waitForFunction((n) => document.querySelector('[data-testid=approvals-count]')?.dataset.value === String(n), waitingAll).catch(async (e) => {
      throw new Error(`${e.message}: the pill says ${await pill.getAttribute('data-value')}, the inboxes ${waitingAll}`);
    });
    assert.equal((await pill.innerText()).trim(), String(waitingAll), 'the menu shows how many wait');
    await page.locator('a.nav-link[data-path="/targets/approvals"]').click();
    await page.waitForURL(new RegExp(`/targets/${P}/approvals`));
    const rows = page.locator('[data-testid=approvals] tbody tr');
    await rows.first().waitFor();
    assert.equal(await page.locator('[data-testid=approvals-waiting]').getAttribute('data-total'), String(inbox.waiting.total));
    // The server's order: oldest submission first.
    const ids = await rows.evaluateAll((rs) => rs.map((r) => Number(r.dataset.observationId)));
    assert.deepEqual(ids, inbox.items.map((o) => o.id));
    const times = inbox.items.map((o) => o.submitted_at);
    assert.deepEqual(times, [...times].sort(), 'oldest submission first');
    assert.ok(ids.indexOf(a.id) < ids.indexOf(b.id), 'a was submitted before b');
    const rowA = page.locator(`[data-testid=approvals] tr[data-observation-id="${a.id}"]`);
    const textA = await rowA.innerText();
    assert.match(textA, /Số liệu quý I theo báo cáo của xã/, 'the note');
    assert.match(textA, /tamduong\.officer/, 'who submitted');
    assert.match(textA, /410,5/, 'the value in the Vietnamese convention');
    const itemA = inbox.items.find((o) => o.id === a.id);
    if (itemA.previous) assert.match(textA, new RegExp(`\\(${itemA.previous.year}\\)`), 'the previous approved value and its year');
    else assert.match(textA, /Chưa có/);
    await screenshot(page, 'targets-inbox-laptop-vi');

    // Approve a from its row.
    await rowA.locator('[data-testid=approve]').click();
    await page.locator('.flash .alert-ok').waitFor();
    await page.waitForFunction((id) => !document.querySelector(`[data-testid=approvals] tr[data-observation-id="${id}"]`), a.id);
    assert.equal((await boss.get(`/api/v1/observations/${a.id}`)).status, 'approved');
    await page.waitForFunction((n) => document.querySelector('[data-testid=approvals-count]')?.dataset.value === String(n), waitingAll - 1);

    // Return b with a reason.
    await page.locator(`[data-testid=approvals] tr[data-observation-id="${b.id}"] [data-testid=return]`).click();
    const dlg = page.locator('dialog[open]');
    await dlg.locator('textarea[name=reason]').fill('Thiếu biên bản kiểm tra');
    await dlg.locator('button[type=submit]').click();
    await page.waitForFunction((id) => !document.querySelector(`[data-testid=approvals] tr[data-observation-id="${id}"]`), b.id);
    const back = await boss.get(`/api/v1/observations/${b.id}`);
    assert.equal(back.status, 'returned');
    assert.equal(back.returned_reason, 'Thiếu biên bản kiểm tra');
    assert.deepEqual(scriptErrors(page), []);
    await page.context().close();

    // Both sizes, both languages.
    await entered(officer, unit, { period: 3, value: 420, note: 'Quý III' });
    for (const [size, viewport] of [['phone', PHONE], ['laptop', LAPTOP]])
      for (const lang of ['vi', 'en']) {
        const p = await newPage(env, { viewport, lang });
        await login(p, DEMO.provinceOfficer);
        await p.goto(`/targets/${P}/approvals`);
        await p.locator('[data-testid=approvals] tbody tr').first().waitFor();
        if (size === 'phone') {
          // On a phone the count rides on the menu button.
          await p.waitForFunction(() => document.querySelector('[data-testid=menu-approvals-count]')?.dataset.value > '0');
          const { sw, iw } = await p.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: window.innerWidth }));
          assert.ok(sw <= iw + 1, `the inbox fits the phone: ${sw} > ${iw}`);
        }
        await screenshot(p, `targets-inbox-${size}-${lang}`);
        await p.context().close();
      }
  }],

  ['four eyes is said on the row, and a refusal is shown in the server\'s words', async (env) => {
    const { officer, boss, admin, unit } = await setup(env);
    // The administrator enters and submits a value: in their inbox it cannot be approved by them.
    const own = await entered(admin, unit, { indicator: 'MACCA_DT', period: 1, value: 12 });
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto(`/targets/${P}/approvals`);
    const row = page.locator(`[data-testid=approvals] tr[data-observation-id="${own.id}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-can-approve'), 'false');
    assert.equal(await row.locator('[data-testid=approve]').count(), 0, 'no approve button on one\'s own value');
    assert.match(await row.locator('[data-testid=cannot-approve]').innerText(), /người khác duyệt/);
    await page.locator('[data-testid=four-eyes-note]').waitFor();
    await screenshot(page, 'targets-inbox-four-eyes-laptop-vi');
    await page.context().close();

    // A value another approver approves while the inbox is open: the server refuses, in its words.
    const d = await entered(officer, unit, { indicator: 'MACCA_DT', period: 2, value: 13 });
    const p2 = await newPage(env, { viewport: LAPTOP });
    await login(p2, DEMO.provinceOfficer);
    await p2.goto(`/targets/${P}/approvals`);
    const rowD = p2.locator(`[data-testid=approvals] tr[data-observation-id="${d.id}"]`);
    await rowD.waitFor();
    await admin.action(`/api/v1/observations/${d.id}/approve`);
    let said = '';
    try {
      await boss.action(`/api/v1/observations/${d.id}/approve`);
    } catch (e) {
      said = e.body?.message ?? '';
    }
    assert.ok(said, 'the server refuses a second approval');
    expectApiError(p2, { status: 409, method: 'POST', url: new RegExp(`^/api/v1/observations/${d.id}/approve$`) });
    await rowD.locator('[data-testid=approve]').click();
    const refused = p2.locator('[data-testid=approval-refused]');
    await refused.waitFor();
    assert.ok((await refused.innerText()).includes(said), `the server's words: "${said}" in "${await refused.innerText()}"`);
    await screenshot(p2, 'targets-inbox-refused-laptop-vi');
    await p2.context().close();
  }],

  ['a duplicate entry opens the value that exists instead of an error', async (env) => {
    const { officer, unit } = await setup(env);
    const draft = await entered(officer, unit, { indicator: 'CHE_DT', year: 2023, period: 4, value: 7, draft: true });
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.districtOfficer);
    await page.goto(`/targets/${P}/observations`);
    await page.locator('[data-testid=add-observation]').click();
    let dlg = page.locator('dialog[open]');
    await dlg.locator('select[name=indicator]').selectOption('CHE_DT');
    await dlg.locator('input[name=year]').fill('2023');
    await dlg.locator('select[name=period]').selectOption('4');
    await dlg.locator('input[name=value]').fill('9');
    // The duplicate is refused with 409 and the record that exists, which the form opens.
    expectApiError(page, { status: 409, method: 'POST', url: new RegExp(`^/api/v1/programmes/${P}/observations$`) });
    const posted = page.waitForResponse((r) => r.url().endsWith(`/programmes/${P}/observations`) && r.request().method() === 'POST');
    await dlg.locator('button[type=submit]').click();
    assert.equal((await posted).status(), 409);
    // The draft that exists opens for editing, with its own value.
    dlg = page.locator('dialog[open]');
    await dlg.locator('[data-testid=duplicate-opened]').waitFor();
    assert.equal(await dlg.locator('input[name=value]').inputValue(), '7');
    assert.ok(await dlg.locator('select[name=indicator]').isDisabled(), 'editing the existing value');
    await screenshot(page, 'targets-duplicate-phone-vi');
    await dlg.locator('input[name=value]').fill('9');
    await dlg.locator('button[type=submit]').click();
    await page.locator('.flash .alert-ok').waitFor();
    assert.equal((await officer.get(`/api/v1/observations/${draft.id}`)).value, 9);
    // A duplicate of a submitted value cannot be edited: the list shows it with its status.
    const sent = await entered(officer, unit, { indicator: 'CHE_DT', year: 2023, period: 101, value: 3 });
    await page.locator('[data-testid=add-observation]').click();
    dlg = page.locator('dialog[open]');
    await dlg.locator('select[name=indicator]').selectOption('CHE_DT');
    await dlg.locator('input[name=year]').fill('2023');
    await dlg.locator('select[name=period]').selectOption('101');
    await dlg.locator('input[name=value]').fill('4');
    await dlg.locator('button[type=submit]').click();
    await page.locator('[data-testid=duplicate-shown]', { hasText: 'Đã gửi' }).waitFor();
    await page.locator(`[data-testid=observations] tr[data-observation-id="${sent.id}"][data-status=submitted]`).waitFor();
    assert.deepEqual(scriptErrors(page), []);
    await page.context().close();
  }],

  ['no "locked" status anywhere; the dashboard counts the indicators without a target apart from "no data"', async (env) => {
    const { boss } = await setup(env);
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.provinceOfficer);
    await page.goto(`/targets/${P}/observations`);
    // The filter's options are drawn after the page's first answer: wait for the last one.
    await page.locator('select[name=status] option[value=returned]').waitFor({ state: 'attached' });
    const opts = await page.locator('select[name=status] option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(opts, ['', 'draft', 'submitted', 'approved', 'returned'], 'the server\'s statuses');
    const unit = '03390';
    const r = await boss.get(`/api/v1/programmes/${P}/review?milestone=2025&as_of=2023-06-30&unit=${unit}`);
    await page.goto(`/targets/${P}?milestone=2025&as_of=2023-06-30&unit=${unit}`);
    await page.locator('[data-testid=review-table] tbody tr').first().waitFor();
    for (const k of ['no_target', 'no_data'])
      assert.equal(await page.locator(`[data-testid=review-summary] [data-testid=count-${k}]`).getAttribute('data-value'), String(r.counts[k]), `count ${k}`);
    assert.ok(r.counts.no_target > 0, 'the commune has indicators without a target');
    assert.match(await page.locator('[data-testid=count-no_target]').innerText(), /Chưa giao chỉ tiêu/);
    const noTarget = r.indicators.find((i) => i.status === 'no_target');
    assert.match(await page.locator(`[data-testid=review-table] tr[data-indicator="${noTarget.indicator}"]`).innerText(), /Chưa giao chỉ tiêu/);
    await screenshot(page, 'targets-no-target-laptop-vi');
    const text = await page.locator('main').innerText();
    assert.doesNotMatch(text, /Đã khóa|Locked/);
    await page.context().close();
  }],
];

await run(tests, { setup: importNq05 });
