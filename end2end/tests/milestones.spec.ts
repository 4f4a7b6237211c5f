import { expect, test } from '@playwright/test';
import { NEEDS, USERS, expectAccessible, open, openSubgoal, rowProgress, settled, signIn, unique } from './helpers';

const NEED = NEEDS[3]; // Ältere Menschen erreichen
const SUBGOAL = 'Digitale Lernorte aufbauen'; // owned by the Volkshochschule in the demo

// The Volkshochschule's department lead records milestones for the sub-goals they own.
test.beforeEach(async ({ page }, testInfo) => {
  await signIn(page, USERS.vhs, testInfo);
});

test('recording a reached milestone raises the need on the dashboard', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  const before = await rowProgress(page, NEED);

  await openSubgoal(page, NEED, SUBGOAL, testInfo);

  const title = unique('Lernort Neustadt eröffnet');
  const form = page.getByRole('region', { name: 'Meilenstein erfassen' });
  await form.getByLabel('Titel').fill(title);
  await form.getByLabel('Fällig am').fill('2026-10-31');
  await form.getByLabel('Status').selectOption('done');
  await form.getByLabel('Erreicht am').fill('2026-10-15');
  await form.getByLabel('Gewicht').fill('1');
  await form.getByRole('button', { name: 'Meilenstein speichern' }).click();

  await expect(page.getByRole('heading', { level: 3, name: title })).toBeVisible();
  await expect(page).not.toHaveURL(/__err/);
  // The page says what was done, first: keyboard focus (and so a screen reader) starts there.
  const notice = page.getByRole('status');
  await expect(notice).toHaveText('Der Meilenstein wurde gespeichert.');
  await expect(notice).toBeFocused();
  await expectAccessible(page, testInfo);
  await page.getByRole('link', { name: 'Übersicht' }).click();
  await settled(page, testInfo);
  await expect.poll(() => rowProgress(page, NEED)).toBeGreaterThan(before);
});

test('a refused form says what is wrong next to the field and keeps what was typed', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await openSubgoal(page, NEED, SUBGOAL, testInfo);

  const form = page.getByRole('region', { name: 'Meilenstein erfassen' });
  await form.getByLabel('Titel').fill('Kurs für Ältere');
  await form.getByLabel('Fällig am').fill('2027-01-15');
  await form.getByLabel('Status').selectOption('done');
  await form.getByLabel('Gewicht').fill('0');
  await form.getByRole('button', { name: 'Meilenstein speichern' }).click();

  await expect(form.getByRole('alert')).toContainText('Bitte korrigieren Sie die folgenden Angaben');
  // Focus starts at the list of problems, each a link to its field.
  await expect(form.getByRole('alert')).toBeFocused();
  const weight = form.getByLabel('Gewicht');
  await expect(weight).toHaveValue('0');
  await expect(weight).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('Muss größer als 0 sein.').first()).toBeVisible();
  await expect(form.getByText('Bei Status „erreicht“ bitte das Datum angeben.').first()).toBeVisible();
  await expect(form.getByLabel('Titel')).toHaveValue('Kurs für Ältere');
  await expect(form.getByLabel('Fällig am')).toHaveValue('2027-01-15');
  await expectAccessible(page, testInfo);

  // Nothing was stored.
  await expect(page.getByRole('heading', { level: 3, name: 'Kurs für Ältere' })).toHaveCount(0);
});

