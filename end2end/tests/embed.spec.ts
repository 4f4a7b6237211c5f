import { expect, test } from '@playwright/test';
import { USERS, expectAccessible, settled, signIn, unique } from './helpers';

test('a report downloads as PDF and Excel workbook from its page', async ({ page }, testInfo) => {
  await signIn(page, USERS.admin, testInfo, '/reports');
  const name = unique('Sitzung Datei');
  const form = page.getByRole('region', { name: 'Bericht erstellen' });
  await form.getByLabel(/^Name/).fill(name);
  await form.getByRole('button', { name: 'Bericht erstellen' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  for (const [link, type, magic] of [
    ['Als PDF herunterladen', 'application/pdf', '%PDF-'],
    ['Als Excel-Tabelle (XLSX) herunterladen', 'spreadsheetml', 'PK'],
  ]) {
    const href = await page.getByRole('link', { name: link }).getAttribute('href');
    const response = await page.request.get(href!);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain(type);
    expect((await response.body()).subarray(0, magic.length).toString('latin1')).toBe(magic);
  }
});

test('a widget fits a phone-wide frame on an allowed site and no other', async ({ page, browser }, testInfo) => {
  // http://city.test stands for the city's website (answered by the browser itself, below).
  await signIn(page, USERS.admin, testInfo, '/admin');
  await page.getByLabel('Erlaubte Adressen').fill('http://city.test https://www.mainz.de');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await settled(page, testInfo);
  await expect(page.getByLabel('Erlaubte Adressen')).toHaveValue('http://city.test https://www.mainz.de');
  const origin = new URL(page.url()).origin;

  const visitor = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const widget = await visitor.newPage();
  await widget.goto(`${origin}/embed/needs/1`);
  await expect(widget.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(widget.getByRole('link', { name: 'Vollständige Ansicht' })).toHaveAttribute('href', '/needs/1');
  const width = await widget.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(320);
  await expectAccessible(widget, testInfo);

  // In a page of the allowed site the frame shows the widget; in another site's it does not.
  for (const site of ['http://city.test', 'http://other.test']) {
    await widget.route(`${site}/`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>Stadt</title><iframe title="Fortschritt" src="${origin}/embed/needs/1" width="320" height="600"></iframe>`,
      }),
    );
    await widget.goto(`${site}/`);
    const heading = widget.frameLocator('iframe').getByRole('heading', { level: 1 });
    if (site === 'http://city.test') {
      await expect(heading).toBeVisible();
    } else {
      await widget.waitForTimeout(1000);
      await expect(heading).toHaveCount(0);
    }
  }
  await visitor.close();
});
