import { test, expect, Page, APIRequestContext } from '@playwright/test';
import { openAs, apiToken, auth, shots, DESKTOP, PHONE } from './helpers';
import * as path from 'path';

// The day closed: a seller sells offline, comes back online; the
// dispatcher counts what came back with a cash shortage and settles; the
// admin sees the day in the report. Every figure the page shows is checked
// against the API.

type Line = { product_id: number; product: string; loaded: string; sold: string; expected_left: string; difference: string | null };
type Unsynced = { device_id: string; sales: number; reported_unsynced: number | null };
type Settlement = { unsynced: Unsynced[]; date: string; state: string; version: number; lines: Line[]; cash_expected: string; cash_difference: string | null; payments: { total: string }; sales_count: number };

async function settlementOf(request: APIRequestContext, token: string, seller: string, date?: string): Promise<Settlement> {
  const query = date ? `?date=${date}` : '';
  const res = await request.get(`/api/v1/cargue/${seller}/settlement/${query}`, auth(token));
  expect(res.status()).toBe(200);
  return res.json();
}

async function productId(request: APIRequestContext, token: string, name: string): Promise<number> {
  const res = await request.get(`/api/v1/products/?q=${encodeURIComponent(name)}&limit=5`, auth(token));
  const found = (await res.json()).results.find((p: any) => p.name === name);
  expect(found, name).toBeTruthy();
  return found.id;
}

