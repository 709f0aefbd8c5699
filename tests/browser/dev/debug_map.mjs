import { run, newPage, login, DEMO } from '../lib/harness.mjs';
await run([['debug', async (env) => {
  const page = await newPage(env);
  page.on('console', (m) => console.log('console', m.type(), m.text()));
  page.on('requestfailed', (r) => console.log('failed', r.url(), r.failure()?.errorText));
  page.on('response', (r) => { if (!r.url().includes('/api/')) console.log('resp', r.status(), r.url(), r.headers()['content-type']); });
  await login(page, DEMO.admin);
  await page.goto('/map');
  await page.waitForTimeout(3000);
  console.log(await page.evaluate(() => { const m = window.nongsanMap; return JSON.stringify({ layers: m.getStyle().layers.map(l => l.id), src: !!m.getSource('units'), feats: m.querySourceFeatures('units').length, rendered: m.queryRenderedFeatures().length, center: m.getCenter(), zoom: m.getZoom() }); }));
}]]);
