// Vietnamese first, English by choice, every label translated:
// - the two dictionaries (web-ui/src/i18n/vi.ts and en.ts) have the same keys, the
//   same {placeholders} and no empty text;
// - every page, opened in Vietnamese as each kind of user, shows none of a list of
//   English words (audit actions and tables, suitability units and categories,
//   measure units, record states, "cli:root" …) in its text, placeholders and
//   labels; opened in English, none of a list of Vietnamese UI words.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { run, newPage, login, repoRoot, screenshot, expectApiError, DEMO, LAPTOP } from './lib/harness.mjs';
import { importNq05 } from './lib/nq05.mjs';
import { ensureSupportData, TEA, YEAR } from './lib/support_fixture.mjs';

// ---- the dictionaries --------------------------------------------------------------

/** The entries of a dictionary file: 'key': 'text' (or "text"), one a line. */
export function readDictionary(file) {
  const src = fs.readFileSync(file, 'utf8');
  const out = new Map();
  for (const m of src.matchAll(/^\s*'([^']+)':\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"),?\s*$/gm)) out.set(m[1], m[2] ?? m[3]);
  return out;
}

const placeholders = (s) => [...s.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).sort().join(',');

/** Every difference between two dictionaries, as lines a person can act on. */
export function dictionaryProblems(vi, en) {
  const problems = [];
  for (const k of vi.keys()) if (!en.has(k)) problems.push(`only in vi.ts: ${k}`);
  for (const k of en.keys()) if (!vi.has(k)) problems.push(`only in en.ts: ${k}`);
  for (const [k, v] of vi) {
    if (!en.has(k)) continue;
    if (placeholders(v) !== placeholders(en.get(k))) problems.push(`placeholders differ in ${k}: vi {${placeholders(v)}} en {${placeholders(en.get(k))}}`);
    if (!v.trim()) problems.push(`empty in vi.ts: ${k}`);
    if (!en.get(k).trim()) problems.push(`empty in en.ts: ${k}`);
  }
  return problems;
}

// ---- the pages ----------------------------------------------------------------------

/**
 * English words that must not appear in the Vietnamese UI, whole words, case as
 * written. Codes (NQ05, S1, OCOP), user names and the product's name are not
 * words of the UI and are not listed.
 */
export const ENGLISH_WORDS = [
  // sentences and states
  'the', 'and', 'of', 'with', 'not', 'none', 'None', 'null', 'undefined', 'NaN', 'true', 'false', 'Loading', 'Error', 'error',
  // audit trail: actions, tables, actors
  'create', 'update', 'delete', 'reveal', 'login', 'logout', 'login_failed', 'token_issued', 'reset_password', 'change_password',
  'submit', 'approve', 'unlock', 'import', 'split', 'merge', 'app_user', 'session', 'unit_figure', 'admin_unit', 'parcel', 'producer',
  'zone', 'planting', 'conversion', 'land_right', 'observation', 'target', 'programme', 'indicator', 'crop_profile', 'report_issue',
  'cli:', 'user:',
  // suitability: units and categories of the crop profiles
  'm a.s.l.', 'degrees', 'mm/year', 'deg C', 'mean annual', 'clay', 'loam', 'sand', 'silt', 'gravelly', 'irrigated', 'rainfed', 'drainage',
  'well', 'poor', 'excessive', 'imperfect', 'canopy',
  // measure units and counted things
  'households', 'colonies', 'farms', 'structures', 'products', 'chains', 'tonnes', 'hectares',
  // records and states
  'household', 'cooperative', 'enterprise', 'farm', 'owner', 'lessee', 'contributed', 'draft', 'submitted', 'approved', 'locked',
  'returned', 'no_target', 'not_evaluable', 'four_eyes', 'no_records', 'succeeded', 'interrupted', 'achieved', 'illustrative', 'overlap', 'sliver', 'outside', 'invalid', 'reported', 'computed', 'stock', 'flow',
  'commune', 'district', 'province', 'official', 'imported',
  // support: statuses, findings, payments, funding sources, counted items
  'verified', 'appraised', 'rejected', 'recovered', 'paid', 'payment', 'recovery', 'hives', 'exclusive_policies', 'over_declared',
  'not_controlled', 'outside_zone', 'wrong_crop', 'duplicate_person', 'cap_exceeded', 'paid_without_acceptance', 'paid_over_approved',
  'national_target_programme', 'central_budget', 'provincial_budget',
];

