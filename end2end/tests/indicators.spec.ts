import { expect, test } from '@playwright/test';
import { NEEDS, USERS, expectAccessible, open, openSubgoal, settled, signIn, unique } from './helpers';

const SUBGOAL = 'WLAN und Hotspots ausbauen'; // owned by the Schulamt in the demo

test.beforeEach(async ({ page }, testInfo) => {
  await signIn(page, USERS.schulamt, testInfo);
  await open(page, '/', testInfo);
  await openSubgoal(page, NEEDS[0], SUBGOAL, testInfo);
});

test('an owner adds an indicator, records a reading and lets it measure the sub-goal', async ({ page }, testInfo) => {
  const name = unique('Klassenräume mit Beamer');
  const section = page.getByRole('region', { name: 'Indikatoren' });

  // A target equal to the baseline is refused beside the field, with what was typed kept.
  const adding = section.locator('details').filter({ has: page.locator('summary', { hasText: 'Indikator anlegen' }) });
  await adding.locator('summary').click();
  await adding.getByLabel('Bezeichnung').fill(name);
  await adding.getByLabel('Einheit').fill('Räume');
  await adding.getByLabel('Gut ist').selectOption('rising');
  await adding.getByLabel('Ausgangswert', { exact: true }).fill('10');
  await adding.getByLabel('Ausgangswert vom').fill('2025-01-01');
  await adding.getByLabel('Zielwert', { exact: true }).fill('10');
  await adding.getByLabel('Zielwert bis').fill('2027-12-31');
  await adding.getByRole('button', { name: 'Indikator anlegen' }).click();
  await settled(page, testInfo);
  const target = adding.getByLabel('Zielwert', { exact: true });
  await expect(target).toHaveAttribute('aria-invalid', 'true');
  await expect(adding.getByText('Der Zielwert muss sich vom Ausgangswert unterscheiden')).toBeVisible();
  await expect(adding.getByLabel('Bezeichnung')).toHaveValue(name);
  await target.fill('50');
  await adding.getByRole('button', { name: 'Indikator anlegen' }).click();
  await settled(page, testInfo);

  const card = section.getByRole('article', { name });
  await expect(card).toBeVisible();
  await expect(card.locator('dd', { hasText: '10 Räume (noch kein Messwert)' })).toBeVisible();

  // A reading: 30 of the way from 10 to 50 is half.
  await card.locator('summary', { hasText: 'Messwert erfassen' }).click();
  await card.getByLabel('Gemessen am', { exact: true }).fill('2026-06-30');
  await card.getByLabel('Wert', { exact: true }).fill('30');
  await card.getByLabel('Anmerkung (optional)').fill('Zählung der Medienzentrale');
  await card.getByRole('button', { name: 'Messwert speichern' }).click();
  await settled(page, testInfo);
  const saved = section.getByRole('article', { name });
  await expect(saved.locator('dd', { hasText: '30 Räume am 30.06.2026' })).toBeVisible();
  await expect(saved.getByText('50 %', { exact: true })).toBeVisible();
  const chart = saved.getByRole('img', { name: `Verlauf: ${name}` });
  await expect(chart).toBeVisible();
  await expect(chart.locator('desc')).toContainText('aktueller Stand 30 Räume am 30.06.2026 (50 %)');
  await saved.locator('summary', { hasText: 'Ausgangswert, Messwerte und Zielwert' }).click();
  await expect(saved.getByRole('table', { name: 'Ausgangswert, Messwerte und Zielwert' }).getByRole('row')).toHaveCount(4);

  // The indicator measures the sub-goal's progress; the page says so.
  await section.getByLabel('Fortschritt dieses Teilziels messen an').selectOption({ label: `dem Indikator „${name}“` });
  await section.getByRole('button', { name: 'Übernehmen' }).click();
  await settled(page, testInfo);
  await expect(page.getByText(`Fortschritt gemessen an: dem Indikator „${name}“`)).toBeVisible();
  await expect(page.getByText('Fortschritt des Teilziels: 50 %')).toBeVisible();
  await expectAccessible(page, testInfo);

  // Back to the milestones, and the indicator deleted: the demo's figures as they were.
  const region = page.getByRole('region', { name: 'Indikatoren' });
  await region.getByLabel('Fortschritt dieses Teilziels messen an').selectOption('milestones');
  await region.getByRole('button', { name: 'Übernehmen' }).click();
  await settled(page, testInfo);
  await expect(page.getByText('Fortschritt gemessen an: den Meilensteinen')).toBeVisible();
  const last = page.getByRole('region', { name: 'Indikatoren' }).getByRole('article', { name });
  await last.locator('summary', { hasText: 'Indikator löschen' }).click();
  await last.getByRole('button', { name: 'Indikator endgültig löschen' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 3, name })).toHaveCount(0);
});

test('a reading with a bad value is refused by name and keeps what was typed', async ({ page }, testInfo) => {
  const card = page.getByRole('region', { name: 'Indikatoren' }).getByRole('article', { name: /Schulen mit WLAN/ });
  await card.locator('summary', { hasText: 'Messwert erfassen' }).click();
  await card.getByLabel('Gemessen am', { exact: true }).fill('2026-06-30');
  await card.getByLabel('Wert', { exact: true }).fill('vierzig');
  await card.getByRole('button', { name: 'Messwert speichern' }).click();
  await settled(page, testInfo);
  const again = page.getByRole('region', { name: 'Indikatoren' }).getByRole('article', { name: /Schulen mit WLAN/ });
  const value = again.getByLabel('Wert', { exact: true });
  await expect(value).toHaveValue('vierzig');
  await expect(value).toHaveAttribute('aria-invalid', 'true');
  await expect(value).toBeFocused();
  await expect(again.getByText('Keine Zahl.')).toBeVisible();
  await expectAccessible(page, testInfo);
});
