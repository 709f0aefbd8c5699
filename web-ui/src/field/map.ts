// The field app's map: drawn as SVG from the data kept on the device (communes, zones,
// parcels), with no tiles and no network. Shows the assigned parcels highlighted, the
// boundary measured, the boundary being drawn or walked, and the GPS position with its
// accuracy circle. A tap that does not move is a tap on the map (a vertex when drawing,
// else the parcel under it); a drag pans; buttons and the wheel zoom.
import { LocalProjection, pointsOf, type LonLat } from './geo';
import type { FeatureCollection, MapData } from './remote';

const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

export interface Position {
  lon: number;
  lat: number;
  accuracy: number;
}

export interface MapOptions {
  /** External ids of the parcels to highlight (the inspection's subjects). */
  highlight: Set<string>;
  /** A tap on the map (not a drag), with the parcel under it if any. */
  onTap?: (p: LonLat, parcel: string | null) => void;
  labels: { zoomIn: string; zoomOut: string; fit: string; locate: string; map: string };
}

export class FieldMap {
  readonly element: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly base: SVGGElement;
  private readonly overlay: SVGGElement;
  private readonly proj: LocalProjection;
  private cx = 0;
  private cy = 0;
  private scale = 1; // metres per CSS pixel
  private measured: LonLat[] | null = null;
  private draft: LonLat[] | null = null;
  private position: Position | null = null;
  private parcelOf = new Map<SVGElement, string>();

