// Shared plumbing for the browser tests. Each spec file is run by ctest as
//   node <spec> <path-to-nongsan-binary>     (cwd tests/browser)
// and this module: makes a temp dir, puts a fresh demo database in it (built by
// `nongsan demo` once per binary and copied for each spec: demoInto), starts
// `nongsan serve` on a free port,
// waits for /api/health, launches Debian's Chromium through playwright-core,
// runs the registered tests, saves screenshots under build/screenshots/,
// stops everything and prints "N passed, M failed". A test fails when a page's API
// request answers 4xx/5xx that the test did not declare with expectApiError; the
// failure names the method, URL, status and the error body.
//
// For working on the UI, NONGSAN_BASE_URL=http://127.0.0.1:8099 runs the tests
// against a server that is already running instead (no binary needed).
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
export const screenshotDir = path.join(repoRoot, 'build', 'screenshots');

/** Demo logins; see the README and the output of `nongsan demo`. */
export const DEMO = {
  admin: { username: 'admin', password: 'admin-demo-2025' },
  districtOfficer: { username: 'tamduong.officer', password: 'officer-demo-2025' },
  communeOfficer: { username: 'binhlu.officer', password: 'officer-demo-2025' },
  provinceOfficer: { username: 'province.officer', password: 'officer-demo-2025' },
  coop: { username: 'coop.user', password: 'coop-demo-2025' },
  inspector: { username: 'inspector', password: 'inspector-demo-2025' },
};

export const PHONE = { width: 390, height: 844 };
export const LAPTOP = { width: 1366, height: 768 };

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base, proc, log, timeoutMs = 30000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc && proc.exitCode !== null) throw new Error(`nongsan serve exited with ${proc.exitCode}:\n${log()}`);
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nongsan serve did not answer /api/health within ${timeoutMs} ms:\n${log()}`);
}

// Building the demo (35,000 parcels, the suitability rasters) takes about 100 s on a
// quiet 2-core machine; with other builds running beside it, twice that.
const CLI_TIMEOUT_MS = 360000;

/** Runs `nongsan <args>`; throws with its output when it fails. */
function runCli(binary, args) {
  const r = spawnSync(binary, args, { encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`nongsan ${args.join(' ')} failed (status ${r.status}):\n${out}`);
  return out;
}

function buildDemo(binary, dir) {
  const demo = spawnSync(binary, ['demo', '--db', path.join(dir, 'demo.gpkg')], { encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
  const out = `${demo.stdout ?? ''}${demo.stderr ?? ''}`;
  if (demo.status !== 0) throw new Error(`nongsan demo failed (status ${demo.status}, signal ${demo.signal}, ${demo.error ?? 'no spawn error'}):\n${out}`);
  fs.writeFileSync(path.join(dir, 'demo-output.txt'), out);
  return out;
}

/**
 * Puts a fresh demo database (demo.gpkg and its rasters/) into `dir`; returns the
 * demo's output. The demo of one binary is built once (about 100 s) and kept in
 * build/browser-demo/<binary's size and time>/; every spec gets its own copy, so
 * specs still cannot see each other's changes. A new binary builds a new one and
 * the old ones are removed. NONGSAN_DEMO_CACHE=0 builds the demo every time.
 */
function demoInto(binary, dir) {
  if (process.env.NONGSAN_DEMO_CACHE === '0') return buildDemo(binary, dir);
  const st = fs.statSync(binary);
  const key = crypto.createHash('sha256').update(`${binary}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 16);
  const cacheRoot = path.join(repoRoot, 'build', 'browser-demo');
  const cached = path.join(cacheRoot, key);
  if (!fs.existsSync(path.join(cached, 'demo-output.txt'))) {
    fs.mkdirSync(cacheRoot, { recursive: true });
    // Built aside and renamed into place, so a spec running beside this one never copies half a demo.
    const building = path.join(cacheRoot, `${key}.building-${process.pid}`);
    fs.rmSync(building, { recursive: true, force: true });
    fs.mkdirSync(building);
    buildDemo(binary, building);
    try {
      fs.renameSync(building, cached);
    } catch {
      fs.rmSync(building, { recursive: true, force: true }); // another spec finished first: use its copy
    }
    for (const old of fs.readdirSync(cacheRoot)) if (old !== key && !old.includes('.building-')) fs.rmSync(path.join(cacheRoot, old), { recursive: true, force: true });
  }
  fs.cpSync(cached, dir, { recursive: true });
  return fs.readFileSync(path.join(dir, 'demo-output.txt'), 'utf8');
}

