// A small stand-in for `nongsan serve`, for working on the web UI before the
// real server runs. It follows docs/api.md loosely over made-up, illustrative
// data. Not used by the committed browser tests, which run the real binary.
//
//   node tests/browser/dev/mock_server.mjs [port] [dist-dir]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const port = Number(process.argv[2] ?? 8099);
const dist = path.resolve(process.argv[3] ?? new URL('../../../web-ui/dist', import.meta.url).pathname);
const REFORM = '2025-07-01';

// ---- units: a province, 4 districts with 3 communes each until 30/06/2025, then 6 merged communes ----
const units = [];
const links = [];
const succ = [];
let nextId = 1;
function rect(x0, y0, x1, y1) {
  return { type: 'MultiPolygon', coordinates: [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]] };
}
function addUnit(u) {
  const unit = { id: nextId++, kind: '', valid_to: null, parent: null, area_ha: null, geom_source: 'illustrative', source: 'mock', ...u };
  units.push(unit);
  return unit;
}
const province = addUnit({ code: '12', name: 'Tỉnh Lai Châu', level: 'province', kind: 'Tỉnh', valid_from: '2004-01-01', geom: rect(102.3, 21.7, 103.9, 22.8), geom_source: 'official', area_ha: 906880 });
const districtNames = ['Huyện Tam Đường', 'Huyện Phong Thổ', 'Huyện Sìn Hồ', 'Huyện Mường Tè'];
const communeNames = [
  ['Xã Bình Lư', 'Xã Sơn Bình', 'Xã Bản Bo'],
  ['Xã Mường So', 'Xã Khổng Lào', 'Xã Dào San'],
  ['Xã Pa Tần', 'Xã Nậm Tăm', 'Xã Phăng Sô Lin'],
  ['Xã Mù Cả', 'Xã Tà Tổng', 'Xã Bum Nưa'],
];
const oldCommunes = [];
districtNames.forEach((name, i) => {
  const x0 = 102.3 + (i % 2) * 0.8, y0 = 21.7 + Math.floor(i / 2) * 0.55;
  const d = addUnit({ code: String(105 + i), name, level: 'district', kind: 'Huyện', valid_from: '2004-01-01', valid_to: '2025-06-30', geom: rect(x0, y0, x0 + 0.8, y0 + 0.55), area_ha: 40000 + i * 1000 });
  links.push({ child: d.id, parent: province.id, from: '2004-01-01', to: null });
  communeNames[i].forEach((cn, j) => {
    const c = addUnit({ code: String(3400 + i * 10 + j), name: cn, level: 'commune', kind: 'Xã', valid_from: '2008-01-01', valid_to: '2025-06-30', geom: rect(x0 + j * 0.8 / 3, y0, x0 + (j + 1) * 0.8 / 3, y0 + 0.55), area_ha: 12000 + j * 500 });
    links.push({ child: c.id, parent: d.id, from: '2008-01-01', to: '2025-06-30' });
    oldCommunes.push(c);
  });
});
// New communes: the first of each district keeps its name and absorbs the second; the third goes on alone.
for (let i = 0; i < 4; i++) {
  const [a, b, c] = oldCommunes.slice(i * 3, i * 3 + 3);
  const x0 = 102.3 + (i % 2) * 0.8, y0 = 21.7 + Math.floor(i / 2) * 0.55;
  const m = addUnit({ code: a.code, name: a.name, level: 'commune', kind: 'Xã', valid_from: REFORM, geom: rect(x0, y0, x0 + 0.8 * 2 / 3, y0 + 0.55), area_ha: a.area_ha + b.area_ha });
  links.push({ child: m.id, parent: province.id, from: REFORM, to: null });
  succ.push({ pred: a.id, succ: m.id, share: 1, basis: 'whole', date: REFORM }, { pred: b.id, succ: m.id, share: 1, basis: 'whole', date: REFORM });
  const n = addUnit({ code: c.code, name: c.name, level: 'commune', kind: 'Xã', valid_from: REFORM, geom: rect(x0 + 0.8 * 2 / 3, y0, x0 + 0.8, y0 + 0.55), area_ha: c.area_ha });
  links.push({ child: n.id, parent: province.id, from: REFORM, to: null });
  succ.push({ pred: c.id, succ: n.id, share: 1, basis: 'whole', date: REFORM });
}
const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
const valid = (u, d) => u.valid_from <= d && (!u.valid_to || u.valid_to >= d);
const ref = (u) => (u ? { id: u.id, code: u.code, name: u.name, level: u.level } : null);
const byId = (id) => units.find((u) => u.id === Number(id));
function parentOf(u, d) {
  const l = links.find((x) => x.child === u.id && x.from <= d && (!x.to || x.to >= d));
  return l ? byId(l.parent) : null;
}
function unitJson(u, d) {
  const { geom, ...rest } = u;
  return { ...rest, parent: ref(parentOf(u, d)) };
}

