// Ruta's service worker. BUILD is filled in by the server from the build's
// files, so each deployment gets its own cache and the old one is dropped.
const BUILD = '__RUTA_BUILD__';
const CACHE = `ruta-${BUILD}`;
const SHELL = [
  '/', '/login', '/mi-cargue', '/cargue',
  '/pkg/ruta.js', '/pkg/ruta.wasm', '/pkg/ruta.css',
  '/manifest.webmanifest', '/favicon.svg', '/icons/icon-192.png', '/icons/icon-512.png',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('ruta-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Network first, the cache when there is no network: the file names are not
// content-hashed, so serving the cache while online could pair a new page
// with an old WASM. The API and WebSockets are never cached.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/ws/') || url.pathname === '/sw.js') return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: request.mode === 'navigate' })
        .then((hit) => hit || (request.mode === 'navigate' ? caches.match('/') : undefined))
        .then((hit) => hit || Response.error())),
  );
});
