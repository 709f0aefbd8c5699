// The offline field app (/field/), as an inspector in a mountain commune uses it: open
// it once with signal, lose the network (the browser's offline mode AND the server
// stopped), open the inspection, measure the parcel by drawing, take a photo, answer
// the checklist, record a finding, write notes, close the inspection, close the app,
// reopen it with no network (the service worker serves it, the data is still on the
// device), and sync when the network returns — while the same inspection was changed on
// the server through the sync API meanwhile: the finding and the photo are applied, the
// inspection is a conflict shown side by side, the inspector resolves it, and the
// server holds everything typed. Screens at phone size (390×844) and laptop size.
//
// This spec runs its own `nongsan serve` on the demo database (beside the harness's),
// so that it can stop and restart it on the same port: same origin, same service
// worker, same IndexedDB.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import path from 'node:path';
import { run, newPage, screenshot, expectApiError, freePort, repoRoot, DEMO, LAPTOP, PHONE } from './lib/harness.mjs';
import { apiClient } from './lib/registry_fixture.mjs';

const ctx = { binary: null, db: null };
// FIELD_DEBUG=1 prints each step (for finding where a run stopped).
const step = (s) => process.env.FIELD_DEBUG && console.log(`  · ${s}`);

/** A server of our own that the test can stop (the network is gone) and start again on the same port. */
async function ownServer(env) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let proc = null;
  let log = '';
  const srv = {
    base,
    log: () => log,
    async start() {
      // Without a binary (NONGSAN_BASE_URL), the development stand-in of the API (dev/mock_server.mjs).
      step('Without a binary (NONGSAN_BASE_URL), the development stand-i');
      const [cmd, args] = ctx.binary
        ? [ctx.binary, ['serve', '--db', ctx.db, '--port', String(port), ...(process.env.NONGSAN_WEB_ROOT ? ['--web-root', path.resolve(repoRoot, process.env.NONGSAN_WEB_ROOT)] : [])]]
        : [process.execPath, [path.join('dev', 'mock_server.mjs'), String(port)]];
      proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MOCK_STATE: path.join(env.tmp, `field-mock-${port}.json`) } });
      proc.stdout.on('data', (d) => (log += d));
      proc.stderr.on('data', (d) => (log += d));
      const until = Date.now() + 30000;
      for (;;) {
        if (proc.exitCode !== null) throw new Error(`the field test's server exited: ${log}`);
        try {
          if ((await fetch(`${base}/api/health`)).ok) return;
        } catch {
          // not up yet
        }
        if (Date.now() > until) throw new Error(`the field test's server did not start: ${log}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async stop() {
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const p = proc;
      await new Promise((r) => {
        p.once('exit', r);
        p.kill('SIGTERM');
      });
    },
  };
  await srv.start();
  return srv;
}

/** Runs a test with a server of its own, stopped whatever happens. */
function withServer(body) {
  return async (env) => {
    const srv = await ownServer(env);
    try {
      await body(env, srv);
    } finally {
      await srv.stop();
    }
  };
}

// A 4×4 PNG (green), as a phone's camera would hand over a file.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEklEQVR4nGNgYGD4z8DAwMDAAAAMAAGRbz+BAAAAAElFTkSuQmCC',
  'base64',
);

/** A w×h PNG of random noise (it does not compress): a phone photo larger than one request may carry. */
function noisePng(w, h) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const raw = crypto.randomBytes((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) raw[y * (w * 3 + 1)] = 0; // filter: none
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A w×h 24-bit BMP (grey): a type the sync API does not take, re-encoded as JPEG on the device. */
function bmp(w, h) {
  const row = Math.ceil((w * 3) / 4) * 4;
  const b = Buffer.alloc(54 + row * h, 0x80);
  b.write('BM', 0);
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(0, 6);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(w, 18);
  b.writeInt32LE(h, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(0, 30);
  b.writeUInt32LE(row * h, 34);
  b.fill(0, 38, 54);
  return b;
}

/** Planar area (m²) of a lon/lat ring in a local equirectangular frame: an independent check of the app's geodesic area. */
function planarArea(ring) {
  const lat0 = (ring.reduce((s, p) => s + p[1], 0) / ring.length) * (Math.PI / 180);
  const k = (Math.PI / 180) * 6371008.8;
  const xy = ring.map(([lon, lat]) => [lon * k * Math.cos(lat0), lat * k]);
  let s = 0;
  for (let i = 0; i < xy.length - 1; i++) s += xy[i][0] * xy[i + 1][1] - xy[i + 1][0] * xy[i][1];
  return Math.abs(s / 2);
}

/** The inspection as the app keeps it on the device (IndexedDB). */
function storedInspection(page, code) {
  return page.evaluate(
    (c) =>
      new Promise((resolve, reject) => {
        const r = indexedDB.open('nongsan-field');
        r.onsuccess = () => {
          const g = r.result.transaction('inspections').objectStore('inspections').get(c);
          g.onsuccess = () => resolve(g.result);
          g.onerror = () => reject(g.error);
        };
        r.onerror = () => reject(r.error);
      }),
    code,
  );
}

async function syncCount(page) {
  return Number(await page.locator('[data-testid=sync-count]').first().getAttribute('data-count'));
}

async function waitCount(page, n) {
  await page.waitForFunction((want) => document.querySelector('[data-testid=sync-count]')?.getAttribute('data-count') === String(want), n);
}

function fieldPage(env, srv, viewport, context) {
  return newPage({ ...env, base: srv.base }, { viewport, context });
}

const tests = [
  [
    'a whole inspection offline, then a sync with a conflicting server change: nothing typed is lost',
    withServer(async (env, srv) => {
      const api = await apiClient(srv.base, DEMO.inspector);
      const code = await assignInspection(srv, api);
      const before = await api.get('/api/field/assignments');
      const target = before.inspections.find((i) => i.code === code);
      assert.ok(target, `the inspection ${code} is assigned to the inspector`);
      const items = before.checklists[target.checklist_kind] ?? [];
      assert.ok(items.length > 0, `the checklist "${target.checklist_kind}" has items`);

      // Online once: log in (the normal login), the assignments and the map come to the device.
      step('Online once: log in (the normal login), the assignments and ');
      const page = await fieldPage(env, srv, PHONE);
      const context = page.context();
      await context.grantPermissions(['geolocation'], { origin: srv.base });
      const parcelFeature = before.map.parcels.features.find((f) => f.properties.external_id === (target.parcel ?? target.subject_ref)) ?? before.map.parcels.features[0];
      const corner = parcelFeature ? parcelFeature.geometry.coordinates.flat(3) : [103.44, 22.38];
      await context.setGeolocation({ longitude: corner[0], latitude: corner[1], accuracy: 6 });
      await page.goto('/field/');
      await page.locator('input[name=username]').fill(DEMO.inspector.username);
      await page.locator('input[name=password]').fill(DEMO.inspector.password);
      await page.locator('form button[type=submit]').click();
      await page.locator(`[data-testid=assignments] [data-code="${code}"]`).waitFor();
      await screenshot(page, 'field-phone-assignments');
      // The service worker has the app shell before the network goes.
      step('The service worker has the app shell before the network goes');
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
      assert.equal(await syncCount(page), 0);

      // The network goes: the browser offline and the server down.
      step('The network goes: the browser offline and the server down.');
      await context.setOffline(true);
      await srv.stop();
      await page.locator(`[data-code="${code}"]`).click();

      // Open the inspection.
      step('Open the inspection.');
      await page.locator('[data-tab=check]').click();
      await page.locator('[data-testid=open-inspection]').click();
      await page.locator('[data-testid=close-inspection]').waitFor();

      // Measure by drawing: four taps on the map, then save.
      step('Measure by drawing: four taps on the map, then save.');
      await page.locator('[data-tab=map]').click();
      await page.locator('[data-testid=gps]').filter({ hasText: '±6 m' }).waitFor();
      await page.locator('[data-testid=draw]').click();
      const box = await page.locator('.fa-map-svg').boundingBox();
      const at = (fx, fy) => page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
      await at(0.3, 0.3);
      await at(0.7, 0.3);
      await at(0.7, 0.7);
      await at(0.3, 0.7);
      await page.locator('[data-testid=measure-info]').filter({ hasText: '4 điểm' }).waitFor();
      await page.locator('[data-testid=save-boundary]').click();
      const m2 = Number(await page.locator('[data-testid=measured-area]').getAttribute('data-m2'));
      assert.ok(m2 > 0, 'an area was measured');
      assert.match(await page.locator('[data-testid=measured-area]').innerText(), / m² \(.* ha\)/);
      await screenshot(page, 'field-phone-measured');

      // A photo, stored on the device with its time and place.
      step('A photo, stored on the device with its time and place.');
      await page.locator('[data-tab=photos]').click();
      await page.locator('[data-testid=photo-input]').setInputFiles({ name: 'thua-dat.png', mimeType: 'image/png', buffer: PNG });
      await page.locator('[data-testid=photos] figure').waitFor();
      assert.match(await page.locator('[data-testid=photos] figure').innerText(), /±6 m/);
      // A large one (1.5 MB, more than an ordinary request may carry) sent as taken, and
      // a BMP the server does not take, re-encoded as JPEG on the device.
      const big = noisePng(700, 700);
      assert.ok(big.length > 1024 * 1024);
      await page.locator('[data-testid=photo-input]').setInputFiles({ name: 'lon.png', mimeType: 'image/png', buffer: big });
      await page.locator('[data-testid=photos] figure').nth(1).waitFor();
      await page.locator('[data-testid=photo-input]').setInputFiles({ name: 'cu.bmp', mimeType: 'image/bmp', buffer: bmp(64, 48) });
      await page.locator('[data-testid=photos] figure').nth(2).waitFor();

      // The checklist: every item answered.
      step('The checklist: every item answered.');
      await page.locator('[data-tab=check]').click();
      const answers = {};
      for (const it of items) {
        const q = page.locator(`.fa-q[data-item="${it.item}"]`);
        if (it.answer === 'yes_no') {
          await q.locator('[data-answer=true]').click();
          answers[it.item] = true;
        } else if (it.answer === 'number') {
          await q.locator('input').fill('12');
          answers[it.item] = 12;
        } else {
          await q.locator('textarea').fill('Cây chè sinh trưởng tốt');
          answers[it.item] = 'Cây chè sinh trưởng tốt';
        }
      }

      // A finding.
      step('A finding.');
      await page.locator('[data-tab=findings]').click();
      await page.locator('select[name=kind]').selectOption('over_declared');
      await page.locator('[data-severity=serious]').click();
      await page.locator('textarea[name=detail]').fill('Diện tích thực tế nhỏ hơn diện tích kê khai');
      await page.locator('[data-testid=add-finding]').click();
      await page.locator('[data-testid=findings] li[data-synced=false]').waitFor();

      // Notes, then close the inspection.
      step('Notes, then close the inspection.');
      await page.locator('[data-tab=notes]').click();
      const myNotes = 'Đo lại bằng cách vẽ trên bản đồ; chủ hộ có mặt.';
      await page.locator('[data-testid=notes]').fill(myNotes);
      await page.locator('[data-tab=check]').click();
      await page.locator('[data-testid=close-inspection]').click();
      await page.locator('[data-testid=reopen-inspection]').waitFor();
      await waitCount(page, 5); // the inspection, the finding, three photos

      // Close the app; reopen it with no network: the service worker serves it, the data is there.
      step('Close the app; reopen it with no network: the service worker');
      await page.close();
      step('closed');
      const again = await fieldPage(env, srv, PHONE, context);
      step('new page');
      await again.goto('/field/');
      step('reopened');
      await again.locator(`[data-code="${code}"]`).waitFor();
      await waitCount(again, 5);
      assert.equal(await again.locator(`[data-code="${code}"] .fa-unsynced`).innerText(), '5 thay đổi chưa đồng bộ');
      assert.match(await again.locator('[data-testid=online]').innerText(), /Không có mạng/);
      await again.locator(`[data-code="${code}"]`).click();
      await again.locator('[data-tab=notes]').click();
      assert.equal(await again.locator('[data-testid=notes]').inputValue(), myNotes);
      await again.locator('[data-tab=check]').click();
      assert.equal(await again.locator('[data-testid=status]').innerText(), 'Đã kết thúc');
      const stored = await storedInspection(again, code);
      assert.deepEqual(stored.fields.answers, answers);
      const ring = stored.fields.measured_geojson.coordinates[0];
      assert.equal(ring.length, 5);
      const planar = planarArea(ring);
      assert.ok(Math.abs(m2 - planar) / planar < 0.01, `geodesic ${m2} m² beside planar ${planar} m²`);

      // Meanwhile, on the server: the same inspection changed through the API (another device).
      step('Meanwhile, on the server: the same inspection changed throug');
      await srv.start();
      const current = (await api.get('/api/field/assignments')).inspections.find((i) => i.code === code);
      const serverNotes = 'Sửa trên máy chủ trong lúc thanh tra đang ở hiện trường';
      const firstItem = items[0];
      const serverAnswer = firstItem.answer === 'yes_no' ? false : firstItem.answer === 'number' ? 7 : 'Ý kiến của văn phòng';
      const other = await api.post('/api/field/sync', {
        device_id: 'office-test',
        items: [{ kind: 'inspection', code, base_version: current.version, device_time: new Date().toISOString(), fields: { notes: serverNotes, answers: { [firstItem.item]: serverAnswer } } }],
      });
      assert.equal(other.items[0].outcome, 'applied');

      // The network returns: sync.
      step('The network returns: sync.');
      await context.setOffline(false);
      await again.locator('[data-testid=sync-link]').click();
      await again.locator('[data-testid=sync-now]').click();
      await again.locator('[data-testid=resolve-link]').waitFor();
      const outcomes = await again.locator('[data-testid=results] li').evaluateAll((lis) => lis.map((l) => l.getAttribute('data-outcome')));
      assert.deepEqual([...outcomes].sort(), ['applied', 'applied', 'applied', 'applied', 'conflict'], 'the finding and the photos applied, the inspection a conflict');
      await waitCount(again, 1); // the inspection waits for its resolution
      // The app opened again without signal before resolving, then the signal returns:
      // the session's CSRF token, never asked on this page, is asked before resolving.
      await context.setOffline(true);
      await again.reload();
      await again.locator('[data-testid=resolve-link]').waitFor();
      await context.setOffline(false);
      await again.locator('[data-testid=resolve-link]').click();

      // Side by side: mine and the server's, per field and per answer.
      step("Side by side: mine and the server's, per field and per answe");
      const table = again.locator('[data-testid=conflict-table]');
      await table.waitFor();
      const notesRow = table.locator('[data-field=notes]');
      assert.match(await notesRow.locator('label').nth(0).innerText(), /chủ hộ có mặt/);
      assert.match(await notesRow.locator('label').nth(1).innerText(), /Sửa trên máy chủ/);
      const answerRow = table.locator(`[data-field="answers.${firstItem.item}"]`);
      await answerRow.waitFor();
      await screenshot(again, 'field-phone-conflict');
      // Keep my notes (the default) and take the server's answer for the first item.
      step("Keep my notes (the default) and take the server's answer for");
      await answerRow.locator('input[data-side=server]').check();
      await again.locator('[data-testid=resolve]').click();
      await again.locator('[data-testid=results] li[data-outcome=resolved]').waitFor();
      await waitCount(again, 0);
      await screenshot(again, 'field-phone-sync');

      // On the server: nothing typed was lost.
      step('On the server: nothing typed was lost.');
      const after = (await api.get('/api/field/assignments')).inspections.find((i) => i.code === code);
      assert.equal(after.notes, myNotes);
      assert.equal(after.status, 'closed');
      assert.ok(after.opened_at && after.closed_at, 'opened and closed times kept');
      assert.equal(after.measure_method, 'drawn');
      // The server computes the area of the boundary again (in VN-2000): the device's geodesic figure agrees.
      assert.ok(Math.abs(after.measured_area_m2 - m2) / m2 < 0.003, `the server's ${after.measured_area_m2} m² beside the device's ${m2} m²`);
      assert.deepEqual(after.measured_geojson.coordinates, stored.fields.measured_geojson.coordinates, 'the boundary drawn is kept');
      assert.deepEqual(after.answers, { ...answers, [firstItem.item]: serverAnswer });
      const finding = after.findings.find((f) => f.detail === 'Diện tích thực tế nhỏ hơn diện tích kê khai');
      assert.ok(finding, 'the finding is on the server');
      assert.equal(finding.severity, 'serious');
      assert.equal(finding.kind, 'over_declared');
      assert.equal(after.photos.length, target.photos.length + 3, 'the three photos are on the server');
      const token = await tokenOf(srv.base);
      const sent = [];
      for (const photo of after.photos.filter((p) => !target.photos.some((q) => q.client_id === p.client_id))) {
        assert.ok(photo.lon !== null && photo.lat !== null, 'the photo has its place');
        const res = await fetch(`${srv.base}${photo.url}`, { headers: { Authorization: `Bearer ${token}` } });
        assert.equal(res.status, 200);
        sent.push({ mime: photo.mime, bytes: Buffer.from(await res.arrayBuffer()) });
      }
      assert.ok(sent.some((p) => p.mime === 'image/png' && p.bytes.equals(PNG)), 'the small PNG stored as taken');
      const jpegs = sent.filter((p) => p.mime === 'image/jpeg' && p.bytes[0] === 0xff && p.bytes[1] === 0xd8);
      // The large photo (over 1 MiB) is stored as taken: the sync route takes bodies up to
      // its own limit (the photo's 8 MiB), not the API's ordinary 1 MiB.
      assert.ok(sent.some((p) => p.mime === 'image/png' && p.bytes.equals(big)), 'the large PNG stored as taken');
      assert.equal(jpegs.length, 1, 'the BMP stored as a JPEG');

      // The same screens at laptop size.
      step('The same screens at laptop size.');
      const wide = await fieldPage(env, srv, LAPTOP, context);
      await wide.setViewportSize(LAPTOP);
      await wide.goto('/field/');
      await wide.locator(`[data-code="${code}"]`).waitFor();
      await screenshot(wide, 'field-laptop-assignments');
      await wide.locator(`[data-code="${code}"]`).click();
      await wide.locator('.fa-map-svg').waitFor();
      await screenshot(wide, 'field-laptop-map');
      for (const p of [page, again, wide]) {
        assert.deepEqual(p.externalRequests, [], 'nothing fetched from outside the server');
        assert.deepEqual(p.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e)), [], 'no page errors');
      }
    }),
  ],
  [
    'phone size: the app in English, every target large enough for a thumb',
    withServer(async (env, srv) => {
      const code = await assignInspection(srv, await apiClient(srv.base, DEMO.inspector));
      const page = await newPage({ ...env, base: srv.base }, { viewport: PHONE, lang: 'en' });
      await page.goto('/field/');
      await page.locator('input[name=username]').fill(DEMO.inspector.username);
      await page.locator('input[name=password]').fill(DEMO.inspector.password);
      await page.locator('form button[type=submit]').click();
      await page.locator(`[data-testid=assignments] [data-code="${code}"]`).waitFor();
      assert.match(await page.locator('.fa-sync-btn').innerText(), /Sync/);
      await page.locator(`[data-testid=assignments] [data-code="${code}"]`).click();
      await page.locator('[data-tab=check]').click();
      await page.locator('[data-testid=checklist]').waitFor();
      await screenshot(page, 'field-phone-checklist-en');

      // Installable: the manifest and its icons are served.
      const manifest = await fetch(`${srv.base}/field/manifest.webmanifest`);
      assert.match(manifest.headers.get('content-type'), /^application\/manifest\+json/);
      const m = await manifest.json();
      assert.equal(m.start_url, '/field/');
      assert.equal(m.display, 'standalone');
      for (const icon of m.icons) {
        const r = await fetch(`${srv.base}${icon.src}`);
        assert.equal(r.status, 200, icon.src);
        assert.equal(r.headers.get('content-type').split(';')[0], icon.type, icon.src);
      }

      // Walking the boundary: the GPS fixes become the vertices (a square of about 22 m).
      const context = page.context();
      await context.grantPermissions(['geolocation'], { origin: srv.base });
      const [lon0, lat0] = [103.4405, 22.3805];
      const d = 0.0002;
      const walk = [[lon0, lat0], [lon0 + d, lat0], [lon0 + d, lat0 + d], [lon0, lat0 + d]];
      await context.setGeolocation({ longitude: lon0, latitude: lat0, accuracy: 4 });
      await page.locator('[data-tab=map]').click();
      await page.locator('[data-testid=gps]').filter({ hasText: '±4 m' }).waitFor();
      await page.locator('[data-testid=walk]').click();
      for (const [i, [lon, lat]] of walk.entries()) {
        if (i === 0) continue;
        await context.setGeolocation({ longitude: lon, latitude: lat, accuracy: 4 });
        await page.locator('[data-testid=measure-info]').filter({ hasText: `Walking: ${i + 1} points` }).waitFor();
      }
      await page.locator('[data-testid=save-boundary]').click();
      // The inspection may hold an earlier measurement: wait for this one.
      await page.locator('[data-testid=measure-info]').filter({ hasText: 'Measured area (walked)' }).waitFor();
      const walked = Number(await page.locator('[data-testid=measured-area]').getAttribute('data-m2'));
      const expected = planarArea([...walk, walk[0]]);
      const ring = (await storedInspection(page, code)).fields.measured_geojson.coordinates[0];
      assert.ok(Math.abs(walked - expected) / expected < 0.01, `walked ${walked} m² beside planar ${expected} m²: ${JSON.stringify(ring)}`);
      await screenshot(page, 'field-phone-walked-en');
      const small = await page.evaluate(() =>
        Array.from(document.querySelectorAll('button, a.fa-btn, .fa-tab, .fa-seg-btn, .fa-sync-btn'))
          .filter((e) => e.getClientRects().length)
          .map((e) => ({ t: e.textContent.trim(), h: e.getBoundingClientRect().height }))
          .filter((e) => e.h < 44),
      );
      assert.deepEqual(small, [], 'every target at least 44 px high');
    }),
  ],
  [
    "one inspector's unsynced work is never sent under another login",
    withServer(async (env, srv) => {
      const api = await apiClient(srv.base, DEMO.inspector);
      const code = await assignInspection(srv, api);
      const page = await fieldPage(env, srv, PHONE);
      await page.goto('/field/');
      await page.locator('input[name=username]').fill(DEMO.inspector.username);
      await page.locator('input[name=password]').fill(DEMO.inspector.password);
      await page.locator('form button[type=submit]').click();
      await page.locator(`[data-code="${code}"]`).click();
      await page.locator('[data-tab=notes]').click();
      await page.locator('[data-testid=notes]').fill('Chưa đồng bộ');
      await waitCount(page, 1);
      // Someone else signs in to the main UI in the same browser: the session is theirs now.
      await page.context().clearCookies();
      const main = await fieldPage(env, srv, PHONE, page.context());
      await main.goto('/');
      await main.locator('input[name=username]').fill(DEMO.provinceOfficer.username);
      await main.locator('input[name=password]').fill(DEMO.provinceOfficer.password);
      await main.locator('form button[type=submit]').click();
      await main.locator('.app-header').waitFor();
      await main.close();
      // Sync asks the inspector to log in again instead of sending as the officer.
      await page.locator('[data-testid=sync-link]').click();
      await page.locator('[data-testid=sync-now]').click();
      await page.locator('input[name=username]').waitFor();
      // The officer logging in to the field app is refused the inspector's work.
      await page.locator('input[name=username]').fill(DEMO.provinceOfficer.username);
      await page.locator('input[name=password]').fill(DEMO.provinceOfficer.password);
      await page.locator('form button[type=submit]').click();
      await page.locator('.alert-warn').filter({ hasText: '1 thay đổi chưa đồng bộ' }).waitFor();
      const onServer = (await api.get('/api/field/assignments')).inspections.find((i) => i.code === code);
      assert.equal(onServer.notes, '', 'nothing was sent');
      // The inspector opens the app again, logs in and syncs.
      await page.reload();
      await page.locator('[data-testid=sync-now]').click();
      await page.locator('input[name=username]').fill(DEMO.inspector.username);
      await page.locator('input[name=password]').fill(DEMO.inspector.password);
      await page.locator('form button[type=submit]').click();
      await page.locator('[data-testid=sync-now]').click();
      await waitCount(page, 0);
      assert.equal((await api.get('/api/field/assignments')).inspections.find((i) => i.code === code).notes, 'Chưa đồng bộ');
    }),
  ],
];

/**
 * A new inspection of a demo parcel assigned to the demo inspector, made by the
 * administrator through the API (POST /api/v1/inspections); its code. Against the
 * development stand-in, its first made-up inspection.
 */
async function assignInspection(srv, inspectorApi) {
  if (!ctx.binary) return (await inspectorApi.get('/api/field/assignments')).inspections[0].code;
  const admin = await apiClient(srv.base, DEMO.admin);
  const kinds = Object.keys((await inspectorApi.get('/api/field/assignments')).checklists ?? {});
  const parcel = (await admin.get('/api/v1/parcels?page_size=1')).items[0];
  const created = await admin.post('/api/v1/inspections', {
    subject_kind: 'parcel',
    subject_ref: parcel.external_id,
    checklist_kind: kinds.includes('support_claim') ? 'support_claim' : (kinds[0] ?? 'support_claim'),
    inspector: DEMO.inspector.username,
    parcel: parcel.external_id,
  });
  return created.code;
}

async function tokenOf(base) {
  const r = await fetch(`${base}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: DEMO.inspector.username, password: DEMO.inspector.password, label: 'field test' }),
  });
  return (await r.json()).access_token;
}

await run(tests, {
  setup: async ({ binary, db }) => {
    ctx.binary = binary;
    ctx.db = db;
  },
});
