// The first map load on a mountain commune's line: 1 Mbit/s down, 256 kbit/s up,
// 150 ms latency (Chrome DevTools Protocol, Network.emulateNetworkConditions), an
// empty cache, a commune officer from the login page to the parcel map drawn.
// Records the bytes on the wire (encoded) and uncompressed, the number of requests
// and the time; prints them and writes them as JSON to build/browser-output/load.json.
// Asserts only what holds whatever the machine's speed — never a time:
//   - every JS and CSS file comes compressed: `br` when the browser offers it, else gzip;
//   - the encoded bytes of the first map load are below half of the uncompressed bytes;
//   - a second load takes the UI's files from the cache or as 304 Not Modified;
//   - the app and MapLibre run under the Content-Security-Policy with no violation.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { run, newPage, screenshot, repoRoot, DEMO, LAPTOP } from './lib/harness.mjs';

const LINE = { offline: false, latency: 150, downloadThroughput: 1_000_000 / 8, uploadThroughput: 256_000 / 8 };
const OUT_DIR = path.join(repoRoot, 'build', 'browser-output');

const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;

/**
 * Counts every response of a page through CDP: encoded bytes (what crossed the
 * line, headers included), decoded bytes (the bodies as the browser used them),
 * the Content-Encoding of each file and what the request offered, and whether it
 * came from the cache or as a 304.
 */
async function meter(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', LINE);
  const reqs = new Map();
  const get = (id) => {
    if (!reqs.has(id)) reqs.set(id, { url: '', status: 0, type: '', encoding: '', accept: '', encoded: 0, decoded: 0, cached: false, done: false });
    return reqs.get(id);
  };
  const lower = (o) => Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  cdp.on('Network.requestWillBeSent', (e) => {
    const r = get(e.requestId);
    r.url = e.request.url;
    r.accept = lower(e.request.headers)['accept-encoding'] ?? r.accept;
  });
  cdp.on('Network.requestWillBeSentExtraInfo', (e) => {
    // The headers actually sent (Accept-Encoding is added by the network stack).
    const a = lower(e.headers)['accept-encoding'];
    if (a) get(e.requestId).accept = a;
  });
  cdp.on('Network.requestServedFromCache', (e) => (get(e.requestId).cached = true));
  cdp.on('Network.responseReceived', (e) => {
    const r = get(e.requestId);
    r.url = e.response.url;
    r.status = e.response.status;
    r.type = e.type;
    r.encoding = lower(e.response.headers)['content-encoding'] ?? '';
    if (e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker) r.cached = true;
  });
  cdp.on('Network.dataReceived', (e) => (get(e.requestId).decoded += e.dataLength));
  cdp.on('Network.loadingFinished', (e) => {
    const r = get(e.requestId);
    r.encoded = e.encodedDataLength;
    r.done = true;
  });
  return {
    reset: () => reqs.clear(),
    list: () => [...reqs.values()].filter((r) => r.done && r.url.startsWith('http')),
  };
}

function figures(list, base) {
  const isApi = (r) => new URL(r.url, base).pathname.startsWith('/api/');
  // Bytes of what crossed the line: a response from the browser's cache sent nothing.
  const sum = (rs, k) => rs.filter((r) => !r.cached).reduce((s, r) => s + r[k], 0);
  const files = list.filter((r) => !isApi(r));
  const apiRs = list.filter(isApi);
  return {
    requests: list.length,
    encoded_bytes: sum(list, 'encoded'),
    uncompressed_bytes: sum(list, 'decoded'),
    ui_files: { requests: files.length, encoded_bytes: sum(files, 'encoded'), uncompressed_bytes: sum(files, 'decoded') },
    api: { requests: apiRs.length, encoded_bytes: sum(apiRs, 'encoded'), uncompressed_bytes: sum(apiRs, 'decoded') },
  };
}

const isCode = (r) => /\.(m?js|css)(\?|$)/.test(new URL(r.url).pathname);

async function signIn(page, who) {
  await page.locator('input[name=username]').fill(who.username);
  await page.locator('input[name=password]').fill(who.password);
  await page.locator('form button[type=submit]').click();
  await page.locator('.app-header').waitFor({ timeout: 120000 });
}

/** The registry map has its data (zones or parcels) and has drawn some of it. */
async function mapDrawn(page) {
  await page.locator('[data-testid=map-status][data-pending=false]').waitFor({ timeout: 180000 });
  await page.waitForFunction(() => {
    const m = window.nongsanMap;
    if (!m || !m.loaded()) return false;
    const layers = ['parcels-fill', 'zones-fill', 'zones-point'].filter((l) => m.getLayer(l));
    return layers.length > 0 && m.queryRenderedFeatures({ layers }).length > 0;
  }, null, { timeout: 180000 });
}

