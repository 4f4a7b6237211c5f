import { expect, test } from '@playwright/test';
import { USERS, signIn } from './helpers';

// Reflow (WCAG 1.4.10): at 320 CSS px (1280 px at 400 % zoom), at a tablet's 768 px and at
// 1280 px no page scrolls sideways; a table wider than its place scrolls inside its own
// region, which has a name and takes the keyboard focus.
const PAGES = [
  '/',
  '/strategies/1',
  '/needs/1',
  '/needs/3',
  '/subgoals/1',
  '/subgoals/5',
  '/subgoals/1/history',
  '/reporting',
  '/reports',
  '/my-subgoals',
  '/quality',
  '/admin',
  '/admin/audit',
  '/admin/strategies',
  '/admin/accessibility',
  '/accessibility',
  '/easy-read',
];

for (const width of [320, 768, 1280]) {
  test(`at ${width} px no page scrolls sideways and wide tables scroll in their own region`, async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/login');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    // Signed in as an admin: the pages with the most on them (every form, every link).
    await signIn(page, USERS.admin, testInfo, null);
    for (const path of PAGES) {
      await page.goto(path);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scroll, `${path} at ${width} px`).toBeLessThanOrEqual(width);
      const tables = await page.evaluate(() =>
        [...document.querySelectorAll('main table')].map((table) => {
          const region = table.closest('.table-wrap');
          const parent = table.parentElement!.getBoundingClientRect();
          return {
            caption: table.querySelector('caption')?.textContent?.trim() ?? '',
            fits: table.getBoundingClientRect().width <= parent.width + 1,
            region: region !== null && region.getAttribute('role') === 'region' && region.getAttribute('tabindex') === '0'
              && (region.getAttribute('aria-label') ?? region.getAttribute('aria-labelledby') ?? '') !== '',
          };
        }),
      );
      for (const table of tables) {
        expect(table.fits || table.region, `${path}: table "${table.caption}" at ${width} px`).toBe(true);
      }
    }
  });
}
