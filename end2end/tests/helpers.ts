import { expect, Page, TestInfo } from '@playwright/test';

/** A title unique to this run and project, so both projects share one server. */
export function uniqueTitle(info: TestInfo, what: string): string {
  return `${what} ${info.project.name} ${Date.now()}`;
}

/** With JavaScript, waits until hydration has finished, so clicks reach the app.
 * Compiling the wasm bundle took over 5 s once on a loaded 2-core CI machine. */
export async function ready(page: Page, info: TestInfo): Promise<void> {
  if (info.project.name === 'hydrated') {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
  }
}

/** Declares an incident through the form and lands on its page. */
export async function declare(page: Page, info: TestInfo, title: string): Promise<string> {
  await page.goto('/incidents/new');
  await ready(page, info);
  await page.getByLabel('What is happening?').fill(title);
  await page.locator('label[for="new-severity-sev2"]').click();
  await page.getByLabel(/Affected services/).fill('checkout, payments');
  await page.getByRole('button', { name: 'Declare incident' }).click();
  await expect(page).toHaveURL(/\/incidents\/INC-\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(title);
  return page.url().split('/').pop() as string;
}
