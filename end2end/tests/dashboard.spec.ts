import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import { NEEDS, expectAccessible, open, settled } from './helpers';

test('the dashboard shows the Mainz field, its needs, a chart and its table', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Digitalisierungsstrategie für die Gutenbergstadt');
  await expect(page.getByRole('heading', { level: 2, name: 'Bildung und Zusammenleben' })).toBeVisible();
  await expect(page.getByText('Beispieldaten:')).toBeVisible();

  const table = page.getByRole('table', { name: /Handlungsbedarfe/ });
  for (const need of NEEDS) {
    await expect(table.getByRole('rowheader', { name: need })).toBeVisible();
  }
  await expect(table.getByRole('row')).toHaveCount(NEEDS.length + 1);

  const chart = page.getByRole('img', { name: /^Fortschritt je Handlungsbedarf – / });
  await expect(chart).toBeVisible();
  await expect(chart.locator('title')).toHaveText('Fortschritt je Handlungsbedarf – Bildung und Zusammenleben');
  await expect(chart.locator('desc')).toContainText('Ältere Menschen erreichen');

  await expect(page.getByText('Wie wird das berechnet?').first()).toBeVisible();
  await page.getByText('Worauf wir aufbauen').click();
  await expect(page.getByText('Virtueller Gutenberg-Marathon „Alleine Zusammen“')).toBeVisible();
  await expectAccessible(page, testInfo);
});

test('a need lists its sub-goals and what is due next', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await page.getByRole('table', { name: /Handlungsbedarfe/ }).getByRole('link', { name: NEEDS[0] }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(NEEDS[0]);
  const subgoals = page.getByRole('table', { name: 'Teilziele dieses Handlungsbedarfs' });
  for (const title of ['WLAN und Hotspots ausbauen', 'Breitbandanbindung sichern', 'Bereitstellung mobiler Endgeräte ermöglichen']) {
    await expect(subgoals.getByRole('rowheader', { name: title })).toBeVisible();
  }
  await expect(page.getByRole('table', { name: /Offene Meilensteine/ })).toBeVisible();
  await expectAccessible(page, testInfo);
});

test('an unknown page answers 404 with a way back', async ({ page }, testInfo) => {
  const response = await page.goto('/needs/999999');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Seite nicht gefunden' })).toBeVisible();
  await settled(page, testInfo);
  await expect(page.getByRole('link', { name: 'Zur Übersicht' })).toBeVisible();
});

test('English is one switch away and keeps the page', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await page.getByRole('table', { name: /Handlungsbedarfe/ }).getByRole('link', { name: NEEDS[3] }).click();
  await settled(page, testInfo);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Sub-goals' })).toBeVisible();
  await expect(page).toHaveURL(/\/needs\/\d+$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expectAccessible(page, testInfo);
  await page.getByRole('button', { name: 'Deutsch' }).click();
  await expect(page.getByRole('heading', { name: 'Teilziele' })).toBeVisible();
});

test('the chart speaks the language of the page', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await page.getByRole('button', { name: 'English' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('img', { name: /Progress per need – Bildung und Zusammenleben/ })).toBeVisible();
  await expect(page.getByRole('table', { name: /Needs: progress/ })).toBeVisible();
  await page.getByRole('button', { name: 'Deutsch' }).click();
  await expect(page.getByRole('img', { name: /^Fortschritt je Handlungsbedarf – / })).toBeVisible();
});

/** Milestones reached, summed over the needs table of the dashboard. */
async function reachedInTable(page: import('@playwright/test').Page): Promise<number> {
  const table = page.getByRole('table', { name: /Handlungsbedarfe/ });
  let sum = 0;
  for (const need of NEEDS) {
    const text = await table.getByRole('row', { name: need }).getByRole('cell').nth(2).innerText();
    sum += Number.parseInt(text, 10);
  }
  return sum;
}

