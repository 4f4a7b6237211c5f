import { expect, test } from '@playwright/test';
import { NEEDS, USERS, open, openSubgoal, signIn, unique } from './helpers';

// What only the hydrated app does: change the page in place, without loading a new one.
test.describe('once hydrated', () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'needs JavaScript');

  test('switching the language and saving a milestone happen without a page load', async ({ page }, testInfo) => {
    await signIn(page, USERS.admin, testInfo);
    await openSubgoal(page, NEEDS[2], 'Kommunikation zielgruppengerecht ausgestalten', testInfo);
    // A page load would drop this marker.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: 'Record a milestone' })).toBeVisible();

    const title = unique('Jugendforum online');
    const form = page.getByRole('region', { name: 'Record a milestone' });
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Due on').fill('2027-02-28');
    await form.getByRole('button', { name: 'Save milestone' }).click();
    await expect(page.getByRole('heading', { level: 3, name: title })).toBeVisible();
    // Screen readers hear it; keyboard focus is back in the emptied form for the next entry.
    await expect(page.getByRole('status')).toHaveText('The milestone was saved.');
    await expect(form.getByLabel('Title')).toHaveValue('');
    await expect(form.getByLabel('Title')).toBeFocused();

    // A refused save moves focus to the list of problems.
    await form.getByRole('button', { name: 'Save milestone' }).click();
    await expect(form.getByRole('alert')).toBeFocused();

    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await expect(page.getByRole('heading', { name: 'Meilenstein erfassen' })).toBeVisible();
  });

  test('a chart drawn again in the browser loads its picture in the page language', async ({ page }, testInfo) => {
    const loaded: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/charts/')) loaded.push(request.url());
    });
    // Hydrated from the server's HTML, the pictures are there and nothing is loaded.
    await open(page, '/needs/1', testInfo);
    await expect(page.getByRole('img', { name: /^Zeitleiste der Meilensteine – / })).toBeVisible();
    expect(loaded).toEqual([]);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
    await page.getByRole('button', { name: 'English' }).click();
    // The page data carries no pictures: the new ones come from the chart downloads.
    const timeline = page.getByRole('img', { name: /^Milestone timeline – / });
    await expect(timeline).toBeVisible();
    await expect(timeline.locator('desc')).not.toBeEmpty();
    expect(loaded.some((url) => url.includes('/charts/need-1-timeline.svg?lang=en'))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await expect(page.getByRole('img', { name: /^Zeitleiste der Meilensteine – / })).toBeVisible();
  });
});
