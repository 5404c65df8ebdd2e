#!/usr/bin/env node
// Seller PWA benchmarks (issue 3), in the machine's headless Chromium:
//  1. 10,000 sales in the IndexedDB outbox, then online: time until the
//     server has them all and the page shows 0 unsynced, and how the page's
//     frames fared meanwhile (requestAnimationFrame gaps, long tasks).
//  2. Cold start offline, from the service worker's cache, to a form that
//     answers typing (a customer search shows a result).
//  3. Release WASM size (gzip -9).
// Prints markdown tables. Exits non-zero only when something did not work
// (the server did not start, sales were not all confirmed within 120 s, the
// form never became interactive), never for a missed target.
//
// Needs target/release/ruta and target/site (make build). Environment:
//   PWA_BENCH_PORT (3200), PWA_BENCH_SALES (10000), PWA_BENCH_COLD_RUNS (7),
//   PWA_BENCH_TRACE=<file.json>: record a Chromium trace while syncing,
//   PWA_BENCH_PROFILE=<file.cpuprofile>: record a JS/WASM CPU profile while syncing,
//   PWA_BENCH_PKG=<dir>: serve ruta.js/ruta_bg.wasm from <dir> while syncing (profiling only),
//   PWA_BENCH_ONLY=sync|cold|size: run one part.
'use strict';

const path = require('path');
const fs = require('fs');
const { spawn, execFileSync } = require('child_process');
const { chromium } = require(path.join(__dirname, '..', '..', 'end2end', 'node_modules', 'playwright-core'));

const ROOT = path.resolve(__dirname, '..', '..');
const PORT = Number(process.env.PWA_BENCH_PORT || 3200);
const BASE = `http://127.0.0.1:${PORT}`;
const SALES = Number(process.env.PWA_BENCH_SALES || 10000);
const COLD_RUNS = Number(process.env.PWA_BENCH_COLD_RUNS || 7);
const ONLY = process.env.PWA_BENCH_ONLY || '';
// Profiling aid: serve ruta.js and ruta_bg.wasm from this directory in the
// 10,000-sales page (e.g. a `wasm-bindgen --keep-debug` output, whose
// function names show in a CPU profile). Not for the reported figures.
const PKG = process.env.PWA_BENCH_PKG || '';
const PASSWORD = 'ruta2026';
const SYNC_DEADLINE_MS = 120_000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error('[pwa-bench]', ...a);
const fmt = (n, d = 0) => Number(n).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

class Failure extends Error {}

// ---------------------------------------------------------------- server
async function startServer(runDir) {
  const bin = path.join(ROOT, 'target', 'release', 'ruta');
  if (!fs.existsSync(bin)) throw new Failure(`${bin} is missing: run make build first`);
  const out = fs.openSync(path.join(runDir, 'server.log'), 'w');
  const child = spawn(bin, ['serve', '--demo'], {
    cwd: ROOT,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      RUTA_DATABASE_URL: `sqlite://${path.join(runDir, 'ruta.db')}`,
      RUTA_ADDR: `127.0.0.1:${PORT}`,
      RUTA_SYNC_RATE: 'off',
      LEPTOS_SITE_ROOT: path.join(ROOT, 'target', 'site'),
      RUTA_LOG: 'warn',
      MALLOC_MMAP_THRESHOLD_: '131072',
    },
  });
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (exited) throw new Failure(`the server exited (${JSON.stringify(exited)}); see ${runDir}/server.log`);
    try {
      const res = await fetch(`${BASE}/health`);
      if (res.ok) return child;
    } catch { /* not up yet */ }
    await sleep(200);
  }
  child.kill('SIGTERM');
  throw new Failure(`the server did not answer ${BASE}/health within 60 s`);
}

async function api(method, url, token, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Token ${token}`;
  const res = await fetch(`${BASE}${url}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Failure(`${method} ${url} → ${res.status}: ${await res.text()}`);
  return res.json();
}

