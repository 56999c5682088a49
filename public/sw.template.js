// Dangan's service worker. scripts/sw.mjs fills in VERSION and PRECACHE at build time.
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const CACHE = `dangan-${VERSION}`;
// Responses of the optional sync endpoint are never cached.
const NEVER_CACHE = [/\/sync\//, /\/api\//];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key.startsWith('dangan-') && key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

// The page asks for this only when the clerk agrees to load a waiting new version.
self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || NEVER_CACHE.some((re) => re.test(url.pathname))) return;
  if (req.mode === 'navigate') {
    // Network first, so an online start sees a new version; the cached shell when offline.
    event.respondWith(fetch(req).catch(async () => (await caches.match(req)) ?? caches.match('./index.html', { ignoreSearch: true }) ?? caches.match('./')));
    return;
  }
  // Hashed assets never change under one name: cache first.
  event.respondWith(caches.match(req).then((hit) => hit ?? fetch(req)));
});
