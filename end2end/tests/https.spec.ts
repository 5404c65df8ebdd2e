import { test, expect, chromium, Browser, Page } from '@playwright/test';
import { spawn, execFileSync, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { PHONE, PASSWORD } from './helpers';

// The PWA over real HTTPS, on a name that is not localhost (Chromium treats
// http://localhost as secure already, so it would prove nothing): `ruta
// serve` with a certificate for ruta.test signed by a throwaway CA, which
// this test's Chromium trusts through its own NSS database ($HOME/.pki/nssdb
// of a temporary HOME), and ruta.test resolved to 127.0.0.1. No
// --ignore-certificate-errors: with it Chromium refuses service workers.

const root = path.resolve(__dirname, '..', '..');
const HOST = 'ruta.test';
const HTTPS_PORT = 3543;
const REDIRECT_PORT = 3580;
const ORIGIN = `https://${HOST}:${HTTPS_PORT}`;

let dir = '';
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let serverLog = '';

function run(cmd: string, args: string[]) {
  execFileSync(cmd, args, { cwd: dir, stdio: 'pipe' });
}

function makeCertificates() {
  run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem',
    '-days', '2', '-subj', '/CN=Ruta e2e test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr',
    '-subj', `/CN=${HOST}`]);
  fs.writeFileSync(path.join(dir, 'server.ext'),
    `subjectAltName=DNS:${HOST}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
  run('openssl', ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext']);
  const nssdb = path.join(dir, 'home', '.pki', 'nssdb');
  fs.mkdirSync(nssdb, { recursive: true });
  run('certutil', ['-d', `sql:${nssdb}`, '-N', '--empty-password']);
  run('certutil', ['-d', `sql:${nssdb}`, '-A', '-t', 'C,,', '-n', 'ruta-e2e-ca', '-i', path.join(dir, 'ca.pem')]);
}

/** GET /health over HTTPS, trusting only the test CA. */
function healthy(ca: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get({ host: '127.0.0.1', port: HTTPS_PORT, path: '/health', servername: HOST, ca, timeout: 1_000 },
      (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
  });
}

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruta-https-e2e-'));
  makeCertificates();
  const bin = process.env.RUTA_E2E_BIN ?? path.join(root, 'target', 'release', 'ruta');
  server = spawn(bin, ['serve', '--demo'], {
    cwd: root,
    env: {
      ...process.env,
      RUTA_DATABASE_URL: `sqlite://${path.join(dir, 'ruta.db')}`,
      RUTA_ADDR: `127.0.0.1:${HTTPS_PORT}`,
      RUTA_TLS_CERT: path.join(dir, 'server.pem'),
      RUTA_TLS_KEY: path.join(dir, 'server.key'),
      RUTA_HTTP_REDIRECT_ADDR: `127.0.0.1:${REDIRECT_PORT}`,
      RUTA_SYNC_RATE: 'off',
      LEPTOS_SITE_ROOT: process.env.RUTA_E2E_SITE ?? path.join(root, 'target', 'site'),
      RUTA_LOG: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (d) => { serverLog += d; });
  server.stderr?.on('data', (d) => { serverLog += d; });
  const ca = fs.readFileSync(path.join(dir, 'ca.pem'));
  await expect.poll(() => healthy(ca), { timeout: 30_000, message: `ruta serve over HTTPS: ${serverLog}` }).toBe(true);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
    ],
    env: { ...process.env, HOME: path.join(dir, 'home') },
  });
});

test.afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function controlledByServiceWorker(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 10_000 }).toBe(true);
}

test('over HTTPS on a real name: http redirects, the cookie is Secure, HSTS is sent, the service worker installs, the app reloads offline, and the CSP lets every page script run', async ({}, testInfo) => {
  const context = await browser!.newContext({ ...PHONE, baseURL: ORIGIN });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  // A violation is reported even for a script the page never needed.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });

  // Plain HTTP is answered with a redirect to the same path on HTTPS.
  await page.goto(`http://${HOST}:${REDIRECT_PORT}/login`);
  expect(page.url()).toBe(`${ORIGIN}/login`);
  expect(await page.evaluate(() => window.isSecureContext)).toBe(true);

  await expect(async () => {
    await page.getByLabel('Usuario').fill('ana');
    await page.getByLabel('Contraseña').fill(PASSWORD);
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await expect(page.getByTestId('greeting')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  const session = (await context.cookies()).find((c) => c.name === 'ruta_session');
  expect(session).toMatchObject({ secure: true, httpOnly: true });

  const answer = await page.goto('/ventas');
  expect(answer?.headers()['strict-transport-security']).toBe('max-age=31536000');
  expect(answer?.headers()['content-security-policy']).toMatch(/script-src/);
  await controlledByServiceWorker(page);
  await expect(page.getByTestId('catalog-count')).not.toHaveAttribute('data-products', '0', { timeout: 15_000 });
  expect(consoleErrors).toEqual([]);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('new-sale')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('online-state')).toHaveClass(/offline/);
  await page.screenshot({ path: testInfo.outputPath('https-offline-phone.png') });
  await expect(page.getByTestId('catalog-count')).not.toHaveAttribute('data-products', '0');
  // Offline, failed fetches may be logged; a CSP refusal never may.
  expect(consoleErrors.filter((e) => /Content Security Policy|CSP violation/i.test(e))).toEqual([]);
  await context.close();
});