// ---- figures ----
const series = [
  { code: 'rice_area_ha', name_vi: 'Diện tích lúa', name_en: 'Rice area', measure_unit: 'ha', illustrative: true, source: 'mock' },
  { code: 'tea_area_ha', name_vi: 'Diện tích chè', name_en: 'Tea area', measure_unit: 'ha', illustrative: true, source: 'mock' },
];
let figures = [];
let nextFigure = 1;
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
oldCommunes.forEach((c, i) => {
  figures.push({ id: nextFigure++, series: 'rice_area_ha', unit_id: c.id, year: 2024, value: 150 + i * 37.5, note: '', created_at: now(), updated_at: now() });
});

// ---- users, sessions, audit ----
const users = [];
let nextUser = 1;
function addUser(u) {
  const user = { id: nextUser++, organisation: '', email: '', phone: '', citizen_id: '', bank_account: '', active: true, must_change_password: false, created_at: now(), ...u };
  users.push(user);
  return user;
}
const pw = new Map();
const admin = addUser({ username: 'admin', display_name: 'Quản trị hệ thống', role: 'province_admin', unit_id: null, phone: '0912345678' });
pw.set(admin.id, 'admin-demo-2025');
const officer = addUser({ username: 'binhlu.officer', display_name: 'Lò Văn Bình', role: 'unit_officer', unit_id: units.find((u) => u.name === 'Xã Bình Lư' && u.valid_from === REFORM).id, phone: '0987654321' });
pw.set(officer.id, 'officer-demo-2025');
const tdo = addUser({ username: 'tamduong.officer', display_name: 'Nguyễn Thị Đường', role: 'unit_officer', unit_id: units.find((u) => u.name === 'Huyện Tam Đường').id, phone: '0911222333' });
pw.set(tdo.id, 'officer-demo-2025');
const po = addUser({ username: 'province.officer', display_name: 'Cán bộ tỉnh (minh họa)', role: 'province_officer', unit_id: null, phone: '' });
pw.set(po.id, 'officer-demo-2025');
const insp = addUser({ username: 'inspector', display_name: 'Thanh tra viên (minh họa)', role: 'inspector', unit_id: null, phone: '' });
pw.set(insp.id, 'inspector-demo-2025');

// ---- the field app's sync API (docs/api.md "Field"): two made-up inspections of the inspector ----
const fieldChecklists = {
  support_area: [
    { item: 'cultivated', label_vi: 'Thửa đất đang được canh tác', label_en: 'The parcel is cultivated', answer: 'yes_no' },
    { item: 'crop_matches', label_vi: 'Cây trồng đúng như hồ sơ', label_en: 'The crop is the one declared', answer: 'yes_no' },
    { item: 'plants', label_vi: 'Số cây đếm được', label_en: 'Plants counted', answer: 'number' },
    { item: 'remarks', label_vi: 'Nhận xét khác', label_en: 'Other remarks', answer: 'text' },
  ],
};
const sq = (lon, lat, d) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] });
const fieldParcels = [
  { type: 'Feature', geometry: sq(103.44, 22.38, 0.001), properties: { external_id: 'MOCK-P1', area_m2: 11470, crop: 'tea' } },
  { type: 'Feature', geometry: sq(103.4412, 22.38, 0.0008), properties: { external_id: 'MOCK-P2', area_m2: 7340, crop: 'rice' } },
  { type: 'Feature', geometry: sq(103.44, 22.3812, 0.0009), properties: { external_id: 'MOCK-P3', area_m2: 9290, crop: 'tea' } },
];
const inspections = new Map();
for (const [code, parcel] of [['KT-MOCK-1', 'MOCK-P1'], ['KT-MOCK-2', 'MOCK-P3']])
  inspections.set(code, { code, subject_kind: 'parcel', subject_ref: parcel, checklist_kind: 'support_area', status: 'assigned', version: 1, answers: {}, notes: '', parcel, measured_geojson: null, measured_area_m2: null, measure_method: '', opened_at: '', closed_at: '', findings: [], photos: [] });
