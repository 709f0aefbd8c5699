// Geometry the field app computes on the device, with no network: the area of a
// boundary walked or drawn, distances between GPS fixes, and the flat projection
// the local map is drawn in. Depends on nothing but the browser.

export type LonLat = [number, number];

// WGS 84 (EPSG:4326), the datum of GPS and of the registry's GeoJSON.
const A = 6378137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const E = Math.sqrt(E2);

// q(φ) of the authalic latitude (Snyder, Map Projections — A Working Manual, eq. 3-12).
function q(sinPhi: number): number {
  return (1 - E2) * (sinPhi / (1 - E2 * sinPhi * sinPhi) - (1 / (2 * E)) * Math.log((1 - E * sinPhi) / (1 + E * sinPhi)));
}
const QP = q(1);
/** The radius of the sphere with the ellipsoid's area (≈ 6 371 007.2 m). */
export const AUTHALIC_RADIUS = A * Math.sqrt(QP / 2);

/** The authalic latitude β of φ (radians): the latitude on the sphere of equal area. */
function authalic(phi: number): number {
  const v = q(Math.sin(phi)) / QP;
  return Math.asin(Math.max(-1, Math.min(1, v)));
}

const RAD = Math.PI / 180;

/**
 * The area in m² of a ring of lon/lat points on the WGS 84 ellipsoid: each latitude is
 * moved to the authalic sphere, which keeps areas, and the ring's area on that sphere
 * is the sum over its edges of Δλ·(2 + sin β₁ + sin β₂)·R²/2 (Chamberlain & Duquette,
 * "Some algorithms for polygons on a sphere", JPL 2007). The ring may be open or closed;
 * the answer does not depend on its direction.
 */
export function ringArea(ring: LonLat[]): number {
  const pts = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? ring.slice(0, -1) : ring;
  if (pts.length < 3) return 0;
  let sum = 0;
  for (let i = 0; i < pts.length; i++) {
    const [lon1, lat1] = pts[i];
    const [lon2, lat2] = pts[(i + 1) % pts.length];
    let dLon = (lon2 - lon1) * RAD;
    if (dLon > Math.PI) dLon -= 2 * Math.PI;
    if (dLon < -Math.PI) dLon += 2 * Math.PI;
    sum += dLon * (2 + Math.sin(authalic(lat1 * RAD)) + Math.sin(authalic(lat2 * RAD)));
  }
  return Math.abs((sum * AUTHALIC_RADIUS * AUTHALIC_RADIUS) / 2);
}

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: LonLat[][];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: LonLat[][][];
}
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

/** The area in m² of a Polygon or MultiPolygon (holes taken out); 0 for anything else. */
export function geometryArea(g: { type: string; coordinates?: unknown } | null | undefined): number {
  if (!g) return 0;
  const polygon = (rings: LonLat[][]) => rings.reduce((s, r, i) => s + (i === 0 ? ringArea(r) : -ringArea(r)), 0);
  if (g.type === 'Polygon') return polygon(g.coordinates as LonLat[][]);
  if (g.type === 'MultiPolygon') return (g.coordinates as LonLat[][][]).reduce((s, p) => s + polygon(p), 0);
  return 0;
}

/** The closed GeoJSON polygon of a ring of points (at least three). */
export function polygonOf(points: LonLat[]): PolygonGeometry {
  const ring = points.map((p) => [p[0], p[1]] as LonLat);
  ring.push([points[0][0], points[0][1]]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** Great-circle distance in metres (haversine on the authalic sphere; enough for GPS steps). */
export function distance(a: LonLat, b: LonLat): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLon = (b[0] - a[0]) * RAD;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * AUTHALIC_RADIUS * Math.asin(Math.min(1, Math.sqrt(s)));
}

/**
 * A flat projection in metres around a centre (equirectangular), for drawing a few
 * kilometres of map; y grows southwards like the screen's.
 */
export class LocalProjection {
  private readonly kx: number;
  private readonly ky: number;
  constructor(readonly lon0: number, readonly lat0: number) {
    this.ky = (Math.PI / 180) * AUTHALIC_RADIUS;
    this.kx = this.ky * Math.cos(lat0 * RAD);
  }
  toXY([lon, lat]: LonLat): [number, number] {
    return [(lon - this.lon0) * this.kx, -(lat - this.lat0) * this.ky];
  }
  toLonLat([x, y]: [number, number]): LonLat {
    return [this.lon0 + x / this.kx, this.lat0 - y / this.ky];
  }
}

/** Every lon/lat point of a GeoJSON geometry. */
export function pointsOf(g: { type: string; coordinates?: unknown } | null | undefined): LonLat[] {
  if (!g || !g.coordinates) return [];
  const out: LonLat[] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') out.push([c[0] as number, c[1] as number]);
    else if (Array.isArray(c)) for (const x of c) walk(x);
  };
  walk(g.coordinates);
  return out;
}