const tests = [
  ['a commune officer\'s first map load on a 1 Mbit/s mountain line: compressed, cached, under CSP', async (env) => {
    const page = await newPage(env, { viewport: LAPTOP });
    page.setDefaultTimeout(120000);
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const m = await meter(page);

    // 1. The login page, as the officer first sees it.
    const t0 = Date.now();
    await page.goto('/', { waitUntil: 'load' });
    await page.locator('input[name=username]').waitFor();
    const loginSeconds = (Date.now() - t0) / 1000;
    const login = figures(m.list(), env.base);
    const loginRequests = m.list();

    // 2. Signed in, the parcel map of the commune.
    m.reset();
    const t1 = Date.now();
    await signIn(page, DEMO.communeOfficer);
    await page.goto('/registry');
    await mapDrawn(page);
    const mapSeconds = (Date.now() - t1) / 1000;
    const map = figures(m.list(), env.base);
    const mapRequests = m.list();
    await screenshot(page, 'load-registry-map-1mbit');

    // 3. The same map again: the UI's files from the cache or 304.
    m.reset();
    const t2 = Date.now();
    await page.reload();
    await mapDrawn(page);
    const againSeconds = (Date.now() - t2) / 1000;
    const again = figures(m.list(), env.base);
    const againRequests = m.list();

    const first = figures([...loginRequests, ...mapRequests], env.base);
    const largest = [...loginRequests, ...mapRequests].filter((r) => !r.cached).sort((a, b) => b.encoded - a.encoded).slice(0, 8)
      .map((r) => ({ path: new URL(r.url).pathname, encoding: r.encoding, encoded_bytes: r.encoded, uncompressed_bytes: r.decoded }));
    const report = {
      line: { down_kbit_s: 1000, up_kbit_s: 256, latency_ms: 150 },
      user: DEMO.communeOfficer.username,
      login_page: { ...login, seconds: loginSeconds },
      map_page: { ...map, seconds: mapSeconds },
      first_load: { ...first, seconds: loginSeconds + mapSeconds, largest },
      second_load: { ...again, seconds: againSeconds, from_cache: againRequests.filter((r) => r.cached).length, not_modified: againRequests.filter((r) => r.status === 304).length },
    };
    fs.mkdirSync(OUT_DIR, { recursive: true });
    fs.writeFileSync(path.join(OUT_DIR, 'load.json'), `${JSON.stringify(report, null, 2)}\n`);
    const line = (name, f) => `${name}: ${f.requests} requests, ${kib(f.encoded_bytes)} on the wire, ${kib(f.uncompressed_bytes)} uncompressed, ${f.seconds.toFixed(1)} s`;
    console.log(`     1 Mbit/s down, 256 kbit/s up, 150 ms (${DEMO.communeOfficer.username})`);
    console.log(`     ${line('login page', report.login_page)}`);
    console.log(`     ${line('parcel map', report.map_page)}`);
    console.log(`     ${line('first load', report.first_load)}`);
    console.log(`     ${line('second load', report.second_load)}; ${report.second_load.from_cache} from the cache, ${report.second_load.not_modified} × 304`);
    for (const r of largest) console.log(`       ${r.path} ${r.encoding || 'identity'} ${kib(r.encoded_bytes)} (${kib(r.uncompressed_bytes)})`);

    // Every script and style sheet came compressed, with what the browser offered.
    const code = [...loginRequests, ...mapRequests].filter(isCode).filter((r) => r.status === 200 && !r.cached);
    assert.ok(code.length >= 2, `the UI's scripts and styles were loaded (${code.length})`);
    for (const r of code) {
      const want = /\bbr\b/.test(r.accept) ? 'br' : 'gzip';
      assert.equal(r.encoding, want, `${new URL(r.url).pathname} came with Content-Encoding "${r.encoding}" (offered: "${r.accept}")`);
    }
    // Compression pays: the first map load's bytes on the wire are below half of what the browser unpacked.
    assert.ok(first.encoded_bytes * 2 < first.uncompressed_bytes,
      `first load: ${kib(first.encoded_bytes)} on the wire is not below half of ${kib(first.uncompressed_bytes)} uncompressed`);
    // The second load sends no UI file again: each comes from the cache or as 304.
    const resent = againRequests.filter(isCode).filter((r) => !r.cached && r.status !== 304);
    assert.deepEqual(resent.map((r) => `${new URL(r.url).pathname} ${r.status}`), [], 'the second load took every script and style from the cache or as 304');
    assert.ok(againRequests.filter(isCode).length > 0, 'the second load asked for the UI files (from the cache)');

    const violations = await page.evaluate(() => window.__cspViolations);
    assert.deepEqual(violations, [], 'no Content-Security-Policy violation');
    // The app asks /auth/me before the login: that 401 is expected, nothing else is.
    const unexpected = page.errors.filter((e) => !/status of 401/.test(e));
    assert.deepEqual(unexpected, [], 'no errors in the page');
  }],
];

await run(tests);