const photoBytes = new Map();
const INSPECTION_FIELDS = ['status', 'answers', 'notes', 'parcel', 'measured_geojson', 'measured_area_m2', 'measure_method', 'opened_at', 'closed_at'];
function fieldRoute(p, req, res, body) {
  let m;
  if (p === '/api/field/assignments') return send(res, 200, { inspector: 'inspector', server_time: new Date().toISOString(), inspections: [...inspections.values()], checklists: fieldChecklists, map: { parcels: { type: 'FeatureCollection', features: fieldParcels }, zones: { type: 'FeatureCollection', features: [] }, communes: { type: 'FeatureCollection', features: [] } } });
  if (p === '/api/field/sync' && req.method === 'POST') {
    const items = (body.items ?? []).map((it) => {
      if (it.kind === 'inspection') {
        const rec = inspections.get(it.code);
        if (!rec) return { kind: 'inspection', code: it.code, outcome: 'error', error: 'code: no such inspection' };
        if (it.base_version !== rec.version) return { kind: 'inspection', code: it.code, outcome: 'conflict', version: rec.version, server: rec };
        for (const k of INSPECTION_FIELDS) if (k in (it.fields ?? {})) rec[k] = it.fields[k];
        rec.version++;
        return { kind: 'inspection', code: it.code, outcome: 'applied', version: rec.version };
      }
      const rec = inspections.get(it.inspection);
      if (!rec) return { kind: it.kind, client_id: it.client_id, outcome: 'error', error: 'inspection: no such inspection' };
      const list = it.kind === 'finding' ? rec.findings : rec.photos;
      if (list.some((x) => x.client_id === it.client_id)) return { kind: it.kind, client_id: it.client_id, outcome: 'duplicate' };
      if (it.kind === 'finding') list.push({ client_id: it.client_id, status: 'open', ...it.fields });
      else {
        photoBytes.set(it.client_id, { mime: it.mime, data: Buffer.from(it.data_base64, 'base64') });
        list.push({ client_id: it.client_id, taken_at: it.taken_at, lon: it.lon, lat: it.lat, mime: it.mime, url: `/api/field/photos/${it.client_id}` });
      }
      return { kind: it.kind, client_id: it.client_id, outcome: 'applied' };
    });
    saveState();
    return send(res, 200, { server_time: new Date().toISOString(), items });
  }
  if ((m = /^\/api\/field\/inspections\/([^/]+)\/resolve$/.exec(p)) && req.method === 'POST') {
    const rec = inspections.get(decodeURIComponent(m[1]));
    if (!rec) return fail(res, 404, 'not_found', 'no such inspection');
    if (body.base_version !== rec.version) return fail(res, 409, 'conflict', 'the inspection changed again');
    for (const k of INSPECTION_FIELDS) if (k in (body.fields ?? {})) rec[k] = body.fields[k];
    rec.version++;
    saveState();
    return send(res, 200, rec);
  }
  if ((m = /^\/api\/field\/photos\/([^/]+)$/.exec(p))) {
    const ph = photoBytes.get(m[1]);
    if (!ph) return fail(res, 404, 'not_found', 'no such photo');
    res.writeHead(200, { 'Content-Type': ph.mime });
    return res.end(ph.data);
  }
  return null;
}

