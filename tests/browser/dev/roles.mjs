// Screens as each demo role sees them (dev aid): NONGSAN_BASE_URL=... node dev/roles.mjs
import { run, newPage, login, screenshot, DEMO, LAPTOP } from '../lib/harness.mjs';
const tests = Object.entries(DEMO).map(([name, who]) => [`role ${name}`, async (env) => {
  const page = await newPage(env, { viewport: LAPTOP });
  await login(page, who);
  await page.waitForTimeout(2500);
  await screenshot(page, `dev-role-${name}-map`);
  await page.goto('/figures');
  await page.waitForTimeout(800);
  await screenshot(page, `dev-role-${name}-figures`);
  console.log(name, page.errors.filter((e) => !/401/.test(e)));
  await page.context().close();
}]);
await run(tests);