  constructor(private readonly data: MapData, private readonly opts: MapOptions) {
    const all = [...(data.parcels?.features ?? []), ...(data.zones?.features ?? [])].flatMap((f) => pointsOf(f.geometry));
    const lon0 = all.length ? all.reduce((s, p) => s + p[0], 0) / all.length : 103.4;
    const lat0 = all.length ? all.reduce((s, p) => s + p[1], 0) / all.length : 22.4;
    this.proj = new LocalProjection(lon0, lat0);
    this.svg = el('svg', { class: 'fa-map-svg', role: 'img', 'aria-label': opts.labels.map });
    this.base = el('g', {});
    this.overlay = el('g', {});
    this.svg.append(this.base, this.overlay);
    const button = (text: string, label: string, f: () => void) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'fa-map-btn';
      b.textContent = text;
      b.setAttribute('aria-label', label);
      b.title = label;
      b.addEventListener('click', f);
      return b;
    };
    const tools = document.createElement('div');
    tools.className = 'fa-map-tools';
    tools.append(
      button('+', opts.labels.zoomIn, () => this.zoom(0.5)),
      button('−', opts.labels.zoomOut, () => this.zoom(2)),
      button('⤢', opts.labels.fit, () => this.fitHighlight()),
      button('◎', opts.labels.locate, () => this.centreOnPosition()),
    );
    this.element = document.createElement('div');
    this.element.className = 'fa-map';
    this.element.append(this.svg, tools);
    this.drawBase();
    this.listen();
    new ResizeObserver(() => this.applyView()).observe(this.element);
  }

  private path(coords: unknown, type: string): string {
    const ring = (r: LonLat[]) => r.map((p, i) => `${i ? 'L' : 'M'}${this.proj.toXY(p).map((v) => v.toFixed(2)).join(' ')}`).join('') + 'Z';
    if (type === 'Polygon') return (coords as LonLat[][]).map(ring).join('');
    if (type === 'MultiPolygon') return (coords as LonLat[][][]).map((p) => p.map(ring).join('')).join('');
    return '';
  }

  private layer(fc: FeatureCollection | undefined, cls: (props: Record<string, unknown>) => string, withParcel = false): void {
    for (const f of fc?.features ?? []) {
      if (!f.geometry) continue;
      const d = this.path(f.geometry.coordinates, f.geometry.type);
      if (!d) continue;
      const props = f.properties ?? {};
      const p = el('path', { d, class: cls(props), 'vector-effect': 'non-scaling-stroke' });
      if (withParcel && typeof props.external_id === 'string') {
        p.setAttribute('data-parcel', props.external_id);
        this.parcelOf.set(p, props.external_id);
      }
      this.base.append(p);
    }
  }

  private drawBase(): void {
    this.layer(this.data.communes, () => 'fa-commune');
    this.layer(this.data.zones, () => 'fa-zone');
    this.layer(this.data.parcels, (p) => (this.opts.highlight.has(String(p.external_id)) ? 'fa-parcel fa-assigned' : 'fa-parcel'), true);
    // The assigned parcels on top, so their outline is never hidden by a neighbour's.
    for (const p of Array.from(this.base.querySelectorAll('.fa-assigned'))) this.base.append(p);
    this.fitHighlight();
  }

  setMeasured(points: LonLat[] | null): void {
    this.measured = points;
    this.drawOverlay();
  }
  setDraft(points: LonLat[] | null): void {
    this.draft = points;
    this.drawOverlay();
  }
  setPosition(p: Position | null): void {
    this.position = p;
    this.drawOverlay();
  }

  private drawOverlay(): void {
    while (this.overlay.firstChild) this.overlay.removeChild(this.overlay.firstChild);
    const r = (px: number) => px * this.scale;
    const poly = (pts: LonLat[], cls: string, closed: boolean) =>
      el(closed ? 'polygon' : 'polyline', {
        points: pts.map((p) => this.proj.toXY(p).join(',')).join(' '),
        class: cls,
        'vector-effect': 'non-scaling-stroke',
      });
    if (this.measured && this.measured.length >= 3) this.overlay.append(poly(this.measured, 'fa-measured', true));
    if (this.draft && this.draft.length) {
      this.overlay.append(poly(this.draft, 'fa-draft', this.draft.length >= 3));
      for (const p of this.draft) {
        const [x, y] = this.proj.toXY(p);
        this.overlay.append(el('circle', { cx: x, cy: y, r: r(7), class: 'fa-vertex' }));
      }
    }
    if (this.position) {
      const [x, y] = this.proj.toXY([this.position.lon, this.position.lat]);
      this.overlay.append(el('circle', { cx: x, cy: y, r: Math.max(this.position.accuracy, r(8)), class: 'fa-accuracy' }));
      this.overlay.append(el('circle', { cx: x, cy: y, r: r(8), class: 'fa-position' }));
    }
  }

  private size(): [number, number] {
    const b = this.element.getBoundingClientRect();
    return [b.width || 360, b.height || 360];
  }

  private applyView(): void {
    const [w, h] = this.size();
    this.svg.setAttribute('viewBox', `${this.cx - (w * this.scale) / 2} ${this.cy - (h * this.scale) / 2} ${w * this.scale} ${h * this.scale}`);
    this.drawOverlay();
  }

  zoom(factor: number): void {
    this.scale = Math.min(200, Math.max(0.02, this.scale * factor));
    this.applyView();
  }

  /** Shows these points with a margin. */
  fit(points: LonLat[]): void {
    if (!points.length) return;
    const xy = points.map((p) => this.proj.toXY(p));
    const xs = xy.map((p) => p[0]);
    const ys = xy.map((p) => p[1]);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    this.cx = (minX + maxX) / 2;
    this.cy = (minY + maxY) / 2;
    const [w, h] = this.size();
    this.scale = Math.max(0.05, Math.max((maxX - minX) / (w * 0.8), (maxY - minY) / (h * 0.8)));
    this.applyView();
  }

  fitHighlight(): void {
    const feats = (this.data.parcels?.features ?? []).filter((f) => this.opts.highlight.has(String(f.properties?.external_id)));
    const pts = (feats.length ? feats : this.data.parcels?.features ?? []).flatMap((f) => pointsOf(f.geometry));
    if (pts.length) this.fit(pts);
    else this.applyView();
  }

  centreOnPosition(): void {
    if (!this.position) return;
    [this.cx, this.cy] = this.proj.toXY([this.position.lon, this.position.lat]);
    this.applyView();
  }

  private toLonLat(ev: PointerEvent | MouseEvent): LonLat {
    const b = this.svg.getBoundingClientRect();
    const [w, h] = [b.width || 1, b.height || 1];
    const x = this.cx + (ev.clientX - b.left - w / 2) * this.scale;
    const y = this.cy + (ev.clientY - b.top - h / 2) * this.scale;
    return this.proj.toLonLat([x, y]);
  }

  private listen(): void {
    let start: { x: number; y: number; cx: number; cy: number; moved: boolean } | null = null;
    this.svg.addEventListener('pointerdown', (ev) => {
      start = { x: ev.clientX, y: ev.clientY, cx: this.cx, cy: this.cy, moved: false };
      this.svg.setPointerCapture?.(ev.pointerId);
    });
    this.svg.addEventListener('pointermove', (ev) => {
      if (!start) return;
      const dx = ev.clientX - start.x;
      const dy = ev.clientY - start.y;
      if (!start.moved && Math.hypot(dx, dy) < 8) return;
      start.moved = true;
      this.cx = start.cx - dx * this.scale;
      this.cy = start.cy - dy * this.scale;
      this.applyView();
    });
    this.svg.addEventListener('pointerup', (ev) => {
      const s = start;
      start = null;
      if (!s || s.moved) return;
      // The parcel under the tap: the topmost path that contains the point.
      const hit = document.elementsFromPoint(ev.clientX, ev.clientY).find((e) => e instanceof SVGPathElement && this.parcelOf.has(e));
      this.opts.onTap?.(this.toLonLat(ev), hit ? (this.parcelOf.get(hit as SVGPathElement) ?? null) : null);
    });
    this.svg.addEventListener('pointercancel', () => (start = null));
    this.svg.addEventListener(
      'wheel',
      (ev) => {
        ev.preventDefault();
        this.zoom(ev.deltaY > 0 ? 1.25 : 0.8);
      },
      { passive: false },
    );
  }
}