test('a past day shows the figures as they stood then, read-only, with the day in the address', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  const reachedToday = await reachedInTable(page);
  const past = new Date(Date.now() - 180 * 86_400_000);
  const iso = past.toISOString().slice(0, 10);
  const german = `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

  // With the keyboard: type the day into the date field and press Enter.
  const picker = page.getByLabel('Stand am');
  await picker.fill(iso);
  await picker.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/strategies/\\d+\\?as_of=${iso}$`));
  await settled(page, testInfo);
  await expect(page.getByRole('note')).toContainText(`Historische Ansicht: Stand am ${german}`);
  await expect(page.getByLabel('Stand am')).toHaveValue(iso);
  expect(await reachedInTable(page)).toBeLessThan(reachedToday);
  // Each chart still has its table, and the links keep the day.
  await expect(page.getByRole('img', { name: /^Fortschritt je Handlungsbedarf – / })).toBeVisible();
  await expectAccessible(page, testInfo);
  await page.getByRole('table', { name: /Handlungsbedarfe/ }).getByRole('link', { name: NEEDS[0] }).click();
  await settled(page, testInfo);
  await expect(page).toHaveURL(new RegExp(`/needs/\\d+\\?as_of=${iso}$`));
  await expect(page.getByRole('note')).toContainText(german);
  await expectAccessible(page, testInfo);

  await page.getByRole('link', { name: 'Zum heutigen Stand' }).click();
  await settled(page, testInfo);
  await expect(page).toHaveURL(/\/needs\/\d+$/);
  await expect(page.getByRole('note')).toHaveCount(0);
});

test('a day that cannot be shown is named with its problem', async ({ page }, testInfo) => {
  const response = await page.goto('/strategies/1?as_of=2026-02-30');
  expect(response?.status()).toBe(422);
  await settled(page, testInfo);
  await expect(page.getByRole('alert')).toContainText('Stand am „2026-02-30“: Kein gültiges Datum');
  await page.getByRole('link', { name: 'Zum heutigen Stand' }).click();
  await settled(page, testInfo);
  await expect(page.getByLabel('Stand am')).toHaveValue('');
});

test('each chart of a need has its table and downloads as SVG, PNG and CSV', async ({ page, request }, testInfo) => {
  await open(page, '/', testInfo);
  await page.getByRole('table', { name: /Handlungsbedarfe/ }).getByRole('link', { name: NEEDS[0] }).click();
  await settled(page, testInfo);
  for (const name of [/^Burn-up:/, /^Zeitleiste der Meilensteine/]) {
    await expect(page.getByRole('img', { name })).toBeVisible();
  }
  // The tables fold open with the keyboard.
  const summary = page.getByText('Meilensteine je Teilziel: Fälligkeit und Stand').first();
  await summary.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('table', { name: 'Meilensteine je Teilziel: Fälligkeit und Stand' })).toBeVisible();
  await expectAccessible(page, testInfo);

  const png = page.getByRole('link', { name: /^PNG: Burn-up/ });
  const response = await request.get(await png.getAttribute('href') ?? '');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('image/png');
  const csv = await request.get(await page.getByRole('link', { name: /^CSV: Zeitleiste/ }).getAttribute('href') ?? '');
  // A byte-order mark, then columns split at ';' (the German dialect).
  expect((await csv.text()).split('\r\n')[0]).toBe('\ufeffTeilziel;Meilenstein;fällig am;Stand');
});

test('the strategy downloads as its document and as a workbook, as the page shows it', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  const downloads = page.getByRole('region', { name: 'Die Strategie herunterladen' });
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    downloads.getByRole('link', { name: /Strategiedokument \(JSON/ }).click(),
  ]);
  expect(json.suggestedFilename()).toBe('strategie-1.json');
  const document = JSON.parse(fs.readFileSync((await json.path())!, 'utf-8'));
  expect(document.format).toBe('meilenstein/1');
  expect(document.strategy.title).toBe('Digitalisierungsstrategie für die Gutenbergstadt');
  const [xlsx] = await Promise.all([
    page.waitForEvent('download'),
    downloads.getByRole('link', { name: /Struktur und Meilensteine/ }).click(),
  ]);
  expect(xlsx.suggestedFilename()).toBe('strategie-1.xlsx');
  // ZIP's signature: an XLSX.
  expect(fs.readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe('PK');
  await expectAccessible(page, testInfo);
});
