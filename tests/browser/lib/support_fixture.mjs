// Support records for the browser tests, created through the API as the roles that
// would enter them (never the database), on the demo's registry. Two illustrative
// policies (tea planting by area with an amendment, beekeeping by hive) and a year
// of applications in Xã Bình Lư with abuse planted in it — an over-declared parcel,
// a parcel claimed by someone who does not control it (and twice: an overlap), a
// payment before acceptance — one application of the cooperative account, one in
// another commune, one rejected and one paid through the whole life cycle; budgets;
// and the year's check run. Idempotent: a second call finds what the first made.
import assert from 'node:assert/strict';
import { apiClient } from './registry_fixture.mjs';
import { DEMO } from './harness.mjs';

/** The year the test applications are filed in ("last year" for the preview). */
export const YEAR = 2025;
export const TEA = 'TEST-CHE';
export const BEES = 'TEST-ONG';

export const TEA_POLICY = {
  code: TEA,
  version: '2021-03-22',
  name_vi: 'Hỗ trợ trồng mới chè (thử nghiệm)',
  name_en: 'New tea planting (test)',
  content: 'tea_planting',
  item: 'area',
  rate: 15000000,
  one_time: true,
  cap_per_beneficiary_year: 60000000,
  requires: { controller: true, crop: 'tea' },
  conditions: 'claimed_ha >= 0.1',
  source: 'Nghị quyết 07/2021/NQ-HĐND (minh họa cho kiểm thử)',
  illustrative: true,
};
const TEA_AMENDMENT = { ...TEA_POLICY, version: '2026-01-01', rate: 18000000 };
const BEE_POLICY = {
  code: BEES,
  version: '2021-03-22',
  name_vi: 'Hỗ trợ phát triển nuôi ong (thử nghiệm)',
  name_en: 'Beekeeping (test)',
  content: 'beekeeping',
  item: 'hive',
  rate: 300000,
  conditions: 'quantity >= 10 and applicant_kind in ["household", "cooperative"]',
  source: 'Nghị quyết 07/2021/NQ-HĐND (minh họa cho kiểm thử)',
  illustrative: true,
};

/** Hectares from m², cut to 4 decimals (what the entry screen prefills). */
export const claimOf = (m2) => Math.floor((m2 / 10000) * 10000 + 1e-9) / 10000;

async function unitByName(api, name) {
  const page = await api.get(`/api/v1/units?q=${encodeURIComponent(name)}&level=commune`);
  const u = page.items.find((x) => x.name.includes(name));
  assert.ok(u, `a commune named ${name}`);
  return u;
}

/** Households holding tea parcels in a commune: [{ producer, parcels: [...] }], most parcels first. */
async function teaHolders(api, communeId) {
  const page = await api.get(`/api/v1/parcels?commune_id=${communeId}&crop=tea&page_size=200`);
  const by = new Map();
  for (const p of page.items) {
    if (!p.holder || p.holder.kind !== 'household' || !p.area_m2) continue;
    const e = by.get(p.holder.producer_id) ?? { producer: { id: p.holder.producer_id, name: p.holder.name }, parcels: [] };
    e.parcels.push(p);
    by.set(p.holder.producer_id, e);
  }
  return [...by.values()].sort((a, b) => b.parcels.length - a.parcels.length);
}

async function step(api, id, step, extra = {}) {
  return api.post(`/api/v1/support/applications/${id}/steps`, { step, ...extra });
}

let cached = null;

