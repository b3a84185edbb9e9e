import { expect, test } from './fixtures';
import { declare, ready, uniqueTitle } from './helpers';

test('action items are added on the incident page, tracked on the board, and filtered', async ({ page }, info) => {
  const title = uniqueTitle(info, 'Actions board');
  const id = await declare(page, info, title);
  // Added inline on the incident page: a plain form, with or without JavaScript.
  const item = `Alert on pool saturation ${info.project.name} ${Date.now()}`;
  await page.goto(`/incidents/${id}`);
  await ready(page, info);
  const panel = page.locator('#actions-incident');
  await panel.locator('summary', { hasText: 'Add an action item' }).click();
  await panel.getByLabel('What will be done').fill(item);
  await panel.getByLabel('Owner (email)').fill('rui@e2e.test');
  await panel.getByLabel(/^Due/).fill('2025-01-15');
  await panel.getByLabel('Type').selectOption('detect');
  await panel.getByRole('button', { name: 'Add action item' }).click();
  await expect(page).toHaveURL(new RegExp(`/incidents/${id}\\??$`));
  await expect(page.locator('#actions-incident .action-item', { hasText: item })).toContainText('Overdue since 2025-01-15');

  // The board lists it as overdue; the overdue filter is a plain GET form.
  await page.goto('/actions');
  await ready(page, info);
  const row = page.locator('tr', { hasText: item });
  await expect(row).toHaveClass(/overdue-row/);
  await page.getByLabel('Overdue only').check();
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/overdue=true/);
  await expect(page.locator('tr', { hasText: item })).toBeVisible();
  await page.getByLabel('Severity').selectOption('SEV1');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.locator('tr', { hasText: item })).toHaveCount(0);
  await expect(page.getByText('No action items match.')).toBeVisible();

  // Closing it with "won't do" needs a reason; with one, it leaves the open board.
  await page.goto('/actions');
  await ready(page, info);
  const open = page.locator('tr', { hasText: item });
  await open.locator('summary', { hasText: 'Update' }).click();
  await open.getByLabel('Status').selectOption('wont_do');
  await open.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.notice-error, [role=alert]').first()).toContainText('reason');
  await page.goto('/actions');
  await ready(page, info);
  const again = page.locator('tr', { hasText: item });
  await again.locator('summary', { hasText: 'Update' }).click();
  await again.getByLabel('Status').selectOption('wont_do');
  await again.getByLabel(/Reason/).fill('covered by the new dashboard');
  await again.getByRole('button', { name: 'Save' }).click();
  // The board refreshes in place (hydrated) or after the form's redirect (no JS);
  // wait for that before leaving, or the navigation can cut the save short.
  await expect(page.locator('tr', { hasText: item })).toHaveCount(0);
  await page.goto('/actions');
  await expect(page.locator('tr', { hasText: item })).toHaveCount(0);
  await page.goto('/actions?status=all');
  await expect(page.locator('tr', { hasText: item })).toContainText("Won't do");

});

test('insights show each duration with its timestamps, and SVG charts without JavaScript', async ({ page }, info) => {
  await declare(page, info, uniqueTitle(info, 'Insights sample'));
  await page.goto('/insights');
  await ready(page, info);
  await expect(page.getByRole('heading', { name: 'Insights', level: 1 })).toBeVisible();
  await expect(page.locator('.metric')).toHaveCount(4);
  await expect(page.locator('#metric-ttr').locator('..')).toContainText('started_at → resolved_at');
  await expect(page.locator('.metric').first()).toContainText('Small sample');
  // Seven charts; those with no data yet say so instead of drawing an empty frame.
  await expect(page.locator('figure.chart-figure')).toHaveCount(7);
  expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(2);
  await expect(page.locator('svg[aria-labelledby="per-month-t per-month-d"]')).toBeVisible();
  await expect(page.locator('#per-month-t')).toHaveText('Incidents per month, by severity');
  await expect(page.locator('details#open-list summary')).toContainText('Open incidents');
  await page.locator('form.filters select[name=severity]').selectOption('SEV2');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/severity=SEV2/);
  await expect(page.locator('svg[aria-labelledby="per-month-t per-month-d"]')).toBeVisible();
  await page.screenshot({ path: `test-results/insights-${info.project.name}.png`, fullPage: true });
});