/** Starts the server (or uses NONGSAN_BASE_URL) and Chromium; returns the environment tests use. */
export async function start(binaryArg, { setup } = {}) {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new Error('playwright-core is not installed: run `npm ci` in tests/browser');
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nongsan-browser-'));
  fs.mkdirSync(screenshotDir, { recursive: true });
  let base = process.env.NONGSAN_BASE_URL ?? '';
  let server = null;
  let serverLog = '';
  let demoOutput = '';
  if (!base) {
    const binary = path.resolve(binaryArg ?? process.env.NONGSAN_BIN ?? path.join(repoRoot, 'build', 'nongsan'));
    if (!fs.existsSync(binary)) throw new Error(`nongsan binary not found: ${binary}`);
    const db = path.join(tmp, 'demo.gpkg');
    demoOutput = demoInto(binary, tmp);
    // Optional extra preparation of the demo database before the server starts
    // (e.g. importing data files through the CLI); throws to fail the setup.
    if (setup) await setup({ binary, db, tmp, cli: (...args) => runCli(binary, args) });
    const port = await freePort();
    // The embedded UI is what ships; NONGSAN_WEB_ROOT=web-ui/dist tests a fresh build without relinking.
    const serveArgs = ['serve', '--db', db, '--port', String(port)];
    if (process.env.NONGSAN_WEB_ROOT) serveArgs.push('--web-root', path.resolve(repoRoot, process.env.NONGSAN_WEB_ROOT));
    server = spawn(binary, serveArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout.on('data', (d) => (serverLog += d));
    server.stderr.on('data', (d) => (serverLog += d));
    base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, server, () => serverLog);
  }
  // playwright-core gives every launch a fresh, temporary user-data dir; no browser is downloaded.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    base,
    tmp,
    browser,
    demoOutput,
    pages: [],
    serverLog: () => serverLog,
    async stop() {
      await browser.close().catch(() => {});
      if (server && server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((r) => {
          const timer = setTimeout(() => {
            if (server.exitCode === null) server.kill('SIGKILL');
            r();
          }, 5000);
          server.once('exit', () => {
            clearTimeout(timer);
            r();
          });
        });
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh browser context (own cookies and localStorage) with a page that records page errors.
 * `context`: a second page in a context that exists instead (the same service workers and storage).
 */
export async function newPage(env, { viewport = LAPTOP, lang, context: existing } = {}) {
  const context = existing ?? (await env.browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', baseURL: env.base }));
  if (lang && !existing) {
    await context.addInitScript((l) => {
      if (!sessionStorage.getItem('nongsan.test.lang-set')) {
        localStorage.setItem('nongsan.lang', l);
        sessionStorage.setItem('nongsan.test.lang-set', '1');
      }
    }, lang);
  }
  const page = await context.newPage();
  page.errors = [];
  page.externalRequests = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(env.base) && !u.startsWith('data:') && !u.startsWith('blob:')) page.externalRequests.push(u);
  });
  // Every API answer of 4xx/5xx is recorded with its body, so a request the API refuses
  // names itself (method, URL, status, error body) instead of a bare console line; `run`
  // fails the test when one was not declared with expectApiError.
  page.apiFailures = [];
  page.expectedApiErrors = [...DEFAULT_EXPECTED_API_ERRORS];
  page.on('response', (res) => {
    const u = res.url();
    if (!u.startsWith(`${env.base}/api/`) || res.status() < 400) return;
    const req = res.request();
    const entry = { method: req.method(), url: u.slice(env.base.length), status: res.status(), body: '' };
    entry.read = res.text().then(
      (t) => (entry.body = t.slice(0, 500)),
      () => (entry.body = '(body not available)'),
    );
    page.apiFailures.push(entry);
  });
  env.pages?.push(page);
  page.setDefaultTimeout(15000);
  return page;
}

/**
 * API errors every page may see: the shell asks who is signed in before login (401).
 * Anything else a test provokes on purpose it declares with expectApiError.
 */
const DEFAULT_EXPECTED_API_ERRORS = [{ status: 401, method: 'GET', url: /^\/api\/v1\/auth\/me(\?|$)/ }];

/**
 * Declares API answers of 4xx/5xx the test provokes on purpose (a wrong password, a
 * forbidden record, a conflict). `status` is a number or a list, `url` a RegExp matched
 * against the path and query, `method` optional.
 */
export function expectApiError(page, { status, url, method }) {
  page.expectedApiErrors.push({ status, url, method });
}

function isExpected(failure, expected) {
  return expected.some((e) => {
    const statuses = Array.isArray(e.status) ? e.status : [e.status];
    if (e.status !== undefined && !statuses.includes(failure.status)) return false;
    if (e.method && e.method !== failure.method) return false;
    if (e.url && !e.url.test(failure.url)) return false;
    return true;
  });
}

/** The API failures of `pages` that the test did not declare, as readable lines. */
async function unexpectedApiFailures(pages) {
  const lines = [];
  for (const page of pages) {
    await Promise.all(page.apiFailures.map((f) => f.read));
    for (const f of page.apiFailures) {
      if (!isExpected(f, page.expectedApiErrors)) lines.push(`${f.method} ${f.url} -> ${f.status} ${f.body}`);
    }
  }
  return lines;
}

export async function login(page, who) {
  await page.goto('/');
  await page.locator('input[name=username]').fill(who.username);
  await page.locator('input[name=password]').fill(who.password);
  await page.locator('form button[type=submit]').click();
  await page.locator('.app-header').waitFor();
}

export async function screenshot(page, name) {
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** Runs the tests in order, each isolated by try/catch; prints the summary and sets the exit code. */
export async function run(tests, { binary, setup } = {}) {
  let env;
  let passed = 0;
  let failed = 0;
  try {
    env = await start(binary ?? process.argv[2], { setup });
  } catch (err) {
    console.error(`setup failed: ${err.stack ?? err}`);
    console.log(`0 passed, ${tests.length} failed`);
    process.exitCode = 1;
    return;
  }
  for (const [name, fn] of tests) {
    const t0 = Date.now();
    env.pages.length = 0;
    try {
      await fn(env);
      const unexpected = await unexpectedApiFailures(env.pages);
      if (unexpected.length) throw new Error(`API requests answered with errors the test did not expect:\n${unexpected.join('\n')}`);
      passed++;
      console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    } catch (err) {
      failed++;
      let text = String(err.stack ?? err);
      // A test that failed for another reason still shows the refused requests: they are often the cause.
      const refused = await unexpectedApiFailures(env.pages).catch(() => []);
      if (refused.length && !text.includes('API requests answered with errors')) text += `\nAPI requests answered with errors the test did not expect:\n${refused.join('\n')}`;
      console.log(`FAIL ${name} (${Date.now() - t0} ms)\n     ${text.split('\n').join('\n     ')}`);
    }
  }
  if (failed && env.serverLog()) console.log(`--- server log (last 3000 chars) ---\n${env.serverLog().slice(-3000)}`);
  await env.stop();
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}
