import { expect, test } from './fixtures';
import { ready } from './helpers';

test('hydration happens under the nonce CSP, and "/" focuses search (client-side only)', async ({ page }, info) => {
  test.skip(info.project.name !== 'hydrated', 'needs JavaScript');
  const violations: string[] = [];
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) violations.push(m.text());
  });
  const response = await page.goto('/incidents');
  expect(response?.headers()['content-security-policy']).toContain("'nonce-");
  await ready(page, info);
  expect(violations).toEqual([]);
  await page.locator('h1').click();
  await page.keyboard.press('/');
  await expect(page.locator('#global-search')).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('n');
  await expect(page).toHaveURL(/\/incidents\/new$/);
});

test('the markdown preview renders in the browser as you type', async ({ page }, info) => {
  test.skip(info.project.name !== 'hydrated', 'needs JavaScript');
  await page.goto('/incidents/new');
  await ready(page, info);
  await page.locator('#new-summary').fill('Impact was **severe** <script>alert(1)</script>');
  const preview = page.locator('#new-summary-preview');
  await expect(preview.locator('strong')).toHaveText('severe');
  await expect(preview).toContainText('<script>alert(1)</script>');
  await expect(preview.locator('script')).toHaveCount(0);
});

test('without JavaScript the page is served complete and never hydrates', async ({ page }, info) => {
  test.skip(info.project.name !== 'no-js', 'checks the no-JS path');
  await page.goto('/incidents/new');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Declare an incident');
  await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
});

test('the theme toggle switches to dark and is remembered', async ({ page, context }, info) => {
  await page.goto('/incidents');
  await ready(page, info);
  await page.getByRole('button', { name: /Theme:/ }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const cookies = await context.cookies();
  expect(cookies.find((c) => c.name === 'firebreak_theme')?.value).toBe('dark');
  await page.goto('/incidents');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});
