import { expect, test as base, type BrowserContext } from '@playwright/test';

export { expect };

/** Playwright's `test`, failing any test during which a page threw an
 * uncaught error: a page of the test's own context, or of any context the
 * test opens with `browser.newContext()` (two people at once, a guest).
 * A hydration panic leaves a page that looks right and silently ignores
 * every click; this names it instead. */
export const test = base.extend<{ uncaughtErrors: void }>({
  uncaughtErrors: [
    async ({ browser, context }, use) => {
      const errors: string[] = [];
      const watch = (watched: BrowserContext) =>
        watched.on('weberror', (webError) => errors.push(webError.error().message));
      watch(context);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => {
        const opened = await newContext(options);
        watch(opened);
        return opened;
      };
      try {
        await use();
      } finally {
        browser.newContext = newContext;
      }
      expect(errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});
