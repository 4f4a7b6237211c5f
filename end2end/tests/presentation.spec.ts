import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { USERS, expectAccessible, open, settled, signIn, unique } from './helpers';

const javascript = (testInfo: TestInfo) => testInfo.project.use.javaScriptEnabled !== false;

/** Makes a report through the form; the address of its presentation. */
async function reportToPresent(page: Page, testInfo: TestInfo): Promise<string> {
  await signIn(page, USERS.admin, testInfo, '/reports');
  const form = page.getByRole('region', { name: 'Bericht erstellen' });
  await form.getByLabel(/^Name/).fill(unique('Präsentation'));
  await form.getByRole('button', { name: 'Bericht erstellen' }).click();
  await settled(page, testInfo);
  await page.getByRole('link', { name: 'Präsentieren' }).click();
  await settled(page, testInfo);
  return new URL(page.url()).pathname;
}

/** The slide shown: its number, and that it fits the screen without scrolling. */
async function shownSlide(page: Page): Promise<number> {
  const shown = page.locator('section.slide:not([hidden])');
  await expect(shown).toHaveCount(1);
  const fits = await shown.evaluate((slide) => {
    const body = slide.querySelector('.slide-body') as HTMLElement;
    const root = document.scrollingElement!;
    return {
      page: root.scrollHeight <= window.innerHeight + 1 && root.scrollWidth <= window.innerWidth + 1,
      body: body.scrollHeight <= body.clientHeight + 1 && body.scrollWidth <= body.clientWidth + 1,
      smallest: Math.min(
        ...[...slide.querySelectorAll('p, li, td, th, figcaption, .slide-footer span')]
          // What shows on the screen (text only for screen readers left out).
          .filter((e) => (e as HTMLElement).offsetParent !== null && !e.closest('.visually-hidden') && e.textContent!.trim() !== '')
          .map((e) => Number.parseFloat(getComputedStyle(e).fontSize)),
      ),
    };
  });
  expect(fits.page, 'the page does not scroll').toBe(true);
  expect(fits.body, 'the slide shows all it holds').toBe(true);
  expect(fits.smallest).toBeGreaterThanOrEqual(24);
  return Number((await shown.getAttribute('id'))!.replace('slide-', ''));
}

for (const [width, height] of [[1920, 1080], [1280, 720]]) {
  test(`the whole presentation at ${width}×${height}, with the keyboard only`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width, height });
    const path = await reportToPresent(page, testInfo);
    expect(await shownSlide(page)).toBe(1);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectAccessible(page, testInfo);
    const count = await page.locator('section.slide').count();
    expect(count).toBeGreaterThanOrEqual(5);

    for (let n = 2; n <= count; n++) {
      if (javascript(testInfo)) {
        await page.keyboard.press(n % 2 === 0 ? 'ArrowRight' : 'PageDown');
      } else {
        // Without JavaScript each slide is a page: its "next" link (access key n).
        await page.locator('section.slide:not([hidden])').getByRole('link', { name: /Weiter/ }).click();
      }
      await expect(page).toHaveURL(new RegExp(`slide=${n}`));
      expect(await shownSlide(page)).toBe(n);
      if (n === 3 || n === count - 1) {
        await expectAccessible(page, testInfo);
      }
    }
    await expect(page.locator('section.slide:not([hidden])').getByRole('heading', { name: 'Vielen Dank' })).toBeVisible();

    if (javascript(testInfo)) {
      await page.keyboard.press('Home');
      expect(await shownSlide(page)).toBe(1);
      await page.keyboard.press('End');
      expect(await shownSlide(page)).toBe(count);
      await page.keyboard.press('ArrowLeft');
      expect(await shownSlide(page)).toBe(count - 1);
      await page.keyboard.type('3');
      await page.keyboard.press('Enter');
      expect(await shownSlide(page)).toBe(3);
      await expect(page).toHaveURL(/slide=3/);
      // The slide's heading has the focus: a screen reader reads it first.
      await expect(page.locator('#slide-3-title')).toBeFocused();
      await page.keyboard.press('Escape');
      await settled(page, testInfo);
      await expect(page).toHaveURL(new RegExp(`${path.replace('/present', '')}$`));
    } else {
      // The accessibility statement is a link away from every slide too.
      await expect(page.locator('section.slide:not([hidden])').getByRole('link', { name: 'Erklärung zur Barrierefreiheit' }))
        .toHaveAttribute('href', '/accessibility');
      await page.locator('section.slide:not([hidden])').getByRole('link', { name: 'Beenden' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page).toHaveURL(new RegExp(`${path.replace('/present', '')}$`));
    }

    // High contrast: the same slides, still accessible.
    await open(page, `${path}?slide=3&contrast=high`, testInfo);
    await expect(page.locator('.slides.high-contrast')).toHaveCount(1);
    expect(await shownSlide(page)).toBe(3);
    await expectAccessible(page, testInfo);
  });
}

test('the kiosk advances by itself and loops', async ({ page }, testInfo) => {
  const path = await reportToPresent(page, testInfo);
  const count = await page.locator('section.slide').count();
  await page.context().clearCookies();
  await open(page, `${path}?slide=${count}&kiosk=5`, testInfo);
  expect(await shownSlide(page)).toBe(count);
  await expect(page).toHaveURL(/slide=1/, { timeout: 9_000 });
  await expect(page.locator('#slide-1')).toBeVisible();
});
