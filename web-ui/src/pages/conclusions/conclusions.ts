// The committee's conclusions (docs/conclusions.md): draft a THÔNG BÁO from the data on a
// date, edit it paragraph by paragraph (the references "[n]" stay with each paragraph),
// download it as HTML, PDF or DOCX, and register the final text in the register of
// issued reports. The text comes from the server; the page only shows and edits it.
import { request } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, navigate, type Route } from '../../lib/router';
import { errorBox, loading } from '../../lib/ui';
import { fmtDate, t, type MessageKey } from '../../i18n';

interface Paragraph { id: string; kind: string; text: string; refs: number[]; edited: boolean }
interface Section { key: string; heading: string; paragraphs: Paragraph[] }
interface Source { n: number; kind: string; label: string; figure: string; link: string }
interface Draft {
  id: number;
  programme: string;
  as_of: string;
  status: 'draft' | 'registered';
  version: number;
  data_hash: string;
  issue_id: number | null;
  illustrative: boolean;
  updated_by: string;
  draft?: { title: string; sections: Section[]; sources: Source[] };
}

const enc = encodeURIComponent;

export async function renderConclusions(root: HTMLElement): Promise<void> {
  replace(root, loading());
  const programme = h('input', { name: 'programme', value: 'NQ05', required: 'true', 'aria-label': t('conclusions.programme') });
  const asOf = h('input', { name: 'as_of', type: 'date', value: '2023-06-30', 'aria-label': t('conclusions.as_of') });
  const status = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card form-row', 'data-testid': 'conclusions-new' },
    h('label', null, t('conclusions.programme'), programme),
    h('label', null, t('conclusions.as_of'), asOf),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('conclusions.create')),
    status,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(status, loading());
    try {
      const d = await request<Draft>('POST', '/api/v1/conclusions', { body: { programme: programme.value, as_of: asOf.value || undefined } });
      navigate(`/conclusions/${d.id}`);
    } catch (err) {
      replace(status, errorBox(err));
    }
  });
  try {
    const list = await request<{ items: Draft[] }>('GET', '/api/v1/conclusions');
    const rows = list.items.map((d) =>
      h(
        'tr',
        null,
        h('td', null, link(`/conclusions/${d.id}`, null, `#${d.id}`)),
        h('td', null, d.programme),
        h('td', null, fmtDate(d.as_of)),
        h('td', null, t(`conclusions.status.${d.status}` as MessageKey)),
        h('td', null, d.updated_by),
      ),
    );
    replace(
      root,
      h('h1', null, t('conclusions.title')),
      h('p', { class: 'muted' }, t('conclusions.intro')),
      form,
      rows.length
        ? h('table', { class: 'table', 'data-testid': 'conclusions-list' },
            h('thead', null, h('tr', null, ...['#', t('conclusions.programme'), t('conclusions.as_of'), t('conclusions.status'), t('conclusions.updated_by')].map((x) => h('th', null, x)))),
            h('tbody', null, ...rows))
        : h('p', { class: 'muted' }, t('conclusions.none')),
    );
  } catch (err) {
    replace(root, errorBox(err));
  }
}

function refsText(p: Paragraph): HTMLElement {
  return h('span', { class: 'refs' }, ...p.refs.flatMap((n, i) => [i ? ', ' : '', h('a', { href: `#nguon-${n}` }, `[${n}]`)]));
}

export async function renderConclusion(root: HTMLElement, route: Route): Promise<void> {
  const id = route.params.id;
  replace(root, loading());
  let d: Draft;
  try {
    d = await request<Draft>('GET', `/api/v1/conclusions/${enc(id)}`);
  } catch (err) {
    replace(root, errorBox(err));
    return;
  }
  const draft = d.draft!;
  const editable = d.status === 'draft';
  const msg = h('div', { 'aria-live': 'polite' });
  const version = { v: d.version };
  const sections = draft.sections.map((s) =>
    h(
      'section',
      { class: 'card', 'data-section': s.key },
      h('h2', null, s.heading),
      ...s.paragraphs.map((p) => {
        const area = h('textarea', { rows: '4', 'data-paragraph': p.id, 'aria-label': `${s.heading} ${p.id}` }) as HTMLTextAreaElement;
        area.value = p.text;
        if (!editable) area.setAttribute('readonly', 'true');
        const save = h('button', { type: 'button', class: 'btn', 'data-save': p.id }, t('conclusions.save'));
        const note = h('span', { class: 'muted small' }, p.edited ? t('conclusions.edited') : '');
        save.addEventListener('click', async () => {
          try {
            const next = await request<Draft>('PATCH', `/api/v1/conclusions/${enc(id)}`, { body: { paragraph: p.id, text: area.value, base_version: version.v } });
            version.v = next.version;
            replace(note, t('conclusions.saved'));
            replace(msg);
          } catch (err) {
            replace(msg, errorBox(err));
          }
        });
        return h('div', { class: 'paragraph', 'data-testid': `p-${p.id}` }, area, h('div', { class: 'btn-row' }, refsText(p), editable ? save : '', note));
      }),
    ),
  );
  const sources = h(
    'table',
    { class: 'table', 'data-testid': 'sources' },
    h('thead', null, h('tr', null, h('th', null, '#'), h('th', null, t('conclusions.source')), h('th', null, t('conclusions.figure')))),
    h('tbody', null, ...draft.sources.map((s) =>
      h('tr', { id: `nguon-${s.n}` }, h('td', null, `[${s.n}]`), h('td', null, s.link ? link(s.link, null, s.label) : s.label), h('td', null, s.figure)),
    )),
  );
  const downloads = h('div', { class: 'btn-row', 'data-testid': 'downloads' },
    ...(['pdf', 'docx', 'html'] as const).map((f) =>
      h('a', { class: f === 'pdf' ? 'btn btn-primary' : 'btn', href: `/api/v1/conclusions/${enc(id)}/document?format=${f}`, download: '' }, f.toUpperCase())));
  const register = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'register' }, t('conclusions.register'));
  register.addEventListener('click', async () => {
    try {
      await request<Draft>('POST', `/api/v1/conclusions/${enc(id)}/register`, { body: { format: 'pdf' } });
      await renderConclusion(root, route);
    } catch (err) {
      replace(msg, errorBox(err));
    }
  });
  replace(
    root,
    h('p', null, link('/conclusions', null, `← ${t('conclusions.title')}`)),
    h('h1', null, `THÔNG BÁO ${draft.title}`),
    h('p', { class: 'muted', 'data-testid': 'status' },
      `${t(`conclusions.status.${d.status}` as MessageKey)} · ${fmtDate(d.as_of)}${d.issue_id ? ` · ${t('conclusions.issue')} ${d.issue_id}` : ''}${d.illustrative ? ` · ${t('conclusions.illustrative')}` : ''}`),
    downloads,
    editable ? h('div', { class: 'btn-row' }, register) : '',
    msg,
    ...sections,
    h('section', { class: 'card' }, h('h2', null, t('conclusions.sources')), sources),
  );
}
