// The committee's conclusions and the public portal, as their users meet them: the
// portal without login at phone size (no script, no sideways scrolling, the indicators,
// the map, the open data with its licence), and the province officer who drafts the
// notice of 30/06/2023, edits a paragraph (its references stay), finds it saved after a
// reload, and registers the text, at phone and laptop size.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, DEMO, LAPTOP, PHONE } from './lib/harness.mjs';

function noErrors(page) {
  const errs = page.errors.filter((e) => !/400|401|403|404|409/.test(e));
  assert.deepEqual(errs, [], 'no page errors');
  assert.deepEqual(page.externalRequests, [], 'nothing fetched from outside the server');
}

const tests = [
  ['the public portal works without login on a phone, without script or personal data', async (env) => {
    for (const [size, viewport] of [['phone', PHONE], ['laptop', LAPTOP]]) {
      const page = await newPage(env, { viewport });
      const res = await page.goto('/cong-khai?programme=NQ05&as_of=2023-06-30');
      assert.equal(res.status(), 200);
      assert.match(res.headers()['cache-control'] ?? '', /public, max-age=300/);
      assert.match(await page.locator('h1').innerText(), /Công khai kết quả thực hiện/);
      assert.equal(await page.evaluate(() => document.scripts.length), 0, 'no script');
      const rows = await page.locator('#chi-tieu tbody tr').count();
      assert.equal(rows, 17, 'the 17 indicators of NQ05');
      assert.match(await page.locator('#chi-tieu').innerText(), /Trồng mới chè Shan tuyết/);
      assert.ok(await page.locator('#ban-do svg path').count() > 0, 'the map draws the zones');
      assert.match(await page.locator('#du-lieu-mo').innerText(), /CC BY 4\.0/);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `no sideways scrolling at ${size} (${overflow}px)`);
      assert.doesNotMatch(await page.content(), /0900737135|citizen_id|phone/);
      await screenshot(page, `portal-${size}`);
      noErrors(page);
      await page.context().close();
    }
  }],

  ['the province officer drafts the notice, edits a paragraph keeping its references, and registers it', async (env) => {
    for (const [size, viewport] of [['phone', PHONE], ['laptop', LAPTOP]]) {
      const page = await newPage(env, { viewport });
      await login(page, DEMO.provinceOfficer);
      await page.goto('/conclusions');
      await page.locator('[data-testid=conclusions-new]').waitFor();
      await page.locator('input[name=as_of]').fill('2023-06-30');
      await page.locator('[data-testid=conclusions-new] button[type=submit]').click();
      await page.waitForURL(/\/conclusions\/\d+$/);
      const para = page.locator('[data-testid="p-limitations.1"]');
      await para.waitFor();
      const refsBefore = await para.locator('.refs a').allInnerTexts();
      assert.ok(refsBefore.length > 0, 'the paragraph has references');
      assert.match(await para.locator('textarea').inputValue(), /chỉ tiêu đạt thấp/);
      await para.locator('textarea').fill('Một số chỉ tiêu đạt thấp, cần tập trung chỉ đạo (cán bộ sửa).');
      await para.locator('button[data-save]').click();
      await para.getByText('Đã lưu').waitFor();
      await page.reload();
      await para.waitFor();
      assert.equal(await para.locator('textarea').inputValue(), 'Một số chỉ tiêu đạt thấp, cần tập trung chỉ đạo (cán bộ sửa).');
      assert.deepEqual(await para.locator('.refs a').allInnerTexts(), refsBefore, 'the references stayed');
      assert.ok(await page.locator('[data-testid=sources] tbody tr').count() >= refsBefore.length);
      await screenshot(page, `conclusions-editor-${size}`);
      await page.locator('[data-testid=register]').click();
      await page.locator('[data-testid=status]').getByText('Đã đăng ký').waitFor();
      assert.equal(await para.locator('textarea').getAttribute('readonly'), 'true', 'a registered text is no longer edited');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `no sideways scrolling at ${size} (${overflow}px)`);
      noErrors(page);
      await page.context().close();
    }
  }],
];

await run(tests);
