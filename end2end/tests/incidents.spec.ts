import { expect, test } from './fixtures';
import { declare, ready, uniqueTitle } from './helpers';
import { patchAs, sessionHeader } from './accounts';

test('declare an incident, change its status, add a timeline entry, find it in the list', async ({ page }, info) => {
  const title = uniqueTitle(info, 'Checkout 502s');
  const id = await declare(page, info, title);

  await page.getByLabel('New status').selectOption('identified');
  await page.getByLabel('Note for the timeline').fill('Bad deploy of payments-client');
  await page.getByRole('button', { name: 'Update status' }).click();
  const facts = page.getByRole('region', { name: 'Key facts' });
  await expect(facts).toContainText('Identified');
  await expect(facts).toContainText('Acknowledged');
  await expect(page.locator('.timeline')).toContainText('Bad deploy of payments-client');

  await ready(page, info);
  await page.locator('#entry-body').fill('Rolled back to **v41**');
  await page.getByRole('button', { name: 'Add entry' }).click();
  await expect(page.locator('.timeline .entry-body strong', { hasText: 'v41' })).toBeVisible();

  await page.goto(`/incidents?q=${encodeURIComponent(title)}`);
  const row = page.getByRole('row', { name: new RegExp(id) });
  await expect(row).toContainText(title);
  await expect(row).toContainText('Identified');
  await row.getByRole('link', { name: title }).click();
  await expect(page).toHaveURL(new RegExp(`/incidents/${id}$`));
});

test('list filters narrow the table', async ({ page }, info) => {
  const title = uniqueTitle(info, 'Filter me');
  await declare(page, info, title);
  await page.goto('/incidents');
  await ready(page, info);
  await page.locator('#filter-severity').selectOption('SEV2');
  await page.locator('#filter-q').fill(title);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/severity=SEV2/);
  await expect(page.getByRole('status')).toHaveText('1 incident');
  await expect(page.locator('tbody tr')).toHaveCount(1);
});

test('a blank title is refused with the field named, and nothing is created', async ({ page }, info) => {
  await page.goto('/incidents/new');
  await ready(page, info);
  await page.getByLabel('What is happening?').fill('   ');
  await page.getByRole('button', { name: 'Declare incident' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Nothing was saved.');
  await expect(alert).toContainText('title');
  await expect(alert).toContainText('must not be empty');
});

test('a stale save shows both versions instead of overwriting', async ({ page, context, request }, info) => {
  const title = uniqueTitle(info, 'Contested');
  const id = await declare(page, info, title);
  const changed = await patchAs(request, context, `/api/v1/incidents/${id}`, { version: 1, title: `${title} (edited elsewhere)` });
  expect(changed).toBe(200);

  await page.getByLabel('New status').selectOption('monitoring');
  await page.getByRole('button', { name: 'Update status' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Someone else saved this');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('(edited elsewhere)');
  const stored = await (await request.get(`/api/v1/incidents/${id}`, { headers: await sessionHeader(context) })).json();
  expect(stored.status).toBe('investigating');
});
