import AxeBuilder from '@axe-core/playwright';
import { Browser, Page, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';
import { declare, ready } from './helpers';
import { STATE_DIR } from './accounts';

/** Declares an incident and starts its postmortem from the default template. */
async function startPostmortem(page: Page, info: TestInfo, title: string): Promise<string> {
  const id = await declare(page, info, title);
  await page.getByRole('link', { name: 'Postmortem', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/incidents/${id}/postmortem$`));
  await ready(page, info);
  await page.getByRole('button', { name: 'Start writing' }).click();
  await expect(page.getByRole('heading', { name: 'Who was affected' })).toBeVisible();
  return id;
}

test('a postmortem is written section by section, with blameless hints, and survives a reload', async ({ page }, info) => {
  const id = await startPostmortem(page, info, `Postmortem writing ${info.project.name}`);
  await expect(page.locator('.pm-section h2')).toHaveText([
    'Summary', 'Who was affected', 'What happened', "What we're doing so it doesn't happen again",
  ]);
  const summary = page.locator('#body-summary');
  await summary.fill('Checkout was **down** for 12 minutes. It was human error.');
  if (info.project.name === 'hydrated') {
    // The preview and the hints come from the same code the server runs, in the browser.
    await expect(page.locator('#preview-summary strong')).toHaveText('down');
    await expect(page.locator('#hints-summary')).toContainText('1 phrase to reconsider');
    await expect(page.locator('#section-summary')).toContainText('Unsaved changes');
  }
  await page.locator('#section-summary').getByRole('button', { name: 'Save section' }).click();
  // Saved: in place with JavaScript, or after the form's post and redirect
  // without it. Reloading before that would race the navigation.
  await expect(page.locator('#section-summary')).toContainText('History · version 2');
  await page.reload();
  await ready(page, info);
  await expect(page.locator('#body-summary')).toHaveValue('Checkout was **down** for 12 minutes. It was human error.');
  await expect(page.locator('#hints-summary')).toContainText('human error');
  await expect(page.locator('#section-summary')).toContainText('History · version 2');

  // The history shows the change and can bring back the empty first version.
  await page.locator('#section-summary').getByRole('link', { name: /History/ }).click();
  await expect(page.locator('.diff-added')).toContainText('Checkout was **down**');
  await ready(page, info);
  await page.getByRole('button', { name: 'Restore version 1' }).click();
  // Back at the section, with the old text as a new version.
  await expect(page).toHaveURL(new RegExp(`/incidents/${id}/postmortem`));
  await expect(page.locator('#body-summary')).toHaveValue('');
  await expect(page.locator('#section-summary')).toContainText('History · version 3');
});

async function openAs(browser: Browser, role: 'admin' | 'responder', path: string): Promise<Page> {
  const context = await browser.newContext({ storageState: `${STATE_DIR}/${role}.json` });
  const page = await context.newPage();
  await page.goto(path);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  return page;
}

test('two people: saves arrive live, presence shows who writes where, and a clash shows both texts', async ({ page, browser }, info) => {
  test.skip(info.project.name !== 'hydrated', 'live updates need JavaScript; without it a reload shows the latest text');
  const id = await startPostmortem(page, info, 'Postmortem written by two');
  const path = `/incidents/${id}/postmortem`;
  const erin = await openAs(browser, 'admin', path);
  const rui = await openAs(browser, 'responder', path);

  // Erin saves the summary; Rui, who has not touched it, sees it appear.
  await erin.locator('#body-summary').fill('The primary database ran out of connections.');
  await erin.locator('#section-summary').getByRole('button', { name: 'Save section' }).click();
  await expect(rui.locator('#body-summary')).toHaveValue('The primary database ran out of connections.', { timeout: 3000 });
  await expect(rui.locator('#section-summary')).toContainText('History · version 2');

  // Rui writes in "What happened"; Erin sees who is there.
  await rui.locator('#body-what_happened').click();
  await rui.locator('#body-what_happened').pressSequentially('At 10:02 ');
  await expect(erin.locator('#section-what_happened .pm-presence')).toContainText('is writing this section', { timeout: 3000 });
  await expect(erin.locator('#section-summary .pm-presence')).toHaveText('');

  // Both change the summary; Erin saves first. Rui keeps his text, is told, and saving shows both.
  await rui.locator('#body-summary').fill('Connections ran out after a deploy doubled the pool size.');
  await erin.locator('#body-summary').fill('The primary database ran out of connections at 10:02.');
  await erin.locator('#section-summary').getByRole('button', { name: 'Save section' }).click();
  await expect(rui.locator('#section-summary')).toContainText('while you were writing', { timeout: 3000 });
  await expect(rui.locator('#body-summary')).toHaveValue('Connections ran out after a deploy doubled the pool size.');
  await rui.locator('#section-summary').getByRole('button', { name: 'Save section' }).click();
  const clash = rui.locator('#section-summary [role="alert"]');
  await expect(clash).toContainText('Someone else saved this');
  await expect(clash.locator('.theirs')).toHaveText('The primary database ran out of connections at 10:02.');
  await expect(clash.locator('.yours')).toHaveText('Connections ran out after a deploy doubled the pool size.');
  // After seeing both, Rui's next save is his merge.
  await rui.locator('#body-summary').fill('At 10:02 connections ran out after a deploy doubled the pool size.');
  await rui.locator('#section-summary').getByRole('button', { name: 'Save section' }).click();
  await expect(erin.locator('#body-summary')).toHaveValue('At 10:02 connections ran out after a deploy doubled the pool size.', { timeout: 3000 });

  const results = await new AxeBuilder({ page: erin }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await erin.context().close();
  await rui.context().close();
});

test('unsaved text survives closing the tab', async ({ page }, info) => {
  test.skip(info.project.name !== 'hydrated', 'local drafts need JavaScript');
  const id = await startPostmortem(page, info, 'Postmortem draft kept locally');
  await page.locator('#body-who_was_affected').fill('About 4% of EU shoppers saw errors.');
  await page.close();
  const again = await page.context().newPage();
  await again.goto(`/incidents/${id}/postmortem`);
  await expect(again.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(again.locator('#body-who_was_affected')).toHaveValue('About 4% of EU shoppers saw errors.');
  await expect(again.locator('#section-who_was_affected')).toContainText('Restored your unsaved text');
});

test('review: comment, resolve, tick the checklist, publish, and reopen', async ({ page }, info) => {
  await startPostmortem(page, info, `Postmortem review ${info.project.name}`);
  // Contributing factors: several, each with why.
  const factors = page.locator('.factors');
  await factors.getByLabel('Factor', { exact: true }).selectOption('config change');
  await factors.getByLabel('Why it contributed').fill('The pool limit was removed by a config push.');
  await factors.getByRole('button', { name: 'Add factor' }).click();
  await expect(factors.locator('.factor-list li')).toContainText('config change: The pool limit was removed');
  const panel = page.locator('.review-panel');
  await panel.getByRole('button', { name: 'Send for review' }).click();
  await expect(panel).toContainText('In review');
  await ready(page, info);
  const summary = page.locator('[data-section="summary"]');
  await summary.locator('details.new-thread > summary').click();
  await page.locator('#comment-summary').fill('Which **region** was hit?');
  await summary.getByRole('button', { name: 'Comment', exact: true }).click();
  await expect(summary.locator('.thread strong')).toHaveText('region');
  await expect(panel).toContainText('1 open comment thread');
  // Publishing now is refused, with the reasons.
  await panel.getByRole('button', { name: 'Publish' }).click();
  await expect(page.locator('[role="alert"]').first()).toContainText('0 of 5 done');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.locator('.thread-state').first()).toContainText('Resolved by');
  await expect(panel.locator('details.checklist-box')).toHaveAttribute('open', '');
  for (let i = 0; i < 5; i++) {
    await panel.getByRole('button', { name: 'Done' }).first().click();
    await expect(panel.getByRole('button', { name: 'Undo' })).toHaveCount(i + 1);
  }
  await panel.getByRole('button', { name: 'Publish' }).click();
  await expect(panel).toContainText('Published');
  await expect(page.getByRole('button', { name: 'Save section' })).toHaveCount(0);
  await panel.getByRole('button', { name: 'Reopen' }).click();
  await expect(panel).toContainText('Draft');
  await expect(page.getByRole('button', { name: 'Save section' }).first()).toBeVisible();
});

test('action items are added inline in the prevention section and listed there', async ({ page }, info) => {
  const id = await startPostmortem(page, info, `Postmortem actions ${info.project.name}`);
  const item = `Add a canary stage ${info.project.name} ${Date.now()}`;
  const panel = page.locator('#actions-prevention');
  await expect(panel.getByRole('heading', { name: 'Action items' })).toBeVisible();
  await panel.locator('summary', { hasText: 'Add an action item' }).click();
  await panel.getByLabel('What will be done').fill(item);
  await panel.getByLabel('Type').selectOption('prevent');
  await panel.getByRole('button', { name: 'Add action item' }).click();
  // Without JavaScript the form posts and the server redirects back here.
  await expect(page).toHaveURL(new RegExp(`/incidents/${id}/postmortem\\??$`));
  await ready(page, info);
  // The default due date comes from the severity (SEV2: 30 days).
  const row = page.locator('#actions-prevention .action-item', { hasText: item });
  await expect(row).toContainText('Due ');
  // The item belongs to the incident, so its page lists it too.
  await page.goto(`/incidents/${id}`);
  await expect(page.locator('#actions-incident .action-item', { hasText: item })).toContainText('Prevent');
});
