// Takes screenshots of every screen at phone and laptop size in both languages,
// for a person to look at: NONGSAN_BASE_URL=http://127.0.0.1:8099 node dev/screens.mjs [binary]
import { run, newPage, login, screenshot, DEMO, PHONE, LAPTOP } from '../lib/harness.mjs';

const paths = (process.env.SCREENS ?? '/home,/map,/map?as_of=2024-12-31,/units,/units/2,/figures,/figures/rollup?series=rice_area_ha&unit_id=2&year=2024,/users,/audit,/registry,/registry/parcels,/registry/producers,/registry/zones,/registry/conversions,/registry/topology,/support,/support/policies,/support/budget').split(',');
const tests = [];
for (const [size, viewport] of [['laptop', LAPTOP], ['phone', PHONE]]) {
  for (const lang of (process.env.LANGS ?? 'vi,en').split(',')) {
    tests.push([`screens ${size} ${lang}`, async (env) => {
      const page = await newPage(env, { viewport, lang });
      await page.goto('/');
      await screenshot(page, `dev-${size}-${lang}-login`);
      await login(page, DEMO.admin);
      for (const p of paths) {
        await page.goto(p);
        await page.waitForTimeout(p.startsWith('/map') || p === '/registry' ? 2500 : 800);
        await screenshot(page, `dev-${size}-${lang}-${p.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'root'}`);
      }
      if (page.errors.length) console.log(page.errors.join('\n'));
      if (page.externalRequests.length) throw new Error(`external requests: ${page.externalRequests.join(', ')}`);
      await page.context().close();
    }]);
  }
}
await run(tests);
