import { test, expect, APIRequestContext, Page } from '@playwright/test';
import { openAs, apiToken, auth, shots, DESKTOP, PASSWORD, submitLogin } from './helpers';
import * as path from 'path';

// The admin dashboard at desktop size. Each test checks the server's state
// through the API, not only the page.

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, name), fullPage: true });

function newId() {
  return crypto.randomUUID();
}

async function customerNamed(request: APIRequestContext, token: string, q: string) {
  const list = await (await request.get(`/api/v1/customers/?q=${encodeURIComponent(q)}`, auth(token))).json();
  return list.results[0];
}

async function productNamed(request: APIRequestContext, token: string, q: string) {
  const list = await (await request.get(`/api/v1/products/?q=${encodeURIComponent(q)}`, auth(token))).json();
  return list.results[0];
}

function sale(localId: string, customerId: number, productId: number, notes = '') {
  return {
    local_id: localId, customer_id: customerId, status: 'draft', payment_method: 'cash',
    created_at: new Date().toISOString(), version: 1, notes,
    items: [{ product_id: productId, quantity: '3', unit_price: '4500', discount_type: 'none', discount_value: '0', tax_percentage: '0' }],
  };
}

async function upload(request: APIRequestContext, token: string, sales: any[]) {
  const res = await request.post('/api/v1/sales/sync/upload/', { ...auth(token), data: { sales } });
  return (await res.json()).results as any[];
}

test('only admins: anonymous → login, a seller gets a clear 403 page', async ({ browser }) => {
  const anonymous = await browser.newContext(DESKTOP);
  const page = await anonymous.newPage();
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/login$/, { timeout: 15_000 });
  await anonymous.close();

  const { context, page: seller } = await openAs(browser, 'ana', '/admin/registro', DESKTOP);
  await expect(seller.getByTestId('forbidden')).toBeVisible({ timeout: 15_000 });
  await expect(seller.locator('.admin-nav')).toHaveCount(0);
  await context.close();
});

test('overview: live counts and legible charts; a new sale shows without reload', async ({ browser, request }) => {
  const admin = await apiToken(request, 'admin');
  const ana = await apiToken(request, 'ana');
  const customer = await customerNamed(request, admin, 'Rosa');
  const product = await productNamed(request, admin, 'Arepa de maíz');
  // Something to draw: two sales and one refused upload today.
  await upload(request, ana, [sale(newId(), customer.id, product.id), sale(newId(), customer.id, product.id), sale(newId(), 999999, product.id)]);

  const { context, page } = await openAs(browser, 'admin', '/admin', DESKTOP);
  await expect(page.locator('.admin-nav a[aria-current=page]')).toHaveText('Resumen');
  const salesKpi = page.getByTestId('kpi-sales').locator('.kpi-value');
  await expect(salesKpi).not.toHaveText('…', { timeout: 15_000 });
  await expect(page.locator('.badge.live')).toBeVisible({ timeout: 15_000 });
  const before = Number(await salesKpi.textContent());
  expect(before).toBeGreaterThanOrEqual(2);
  for (const chart of ['chart-hourly', 'chart-devices', 'chart-latency', 'chart-errors']) {
    await expect(page.getByTestId(chart)).toBeVisible();
  }
  await expect(page.getByTestId('chart-hourly').locator('g[data-value]')).toHaveCount(24);
  await expect(page.getByTestId('chart-errors').locator('g[data-value]')).toHaveCount(14);
  const hourly = await page.getByTestId('chart-hourly').locator('g[data-value]').evaluateAll((gs) => gs.reduce((n, g) => n + Number(g.getAttribute('data-value')), 0));
  expect(hourly).toBe(before);
  await shot(page, 'admin-resumen-desktop.png');

  // A sale synced elsewhere appears on the open page.
  await upload(request, ana, [sale(newId(), customer.id, product.id)]);
  await expect(salesKpi).toHaveText(String(before + 1), { timeout: 10_000 });
  const overview = await (await request.get('/api/v1/admin/overview/', auth(admin))).json();
  expect(overview.sales_today.count).toBe(before + 1);
  await context.close();
});

