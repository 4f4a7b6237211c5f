import { expect, test } from '@playwright/test';
import { USERS, open, signIn } from './helpers';

// Islands: the server renders every page; the browser runs only the parts that need it (the
// idle-session warning). Pages carry no hydration data and the browser draws nothing again; a
// page without an island loads no bundle.
test.describe('with JavaScript', () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'needs JavaScript');

  test('a page runs its islands and loads nothing else: no page data, no chart pictures', async ({ page }, testInfo) => {
    const loaded: string[] = [];
    page.on('request', (request) => loaded.push(new URL(request.url()).pathname));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await signIn(page, USERS.admin, testInfo);
    loaded.length = 0;
    await open(page, '/needs/1', testInfo);
    await expect(page.getByRole('img', { name: /^Zeitleiste der Meilensteine – / })).toBeVisible();
    // The page, its stylesheet, script and bundle: no server-function call, no chart download.
    expect(loaded.filter((path) => path.startsWith('/api/') || path.startsWith('/charts/'))).toEqual([]);
    // The idle warning is the page's one island, and it runs.
    await expect(page.locator('leptos-island')).toHaveCount(1);
    expect(loaded.filter((path) => /^\/pkg\/.*\.wasm$/.test(path))).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  test('a page without islands fetches no bundle at all (the public dashboard, a need page)', async ({ page }, testInfo) => {
    const loaded: string[] = [];
    page.on('request', (request) => loaded.push(new URL(request.url()).pathname));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    for (const path of ['/', '/needs/1']) {
      loaded.length = 0;
      await open(page, path, testInfo);
      await expect(page.locator('leptos-island')).toHaveCount(0);
      expect(loaded.filter((each) => each.startsWith('/pkg/') && !each.endsWith('.css'))).toEqual([]);
    }
    // Signed in, the same page has the idle warning, and the bundle comes for it.
    await signIn(page, USERS.admin, testInfo);
    loaded.length = 0;
    await open(page, '/needs/1', testInfo);
    await expect(page.locator('leptos-island')).toHaveCount(1);
    expect(loaded.filter((each) => /^\/pkg\/.*\.(js|wasm)$/.test(each))).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  test('switching the language draws the page and its charts anew in the other language', async ({ page }, testInfo) => {
    await open(page, '/needs/1', testInfo);
    await page.getByRole('button', { name: 'English' }).click();
    const timeline = page.getByRole('img', { name: /^Milestone timeline – / });
    await expect(timeline).toBeVisible();
    await expect(timeline.locator('desc')).not.toBeEmpty();
    await expect(page).toHaveURL(/\/needs\/1$/);
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await expect(page.getByRole('img', { name: /^Zeitleiste der Meilensteine – / })).toBeVisible();
  });
});
