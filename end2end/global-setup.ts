import { chromium, FullConfig } from '@playwright/test';
import { ACCOUNTS, STATE_DIR } from './tests/accounts';

// Signs each test account in once, through the real sign-in form in
// Chromium (which accepts the Secure cookie on 127.0.0.1), and saves the
// session for the tests: they start signed in, as a person would be.
export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0].use.baseURL as string;
  const browser = await chromium.launch(config.projects[0].use.launchOptions);
  for (const account of Object.values(ACCOUNTS)) {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await context.storageState({ path: `${STATE_DIR}/${account.role}.json` });
    await context.close();
  }
  await browser.close();
}
