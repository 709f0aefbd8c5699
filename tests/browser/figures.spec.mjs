// Figures by unit: validation messages next to the fields, add / edit / delete
// with Vietnamese number conventions, and the roll-up that traces a number.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, DEMO, LAPTOP, PHONE, expectApiError } from './lib/harness.mjs';

const YEAR = '2030';

async function openAddForm(page) {
  await page.locator('[data-testid=add-figure]').click();
  const dlg = page.locator('dialog[open]');
  await dlg.waitFor();
  return dlg;
}

async function pickUnit(dlg, text) {
  await dlg.locator('input[name=unit]').fill(text);
  await dlg.locator('.picker-list li[role=option]').first().click();
}

const tests = [
  ['the server\'s validation message appears next to the year', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/figures');
    const dlg = await openAddForm(page);
    await pickUnit(dlg, 'Bình Lư');
    await dlg.locator('input[name=year]').fill('1800');
    await dlg.locator('input[name=value]').fill('10');
    expectApiError(page, { status: 400, method: 'POST', url: /^\/api\/v1\/figures$/ });
    await dlg.locator('button[type=submit]').click();
    const yearField = dlg.locator('.field[data-field=year]');
    await dlg.locator('.field.invalid').first().waitFor();
    assert.ok(await yearField.evaluate((el) => el.classList.contains('invalid')), 'the year field is marked');
    assert.ok((await yearField.locator('.field-error').textContent()).trim().length > 0, 'with the server\'s message');
    await screenshot(page, 'figures-validation-laptop-vi');
    // A value that is not a number in the Vietnamese convention is caught before sending.
    await dlg.locator('input[name=year]').fill(YEAR);
    await dlg.locator('input[name=value]').fill('12abc');
    await dlg.locator('button[type=submit]').click();
    await dlg.locator('.field[data-field=value] .field-error', { hasText: '1.234,5' }).waitFor();
    await page.context().close();
  }],

  ['add, edit and delete a figure written as 1.234,5', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/figures');
    const dlg = await openAddForm(page);
    const series = await dlg.locator('select[name=series]').inputValue();
    await pickUnit(dlg, 'Bình Lư');
    await dlg.locator('input[name=year]').fill(YEAR);
    await dlg.locator('input[name=value]').fill('1.234,5');
    await dlg.locator('textarea[name=note]').fill('Kiểm thử trình duyệt');
    await dlg.locator('button[type=submit]').click();
    await page.locator('.flash .alert-ok').waitFor();
    await page.goto(`/figures?series=${series}&year=${YEAR}`);
    const row = page.locator('table.table tbody tr', { hasText: 'Kiểm thử trình duyệt' });
    await row.waitFor();
    assert.match(await row.textContent(), /1\.234,5/);
    await screenshot(page, 'figures-list-laptop-vi');

    await row.locator('[data-testid=edit-figure]').click();
    const edit = page.locator('dialog[open]');
    assert.equal(await edit.locator('input[name=value]').inputValue(), '1234,5');
    assert.ok(await edit.locator('select[name=series]').isDisabled(), 'series cannot change when editing');
    await edit.locator('input[name=value]').fill('2000');
    await edit.locator('button[type=submit]').click();
    await page.locator('table.table tbody tr', { hasText: 'Kiểm thử trình duyệt' }).filter({ hasText: '2.000' }).waitFor();

    // The roll-up of the unit for that year is its own figure, and says so.
    await page.locator('table.table tbody tr', { hasText: 'Kiểm thử trình duyệt' }).locator('a', { hasText: 'Tổng hợp' }).click();
    const value = page.locator('[data-testid=rollup-value]');
    await value.waitFor();
    assert.match(await value.textContent(), /2\.000/);
    assert.match(await page.locator('[data-testid=rollup]').textContent(), /số liệu của chính đơn vị/);
    await screenshot(page, 'figures-rollup-own-laptop-vi');

    await page.goto(`/figures?series=${series}&year=${YEAR}`);
    await page.locator('table.table tbody tr', { hasText: 'Kiểm thử trình duyệt' }).locator('[data-testid=delete-figure]').click();
    await page.locator('dialog[open] .btn-danger').click();
    await page.locator('.flash .alert-ok', { hasText: 'Đã xóa' }).waitFor();
    await page.waitForFunction(() => !document.body.textContent.includes('Kiểm thử trình duyệt'));
    await page.context().close();
  }],

  ['a roll-up of a new commune lists its predecessors and each can be traced', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    await page.goto('/figures/rollup');
    const form = page.locator('form.filters');
    await form.locator('input[name=unit]').fill('Bình Lư');
    await form.locator('.picker-list li[role=option]').first().click();
    await form.locator('input[name=year]').fill('2024');
    await form.locator('button[type=submit]').click();
    const value = page.locator('[data-testid=rollup-value]');
    await value.waitFor();
    const rollup = page.locator('[data-testid=rollup]');
    assert.match(await rollup.textContent(), /cộng từ các đơn vị tiền thân/, 'a commune formed in 2025 rolls up its predecessors for 2024');
    const contributions = rollup.locator('table tbody tr');
    assert.ok(await contributions.count() >= 2, 'the merged communes are listed');
    assert.match(await contributions.first().textContent(), /\d+ %/);
    assert.match(await value.textContent(), /^[\d.]+(,\d+)? /, `value in the Vietnamese convention: ${await value.textContent()}`);
    await screenshot(page, 'figures-rollup-laptop-vi');
    // Trace one contribution down to its own stored record.
    const name = (await contributions.first().locator('td a').first().textContent()).trim();
    await contributions.first().locator('a', { hasText: 'Truy vết' }).click();
    await page.locator('[data-testid=rollup] h2', { hasText: name }).waitFor();
    assert.match(await page.locator('[data-testid=rollup]').textContent(), /số liệu của chính đơn vị/);
    await page.locator('[data-testid=view-records]').click();
    await page.locator('table.table tbody tr', { hasText: name }).first().waitFor();
    await page.goBack();
    await page.locator('.app-header [data-lang=en]').click();
    await page.locator('h1', { hasText: 'Roll-up of a figure' }).waitFor();
    await page.locator('[data-testid=rollup-value]').waitFor();
    await screenshot(page, 'figures-rollup-own-laptop-en');
    await page.context().close();
  }],

  ['figures read well on a phone in both languages', async (env) => {
    const page = await newPage(env, { viewport: PHONE });
    await login(page, DEMO.districtOfficer);
    await page.goto('/figures');
    await page.locator('.results table, .results .empty').first().waitFor();
    await screenshot(page, 'figures-phone-vi');
    await page.locator('.app-header [data-lang=en]').click();
    await page.locator('h1', { hasText: 'Figures by unit' }).waitFor();
    await page.locator('.results table, .results .empty').first().waitFor();
    await screenshot(page, 'figures-phone-en');
    await page.context().close();
  }],
];

await run(tests);
