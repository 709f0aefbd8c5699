// Hành trình của lô — a lot's page (docs/epcis.md "Diary events"): its hold status and
// harvests, then its journey as a timeline of the EPCIS events naming it (the harvest the
// diary recorded, packing into a pallet, shipping, receiving), from
// GET /api/v1/diary/lots/{lot}/journey. Steps are worded from their bizStep, never from
// the server's English; an event declared in error is shown struck through.
import { api } from '../../lib/api';
import { h, replace } from '../../lib/dom';
import { link, type Route } from '../../lib/router';
import { badge, errorBox, loading, notice } from '../../lib/ui';
import { fmtDate, fmtNumber, fmtTimestamp, t, type MessageKey } from '../../i18n';
import type { LotStatus } from './diary';
import './diary.css';

export interface JourneyStep {
  eventTime: string;
  type: string;
  action: string;
  bizStep: string;
  place: string;
  quantity: number | null;
  uom: string;
  eventID: string;
  hash: string;
  declaredInError: boolean;
}

const STEPS = ['commissioning', 'packing', 'shipping', 'departing', 'arriving', 'receiving', 'treating'];

/** "shipping", its CBV URIs, or nongsan's own step → the word of the page. */
export function stepLabel(bizStep: string): string {
  const word = bizStep.replace(/^https:\/\/ref\.gs1\.org\/cbv\/BizStep-/, '').replace(/^urn:epcglobal:cbv:bizstep:/, '').replace(/^urn:nongsan:bizstep:/, '');
  return STEPS.includes(word) ? t(`diary.step.${word}` as MessageKey) : t('diary.step.other');
}

/** A place as a reader knows it: the parcel's id, or the GLN of a Digital Link. */
export function placeLabel(place: string): string {
  const parcel = /^urn:nongsan:parcel:(.+)$/.exec(place);
  if (parcel) return t('diary.journey_parcel', { id: decodeURIComponent(parcel[1]) });
  const gln = /\/414\/(\d{13})/.exec(place);
  if (gln) return `GLN ${gln[1]}`;
  return place || '—';
}

export async function renderLotJourney(root: HTMLElement, route: Route): Promise<void> {
  const lot = route.params.lot ?? '';
  const title = h('h1', null, t('diary.journey_title', { lot }));
  replace(root, title, loading());
  try {
    const path = `/api/v1/diary/lots/${encodeURIComponent(lot)}`;
    const [status, journey] = await Promise.all([api.get<LotStatus>(path), api.get<{ items: JourneyStep[] }>(`${path}/journey`)]);
    const harvested = status.harvests
      .map((x) => t('diary.harvest_line', { parcel: x.parcel, date: fmtDate(x.date), kg: x.quantity_kg === null ? '—' : fmtNumber(x.quantity_kg) }))
      .join('; ');
    const timeline = journey.items.length
      ? h('ol', { class: 'journey', 'data-testid': 'journey' }, ...journey.items.map(stepItem))
      : notice(t('diary.journey_empty'));
    replace(
      root,
      h('p', null, link('/diary/findings', {}, t('diary.journey_back'))),
      h('h1', null, t('diary.journey_title', { lot }), ' ', status.held ? badge(t('diary.lot_held'), 'danger') : badge(t('diary.lot_cleared'), 'ok')),
      h('p', { class: 'muted' }, t('diary.journey_intro')),
      h('p', { class: 'small' }, harvested),
      timeline,
    );
  } catch (err) {
    replace(root, title, errorBox(err));
  }
}

function stepItem(s: JourneyStep): HTMLElement {
  const qty = s.quantity === null ? '' : ` · ${fmtNumber(s.quantity)} ${s.uom === 'KGM' ? 'kg' : s.uom}`;
  return h(
    'li',
    { class: s.declaredInError ? 'journey-step journey-error' : 'journey-step', 'data-step': s.bizStep, 'data-event': s.eventID || s.hash },
    h('div', { class: 'journey-time' }, fmtTimestamp(s.eventTime)),
    h('div', { class: 'journey-what' }, h('strong', null, stepLabel(s.bizStep)), qty),
    h('div', { class: 'muted small' }, t('diary.journey_place', { place: placeLabel(s.place) })),
    s.declaredInError ? h('div', null, badge(t('diary.journey_error'), 'warn')) : '',
  );
}
