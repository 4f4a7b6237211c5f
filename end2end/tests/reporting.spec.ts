import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { USERS, expectAccessible, open, settled, signIn, unique } from './helpers';

const SUBGOAL = 'Bereitstellung mobiler Endgeräte ermöglichen'; // the Schulamt's in the demo

function card(page: Page): Locator {
  return page.getByRole('region', { name: SUBGOAL });
}

test('an owner lands on their page, confirms the state and moves a due date with a reason', async ({ page }, testInfo) => {
  await signIn(page, USERS.schulamt, testInfo, null);
  await expect(page).toHaveURL(/\/my-subgoals$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meine Teilziele');
  await expect(card(page).getByRole('heading', { level: 2 })).toHaveText(SUBGOAL);
  // Only the Schulamt's own sub-goals.
  await expect(page.getByRole('region', { name: 'Digitale Lernorte aufbauen' })).toHaveCount(0);
  await expectAccessible(page, testInfo);

  const note = unique('Alles wie geplant');
  await card(page).getByLabel('Notiz zum Stand (freiwillig)').fill(note);
  await card(page).getByRole('button', { name: 'Stand bestätigen' }).click();
  await settled(page, testInfo);
  await expect(page.locator('.done-notice')).toHaveText(/Der Stand wurde bestätigt/);
  await expect(page.locator('.done-notice')).toBeFocused();
  await expect(card(page)).toContainText('bestätigt von Amt für Schule und Bildung (Demo)');
  await expect(card(page)).toContainText(note);

  // Moving a due date asks for the reason, and keeps the date typed.
  // Its open milestones may all be due later than 14 days: then they are one click away.
  const later = card(page).locator('details.later > summary');
  if ((await later.count()) > 0 && !(await card(page).locator('details.move').first().isVisible())) {
    await later.click();
  }
  const move = card(page).locator('details.move').first();
  await move.locator('summary').click();
  await move.getByLabel('Neuer Termin').fill('2027-06-30');
  await move.getByRole('button', { name: 'Verschieben' }).click();
  await settled(page, testInfo);
  const refused = card(page).locator('details.move[open]');
  await expect(refused.getByLabel('Grund')).toHaveAttribute('aria-invalid', 'true');
  await expect(refused.getByLabel('Grund')).toBeFocused();
  await expect(refused.getByText('Bitte ausfüllen.')).toBeVisible();
  await expect(refused.getByLabel('Neuer Termin')).toHaveValue('2027-06-30');
  await expectAccessible(page, testInfo);
  await refused.getByLabel('Grund').fill('Lieferverzug beim Rahmenvertrag');
  await refused.getByRole('button', { name: 'Verschieben' }).click();
  await settled(page, testInfo);
  await expect(page.locator('.done-notice')).toHaveText(/Der Termin wurde verschoben/);
  await expect(page).not.toHaveURL(/__err/);
});

test('an admin sees a department’s page and the reporting status board', async ({ page }, testInfo) => {
  await signIn(page, USERS.admin, testInfo);
  await open(page, '/my-subgoals', testInfo);
  await page.getByLabel('Fachbereich').selectOption('Volkshochschule Mainz');
  await page.getByRole('button', { name: 'Anzeigen' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Teilziele: Volkshochschule Mainz');
  await expect(page.getByRole('region', { name: 'Digitale Lernorte aufbauen' })).toBeVisible();
  await expectAccessible(page, testInfo);

  await page.getByRole('navigation').getByRole('link', { name: 'Berichtsstand' }).click();
  await settled(page, testInfo);
  const table = page.getByRole('table', { name: 'Berichtsstand je Fachbereich und Teilziel' });
  // The header and a row per sub-goal: the demo's 12 and those other tests added.
  await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(12);
  await table.getByRole('link', { name: 'Tage überfällig' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('columnheader', { name: 'Tage überfällig' })).toHaveAttribute('aria-sort', 'ascending');
  await page.getByRole('table').getByRole('link', { name: 'Tage überfällig' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('columnheader', { name: 'Tage überfällig' })).toHaveAttribute('aria-sort', 'descending');
  const days = await page.getByRole('table').locator('tbody td.number').allInnerTexts();
  const numbers = days.map((d) => Number.parseInt(d.replace('!', '').trim(), 10));
  expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  await expectAccessible(page, testInfo);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Berichtsstand als CSV herunterladen' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^berichtsstand-\d{4}-\d{2}-\d{2}\.csv$/);
});

test('with the keyboard only, an owner confirms a sub-goal', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'javascript', 'once is enough');
  await signIn(page, USERS.schulamt, testInfo, null);
  await expect(page).toHaveURL(/\/my-subgoals$/);
  const field = card(page).getByLabel('Notiz zum Stand (freiwillig)');
  let reached = false;
  for (let i = 0; i < 120 && !reached; i += 1) {
    await page.keyboard.press('Tab');
    reached = await field.evaluate((el) => el === document.activeElement);
  }
  expect(reached).toBe(true);
  await page.keyboard.type('Per Tastatur bestätigt');
  await page.keyboard.press('Tab'); // the hint is text; the next stop is the button
  await expect(card(page).getByRole('button', { name: 'Stand bestätigen' })).toBeFocused();
  await page.keyboard.press('Enter');
  await settled(page, testInfo);
  await expect(page.locator('.done-notice')).toHaveText(/Der Stand wurde bestätigt/);
  await expect(card(page)).toContainText('Per Tastatur bestätigt');
});

/** Presses Tab until `target` has keyboard focus (at most 200 times). */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`not reachable with Tab: ${target}`);
}

test('with the keyboard only, an owner downloads the template, uploads it changed and applies it', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'javascript', 'once is enough');
  await signIn(page, USERS.vhs, testInfo, null);
  await expect(page).toHaveURL(/\/my-subgoals$/);
  await tabTo(page, page.getByRole('link', { name: 'Vorlage herunterladen (CSV)' }));
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const lines = readFileSync(await download.path(), 'utf8').split('\r\n');
  const cells = lines[1].split(';');
  cells[9] = 'per Tastatur geändert';
  const file = testInfo.outputPath('tastatur.csv');
  writeFileSync(file, [lines[0], cells.join(';')].join('\r\n') + '\r\n');

  // The file field is reached with Tab; the choosing itself happens in the system's dialog,
  // which no browser test drives (opening it with Space did not always raise Playwright's
  // file-chooser event), so the file is given to the focused field.
  const upload = page.getByLabel('Geänderte Tabelle (XLSX oder CSV)');
  await tabTo(page, upload);
  await expect(upload).toBeFocused();
  await upload.setInputFiles(file);
  await tabTo(page, page.getByRole('button', { name: 'Hochladen und Vorschau zeigen' }));
  await page.keyboard.press('Enter');
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vorschau der Tabelle');
  await expect(page.getByRole('status').last()).toHaveText('0 neu · 1 geändert · 0 unverändert · 0 abgelehnt');
  await tabTo(page, page.getByRole('button', { name: /^Übernehmen/ }));
  await page.keyboard.press('Enter');
  await settled(page, testInfo);
  await expect(page).toHaveURL(/\/my-subgoals\?done=applied$/);
  await expect(page.locator('.done-notice')).toHaveText('Die Tabelle wurde übernommen.');
});

