import { test, expect, Page, APIRequestContext } from '@playwright/test';
import { openAs, apiToken, auth } from './helpers';

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

// FIXME (issue 19, open): with Debian's Chromium 156 headless, CDP
// Page.crash takes the whole browser context down ("Target crashed" on the
// next context call, then "context has been closed"), so the reopened page
// cannot reach the same IndexedDB. Needs a persistent context reopened on
// the same profile directory. Skipped, not passing.
test.fixme('the phone crashes while its upload is in flight: the outbox survives, and each sale reaches the server exactly once', async ({ browser, request }) => {
  const ana = await apiToken(request, 'ana');
  const { context, page } = await openAs(browser, 'ana', '/ventas');
  await controlledByServiceWorker(page);
  await expect(page.getByTestId('catalog-count')).not.toHaveAttribute('data-products', '0', { timeout: 15_000 });

  await context.setOffline(true);
  await makeSale(page, 'Rosa Martínez', 'Arepa de maíz', '2');
  await makeSale(page, 'Luis Gómez', 'Pan tajado', '1');
  await makeSale(page, 'Carmen Ruiz', 'Buñuelos', '4');
  await expect(page.getByTestId('unsynced')).toHaveAttribute('data-count', '3');
  const saved = await outbox(page);
  const ids = saved.map((r) => r.local_id);
  expect(ids).toHaveLength(3);

  // The first upload reaches the server; the page dies before the answer.
  const cdp = await context.newCDPSession(page);
  let reached = 0;
  let serverStatus = 0;
  await context.route('**/api/v1/sales/sync/upload/', async (route) => {
    if (reached > 0) return route.continue();
    reached += 1;
    const response = await route.fetch();
    serverStatus = response.status();
    await cdp.send('Page.crash').catch(() => {});
    await route.abort('failed').catch(() => {});
  });
  const crashed = page.waitForEvent('crash');
  await context.setOffline(false);
  await crashed;
  expect(reached).toBe(1);
  expect(serverStatus).toBe(200);
  // The server stored the batch the page never heard about.
  expect(await serverCopies(request, ana, ids)).toEqual([1, 1, 1]);

  // A new page, offline: the outbox is intact, every sale still unsynced.
  await context.unroute('**/api/v1/sales/sync/upload/');
  await context.setOffline(true);
  const reopened = await context.newPage();
  await reopened.goto('/ventas');
  const after = await outbox(reopened);
  expect(after.map((r) => r.local_id).sort()).toEqual([...ids].sort());
  for (const r of after) expect(r.state).toBe('pending');
  await expect(reopened.locator('[data-testid=sale-row][data-state=pending]')).toHaveCount(3, { timeout: 10_000 });

  // Online: the retry is answered as duplicates; nothing is stored twice.
  await context.setOffline(false);
  await expect(reopened.locator('[data-testid=sale-row][data-state=synced]')).toHaveCount(3, { timeout: 20_000 });
  expect(await serverCopies(request, ana, ids)).toEqual([1, 1, 1]);
  for (const r of await outbox(reopened)) expect(r.state).toBe('synced');
  await context.close();
});