/** Vietnamese words of the UI that must not appear when English is chosen (data names aside). */
export const VIETNAMESE_WORDS = [
  'Đang tải', 'bản ghi', 'Không có', 'Cấp xã', 'Cấp huyện', 'Cấp tỉnh', 'Dòng lệnh', 'công trình', 'trang trại', 'đàn', 'chuỗi',
  'Trang trước', 'Trang sau', 'Xóa bộ lọc', 'Tất cả', 'Đăng xuất', 'Chỉ tiêu', 'Thửa đất', 'đạt', 'kế hoạch',
  'Hồ sơ', 'Ngân sách', 'Chi trả', 'Đã nộp', 'Phê duyệt', 'đối chiếu', 'đàn ong',
];

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The words of `list` found in `text`, each with a little context. */
export function findWords(text, list) {
  const hits = [];
  for (const w of list) {
    // Word boundaries that know Vietnamese letters: a word is not part of a longer one.
    // A word that ends in punctuation ("cli:") may run on into a name ("cli:root").
    const tail = /[\p{L}\p{N}]$/u.test(w) ? '(?=$|[^\\p{L}\\p{N}_])' : '';
    const re = new RegExp(`(^|[^\\p{L}\\p{N}_])${escapeRe(w)}${tail}`, 'u');
    const m = re.exec(text);
    if (m) {
      const at = m.index + m[1].length;
      hits.push(`"${w}" in "…${text.slice(Math.max(0, at - 40), at + w.length + 40).replace(/\s+/g, ' ')}…"`);
    }
  }
  return hits;
}

/**
 * What a person reads on the page: its text, and the placeholders and labels of
 * controls. Left out, because they are not words of the UI: codes and identifiers
 * (.mono, code), text quoted from records or from the server ([data-verbatim]:
 * sources and notes as written, the server's error message), and text marked as
 * being in another language (lang="vi" inside the English page).
 */
async function visibleWords(page) {
  return page.evaluate(() => {
    const pageLang = document.documentElement.lang;
    const skip = (el) => el.closest('.mono, code, [data-verbatim]') || (el.closest('[lang]') && el.closest('[lang]').getAttribute('lang') !== pageLang);
    const parts = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || skip(el) || el.closest('script, style, [hidden], option')) continue;
      if (!el.checkVisibility?.() && el.tagName !== 'TITLE') continue;
      parts.push(n.textContent);
    }
    // The choices of a select are read when it opens.
    for (const o of document.querySelectorAll('select option')) if (!skip(o)) parts.push(o.textContent);
    for (const el of document.querySelectorAll('[placeholder], [aria-label]')) {
      if (el.closest('[hidden]') || skip(el)) continue;
      parts.push(el.getAttribute('placeholder') ?? '', el.getAttribute('aria-label') ?? '');
    }
    return parts.join('\n');
  });
}

/** Waits until the page has drawn its data: no loading line, no busy list. */
async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('.loading, [aria-busy=true]'), null, { timeout: 20000 }).catch(() => {});
  await page.waitForTimeout(400);
}

