import { expect, test } from './fixtures';
import { ACCOUNTS, STATE_DIR } from './accounts';
import { ready, uniqueTitle } from './helpers';

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('sign in, declare an incident, sign out', async ({ page }, info) => {
    await page.goto('/incidents/new');
    await expect(page).toHaveURL(/\/login\?next=%2Fincidents%2Fnew$/);
    await page.getByLabel('Email').fill(ACCOUNTS.responder.email);
    await page.getByLabel('Password').fill(ACCOUNTS.responder.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/incidents\/new$/);
    await ready(page, info);

    const title = uniqueTitle(info, 'Signed-in declaration');
    await page.getByLabel('What is happening?').fill(title);
    await page.getByRole('button', { name: 'Declare incident' }).click();
    await expect(page).toHaveURL(/\/incidents\/INC-\d+$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(title);
    await expect(page.locator('.timeline')).toContainText('Declared as');
    await expect(page.locator('.entry-author').first()).toHaveText('rui');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login\?signed_out=1$/);
    await expect(page.getByRole('status')).toContainText('You are signed out.');
    await page.goto('/incidents');
    await expect(page).toHaveURL(/\/login\?next=%2Fincidents$/);
  });

  test('a wrong password says only "wrong email or password"', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(ACCOUNTS.responder.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
    await expect(page).toHaveURL(/\/login\?error=credentials/);
  });
});

test('a new API token is shown once on the profile page', async ({ page }, info) => {
  await page.goto('/profile');
  await ready(page, info);
  await page.getByLabel('What is it for?').fill(`e2e ${info.project.name}`);
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = page.locator('#new-token');
  await expect(secret).toHaveText(/^fbk_/);
  await expect(page.getByRole('row', { name: new RegExp(`e2e ${info.project.name}`) })).toBeVisible();
  await page.goto('/profile');
  await expect(page.locator('#new-token')).toHaveCount(0);
});

test.describe('as an admin', () => {
  test.use({ storageState: `${STATE_DIR}/admin.json` });

  test('invite someone, who then sets a password and is signed in', async ({ page, browser }, info) => {
    const email = `new-${info.project.name}-${Date.now()}@e2e.test`;
    await page.goto('/admin/users');
    await ready(page, info);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Name', { exact: true }).fill(`Newcomer ${info.project.name}`);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Create invitation' }).click();
    const link = await page.locator('#invite-link').getAttribute('href');
    expect(link).toMatch(/^\/invite\//);
    await expect(page.getByRole('cell', { name: email })).toBeVisible();

    const guest = await browser.newContext({ storageState: { cookies: [], origins: [] }, javaScriptEnabled: info.project.name === 'hydrated' });
    const invited = await guest.newPage();
    await invited.goto(link as string);
    await expect(invited.getByText(email)).toBeVisible();
    await invited.getByLabel(/^Password/).fill('newcomer password');
    await invited.getByLabel('The same again').fill('newcomer password');
    await invited.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(invited).toHaveURL(/\/$/);
    await expect(invited.getByRole('link', { name: `Newcomer ${info.project.name}` })).toBeVisible();
    await guest.close();
  });
});
