import { test, expect, Page, APIRequestContext } from '@playwright/test';
import * as path from 'path';
import { openAs, apiToken, auth, shots, DESKTOP } from './helpers';

// The seller's end of day on the phone (/mi-dia, /recibo): offline from
// the phone's own data, checked against the server through the API.

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

interface SaleInput { customer: string; product: string; quantity: string; payment: string; returned?: string }

/** Makes a sale through the form; returns the total the form showed. */
async function makeSale(page: Page, sale: SaleInput): Promise<string> {
  await page.getByTestId('new-sale').click();
  await expect(page.getByTestId('sale-form')).toBeVisible();
  await pick(page, 'customer-search', sale.customer);
  await pick(page, 'product-search', sale.product);
  const line = page.getByTestId('sale-line').last();
  await line.getByTestId('line-quantity').fill(sale.quantity);
  await expect(line.getByTestId('line-total')).not.toHaveText('—');
  if (sale.returned) {
    await page.locator('details.returns summary').click();
    await pick(page, 'return-search', sale.returned);
  }
  await page.getByTestId('payment').selectOption(sale.payment);
  const total = (await page.getByTestId('sale-total').textContent()) ?? '';
  await page.getByTestId('save-sale').click();
  await expect(page).toHaveURL(/\/ventas$/);
  return total;
}

async function productId(request: APIRequestContext, token: string, name: string): Promise<number> {
  const page = await (await request.get('/api/v1/products/?limit=200', auth(token))).json();
  const found = page.results.find((p: any) => p.name.startsWith(name));
  expect(found, name).toBeTruthy();
  return found.id;
}

