import { expect, test as base } from '@playwright/test';

export { expect };

/** Playwright's `test`, failing any test during which a page of its browser
 * context threw an uncaught error. A hydration panic leaves a page that
 * looks right and silently ignores every click; this names it instead. */
export const test = base.extend({
  context: async ({ context }, use) => {
    const errors: string[] = [];
    context.on('weberror', (webError) => errors.push(webError.error().message));
    await use(context);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});
