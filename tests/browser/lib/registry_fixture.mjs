// Registry records for the browser tests, created through the API (never the
// database). When `nongsan demo` already holds parcels this adds nothing and the
// tests use the demo's records; on a database without registry data it creates a
// small, clearly illustrative set: two zones (tea in Xã Bình Lư, macadamia in
// Phường Đoàn Kết), households, a cooperative and an enterprise, parcels on a
// grid with owners, leases and contributed rights, plantings and conversions of
// inefficient rice land.

/** An API client that signs in with a bearer token (no cookies, no CSRF). */
export async function apiClient(base, who) {
  const r = await fetch(`${base}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: who.username, password: who.password, label: 'browser tests' }),
  });
  if (!r.ok) throw new Error(`token for ${who.username}: ${r.status} ${await r.text()}`);
  const { access_token: token } = await r.json();
  async function call(method, path, body) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const err = new Error(`${method} ${path}: ${res.status} ${text.slice(0, 400)}`);
      err.status = res.status;
      err.body = data;
      throw err;
    }
    return data;
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
    /** A POST without a body (routes such as submit and approve refuse one). */
    action: (path) => call('POST', path),
    patch: (path, body) => call('PATCH', path, body),
    put: (path, body) => call('PUT', path, body),
  };
}

function pointInRing(x, y, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function polygons(geometry) {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** A point well inside the unit's boundary: the first grid point whose surroundings are all inside. */
function interiorPoint(geometry, margin) {
  const outer = polygons(geometry).map((p) => p[0]);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const ring of outer) for (const [x, y] of ring) {
    minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  const inside = (x, y) => outer.some((ring) => pointInRing(x, y, ring));
  const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
  let best = null;
  for (let r = 0; r < 20 && !best; r++) {
    for (let k = 0; k < 16 && !best; k++) {
      const a = (k / 16) * 2 * Math.PI;
      const x = cx + Math.cos(a) * r * (maxX - minX) / 40;
      const y = cy + Math.sin(a) * r * (maxY - minY) / 40;
      if ([[0, 0], [margin, margin], [-margin, margin], [margin, -margin], [-margin, -margin]].every(([dx, dy]) => inside(x + dx, y + dy))) best = [x, y];
    }
  }
  return best ?? [cx, cy];
}

const FAMILY = ['Lò', 'Tẩn', 'Giàng', 'Vàng', 'Lý', 'Chảo', 'Lường', 'Hoàng', 'Nguyễn', 'Đèo'];
const GIVEN = ['Văn Páo', 'Thị Mai', 'A Sử', 'Seo Lìn', 'Văn Khánh', 'Thị Nhung', 'Láo Tả', 'Văn Hùng', 'Thị Lan', 'Văn Chiến', 'Thị Hoa', 'A Dơ'];

/** A grid of touching parcels: cols × rows cells of w × h metres from (x0, y0), south-west corner. */
function grid(x0, y0, cols, rows, wm, hm) {
  const dx = wm / (111320 * Math.cos((y0 * Math.PI) / 180));
  const dy = hm / 110574;
  const cells = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    const x = +(x0 + c * dx).toFixed(7), y = +(y0 + r * dy).toFixed(7);
    const x1 = +(x0 + (c + 1) * dx).toFixed(7), y1 = +(y0 + (r + 1) * dy).toFixed(7);
    cells.push({ r, c, geometry: { type: 'Polygon', coordinates: [[[x, y], [x1, y], [x1, y1], [x, y1], [x, y]]] } });
  }
  return { cells, bbox: [x0, y0, x0 + cols * dx, y0 + rows * dy], dx, dy };
}

function box([x0, y0, x1, y1], pad) {
  return { type: 'Polygon', coordinates: [[[x0 - pad, y0 - pad], [x1 + pad, y0 - pad], [x1 + pad, y1 + pad], [x0 - pad, y1 + pad], [x0 - pad, y0 - pad]]] };
}

async function unitByName(api, name) {
  const page = await api.get(`/api/v1/units?q=${encodeURIComponent(name)}&level=commune`);
  const u = page.items.find((x) => x.name.includes(name));
  if (!u) throw new Error(`no commune named ${name}`);
  return u;
}

/** Creates the small data set when the registry is empty; returns what the tests need to know. */
export async function ensureRegistryData(base, admin) {
  const api = await apiClient(base, admin);
  const existing = await api.get('/api/v1/parcels?page_size=1');
  const binhlu = await unitByName(api, 'Bình Lư');
  const doanket = await unitByName(api, 'Đoàn Kết');
  if (existing.total > 0) return { api, seeded: false, binhlu, doanket };

  const map = await api.get('/api/v1/map/units?level=commune');
  const geomOf = (id) => map.features.find((f) => f.properties.id === id)?.geometry;
  const made = { api, seeded: true, binhlu, doanket, parcels: [] };

  // ---- Bình Lư: a tea zone of 10 × 8 parcels, a cooperative and households; some rice land converted.
  const [bx, by] = interiorPoint(geomOf(binhlu.id), 0.01);
  const teaGrid = grid(bx, by, 10, 8, 60, 45);
  const coop = await api.post('/api/v1/producers', {
    external_id: 'TEST-HTX-BL', kind: 'cooperative', name: 'HTX chè Bình Lư (thử nghiệm)', unit_id: binhlu.id,
    members_count: 24, tax_code: '6200000001', address: 'Bản Nà Đon, xã Bình Lư',
  });
  const households = [];
  for (let i = 0; i < 16; i++) {
    households.push(await api.post('/api/v1/producers', {
      external_id: `TEST-HO-BL-${i + 1}`, kind: 'household', name: `${FAMILY[i % FAMILY.length]} ${GIVEN[(i * 5) % GIVEN.length]}`,
      unit_id: binhlu.id, ethnicity: i % 3 === 0 ? 'Dao' : i % 3 === 1 ? 'Mông' : 'Thái', members_count: 3 + (i % 5),
      citizen_id: `0120990000${String(10 + i)}`, phone: `09000001${String(10 + i)}`, address: 'xã Bình Lư',
      organisation_id: i < 10 ? coop.id : null,
    }));
  }
  made.zoneTea = await api.post('/api/v1/zones', {
    code: 'TEST-CHE-BL', name: 'Vùng chè Bình Lư (thử nghiệm)', commodity: 'tea', unit_id: binhlu.id, planned_area_ha: 25,
    decision: 'QĐ minh họa', period_from: '2021-01-01', period_to: '2025-12-31', status: 'active', geometry: box(teaGrid.bbox, 0.0004),
  });
  for (const cell of teaGrid.cells) {
    const i = cell.r * 10 + cell.c;
    const rice = cell.r < 2 && cell.c >= 6;  // a corner of rice land, part of it converted
    const p = await api.post('/api/v1/parcels', {
      external_id: `TEST-BL-${String(i + 1).padStart(3, '0')}`, sheet_no: String(20 + cell.r), parcel_no: String(100 + i),
      commune_id: binhlu.id, land_use_code: rice ? 'LUK' : 'CLN', state: rice && cell.c >= 8 ? 'inefficient_rice' : 'in_use',
      official_area_m2: 2700, valid_from: '2010-01-01', geometry: cell.geometry,
    });
    made.parcels.push(p);
    const holder = households[i % households.length];
    await api.post(`/api/v1/parcels/${p.id}/rights`, { producer_id: holder.id, kind: 'owner', valid_from: '2020-01-01', document: `GCN BL-${i + 1}` });
    if (i % 7 === 3) await api.post(`/api/v1/parcels/${p.id}/rights`, { producer_id: coop.id, kind: 'lessee', valid_from: '2023-03-01', valid_to: '2033-02-28', document: `HĐ thuê ${i + 1}/2023` });
    const area = p.area_m2 * 0.95;
    if (rice && cell.c === 6) {
      await api.post(`/api/v1/parcels/${p.id}/plantings`, { crop: 'rice', season: '2022-mua', start_date: '2022-06-01', end_date: '2022-10-31', planted_area_m2: area });
      await api.post(`/api/v1/parcels/${p.id}/conversions`, { from_use: 'inefficient_rice', to_crop: 'tea', date: '2023-02-15', area_m2: area, note: 'Chuyển đất lúa một vụ kém hiệu quả sang chè' });
      await api.post(`/api/v1/parcels/${p.id}/plantings`, { crop: 'tea', variety: 'LDP1', perennial: true, planted_year: 2023, start_date: '2023-02-15', planted_area_m2: area });
    } else if (rice && cell.c === 7) {
      await api.post(`/api/v1/parcels/${p.id}/conversions`, { from_use: 'inefficient_rice', to_crop: 'pineapple', date: '2024-03-01', area_m2: area, note: '' });
      await api.post(`/api/v1/parcels/${p.id}/plantings`, { crop: 'pineapple', season: '2024', start_date: '2024-03-01', planted_area_m2: area });
    } else if (rice) {
      await api.post(`/api/v1/parcels/${p.id}/plantings`, { crop: 'rice', season: '2025-mua', start_date: '2025-06-01', end_date: '2025-10-31', planted_area_m2: area });
    } else if (i % 9 !== 5) {
      await api.post(`/api/v1/parcels/${p.id}/plantings`, { crop: 'tea', variety: i % 2 ? 'Shan tuyết' : 'LDP1', perennial: true, planted_year: 2015 + (i % 8), start_date: `${2015 + (i % 8)}-03-01`, planted_area_m2: area });
    }
  }

  // ---- Đoàn Kết: a macadamia zone where households contributed their land to an enterprise.
  const [dx, dy] = interiorPoint(geomOf(doanket.id), 0.01);
  const macGrid = grid(dx, dy, 8, 6, 80, 60);
  const firm = await api.post('/api/v1/producers', {
    external_id: 'TEST-DN-DK', kind: 'enterprise', name: 'Công ty CP Mắc ca Lai Châu (thử nghiệm)', unit_id: doanket.id, tax_code: '6200000002',
  });
  const dkHouseholds = [];
  for (let i = 0; i < 8; i++) {
    dkHouseholds.push(await api.post('/api/v1/producers', {
      external_id: `TEST-HO-DK-${i + 1}`, kind: 'household', name: `${FAMILY[(i + 3) % FAMILY.length]} ${GIVEN[(i * 7 + 2) % GIVEN.length]}`,
      unit_id: doanket.id, ethnicity: 'Thái', citizen_id: `0120990001${String(10 + i)}`, phone: `09000002${String(10 + i)}`,
    }));
  }
  made.zoneMac = await api.post('/api/v1/zones', {
    code: 'TEST-MACCA-DK', name: 'Vùng mắc ca Đoàn Kết (thử nghiệm)', commodity: 'macadamia', unit_id: doanket.id, planned_area_ha: 30,
    period_from: '2021-01-01', period_to: '2030-12-31', status: 'active', geometry: box(macGrid.bbox, 0.0004),
  });
  for (const cell of macGrid.cells) {
    const i = cell.r * 8 + cell.c;
    const p = await api.post('/api/v1/parcels', {
      external_id: `TEST-DK-${String(i + 1).padStart(3, '0')}`, sheet_no: String(5 + cell.r), parcel_no: String(300 + i),
      commune_id: doanket.id, land_use_code: 'CLN', valid_from: '2020-01-01', geometry: cell.geometry,
    });
    made.parcels.push(p);
    const owner = dkHouseholds[i % dkHouseholds.length];
    await api.post(`/api/v1/parcels/${p.id}/rights`, { producer_id: owner.id, kind: 'owner', valid_from: '2020-01-01' });
    if (i % 3 !== 2) await api.post(`/api/v1/parcels/${p.id}/rights`, { producer_id: firm.id, kind: 'contributed', valid_from: '2022-01-01', document: 'HĐ góp quyền sử dụng đất' });
    if (i % 5 !== 4) await api.post(`/api/v1/parcels/${p.id}/plantings`, { crop: 'macadamia', variety: 'OC', perennial: true, planted_year: 2022, start_date: '2022-04-01', planted_area_m2: p.area_m2 * 0.9 });
  }
  return made;
}
