import { test, expect, Page } from '@playwright/test';
import { openAs } from './helpers';

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