test('Mi día and the receipt offline: totals, share as PNG, print, and a void that reaches the server', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const admin = await apiToken(request, 'admin');
  // The business on the receipt (admin's "Datos del negocio").
  const business = await request.put('/api/v1/business/', {
    ...auth(admin),
    data: { name: 'Panadería La Espiga', tax_id: '900123456-7', address: 'Cra 7 # 12-30, Bogotá', phone: '601 555 0100', receipt_footer: '¡Gracias por su compra!' },
  });
  expect(business.status()).toBe(200);

  // Today's truck for ana (ID1): 40 arepas, 20 panes.
  const despacho = await apiToken(request, 'despacho');
  const arepa = await productId(request, despacho, 'Arepa de maíz');
  const pan = await productId(request, despacho, 'Pan tajado');
  const today = (await (await request.get('/api/v1/cargue/ID1/', auth(despacho))).json()).date;
  const planned = await request.put(`/api/v1/cargue/ID1/?date=${today}`, {
    ...auth(despacho), data: { lines: [{ product_id: arepa, quantity: '40' }, { product_id: pan, quantity: '20' }] },
  });
  expect(planned.status()).toBe(200);

  const { context, page } = await openAs(browser, 'ana', '/mi-dia');
  // The share sheet and the print dialog, as the page calls them.
  await context.addInitScript(() => {
    const w = window as any;
    w.__shared = [];
    w.__printed = 0;
    Object.defineProperty(navigator, 'canShare', { configurable: true, value: (d: any) => !!(d && d.files && d.files.length) });
    Object.defineProperty(navigator, 'share', {
      configurable: true,
      value: async (d: any) => { for (const f of d.files) w.__shared.push({ name: f.name, type: f.type, size: f.size }); },
    });
    w.print = () => { w.__printed += 1; };
  });
  await expect(page.getByTestId('day-count')).toHaveText('0');
  await controlledByServiceWorker(page);
  await page.goto('/ventas');
  await expect(page.getByTestId('catalog-count')).not.toHaveAttribute('data-products', '0', { timeout: 15_000 });

  await context.setOffline(true);
  await expect(page.getByTestId('online-state')).toHaveClass(/offline/);
  const cash = await makeSale(page, { customer: 'Rosa Martínez', product: 'Arepa de maíz', quantity: '3', payment: 'cash', returned: 'Pan tajado' });
  const transfer = await makeSale(page, { customer: 'Luis Gómez', product: 'Pan tajado', quantity: '2', payment: 'transfer' });

  // Mi día, offline: a full page load from the service worker's cache.
  await page.goto('/mi-dia');
  await expect(page.getByTestId('day-count')).toHaveText('2', { timeout: 15_000 });
  await expect(page.getByTestId('day-unsynced')).toHaveText('2');
  await expect(page.getByTestId('pay-cash')).toHaveText(cash);
  await expect(page.getByTestId('pay-transfer')).toHaveText(transfer);
  await expect(page.getByTestId('day-voided')).toHaveText('0');
  await expect(page.getByTestId(`left-${arepa}`)).toHaveText('37');
  await expect(page.getByTestId(`left-${pan}`)).toHaveText('18');
  await expect(page.locator(`tr[data-goods-product="${pan}"] td`).nth(3)).toHaveText('1');
  await page.screenshot({ path: path.join(shots, 'mi-dia-phone.png') });

  // The cash sale's receipt, still offline and not synced.
  await page.locator('[data-testid=day-sale]', { hasText: 'Rosa Martínez' }).getByTestId('receipt-link').click();
  await expect(page).toHaveURL(/\/recibo\?sale=/);
  const receipt = page.getByTestId('receipt');
  await expect(receipt).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('receipt-business')).toHaveText('Panadería La Espiga');
  await expect(receipt).toContainText('NIT 900123456-7');
  await expect(page.getByTestId('receipt-number')).toHaveText('pendiente');
  await expect(page.getByTestId('receipt-customer')).toHaveText('Rosa Martínez');
  await expect(page.getByTestId('receipt-total')).toHaveText(cash);
  await expect(page.getByTestId('receipt-payment')).toHaveText('Efectivo');

  await page.getByTestId('share').click();
  await expect.poll(() => page.evaluate(() => (window as any).__shared.length)).toBe(1);
  const shared = await page.evaluate(() => (window as any).__shared[0]);
  expect(shared.type).toBe('image/png');
  expect(shared.size).toBeGreaterThan(0);
  expect(shared.name).toMatch(/^recibo-.*\.png$/);
  await page.screenshot({ path: path.join(shots, 'recibo-phone.png'), fullPage: true });

  await page.getByTestId('paper').selectOption('58');
  await page.getByTestId('print').click();
  await expect.poll(() => page.evaluate(() => (window as any).__printed)).toBe(1);
  await expect.poll(() => page.evaluate(() => document.getElementById('receipt-page-size')?.textContent ?? '')).toContain('size: 58mm');
  await page.getByTestId('paper').selectOption('80');
  await page.getByTestId('print').click();
  await expect.poll(() => page.evaluate(() => document.getElementById('receipt-page-size')?.textContent ?? '')).toContain('size: 80mm');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('share')).toBeHidden();
  await page.screenshot({ path: path.join(shots, 'recibo-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // Online: both sales reach the server; the receipt gets its number.
  await context.setOffline(false);
  await expect(page.getByTestId('unsynced')).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  await expect(page.getByTestId('receipt-number')).toHaveText(/^VTA-\d{4}-\d{5}$/);
  const number = await page.getByTestId('receipt-number').textContent();
  const list = await (await request.get('/api/v1/sales/?seller=ID1&limit=200', auth(admin))).json();
  const stored = list.results.find((s: any) => s.number === number);
  expect(stored.status).toBe('confirmed');

  // The void, made offline, waits on the phone…
  await context.setOffline(true);
  await expect(page.getByTestId('online-state')).toHaveClass(/offline/);
  await page.getByTestId('void').click();
  await page.getByTestId('void-confirm').click();
  await expect(page.getByTestId('void-error')).toBeVisible();
  await page.getByTestId('void-reason').fill('El cliente devolvió el pedido');
  await page.getByTestId('void-confirm').click();
  await expect(page.getByTestId('receipt-stamp')).toHaveText('ANULADA');
  await expect(page.getByTestId('unsynced')).toHaveAttribute('data-count', '1');
  expect((await (await request.get(`/api/v1/sales/${stored.id}/`, auth(admin))).json()).status).toBe('confirmed');
  const phoneViewport = page.viewportSize()!;
  await page.setViewportSize(DESKTOP.viewport);
  await page.screenshot({ path: path.join(shots, 'recibo-desktop.png'), fullPage: true });
  await page.setViewportSize(phoneViewport);

  // …and reaches the server once there is signal.
  await context.setOffline(false);
  await expect.poll(async () => {
    const sale = await (await request.get(`/api/v1/sales/${stored.id}/`, auth(admin))).json();
    return sale.status;
  }, { timeout: 30_000 }).toBe('cancelled');
  await expect(page.getByTestId('unsynced')).toHaveAttribute('data-count', '0', { timeout: 20_000 });

  // Mi día counts it apart; at desktop width too.
  await page.getByTestId('to-my-day').click();
  await expect(page.getByTestId('day-voided')).toHaveText('1', { timeout: 15_000 });
  await expect(page.getByTestId('day-count')).toHaveText('1');
  await expect(page.getByTestId('pay-cash')).toHaveText('$0,00');
  await expect(page.getByTestId('day-voided-sales').getByTestId('day-sale')).toHaveCount(1);
  await page.setViewportSize(DESKTOP.viewport);
  await page.screenshot({ path: path.join(shots, 'mi-dia-desktop.png'), fullPage: true });
  await context.close();
});
