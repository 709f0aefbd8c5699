// The first map load on a commune's line: 1 Mbit/s with 100 ms round trips
// (Chrome DevTools Protocol, Network.emulateNetworkConditions), empty cache, from the
// login page to the map of units drawn. Prints the bytes transferred (the web UI's
// files and the API's answers apart) and the time, and asserts that the web UI's
// files stay under a byte budget that only compression meets: MapLibre and its worker
// are ~1.6 MB as they are, ~0.35 MB brotli-compressed. Asserts no bytes, not time.
// Also: the app and MapLibre run under the Content-Security-Policy with no violation.
import assert from 'node:assert/strict';
import { run, newPage, login, screenshot, DEMO, LAPTOP } from './lib/harness.mjs';

const LINE = { offline: false, latency: 100, downloadThroughput: 1_000_000 / 8, uploadThroughput: 1_000_000 / 8 };
const ASSET_BUDGET = 700 * 1024;  // bytes on the wire for the UI's own files (uncompressed: > 1.9 MB)

function kib(n) {
  return `${(n / 1024).toFixed(0)} KiB`;
}

const tests = [
  ['the first map load on a 1 Mbit/s line sends the UI compressed, under CSP', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', LINE);
    const urls = new Map();
    const encodings = new Map();
    let assetBytes = 0;
    let apiBytes = 0;
    let uncompressedAssets = 0;
    cdp.on('Network.responseReceived', (e) => {
      urls.set(e.requestId, e.response.url);
      const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
      encodings.set(e.requestId, h['content-encoding'] ?? '');
    });
    cdp.on('Network.loadingFinished', (e) => {
      const url = urls.get(e.requestId) ?? '';
      if (new URL(url, env.base).pathname.startsWith('/api/')) apiBytes += e.encodedDataLength;
      else {
        assetBytes += e.encodedDataLength;
        if (url.endsWith('.js') && e.encodedDataLength > 50_000 && !encodings.get(e.requestId)) uncompressedAssets++;
      }
    });

    const t0 = Date.now();
    await login(page, DEMO.admin);
    await page.goto('/map');
    await page.locator('[data-testid=map-status][data-as-of]').waitFor({ timeout: 120000 });
    await page.waitForFunction(() => {
      const m = window.nongsanMap;
      return m && m.loaded() && m.getLayer('units-fill') && m.queryRenderedFeatures({ layers: ['units-fill'] }).length > 0;
    }, null, { timeout: 120000 });
    const seconds = (Date.now() - t0) / 1000;
    await screenshot(page, 'load-map-1mbit');

    console.log(`     1 Mbit/s, 100 ms: UI files ${kib(assetBytes)}, API ${kib(apiBytes)}, ` +
                `total ${kib(assetBytes + apiBytes)}, map drawn after ${seconds.toFixed(1)} s`);
    assert.equal(uncompressedAssets, 0, 'every large script came compressed');
    assert.ok(assetBytes < ASSET_BUDGET, `the UI's files took ${kib(assetBytes)} on the wire (budget ${kib(ASSET_BUDGET)})`);
    const violations = await page.evaluate(() => window.__cspViolations);
    assert.deepEqual(violations, [], 'no Content-Security-Policy violation');
    assert.deepEqual(page.errors.filter((e) => /Content.Security.Policy/i.test(e)), [], 'no CSP message in the console');
    // The app asks /auth/me before the login: that 401 is expected, nothing else is.
    const unexpected = page.errors.filter((e) => !/status of 401/.test(e));
    assert.deepEqual(unexpected, [], 'no errors in the page');
  }],
];

await run(tests);