const perms = {
  province_admin: ['units.read', 'units.write', 'figures.read', 'figures.write', 'users.read', 'users.manage', 'pii.reveal', 'audit.read', 'system.admin'],
  province_officer: ['units.read', 'figures.read', 'figures.write'],
  unit_officer: ['units.read', 'figures.read', 'figures.write'],
  producer: ['units.read'],
  inspector: ['units.read', 'figures.read'],
};
const mask = (s) => (s ? '*'.repeat(Math.max(0, s.length - 3)) + s.slice(-3) : '');
function userJson(u) {
  const unit = u.unit_id ? byId(u.unit_id) : null;
  const { unit_id, ...rest } = u;
  return { ...rest, unit: unit ? { id: unit.id, code: unit.code, name: unit.name } : null, phone: mask(u.phone), citizen_id: mask(u.citizen_id), bank_account: mask(u.bank_account) };
}
const sessions = new Map();
// MOCK_STATE=file keeps the sessions and the field records across a restart (the field
// test stops and restarts its server to cut the network).
const stateFile = process.env.MOCK_STATE;
if (stateFile && fs.existsSync(stateFile)) {
  const st = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  for (const [k, v] of st.sessions) sessions.set(k, v);
  for (const [k, v] of st.inspections) inspections.set(k, v);
  for (const [k, v] of st.photos) photoBytes.set(k, { mime: v.mime, data: Buffer.from(v.data, 'base64') });
}
function saveState() {
  if (!stateFile) return;
  const photos = [...photoBytes].map(([k, v]) => [k, { mime: v.mime, data: v.data.toString('base64') }]);
  fs.writeFileSync(stateFile, JSON.stringify({ sessions: [...sessions], inspections: [...inspections], photos }));
}
const failures = new Map();
const audit = [];
let nextAudit = 1;
function log(actor, action, entity, entityId, before, after, rid) {
  audit.unshift({ id: nextAudit++, at: now(), actor, action, entity, entity_id: String(entityId), unit_id: null, before, after, request_id: rid });
}