const token = async (username) => (await api('POST', '/api/v1/auth/token/', null, { username, password: PASSWORD })).token;

async function listAll(url, tok) {
  const out = [];
  for (let offset = 0; ; offset += 200) {
    const page = await api('GET', `${url}?limit=200&offset=${offset}`, tok);
    out.push(...page.results);
    if (out.length >= page.count || page.results.length === 0) return out;
  }
}

const salesCount = async (admin) => (await api('GET', '/api/v1/sales/?seller=ID1&limit=1', admin)).count;

// ---------------------------------------------------------------- browser helpers
async function login(page, user) {
  await page.goto(`${BASE}/login`);
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    try {
      await page.getByLabel('Usuario').fill(user, { timeout: 2_000 });
      await page.getByLabel('Contraseña').fill(PASSWORD, { timeout: 2_000 });
      await page.getByRole('button', { name: 'Iniciar sesión' }).click({ timeout: 2_000 });
      await page.getByTestId('greeting').waitFor({ state: 'visible', timeout: 2_000 });
      return;
    } catch { /* hydration not done yet: again */ }
  }
  throw new Failure(`could not log in as ${user}`);
}

async function waitFor(what, fn, timeoutMs, everyMs = 100) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Failure(`timed out (${timeoutMs} ms) waiting for ${what}`);
    await sleep(everyMs);
  }
}

const unsyncedCount = (page) => page.getAttribute('[data-testid=unsynced]', 'data-count', { timeout: 1_000 }).catch(() => null);

// Counts of the device's IndexedDB stores (0 when the database is not there yet).
const idbCounts = (page) => page.evaluate(() => new Promise((resolve) => {
  const req = indexedDB.open('ruta');
  req.onupgradeneeded = () => req.transaction.abort();
  req.onerror = () => resolve({});
  req.onsuccess = () => {
    const db = req.result;
    const names = [...db.objectStoreNames];
    if (!names.length) { db.close(); resolve({}); return; }
    const tx = db.transaction(names);
    const out = {};
    names.forEach((n) => { const c = tx.objectStore(n).count(); c.onsuccess = () => { out[n] = c.result; }; });
    tx.oncomplete = () => { db.close(); resolve(out); };
  };
}));

