import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { declare, ready } from './helpers';
import { STATE_DIR } from './accounts';

test('main pages have no serious or critical axe violations, in both themes', async ({ page, context }, info) => {
  // axe runs as a script in the page; the markup is the same server-rendered HTML either way.
  test.skip(info.project.name !== 'hydrated', 'axe needs JavaScript in the page');
  // Twenty axe runs (ten pages, two themes): on a busy 2-core machine this
  // took 32 s, over the default 30 s per test.
  test.setTimeout(90_000);
  const id = await declare(page, info, `Accessibility check ${info.project.name}`);
  for (const theme of ['light', 'dark']) {
    await context.addCookies([{ name: 'firebreak_theme', value: theme, url: info.project.use.baseURL as string }]);
    for (const path of ['/incidents', '/incidents/new', `/incidents/${id}`, `/incidents/${id}/postmortem`, '/actions', '/insights', '/insights/recurring', '/digest', '/profile', '/does-not-exist']) {
      await page.goto(path);
      await ready(page, info);
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${theme} ${path}: ${v.id} ${v.nodes.map((n) => n.target).join(' | ')}`)).toEqual([]);
    }
  }
});

test.describe('admin and sign-in pages', () => {
  test.use({ storageState: `${STATE_DIR}/admin.json` });

  test('have no serious or critical axe violations', async ({ page }, info) => {
    test.skip(info.project.name !== 'hydrated', 'axe needs JavaScript in the page');
    for (const path of ['/admin/users', '/admin/audit', '/admin/settings', '/admin/factors', '/admin/templates', '/admin/actions', '/postmortems']) {
      await page.goto(path);
      await ready(page, info);
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${path}: ${v.id} ${v.nodes.map((n) => n.target).join(' | ')}`)).toEqual([]);
    }
    await page.context().clearCookies();
    await page.goto('/login');
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
});
