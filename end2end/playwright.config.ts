import { defineConfig } from '@playwright/test';
import { ACCOUNTS, STATE_DIR } from './tests/accounts';

// One release server on a fresh data dir, started by Playwright itself; it
// waits for the URL to answer, so tests never race the server.
const port = process.env.FIREBREAK_E2E_PORT ?? '3111';
const baseURL = `http://127.0.0.1:${port}`;
const firebreak = '../target/release/firebreak';
// Fresh data, then the two accounts, then the server.
const addUsers = Object.values(ACCOUNTS)
  .map((a) => `printf '%s\\n' '${a.password}' | ${firebreak} user add --email ${a.email} --role ${a.role} --password-stdin --data-dir .data`)
  .join(' && ');

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL,
    storageState: `${STATE_DIR}/responder.json`,
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium; never a downloaded browser.
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
  webServer: {
    command: `rm -rf .data && ${addUsers} && ${firebreak} serve --data-dir .data --addr 127.0.0.1:${port} --site-root ../target/site`,
    url: `${baseURL}/login`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
