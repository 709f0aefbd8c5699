// Saves a few more target screens for a person to look at (NONGSAN_BASE_URL required).
import { start, newPage, login, screenshot, DEMO, LAPTOP, PHONE } from '../lib/harness.mjs';
const env = await start();
const shots = [
  ['dev-targets-nq05-today-laptop-vi', LAPTOP, 'vi', '/targets/NQ05', '[data-testid=review-table]'],
  ['dev-targets-nq05-2030-laptop-vi', LAPTOP, 'vi', '/targets/NQ05?milestone=2030&as_of=2025-12-31', '[data-testid=review-table]'],
  ['dev-targets-nn2630-laptop-vi', LAPTOP, 'vi', '/targets/NN2630', '[data-testid=review-table]'],
  ['dev-targets-commune-map-laptop-vi', LAPTOP, 'vi', '/targets/NQ05/indicators/MACCA_DT?as_of=2025-12-31&milestone=2025&colour=value', '[data-testid=choropleth][data-drawn=true]'],
  ['dev-targets-targets-laptop-vi', LAPTOP, 'vi', '/targets/NQ05/targets?indicator=MACCA_DT', '[data-testid=targets]'],
  ['dev-targets-targets-phone-vi', PHONE, 'vi', '/targets/NQ05/targets?indicator=MACCA_DT', '[data-testid=targets]'],
  ['dev-targets-flags-laptop-vi', LAPTOP, 'vi', '/targets/NQ05/observations?view=flags', '[data-testid=flags]'],
  ['dev-targets-nn2630-obs-phone-vi', PHONE, 'vi', '/targets/NN2630/observations', '[data-testid=observations]'],
  ['dev-targets-indicator-laptop-en', LAPTOP, 'en', '/targets/NQ05/indicators/CHE_SHAN_TM?as_of=2023-06-30&milestone=2025', '[data-testid=choropleth][data-drawn=true]'],
  ['dev-targets-reports-phone-vi', PHONE, 'vi', '/targets/NQ05/reports?as_of=2023-06-30', '[data-testid=downloads]'],
];
for (const [name, viewport, lang, url, sel] of shots) {
  const page = await newPage(env, { viewport, lang });
  await login(page, DEMO.admin);
  await page.goto(url);
  try { await page.locator(sel).first().waitFor(); } catch (e) { console.log(name, 'wait failed', String(e).slice(0, 200)); }
  await screenshot(page, name);
  const errs = page.errors.filter((e) => !/401/.test(e));
  console.log(name, errs.length ? errs : 'ok');
  await page.context().close();
}
await env.stop();
