// Topology findings of the parcel layer: overlaps between parcels, parcels
// outside their commune, invalid shapes and slivers (/api/v1/topology/findings),
// with links to the parcels and to the map layer. The check runs on the server as
// a background job ("Chạy kiểm tra": POST /topology/checks, then GET /jobs/{id}
// until it ends); the page always says when the check last ran and by whom, and
// never reads "no errors" when it never ran.
import { ApiError, api } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, navigate, setQuery, type Route } from '../../lib/router';
import { can } from '../../lib/session';
import { actorLabel, badge, errorBox, loading } from '../../lib/ui';
import { icon } from '../../lib/icons';
import { dataTable, filterForm, filterSelect, listView } from '../../lib/list';
import { fmtNumber, fmtTimestamp, t } from '../../i18n';
import {
  FINDING_KINDS,
  findingKindLabel,
  findingParcelHref,
  findingParcelName,
  findingText,
  findingValue,
  geometryBBox,
  routeMissing,
  serverHasRoute,
  type FeatureCollection,
  type Finding,
  type FindingParcel,
  type FindingsPage,
  type Job,
  type ParcelProps,
  type TopologyCheck,
} from '../../lib/registry';

const POLL_MS = 1000;
const JOB_DONE = new Set(['succeeded', 'failed', 'interrupted']);
const STAGE_KINDS: Record<string, true> = { overlap: true, outside: true, invalid: true, sliver: true };

/** "Lần kiểm tra gần nhất: …, bởi …", or that the check never ran; kinds never checked are named. */
function lastRun(checks: TopologyCheck[] | undefined): HTMLElement {
  const list = checks ?? [];
  if (!list.length) return h('p', { class: 'alert alert-warn', 'data-testid': 'topology-last-run', 'data-never': 'true' }, t('topology.never_run'));
  const latest = [...list].sort((a, b) => (a.checked_at < b.checked_at ? 1 : -1))[0];
  const missing = FINDING_KINDS.filter((k) => !list.some((c) => c.kind === k));
  return h(
    'div',
    { class: 'alert alert-info', 'data-testid': 'topology-last-run', 'data-never': 'false', 'data-checked-at': latest.checked_at },
    h('strong', null, t('topology.last_run', { at: fmtTimestamp(latest.checked_at), by: actorLabel(latest.checked_by) })),
    ' ',
    t('topology.last_run_parcels', { n: fmtNumber(latest.parcels_checked, 0) }),
    missing.length ? h('div', { class: 'small' }, t('topology.kinds_never', { kinds: missing.map(findingKindLabel).join(', ') })) : '',
  );
}

/** A job's progress as a bar and words (stage, done of total). */
function jobProgress(job: Job): HTMLElement {
  const p = job.progress;
  const pct = p && p.total > 0 ? Math.min(100, Math.round((p.done / p.total) * 100)) : null;
  return h(
    'div',
    { class: 'alert alert-info job-progress', 'data-testid': 'topology-job', 'data-state': job.state, 'data-job-id': String(job.id), role: 'status' },
    h('strong', null, job.state === 'queued' ? t('topology.job_queued') : t('topology.job_running')),
    p && p.total > 0 ? ` ${t('topology.job_progress', { done: fmtNumber(p.done, 0), total: fmtNumber(p.total, 0) })}` : '',
    p?.stage ? h('span', { class: 'muted small' }, ` · ${p.stage in STAGE_KINDS ? findingKindLabel(p.stage) : p.stage}`) : '',
    h('progress', { max: '100', ...(pct === null ? {} : { value: String(pct) }), 'aria-label': t('topology.job_running') }),
  );
}


function parcelLink(p: FindingParcel): Node | string {
  const href = findingParcelHref(p);
  return href ? link(href, null, findingParcelName(p)) : t('common.none');
}