const REVIEW = 'milestone=2025&as_of=2023-06-30';
/** Every screen, with what to do on it so that its translated parts show. */
export const PAGES = [
  ['/'],
  ['/map'],
  ['/map?as_of=2024-12-31&series=tea_area_ha&year=2024'],
  ['/units'],
  ['/units?as_of=2024-12-31&level=commune&q=binh%20lu', async (page) => { await page.locator('table tbody tr a').first().click(); }],
  ['/figures'],
  ['/figures/rollup?series=farming_households&unit_id=1&year=2024'],
  ['/registry'],
  ['/registry/parcels', async (page) => { await page.locator('[data-testid=parcel-table] tbody tr a').first().click(); }],
  ['/registry/producers', async (page) => { await page.locator('[data-testid=producer-table] tbody tr a').first().click(); }],
  ['/registry/zones', async (page) => { await page.locator('table tbody tr a, .zone-card a').first().click(); }],
  ['/registry/conversions'],
  ['/registry/conversions/records'],
  ['/registry/topology'],
  ['/targets'],
  [`/targets/NQ05?${REVIEW}`],
  [`/targets/NQ05/indicators/CHUONG_TRAI_HT?${REVIEW}`],
  [`/targets/NQ05/indicators/ONG_DAN?${REVIEW}`],
  ['/targets/NQ05/observations'],
  ['/targets/NQ05/approvals'],
  ['/targets/NQ05/observations?view=flags'],
  ['/targets/NQ05/targets'],
  [`/targets/NQ05/reports?${REVIEW}`],
  ['/suitability?tab=map&crop=tea', async (page) => {
    // MapLibre and the class tiles take a while on a loaded machine.
    await page.locator('[data-testid=suit-map][data-ready=true]').waitFor({ timeout: 30000 });
    const box = await page.locator('[data-testid=suit-map]').boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator('[data-testid=suit-point]').waitFor({ timeout: 30000 });
  }],
  ['/suitability?tab=profile&crop=tea'],
  ['/suitability?tab=reports&crop=tea'],
  ['/users'],
  ['/audit'],
  ['/audit?actor=cli%3Aroot'],
  ['/support'],
  // Support records are made through the API before the scans (lib/support_fixture.mjs).
  [`/support?year=${YEAR}`, async (page) => { await page.locator('[data-testid=application-table] tr[data-code="T25-003"] a').click(); await page.locator('[data-testid=trace-steps]').waitFor(); }],
  [`/support?year=${YEAR}&q=T25-002`, async (page) => { await page.locator('[data-testid=open-application]').first().click(); await page.locator('[data-testid=trace-steps]').waitFor(); }],
  ['/support/policies', async (page) => { await page.locator('[data-testid=open-policy]').first().click(); await page.locator('[data-testid=version-table]').waitFor(); }],
  [`/support/policies/${TEA}?amend=1`, async (page) => { await page.locator('[data-testid=policy-verdict] [data-result]').waitFor(); await page.locator('[data-testid=conditions]').fill('claimed_ha >= 0.1 and applicant_kind = "household"'); await page.locator('[data-testid=condition-caret]').waitFor(); }],
  ['/support/policies/new'],
  [`/support/applications/new?policy=${TEA}`, async (page) => { await page.locator('[data-testid=entry-map-status][data-ready=true]').waitFor({ timeout: 30000 }); }],
  [`/support/budget?year=${YEAR}`],
  [`/support/findings?year=${YEAR}`, async (page) => { await page.locator('[data-testid=map-status][data-ready=true]').waitFor({ state: 'attached', timeout: 30000 }); }],
];