test('with JavaScript each field is checked as it is left, by the rule the server applies', async ({ page }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, 'the checks run in the browser');
  await open(page, '/', testInfo);
  await openSubgoal(page, NEED, SUBGOAL, testInfo);

  const form = page.getByRole('region', { name: 'Meilenstein erfassen' });
  const weight = form.getByLabel('Gewicht');
  // Nothing is judged before it is left.
  await weight.fill('abc');
  await expect(weight).not.toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.press('Tab');
  await expect(weight).toHaveAttribute('aria-invalid', 'true');
  const weightError = form.locator('#new-weight-error');
  await expect(weightError).toHaveText('⚠ Keine Zahl.');
  await expect(weight).toHaveAttribute('aria-describedby', /new-weight-error/);
  await weight.fill('1e2');
  await weight.blur();
  await expect(weightError).toHaveText('⚠ Keine Zahl.');
  await weight.fill('1,5');
  await weight.blur();
  await expect(weight).not.toHaveAttribute('aria-invalid', 'true');
  await expect(weightError).toHaveCount(0);
  await expect(weight).toHaveAttribute('aria-describedby', 'new-weight-hint');

  // A rule across fields: "done" needs its date, once that field has been left.
  const doneOn = form.getByLabel('Erreicht am');
  await form.getByLabel('Status').selectOption('done');
  await doneOn.focus();
  await doneOn.blur();
  await expect(form.locator('#new-done_on-error')).toHaveText('⚠ Bei Status „erreicht“ bitte das Datum angeben.');
  await form.getByLabel('Status').selectOption('planned');
  await form.getByLabel('Status').blur();
  await expect(form.locator('#new-done_on-error')).toHaveCount(0);
  const title = form.getByLabel('Titel');
  await title.focus();
  await title.blur();
  await expect(form.locator('#new-title-error')).toHaveText('⚠ Bitte ausfüllen.');
  await expectAccessible(page, testInfo);

  // The server still checks everything: what the browser let through it refuses as before.
  await title.fill('Kurs am Abend');
  await form.getByLabel('Fällig am').fill('2027-01-15');
  await form.getByLabel('Status').selectOption('done');
  await form.getByRole('button', { name: 'Meilenstein speichern' }).click();
  await expect(form.getByRole('alert')).toContainText('Bitte korrigieren Sie die folgenden Angaben');
});

test('a milestone can be marked reached, edited, cancelled and deleted', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await openSubgoal(page, NEEDS[4], 'Medienkompetenzen in allen Bildungsschichten fördern', testInfo);

  const title = unique('Kurs im Bürgerhaus');
  const form = page.getByRole('region', { name: 'Meilenstein erfassen' });
  await form.getByLabel('Titel').fill(title);
  await form.getByLabel('Fällig am').fill('2027-03-31');
  await form.getByRole('button', { name: 'Meilenstein speichern' }).click();
  const card = page.getByRole('article', { name: title });
  await expect(card).toBeVisible();
  await expect(card.getByRole('definition').filter({ hasText: /^geplant$/ })).toBeVisible();

  await card.getByRole('button', { name: `Als erreicht markieren: ${title}` }).click();
  await expect(card.getByRole('term').filter({ hasText: /^Erreicht am$/ })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Der Meilenstein ist als erreicht markiert.');
  await expect(card.getByRole('button', { name: /Als erreicht markieren/ })).toHaveCount(0);

  await card.getByText('Bearbeiten').click();
  const edited = `${title} (verschoben)`;
  await card.getByLabel('Titel').fill(edited);
  await card.getByLabel('Status').selectOption('in_progress');
  await card.getByRole('button', { name: 'Änderungen speichern' }).click();
  const editedCard = page.getByRole('article', { name: edited });
  await expect(editedCard).toBeVisible();
  await expect(editedCard.getByRole('definition').filter({ hasText: /^in Arbeit$/ })).toBeVisible();

  await editedCard.getByRole('button', { name: `Streichen: ${edited}` }).click();
  await expect(editedCard.getByRole('definition').filter({ hasText: /^gestrichen$/ })).toBeVisible();

  await editedCard.getByText('Löschen …').click();
  await editedCard.getByRole('button', { name: 'Endgültig löschen' }).click();
  await expect(page.getByRole('article', { name: edited })).toHaveCount(0);
  await expect(page.getByRole('status')).toHaveText('Der Meilenstein wurde gelöscht.');
});
