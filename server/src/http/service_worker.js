// Ruta's service worker. BUILD is filled in by the server from the build's
// files, so each deployment gets its own cache and the old one is dropped.
const BUILD = '__RUTA_BUILD__';
const CACHE = `ruta-${BUILD}`;
const SHELL = [
  '/', '/login', '/mi-cargue',
  '/pkg/ruta.js', '/pkg/ruta.wasm', '/pkg/ruta.css',
  '/ventas', '/ventas/nueva', '/ventas/conflicto', '/pwa.js',
  // The seller's end of day hydrates with the office bundle (too big for the
  // phone's own, docs/wasm-size.md): kept too, so it opens offline.
  '/mi-dia', '/recibo', '/office/ruta-office.js', '/office/ruta-office.wasm',
  '/manifest.webmanifest', '/favicon.svg', '/icons/icon-192.png', '/icons/icon-512.png',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
});

// A new version waits until the seller taps "Actualizar" (never in the
// middle of writing a sale); the page then asks it to take over.
self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
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

// ---- Background Sync: the outbox goes up even when no tab is open ----
// Reads the same IndexedDB records the page writes (app/src/services/idb.rs)
// and settles them as the shared planner does (planner::state_after).
const SYNC_TAG = 'ruta-outbox';
const BATCH = 100;

self.addEventListener('sync', (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(uploadOutbox());
});

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function openOutbox() {
  return new Promise((resolve) => {
    const request = indexedDB.open('ruta');
    // No database yet: the page creates it with its stores; never here.
    request.onupgradeneeded = () => request.transaction.abort();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
  });
}

function stateAfter(r) {
  if (r.status === 'success' && r.sale_id != null) {
    return { state: 'synced', sale_id: r.sale_id, number: r.sale_number ?? null, version: r.version ?? 1 };
  }
  if (r.status === 'conflict' && r.sale_id != null && r.conflict) {
    return { state: 'conflict', sale_id: r.sale_id, conflict: r.conflict };
  }
  if (r.status === 'error') return { state: 'error', sale_id: r.sale_id ?? null, message: r.error || '' };
  return null; // an answer that proves nothing keeps the sale pending
}

function settle(db, results, sentAt) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction('outbox', 'readwrite');
    const store = tx.objectStore('outbox');
    for (const result of results) {
      const next = stateAfter(result);
      if (!next) continue;
      const request = store.get(result.local_id);
      request.onsuccess = () => {
        const record = request.result;
        if (!record) return;
        if (record.saved_at !== sentAt.get(result.local_id)) {
          // Edited since it was sent: stays pending, on the new base version.
          if (next.state === 'synced') { record.sale.version = next.version; store.put(record); }
          return;
        }
        record.state = next;
        store.put(record);
      };
    }
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

async function uploadOutbox() {
  const db = await openOutbox();
  if (!db || !db.objectStoreNames.contains('outbox')) return;
  try {
    const token = await done(db.transaction('meta').objectStore('meta').get('token'));
    if (!token || !token.value) return;
    const records = await done(db.transaction('outbox').objectStore('outbox').getAll());
    const pending = records.filter((r) => r.state && r.state.state === 'pending' && !(r.sale.customer_id < 0));
    for (let i = 0; i < pending.length; i += BATCH) {
      const batch = pending.slice(i, i + BATCH);
      const response = await fetch('/api/v1/sales/sync/upload/', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Token ${token.value}` },
        body: JSON.stringify({ sales: batch.map((r) => r.sale) }),
      });
      // 400 = every sale of the batch in error: the body still has results.
      // Anything else throws, and the browser retries the sync later.
      if (response.status !== 200 && response.status !== 400) throw new Error(`upload: ${response.status}`);
      const body = await response.json();
      await settle(db, body.results || [], new Map(batch.map((r) => [r.local_id, r.saved_at])));
    }
    const pages = await self.clients.matchAll({ type: 'window' });
    pages.forEach((page) => page.postMessage('ruta:outbox'));
  } finally {
    db.close();
  }
}
