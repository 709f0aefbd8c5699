// Line icons drawn as inline SVG, so no icon font or emoji font is needed.
const PATHS = {
  map: 'M3 6l6-3 6 3 6-3v15l-6 3-6-3-6 3z M9 3v15 M15 6v15',
  units: 'M3 21h18 M5 21V10 M19 21V10 M9 21v-7 M15 21v-7 M2 10l10-6 10 6z',
  figures: 'M5 20V11 M11 20V5 M17 20v-7 M22 20H2',
  registry: 'M4 4h11a4 4 0 0 1 4 4v12H8a4 4 0 0 1-4-4z M4 16a4 4 0 0 1 4-4h11',
  targets: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8z M12 11.5v1',
  suitability: 'M12 21v-9 M12 12c0-4-3-7-8-7 0 4 3 7 8 7z M12 14c0-4 3-7 8-7 0 4-3 7-8 7z',
  support: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M15 9h-4.5a1.5 1.5 0 0 0 0 3h3a1.5 1.5 0 0 1 0 3H9 M12 7v2 M12 15v2',
  chains: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1 M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
  trace: 'M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14z M21 21l-5-5',
  ocop: 'M12 3l2.8 5.7 6.2.9-4.5 4.4 1 6.2L12 17.3 6.5 20.2l1-6.2L3 9.6l6.2-.9z',
  inspections: 'M9 3h6v3H9z M7 4.5H5V21h14V4.5h-2 M9 13l2 2 4-4',
  users: 'M12 4a4 4 0 1 0 0 8a4 4 0 1 0 0-8z M4 21c0-4 4-6 8-6s8 2 8 6',
  audit: 'M6 3h9l4 4v14H6z M9 10h7 M9 14h7 M9 18h4',
  calendar: 'M4 6h16v15H4z M4 10h16 M8 3v5 M16 3v5',
  leaf: 'M5 19C5 10 11 5 20 4c-1 9-6 15-15 15z M5 19l8-8',
  eye: 'M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6z',
  warn: 'M12 3l10 18H2z M12 10v5 M12 18v.5',
  parcel: 'M3 3h8v8H3z M13 3h8v8h-8z M3 13h8v8H3z M13 13h8v8h-8z',
  producer: 'M12 8a3.5 3.5 0 1 0 0 7a3.5 3.5 0 1 0 0-7z M4 8h16 M8 8l1.5-4h5L16 8 M5 21c0-3.5 3-5.5 7-5.5s7 2 7 5.5',
  zone: 'M4 7l6-4 10 4-2 12-12 2z M9 9h6v6H9z',
  conversion: 'M4 8h14l-3-3 M20 16H6l3 3',
  topology: 'M3 3h11v11H3z M10 10h11v11H10z',
} as const;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName, size = 18): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '1.8');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', `icon icon-${name}`);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', PATHS[name]);
  svg.appendChild(path);
  return svg;
}
