// A contract's signed documents as files (docs/chains.md "Signed documents"): the list
// with download links, upload from a phone (camera or files) or a laptop, delete. The
// accepted types and the size limit are the chains settings; the server reads the type
// from the bytes and names the field of every problem.
import { h, replace } from '../../lib/dom';
import { api, request } from '../../lib/api';
import { blobToBase64 } from '../../lib/files';
import { dataTable, type Column } from '../../lib/list';
import { actorLabel, clearFieldErrors, confirmDialog, errorBox, field, setLocalError, showFormError } from '../../lib/ui';
import { can } from '../../lib/session';
import { fmtTimestamp, fmtNumber, t } from '../../i18n';

export interface ContractDocument {
  id: number; contract_id: number; name: string; media_type: string; size_bytes: number; sha256: string; added_by: string; added_at: string;
}
interface DocumentSettings { document_max_mb: number; document_media_types: string[] }

const TYPE_LABEL: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };
const size = (b: number): string => (b >= 1024 * 1024 ? `${fmtNumber(b / (1024 * 1024), 1)} MB` : `${fmtNumber(Math.max(1, Math.round(b / 1024)))} KB`);

export async function documentsSection(contractId: number): Promise<HTMLElement> {
  const section = h('section', { class: 'card', 'data-testid': 'documents' });
  const base = `/api/v1/chains/contracts/${contractId}/documents`;
  async function load(): Promise<void> {
    let docs: ContractDocument[];
    let rules: DocumentSettings;
    try {
      [docs, rules] = await Promise.all([api.get<ContractDocument[]>(base), api.get<DocumentSettings>('/api/v1/chains/settings')]);
    } catch (err) {
      replace(section, h('h2', null, t('chains.doc.heading')), errorBox(err));
      return;
    }
    const cols: Column<ContractDocument>[] = [
      { label: t('chains.doc.name'), title: true, cell: (d) => h('a', { href: `${base}/${d.id}`, 'data-testid': 'document-link', download: d.name }, d.name) },
      { label: t('chains.doc.type'), cell: (d) => TYPE_LABEL[d.media_type] ?? d.media_type },
      { label: t('chains.doc.size'), class: 'num', cell: (d) => size(d.size_bytes) },
      { label: t('chains.doc.added'), class: 'hide-sm', cell: (d) => `${fmtTimestamp(d.added_at)} · ${actorLabel(d.added_by)}` },
      {
        label: can('chains.write') ? t('common.actions') : '',
        cell: (d) =>
          can('chains.write')
            ? h('button', {
                type: 'button', class: 'btn btn-small', 'data-testid': 'delete-document',
                onclick: async () => {
                  if (!(await confirmDialog(t('chains.doc.delete_confirm', { name: d.name }), t('common.delete')))) return;
                  try {
                    await api.del(`${base}/${d.id}`);
                  } catch (err) {
                    section.append(errorBox(err));
                    return;
                  }
                  await load();
                },
              }, t('common.delete'))
            : '',
      },
    ];
    replace(
      section,
      h('h2', null, t('chains.doc.heading')),
      docs.length ? dataTable(cols, docs, { testId: 'document-table', row: (d) => ({ 'data-name': d.name }) }) : h('p', { class: 'muted small', 'data-testid': 'no-documents' }, t('chains.doc.none')),
      can('chains.write') ? uploadForm(base, rules, load) : '',
    );
  }
  await load();
  return section;
}

function uploadForm(base: string, rules: DocumentSettings, reload: () => Promise<void>): HTMLElement {
  const types = rules.document_media_types;
  const input = h('input', { type: 'file', name: 'file', accept: types.join(','), 'data-testid': 'document-input' }) as HTMLInputElement;
  const slot = h('div', { class: 'form-alert' });
  const hint = t('chains.doc.hint', { types: types.map((m) => TYPE_LABEL[m] ?? m).join(', '), mb: fmtNumber(rules.document_max_mb, 1) });
  const f = h(
    'form',
    { class: 'form-grid', novalidate: true, 'data-testid': 'document-form' },
    field(t('chains.doc.file'), input, { name: 'file.content_base64', required: true, hint }),
    slot,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'upload-document' }, t('chains.doc.upload'))),
  );
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearFieldErrors(f);
    replace(slot);
    const file = input.files?.[0];
    if (!file) {
      setLocalError(f, 'file.content_base64', t('chains.doc.pick'));
      return;
    }
    void blobToBase64(file)
      .then((content_base64) => request('POST', base, { body: { file: { name: file.name, media_type: file.type, content_base64 } } }))
      .then(() => reload())
      .catch((err) => showFormError(f, slot, err));
  });
  return h('details', { class: 'add-form', 'data-testid': 'add-document' }, h('summary', null, t('chains.doc.upload')), f);
}
