import { defineConfig, devices } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

// A fresh SQLite database per run, with demo data, on its own port.
const root = path.resolve(__dirname, '..');
const runDir = path.join(root, 'target', 'e2e', `run-${process.pid}`);
fs.mkdirSync(runDir, { recursive: true });
export const PORT = 3100;
export const BASE = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: BASE,
    trace: 'off',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'phone', use: { ...devices['Pixel 7'], viewport: { width: 390, height: 844 }, browserName: 'chromium' } },
  ],
  webServer: {
    // RUTA_E2E_BIN: a debug build while iterating (`target/debug/ruta` after `ruta-build dev`).
    command: `${process.env.RUTA_E2E_BIN ?? path.join(root, 'target', 'release', 'ruta')} serve --demo`,
    cwd: root,
    url: `${BASE}/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      RUTA_DATABASE_URL: `sqlite://${path.join(runDir, 'ruta.db')}`,
      RUTA_ADDR: `127.0.0.1:${PORT}`,
      RUTA_SYNC_RATE: 'off',
      LEPTOS_SITE_ROOT: process.env.RUTA_E2E_SITE ?? path.join(root, 'target', 'site'),
      RUTA_LOG: 'warn',
      // The admin suite registers a webhook on 127.0.0.1 (the egress
      // policy refuses loopback unless allowed).
      RUTA_WEBHOOK_ALLOW_PRIVATE: 'true',
    },
  },
});
