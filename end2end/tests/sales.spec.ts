import { test, expect, Page, APIRequestContext } from '@playwright/test';
import { openAs, apiToken, auth, shots, PHONE, PASSWORD, submitLogin } from './helpers';
import * as path from 'path';

// The seller PWA's sales, at phone size. Every test checks the server's
// state through the API, not only the page.

async function controlledByServiceWorker(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 10_000 }).toBe(true);
}

/** Picks the first search result whose text contains `name`. */
async function pick(page: Page, searchTestId: string, name: string) {
  await expect(async () => {
    await page.getByTestId(searchTestId).fill(name);
    await page.locator('.pick-list button.pick', { hasText: name }).first().click({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

interface SaleInput { customer: string; product: string; quantity?: string; draft?: boolean; notes?: string; shot?: string }

/** Fills the new-sale form (reached through the app's own link, so it
 * works offline) and saves it. */
async function makeSale(page: Page, sale: SaleInput) {
  await page.getByTestId('new-sale').click();
  await expect(page.getByTestId('sale-form')).toBeVisible();
  await pick(page, 'customer-search', sale.customer);
  await expect(page.getByTestId('customer-chosen')).toContainText(sale.customer);
  await pick(page, 'product-search', sale.product);
  const line = page.getByTestId('sale-line').last();
  await line.getByTestId('line-quantity').fill(sale.quantity ?? '2');
  await expect(line.getByTestId('line-total')).not.toHaveText('—');
  if (sale.draft) await page.getByTestId('draft').check();
  if (sale.notes) await page.getByTestId('notes').fill(sale.notes);
  if (sale.shot) await page.screenshot({ path: path.join(shots, sale.shot), fullPage: true });
  await page.getByTestId('save-sale').click();
  await expect(page).toHaveURL(/\/ventas$/);
}

async function sellerSales(request: APIRequestContext, adminToken: string, seller: string) {
  const res = await request.get(`/api/v1/sales/?seller=${seller}&limit=200`, auth(adminToken));
  expect(res.status()).toBe(200);
  return (await res.json()) as { count: number; results: any[] };
}

/** The catalog is on the device: sales can be made offline from here. */
async function catalogLoaded(page: Page) {
  await expect(page.getByTestId('catalog-count')).not.toHaveAttribute('data-products', '0', { timeout: 15_000 });
}

const rows = (page: Page, state?: string) =>
  page.locator(state ? `[data-testid=sale-row][data-state=${state}]` : '[data-testid=sale-row]');

test('offline: 3 sales saved, the app reopens offline with them pending; online → exactly 3 on the server, shown with their numbers', async ({ browser, request }) => {
  const admin = await apiToken(request, 'admin');
  const before = (await sellerSales(request, admin, 'ID1')).count;
  const { context, page } = await openAs(browser, 'ana', '/ventas');
  await expect(page.getByTestId('unsynced')).toHaveAttribute('data-count', '0');
  await controlledByServiceWorker(page);
  await catalogLoaded(page);

  await context.setOffline(true);
  await expect(page.getByTestId('online-state')).toHaveClass(/offline/);
  await makeSale(page, { customer: 'Rosa Martínez', product: 'Arepa de maíz', quantity: '3', shot: 'venta-nueva-phone.png' });
  await page.screenshot({ path: path.join(shots, 'ventas-offline-phone.png') });
  await makeSale(page, { customer: 'Luis Gómez', product: 'Pan tajado', quantity: '2' });
  await makeSale(page, { customer: 'Carmen Ruiz', product: 'Buñuelos', quantity: '1,5' });
  await expect(page.getByTestId('unsynced')).toHaveAttribute('data-count', '3');

  await page.reload();
  await expect(rows(page, 'pending')).toHaveCount(3, { timeout: 10_000 });
  await expect(page.getByTestId('online-state')).toHaveClass(/offline/);
  expect((await sellerSales(request, admin, 'ID1')).count).toBe(before);

  await context.setOffline(false);
  await expect(rows(page, 'synced')).toHaveCount(3, { timeout: 20_000 });
  await expect(page.getByTestId('unsynced')).toHaveAttribute('data-count', '0');
  const after = await sellerSales(request, admin, 'ID1');
  expect(after.count).toBe(before + 3);
  const shown = await page.getByTestId('sale-number').allTextContents();
  const stored = after.results.map((s) => s.number);
  for (const n of shown) {
    expect(n).toMatch(/^VTA-\d{4}-\d{5}$/);
    expect(stored).toContain(n);
  }
  await expect(page.getByTestId('last-sync')).not.toContainText('nunca');
  await page.screenshot({ path: path.join(shots, 'ventas-phone.png') });
  await context.close();
});

test('numbers are typed and shown in Spanish: 4.500 is four thousand five hundred, 4.5 is refused with how to write it', async ({ browser, request }) => {
  const admin = await apiToken(request, 'admin');
  const { context, page } = await openAs(browser, 'ana', '/ventas');
  await catalogLoaded(page);
  await page.getByTestId('new-sale').click();
  await pick(page, 'customer-search', 'Rosa Martínez');
  await pick(page, 'product-search', 'Arepa de maíz');
  const line = page.getByTestId('sale-line').last();
  // The catalog price is shown the way the totals show money.
  await expect(line.getByTestId('line-price')).toHaveValue(/^\d{1,3}(\.\d{3})*,\d{2}$/);
  await line.getByTestId('line-tax').fill('0');
  await line.getByTestId('line-price').fill('4.500');
  await line.getByTestId('line-quantity').fill('2');
  await expect(line.getByTestId('line-total')).toHaveText('$9.000,00');
  await line.getByTestId('line-quantity').fill('4.5');
  await expect(line.getByTestId('line-total')).toHaveText('—');
  await page.getByTestId('save-sale').click();
  await expect(page.getByTestId('form-error')).toContainText('«4.5» se puede leer de dos formas');
  await expect(page).toHaveURL(/\/ventas\/nueva/);
  await line.getByTestId('line-quantity').fill('4,5');
  await expect(line.getByTestId('line-total')).toHaveText('$20.250,00');
  const notes = `locale ${Date.now()}`;
  await page.getByTestId('notes').fill(notes);
  await page.getByTestId('save-sale').click();
  await expect(page).toHaveURL(/\/ventas$/);
  // The wire is dot-decimal: the server holds 4.5 × 4500 = 20250.
  await expect.poll(async () => {
    const stored = (await sellerSales(request, admin, 'ID1')).results.find((s) => s.notes === notes);
    return stored ? [Number(stored.items[0].quantity), Number(stored.items[0].unit_price), Number(stored.total)] : null;
  }, { timeout: 20_000 }).toEqual([4.5, 4500, 20250]);
  await context.close();
});

test('a phone left open pulls catalog changes on "Sincronizar ahora": a new product and a new price, without reloading', async ({ browser, request }) => {
  const admin = await apiToken(request, 'admin');
  const { context, page } = await openAs(browser, 'ana', '/ventas');
  await catalogLoaded(page);
  const tag = `${Date.now()}`.slice(-6);
  const name = `Mogolla ${tag}`;
  const created = await request.post('/api/v1/products/', { ...auth(admin), data: { sku: `MOG-${tag}`, name, unit_price: '1200', tax_percentage: '0' } });
  expect(created.status()).toBe(201);
  const product = await created.json();
  const priceShown = async (price: string) => {
    await page.getByTestId('sync-now').click();
    await page.getByTestId('new-sale').click();
    await page.getByTestId('product-search').fill(name);
    await expect(page.locator('.pick-list button.pick', { hasText: name })).toContainText(`$${price}`, { timeout: 5_000 });
    await page.goBack();
  };
  await expect(async () => priceShown('1.200,00')).toPass({ timeout: 20_000 });
  const edited = await request.put(`/api/v1/products/${product.id}/`, { ...auth(admin), data: { sku: product.sku, name, unit_price: '1350', tax_percentage: '0', active: true } });
  expect(edited.status()).toBe(200);
  await expect(async () => priceShown('1.350,00')).toPass({ timeout: 20_000 });
  await context.close();
});

test('two devices of two sellers, offline with 3 sales each → 6 sales on the server, no duplicates', async ({ browser, request }) => {
  const admin = await apiToken(request, 'admin');
  const sellers = [['beto', 'ID2'], ['carla', 'ID3']] as const;
  const before = await Promise.all(sellers.map(([, code]) => sellerSales(request, admin, code)));
  const devices = await Promise.all(sellers.map(([user]) => openAs(browser, user, '/ventas')));
  for (const { context, page } of devices) {
    await controlledByServiceWorker(page);
    await catalogLoaded(page);
    await context.setOffline(true);
    for (const customer of ['Jorge Pérez', 'Marta Díaz', 'Pedro Castro']) {
      await makeSale(page, { customer, product: 'Pan perro', quantity: '4' });
    }
    await expect(page.getByTestId('unsynced')).toHaveAttribute('data-count', '3');
  }
  await Promise.all(devices.map(({ context }) => context.setOffline(false)));
  for (const { page } of devices) await expect(rows(page, 'synced')).toHaveCount(3, { timeout: 20_000 });

  const after = await Promise.all(sellers.map(([, code]) => sellerSales(request, admin, code)));
  const numbers: string[] = [];
  const localIds: string[] = [];
  after.forEach((a, i) => {
    expect(a.count).toBe(before[i].count + 3);
    const fresh = a.results.slice(0, 3);
    numbers.push(...fresh.map((s) => s.number));
    localIds.push(...fresh.map((s) => s.local_id));
  });
  expect(new Set(numbers).size).toBe(6);
  expect(new Set(localIds).size).toBe(6);
  for (const { context } of devices) await context.close();
});

test('a lost response: the server stored the batch, the page saw a network error; the retry stores nothing new', async ({ browser, request }) => {
  const admin = await apiToken(request, 'admin');
  const before = (await sellerSales(request, admin, 'ID2')).count;
  // No service worker: only the page's own engine uploads, so the lost
  // response below is the only thing that happens to the first request.
  const { context, page } = await openAs(browser, 'beto', '/ventas', { ...PHONE, serviceWorkers: 'block' });
  await catalogLoaded(page);
  await context.setOffline(true);
  await makeSale(page, { customer: 'Gloria Rincón', product: 'Almojábanas', quantity: '2' });
  await makeSale(page, { customer: 'Fabio Moreno', product: 'Pandeyucas', quantity: '3' });

  let lost = 0;
  await page.route('**/api/v1/sales/sync/upload/', async (route) => {
    if (lost === 0) {
      lost += 1;
      const reached = await route.fetch(); // the server stores the batch…
      expect(reached.status()).toBe(200);
      await route.abort('failed'); // …and the page never hears back
    } else {
      await route.continue();
    }
  });
  await context.setOffline(false);
  await expect(rows(page, 'synced')).toHaveCount(2, { timeout: 20_000 });
  expect(lost).toBe(1);
  expect((await sellerSales(request, admin, 'ID2')).count).toBe(before + 2);
  const log = await request.get('/api/v1/sync/log/?action=duplicate&seller=ID2&limit=50', auth(admin));
  expect(log.status()).toBe(200);
  const ids = (await page.locator('[data-testid=sale-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-local-id'))));
  const body = await log.json();
  const logged = JSON.stringify(body);
  for (const id of ids) expect(logged).toContain(id!);
  await context.close();
});

test('a draft edited offline while an admin changed it on the server → conflict view → merge → one consistent sale', async ({ browser, request }) => {
  const admin = await apiToken(request, 'admin');
  const { context, page } = await openAs(browser, 'carla', '/ventas');
  await makeSale(page, { customer: 'Hernán Ospina', product: 'Pan integral', quantity: '5', draft: true, notes: 'Entregar temprano' });
  const row = rows(page, 'synced').first();
  await expect(row).toBeVisible({ timeout: 20_000 });
  const localId = await row.getAttribute('data-local-id');

  // The admin's change on the server: new notes, same base version.
  const list = await sellerSales(request, admin, 'ID3');
  const stored = list.results.find((s) => s.local_id === localId);
  expect(stored.version).toBe(1);
  const detail = await (await request.get(`/api/v1/sales/${stored.id}/`, auth(admin))).json();
  const serverEdit = {
    local_id: localId, customer_id: detail.customer_id, status: 'draft', payment_method: detail.payment_method,
    created_at: detail.created_at, version: 1, notes: 'Cambió el horario: entregar a las 3 pm',
    items: detail.items.map((i: any) => ({
      product_id: i.product_id, quantity: i.quantity, unit_price: i.unit_price,
      discount_type: i.discount_type, discount_value: i.discount_value, tax_percentage: i.tax_percentage,
    })),
    returns: [],
  };
  const edit = await request.post('/api/v1/sales/sync/upload/', { ...auth(admin), data: { sales: [serverEdit] } });
  expect((await edit.json()).results[0]).toMatchObject({ status: 'success', version: 2 });

  // The seller, offline, changes the quantity of the same draft.
  await context.setOffline(true);
  await page.locator(`[data-local-id="${localId}"]`).getByTestId('edit').click();
  await expect(page.getByTestId('sale-line')).toHaveCount(1);
  await page.getByTestId('line-quantity').fill('8');
  await page.getByTestId('save-sale').click();
  await expect(page).toHaveURL(/\/ventas$/);
  await context.setOffline(false);

  const conflicted = page.locator(`[data-local-id="${localId}"][data-state=conflict]`);
  await expect(conflicted).toBeVisible({ timeout: 20_000 });
  await conflicted.getByTestId('resolve').click();
  await expect(page.getByTestId('conflict-view')).toBeVisible();
  await expect(page.locator('[data-testid=conflict-field][data-differs=true]')).toHaveCount(2);
  await expect(page.locator('[data-field=items]')).toHaveAttribute('data-differs', 'true');
  await expect(page.locator('[data-field=notes]')).toHaveAttribute('data-differs', 'true');
  await expect(page.locator('[data-field=customer_id]')).toHaveAttribute('data-differs', 'false');
  await page.screenshot({ path: path.join(shots, 'ventas-conflicto-phone.png') });
  await page.getByTestId('merge').click();
  await expect(page).toHaveURL(/\/ventas$/);
  await expect(page.locator(`[data-local-id="${localId}"][data-state=synced]`)).toBeVisible();

  // One sale, with the seller's quantity and the admin's notes.
  const after = await sellerSales(request, admin, 'ID3');
  expect(after.results.filter((s) => s.local_id === localId)).toHaveLength(1);
  const merged = await (await request.get(`/api/v1/sales/${stored.id}/`, auth(admin))).json();
  expect(merged.sync_status).toBe('synced');
  expect(merged.items[0].quantity).toBe('8.000');
  expect(merged.notes).toBe('Cambió el horario: entregar a las 3 pm');
  expect(merged.version).toBeGreaterThan(2);
  await context.close();
});

test('a sale the server refuses shows its message; the rest of the batch syncs; fixed, it syncs', async ({ browser, request }) => {
  const admin = await apiToken(request, 'admin');
  const customers = await (await request.get('/api/v1/customers/?q=Diana', auth(admin))).json();
  const diana = customers.results[0];
  const before = (await sellerSales(request, admin, 'ID1')).count;
  const { context, page } = await openAs(browser, 'ana', '/ventas');
  await expect(async () => {
    await page.getByTestId('new-sale').click();
    await page.getByTestId('customer-search').fill('Diana');
    await expect(page.locator('.pick-list button.pick', { hasText: 'Diana Herrera' })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await page.goBack();

  // The shop closes on the server while the phone still has it.
  expect((await request.delete(`/api/v1/customers/${diana.id}/`, auth(admin))).status()).toBe(204);
  try {
    await context.setOffline(true);
    await makeSale(page, { customer: 'Rosa Martínez', product: 'Tostadas', quantity: '2' });
    await makeSale(page, { customer: 'Diana Herrera', product: 'Tostadas', quantity: '2' });
    await makeSale(page, { customer: 'Luis Gómez', product: 'Tostadas', quantity: '2' });
    await context.setOffline(false);

    const refused = rows(page, 'error');
    await expect(refused).toHaveCount(1, { timeout: 20_000 });
    await expect(refused.getByTestId('sale-error')).toHaveText(`Customer con id=${diana.id} no existe`);
    await expect(rows(page, 'synced')).toHaveCount(2);
    await expect(page.getByTestId('unsynced')).toHaveAttribute('data-count', '1');
    await page.screenshot({ path: path.join(shots, 'ventas-error-phone.png') });
    // Kept on the server too, in error, for retry (nothing is lost).
    const pending = await (await request.get('/api/v1/sales/sync/pending/?seller=ID1', auth(admin))).json();
    expect(pending.results.some((s: any) => s.sync_status === 'error' && s.error === `Customer con id=${diana.id} no existe`)).toBe(true);
    expect((await sellerSales(request, admin, 'ID1')).count).toBe(before + 3);
  } finally {
    await request.put(`/api/v1/customers/${diana.id}/`, { ...auth(admin), data: { name: diana.name, business_name: diana.business_name, phone: diana.phone, address: diana.address, route: diana.route, active: true } });
  }
  // The shop is back: retrying the same sale now succeeds.
  await rows(page, 'error').getByTestId('retry').click();
  await expect(rows(page, 'synced')).toHaveCount(3, { timeout: 20_000 });
  await expect(page.getByTestId('unsynced')).toHaveAttribute('data-count', '0');
  await context.close();
});

test('logging out with unsynced sales asks first and says how many', async ({ browser }) => {
  const { context, page } = await openAs(browser, 'carla', '/ventas');
  await catalogLoaded(page);
  await context.setOffline(true);
  await makeSale(page, { customer: 'Rosa Martínez', product: 'Roscón', quantity: '1' });
  await page.getByRole('link', { name: 'Volver al inicio' }).click();
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('logout-confirm')).toContainText('1 venta(s) sin sincronizar');
  await page.getByRole('button', { name: 'Cancelar' }).click();
  await expect(page.getByTestId('logout-confirm')).toHaveCount(0);
  await expect(page.getByTestId('greeting')).toBeVisible();
  await context.close();
});

test('a shop met on the route is added offline; it reaches the server before its sale, which points at it; sales ("crítico") go up before the shop', async ({ browser, request }) => {
  const admin = await apiToken(request, 'admin');
  const { context, page } = await openAs(browser, 'beto', '/ventas');
  await catalogLoaded(page);
  await context.setOffline(true);
  await page.getByTestId('new-sale').click();
  await expect(async () => {
    await page.getByTestId('new-customer').click();
    await expect(page.getByTestId('new-customer-form')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
  await page.getByLabel('Nombre').fill('Tienda El Sol Naciente');
  await page.getByLabel('Dirección').fill('Cl 100 # 15-20');
  await page.getByRole('button', { name: 'Agregar cliente' }).click();
  await expect(page.getByTestId('customer-chosen')).toContainText('Tienda El Sol Naciente');
  await pick(page, 'product-search', 'Pan blandito');
  await page.getByTestId('save-sale').click();
  await expect(page).toHaveURL(/\/ventas$/);
  // A sale to a shop the server knows: sales are critical by default.
  await makeSale(page, { customer: 'Rosa Martínez', product: 'Pan blandito', quantity: '1' });
  await expect(page.getByTestId('unsynced')).toHaveAttribute('data-count', '2');

  await context.setOffline(false);
  await expect(rows(page, 'synced')).toHaveCount(2, { timeout: 20_000 });
  const found = await (await request.get('/api/v1/customers/?q=Sol%20Naciente', auth(admin))).json();
  expect(found.results).toHaveLength(1);
  const shopId = found.results[0].id;
  const sales = await sellerSales(request, admin, 'ID2');
  const sale = sales.results.find((s) => s.customer_id === shopId);
  expect(sale).toBeTruthy();
  expect(sale.sync_status).toBe('synced');
  const known = sales.results.find((s) => s.customer_name === 'Rosa Martínez' && s.id !== sale.id);
  expect(known).toBeTruthy();

  // The order on the seller's log: the known shop's sale, the new shop,
  // then the sale that waited for it.
  const log = await (await request.get('/api/v1/sync/log/?seller=ID2&limit=200', auth(admin))).json();
  const rowId = (pred: (r: any) => boolean) => log.results.find(pred)?.id as number;
  const knownSale = rowId((r) => r.action === 'create_sale' && r.sale_id === known.id && r.success);
  const shop = rowId((r) => r.action === 'catalog_create' && r.detail?.id === shopId);
  const waited = rowId((r) => r.action === 'create_sale' && r.sale_id === sale.id && r.success);
  expect(knownSale).toBeLessThan(shop);
  expect(shop).toBeLessThan(waited);
  await context.close();
});

test('with no tab open, the service worker uploads the outbox on a Background Sync event', async ({ browser, request, baseURL }) => {
  const admin = await apiToken(request, 'admin');
  const before = (await sellerSales(request, admin, 'ID3')).count;
  const { context, page } = await openAs(browser, 'carla', '/ventas');
  await controlledByServiceWorker(page);
  await catalogLoaded(page);
  await context.setOffline(true);
  await makeSale(page, { customer: 'Marta Díaz', product: 'Mogolla', quantity: '2' });
  await makeSale(page, { customer: 'Pedro Castro', product: 'Mogolla', quantity: '3' });
  await expect(page.getByTestId('unsynced')).toHaveAttribute('data-count', '2');

  // Close the app's tab: only the service worker is left to upload.
  const holder = await context.newPage();
  const cdp = await context.newCDPSession(holder);
  const registration = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e: any) => {
      const r = e.registrations.find((x: any) => x.scopeURL.startsWith(baseURL!) && !x.isDeleted);
      if (r) resolve(r.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const registrationId = await registration;
  await page.close();
  expect((await sellerSales(request, admin, 'ID3')).count).toBe(before);
  // No page is left: from here only the service worker can upload. Chromium
  // may fire the registered sync by itself as the network returns; the
  // event dispatched below is what it does, and a second one finds nothing
  // left to send.
  await context.setOffline(false);
  await cdp.send('ServiceWorker.dispatchSyncEvent', { origin: baseURL!, registrationId, tag: 'ruta-outbox', lastChance: false });
  await expect.poll(async () => (await sellerSales(request, admin, 'ID3')).count, { timeout: 15_000 }).toBe(before + 2);

  // The worker settled the same IndexedDB records the page shows.
  const again = await context.newPage();
  await again.goto('/ventas');
  await expect(rows(again, 'synced')).toHaveCount(2, { timeout: 10_000 });
  await expect(again.getByTestId('sale-number')).toHaveCount(2);
  await context.close();
});

test('with the default 50/hour rate, the phone spends its budget only on uploads: idle runs and "Sincronizar ahora" cost none of it', async ({ browser, request }) => {
  const admin = await apiToken(request, 'admin');
  expect((await request.put('/api/v1/sync/rate/', { ...auth(admin), data: { rate: '50/hour' } })).status()).toBe(200);
  try {
    const { context, page } = await openAs(browser, 'carla', '/ventas');
    const budgeted: string[] = [];
    const refused: string[] = [];
    let catalogPulls = 0;
    // On the context: the service worker's requests are reported there too.
    context.on('request', (r) => {
      const { pathname } = new URL(r.url());
      if (pathname.startsWith('/api/v1/sales/sync/') || (pathname === '/api/v1/sales/' && r.method() === 'POST')) budgeted.push(pathname);
      if (pathname === '/api/v1/catalog/changes/') catalogPulls += 1;
    });
    context.on('response', (r) => { if (r.status() === 429) refused.push(r.url()); });
    await catalogLoaded(page);
    await context.setOffline(true);
    await makeSale(page, { customer: 'Rosa Martínez', product: 'Arepa de maíz', quantity: '1' });
    await makeSale(page, { customer: 'Luis Gómez', product: 'Pan tajado', quantity: '1' });
    await context.setOffline(false);
    await expect(rows(page, 'synced')).toHaveCount(2, { timeout: 20_000 });
    // One upload (two when the service worker's Background Sync went too).
    expect(budgeted.length).toBeGreaterThanOrEqual(1);
    expect(budgeted.length).toBeLessThanOrEqual(2);
    const afterUpload = budgeted.length;
    for (let i = 0; i < 5; i++) {
      const pulls = catalogPulls;
      await page.getByTestId('sync-now').click();
      // The run is over once it has pulled the catalog.
      await expect.poll(() => catalogPulls, { timeout: 10_000 }).toBeGreaterThan(pulls);
      await expect(page.getByTestId('sync-now')).toBeEnabled();
    }
    expect(budgeted.length).toBe(afterUpload);
    expect(refused).toEqual([]);
    await context.close();
  } finally {
    await request.put('/api/v1/sync/rate/', { ...auth(admin), data: { rate: 'off' } });
  }
});

test('a sale waiting longer than RUTA_UNSYNCED_WARN_AFTER raises the stale warning on the open page; synced, it goes', async ({ browser, request }) => {
  // The page is told 2 s instead of the default 4 h (as the server does with
  // RUTA_UNSYNCED_WARN_AFTER=2s); no service worker, so the route sees the
  // page's own request.
  const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.route('**/ventas', async (route) => {
    const response = await route.fetch();
    const html = await response.text();
    expect(html).toContain('name="ruta-unsynced-warn-after" content="14400"');
    await route.fulfill({ response, body: html.replace('name="ruta-unsynced-warn-after" content="14400"', 'name="ruta-unsynced-warn-after" content="2"') });
  });
  await submitLogin(page, 'carla', PASSWORD);
  await page.goto('/ventas');
  await catalogLoaded(page);
  await context.setOffline(true);
  await makeSale(page, { customer: 'Rosa Martínez', product: 'Arepa de maíz', quantity: '1' });
  const first = Date.now();
  await expect(page.getByTestId('unsynced')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('stale-warning')).toHaveCount(0);
  await expect.poll(() => Date.now() - first).toBeGreaterThan(2_500);
  // Any change of the outbox looks again (so does every run of the engine).
  await makeSale(page, { customer: 'Luis Gómez', product: 'Pan tajado', quantity: '1' });
  await expect(page.getByTestId('stale-warning')).toContainText('más de');
  await page.screenshot({ path: path.join(shots, 'ventas-aviso-sin-sincronizar-phone.png') });
  await context.setOffline(false);
  await expect(rows(page, 'synced')).toHaveCount(2, { timeout: 20_000 });
  await expect(page.getByTestId('stale-warning')).toHaveCount(0);
  await context.close();
});
