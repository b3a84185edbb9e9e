import { Page, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';
import { ready } from './helpers';

/** Declares an incident with a summary, through the form. */
async function declareWith(page: Page, info: TestInfo, title: string, summary: string): Promise<string> {
  await page.goto('/incidents/new');
  await ready(page, info);
  await page.getByLabel('What is happening?').fill(title);
  await page.locator('#new-summary').fill(summary);
  await page.getByRole('button', { name: 'Declare incident' }).click();
  await expect(page).toHaveURL(/\/incidents\/INC-\d+$/);
  return page.url().split('/').pop() as string;
}

test('search finds a past incident with highlighted words, and opens it', async ({ page }, info) => {
  const word = `zebrafish${info.project.name.replace('-', '')}${Date.now() % 100000}`;
  const id = await declareWith(page, info, `Queue stalled by ${word}`, `The ${word} consumer stalled; restarting it fixed the backlog.`);
  await page.goto('/incidents');
  await ready(page, info);
  if (info.project.name === 'hydrated') {
    await page.locator('h1').click();
    await page.keyboard.press('/');
    await expect(page.locator('#global-search')).toBeFocused();
    // Results appear as you type; the indexer catches up within a second.
    await expect(async () => {
      await page.locator('#global-search').fill('');
      await page.locator('#global-search').pressSequentially(word.slice(0, 12));
      await page.locator('#global-search').fill(word);
      await expect(page.locator('#live-results .live-hit').first()).toContainText(id, { timeout: 1500 });
    }).toPass({ timeout: 10_000 });
    await expect(page.locator('#live-results mark').first()).toHaveText(new RegExp(word, 'i'));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/incidents/${id}$`));
  } else {
    await expect(async () => {
      await page.goto('/incidents');
      await page.locator('#global-search').fill(word);
      await page.locator('#global-search').press('Enter');
      await expect(page).toHaveURL(/\/search\?q=/);
      await expect(page.locator('.search-hit')).toHaveCount(1, { timeout: 1000 });
    }).toPass({ timeout: 10_000 });
    await expect(page.locator('.search-hit-snippet mark').first()).toHaveText(new RegExp(word, 'i'));
    await expect(page.getByRole('complementary', { name: 'Narrow the results' })).toContainText('SEV3');
    await page.locator('.search-hit-link').first().click();
    await expect(page).toHaveURL(new RegExp(`/incidents/${id}$`));
  }
});

test('live results find a whole word typed in another form than the incident uses', async ({ page }, info) => {
  test.skip(info.project.name !== 'hydrated', 'live results need JavaScript');
  // The incident says "<word>s"; the index keeps the stem, and live search
  // treats the last word as a beginning, so the whole word must still match.
  const word = `marlin${Date.now() % 100000}`;
  const id = await declareWith(page, info, `Checkout ${word}s timed out`, `Several ${word}s stalled.`);
  await page.goto('/incidents');
  await ready(page, info);
  await expect(async () => {
    await page.locator('#global-search').fill('');
    await page.locator('#global-search').fill(`${word}s`);
    await expect(page.locator('#live-results .live-hit').first()).toContainText(id, { timeout: 1500 });
  }).toPass({ timeout: 10_000 });
  await expect(page.locator('#live-results mark').first()).toHaveText(new RegExp(`${word}s`, 'i'));
});

test('an incident page shows similar past incidents with what fixed them', async ({ page }, info) => {
  // Words unique to this run, so the other project's incidents share none.
  const word = `walrus${info.project.name.replace('-', '')}${Date.now() % 100000}`;
  const other = `kelp${info.project.name.replace('-', '')}${Date.now() % 100000}`;
  const first = await declareWith(page, info, `Ledger ${word} ${other}`, `Trouble with ${word} and ${other}.\n\nWhat fixed it: failing over to the standby replica.`);
  const second = await declareWith(page, info, `${other} ${word}`, `${word} ${other}`);
  await expect(async () => {
    await page.goto(`/incidents/${second}`);
    await expect(page.locator('.similar-hit').first()).toContainText(first, { timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await expect(page.locator('.similar-hit').first()).toContainText('failing over to the standby replica');
});

test('while declaring, similar past incidents are suggested', async ({ page }, info) => {
  test.skip(info.project.name !== 'hydrated', 'suggestions appear as you type');
  const word = `narwhal${Date.now() % 100000}`;
  const first = await declareWith(page, info, `Billing ${word} export failed`, `The ${word} export job crashed.\n\nWhat fixed it: rerunning the export.`);
  await page.goto('/incidents/new');
  await ready(page, info);
  await expect(async () => {
    await page.getByLabel('What is happening?').fill('');
    await page.getByLabel('What is happening?').pressSequentially(`${word} export`);
    await expect(page.locator('.draft-suggestions .similar-hit').first()).toContainText(first, { timeout: 2000 });
  }).toPass({ timeout: 12_000 });
});

test('the keyboard walks the results page: j and k, then the arrow keys, and Enter opens', async ({ page }, info) => {
  test.skip(info.project.name !== 'hydrated', 'key bindings need JavaScript; without it, Tab walks the same links');
  const word = `narwhal${Date.now() % 100000}`;
  const older = await declareWith(page, info, `Cache ${word} first`, `The ${word} cache emptied.`);
  const newer = await declareWith(page, info, `Cache ${word} second`, `The ${word} cache emptied again.`);
  await expect(async () => {
    await page.goto(`/search?q=${word}&sort=date`);
    await expect(page.locator('.search-hit')).toHaveCount(2, { timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await ready(page, info);
  const links = page.locator('.search-hit-link');
  await page.locator('h1').click();
  await page.keyboard.press('j');
  await expect(links.nth(0)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(links.nth(1)).toBeFocused();
  await page.keyboard.press('k');
  await expect(links.nth(0)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(links.nth(1)).toBeFocused(); // it wraps
  const second = await links.nth(1).getAttribute('href');
  expect([`/incidents/${older}`, `/incidents/${newer}`]).toContain(second);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${second}$`));
});
