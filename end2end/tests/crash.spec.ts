import { test, expect, chromium, Page, APIRequestContext } from '@playwright/test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { apiToken, auth, submitLogin, PASSWORD, PHONE } from './helpers';

// The phone dies mid-upload: the server has the batch, the page never got
// the answer. The outbox in IndexedDB must come back intact (every sale
// still unsynced), and once online each sale must end up on the server
// exactly once.

async function controlledByServiceWorker(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 10_000 }).toBe(true);
}

async function pick(page: Page, searchTestId: string, name: string) {
  await expect(async () => {
    await page.getByTestId(searchTestId).fill(name);
    await page.locator('.pick-list button.pick', { hasText: name }).first().click({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

async function makeSale(page: Page, customer: string, product: string, quantity: string) {
  await page.getByTestId('new-sale').click();
  await expect(page.getByTestId('sale-form')).toBeVisible();
  await pick(page, 'customer-search', customer);
  await pick(page, 'product-search', product);
  const line = page.getByTestId('sale-line').last();
  await line.getByTestId('line-quantity').fill(quantity);
  await expect(line.getByTestId('line-total')).not.toHaveText('—');
  await page.getByTestId('save-sale').click();
  await expect(page).toHaveURL(/\/ventas$/);
}

/** The outbox records as stored: local id and sync state. */
async function outbox(page: Page): Promise<{ local_id: string; state: string }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('ruta');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('outbox').objectStore('outbox').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            resolve(all.result.map((r: any) => ({ local_id: r.local_id, state: r.state?.state ?? String(r.state) })));
            open.result.close();
          };
        };
      }),
  );
}

/** How many of the seller's sales on the server carry each local id. */
async function serverCopies(request: APIRequestContext, token: string, ids: string[]) {
  const res = await request.get('/api/v1/sales/?limit=200', auth(token));
  expect(res.status()).toBe(200);
  const body = await res.json();
  return ids.map((id) => body.results.filter((s: any) => s.local_id === id).length);
}

/** A browser on its own profile directory: what a phone keeps on disk
 * (IndexedDB, the service worker and its caches, the session cookie)
 * outlives the browser process, so the reopened page finds it. */
async function launchPhone(profile: string) {
  const use = test.info().project.use;
  const context = await chromium.launchPersistentContext(profile, {
    ...PHONE,
    baseURL: use.baseURL,
    executablePath: use.launchOptions?.executablePath,
    args: use.launchOptions?.args,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

// The page dies after the upload left and before its answer came back:
// its renderer killed by CDP Page.crash, or the page closed (the seller
// swipes the app away). The browser is then closed too, as a phone's OS
// would, and the phone reopened on the same profile: first offline, then
// online.
for (const how of ['crashes', 'is closed'] as const)
test(`the page ${how} while its upload is in flight: the outbox survives, and each sale reaches the server exactly once`, async ({ request }) => {
  test.setTimeout(90_000);
  const ana = await apiToken(request, 'ana');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ruta-phone-'));
  try {
    const first = await launchPhone(profile);
    await submitLogin(first.page, 'ana', PASSWORD);
    await expect(first.page.getByTestId('greeting')).toBeVisible();
    await first.page.goto('/ventas');
    await controlledByServiceWorker(first.page);
    await expect(first.page.getByTestId('catalog-count')).not.toHaveAttribute('data-products', '0', { timeout: 15_000 });

    await first.context.setOffline(true);
    await makeSale(first.page, 'Rosa Martínez', 'Arepa de maíz', '2');
    await makeSale(first.page, 'Luis Gómez', 'Pan tajado', '1');
    await makeSale(first.page, 'Carmen Ruiz', 'Buñuelos', '4');
    await expect(first.page.getByTestId('unsynced')).toHaveAttribute('data-count', '3');
    const ids = (await outbox(first.page)).map((r) => r.local_id);
    expect(ids).toHaveLength(3);

    // The first upload reaches the server; the page dies before the answer.
    const cdp = await first.context.newCDPSession(first.page);
    let reached = 0;
    let serverStatus = 0;
    await first.context.route('**/api/v1/sales/sync/upload/', async (route) => {
      reached += 1;
      if (reached > 1) return route.abort('failed').catch(() => {});
      const response = await route.fetch();
      serverStatus = response.status();
      if (how === 'crashes') await cdp.send('Page.crash').catch(() => {});
      else await first.page.close({ runBeforeUnload: false }).catch(() => {});
      await route.abort('failed').catch(() => {});
    });
    const gone = Promise.race([first.page.waitForEvent('crash'), first.page.waitForEvent('close')]);
    await first.context.setOffline(false);
    await gone;
    await first.context.close().catch(() => {});
    expect(reached).toBeGreaterThanOrEqual(1);
    expect(serverStatus).toBe(200);
    // The server stored the batch the page never heard about.
    expect(await serverCopies(request, ana, ids)).toEqual([1, 1, 1]);

    // Reopened offline: the outbox is intact. Each sale is still pending,
    // unless the service worker's Background Sync (fired by the same
    // return of the network, after the page was gone) already sent the
    // outbox again and was answered with duplicates (seen in one of four
    // full runs; as right: nothing lost, nothing doubled, checked here).
    const second = await launchPhone(profile);
    await second.context.setOffline(true);
    await second.page.goto('/ventas');
    const after = await outbox(second.page);
    expect(after.map((r) => r.local_id).sort()).toEqual([...ids].sort());
    for (const r of after) expect(['pending', 'synced']).toContain(r.state);
    const pending = after.filter((r) => r.state === 'pending').length;
    await expect(second.page.getByTestId('unsynced')).toHaveAttribute('data-count', `${pending}`, { timeout: 10_000 });
    expect(await serverCopies(request, ana, ids)).toEqual([1, 1, 1]);

    // Online: the retry is answered as duplicates; nothing is stored twice.
    await second.context.setOffline(false);
    await expect(second.page.locator('[data-testid=sale-row][data-state=synced]')).toHaveCount(3, { timeout: 30_000 });
    expect(await serverCopies(request, ana, ids)).toEqual([1, 1, 1]);
    for (const r of await outbox(second.page)) expect(r.state).toBe('synced');
    await second.context.close();
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
});
