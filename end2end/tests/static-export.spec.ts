import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';

// `firebreak export --format static` read from file://, as on a laptop when
// Firebreak is down. The registry is made with `firebreak import` in a data
// dir of its own, so this needs no server; both projects run it (with and
// without JavaScript).
const firebreak = process.env.FIREBREAK_BIN ?? '../target/release/firebreak';

const GANNET = `---
uuid: e2e-static-gannet
title: "Checkout <b>gannet</b> queue stalled"
company: Acme
product: checkout
categories: [config-change]
start_time: 2026-01-02T03:04:05Z
end_time: 2026-01-02T04:00:00Z
summary: The consumer stopped reading after a config push.
---
Restarting the pelican worker drained the backlog.
`;

const PAYMENTS = `---
uuid: e2e-static-payments
title: Payments slow for EU cards
company: Acme
product: payments
start_time: 2026-02-03T10:00:00Z
end_time: 2026-02-03T10:45:00Z
---
The card network answered slowly.
`;

let root = '';
let site = '';

test.beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'firebreak-static-'));
  const files = join(root, 'in');
  mkdirSync(files);
  writeFileSync(join(files, 'gannet.md'), GANNET);
  writeFileSync(join(files, 'payments.md'), PAYMENTS);
  const data = ['--data-dir', join(root, 'data')];
  execFileSync(firebreak, ['import', files, ...data]);
  site = join(root, 'site');
  execFileSync(firebreak, ['export', '--format', 'static', ...data, site]);
});

test.afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test('the static export lists, searches and opens incidents from file://', async ({ page }, info) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`file://${site}/index.html`);
  const rows = page.locator('#all tbody tr');
  await expect(rows).toHaveCount(2);
  // Newest first; the title's markup is shown as text.
  await expect(rows.first()).toContainText('Payments slow for EU cards');
  await expect(rows.nth(1)).toContainText('Checkout <b>gannet</b> queue stalled');
  await expect(page.locator('footer')).toContainText('from 2 incidents');

  if (info.project.name === 'hydrated') {
    await expect(page.getByText('Search needs JavaScript')).toBeHidden();
    await page.locator('h1').click();
    await page.keyboard.press('/');
    await expect(page.locator('#q')).toBeFocused();
    // As you type: a word from the postmortem body, by its beginning;
    // stop words ("the") are left out, as in the index.
    await page.keyboard.type('the pelic');
    await expect(page.locator('#result-count')).toHaveText('1 incident matches.');
    await expect(page.locator('#result-rows tr')).toContainText('gannet');
    await expect(page.locator('#all')).toBeHidden();
    // Services are matched whole, as in the app.
    await page.locator('#q').fill('service:acme-payments');
    await expect(page.locator('#result-rows tr')).toContainText('Payments slow');
    await expect(page.locator('#result-rows tr')).toHaveCount(1);
    await page.locator('#q').fill('acme status:resolved');
    await expect(page.locator('#result-count')).toHaveText('2 incidents match.');
    await page.locator('#q').fill('severity:sev1 gannet');
    await expect(page.locator('#result-count')).toHaveText('No incidents match.');
    await page.locator('#q').fill('');
    await expect(page.locator('#all')).toBeVisible();
  } else {
    await expect(page.locator('#search')).toBeHidden();
    await expect(page.getByText('Search needs JavaScript')).toBeVisible();
  }

  await rows.nth(1).getByRole('link', { name: /gannet/ }).click();
  await expect(page).toHaveURL(/incidents\/INC-\d+\.html$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Checkout <b>gannet</b> queue stalled');
  await expect(page.getByText('Restarting the pelican worker drained the backlog.').first()).toBeVisible();
  await expect(page.locator('.stamps')).toContainText('+55m 55s');
  await page.getByRole('link', { name: '← All incidents' }).click();
  await expect(page).toHaveURL(/index\.html$/);
  expect(errors).toEqual([]);
});

test('the static export has no serious or critical axe violations, in both themes', async ({ page }, info) => {
  test.skip(info.project.name !== 'hydrated', 'axe needs JavaScript in the page');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto(`file://${site}/index.html#q=gannet`);
    await expect(page.locator('#result-rows tr')).toHaveCount(1);
    const pages = [`file://${site}/index.html#q=gannet`, await page.locator('#result-rows a').first().evaluate((a) => (a as HTMLAnchorElement).href)];
    for (const url of pages) {
      await page.goto(url);
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${colorScheme} ${url}: ${v.id} ${v.nodes.map((n) => n.target).join(' | ')}`)).toEqual([]);
    }
  }
});
