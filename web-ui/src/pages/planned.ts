// Areas of the design that this release does not have yet: say so plainly, with
// what the module will hold once it exists. No made-up data.
import { h, replace } from '../lib/dom';
import { t, type MessageKey } from '../i18n';
import type { NavItem } from '../shell';
import { icon } from '../lib/icons';

export function renderPlanned(root: HTMLElement, item: NavItem): void {
  const area = t(item.key);
  document.title = `${area} · nongsan`;
  const what = `planned.${item.path.slice(1)}` as MessageKey;
  replace(
    root,
    h('h1', null, area),
    h(
      'div',
      { class: 'planned', 'data-testid': 'planned' },
      h('div', { class: 'planned-icon', 'aria-hidden': 'true' }, icon(item.icon, 36)),
      h('p', { class: 'planned-notice' }, t('planned.notice')),
      h('p', null, t('planned.will_hold')),
      h('p', { class: 'muted' }, t(what)),
    ),
  );
}