async function scan(env, who, lang, list, pages = PAGES) {
  await ensureSupportData(env.base);
  const page = await newPage(env, { viewport: LAPTOP, lang });
  await login(page, who);
  // Refusals the scan provokes on purpose, so that their messages are scanned too: the
  // amended policy's condition is written wrong (the live check answers 400 with its
  // position), and the province's roll-up is outside a district officer's scope (403).
  expectApiError(page, { status: 400, method: 'POST', url: /^\/api\/v1\/support\/policies\/check$/ });
  if (who !== DEMO.admin) expectApiError(page, { status: 403, method: 'GET', url: /^\/api\/v1\/figures\/rollup\?.*unit_id=1&/ });
  page.setDefaultTimeout(6000);
  const problems = [];
  for (const [p, act] of pages) {
    await page.goto(p);
    await settled(page);
    if (act) {
      try {
        await act(page);
        await settled(page);
      } catch (err) {
        problems.push(`${p}: could not open its detail (${String(err.message ?? err).split('\n')[0]})`);
      }
    }
    for (const hit of findWords(await visibleWords(page), list)) problems.push(`${page.url().replace(env.base, '')}: ${hit}`);
    if (/[a-z]+\.[a-z_]+\.[a-z_]+/.test(await page.locator('main').innerText().catch(() => ''))) {
      const m = (await page.locator('main').innerText()).match(/\b(nav|common|targets|registry|parcel|suit|list|home|audit|unit|map|support)\.[a-z_.]+\b/);
      if (m) problems.push(`${p}: a raw message key "${m[0]}"`);
    }
  }
  await screenshot(page, `i18n-last-${lang}`);
  await page.context().close();
  return problems;
}

const tests = [
  ['vi.ts and en.ts have the same keys, the same placeholders and no empty text', async () => {
    const dir = path.join(repoRoot, 'web-ui', 'src', 'i18n');
    const vi = readDictionary(path.join(dir, 'vi.ts'));
    const en = readDictionary(path.join(dir, 'en.ts'));
    assert.ok(vi.size > 500 && en.size > 500, `both dictionaries read (${vi.size}, ${en.size} entries)`);
    assert.deepEqual(dictionaryProblems(vi, en), []);
    // The check itself finds a key in one language only and a lost placeholder.
    const vi2 = new Map(vi).set('test.only_vi', 'chỉ tiếng Việt');
    const en2 = new Map(en).set('common.page', 'Page {page}');
    const found = dictionaryProblems(vi2, en2);
    assert.ok(found.includes('only in vi.ts: test.only_vi'), found.join('\n'));
    assert.ok(found.some((x) => x.startsWith('placeholders differ in common.page')), found.join('\n'));
  }],

  ['the word scanner finds English words and leaves Vietnamese and codes alone', async () => {
    assert.deepEqual(findWords('Hành động: create · Bảng: parcel · Người thực hiện: cli:root', ENGLISH_WORDS).map((x) => x.split('"')[1]).sort(), ['cli:', 'create', 'parcel']);
    assert.deepEqual(findWords('Thửa đất TD-0001, Xã Bình Lư, NQ05, S1, 12,5 ha, thành phần: thịt pha sét', ENGLISH_WORDS), []);
    assert.deepEqual(findWords('Độ cao 820 m a.s.l.', ENGLISH_WORDS).length, 1);
  }],

  ['no English words on any page in Vietnamese (administrator)', async (env) => {
    const problems = await scan(env, DEMO.admin, 'vi', ENGLISH_WORDS);
    assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
  }],

  ['no English words on the pages a district officer and a cooperative see in Vietnamese', async (env) => {
    // The cooperative reads the registry, the units and the map; the rest answers it "forbidden".
    const coopPages = PAGES.filter(([p]) => /^\/(map|units|registry|home|support|$)/.test(p) || p === '/');
    const problems = [...(await scan(env, DEMO.districtOfficer, 'vi', ENGLISH_WORDS)), ...(await scan(env, DEMO.coop, 'vi', ENGLISH_WORDS, coopPages))];
    assert.deepEqual(problems.filter((p) => !/could not open/.test(p)), [], `\n${problems.join('\n')}`);
  }],

  ['no Vietnamese UI words on any page in English (administrator)', async (env) => {
    const problems = await scan(env, DEMO.admin, 'en', VIETNAMESE_WORDS);
    assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
  }],
];

await run(tests, { setup: importNq05 });