test('an owner downloads the template, uploads it changed, reads the preview and applies it', async ({ page }, testInfo) => {
  await signIn(page, USERS.schulamt, testInfo, null);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Vorlage herunterladen (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('meilensteine-vorlage.csv');
  const text = readFileSync(await download.path(), 'utf8');
  const lines = text.split('\r\n');
  expect(lines[0]).toBe('\uFEFFNr.;Version;Teilziel-Nr.;Teilziel;Meilenstein;Fällig am;Status;Erreicht am;Gewicht;Notiz');
  const cells = lines[1].split(';');
  expect(cells).toHaveLength(10);
  const due = testInfo.project.name === 'javascript' ? '30.09.2027' : '31.10.2027';
  cells[5] = due;
  lines[1] = cells.join(';');
  const file = testInfo.outputPath('geaendert.csv');
  writeFileSync(file, lines.slice(0, 2).join('\r\n') + '\r\n');

  await page.getByLabel('Geänderte Tabelle (XLSX oder CSV)').setInputFiles(file);
  await page.getByRole('button', { name: 'Hochladen und Vorschau zeigen' }).click();
  await settled(page, testInfo);
  await expect(page).toHaveURL(/\/bulk\/[A-Za-z0-9_-]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vorschau der Tabelle');
  await expect(page.getByRole('status').last()).toHaveText('0 neu · 1 geändert · 0 unverändert · 0 abgelehnt');
  const changes = page.getByRole('table', { name: 'Geänderte Meilensteine' });
  await expect(changes.getByRole('listitem')).toContainText(`Fällig am: `);
  await expect(changes.getByRole('listitem')).toContainText(due);
  await expectAccessible(page, testInfo);

  await page.getByRole('button', { name: /^Übernehmen/ }).click();
  await settled(page, testInfo);
  await expect(page).toHaveURL(/\/my-subgoals\?done=applied$/);
  await expect(page.locator('.done-notice')).toHaveText('Die Tabelle wurde übernommen.');
});
