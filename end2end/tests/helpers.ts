import { expect, APIRequestContext, Browser, BrowserContext, Page } from '@playwright/test';
import * as path from 'path';

export const shots = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');
export const PASSWORD = 'ruta2026';

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false };

/** Logs in through the page; retried until hydration has wired the form. */
export async function submitLogin(page: Page, user: string, password: string) {
  await page.goto('/login');
  await expect(async () => {
    await page.getByLabel('Usuario').fill(user);
    await page.getByLabel('Contraseña').fill(password);
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await expect(page.getByRole('alert').or(page.getByTestId('greeting'))).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

/** A new browser context (a device) logged in as `user`, on `url`. */
export async function openAs(browser: Browser, user: string, url: string, options = PHONE): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await submitLogin(page, user, PASSWORD);
  await expect(page.getByTestId('greeting')).toBeVisible();
  await page.goto(url);
  return { context, page };
}

/** An API token for `user` (a "web" token: no device id). */
export async function apiToken(request: APIRequestContext, user: string): Promise<string> {
  const res = await request.post('/api/v1/auth/token/', { data: { username: user, password: PASSWORD } });
  expect(res.status()).toBe(200);
  return (await res.json()).token;
}

export const auth = (token: string) => ({ headers: { Authorization: `Token ${token}` } });
