// Takes screenshots of the main pages at 1280 and 390 px, light and dark,
// for a person to look at: `make screenshots` (needs a running server).
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const out = process.env.OUT ?? 'screenshots';
const pages = (process.env.PAGES ?? '/incidents,/incidents/new,/incidents/INC-2').split(',');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
for (const theme of ['light', 'dark']) {
  for (const width of [1280, 390]) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: theme });
    const page = await context.newPage();
    for (const path of pages) {
      await page.goto(base + path);
      const name = `${out}/${path.replaceAll('/', '_').replace(/^_/, '') || 'home'}-${width}-${theme}.png`;
      await page.screenshot({ path: name, fullPage: true });
      console.log(name);
    }
    await context.close();
  }
}
await browser.close();