export function renderTopology(root: HTMLElement, route: Route): void {
  document.title = `${t('topology.title')} · nongsan`;
  const state = { kind: route.query.get('kind') ?? '' };
  const missing = (): HTMLElement => h('p', { class: 'alert alert-info', 'data-testid': 'topology-missing' }, t('topology.not_available'));
  class RouteMissing extends Error {}
  const status = h('div', { class: 'topology-status', 'aria-live': 'polite' });
  const jobBox = h('div', { 'aria-live': 'polite' });
  let last: FindingsPage | null = null;
  let polling = 0;
  const runBtn = can('registry.write') ? h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'run-topology' }, t('topology.run')) : null;

  /** Follows a job until it ends, then loads the findings again. */
  async function follow(job: Job): Promise<void> {
    const mine = ++polling;
    if (runBtn) runBtn.disabled = true;
    let j = job;
    try {
      while (!JOB_DONE.has(j.state)) {
        replace(jobBox, jobProgress(j));
        await new Promise((r) => setTimeout(r, POLL_MS));
        if (mine !== polling || !root.isConnected) return;
        j = await api.get<Job>(`/api/v1/jobs/${j.id}`);
      }
      if (j.state === 'succeeded') replace(jobBox, h('p', { class: 'alert alert-ok', 'data-testid': 'topology-job', 'data-state': j.state }, t('topology.job_done', { at: fmtTimestamp(j.ended_at) })));
      else replace(jobBox, h('div', { class: 'alert alert-error', 'data-testid': 'topology-job', 'data-state': j.state, role: 'alert' }, t(j.state === 'failed' ? 'topology.job_failed' : 'topology.job_interrupted'), j.error ? h('div', { class: 'small', 'data-verbatim': '' }, j.error) : ''));
      await list.reload();
    } catch (err) {
      replace(jobBox, errorBox(err));
    } finally {
      if (mine === polling && runBtn) runBtn.disabled = false;
    }
  }

  runBtn?.addEventListener('click', async () => {
    runBtn.disabled = true;
    try {
      const job = await api.post<Job>('/api/v1/topology/checks', {});
      void follow(job);
    } catch (err) {
      runBtn.disabled = false;
      // 409: a check is under way already; its words, then its progress.
      replace(jobBox, errorBox(err));
      if (err instanceof ApiError && err.status === 409) {
        const now = await api.get<FindingsPage>('/api/v1/topology/findings', { page_size: 1 }).catch(() => null);
        if (now?.running) void follow(now.running);
      }
    }
  });

  const list = listView<Finding>({
    pageSize: 50,
    page: Number(route.query.get('page') ?? '1'),
    fetch: async (pg) => {
      if (!(await serverHasRoute('/api/v1/topology/findings'))) throw new RouteMissing();
      const page = await api.get<FindingsPage>('/api/v1/topology/findings', { kind: state.kind, page: pg.page });
      last = page;
      replace(status, lastRun(page.last_checks));
      if (page.running && !JOB_DONE.has(page.running.state) && polling === 0) void follow(page.running);
      return page;
    },
    syncUrl: (page) => setQuery({ kind: state.kind, page: page > 1 ? page : '' }),
    render: (page) => {
      return [
        dataTable<Finding>(
          [
            { label: t('topology.kind'), title: true, cell: (f) => badge(findingKindLabel(f.kind), f.kind === 'overlap' || f.kind === 'invalid' ? 'warn' : 'neutral') },
            { label: t('topology.parcels'), cell: (f) => [parcelLink(f.parcel_a), f.parcel_b !== null && f.parcel_b !== undefined ? h('span', null, ' ↔ ', parcelLink(f.parcel_b)) : ''] },
            { label: t('topology.value'), class: 'num', cell: (f) => findingValue(f) },
            { label: t('topology.message'), cell: (f) => h('span', { title: f.message }, findingText(f)) },
            {
              label: '',
              class: 'actions',
              cell: (f) => {
                const a = findingParcelName(f.parcel_a);
                return a ? link(`/registry/parcels/find?${new URLSearchParams({ external_id: a, map: '1' }).toString()}`, { class: 'btn btn-small' }, icon('map', 14), t('topology.show')) : '';
              },
            },
          ],
          page.items,
          { testId: 'finding-table', row: (f) => ({ 'data-kind': f.kind }) },
        ),
      ];
    },
    // "No errors" only for what was checked: a kind never checked says so.
    empty: () => {
      const checks = last?.last_checks ?? [];
      if (!checks.length) return h('p', { 'data-reason': 'never' }, t('topology.none_never_run'));
      if (state.kind && !checks.some((c) => c.kind === state.kind)) return h('p', { 'data-reason': 'kind_never' }, t('topology.kind_never_run', { kind: findingKindLabel(state.kind) }));
      return h('p', { 'data-reason': 'checked' }, t('topology.none'));
    },
    emptyTestId: 'no-findings',
    failed: (err) => (err instanceof RouteMissing || routeMissing(err) ? missing() : null),
  });
  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', null, t('topology.title')), h('div', { class: 'page-actions' }, runBtn ?? '', link('/registry?topology=1', { class: 'btn', 'data-testid': 'topology-map' }, icon('map', 16), t('topology.on_map')))),
    h('p', { class: 'intro' }, t('topology.intro')),
    status,
    jobBox,
    filterForm([t('topology.kind'), filterSelect('kind', FINDING_KINDS.map((k) => ({ value: k, label: findingKindLabel(k) })), state.kind, (v) => ((state.kind = v), void list.reload(true))), 'kind']),
    list.el,
  );
  void list.reload();
}

let findingsMap: Promise<FeatureCollection<Finding>> | null = null;

/**
 * Opens a parcel named by its external id (topology findings name parcels so):
 * near the given bbox, or near a finding that names it, the map of parcels says
 * which id it has. With map=1 it opens the parcel on the registry map instead.
 */
export async function renderFindParcel(root: HTMLElement, route: Route): Promise<void> {
  const ext = route.query.get('external_id') ?? '';
  const toMap = route.query.get('map') === '1';
  const back = link('/registry/topology', { class: 'back' }, `‹ ${t('topology.title')}`);
  replace(root, loading());
  let bbox = (route.query.get('bbox') ?? '').split(',').filter(Boolean).map(Number);
  try {
    if (bbox.length !== 4 || bbox.some((v) => !Number.isFinite(v))) {
      if (!findingsMap) findingsMap = api.get<FeatureCollection<Finding>>('/api/v1/map/topology', { limit: 50000 });
      const fc = await findingsMap.catch((err) => {
        findingsMap = null;
        throw err;
      });
      const f = fc.features.find((x) => x.properties.parcel_a === ext || x.properties.parcel_b === ext);
      bbox = geometryBBox(f?.geometry) ?? [];
    }
    if (bbox.length === 4) {
      const pad = 0.0005;
      const near = [bbox[0] - pad, bbox[1] - pad, bbox[2] + pad, bbox[3] + pad].map((v) => v.toFixed(6)).join(',');
      const parcels = await api.get<FeatureCollection<ParcelProps>>('/api/v1/map/parcels', { bbox: near, limit: 2000 });
      const hit = parcels.features.find((x) => x.properties.external_id === ext);
      if (hit) {
        navigate(toMap ? `/registry?topology=1&parcel=${hit.properties.id}` : `/registry/parcels/${hit.properties.id}`, { replace: true });
        return;
      }
    }
    replace(root, back, h('p', { class: 'alert alert-info', 'data-testid': 'parcel-not-found' }, t('topology.parcel_not_found', { id: ext })));
  } catch (err) {
    replace(root, back, errorBox(err));
  }
}
