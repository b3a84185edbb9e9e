import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { ready } from './helpers';
import { STATE_DIR } from './accounts';

// Admin → Integrations and Admin → Webhooks, and the public API reference.
// Each runs hydrated and without JavaScript against the same server.
test.describe('integrations and webhooks', () => {
  test.use({ storageState: `${STATE_DIR}/admin.json` });

  test('an Alertmanager integration shows its token once, and an alert opens an incident', async ({ page, request }, info) => {
    const name = `Prometheus ${info.project.name} ${Date.now()}`;
    await page.goto('/admin/integrations');
    await ready(page, info);
    await page.getByLabel('Kind').selectOption('alertmanager');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Add integration' }).click();
    const token = ((await page.locator('#webhook-token').textContent()) ?? '').trim();
    expect(token).toMatch(/^fbw_/);
    await expect(page.getByRole('cell', { name })).toBeVisible();
    // Shown once: a fresh visit no longer has it.
    await page.goto('/admin/integrations');
    await ready(page, info);
    await expect(page.getByRole('cell', { name })).toBeVisible();
    await expect(page.locator('#webhook-token')).toHaveCount(0);

    const summary = `Disk almost full on db-${info.project.name}-${Date.now()}`;
    const alert = {
      version: '4',
      groupKey: `{}:{alertname="DiskFull",run="${summary}"}`,
      status: 'firing',
      receiver: 'firebreak',
      groupLabels: { alertname: 'DiskFull' },
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://alertmanager.example',
      alerts: [{
        status: 'firing',
        labels: { alertname: 'DiskFull', severity: 'critical', service: 'db' },
        annotations: { summary },
        startsAt: new Date().toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example/graph',
        fingerprint: `fp-${Date.now()}-${info.project.name}`,
      }],
    };
    const sent = await request.post('/api/v1/webhooks/alertmanager', { data: alert, headers: { authorization: `Bearer ${token}` } });
    expect(sent.status()).toBe(200);
    const outcome = await sent.json();
    expect(outcome.outcome).toBe('created');
    const again = await request.post('/api/v1/webhooks/alertmanager', { data: alert, headers: { authorization: `Bearer ${token}` } });
    expect((await again.json()).outcome).toBe('duplicate');

    await page.goto(`/incidents/${outcome.incident}`);
    await ready(page, info);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(summary);
    await expect(page.getByText(/Alert firing/).first()).toBeVisible();
  });

  test('a webhook endpoint is added, shows its secret, and logs a test delivery', async ({ page }, info) => {
    const description = `Chat relay ${info.project.name} ${Date.now()}`;
    await page.goto('/admin/webhooks');
    await ready(page, info);
    // Nothing listens on port 9: the delivery is attempted and logged.
    await page.getByLabel('URL (http or https)').fill('http://127.0.0.1:9/firebreak');
    await page.getByLabel('Description').fill(description);
    await page.getByLabel(/Incident declared/).check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(page).toHaveURL(/\/admin\/webhooks\/\d+$/);
    await ready(page, info);
    await page.getByText('Show the secret').click();
    await expect(page.locator('code.secret')).toContainText(/\S{20,}/);
    await page.getByRole('button', { name: 'Send a test event' }).click();
    // The log lists the ping (pending, or already retried after a refused connection).
    await expect(async () => {
      await page.reload();
      await expect(page.locator('.delivery-log')).toContainText('ping', { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
  });

  test('the admin pages and the API reference have no serious or critical axe violations', async ({ page, context }, info) => {
    test.skip(info.project.name !== 'hydrated', 'axe needs JavaScript in the page');
    test.setTimeout(60_000);
    for (const theme of ['light', 'dark']) {
      await context.addCookies([{ name: 'firebreak_theme', value: theme, url: info.project.use.baseURL as string }]);
      for (const path of ['/admin/integrations', '/admin/webhooks', '/api/docs']) {
        await page.goto(path);
        if (path.startsWith('/admin')) await ready(page, info);
        const results = await new AxeBuilder({ page }).analyze();
        const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(bad.map((v) => `${theme} ${path}: ${v.id} ${v.nodes.map((n) => n.target).join(' | ')}`)).toEqual([]);
      }
    }
  });
});

test('the API reference and the OpenAPI document are public', async ({ browser }, info) => {
  const context = await browser.newContext({
    baseURL: info.project.use.baseURL,
    storageState: { cookies: [], origins: [] },
    javaScriptEnabled: info.project.name === 'hydrated',
  });
  const page = await context.newPage();
  await page.goto('/api/docs');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByText('/api/v1/search').first()).toBeVisible();
  const json = await page.request.get('/api/openapi.json');
  expect(json.status()).toBe(200);
  expect((await json.json()).openapi).toMatch(/^3\./);
  await context.close();
});
