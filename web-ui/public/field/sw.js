// The field app's service worker: keeps the app shell (the page, its scripts and
// styles, the manifest and icons) on the device so that the app opens with no network.
// The page is asked from the network first (a new version is picked up when there is
// signal) and from the cache when there is none; the content-hashed files under
// /assets/ never change, so they come from the cache first. API requests are never
// cached: the app keeps its data in IndexedDB.
const CACHE = 'nongsan-field-v1';
const SHELL = '/field/';
const STATIC = ['/field/manifest.webmanifest', '/field/icon.svg', '/field/icon-192.png', '/field/icon-512.png'];
const NETWORK_WAIT_MS = 4000;

// Keeps the page (a response to /field/) and every file it names: scripts, module
// preloads, styles, the manifest and icons. Hashed files already kept are not asked again.
async function keepShell(res) {
  const cache = await caches.open(CACHE);
  const html = await res.clone().text();
  await cache.put(SHELL, res);
  const urls = new Set(STATIC);
  for (const m of html.matchAll(/(?:src|href)="(\/[^"]+)"/g)) urls.add(m[1]);
  await Promise.all(
    [...urls].map(async (u) => {
      if (u.startsWith('/assets/') && (await cache.match(u))) return;
      const r = await fetch(u, { credentials: 'same-origin' });
      if (r.ok) await cache.put(u, r);
    }),
  );
}

async function cacheShell() {
  const res = await fetch(SHELL, { cache: 'no-cache', credentials: 'same-origin' });
  if (!res.ok) throw new Error(`the field app answered ${res.status}`);
  await keepShell(res);
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('nongsan-field-') && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

async function page(request) {
  try {
    const res = await withTimeout(fetch(request), NETWORK_WAIT_MS);
    if (res.ok) {
      // A new page may name new files: keep them too, without holding up this answer.
      keepShell(res.clone()).catch(() => {});
      return res;
    }
    const cached = await caches.match(SHELL);
    return cached ?? res;
  } catch {
    const cached = await caches.match(SHELL);
    if (cached) return cached;
    return new Response('Không có mạng và ứng dụng chưa được lưu trên máy. / Offline, and the app is not stored yet.', {
      status: 503,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreSearch: false });
  if (cached) return cached;
  const res = await fetch(request);
  if (res.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(request, res.clone());
  }
  return res;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    if (url.pathname === '/field' || url.pathname.startsWith('/field/')) event.respondWith(page(request));
    return;
  }
  if (url.pathname.startsWith('/assets/') || STATIC.includes(url.pathname)) event.respondWith(cacheFirst(request));
});