// ---------------------------------------------------------------- 1. 10,000 sales
// `count` sales straight into the outbox, as that many saves of the form
// would leave them (app/src/services/outbox.rs): one transaction.
async function fillOutbox(page, count, customers, products) {
  return page.evaluate(async ({ n, customers, products }) => {
    const device = localStorage.getItem('ruta.device_id') || 'bench-pwa-device';
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('ruta');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const now = Date.now();
    const tx = db.transaction('outbox', 'readwrite');
    const store = tx.objectStore('outbox');
    for (let i = 0; i < n; i++) {
      const customer = customers[i % customers.length];
      const lines = 1 + (i % 3);
      const items = [];
      let total = 0;
      for (let k = 0; k < lines; k++) {
        const p = products[(i * 7 + k * 3) % products.length];
        const quantity = 1 + ((i + k) % 5);
        items.push({
          product_id: p.id, quantity: String(quantity), unit_price: p.unit_price,
          discount_type: 'none', discount_value: '0', tax_percentage: p.tax_percentage,
        });
        total += quantity * Number(p.unit_price) * (1 + Number(p.tax_percentage) / 100);
      }
      const savedAt = now - (n - i) * 1000;
      const localId = crypto.randomUUID();
      store.put({
        local_id: localId,
        sale: {
          local_id: localId, customer_id: customer.id, status: 'confirmed', device_id: device,
          payment_method: 'cash', created_at: new Date(savedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          items, returns: [], notes: null, version: 1,
        },
        state: { state: 'pending' },
        customer_name: customer.name,
        total: total.toFixed(2),
        saved_at: savedAt,
      });
    }
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    db.close();
    return n;
  }, {
    n: count,
    customers: customers.map((c) => ({ id: c.id, name: c.name })),
    products: products.map((p) => ({ id: p.id, unit_price: p.unit_price, tax_percentage: p.tax_percentage })),
  });
}

async function benchSync(browser, runDir) {
  const admin = await token('admin');
  const ana = await token('ana');
  const customers = (await listAll('/api/v1/customers/', ana)).filter((c) => c.active);
  const products = (await listAll('/api/v1/products/', ana)).filter((p) => p.active);
  if (!customers.length || !products.length) throw new Failure('the demo catalog is empty');
  const before = await salesCount(admin);

  // No service worker: only the page's own engine uploads. Its stand-in for
  // the offline reload is a route that records the shell while online and
  // serves those copies while offline (the service worker's cache does that
  // in the real app).
  const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block' });
  const shell = new Map();
  let offline = false;
  const shellRoute = async (route) => {
    const url = route.request().url();
    if (route.request().method() !== 'GET') return route.fallback();
    const pkgFile = PKG && { '/pkg/ruta.js': 'ruta.js', '/pkg/ruta.wasm': 'ruta_bg.wasm' }[new URL(url).pathname];
    if (pkgFile) {
      const contentType = pkgFile.endsWith('.js') ? 'text/javascript' : 'application/wasm';
      return route.fulfill({ status: 200, contentType, body: fs.readFileSync(path.join(PKG, pkgFile)) });
    }
    if (offline) {
      const hit = shell.get(url);
      return hit ? route.fulfill(hit) : route.abort('internetdisconnected');
    }
    const response = await route.fetch();
    const body = await response.body();
    if (response.ok()) shell.set(url, { status: response.status(), headers: response.headers(), body });
    return route.fulfill({ response, body });
  };
  const notApi = (url) => !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/ws/');
  await context.route(notApi, shellRoute);

  const page = await context.newPage();
  await login(page, 'ana');
  await page.goto(`${BASE}/ventas`);
  await waitFor('the sales page', async () => (await unsyncedCount(page)) === '0', 30_000);
  await waitFor('the catalog in IndexedDB', async () => {
    const c = await idbCounts(page);
    return c.products > 0 && c.customers > 0 && c.outbox === 0;
  }, 30_000, 250);

  await context.setOffline(true);
  offline = true;
  await waitFor('the page to see it is offline', () => page.evaluate(() => !navigator.onLine), 5_000);

  // 10,000 sales straight into the outbox, as 10,000 saves of the form would
  // leave them (app/src/services/outbox.rs): one transaction.
  const fillStart = Date.now();
  const written = await fillOutbox(page, SALES, customers, products);
  const fillMs = Date.now() - fillStart;
  log(`wrote ${written} sales into the outbox in ${fillMs} ms`);

  // Reopen the page offline: it reads the 10,000 from IndexedDB.
  const reloadStart = Date.now();
  await page.reload();
  await waitFor('the page to show the 10,000 pending sales', async () => (await unsyncedCount(page)) === String(SALES), 60_000, 100);
  const reloadMs = Date.now() - reloadStart;
  const pendingRows = await page.locator('[data-testid=sale-row][data-state=pending]').count();
  if ((await salesCount(admin)) !== before) throw new Failure('sales reached the server while offline');
  log(`offline reload showed ${SALES} unsynced (${pendingRows} rows drawn) after ${reloadMs} ms`);
  await context.unroute(notApi, shellRoute);

  // Frame monitors: the largest gap between animation frames and long tasks.
  await page.evaluate(() => {
    const m = { frames: 0, maxGap: 0, over200: 0, over100: 0, over50: 0, longTasks: 0, longest: 0, longTaskMs: 0, gaps: [], tasks: [], running: true };
    window.__bench = m;
    let last = performance.now();
    const frame = (t) => {
      const gap = t - last;
      last = t;
      m.frames += 1;
      if (gap > m.maxGap) m.maxGap = gap;
      if (gap > 200) m.over200 += 1;
      if (gap > 100) m.over100 += 1;
      if (gap > 50) { m.over50 += 1; m.gaps.push([Math.round(t - gap), Math.round(gap)]); }
      if (m.running) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        m.longTasks += 1;
        m.longTaskMs += e.duration;
        if (e.duration > m.longest) m.longest = e.duration;
        m.tasks.push([Math.round(e.startTime), Math.round(e.duration)]);
      }
    }).observe({ type: 'longtask' });
  });
  await sleep(500);
  const idle = await page.evaluate(() => ({ maxGap: window.__bench.maxGap, frames: window.__bench.frames }));
  await page.evaluate(() => { const m = window.__bench; m.maxGap = 0; m.frames = 0; m.over200 = 0; m.over100 = 0; m.over50 = 0; m.gaps = []; m.tasks = []; m.longTasks = 0; m.longest = 0; m.longTaskMs = 0; });

  const uploads = [];
  page.on('requestfinished', (req) => {
    if (!req.url().includes('/api/v1/sales/sync/upload/')) return;
    const t = req.timing();
    uploads.push({ start: t.startTime, end: t.startTime + t.responseEnd });
  });

  const tracePath = process.env.PWA_BENCH_TRACE;
  if (tracePath) {
    await browser.startTracing(page, {
      path: tracePath, screenshots: false,
      categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'toplevel', 'disabled-by-default-v8.cpu_profiler'],
    });
  }
  let cdp = null;
  if (process.env.PWA_BENCH_PROFILE) {
    cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }

  const pageT0 = await page.evaluate(() => performance.now());
  const t0 = Date.now();
  offline = false;
  await context.setOffline(false);
  let serverMs = null;
  let pageMs = null;
  let firstMs = null;
  const timeline = [];
  while (Date.now() - t0 < SYNC_DEADLINE_MS && (serverMs === null || pageMs === null)) {
    const [count, shown] = await Promise.all([salesCount(admin), unsyncedCount(page)]);
    const now = Date.now() - t0;
    const stored = count - before;
    timeline.push([now, stored]);
    if (firstMs === null && stored > 0) firstMs = now;
    if (serverMs === null && stored >= SALES) serverMs = now;
    if (pageMs === null && shown === '0') pageMs = now;
    await sleep(200);
  }
  await sleep(1_000); // frames just after the last batch count too
  const m = await page.evaluate(() => { window.__bench.running = false; return window.__bench; });
  if (tracePath) { await browser.stopTracing(); log(`trace: ${tracePath}`); }
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    fs.writeFileSync(process.env.PWA_BENCH_PROFILE, JSON.stringify(profile));
    log(`profile: ${process.env.PWA_BENCH_PROFILE}`);
  }
  const finalCount = (await salesCount(admin)) - before;
  const finalShown = await unsyncedCount(page);
  const synced = await page.locator('[data-testid=sale-row][data-state=synced]').count();
  await context.close();

  // Time the browser spent with an upload in flight, vs. between them.
  uploads.sort((a, b) => a.start - b.start);
  const inFlight = uploads.reduce((s, u) => s + (u.end - u.start), 0);
  const span = uploads.length ? uploads[uploads.length - 1].end - uploads[0].start : 0;
  const res = {
    sales: SALES, fillMs, reloadMs, pendingRows, idleMaxGap: idle.maxGap,
    firstMs, serverMs, pageMs, finalCount, synced,
    frames: m.frames, maxGap: m.maxGap, over200: m.over200, over100: m.over100, over50: m.over50,
    longTasks: m.longTasks, longest: m.longest, longTaskMs: m.longTaskMs,
    uploads: uploads.length, inFlightMs: inFlight, spanMs: span,
    gaps: m.gaps.map(([t, g]) => [Math.round(t - pageT0), g]),
    tasks: m.tasks.map(([t, d]) => [Math.round(t - pageT0), d]),
  };
  fs.writeFileSync(path.join(runDir, 'sync.json'), JSON.stringify({ ...res, timeline, uploadsDetail: uploads }, null, 1));
  if (serverMs === null || pageMs === null) {
    res.failure = `after ${SYNC_DEADLINE_MS / 1000} s the server had ${finalCount} of ${SALES} and the page showed ${finalShown} unsynced`;
  }
  return res;
}

