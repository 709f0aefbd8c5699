// Words and colours of the land suitability classes (FAO S1, S2, S3, N) and of the
// raster layers (the limiting factors), shared by the suitability page and the
// parcel page. Depends only on the DOM builder and the dictionaries.
import { h } from './dom';
import { t, type MessageKey } from '../i18n';

export const CLASSES = ['S1', 'S2', 'S3', 'N'] as const;
export const CLASS_COLORS: Record<string, string> = { S1: '#1a7f37', S2: '#8bc34a', S3: '#f5a623', N: '#d03b2f', nodata: '#ffffff' };

/** A raster layer's name in the user's language ("Độ cao"), the layer's code when the dictionary has none. */
export function layerLabel(layer: string): string {
  const key = `suit.layer.${layer}` as MessageKey;
  const text = t(key);
  return text === key ? layer : text;
}

export function classLabel(c: string): string {
  return CLASSES.includes(c as (typeof CLASSES)[number]) ? t(`suit.class_${c}` as MessageKey) : t('suit.class_nodata');
}

export function classChip(c: string): HTMLElement {
  return h('span', { class: 'suit-chip', 'data-class': c }, h('span', { class: 'swatch', style: { background: CLASS_COLORS[c] ?? '#fff' } }), `${c === 'nodata' ? '–' : c}`);
}
