import { test, expect, APIRequestContext, Page } from '@playwright/test';
import { openAs, apiToken, auth, shots, DESKTOP, PASSWORD } from './helpers';
import * as path from 'path';

// The office's sales (/admin/ventas), device names on the dashboard and
// the business details, at 1280×800 (and the list at 390×844). Each step
// is checked against the server through the API too.

const DESK = { ...DESKTOP, viewport: { width: 1280, height: 800 } };
const PHONE_OFFICE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, name), fullPage: false });

async function first(request: APIRequestContext, token: string, kind: string, q: string) {
  const list = await (await request.get(`/api/v1/${kind}/?q=${encodeURIComponent(q)}`, auth(token))).json();
  return list.results[0];
}

function sale(customerId: number, productId: number, payment: string, notes: string, deviceId?: string) {
  return {
    local_id: crypto.randomUUID(), ...(deviceId ? { device_id: deviceId } : {}), customer_id: customerId, status: 'confirmed', payment_method: payment,
    created_at: new Date().toISOString(), version: 1, notes,
    items: [{ product_id: productId, quantity: '2', unit_price: '4500', discount_type: 'none', discount_value: '0', tax_percentage: '0' }],
  };
}

/** A token for `user` signed in from the device `deviceId`. */
async function deviceToken(request: APIRequestContext, user: string, deviceId: string) {
  const res = await request.post('/api/v1/auth/token/', { data: { username: user, password: PASSWORD, device_id: deviceId } });
  expect(res.status()).toBe(200);
  return (await res.json()).token as string;
}

async function upload(request: APIRequestContext, token: string, sales: any[]) {
  const res = await request.post('/api/v1/sales/sync/upload/', { ...auth(token), data: { sales } });
  const results = (await res.json()).results as any[];
  for (const r of results) expect(r.status).toBe('success');
  return results.map((r) => r.sale_id as number);
}