// ---------------------------------------------------------------- 2. cold start offline
async function benchCold(browser) {
  const ana = await token('ana');
  const customers = (await listAll('/api/v1/customers/', ana)).filter((c) => c.active);
  const query = customers[0].name.split(' ')[0];

  const context = await browser.newContext({ ...PHONE });
  const page = await context.newPage();
  await login(page, 'ana');
  await page.goto(`${BASE}/ventas`);
  await waitFor('the sales page', async () => (await unsyncedCount(page)) === '0', 30_000);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await waitFor('a controlling service worker', () => page.evaluate(() => !!navigator.serviceWorker.controller), 15_000);
  await waitFor('the catalog in IndexedDB', async () => {
    const c = await idbCounts(page);
    return c.products > 0 && c.customers > 0;
  }, 30_000, 250);
  const cached = await page.evaluate(async () => {
    const keys = await caches.keys();
    const out = [];
    for (const k of keys) for (const r of await (await caches.open(k)).keys()) out.push(new URL(r.url).pathname);
    return out;
  });
  if (!cached.includes('/ventas/nueva') || !cached.includes('/pkg/ruta.wasm')) {
    throw new Failure(`the service worker cache lacks the form or the WASM: ${cached.join(' ')}`);
  }
  await page.goto('about:blank');
  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await context.setOffline(true);

  // In the new page, from its first moment: "type" the query every 5 ms
  // until a result button shows; record when the input first appeared and
  // when typing first produced a result (ms since navigation start).
  const probe = (q) => {
    const t = { input: null, result: null };
    window.__cold = t;
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    const tick = () => {
      const input = document.querySelector('[data-testid=customer-search]');
      if (input) {
        if (t.input === null) t.input = performance.now();
        if (document.querySelector('.pick-list button.pick')) { t.result = performance.now(); return; }
        setter.call(input, q);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
      setTimeout(tick, 5);
    };
    tick();
  };

  const series = async (label) => {
    const runs = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      // Cold: no running service worker, as after the phone slept.
      await cdp.send('ServiceWorker.stopAllWorkers');
      await sleep(300);
      const p = await context.newPage();
      await p.addInitScript(probe, query);
      const t0 = Date.now();
      await p.goto(`${BASE}/ventas/nueva`, { waitUntil: 'commit', timeout: 15_000 });
      const t = await waitFor('the form to answer typing', () => p.evaluate(() => window.__cold && window.__cold.result !== null && window.__cold), 15_000, 10);
      const wall = Date.now() - t0;
      const nav = await p.evaluate(() => {
        const n = performance.getEntriesByType('navigation')[0];
        return { responseEnd: n.responseEnd, dcl: n.domContentLoadedEventEnd, fromSw: n.workerStart > 0, offline: !navigator.onLine };
      });
      if (!nav.offline) throw new Failure('the cold-start page was online');
      runs.push({ interactive: t.result, input: t.input, wall, ...nav });
      log(`cold start (${label}) ${i + 1}: interactive ${t.result.toFixed(0)} ms (input at ${t.input.toFixed(0)} ms, document ${nav.responseEnd.toFixed(0)} ms, from SW ${nav.fromSw}), wall ${wall} ms`);
      await p.close();
    }
    return runs;
  };
  const empty = await series('empty outbox');
  // The same with a full outbox: the seller pages read it at start.
  const products = (await listAll('/api/v1/products/', ana)).filter((p) => p.active);
  const filler = await context.newPage(); // on the origin (served by the worker, offline)
  await filler.goto(`${BASE}/ventas/nueva`, { timeout: 15_000 });
  await fillOutbox(filler, SALES, customers, products);
  await filler.close();
  const full = await series(`${SALES} unsynced`);
  await context.close();
  return { query, runs: empty, full };
}

