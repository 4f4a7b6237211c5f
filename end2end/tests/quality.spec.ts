import { expect, test } from '@playwright/test';
import { USERS, expectAccessible, open, settled, signIn } from './helpers';

test('the CDO office reads the data quality and follows a finding to where it is fixed', async ({ page }, testInfo) => {
  await signIn(page, USERS.admin, testInfo);
  await page.getByRole('navigation').getByRole('link', { name: 'Datenqualität' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Datenqualität');
  await expect(page.locator('.figure-value')).toHaveText(/^\d+\s%$/);
  await expect(page.getByRole('table', { name: 'Datenqualität je Fachbereich' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Datenqualität je Handlungsbedarf' })).toBeVisible();
  await page.getByText('Wie wird das berechnet?').click();
  await expect(page.getByText(/Jede Prüfung, die auf einen Eintrag zutrifft/)).toBeVisible();
  await expectAccessible(page, testInfo);

  // One department only, then a finding's link leads to its sub-goal.
  await page.getByRole('table', { name: 'Datenqualität je Fachbereich' }).getByRole('link', { name: 'Volkshochschule Mainz' }).click();
  await settled(page, testInfo);
  await expect(page.getByText('Nur der Fachbereich')).toBeVisible();
  const findings = page.getByRole('table', { name: 'Zu prüfen' });
  if ((await findings.count()) > 0) {
    const link = findings.getByRole('link').first();
    const href = await link.getAttribute('href');
    await link.click();
    await settled(page, testInfo);
    expect(new URL(page.url()).pathname).toBe(href!.split('#')[0]);
  }
});

test('the data quality is for those signed in', async ({ page }, testInfo) => {
  const response = await page.goto('/quality');
  expect(response?.status()).toBe(401);
  await open(page, '/', testInfo);
});
