// Saves the support screens at phone and laptop size, in both languages, for a
// person to look at (NONGSAN_BASE_URL required; creates the test records first).
// Usage: NONGSAN_BASE_URL=http://127.0.0.1:8080 node dev/support-screens.mjs [filter]
import path from 'node:path';
import { start, newPage, login, screenshotDir, DEMO, LAPTOP, PHONE } from '../lib/harness.mjs';
import { ensureSupportData, TEA, YEAR } from '../lib/support_fixture.mjs';

const env = await start();
const fx = await ensureSupportData(env.base);
const id = (code) => fx.apps[code].id;
const only = process.argv[2] ?? '';
const screens = [
  ['queue', DEMO.admin, '/support', '[data-testid=application-table]'],
  ['queue-coop', DEMO.coop, '/support', '[data-testid=queues] .queue-card'],
  ['app-paid', DEMO.admin, `/support/applications/${id('T25-001')}`, '[data-testid=trace]'],
  ['app-overdeclared', DEMO.communeOfficer, `/support/applications/${id('T25-002')}`, '[data-testid=trace-steps]'],
  ['app-overlap', DEMO.provinceOfficer, `/support/applications/${id('T25-003')}`, '[data-testid=trace-steps]'],
  ['app-bees', DEMO.coop, `/support/applications/${id('T25-004')}`, '[data-testid=trace-steps]'],
  ['entry', DEMO.communeOfficer, `/support/applications/new?policy=${TEA}`, '[data-testid=entry-map-status][data-ready=true]'],
  ['policies', DEMO.admin, '/support/policies', '[data-testid=policy-table]'],
  ['policy-amend', DEMO.admin, `/support/policies/${TEA}?amend=1`, '[data-testid=policy-form]'],
  ['policy-new', DEMO.admin, '/support/policies/new', '[data-testid=policy-form]'],
  ['budget', DEMO.admin, `/support/budget?year=${YEAR}`, '[data-testid=budget-lines]'],
  ['findings', DEMO.admin, `/support/findings?year=${YEAR}`, '[data-testid=map-status][data-ready=true]'],
];
for (const [name, who, url, sel] of screens) {
  if (only && !name.includes(only)) continue;
  for (const [size, viewport] of [['laptop', LAPTOP], ['phone', PHONE]]) {
    for (const lang of ['vi', 'en']) {
      if (lang === 'en' && size === 'phone') continue;
      const page = await newPage(env, { viewport, lang });
      await login(page, who);
      await page.goto(url);
      try {
        await page.locator(sel).first().waitFor({ timeout: 30000 });
      } catch (e) {
        console.log(name, 'wait failed', String(e).split('\n')[0]);
      }
      await page.waitForTimeout(600);
      // The whole page (a map page is the viewport anyway).
      await page.screenshot({ path: path.join(screenshotDir, `dev-support-${name}-${size}-${lang}.png`), fullPage: true });
      if (size === 'phone' && !name.includes('findings') && !name.includes('entry')) {
        // The phone layout scrolls inside its frame: a tall window shows the rest.
        await page.setViewportSize({ width: PHONE.width, height: 2400 });
        await page.waitForTimeout(400);
        await page.screenshot({ path: path.join(screenshotDir, `dev-support-${name}-${size}-${lang}-long.png`) });
      }
      const errs = page.errors.filter((e) => !/401/.test(e));
      console.log(name, size, lang, errs.length ? errs : 'ok');
      await page.context().close();
    }
  }
}
await env.stop();
