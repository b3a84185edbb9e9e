// Takes screenshots of the main pages at 1280 and 390 px, light and dark,
// for a person to look at: `make screenshots` (needs a running server).
// Signs in first when EMAIL and PASSWORD are set.
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const out = process.env.OUT ?? 'screenshots';
const pages = (process.env.PAGES ?? '/login,/incidents,/incidents/new,/incidents/INC-2,/profile,/admin/users,/admin/audit').split(',');
const widths = (process.env.WIDTHS ?? '1280,390').split(',').map(Number);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
for (const theme of ['light', 'dark']) {
  for (const width of widths) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: theme });
    const page = await context.newPage();
    for (const path of pages) {
      if (path !== '/login' && process.env.EMAIL && !(await context.cookies()).length) {
        await page.goto(`${base}/login`);
        await page.getByLabel('Email').fill(process.env.EMAIL);
        await page.getByLabel('Password').fill(process.env.PASSWORD ?? '');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      }
      await page.goto(base + path);
      const name = `${out}/${path.replaceAll('/', '_').replace(/^_/, '') || 'home'}-${width}-${theme}.png`;
      await page.screenshot({ path: name, fullPage: true });
      console.log(name);
    }
    await context.close();
  }
}
await browser.close();
