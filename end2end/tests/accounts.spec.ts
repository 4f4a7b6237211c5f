import { expect, test, type Page } from '@playwright/test';
import { NEEDS, USERS, expectAccessible, open, openSubgoal, settled, signIn, unique } from './helpers';

test('an owner records on their own sub-goal and sees no edit controls on another', async ({ page }, testInfo) => {
  await signIn(page, USERS.schulamt, testInfo);
  await openSubgoal(page, NEEDS[0], 'WLAN und Hotspots ausbauen', testInfo);
  const form = page.getByRole('region', { name: 'Meilenstein erfassen' });
  const title = unique('Hotspot Rathausplatz');
  await form.getByLabel('Titel').fill(title);
  await form.getByLabel('Fällig am').fill('2027-05-31');
  await form.getByRole('button', { name: 'Meilenstein speichern' }).click();
  await expect(page.getByRole('heading', { level: 3, name: title })).toBeVisible();
  await expectAccessible(page, testInfo);

  await open(page, '/', testInfo);
  await openSubgoal(page, NEEDS[4], 'Medienkompetenzen in allen Bildungsschichten fördern', testInfo);
  await expectReadOnly(page);
});

test('a viewer sees everything and no edit controls', async ({ page }, testInfo) => {
  await signIn(page, USERS.viewer, testInfo);
  await openSubgoal(page, NEEDS[0], 'WLAN und Hotspots ausbauen', testInfo);
  await expectReadOnly(page);
  await expect(page.getByRole('link', { name: 'Zum Bearbeiten anmelden' })).toHaveCount(0);
});

test('the public reads the demo without edit controls and is offered to sign in', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await openSubgoal(page, NEEDS[0], 'WLAN und Hotspots ausbauen', testInfo);
  await expectReadOnly(page);
  await page.getByRole('link', { name: 'Zum Bearbeiten anmelden' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: 'Anmelden' })).toBeVisible();
});

test('signing in works with the keyboard alone, and signing out ends it', async ({ page }, testInfo) => {
  await open(page, '/login', testInfo);
  await expectAccessible(page, testInfo);
  // From the top of the page, Tab reaches the login name field.
  await page.locator('body').focus();
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    if (await page.getByLabel('Benutzername').evaluate((el) => el === document.activeElement).catch(() => false)) {
      break;
    }
  }
  await expect(page.getByLabel('Benutzername')).toBeFocused();
  await page.keyboard.type(USERS.admin.login);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Passwort')).toBeFocused();
  await page.keyboard.type(USERS.admin.password);
  await page.keyboard.press('Enter');
  await settled(page, testInfo);
  await expect(page.getByRole('banner').getByText(USERS.admin.name)).toBeVisible();
  await expectAccessible(page, testInfo);

  await page.getByRole('button', { name: 'Abmelden' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('link', { name: 'Anmelden' })).toBeVisible();
  await expect(page.getByRole('banner').getByText(USERS.admin.name)).toHaveCount(0);
});

test('a wrong password gets one plain message and keeps the user on the login page', async ({ page }, testInfo) => {
  await open(page, '/login', testInfo);
  await page.getByLabel('Benutzername').fill(USERS.viewer.login);
  await page.getByLabel('Passwort').fill('nicht das richtige Passwort');
  await page.getByRole('button', { name: 'Anmelden' }).last().click();
  await settled(page, testInfo);
  await expect(page.getByRole('alert')).toHaveText('Anmeldung fehlgeschlagen: Benutzername oder Passwort ist falsch.');
  await expect(page.getByRole('heading', { level: 1, name: 'Anmelden' })).toBeVisible();
  await expectAccessible(page, testInfo);
});

test('the content security policy holds: hydration raises no violation', async ({ page }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, 'needs JavaScript');
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await signIn(page, USERS.admin, testInfo);
  await openSubgoal(page, NEEDS[1], 'Lese- und Sprachförderung stärken', testInfo);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Record a milestone' })).toBeVisible();
  expect(violations).toEqual([]);
});

async function expectReadOnly(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 3 }).first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Meilenstein erfassen' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Als erreicht markieren/ })).toHaveCount(0);
  await expect(page.getByText('Bearbeiten', { exact: true })).toHaveCount(0);
  await expect(page.getByText(/Meilensteine erfassen und ändern können die Verantwortlichen/)).toBeVisible();
}

test('an idle session is announced before it ends and can be extended', async ({ page }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, 'the warning needs JavaScript');
  await page.clock.install();
  await signIn(page, USERS.viewer, testInfo);
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await page.clock.fastForward('25:01');
  const warning = page.getByRole('alertdialog', { name: 'Ihre Sitzung endet bald' });
  await expect(warning).toBeVisible();
  await expect(warning.getByRole('button', { name: 'Angemeldet bleiben' })).toBeFocused();
  await expectAccessible(page, testInfo);
  await page.keyboard.press('Enter');
  await expect(warning).toHaveCount(0);
  // The clock starts again: nothing for another 24 minutes, then the warning, then the end.
  await page.clock.fastForward('24:00');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await page.clock.fastForward('01:30');
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await page.clock.fastForward('05:00');
  await expect(page.getByRole('alert').filter({ hasText: 'wegen Inaktivität abgelaufen' })).toBeVisible();
});
