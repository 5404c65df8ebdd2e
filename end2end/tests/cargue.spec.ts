import { test, expect, APIRequestContext, Page } from '@playwright/test';
import * as path from 'path';
import { apiToken, auth, openAs, shots, DESKTOP, PHONE } from './helpers';

// Each test works on its own seller's sheet, so the order of tests and
// what an earlier one ticked do not matter.

type Line = { product_id: number; product: string; quantity: string; v: boolean; d: boolean; version: number };
type Sheet = { seller_code: string; date: string; closed: boolean; seq: number; lines: Line[] };

async function sheetOf(request: APIRequestContext, token: string, seller: string): Promise<Sheet> {
  const res = await request.get(`/api/v1/cargue/${seller}/`, auth(token));
  expect(res.status()).toBe(200);
  return res.json();
}

/** Plans today's sheet for `seller` with the first `count` products; returns it. */
async function planSheet(request: APIRequestContext, seller: string, count = 4): Promise<Sheet> {
  const token = await apiToken(request, 'despacho');
  const products = await (await request.get(`/api/v1/products/?limit=${count}`, auth(token))).json();
  const today = (await sheetOf(request, token, seller)).date;
  const lines = products.results.map((p: any, i: number) => ({ product_id: p.id, quantity: String(10 * (i + 1)) }));
  const res = await request.put(`/api/v1/cargue/${seller}/?date=${today}`, { ...auth(token), data: { lines } });
  expect(res.status()).toBe(200);
  return sheetOf(request, token, seller);
}

async function waitLive(page: Page) {
  await expect(page.getByTestId('connection')).toHaveClass(/live/, { timeout: 15_000 });
}

test('a V ticked on the phone shows on the dispatcher screen within a second', async ({ browser, request }) => {
  const sheet = await planSheet(request, 'ID1');
  const product = sheet.lines[1].product_id;

  const dispatcher = await openAs(browser, 'despacho', '/cargue', DESKTOP);
  await waitLive(dispatcher.page);
  await expect(dispatcher.page.getByTestId('tab-ID1')).toHaveAttribute('aria-selected', 'true');
  await expect(dispatcher.page.getByTestId(`v-${product}`)).not.toBeChecked();
  await expect(dispatcher.page.getByTestId('day')).not.toBeEmpty();

  const seller = await openAs(browser, 'ana', '/mi-cargue');
  await waitLive(seller.page);
  await seller.page.getByTestId(`v-${product}`).click();
  // No reload: the WebSocket brings it, and it must be quick.
  await expect(dispatcher.page.getByTestId(`v-${product}`)).toBeChecked({ timeout: 1_000 });
  await expect(dispatcher.page.locator(`tr[data-product="${product}"]`)).toHaveClass(/flash/);

  const token = await apiToken(request, 'despacho');
  const line = (await sheetOf(request, token, 'ID1')).lines.find((l) => l.product_id === product)!;
  expect(line.v).toBe(true);
  expect(line.version).toBeGreaterThan(sheet.lines[1].version);

  await seller.page.screenshot({ path: path.join(shots, 'mi-cargue-phone.png') });
  await dispatcher.page.screenshot({ path: path.join(shots, 'cargue-desktop.png') });
  await dispatcher.context.close();
  await seller.context.close();
});

test('a V ticked offline is sent when the phone reconnects, and the dispatcher sees it', async ({ browser, request }) => {
  const sheet = await planSheet(request, 'ID2');
  const product = sheet.lines[0].product_id;
  const token = await apiToken(request, 'despacho');

  const dispatcher = await openAs(browser, 'despacho', '/cargue', DESKTOP);
  await dispatcher.page.getByTestId('tab-ID2').click();
  await waitLive(dispatcher.page);

  const seller = await openAs(browser, 'beto', '/mi-cargue');
  await waitLive(seller.page);
  await seller.context.setOffline(true);
  await expect(seller.page.getByTestId('connection')).toHaveClass(/offline/);
  await seller.page.getByTestId(`v-${product}`).click();
  // Kept on the phone, shown as not sent, and not on the server yet.
  await expect(seller.page.getByTestId('unsent')).toHaveText('1 marca sin enviar');
  await expect(seller.page.getByTestId(`v-${product}`)).toBeChecked();
  await seller.page.screenshot({ path: path.join(shots, 'mi-cargue-offline-phone.png') });
  expect((await sheetOf(request, token, 'ID2')).lines[0].v).toBe(false);
  await expect(dispatcher.page.getByTestId(`v-${product}`)).not.toBeChecked();

  // The outbox survives a reload while offline... (served from the page cache is
  // the PWA issue's job; here the tick must still be queued in localStorage)
  const queued = await seller.page.evaluate(() => localStorage.getItem('ruta.cargue.outbox'));
  expect(queued).toContain(String(product));

  await seller.context.setOffline(false);
  await expect(dispatcher.page.getByTestId(`v-${product}`)).toBeChecked({ timeout: 10_000 });
  await expect(seller.page.getByTestId('unsent')).toBeHidden();
  await expect(seller.page.getByTestId('connection')).toHaveClass(/live/);
  await expect.poll(async () => (await sheetOf(request, token, 'ID2')).lines[0].v).toBe(true);
  await dispatcher.context.close();
  await seller.context.close();
});

