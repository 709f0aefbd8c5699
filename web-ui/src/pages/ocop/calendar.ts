// Lịch hết hạn — the certificates expiring in the coming twelve months (or from a chosen
// month), month by month, each with the day its owner is notified (30 days before;
// docs/rules.md §8.7). The owners to notify today are listed first.
import { h, replace } from '../../lib/dom';
import { link, setQuery, type Route } from '../../lib/router';
import { dateInput, errorBox, loading, notice } from '../../lib/ui';
import { fmtDate, t, todayIso } from '../../i18n';
import { ocopApi, type CalendarItem } from './ocop_api';
import { ocopTabs, starsNode } from './common';

function plusDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export async function renderOcopCalendar(root: HTMLElement, route: Route): Promise<void> {
  document.title = `${t('ocop.tab.calendar')} · nongsan`;
  let from = route.query.get('from') || todayIso();
  const body = h('div', { 'aria-live': 'polite', 'data-testid': 'ocop-calendar' });
  const date = dateInput('from', from, (v) => {
    if (!v) return;
    from = v;
    setQuery({ from });
    void load();
  });
  replace(
    root,
    h('h1', null, t('ocop.title')),
    ocopTabs('calendar'),
    h('form', { class: 'filters', onsubmit: (ev: Event) => ev.preventDefault() }, h('label', null, t('ocop.calendar.from'), ' ', date.el)),
    body,
  );

  async function load(): Promise<void> {
    replace(body, loading());
    try {
      const r = await ocopApi.calendar(from, plusDays(from, 365));
      replace(body, render(r.items, r.notice_days));
    } catch (err) {
      replace(body, errorBox(err));
    }
  }

  function render(items: CalendarItem[], noticeDays: number): Node {
    if (!items.length) return h('p', { class: 'empty', 'data-testid': 'calendar-empty' }, t('ocop.calendar.none'));
    const due = items.filter((i) => i.notify_on <= from);
    const months = new Map<string, CalendarItem[]>();
    for (const i of items) {
      const m = i.expires.slice(0, 7);
      months.set(m, [...(months.get(m) ?? []), i]);
    }
    return h(
      'div',
      null,
      due.length
        ? notice(t('ocop.calendar.notify_now', { n: due.length, days: noticeDays }), 'warn')
        : notice(t('ocop.calendar.notice_rule', { days: noticeDays }), 'info'),
      h(
        'div',
        { class: 'ocop-months' },
        ...[...months.entries()].map(([m, list]) =>
          h(
            'section',
            { class: 'ocop-month', 'data-month': m },
            h('h3', null, t('ocop.calendar.month', { month: m.slice(5), year: m.slice(0, 4) })),
            h(
              'ul',
              null,
              ...list.map((i) =>
                h(
                  'li',
                  { 'data-product': i.product },
                  link(`/ocop/products/${encodeURIComponent(i.product)}`, null, i.name),
                  ' ',
                  starsNode(i.stars),
                  h('div', { class: 'small' }, t('ocop.calendar.expires', { date: fmtDate(i.expires) })),
                  h('div', { class: 'small muted' }, t('ocop.calendar.notify_on', { date: fmtDate(i.notify_on) })),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  await load();
}
