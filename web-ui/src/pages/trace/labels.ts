// Nhãn truy xuất — label sheets (docs/trace.md). An officer picks the product's GTIN and
// the harvested lots (from the diary, within scope) and prints an A4 sheet of QR labels;
// each QR code comes from GET /api/v1/trace/qr.svg. A held lot gets no label: the server
// refuses it (409) and the page lists it apart, worded here from the status code.
import { api, ApiError } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { type Route } from '../../lib/router';
import { errorBox, loading } from '../../lib/ui';
import { t } from '../../i18n';
import './labels.css';

interface Gtin {
  gtin: string;
  crop: string;
  name_vi: string;
  name_en: string;
  illustrative: boolean;
}
interface Label {
  gtin: string;
  lot: string;
  uri: string;
  product_vi: string;
  product_en: string;
  illustrative: boolean;
}
interface Harvest {
  lot: string;
  date: string;
  parcel: string;
  kind: string;
}

function qrUrl(gtin: string, lot: string): string {
  return `/api/v1/trace/qr.svg?gtin=${encodeURIComponent(gtin)}&lot=${encodeURIComponent(lot)}`;
}

export async function renderLabels(root: HTMLElement, _route: Route): Promise<void> {
  document.title = `${t('trace.labels_title')} · nongsan`;
  replace(root, h('h1', null, t('trace.labels_title')), loading());
  let gtins: Gtin[] = [];
  let harvests: Harvest[] = [];
  try {
    gtins = (await api.get<{ items: Gtin[] }>('/api/v1/trace/gtins')).items;
    harvests = (await api.get<{ items: Harvest[] }>('/api/v1/diary/entries')).items.filter((e) => e.kind === 'harvest' && e.lot);
  } catch (err) {
    replace(root, h('h1', null, t('trace.labels_title')), errorBox(err));
    return;
  }
  const lots = new Map<string, Harvest>();
  for (const e of harvests) if (!lots.has(e.lot)) lots.set(e.lot, e);

  const gtinSel = h('select', { name: 'gtin', 'data-testid': 'gtin' });
  for (const g of gtins)
    gtinSel.append(h('option', { value: g.gtin }, `${g.name_vi} — ${g.gtin}${g.illustrative ? ` (${t('trace.illustrative')})` : ''}`));
  const boxes: HTMLInputElement[] = [];
  const list = h('ul', { class: 'trace-lots', 'data-testid': 'lots' });
  for (const [lot, e] of lots) {
    const box = h('input', { type: 'checkbox', value: lot, checked: true }) as HTMLInputElement;
    boxes.push(box);
    list.append(h('li', null, h('label', null, box, ` ${lot} · ${e.date} · ${e.parcel}`)));
  }
  const sheet = h('div', { class: 'trace-sheet', 'data-testid': 'sheet' });
  const refused = h('div', { class: 'trace-refused', 'data-testid': 'refused' });
  const make = h('button', { type: 'button', class: 'primary' }, t('trace.make_sheet'));
  const print = h('button', { type: 'button' }, t('trace.print'));
  print.addEventListener('click', () => window.print());

  make.addEventListener('click', async () => {
    const gtin = gtinSel.value;
    replace(sheet, loading());
    replace(refused);
    const labels: Label[] = [];
    const held: string[] = [];
    const otherCrop: string[] = []; // the GTIN names another crop's product (docs/rules.md §15)
    for (const b of boxes.filter((x) => x.checked)) {
      try {
        labels.push(await api.get<Label>('/api/v1/trace/label', { gtin, lot: b.value }));
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) held.push(b.value);
        else if (err instanceof ApiError && err.status === 400) otherCrop.push(b.value);
        else {
          replace(sheet, errorBox(err));
          return;
        }
      }
    }
    replace(
      sheet,
      ...labels.map((l) =>
        h(
          'figure',
          { class: 'trace-label' },
          h('img', { src: qrUrl(l.gtin, l.lot), alt: l.uri, width: '120', height: '120' }),
          h(
            'figcaption',
            null,
            h('strong', null, l.product_vi),
            h('span', null, `${t('trace.lot')}: ${l.lot}`),
            h('span', null, `GTIN ${l.gtin}`),
            l.illustrative ? h('span', { class: 'trace-ill' }, t('trace.illustrative')) : null,
          ),
        ),
      ),
    );
    replace(
      refused,
      held.length ? h('p', { class: 'notice warn', 'data-testid': 'refused-held' }, `${t('trace.held')}: ${held.join(', ')}`) : null,
      otherCrop.length
        ? h('p', { class: 'notice', 'data-testid': 'refused-other' }, `${t('trace.other_crop')}: ${otherCrop.join(', ')}`)
        : null,
    );
  });

  replace(
    root,
    h('h1', { class: 'no-print' }, t('trace.labels_title')),
    h('p', { class: 'intro no-print' }, t('trace.labels_intro')),
    gtins.length === 0
      ? h('p', { class: 'notice no-print' }, t('trace.no_gtin'))
      : h(
          'div',
          { class: 'trace-form no-print' },
          h('label', null, t('trace.product'), ' ', gtinSel),
          h('p', null, t('trace.pick_lots')),
          lots.size ? list : h('p', null, t('trace.no_lots')),
          h('div', { class: 'trace-actions' }, make, ' ', print),
        ),
    h('div', { class: 'no-print' }, refused),
    sheet,
  );
}
