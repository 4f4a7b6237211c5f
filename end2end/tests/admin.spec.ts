import { expect, test } from '@playwright/test';
import { NEEDS, USERS, expectAccessible, open, openSubgoal, settled, signIn, unique } from './helpers';

test('the CDO office creates an account, assigns a sub-goal and deactivates it', async ({ page }, testInfo) => {
  await signIn(page, USERS.admin, testInfo, '/admin');
  await expect(page.getByRole('heading', { level: 1, name: 'Verwaltung' })).toBeVisible();
  await expectAccessible(page, testInfo);

  const login = unique('amt').replace(/\s+/g, '').toLowerCase();
  const form = page.getByRole('region', { name: 'Neues Konto' });
  await form.getByLabel('Benutzername').fill(login);
  await form.getByLabel('Angezeigter Name').fill(`Amt ${login}`);
  await form.getByLabel('Erstes Passwort').fill('passwort1234');
  await form.getByRole('button', { name: 'Konto anlegen' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('region', { name: 'Neues Konto' }).getByText('Zu verbreitet oder zu leicht zu erraten')).toBeVisible();

  const retry = page.getByRole('region', { name: 'Neues Konto' });
  await retry.getByLabel('Benutzername').fill(login);
  await retry.getByLabel('Angezeigter Name').fill(`Amt ${login}`);
  await retry.getByLabel('Erstes Passwort').fill('Domplatz und Rheinufer');
  await retry.getByRole('button', { name: 'Konto anlegen' }).click();
  await settled(page, testInfo);
  const card = page.getByRole('article', { name: new RegExp(`Amt ${login}`) });
  await expect(card).toBeVisible();

  await card.getByLabel('Teilziel').selectOption({ label: `${NEEDS[2]} › Analoge und digitale Angebote aufeinander abstimmen` });
  await card.getByRole('button', { name: 'Zuweisen' }).click();
  await settled(page, testInfo);
  const assigned = page.getByRole('article', { name: new RegExp(`Amt ${login}`) });
  await expect(assigned.getByRole('link', { name: /Analoge und digitale Angebote/ })).toBeVisible();

  await assigned.getByRole('button', { name: `Deaktivieren: Amt ${login}` }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('article', { name: new RegExp(`Amt ${login}`) }).getByText('deaktiviert')).toBeVisible();
  await expectAccessible(page, testInfo);
});

test('the log filters by who and downloads as CSV', async ({ page }, testInfo) => {
  await signIn(page, USERS.admin, testInfo, '/admin/audit');
  await page.getByLabel('Wer (Benutzername)').fill('cdo');
  await page.getByRole('button', { name: 'Filtern' }).click();
  await settled(page, testInfo);
  await expect(page).toHaveURL(/actor=cdo/);
  const log = page.getByRole('table', { name: /Wer hat wann was geändert/ });
  await expect(log.getByRole('cell', { name: 'Angemeldet' }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Als CSV herunterladen' })).toHaveAttribute('href', /audit\.csv\?actor=cdo/);
  const csv = await page.request.get((await page.getByRole('link', { name: 'Als CSV herunterladen' }).getAttribute('href'))!);
  expect(csv.status()).toBe(200);
  // German Excel opens it by double-click: a byte-order mark, then columns split at ';'.
  const bytes = await csv.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe('id;at;actor;action;object_type;object_id;subgoal_id;details;hash');
  await expectAccessible(page, testInfo);
});

test('everyone signed in sees who changed a sub-goal, and only admins administer', async ({ page }, testInfo) => {
  await signIn(page, USERS.vhs, testInfo);
  await openSubgoal(page, NEEDS[3], 'Digitale Lernorte aufbauen', testInfo);
  const title = unique('Lernort Altstadt');
  const form = page.getByRole('region', { name: 'Meilenstein erfassen' });
  await form.getByLabel('Titel').fill(title);
  await form.getByLabel('Fällig am').fill('2027-04-30');
  await form.getByRole('button', { name: 'Meilenstein speichern' }).click();
  await expect(page.getByRole('heading', { level: 3, name: title })).toBeVisible();

  await page.getByRole('link', { name: 'Verlauf dieses Teilziels' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: 'Digitale Lernorte aufbauen' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: title });
  await expect(row.getByRole('cell', { name: 'vhs', exact: true })).toBeVisible();
  await expect(row.getByText('Meilenstein angelegt')).toBeVisible();
  await expectAccessible(page, testInfo);

  const response = await page.goto('/admin');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Keine Berechtigung' })).toBeVisible();
});

test('the CDO office adds a sub-goal to a need and corrects its weight', async ({ page }, testInfo) => {
  await signIn(page, USERS.admin, testInfo);
  await page.getByRole('table', { name: /Handlungsbedarfe/ }).getByRole('link', { name: NEEDS[4] }).click();
  await settled(page, testInfo);
  const title = unique('Offene WLAN-Zugänge in Bürgerhäusern');
  const addForm = () => page.locator('details', { hasText: 'Teilziel hinzufügen …' });
  await page.getByText('Teilziel hinzufügen …').click();
  await addForm().getByLabel('Titel').fill(title);
  await addForm().getByLabel('Verantwortlich').fill('Hauptamt – Digitalisierung');
  await addForm().getByLabel('Gewicht').fill('zwei');
  await addForm().getByRole('button', { name: 'Hinzufügen' }).click();
  await settled(page, testInfo);
  await expect(addForm().getByText('Keine Zahl.')).toBeVisible();
  await expect(addForm().getByLabel('Gewicht')).toHaveAttribute('aria-invalid', 'true');
  await expect(addForm().getByLabel('Titel'), 'what was typed is kept').toHaveValue(title);
  await expectAccessible(page, testInfo);

  await addForm().getByLabel('Gewicht').fill('2');
  await addForm().getByRole('button', { name: 'Hinzufügen' }).click();
  await settled(page, testInfo);
  const subgoals = page.getByRole('table', { name: 'Teilziele dieses Handlungsbedarfs' });
  await expect(subgoals.getByRole('rowheader', { name: title })).toBeVisible();

  await subgoals.getByRole('link', { name: title }).click();
  await settled(page, testInfo);
  await page.getByText('Teilziel bearbeiten …').click();
  const editForm = page.locator('details', { hasText: 'Teilziel bearbeiten …' });
  await editForm.getByLabel('Gewicht').fill('1,5');
  await editForm.getByRole('button', { name: 'Speichern' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('definition').filter({ hasText: /^1,5$/ })).toBeVisible();
});

test('the CDO office sets a new plan baseline for a need, with a reason', async ({ page }, testInfo) => {
  await signIn(page, USERS.admin, testInfo);
  await page.getByRole('table', { name: /Handlungsbedarfe/ }).getByRole('link', { name: NEEDS[1] }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 2, name: 'Plan und Prognose' })).toBeVisible();
  const form = () => page.locator('details', { hasText: 'Hält die heutigen Fälligkeitsdaten' });
  // Opened with the keyboard; refused without a reason, the problem next to the field.
  await page.locator('summary', { hasText: 'Neuen Plan-Stand festlegen' }).focus();
  await page.keyboard.press('Enter');
  await form().getByRole('button', { name: 'Neuen Plan-Stand festlegen' }).click();
  await settled(page, testInfo);
  await expect(form().getByLabel('Grund')).toHaveAttribute('aria-invalid', 'true');
  await expect(form().locator('.field-error')).toBeVisible();

  const reason = unique('Haushalt 2027 beschlossen');
  await form().getByLabel('Grund').fill(reason);
  await form().getByRole('button', { name: 'Neuen Plan-Stand festlegen' }).click();
  await settled(page, testInfo);
  const baselines = page.getByRole('table', { name: /Festgelegte Plan-Stände/ });
  await expect(baselines.getByRole('cell', { name: reason })).toBeVisible();
  await expect(baselines.getByRole('cell', { name: 'cdo', exact: true }).first()).toBeVisible();
  await expectAccessible(page, testInfo);
});

test('the CDO office gives an owner an address and a language for reminders, and sets when they come', async ({ page }, testInfo) => {
  await signIn(page, USERS.admin, testInfo, '/admin');
  const card = () => page.getByRole('article', { name: new RegExp(USERS.vhs.name.replace(/[()]/g, '\\$&')) });
  await card().getByLabel('E-Mail-Adresse').fill('vhs bei mainz');
  await card().getByRole('button', { name: 'E-Mail und Sprache speichern' }).click();
  await settled(page, testInfo);
  // Refused next to the field, as typed; nothing stored.
  const email = card().getByLabel('E-Mail-Adresse');
  await expect(email).toHaveValue('vhs bei mainz');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(card().getByText('Bitte eine E-Mail-Adresse wie name@mainz.de eingeben')).toBeVisible();
  await expectAccessible(page, testInfo);

  await email.fill('vhs@mainz.example');
  await card().getByLabel('Sprache der Erinnerungen').selectOption({ label: 'Englisch' });
  await card().getByRole('button', { name: 'E-Mail und Sprache speichern' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('status')).toBeVisible();
  await expect(card().getByLabel('E-Mail-Adresse')).toHaveValue('vhs@mainz.example');
  await expect(card().getByLabel('Sprache der Erinnerungen')).toHaveValue('en');

  const reminders = page.locator('form[action="/api/admin/settings/reminders"]');
  await reminders.getByLabel('Stunde des Versands (0 bis 23)').fill('25');
  await reminders.getByRole('button', { name: 'Erinnerungen speichern' }).click();
  await settled(page, testInfo);
  const hour = page.locator('form[action="/api/admin/settings/reminders"]').getByLabel('Stunde des Versands (0 bis 23)');
  await expect(hour).toHaveValue('25');
  await expect(hour).toHaveAttribute('aria-invalid', 'true');
  await hour.fill('6');
  await page.locator('form[action="/api/admin/settings/reminders"]').getByRole('button', { name: 'Erinnerungen speichern' }).click();
  await settled(page, testInfo);
  await expect(page.locator('form[action="/api/admin/settings/reminders"]').getByLabel('Stunde des Versands (0 bis 23)')).toHaveValue('6');
  await expectAccessible(page, testInfo);
});
