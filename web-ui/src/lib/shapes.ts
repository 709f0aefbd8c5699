// Small static maps drawn as SVG: a parcel with its older boundaries, a zone
// with the parcels inside. No WebGL, no tiles; longitude is scaled by the
// cosine of the latitude so shapes keep their proportions.
import type { Geometry } from './registry';

const NS = 'http://www.w3.org/2000/svg';

export interface ShapeLayer {
  geometry: Geometry | null;
  fill?: string;
  stroke?: string;
  strokeWidth?: number;
  dash?: string;
  opacity?: number;
  title?: string;
  className?: string;
  data?: Record<string, string>;
  onClick?: () => void;
}

function rings(g: Geometry): number[][][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

export function shapeBounds(layers: (Geometry | null | undefined)[]): [number, number, number, number] | null {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const g of layers) {
    if (!g) continue;
    for (const ring of rings(g))
      for (const [x, y] of ring) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
  }
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null;
}

/**
 * Draws the layers in order (first at the bottom) fitted into a width × height
 * box; `frame` fixes the extent (otherwise all layers are fitted).
 */
export function shapeMap(layers: ShapeLayer[], opts: { width?: number; height?: number; label: string; frame?: Geometry | null; scaleBar?: boolean }): SVGSVGElement {
  const width = opts.width ?? 320;
  const height = opts.height ?? 220;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'shape-map');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', opts.label);
  const b = shapeBounds(opts.frame ? [opts.frame] : layers.map((l) => l.geometry));
  if (!b) return svg;
  const lat0 = ((b[1] + b[3]) / 2) * (Math.PI / 180);
  const kx = Math.cos(lat0);
  const pad = 10;
  const w = Math.max((b[2] - b[0]) * kx, 1e-9);
  const hgt = Math.max(b[3] - b[1], 1e-9);
  const scale = Math.min((width - 2 * pad) / w, (height - 2 * pad) / hgt);
  const ox = (width - w * scale) / 2;
  const oy = (height - hgt * scale) / 2;
  const px = (x: number): number => ox + (x - b[0]) * kx * scale;
  const py = (y: number): number => oy + (b[3] - y) * scale;
  for (const l of layers) {
    if (!l.geometry) continue;
    let d = '';
    for (const ring of rings(l.geometry)) {
      ring.forEach(([x, y], i) => {
        d += `${i ? 'L' : 'M'}${px(x).toFixed(1)} ${py(y).toFixed(1)}`;
      });
      d += 'Z';
    }
    const path = document.createElementNS(NS, 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', l.fill ?? 'none');
    path.setAttribute('fill-rule', 'evenodd');
    path.setAttribute('stroke', l.stroke ?? '#333');
    path.setAttribute('stroke-width', String(l.strokeWidth ?? 1));
    path.setAttribute('vector-effect', 'non-scaling-stroke');
    if (l.dash) path.setAttribute('stroke-dasharray', l.dash);
    if (l.opacity !== undefined) path.setAttribute('fill-opacity', String(l.opacity));
    if (l.className) path.setAttribute('class', l.className);
    for (const [k, v] of Object.entries(l.data ?? {})) path.setAttribute(`data-${k}`, v);
    if (l.title) {
      const title = document.createElementNS(NS, 'title');
      title.textContent = l.title;
      path.appendChild(title);
    }
    if (l.onClick) {
      path.style.cursor = 'pointer';
      path.addEventListener('click', l.onClick);
    }
    svg.appendChild(path);
  }
  if (opts.scaleBar !== false) {
    // A scale bar of a round number of metres, at most a quarter of the width (1° of latitude ≈ 110,6 km).
    const M_PER_UNIT = 110600;
    const target = ((width / 4) * M_PER_UNIT) / scale;
    const nice = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000];
    const m = nice.reduce((best, v) => (v <= target ? v : best), 1);
    const len = (m / M_PER_UNIT) * scale;
    const g = document.createElementNS(NS, 'g');
    g.setAttribute('class', 'scale-bar');
    const line = document.createElementNS(NS, 'path');
    line.setAttribute('d', `M8 ${height - 8}h${len.toFixed(1)}M8 ${height - 12}v4M${(8 + len).toFixed(1)} ${height - 12}v4`);
    line.setAttribute('stroke', '#333');
    line.setAttribute('fill', 'none');
    const text = document.createElementNS(NS, 'text');
    text.setAttribute('x', '10');
    text.setAttribute('y', String(height - 12));
    text.setAttribute('font-size', '10');
    text.textContent = m >= 1000 ? `${m / 1000} km` : `${m} m`;
    g.append(line, text);
    svg.appendChild(g);
  }
  return svg;
}