// ---- http ----
function send(res, status, body, headers = {}) {
  const rid = res.rid;
  if (status === 204) {
    res.writeHead(204, { 'X-Request-Id': rid, ...headers });
    return res.end();
  }
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': rid, ...headers });
  res.end(JSON.stringify(body));
}
const fail = (res, status, code, message, errors = []) => send(res, status, { code, message, errors, request_id: res.rid });
function page(res, items, q) {
  const p = Number(q.get('page') ?? 1), ps = Number(q.get('page_size') ?? 50);
  send(res, 200, { items: items.slice((p - 1) * ps, p * ps), page: p, page_size: ps, total: items.length });
}
const today = () => new Date().toISOString().slice(0, 10);
const MIME = { '.webmanifest': 'application/manifest+json', '.png': 'image/png', '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

http
  .createServer(async (req, res) => {
    res.rid = crypto.randomBytes(6).toString('hex');
    const url = new URL(req.url, 'http://x');
    const q = url.searchParams;
    const p = url.pathname;
    let body = {};
    if (req.method !== 'GET') {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return fail(res, 400, 'invalid_input', 'malformed JSON');
      }
    }
    if (p === '/api/health') return send(res, 200, { status: 'ok', version: 'mock', database: 'mock', schema_version: 1 });
    if (!p.startsWith('/api/')) {
      let file = path.join(dist, p === '/' ? 'index.html' : p);
      if (!file.startsWith(dist) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(dist, p.startsWith('/field') ? 'field/index.html' : 'index.html');
      res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
      return res.end(fs.readFileSync(file));
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const sid = bearer ?? /nongsan_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const sess = sid ? sessions.get(sid) : null;
    if (p === '/api/v1/auth/tokens' && req.method === 'POST') {
      const u = users.find((x) => x.username === body.username);
      if (!u || pw.get(u.id) !== body.password) return fail(res, 401, 'unauthenticated', 'wrong username or password');
      const token = crypto.randomBytes(16).toString('hex');
      sessions.set(token, { user: u.id, csrf: '' });
      saveState();
      return send(res, 200, { access_token: token });
    }
    const me = sess ? users.find((u) => u.id === sess.user) : null;
    if (p === '/api/v1/auth/login' && req.method === 'POST') {
      const f = failures.get(body.username) ?? 0;
      if (f >= 5) return send(res, 429, { code: 'too_many_requests', message: 'too many attempts', errors: [], request_id: res.rid }, { 'Retry-After': '60' });
      const u = users.find((x) => x.username === body.username);
      if (!u || pw.get(u.id) !== body.password || !u.active) {
        failures.set(body.username, f + 1);
        return fail(res, 401, 'unauthenticated', 'wrong username or password');
      }
      failures.delete(body.username);
      const token = crypto.randomBytes(16).toString('hex');
      const csrf = crypto.randomBytes(16).toString('hex');
      sessions.set(token, { user: u.id, csrf });
      saveState();
      return send(res, 200, { user: userJson(u), csrf_token: csrf, expires_at: '2099-01-01T00:00:00Z' }, { 'Set-Cookie': `nongsan_session=${token}; Path=/; HttpOnly; SameSite=Strict` });
    }
    if (!me) return fail(res, 401, 'unauthenticated', 'login required');
    if (!bearer && req.method !== 'GET' && req.headers['x-csrf-token'] !== sess.csrf) return fail(res, 403, 'forbidden', 'missing or wrong CSRF token');
    const can = (perm) => perms[me.role].includes(perm);
    const asOf = q.get('as_of') || today();
    let m;
    if (p === '/api/v1/auth/me') return send(res, 200, { user: userJson(me), csrf_token: sess.csrf, permissions: perms[me.role] });
    if (p === '/api/v1/auth/logout') {
      sessions.delete(sid);
      return send(res, 204, null, { 'Set-Cookie': 'nongsan_session=; Path=/; Max-Age=0' });
    }
    if (p === '/api/v1/auth/password') {
      if (pw.get(me.id) !== body.current_password) return fail(res, 400, 'invalid_input', 'wrong password', [{ field: 'current_password', message: 'is wrong' }]);
      pw.set(me.id, body.new_password);
      me.must_change_password = false;
      return send(res, 204);
    }
    if (p === '/api/v1/units') {
      let list = units.filter((u) => valid(u, asOf));
      if (q.get('level')) list = list.filter((u) => u.level === q.get('level'));
      if (q.get('q')) list = list.filter((u) => fold(u.name).includes(fold(q.get('q'))) || u.code.includes(q.get('q')));
      return page(res, list.map((u) => unitJson(u, asOf)), q);
    }
    if ((m = /^\/api\/v1\/units\/(\d+)$/.exec(p))) {
      const u = byId(m[1]);
      if (!u) return fail(res, 404, 'not_found', 'no such unit');
      const ancestors = [];
      for (let a = parentOf(u, asOf); a; a = parentOf(a, asOf)) ancestors.unshift(ref(a));
      return send(res, 200, {
        ...unitJson(u, asOf),
        children: units.filter((c) => valid(c, asOf) && parentOf(c, asOf)?.id === u.id).map((c) => unitJson(c, asOf)),
        predecessors: succ.filter((s) => s.succ === u.id).map((s) => ({ unit: ref(byId(s.pred)), share: s.share, basis: s.basis, effective_date: s.date })),
        successors: succ.filter((s) => s.pred === u.id).map((s) => ({ unit: ref(byId(s.succ)), share: s.share, basis: s.basis, effective_date: s.date })),
        ancestors,
      });
    }
    if (p === '/api/v1/map/units') {
      const level = q.get('level') || 'commune';
      const list = units.filter((u) => valid(u, asOf) && u.level === level);
      return send(res, 200, {
        type: 'FeatureCollection',
        features: list.map((u) => ({ type: 'Feature', geometry: u.geom, properties: { id: u.id, code: u.code, name: u.name, level: u.level, kind: u.kind, geom_source: u.geom_source, parent_id: parentOf(u, asOf)?.id ?? null, area_ha: u.area_ha } })),
      });
    }
    if (p === '/api/v1/figures/series') return send(res, 200, series);
    const figJson = (f) => ({ id: f.id, series: f.series, unit: ref(byId(f.unit_id)), year: f.year, value: f.value, note: f.note, created_at: f.created_at, updated_at: f.updated_at });
    if (p === '/api/v1/figures' && req.method === 'GET') {
      let list = figures;
      if (q.get('series')) list = list.filter((f) => f.series === q.get('series'));
      if (q.get('unit_id')) list = list.filter((f) => f.unit_id === Number(q.get('unit_id')));
      if (q.get('year')) list = list.filter((f) => f.year === Number(q.get('year')));
      return page(res, list.map(figJson), q);
    }
    if (p === '/api/v1/figures' && req.method === 'POST') {
      if (!can('figures.write')) return fail(res, 403, 'forbidden', 'not allowed');
      const errors = [];
      if (!series.some((s) => s.code === body.series)) errors.push({ field: 'series', message: 'unknown series' });
      if (!byId(body.unit_id)) errors.push({ field: 'unit_id', message: 'is required' });
      if (typeof body.year !== 'number' || body.year < 1900 || body.year > 2200) errors.push({ field: 'year', message: 'must be between 1900 and 2200' });
      if (typeof body.value !== 'number') errors.push({ field: 'value', message: 'must be a number' });
      else if (body.value < 0) errors.push({ field: 'value', message: 'must not be negative' });
      if (errors.length) return fail(res, 400, 'invalid_input', 'invalid figure', errors);
      if (figures.some((f) => f.series === body.series && f.unit_id === body.unit_id && f.year === body.year)) return fail(res, 409, 'conflict', 'a figure for this series, unit and year exists');
      const f = { id: nextFigure++, series: body.series, unit_id: body.unit_id, year: body.year, value: body.value, note: body.note ?? '', created_at: now(), updated_at: now() };
      figures.push(f);
      log(me.username, 'create', 'figure', f.id, null, figJson(f), res.rid);
      return send(res, 201, figJson(f));
    }
    if ((m = /^\/api\/v1\/figures\/(\d+)$/.exec(p))) {
      const f = figures.find((x) => x.id === Number(m[1]));
      if (!f) return fail(res, 404, 'not_found', 'no such figure');
      const before = figJson(f);
      if (req.method === 'DELETE') {
        figures = figures.filter((x) => x !== f);
        log(me.username, 'delete', 'figure', f.id, before, null, res.rid);
        return send(res, 204);
      }
      if (req.method === 'PATCH') {
        if (body.value !== undefined && (typeof body.value !== 'number' || body.value < 0)) return fail(res, 400, 'invalid_input', 'invalid figure', [{ field: 'value', message: 'must be a non-negative number' }]);
        Object.assign(f, body, { updated_at: now() });
        log(me.username, 'update', 'figure', f.id, before, figJson(f), res.rid);
        return send(res, 200, figJson(f));
      }
    }
    if (p === '/api/v1/figures/rollup') {
      const u = byId(q.get('unit_id'));
      const year = Number(q.get('year'));
      const own = figures.find((f) => f.unit_id === u.id && f.year === year && f.series === q.get('series'));
      if (own) return send(res, 200, { unit: ref(u), series: q.get('series'), year, as_of: asOf, value: own.value, method: 'own', contributions: [{ unit: ref(u), value: own.value, share: 1, method: 'own' }] });
      const preds = succ.filter((s) => s.succ === u.id).map((s) => ({ s, f: figures.find((f) => f.unit_id === s.pred && f.year === year && f.series === q.get('series')) }));
      if (preds.some((x) => x.f)) {
        const contributions = preds.map(({ s, f }) => ({ unit: ref(byId(s.pred)), value: f ? f.value : null, share: s.share, method: 'own' }));
        return send(res, 200, { unit: ref(u), series: q.get('series'), year, as_of: asOf, value: contributions.reduce((a, c) => a + (c.value ?? 0) * c.share, 0), method: 'predecessors', contributions });
      }
      const kids = units.filter((c) => valid(c, asOf) && parentOf(c, asOf)?.id === u.id);
      const contributions = kids.map((k) => ({ unit: ref(k), value: figures.find((f) => f.unit_id === k.id && f.year === year && f.series === q.get('series'))?.value ?? null, share: 1, method: 'own' }));
      const vals = contributions.filter((c) => c.value !== null);
      return send(res, 200, { unit: ref(u), series: q.get('series'), year, as_of: asOf, value: vals.length ? vals.reduce((a, c) => a + c.value, 0) : null, method: 'children', contributions });
    }
    if (p === '/api/v1/map/figures') {
      const level = q.get('level') || 'commune';
      const list = units.filter((u) => valid(u, asOf) && u.level === level);
      return send(res, 200, {
        items: list.map((u) => {
          const f = figures.find((x) => x.unit_id === u.id && x.year === Number(q.get('year')) && x.series === q.get('series'));
          return { unit_id: u.id, code: u.code, name: u.name, value: f ? f.value : null };
        }),
      });
    }
    if (p.startsWith('/api/v1/users') || p.startsWith('/api/v1/audit')) {
      if (!can('users.read')) return fail(res, 403, 'forbidden', 'province administrators only');
    }
    if (p === '/api/v1/users' && req.method === 'GET') {
      let list = users;
      if (q.get('q')) list = list.filter((u) => fold(u.username + ' ' + u.display_name).includes(fold(q.get('q'))));
      if (q.get('role')) list = list.filter((u) => u.role === q.get('role'));
      if (q.get('active')) list = list.filter((u) => String(u.active) === q.get('active'));
      return page(res, list.map(userJson), q);
    }
    if (p === '/api/v1/users' && req.method === 'POST') {
      const errors = [];
      if (!/^[a-z0-9._-]{3,}$/.test(body.username ?? '')) errors.push({ field: 'username', message: 'use 3 or more of a-z 0-9 . _ -' });
      if (users.some((u) => u.username === body.username)) errors.push({ field: 'username', message: 'is taken' });
      if (!body.display_name) errors.push({ field: 'display_name', message: 'is required' });
      if ((body.password ?? '').length < 10) errors.push({ field: 'password', message: 'must have at least 10 characters' });
      if (errors.length) return fail(res, 400, 'invalid_input', 'invalid user', errors);
      const { password, ...rest } = body;
      const u = addUser({ ...rest, unit_id: body.unit_id ?? null });
      pw.set(u.id, password);
      log(me.username, 'create', 'user', u.id, null, userJson(u), res.rid);
      return send(res, 201, userJson(u));
    }
    if ((m = /^\/api\/v1\/users\/(\d+)(\/[a-z-]+)?$/.exec(p))) {
      const u = users.find((x) => x.id === Number(m[1]));
      if (!u) return fail(res, 404, 'not_found', 'no such user');
      const before = userJson(u);
      if (m[2] === '/reveal') {
        log(me.username, 'reveal', 'user', u.id, null, { field: body.field }, res.rid);
        return send(res, 200, { field: body.field, value: u[body.field] });
      }
      if (m[2] === '/reset-password') {
        const tmp = body.new_password ?? crypto.randomBytes(6).toString('base64url');
        pw.set(u.id, tmp);
        u.must_change_password = true;
        log(me.username, 'reset_password', 'user', u.id, null, null, res.rid);
        return send(res, 200, { temporary_password: tmp });
      }
      if (req.method === 'PATCH') {
        Object.assign(u, body);
        log(me.username, 'update', 'user', u.id, before, userJson(u), res.rid);
        return send(res, 200, userJson(u));
      }
      return send(res, 200, before);
    }
    if (p === '/api/v1/audit') {
      let list = audit;
      for (const k of ['entity', 'entity_id', 'actor', 'action']) if (q.get(k)) list = list.filter((e) => String(e[k]) === q.get(k));
      return page(res, list, q);
    }
    if (p.startsWith('/api/field/')) {
      const r = fieldRoute(p, req, res, body);
      if (r !== null) return r;
    }
    return fail(res, 404, 'not_found', 'no such route');
  })
  .listen(port, '127.0.0.1', () => console.log(`mock nongsan on http://127.0.0.1:${port} serving ${dist}`));
