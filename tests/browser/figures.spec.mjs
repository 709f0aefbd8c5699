// Figures by unit: validation messages next to the fields, add / edit / delete
// with Vietnamese number conventions, and the roll-up that traces a number.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, DEMO, LAPTOP, PHONE } from './lib/harness.mjs';

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

  ['a roll-up lists the records behind a number and each can be traced', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await login(page, DEMO.admin);
    // Find any stored figure and roll up its unit's parent (or successor) so there are contributions.
    await page.goto('/figures');
    const first = page.locator('table.table tbody tr').first();
    await first.waitFor();
    await first.locator('a', { hasText: 'Tổng hợp' }).click();
    await page.locator('[data-testid=rollup-value]').waitFor();
    const contributions = page.locator('[data-testid=rollup] table tbody tr');
    assert.ok(await contributions.count() >= 1, 'the roll-up shows its contributions');
    await screenshot(page, 'figures-rollup-laptop-vi');
    await page.locator('.app-header [data-lang=en]').click();
    await page.locator('h1', { hasText: 'Roll-up of a figure' }).waitFor();
    await page.locator('[data-testid=rollup-value]').waitFor();
    await screenshot(page, 'figures-rollup-laptop-en');
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
