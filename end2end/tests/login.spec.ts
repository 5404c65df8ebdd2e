import { test, expect } from '@playwright/test';
import * as path from 'path';
import { shots, submitLogin } from './helpers';


test('the login page renders in Spanish and can switch to English', async ({ page }) => {
  await page.goto('/login');
  await expect(page).toHaveTitle('Ruta');
  await expect(page.getByRole('heading', { name: 'Iniciar sesión' })).toBeVisible();
  await expect(page.getByLabel('Usuario')).toBeVisible();
  await expect(page.getByLabel('Contraseña')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'login-phone.png') });
  // The switch only works once hydrated: retry the click until the text changes.
  await expect(async () => {
    await page.getByTestId('lang-switch').click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByLabel('Username')).toBeVisible();
  // The choice is remembered on the device, and told to the server, which
  // renders the next page in it (<html lang> follows).
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const served = await (await page.context().request.get('/login')).text();
  expect(served).toContain('<html lang="en"');
  expect(served).toContain('Sign in');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('a wrong password shows the error', async ({ page }) => {
  await submitLogin(page, 'ana', 'equivocada');
  await expect(page.getByRole('alert')).toHaveText('Usuario o contraseña incorrectos');
  await expect(page).toHaveURL(/\/login$/);
});

test('a seller logs in, and the stored token works on the API', async ({ page, request }) => {
  await submitLogin(page, 'ana', 'ruta2026');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('greeting')).toHaveText('Hola, ana');
  await expect(page.getByTestId('role')).toHaveText('Vendedor');
  await page.screenshot({ path: path.join(shots, 'home-phone.png') });

  const session = await page.evaluate(() => JSON.parse(localStorage.getItem('ruta.session') || 'null'));
  const device = await page.evaluate(() => localStorage.getItem('ruta.device_id'));
  expect(device).toMatch(/^[0-9a-f-]{36}$/);
  expect(session.user.seller_code).toBe('ID1');
  const me = await request.get('/api/v1/auth/me/', { headers: { Authorization: `Token ${session.token}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).username).toBe('ana');

  // The device id was recorded with the login in the sync log.
  const admin = await (await request.post('/api/v1/auth/token/', { data: { username: 'admin', password: 'ruta2026' } })).json();
  const log = await (await request.get('/api/v1/sync/log/?action=login&seller=ID1', { headers: { Authorization: `Token ${admin.token}` } })).json();
  expect(log.results.some((r: any) => r.device_id === device)).toBeTruthy();

  // Logging out revokes the token on the server.
  await page.getByRole('button', { name: 'Cerrar sesión' }).click();
  await expect(page).toHaveURL(/\/login$/);
  const after = await request.get('/api/v1/auth/me/', { headers: { Authorization: `Token ${session.token}` } });
  expect(after.status()).toBe(401);
});

test('desktop screenshot of the login page', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Iniciar sesión' })).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'login-desktop.png') });
  await context.close();
});
