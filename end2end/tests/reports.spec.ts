import { expect, test } from '@playwright/test';
import { USERS, expectAccessible, open, settled, signIn, unique } from './helpers';

test('the CDO office makes a report, the council reads it, and the next one says what changed', async ({ page }, testInfo) => {
  await signIn(page, USERS.admin, testInfo, '/reports');
  await expect(page.getByRole('heading', { level: 1, name: 'Berichte' })).toBeVisible();

  // A refused form comes back with the problem by its field and what was typed.
  const form = page.getByRole('region', { name: 'Bericht erstellen' });
  await form.getByLabel('Stichtag (leer: heute)').fill('2099-01-01');
  await form.getByRole('button', { name: 'Bericht erstellen' }).click();
  await settled(page, testInfo);
  const refused = page.getByRole('region', { name: 'Bericht erstellen' });
  await expect(refused.getByText('Bitte ausfüllen.')).toBeVisible();
  await expect(refused.getByText('Liegt in der Zukunft.')).toBeVisible();

  const first = unique('Sitzung A');
  await refused.getByLabel(/^Name/).fill(first);
  await refused.getByLabel('Stichtag (leer: heute)').fill('2026-06-30');
  await refused.getByLabel('Vorwort (optional)').fill('Zum Stand der Digitalstrategie.');
  await refused.getByRole('button', { name: 'Bericht erstellen' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: first })).toBeVisible();
  await expect(page.getByText('Die Änderung wurde gespeichert.')).toBeVisible();
  await expect(page.locator('p.lead')).toContainText('Stichtag 30.06.2026');
  await expect(page.getByRole('table', { name: /Fortschritt und Stand je Handlungsfeld/ })).toBeVisible();
  await expectAccessible(page, testInfo);

  await open(page, '/reports', testInfo);
  const second = unique('Sitzung B');
  await page.getByRole('region', { name: 'Bericht erstellen' }).getByLabel(/^Name/).fill(second);
  await page.getByRole('region', { name: 'Bericht erstellen' }).getByRole('button', { name: 'Bericht erstellen' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: second })).toBeVisible();
  // By default compared with the latest earlier report (other tests make reports too); any
  // other can be chosen.
  const since = page.getByRole('region', { name: 'Seit dem letzten Bericht' });
  await expect(since.getByText(/Verglichen mit „/)).toBeVisible();
  await since.getByLabel('Vergleichen mit').selectOption({ label: `${first} (30.06.2026)` });
  await since.getByRole('button', { name: 'Vergleichen' }).click();
  await settled(page, testInfo);
  await expect(page).toHaveURL(/compare=\d+/);
  const chosen = page.getByRole('region', { name: 'Seit dem letzten Bericht' });
  await expect(chosen.getByText(`Verglichen mit „${first}“ (Stichtag 30.06.2026).`)).toBeVisible();
  await expect(chosen.getByRole('table', { name: 'Änderungen je Handlungsfeld und Handlungsbedarf' })).toBeVisible();
  await expectAccessible(page, testInfo);

  // Compared with today instead: a plain GET form, with and without JavaScript.
  await chosen.getByLabel('Vergleichen mit').selectOption({ label: 'dem heutigen Stand' });
  await chosen.getByRole('button', { name: 'Vergleichen' }).click();
  await settled(page, testInfo);
  await expect(page).toHaveURL(/compare=today/);
  await expect(page.getByText(/Verglichen mit dem heutigen Stand/)).toBeVisible();

  // The overview as a spreadsheet that German Excel opens by double-click.
  const id = new URL(page.url()).pathname.split('/').pop();
  const csv = await page.request.get(`/reports/${id}/overview.csv`);
  expect(csv.status()).toBe(200);
  const bytes = await csv.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toMatch(/^Stichtag;Handlungsfeld;Handlungsbedarf;/);

  // The council reads the list, without the form.
  await page.context().clearCookies();
  await signIn(page, USERS.viewer, testInfo, '/reports');
  await expect(page.getByRole('link', { name: first })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Bericht erstellen' })).toHaveCount(0);
  await expectAccessible(page, testInfo);
});