// ---------------------------------------------------------------- 3. sizes
function benchSize() {
  const pkg = path.join(ROOT, 'target', 'site', 'pkg');
  const gz = (f) => Number(execFileSync('bash', ['-c', 'gzip -9 -c "$1" | wc -c', '_', f]).toString().trim());
  const out = {};
  for (const name of ['ruta.wasm', 'ruta.js', 'ruta.css']) {
    const f = path.join(pkg, name);
    if (!fs.existsSync(f)) continue;
    out[name] = { raw: fs.statSync(f).size, gzip: gz(f) };
  }
  if (!out['ruta.wasm']) throw new Failure(`${pkg}/ruta.wasm is missing: run make build first`);
  return out;
}

// ---------------------------------------------------------------- main
async function main() {
  const runDir = path.join(ROOT, 'target', 'bench-pwa', `run-${Date.now()}-${process.pid}`);
  fs.mkdirSync(runDir, { recursive: true });
  const lines = [];
  const say = (s = '') => { lines.push(s); console.log(s); };
  let failed = false;

  let size = null;
  if (!ONLY || ONLY === 'size') size = benchSize();

  let server = null;
  let browser = null;
  let sync = null;
  let cold = null;
  try {
    if (!ONLY || ONLY !== 'size') {
      server = await startServer(runDir);
      browser = await chromium.launch(LAUNCH);
      log(`server ${BASE}, database ${runDir}/ruta.db, Chromium ${browser.version()}`);
      if (!ONLY || ONLY === 'sync') sync = await benchSync(browser, runDir);
      if (!ONLY || ONLY === 'cold') cold = await benchCold(browser);
    }
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) server.kill('SIGTERM');
  }

  say(`### Seller PWA (issue 3) — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Chromium ${browser ? browser.version() : '-'}, \`nproc\` = ${require('os').cpus().length}`);
  say();
  say('| measurement | result | target | |');
  say('|---|---|---|---|');
  if (sync) {
    const ok = sync.serverMs !== null && sync.pageMs !== null;
    const done = ok ? Math.max(sync.serverMs, sync.pageMs) : null;
    say(`| ${fmt(sync.sales)} sales: online → all confirmed on the server | ${sync.serverMs === null ? 'not within 120 s' : `${fmt(sync.serverMs / 1000, 1)} s`} | ≤ 20 s | ${sync.serverMs !== null && sync.serverMs <= 20_000 ? 'met' : '**missed**'} |`);
    say(`| … and the page shows 0 unsynced | ${sync.pageMs === null ? 'not within 120 s' : `${fmt(sync.pageMs / 1000, 1)} s`} | ≤ 20 s | ${done !== null && done <= 20_000 ? 'met' : '**missed**'} |`);
    say(`| largest gap between frames while syncing | ${fmt(sync.maxGap)} ms (${fmt(sync.over200)} of ${fmt(sync.frames)} frames > 200 ms) | no frame > 200 ms | ${sync.over200 === 0 ? 'met' : '**missed**'} |`);
    if (!ok) { failed = true; log(`FAILED: ${sync.failure}`); }
    if (sync.finalCount !== sync.sales) { failed = true; log(`FAILED: the server stored ${sync.finalCount} sales, ${sync.sales} were sent`); }
  }
  if (cold) {
    const xs = cold.runs.map((r) => r.interactive);
    say(`| cold start offline → form answers typing (median of ${xs.length}) | ${fmt(median(xs))} ms (max ${fmt(Math.max(...xs))}) | ≤ 1 s | ${median(xs) <= 1000 ? 'met' : '**missed**'} |`);
    const ys = cold.full.map((r) => r.interactive);
    say(`| … the same with ${fmt(SALES)} unsynced sales on the device | ${fmt(median(ys))} ms (max ${fmt(Math.max(...ys))}) | (≤ 1 s) | ${median(ys) <= 1000 ? 'met' : '**missed**'} |`);
  }
  if (size) {
    const w = size['ruta.wasm'];
    say(`| ruta.wasm, gzip -9 | ${fmt(w.gzip)} bytes (${fmt(w.gzip / 1024, 1)} KiB; raw ${fmt(w.raw)}) | ≤ 400 KB | ${w.gzip <= 400_000 ? 'met' : '**missed**'} |`);
  }
  if (sync) {
    say();
    say(`${fmt(sync.sales)} sales detail: outbox written in ${fmt(sync.fillMs)} ms; offline reload to "${fmt(sync.sales)} unsynced" shown ${fmt(sync.reloadMs)} ms (${sync.pendingRows} rows drawn); first sale on the server ${fmt(sync.firstMs)} ms after going online; ${sync.uploads} upload requests, in flight ${fmt(sync.inFlightMs)} ms of the ${fmt(sync.spanMs)} ms from the first request's start to the last one's end; final server count ${fmt(sync.finalCount)}, synced rows drawn ${sync.synced}.`);
    say();
    say('| while syncing | value |');
    say('|---|---|');
    say(`| frames | ${fmt(sync.frames)} (idle before: max gap ${fmt(sync.idleMaxGap, 1)} ms) |`);
    say(`| max frame gap | ${fmt(sync.maxGap, 1)} ms |`);
    say(`| frames > 200 / > 100 / > 50 ms | ${sync.over200} / ${sync.over100} / ${sync.over50} |`);
    say(`| long tasks (> 50 ms): count, longest, total | ${sync.longTasks}, ${fmt(sync.longest)} ms, ${fmt(sync.longTaskMs)} ms |`);
    const top = [...sync.tasks].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([t, d]) => `${d} ms @ ${fmt(t)}`);
    if (top.length) say(`| longest tasks (duration @ ms after going online) | ${top.join(', ')} |`);
  }
  if (cold) {
    say();
    say(`Cold start runs (query "${cold.query}"; ms since navigation start; service worker stopped before each):`);
    say();
    say('| outbox | run | document from SW | input in DOM | DOMContentLoaded | typing → result shown | wall (goto → seen by Playwright) |');
    say('|---|---|---|---|---|---|---|');
    for (const [label, runs] of [['empty', cold.runs], [`${fmt(SALES)} unsynced`, cold.full]]) {
      runs.forEach((r, i) => say(`| ${label} | ${i + 1} | ${fmt(r.responseEnd)} ms${r.fromSw ? '' : ' (not SW!)'} | ${fmt(r.input)} ms | ${fmt(r.dcl)} ms | ${fmt(r.interactive)} ms | ${fmt(r.wall)} ms |`));
      say(`| ${label} | **median** | ${fmt(median(runs.map((r) => r.responseEnd)))} ms | ${fmt(median(runs.map((r) => r.input)))} ms | ${fmt(median(runs.map((r) => r.dcl)))} ms | **${fmt(median(runs.map((r) => r.interactive)))} ms** | ${fmt(median(runs.map((r) => r.wall)))} ms |`);
    }
  }
  if (size) {
    say();
    say('| file (target/site/pkg) | raw bytes | gzip -9 bytes |');
    say('|---|---|---|');
    for (const [name, s] of Object.entries(size)) say(`| ${name} | ${fmt(s.raw)} | ${fmt(s.gzip)} |`);
  }
  fs.writeFileSync(path.join(runDir, 'result.md'), lines.join('\n') + '\n');
  fs.writeFileSync(path.join(runDir, 'result.json'), JSON.stringify({ sync, cold, size }, null, 1));
  log(`results in ${runDir}`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`[pwa-bench] FAILED: ${e instanceof Failure ? e.message : e.stack || e}`);
  process.exit(1);
});