/** Creates (once) and returns what the tests need to know. */
export async function ensureSupportData(base) {
  if (cached) return cached;
  const admin = await apiClient(base, DEMO.admin);
  const prov = await apiClient(base, DEMO.provinceOfficer);
  const commune = await apiClient(base, DEMO.communeOfficer);
  const coopMe = await (await apiClient(base, DEMO.coop)).get('/api/v1/auth/me');
  const binhlu = await unitByName(admin, 'Bình Lư');
  const holders = await teaHolders(admin, binhlu.id);
  assert.ok(holders.length >= 3 && holders[0].parcels.length >= 2, 'Bình Lư has households holding tea parcels');
  const [h1, h2, h3] = holders;
  // Another commune's household with a tea parcel (outside the commune officer's scope).
  let away = null;
  for (const name of ['Đoàn Kết', 'Tân Uyên', 'Bản Bo', 'Tam Đường']) {
    const u = await unitByName(admin, name).catch(() => null);
    if (!u || u.id === binhlu.id) continue;
    const hs = await teaHolders(admin, u.id);
    if (hs.length) {
      away = { unit: u, ...hs[0] };
      break;
    }
  }
  assert.ok(away, 'a tea household outside Bình Lư');

  const fx = {
    year: YEAR,
    binhlu,
    h1: h1.producer,
    h2: h2.producer,
    h3: h3.producer,
    away: away.producer,
    awayUnit: away.unit,
    p1: h1.parcels[0],
    p2: h1.parcels[1],
    p3: h2.parcels[0],
    p4: h3.parcels[0],
    pAway: away.parcels[0],
    coop: { id: coopMe.user.producer_id, name: coopMe.user.organisation },
    apps: {},
  };

  const policies = await admin.get('/api/v1/support/policies');
  if (!policies.some((p) => p.code === TEA)) {
    for (const p of [TEA_POLICY, TEA_AMENDMENT, BEE_POLICY]) await prov.post('/api/v1/support/policies', p);
    const app = async (who, code, policy, applicant, filed, items) => {
      const a = await who.post('/api/v1/support/applications', { code, policy, applicant_id: applicant, filed, items });
      return a.id;
    };
    const area = (p, factor = 1) => ({ parcel_id: p.id, quantity: +(claimOf(p.area_m2) * factor).toFixed(4) });
    const ids = {};
    ids['T25-001'] = await app(commune, 'T25-001', TEA, fx.h1.id, `${YEAR}-03-01`, [area(fx.p1)]);
    ids['T25-002'] = await app(commune, 'T25-002', TEA, fx.h1.id, `${YEAR}-03-05`, [area(fx.p2, 1.5)]);
    ids['T25-003'] = await app(commune, 'T25-003', TEA, fx.h2.id, `${YEAR}-03-10`, [area(fx.p1)]);
    ids['T25-004'] = await app(commune, 'T25-004', BEES, fx.coop.id, `${YEAR}-04-01`, [{ quantity: 40 }]);
    ids['T25-005'] = await app(prov, 'T25-005', TEA, fx.away.id, `${YEAR}-04-02`, [area(fx.pAway)]);
    ids['T25-006'] = await app(commune, 'T25-006', TEA, fx.h2.id, `${YEAR}-04-03`, [area(fx.p3)]);
    ids['T25-007'] = await app(commune, 'T25-007', TEA, fx.h3.id, `${YEAR}-04-05`, [area(fx.p4)]);
    // T25-001 through the whole life cycle: the commune verifies, appraises and accepts;
    // the province approves; another person pays (four eyes).
    await step(commune, ids['T25-001'], 'verify', { date: `${YEAR}-03-15` });
    await step(commune, ids['T25-001'], 'appraise', { date: `${YEAR}-04-01` });
    await step(commune, ids['T25-001'], 'accept', { date: `${YEAR}-09-01` });
    await step(prov, ids['T25-001'], 'approve', { date: `${YEAR}-09-15`, amount: Math.floor(TEA_POLICY.rate * claimOf(fx.p1.area_m2)), reference: '123/QĐ-UBND' });
    await step(admin, ids['T25-001'], 'pay', { date: `${YEAR}-10-01`, funding_source: 'provincial_budget', reference: 'UNC 456' });
    await step(commune, ids['T25-002'], 'verify', { date: `${YEAR}-03-20` });
    await step(commune, ids['T25-006'], 'reject', { date: `${YEAR}-04-10`, reason: 'Hồ sơ thiếu giấy tờ (thử nghiệm)' });
    // T25-007 waits for approval, so that the tests can approve it.
    await step(commune, ids['T25-007'], 'verify', { date: `${YEAR}-04-10` });
    await step(commune, ids['T25-007'], 'appraise', { date: `${YEAR}-04-20` });
    await step(commune, ids['T25-007'], 'accept', { date: `${YEAR}-09-01` });
    // Money before the work was accepted: for the checks to find.
    await admin.post(`/api/v1/support/applications/${ids['T25-002']}/payments`, { date: `${YEAR}-06-01`, amount: 5000000, kind: 'payment', funding_source: 'national_target_programme' });
    for (const [policy, source, planned] of [[TEA, 'provincial_budget', 100000000], [TEA, 'national_target_programme', 50000000], [BEES, 'provincial_budget', 20000000]])
      await prov.put('/api/v1/support/budget', { policy, year: YEAR, funding_source: source, planned });
    await prov.post('/api/v1/support/checks', { year: YEAR });
  }
  const list = await admin.get(`/api/v1/support/applications?year=${YEAR}&q=T25-&page_size=100`);
  for (const a of list.items) fx.apps[a.code] = a;
  assert.ok(fx.apps['T25-001'] && fx.apps['T25-007'], 'the test applications exist');
  cached = fx;
  return fx;
}