test('a seller\'s conflicting edit appears on the open Conflictos page without reload; merged there, the seller\'s page shows it synced', async ({ browser, request }) => {
  const admin = await apiToken(request, 'admin');
  const office = await openAs(browser, 'admin', '/admin/conflictos', DESKTOP);
  await expect(office.page.getByTestId('conflict-count')).toBeVisible({ timeout: 15_000 });
  await expect(office.page.locator('.badge.live')).toBeVisible({ timeout: 15_000 });
  const countBefore = await office.page.getByTestId('conflict-row').count();

  // The seller's phone: a draft, synced.
  const { context, page } = await openAs(browser, 'beto', '/ventas');
  await expect(page.getByTestId('catalog-count')).not.toHaveAttribute('data-products', '0', { timeout: 15_000 });
  await page.getByTestId('new-sale').click();
  await expect(async () => {
    await page.getByTestId('customer-search').fill('Hernán');
    await page.locator('.pick-list button.pick', { hasText: 'Hernán' }).first().click({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(async () => {
    await page.getByTestId('product-search').fill('Pan integral');
    await page.locator('.pick-list button.pick', { hasText: 'Pan integral' }).first().click({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await page.getByTestId('line-quantity').fill('5');
  await page.getByTestId('draft').check();
  await page.getByTestId('save-sale').click();
  await expect(page).toHaveURL(/\/ventas$/);
  const synced = page.locator('[data-testid=sale-row][data-state=synced]').first();
  await expect(synced).toBeVisible({ timeout: 20_000 });
  const localId = (await synced.getAttribute('data-local-id'))!;
  const list = await (await request.get('/api/v1/sales/?seller=ID2&limit=200', auth(admin))).json();
  const stored = list.results.find((s: any) => s.local_id === localId);

  // Meanwhile the office changes the notes on the server.
  const detail = await (await request.get(`/api/v1/sales/${stored.id}/`, auth(admin))).json();
  const serverEdit = {
    local_id: localId, customer_id: detail.customer_id, status: 'draft', payment_method: detail.payment_method,
    created_at: detail.created_at, version: 1, notes: 'Editada en la oficina',
    items: detail.items.map((i: any) => ({ product_id: i.product_id, quantity: i.quantity, unit_price: i.unit_price, discount_type: i.discount_type, discount_value: i.discount_value, tax_percentage: i.tax_percentage })),
  };
  expect((await upload(request, admin, [serverEdit]))[0]).toMatchObject({ status: 'success', version: 2 });

  // The phone edits its stale copy offline; back online it meets the change.
  await context.setOffline(true);
  await page.locator(`[data-local-id="${localId}"]`).getByTestId('edit').click();
  await expect(page.getByTestId('sale-line')).toHaveCount(1);
  await page.getByTestId('line-quantity').fill('9');
  await page.getByTestId('save-sale').click();
  await expect(page).toHaveURL(/\/ventas$/);
  await context.setOffline(false);
  await expect(page.locator(`[data-local-id="${localId}"][data-state=conflict]`)).toBeVisible({ timeout: 20_000 });

  // On the open Conflictos page, without reload.
  const row = office.page.locator(`[data-testid=conflict-row][data-sale="${stored.id}"]`);
  await expect(row).toBeVisible({ timeout: 10_000 });
  await expect(office.page.getByTestId('conflict-row')).toHaveCount(countBefore + 1);
  await row.getByRole('link').click();
  await expect(office.page.getByTestId('conflict-detail')).toBeVisible();
  await expect(office.page.locator('[data-field=items]')).toHaveAttribute('data-differs', 'true', { timeout: 10_000 });
  await expect(office.page.locator('[data-field=notes]')).toHaveAttribute('data-differs', 'true');
  await expect(office.page.locator('[data-field=customer_id]')).toHaveAttribute('data-differs', 'false');
  await shot(office.page, 'admin-conflictos-desktop.png');
  await office.page.getByTestId('resolve-merge').click();
  await expect(row).toHaveCount(0, { timeout: 10_000 });

  // One consistent sale: the seller's quantity, the office's notes.
  const after = await (await request.get(`/api/v1/sales/${stored.id}/`, auth(admin))).json();
  expect(after.sync_status).toBe('synced');
  expect(after.items[0].quantity).toBe('9.000');
  expect(after.notes).toBe('Editada en la oficina');
  const status = await (await request.get(`/api/v1/sales/sync/status/${stored.id}/`, auth(admin))).json();
  expect(status.conflict_resolution).toBe('merge');

  // The phone learns it on its next sync.
  await page.getByTestId('sync-now').click();
  await expect(page.locator(`[data-local-id="${localId}"][data-state=synced]`)).toBeVisible({ timeout: 20_000 });
  await office.context.close();
  await context.close();
});

test('an error sale is retried from Errores after its customer is fixed in Catálogo', async ({ browser, request }) => {
  const admin = await apiToken(request, 'admin');
  const ana = await apiToken(request, 'ana');
  const customer = await customerNamed(request, admin, 'Luis');
  const product = await productNamed(request, admin, 'Tostadas');
  expect((await request.delete(`/api/v1/customers/${customer.id}/`, auth(admin))).status()).toBe(204);
  const [refused] = await upload(request, ana, [sale(newId(), customer.id, product.id)]);
  expect(refused.status).toBe('error');

  const { context, page } = await openAs(browser, 'admin', '/admin/errores', DESKTOP);
  const row = page.locator(`[data-testid=error-row][data-sale="${refused.sale_id}"]`);
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.getByTestId('error-message')).toHaveText(`Customer con id=${customer.id} no existe`);
  await page.getByTestId('filter-seller').fill('ID2');
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await expect(row).toHaveCount(0);
  await page.getByTestId('filter-seller').fill('ID1');
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await expect(row).toBeVisible();
  await shot(page, 'admin-errores-desktop.png');

  // Reactivated in the catalog page.
  await page.getByTestId('nav-admin-catalogo').click();
  await page.getByTestId('catalog-search').fill(customer.name);
  await page.getByRole('button', { name: 'Filtrar' }).click();
  const customerRow = page.locator(`[data-testid=catalog-row][data-name="${customer.name}"]`);
  await expect(customerRow).toHaveClass(/inactive/, { timeout: 10_000 });
  await customerRow.getByTestId('edit').click();
  await page.getByTestId('catalog-editor').getByRole('checkbox').check();
  await page.getByTestId('ed-save').click();
  await expect(customerRow).not.toHaveClass(/inactive/, { timeout: 10_000 });

  await page.getByTestId('nav-admin-errores').click();
  await expect(row).toBeVisible({ timeout: 15_000 });
  await row.getByTestId('error-pick').check();
  await page.getByTestId('retry-selected').click();
  await expect(row).toHaveCount(0, { timeout: 15_000 });
  await expect.poll(async () => (await (await request.get(`/api/v1/sales/sync/status/${refused.sale_id}/`, auth(admin))).json()).sync_status, { timeout: 15_000 }).toBe('synced');
  await context.close();
});

test('office times are shown in the business zone the page is given (RUTA_TIMEZONE)', async ({ browser }) => {
  // The e2e server runs in UTC: the page is told Bogotá, as the server does
  // with RUTA_TIMEZONE=America/Bogota (server/tests/api/page_settings.rs).
  // No service worker, so the route sees the page's own request.
  const context = await browser.newContext({ ...DESKTOP, serviceWorkers: 'block' });
  const page = await context.newPage();
  await submitLogin(page, 'admin', PASSWORD);
  await expect(page.getByTestId('greeting')).toBeVisible();
  await page.route('**/admin/registro', async (route) => {
    const response = await route.fetch();
    const html = await response.text();
    expect(html).toContain('name="ruta-timezone" content="UTC"');
    await route.fulfill({ response, body: html.replace('name="ruta-timezone" content="UTC"', 'name="ruta-timezone" content="America/Bogota"') });
  });
  await page.goto('/admin/registro');
  const cell = page.getByTestId('log-time').first();
  await expect(cell).toBeVisible({ timeout: 15_000 });
  const at = (await cell.getAttribute('data-at'))!;
  const bogota = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'America/Bogota', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).format(new Date(at));
  await expect(cell).toHaveText(bogota);
  // Five hours behind the UTC text.
  expect(bogota).not.toBe(at.replace('T', ' ').slice(0, 19));
  await context.close();
});

test('Registro: filter by action, page, export CSV and verify the hash chain', async ({ browser, request }) => {
  const { context, page } = await openAs(browser, 'admin', '/admin/registro', DESKTOP);
  await expect(page.getByTestId('log-row').first()).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('filter-action').selectOption('login');
  await page.getByTestId('filter-apply').click();
  await expect(page.getByTestId('log-row').first()).toHaveAttribute('data-action', 'login');
  const actions = await page.getByTestId('log-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
  expect(new Set(actions)).toEqual(new Set(['login']));
  expect(actions.length).toBeGreaterThan(0);

  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('ruta-registro.csv');
  const csv = await (await import('fs')).promises.readFile((await file.path())!, 'utf8');
  const lines = csv.trim().split('\n');
  expect(lines[0]).toContain('action');
  expect(lines.slice(1).every((l) => l.includes(',login,'))).toBe(true);

  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-ok', 'true', { timeout: 15_000 });
  await shot(page, 'admin-registro-desktop.png');
  await context.close();
});

test('a device token revoked in Usuarios is refused on its next sync', async ({ browser, request }) => {
  const device = `TEST-${newId().slice(0, 8)}`;
  const login = await request.post('/api/v1/auth/token/', { data: { username: 'beto', password: PASSWORD, device_id: device } });
  const token = (await login.json()).token;
  expect((await request.get('/api/v1/sales/sync/pending/', auth(token))).status()).toBe(200);

  const { context, page } = await openAs(browser, 'admin', '/admin/usuarios', DESKTOP);
  const user = page.locator('[data-testid=user-row][data-username=beto]');
  await expect(user).toBeVisible({ timeout: 15_000 });
  await user.getByTestId('user-devices').click();
  const tokenRow = page.locator(`[data-testid=token-row][data-device="${device}"]`);
  await expect(tokenRow).toBeVisible();
  await shot(page, 'admin-usuarios-desktop.png');
  await tokenRow.getByTestId('revoke').click();
  await expect(tokenRow).toHaveClass(/revoked/, { timeout: 10_000 });
  const res = await request.post('/api/v1/sales/sync/upload/', { ...auth(token), data: { sales: [] } });
  expect(res.status()).toBe(401);
  await context.close();
});

test('CSV import of products: good rows imported, the bad one reported with its line', async ({ browser, request }) => {
  const admin = await apiToken(request, 'admin');
  const tag = newId().slice(0, 6).toUpperCase();
  const csv = [
    'sku,name,unit_price,tax_percentage',
    `IMP-${tag}-1,Galletas de avena x12,5200,5`,
    `IMP-${tag}-2,Pan de yuca x6,abc,5`,
    `IMP-${tag}-3,Mantecada familiar,8900,19`,
  ].join('\n');
  const { context, page } = await openAs(browser, 'admin', '/admin/catalogo', DESKTOP);
  await page.getByTestId('tab-products').click();
  await expect(page.getByTestId('catalog-row').first()).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('import-file').setInputFiles({ name: 'productos.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const summary = page.getByTestId('import-summary');
  await expect(summary).toHaveAttribute('data-imported', '2', { timeout: 15_000 });
  await expect(summary).toHaveAttribute('data-rejected', '1');
  await expect(page.getByTestId('import-rejected')).toHaveAttribute('data-row', '3');
  await expect(page.getByTestId('import-rejected')).toContainText('unit_price');
  await shot(page, 'admin-catalogo-desktop.png');
  const found = await (await request.get(`/api/v1/products/?q=IMP-${tag}`, auth(admin))).json();
  expect(found.results.map((p: any) => p.sku).sort()).toEqual([`IMP-${tag}-1`, `IMP-${tag}-3`]);
  await context.close();
});

test('Configuración saves the strategy and the rate; Webhooks registers a URL and shows its deliveries', async ({ browser, request }) => {
  const admin = await apiToken(request, 'admin');
  const { context, page } = await openAs(browser, 'admin', '/admin/configuracion', DESKTOP);
  await expect(page.getByTestId('strategy-customer')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('strategy-customer').selectOption('server_wins');
  await page.getByTestId('sync-rate').fill('5000/hour');
  await page.getByTestId('save-settings').click();
  await expect(page.getByTestId('saved')).toBeVisible();
  await shot(page, 'admin-configuracion-desktop.png');
  const config = await (await request.get('/api/v1/sync/config/', auth(admin))).json();
  expect(config.customer.strategy).toBe('server_wins');
  expect((await (await request.get('/api/v1/sync/rate/', auth(admin))).json()).rate).toBe('5000/hour');
  await request.put('/api/v1/sync/rate/', { ...auth(admin), data: { rate: 'off' } });

  await page.getByTestId('nav-admin-webhooks').click();
  // Nothing listens there: the test delivery fails and is retried.
  await page.getByTestId('wh-url').fill('http://127.0.0.1:9/ruta-hook');
  await page.getByTestId('event-sale_error').uncheck();
  await page.getByTestId('wh-submit').click();
  await expect(page.getByTestId('webhook-secret')).toBeVisible({ timeout: 10_000 });
  const hook = page.locator('[data-testid=webhook][data-url="http://127.0.0.1:9/ruta-hook"]');
  await expect(hook).toBeVisible();
  await hook.getByTestId('hook-test').click();
  await expect(hook.getByTestId('delivery-row').first()).toBeVisible({ timeout: 10_000 });
  await shot(page, 'admin-webhooks-desktop.png');
  const hooks = await (await request.get('/api/v1/webhooks/', auth(admin))).json();
  const saved = hooks.results.find((h: any) => h.url === 'http://127.0.0.1:9/ruta-hook');
  expect(saved.events.sort()).toEqual(['conflict_detected', 'sale_synced']);
  await context.close();
});