async function pick(page: Page, searchTestId: string, name: string) {
  await expect(async () => {
    await page.getByTestId(searchTestId).fill(name);
    await page.locator('.pick-list button.pick', { hasText: name }).first().click({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

/** "1234.50" as the Spanish UI writes it in a field: "1234,50". */
const typedEs = (wire: string) => wire.replace('.', ',');

test('sold offline, synced, settled with a cash shortage, and seen in the admin report', async ({ browser, request }) => {
  const dispatcherToken = await apiToken(request, 'despacho');
  const pan = await productId(request, dispatcherToken, 'Pan perro x8');
  const day = (await settlementOf(request, dispatcherToken, 'ID1')).date;
  const planned = await request.put(`/api/v1/cargue/ID1/?date=${day}`, {
    ...auth(dispatcherToken), data: { lines: [{ product_id: pan, quantity: '40' }] },
  });
  expect(planned.status()).toBe(200);
  const before = await settlementOf(request, dispatcherToken, 'ID1', day);

  // The seller sells 4 offline; it goes up when the phone is back online.
  // No service worker: its Background Sync would upload past the blocked
  // route below.
  const seller = await openAs(browser, 'ana', '/ventas', { ...PHONE, serviceWorkers: 'block' });
  await expect(seller.page.getByTestId('catalog-count')).not.toHaveAttribute('data-products', '0', { timeout: 15_000 });
  await seller.context.setOffline(true);
  await seller.page.getByTestId('new-sale').click();
  await pick(seller.page, 'customer-search', 'Jorge Pérez');
  await pick(seller.page, 'product-search', 'Pan perro');
  await seller.page.getByTestId('sale-line').last().getByTestId('line-quantity').fill('4');
  await seller.page.getByTestId('save-sale').click();
  await expect(seller.page).toHaveURL(/\/ventas$/);
  await expect(seller.page.getByTestId('unsynced')).toHaveAttribute('data-count', '1');
  // Back online but the upload keeps failing: the phone's other requests
  // tell the server its outbox holds 1, and the settlement shows it.
  await seller.page.route('**/api/v1/sales/sync/upload/', (route) => route.abort('failed'));
  await seller.context.setOffline(false);
  // Only this phone: ana's other test devices may have reported theirs.
  const device = await seller.page.evaluate(() => localStorage.getItem('ruta.device_id'));
  expect(device).toBeTruthy();
  const reported = async () => (await settlementOf(request, dispatcherToken, 'ID1', day)).unsynced
    .filter((u) => u.device_id === device && u.reported_unsynced !== null).map((u) => u.reported_unsynced);
  await expect(async () => {
    await seller.page.getByTestId('sync-now').click();
    expect(await reported()).toEqual([1]);
  }).toPass({ timeout: 20_000 });
  await seller.page.unroute('**/api/v1/sales/sync/upload/');
  await seller.page.getByTestId('sync-now').click();
  await expect(seller.page.getByTestId('unsynced')).toHaveAttribute('data-count', '0', { timeout: 20_000 });
  await expect.poll(reported, { timeout: 10_000 }).toEqual([]);
  const live = await settlementOf(request, dispatcherToken, 'ID1', day);
  const line = live.lines.find((l) => l.product_id === pan)!;
  const soldBefore = Number(before.lines.find((l) => l.product_id === pan)?.sold ?? '0');
  expect(Number(line.sold)).toBe(soldBefore + 4);
  expect(live.sales_count).toBe(before.sales_count + 1);

  // The dispatcher's panel shows the same figures, live.
  const dispatcher = await openAs(browser, 'despacho', '/cargue', DESKTOP);
  await dispatcher.page.getByTestId('tab-ID1').click();
  const panel = dispatcher.page.getByTestId('settlement');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId(`expected-${pan}`)).toHaveText(new Intl.NumberFormat('es-CO').format(Number(line.expected_left)), { timeout: 10_000 });
  await expect(panel.getByTestId('sales-count')).toContainText(String(live.sales_count));

  // One Pan perro missing and $1.000 short in the cash.
  const left = Number(line.expected_left) - 1;
  for (const other of live.lines) {
    // A product sold but never loaded expects less than nothing: 0 came back.
    const count = other.product_id === pan ? String(left) : typedEs(Number(other.expected_left) > 0 ? other.expected_left : '0');
    await panel.getByTestId(`left-${other.product_id}`).fill(count);
  }
  const cash = (Number(live.cash_expected) - 1000).toFixed(2);
  await panel.getByTestId('cash-counted').fill(typedEs(cash));
  await expect(panel.getByTestId(`diff-${pan}`)).toContainText('-1');
  await expect(panel.getByTestId('cash-difference')).toContainText('1.000,00');
  await dispatcher.page.screenshot({ path: path.join(shots, 'liquidacion-desktop.png'), fullPage: true });
  await panel.getByTestId('settle').click();
  await expect(panel.getByTestId('settle-error')).toHaveCount(0);
  await expect(panel.getByTestId('settlement-state')).toHaveText('Liquidada');
  await expect(panel.getByTestId('settled-by')).toContainText('despacho');

  const settled = await settlementOf(request, dispatcherToken, 'ID1', day);
  expect(settled.state).toBe('settled');
  expect(settled.version).toBe(1);
  expect(Number(settled.cash_difference)).toBe(-1000);
  expect(Number(settled.lines.find((l) => l.product_id === pan)!.difference)).toBe(-1);
  const sheet = await (await request.get(`/api/v1/cargue/ID1/?date=${day}`, auth(dispatcherToken))).json();
  expect(sheet.closed).toBe(true);

  const dispatcherPhone = await openAs(browser, 'despacho', '/cargue', PHONE);
  await dispatcherPhone.page.getByTestId('tab-ID1').click();
  await expect(dispatcherPhone.page.getByTestId('settlement-state')).toHaveText('Liquidada');
  await dispatcherPhone.page.getByTestId('settlement').scrollIntoViewIfNeeded();
  await dispatcherPhone.page.screenshot({ path: path.join(shots, 'liquidacion-phone.png') });

  // The admin's report has the day of ID1 with the settlement's total.
  const adminToken = await apiToken(request, 'admin');
  const report = await (await request.get(`/api/v1/reports/daily/?from=${day}&to=${day}&seller=ID1`, auth(adminToken))).json();
  expect(Number(report.rows[0].total)).toBe(Number(settled.payments.total));
  const admin = await openAs(browser, 'admin', '/admin/reporte', DESKTOP);
  await admin.page.getByTestId('report-from').fill(day);
  await admin.page.getByTestId('report-to').fill(day);
  await admin.page.getByTestId('report-apply').click();
  const row = admin.page.getByTestId('report-row').filter({ hasText: 'ID1' });
  await expect(row).toBeVisible();
  const total = new Intl.NumberFormat('es-CO', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(settled.payments.total));
  await expect(row).toContainText(total);
  await admin.page.screenshot({ path: path.join(shots, 'reporte-desktop.png'), fullPage: true });
  const adminPhone = await openAs(browser, 'admin', '/admin/reporte', PHONE);
  await adminPhone.page.getByTestId('report-from').fill(day);
  await adminPhone.page.getByTestId('report-to').fill(day);
  await adminPhone.page.getByTestId('report-apply').click();
  await expect(adminPhone.page.getByTestId('report-row').first()).toBeVisible();
  await adminPhone.page.screenshot({ path: path.join(shots, 'reporte-phone.png') });

  for (const c of [seller, dispatcher, dispatcherPhone, admin, adminPhone]) await c.context.close();
});
