import { test, expect, Page } from '@playwright/test';
import { openAs, shots } from './helpers';
import * as path from 'path';

async function controlledByServiceWorker(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 10_000 }).toBe(true);
}

test('Chromium finds the app installable: manifest, icons, a controlling service worker', async ({ playwright, request, baseURL }, testInfo) => {
  const res = await request.get('/manifest.webmanifest');
  expect(res.status()).toBe(200);
  const manifest = await res.json();
  expect(manifest).toMatchObject({ short_name: 'Ruta', lang: 'es', start_url: '/', display: 'standalone', theme_color: '#0f766e' });
  expect(manifest.description).toMatch(/vendedores/);
  const sizes = manifest.icons.map((i: any) => `${i.sizes} ${i.purpose}`);
  expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
  for (const icon of manifest.icons) {
    const png = await request.get(icon.src);
    expect(png.status()).toBe(200);
    expect(png.headers()['content-type']).toBe('image/png');
  }

  const sw = await request.get('/sw.js');
  expect(sw.headers()['cache-control']).toBe('no-cache');
  expect(await sw.text()).toMatch(/const BUILD = '[0-9a-f]{16}'/);

  // A persistent profile: Chromium never offers to install from incognito,
  // which is what a plain test context is.
  const context = await playwright.chromium.launchPersistentContext(testInfo.outputPath('profile'), {
    ...testInfo.project.use.launchOptions, baseURL, viewport: { width: 390, height: 844 },
  });
  const page = await context.newPage();
  await page.goto('/login');
  await controlledByServiceWorker(page);
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);
  await context.close();
});

test('Mi cargue opens again with no network, from the service worker and the cached sheet', async ({ browser }) => {
  const seller = await openAs(browser, 'beto', '/mi-cargue');
  await expect(seller.page.getByTestId('connection')).toHaveClass(/live/, { timeout: 15_000 });
  await expect(seller.page.getByTestId('day')).toBeVisible();
  await controlledByServiceWorker(seller.page);

  await seller.context.setOffline(true);
  await seller.page.reload();
  await expect(seller.page.getByTestId('day')).toBeVisible({ timeout: 10_000 });
  await expect(seller.page.getByTestId('connection')).toHaveClass(/offline/);
  await seller.context.close();
});

test('a waiting new version shows "Nueva versión disponible — Actualizar"; the button hands over to it', async ({ browser }) => {
  const seller = await openAs(browser, 'ana', '/ventas');
  await controlledByServiceWorker(seller.page);
  await expect(seller.page.getByTestId('update-banner')).toHaveCount(0);
  // What public/pwa.js does when a new deployment's worker is installed
  // and waiting, with a stand-in worker that records what it is told.
  await seller.page.evaluate(() => {
    (window as any).rutaWaiting = { postMessage: (m: string) => { (window as any).rutaTold = m; } };
    window.dispatchEvent(new Event('ruta:update'));
  });
  const banner = seller.page.getByTestId('update-banner');
  await expect(banner).toContainText('Nueva versión disponible');
  await seller.page.screenshot({ path: path.join(shots, 'actualizar-phone.png') });
  await banner.getByRole('button', { name: 'Actualizar' }).click();
  await expect.poll(() => seller.page.evaluate(() => (window as any).rutaTold)).toBe('skip-waiting');
  const sw = await (await seller.page.request.get('/sw.js')).text();
  expect(sw).toContain("if (event.data === 'skip-waiting') self.skipWaiting();");
  await seller.context.close();
});

// The release build writes .br and .gz beside each bundle file (Makefile
// `build`); the server must send those, not compress on the fly.
test('the WASM and JS bundles go out precompressed: brotli when asked for, else gzip, same bytes decoded', async ({ baseURL }) => {
  test.skip(!!process.env.RUTA_E2E_SITE, 'a dev site (RUTA_E2E_SITE) is not precompressed');
  const http = await import('http');
  const zlib = await import('zlib');
  const fs = await import('fs');
  const site = path.join(__dirname, '..', '..', 'target', 'site');
  const get = (url: string, encoding: string) => new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    http.get(url, { headers: { 'Accept-Encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
  for (const file of ['pkg/ruta.wasm', 'pkg/ruta.js', 'office/ruta-office.wasm']) {
    const url = `${baseURL}/${file}`;
    const plain = await get(url, 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(fs.readFileSync(path.join(site, file)))).toBe(true);

    const br = await get(url, 'br, gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.length).toBe(fs.statSync(path.join(site, `${file}.br`)).size);
    expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

    const gz = await get(url, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body.length).toBe(fs.statSync(path.join(site, `${file}.gz`)).size);
    expect(zlib.gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(gz.body.length);
  }
});