test('the dispatcher ticks D and the seller sees it live; closing the shift locks the sheet', async ({ browser, request }) => {
  const sheet = await planSheet(request, 'ID3');
  const product = sheet.lines[2].product_id;

  const seller = await openAs(browser, 'carla', '/mi-cargue');
  await waitLive(seller.page);
  await expect(seller.page.getByTestId(`d-${product}`)).toHaveAttribute('data-checked', 'false');

  const dispatcher = await openAs(browser, 'despacho', '/cargue', { ...PHONE, viewport: { width: 820, height: 1180 } });
  await dispatcher.page.getByTestId('tab-ID3').click();
  await waitLive(dispatcher.page);
  await dispatcher.page.getByTestId(`d-${product}`).check();
  await expect(seller.page.getByTestId(`d-${product}`)).toHaveAttribute('data-checked', 'true', { timeout: 2_000 });
  await dispatcher.page.screenshot({ path: path.join(shots, 'cargue-tablet.png') });

  await dispatcher.page.getByTestId('close-shift').click();
  await dispatcher.page.getByTestId('close-confirm').click();
  await expect(dispatcher.page.getByTestId('closed')).toBeVisible();
  await expect(seller.page.getByTestId('closed')).toBeVisible({ timeout: 2_000 });
  await expect(seller.page.getByTestId(`v-${product}`)).toBeDisabled();

  // The server refuses ticks on the closed sheet.
  const token = await apiToken(request, 'carla');
  const refused = await request.post('/api/v1/cargue/ID3/check/', {
    ...auth(token), data: { date: sheet.date, product_id: product, v: true },
  });
  expect(refused.status()).toBe(409);
  await dispatcher.context.close();
  await seller.context.close();
});

test('the dispatcher plans lines with the form; a seller cannot open the dispatcher page', async ({ browser, request }) => {
  const dispatcher = await openAs(browser, 'despacho', '/cargue', { ...PHONE });
  await waitLive(dispatcher.page);
  await dispatcher.page.getByTestId('plan').click();
  const form = dispatcher.page.getByTestId('plan-form');
  await expect(form).toBeVisible();
  const rows = form.locator('.plan-row');
  const before = await rows.count();
  await form.getByRole('button', { name: 'Agregar línea' }).click();
  await expect(rows).toHaveCount(before + 1);
  // In Spanish "12.5" could be twelve and a half or a mistyped 12.500:
  // refused with how to write it, nothing saved.
  await rows.last().getByLabel('Cantidad').fill('12.5');
  await form.getByRole('button', { name: 'Guardar plan' }).click();
  await expect(form.getByTestId('plan-error')).toContainText('«12.5» se puede leer de dos formas');
  await rows.last().getByLabel('Cantidad').fill('12,5');
  await dispatcher.page.screenshot({ path: path.join(shots, 'cargue-plan-phone.png'), fullPage: true });
  await form.getByRole('button', { name: 'Guardar plan' }).click();
  await expect(form).toBeHidden();

  const token = await apiToken(request, 'despacho');
  const sheet = await sheetOf(request, token, 'ID1');
  expect(sheet.lines.length).toBe(before + 1);
  expect(sheet.lines.map((l) => l.quantity)).toContain('12.500');
  await expect(dispatcher.page.getByTestId('lines').locator('tbody tr')).toHaveCount(before + 1);
  await dispatcher.page.screenshot({ path: path.join(shots, 'cargue-phone.png'), fullPage: true });
  await dispatcher.context.close();

  const seller = await openAs(browser, 'ana', '/cargue');
  await expect(seller.page.getByTestId('forbidden')).toBeVisible({ timeout: 10_000 });
  await seller.context.close();
});