test('Ventas: name a device on Resumen, filter the sales, open one, void it with a reason, export the CSV', async ({ browser, request }) => {
  const tag = crypto.randomUUID().slice(0, 6).toUpperCase();
  const device = `TAB-${tag}`;
  const deviceName = `Tablet camión ${tag}`;
  const admin = await apiToken(request, 'admin');
  const customer = await first(request, admin, 'customers', 'Rosa');
  const product = await first(request, admin, 'products', 'Arepa de maíz');
  const ana = await deviceToken(request, 'ana', device);
  const anaSales = await upload(request, ana, [
    sale(customer.id, product.id, 'cash', `e2e ${tag} efectivo`, device),
    sale(customer.id, product.id, 'transfer', `e2e ${tag} transferencia`, device),
  ]);
  await upload(request, await apiToken(request, 'beto'), [sale(customer.id, product.id, 'card', `e2e ${tag} beto`)]);

  // Resumen: the device shows by its short id until it is named.
  const { context, page } = await openAs(browser, 'admin', '/admin', DESK);
  const deviceRow = page.locator(`[data-testid=device-row][data-device="${device}"]`);
  await expect(deviceRow).toBeVisible({ timeout: 15_000 });
  await expect(deviceRow.getByTestId('device-name')).toContainText(device);
  await deviceRow.getByTestId('device-rename').click();
  await deviceRow.getByTestId('device-name-input').fill(deviceName);
  await deviceRow.getByTestId('device-name-save').click();
  await expect(deviceRow.getByTestId('device-name')).toContainText(deviceName, { timeout: 10_000 });
  const named = await (await request.get(`/api/v1/devices/${device}/`, auth(admin))).json();
  expect(named.name).toBe(deviceName);

  // Ventas: filtered by seller, device and day; then by payment method.
  await page.getByTestId('nav-admin-ventas').click();
  await expect(page).toHaveURL(/\/admin\/ventas$/);
  await expect(page.getByTestId('sale-row').first()).toBeVisible({ timeout: 15_000 });
  const today = new Date().toISOString().slice(0, 10);
  await page.getByTestId('sales-seller').selectOption('ID1');
  await page.getByTestId('sales-device').fill(device);
  await page.getByTestId('sales-from').fill(today);
  await page.getByTestId('sales-to').fill(today);
  await page.getByTestId('sales-apply').click();
  const rows = page.getByTestId('sale-row');
  await expect(rows).toHaveCount(2, { timeout: 10_000 });
  const shown = await rows.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-sale'))));
  expect(shown.sort()).toEqual([...anaSales].sort());
  await expect(rows.first().getByTestId('sale-device')).toHaveText(deviceName);
  await page.getByTestId('sales-payment').selectOption('transfer');
  await page.getByTestId('sales-apply').click();
  await expect(rows).toHaveCount(1, { timeout: 10_000 });
  await expect(rows.first()).toHaveAttribute('data-sale', String(anaSales[1]));
  await page.getByTestId('sales-payment').selectOption('');
  await page.getByTestId('sales-apply').click();
  await expect(rows).toHaveCount(2, { timeout: 10_000 });

  // The CSV has the same filter.
  const download = page.waitForEvent('download');
  await page.getByTestId('sales-csv').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('ruta-ventas.csv');
  const csv = await (await import('fs')).promises.readFile((await file.path())!, 'utf8');
  const lines = csv.trim().split('\n');
  expect(lines[0]).toContain('sync_status');
  expect(lines.length).toBe(3);
  expect(lines.slice(1).every((l) => l.includes(device))).toBe(true);

  // Without filters, for the screenshot: every seller's sales.
  await page.getByTestId('sales-seller').selectOption('');
  await page.getByTestId('sales-device').fill('');
  await page.getByTestId('sales-apply').click();
  await expect(page.locator(`[data-testid=sale-row][data-sale="${anaSales[0]}"]`)).toBeVisible({ timeout: 10_000 });
  await shot(page, 'ventas-desktop.png');

  // The detail: versions and log rows; void with a reason.
  const target = page.locator(`[data-testid=sale-row][data-sale="${anaSales[0]}"]`);
  await target.click();
  await expect(page).toHaveURL(new RegExp(`/admin/ventas\\?sale=${anaSales[0]}$`));
  const detail = page.getByTestId('sale-detail');
  await expect(detail).toBeVisible();
  await expect(detail.locator('[data-testid=history-log-row][data-action=create_sale]')).toHaveCount(1, { timeout: 10_000 });
  await expect(detail.getByTestId('no-versions')).toBeVisible();
  await detail.getByTestId('void-open').click();
  await detail.getByTestId('void-confirm').click();
  await expect(detail.getByTestId('void-error')).toBeVisible();
  await detail.getByTestId('void-reason').fill('Cliente devolvió el pedido');
  await detail.getByTestId('void-confirm').click();
  await expect(detail.getByTestId('detail-voided')).toHaveText('ANULADA', { timeout: 10_000 });
  await expect(detail.getByTestId('detail-void-reason')).toContainText('Cliente devolvió el pedido');
  await expect(detail.locator('[data-testid=history-log-row][data-action=void_sale]')).toHaveCount(1);
  await expect(detail.locator('[data-testid=version-row][data-version="1"]')).toBeVisible();
  await expect(detail.getByTestId('void-open')).toHaveCount(0);
  await expect(target).toHaveAttribute('data-status', 'cancelled');
  await expect(target.getByTestId('sale-voided')).toHaveText('ANULADA');
  await shot(page, 'ventas-detalle-desktop.png');
  const stored = await (await request.get(`/api/v1/sales/${anaSales[0]}/`, auth(admin))).json();
  expect(stored.status).toBe('cancelled');
  expect(stored.version).toBe(2);

  await detail.getByTestId('detail-close').click();
  await expect(detail).toHaveCount(0);
  await expect(page).toHaveURL(/\/admin\/ventas$/);
  await context.close();

  // The list on a phone.
  const phone = await openAs(browser, 'admin', '/admin/ventas', PHONE_OFFICE);
  await expect(phone.page.getByTestId('sale-row').first()).toBeVisible({ timeout: 15_000 });
  await shot(phone.page, 'ventas-oficina-phone.png');
  await phone.context.close();
});

test('Configuración: Datos del negocio are checked, saved and read back', async ({ browser, request }) => {
  const admin = await apiToken(request, 'admin');
  const { context, page } = await openAs(browser, 'admin', '/admin/configuracion', DESK);
  const form = page.getByTestId('business-form');
  await expect(form).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('strategy-customer')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('business-name').fill('Panadería La Espiga');
  await page.getByTestId('business-tax_id').fill('   ');
  await page.getByTestId('business-save').click();
  await expect(page.getByTestId('business-error')).toContainText('NIT');
  await expect(page.getByTestId('business-tax_id')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('business-tax_id').fill('900123456-7');
  await page.getByTestId('business-address').fill('Calle 10 # 4-21, Tunja');
  await page.getByTestId('business-phone').fill('+57 300 555 0101');
  await page.getByTestId('business-receipt_footer').fill('¡Gracias por su compra!');
  await page.getByTestId('business-save').click();
  await expect(page.getByTestId('business-saved')).toBeVisible({ timeout: 10_000 });
  const saved = await (await request.get('/api/v1/business/', auth(admin))).json();
  expect(saved).toEqual({
    name: 'Panadería La Espiga', tax_id: '900123456-7', address: 'Calle 10 # 4-21, Tunja',
    phone: '+57 300 555 0101', receipt_footer: '¡Gracias por su compra!',
  });
  // Read back on a fresh load.
  await page.reload();
  await expect(page.getByTestId('business-tax_id')).toHaveValue('900123456-7', { timeout: 15_000 });
  await context.close();
});
