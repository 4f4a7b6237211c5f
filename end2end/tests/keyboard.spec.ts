import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { NEEDS, USERS, settled, unique } from './helpers';

// Every workflow with the keyboard alone (WCAG 2.1.1): Tab to each control (found by its role
// and label, as a screen reader user finds it), type, press Enter or Space. No click anywhere.
// With JavaScript and without: the plain form posts and the hydrated page alike.

/** Presses Tab until `target` has keyboard focus (at most `most` times). */
async function tabTo(page: Page, target: Locator, most = 300): Promise<void> {
  await expect(target).toBeAttached();
  for (let i = 0; i < most; i += 1) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`not reachable with Tab: ${target}`);
}

/** Tabs to a text field, empties it and types `text`. */
async function typeInto(page: Page, field: Locator, text: string): Promise<void> {
  await tabTo(page, field);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

/** The order of a date field's parts, which follows the browser's own language. */
let dateOrder: ('d' | 'm' | 'y')[] | null = null;
const DATE_ORDERS: ('d' | 'm' | 'y')[][] = [['d', 'm', 'y'], ['m', 'd', 'y'], ['y', 'm', 'd']];

/**
 * Tabs to a date field and types the day, part by part, in the order the field shows them
 * (TT.MM.JJJJ in a German browser); found once by trying, each wrong try emptied again with
 * Backspace and Shift+Tab.
 */
async function typeDate(page: Page, field: Locator, iso: string): Promise<void> {
  const [y, m, d] = iso.split('-');
  const parts = { y, m, d };
  for (const order of dateOrder ? [dateOrder] : DATE_ORDERS) {
    await tabTo(page, field);
    await page.keyboard.type(order.map((part) => parts[part]).join(''));
    if ((await field.inputValue()) === iso) {
      dateOrder = order;
      return;
    }
    for (let i = 0; i < 3; i += 1) {
      await page.keyboard.press('Backspace');
      if (i < 2) await page.keyboard.press('Shift+Tab');
    }
  }
  throw new Error(`could not type ${iso} into ${field}`);
}

/** Tabs to a select and picks the option whose text starts with `text` by typing it. */
async function choose(page: Page, select: Locator, text: string): Promise<void> {
  await tabTo(page, select);
  await page.keyboard.type(text);
  const chosen = await select.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');
  expect(chosen.trim().startsWith(text), `"${chosen}" chosen`).toBe(true);
}

/** Tabs to a link, button or summary and presses Enter; waits for the page it leads to. */
async function press(page: Page, control: Locator, testInfo: TestInfo, key = 'Enter'): Promise<void> {
  await tabTo(page, control);
  await page.keyboard.press(key);
  await settled(page, testInfo);
}

async function signInByKeyboard(page: Page, user: { login: string; password: string; name: string }, testInfo: TestInfo): Promise<void> {
  await page.goto('/login');
  await settled(page, testInfo);
  await typeInto(page, page.getByLabel('Benutzername'), user.login);
  await typeInto(page, page.getByLabel('Passwort'), user.password);
  await page.keyboard.press('Enter');
  await settled(page, testInfo);
  await expect(page.getByRole('banner').getByText(user.name)).toBeVisible();
}

/** From the start page to a sub-goal, link by link. */
async function toSubgoal(page: Page, need: string, subgoal: string, testInfo: TestInfo): Promise<void> {
  await press(page, page.getByRole('banner').getByRole('link', { name: 'Übersicht' }), testInfo);
  await press(page, page.getByRole('table', { name: /Handlungsbedarfe/ }).getByRole('link', { name: need }), testInfo);
  await press(page, page.getByRole('table', { name: 'Teilziele dieses Handlungsbedarfs' }).getByRole('link', { name: subgoal }), testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(subgoal);
}

test('an owner records a milestone, marks it reached and edits it, by keyboard', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await signInByKeyboard(page, USERS.vhs, testInfo);
  await toSubgoal(page, NEEDS[4], 'Medienkompetenzen in allen Bildungsschichten fördern', testInfo);

  const title = unique('Tastaturkurs');
  const form = page.getByRole('region', { name: 'Meilenstein erfassen' });
  await typeInto(page, form.getByLabel('Titel'), title);
  await typeDate(page, form.getByLabel('Fällig am'), '2027-03-31');
  await press(page, form.getByRole('button', { name: 'Meilenstein speichern' }), testInfo);
  await expect(page.getByRole('status')).toHaveText('Der Meilenstein wurde gespeichert.');
  const card = page.getByRole('article', { name: title });
  await expect(card).toBeVisible();

  await press(page, card.getByRole('button', { name: `Als erreicht markieren: ${title}` }), testInfo);
  await expect(page.getByRole('status')).toHaveText('Der Meilenstein ist als erreicht markiert.');
  await expect(card.getByRole('term').filter({ hasText: /^Erreicht am$/ })).toBeVisible();

  // "Bearbeiten" folds open with Enter; the changed title is saved with Enter on the button.
  const reached = page.getByRole('article', { name: title });
  await press(page, reached.locator('summary', { hasText: 'Bearbeiten' }), testInfo);
  const edited = `${title} (per Tastatur)`;
  await typeInto(page, reached.getByLabel('Titel'), edited);
  await press(page, reached.getByRole('button', { name: 'Änderungen speichern' }), testInfo);
  await expect(page.getByRole('status')).toHaveText('Die Änderungen wurden gespeichert.');
  await expect(page.getByRole('article', { name: edited })).toBeVisible();
});

test('an owner adds an indicator and records a reading, by keyboard', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await signInByKeyboard(page, USERS.schulamt, testInfo);
  await toSubgoal(page, NEEDS[0], 'WLAN und Hotspots ausbauen', testInfo);

  const name = unique('Tastatur-Räume');
  const section = page.getByRole('region', { name: 'Indikatoren' });
  const adding = section.locator('details').filter({ has: page.locator('summary', { hasText: 'Indikator anlegen' }) });
  await press(page, adding.locator('summary'), testInfo);
  await typeInto(page, adding.getByLabel('Bezeichnung'), name);
  await typeInto(page, adding.getByLabel('Einheit'), 'Räume');
  await choose(page, adding.getByLabel('Gut ist'), 'steigend');
  await typeInto(page, adding.getByLabel('Ausgangswert', { exact: true }), '10');
  await typeDate(page, adding.getByLabel('Ausgangswert vom'), '2025-01-01');
  await typeInto(page, adding.getByLabel('Zielwert', { exact: true }), '50');
  await typeDate(page, adding.getByLabel('Zielwert bis'), '2027-12-31');
  await press(page, adding.getByRole('button', { name: 'Indikator anlegen' }), testInfo);
  const card = page.getByRole('region', { name: 'Indikatoren' }).getByRole('article', { name });
  await expect(card).toBeVisible();

  await press(page, card.locator('summary', { hasText: 'Messwert erfassen' }), testInfo);
  await typeDate(page, card.getByLabel('Gemessen am', { exact: true }), '2026-06-30');
  await typeInto(page, card.getByLabel('Wert', { exact: true }), '30');
  await press(page, card.getByRole('button', { name: 'Messwert speichern' }), testInfo);
  const saved = page.getByRole('region', { name: 'Indikatoren' }).getByRole('article', { name });
  await expect(saved.locator('dd', { hasText: '30 Räume am 30.06.2026' })).toBeVisible();
});

test('the CDO office creates an account and changes its role, by keyboard', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await signInByKeyboard(page, USERS.admin, testInfo);
  await press(page, page.getByRole('banner').getByRole('link', { name: 'Verwaltung' }), testInfo);
  const login = unique('tastatur').replace(/\s+/g, '').toLowerCase();
  const form = page.getByRole('region', { name: 'Neues Konto' });
  await typeInto(page, form.getByLabel('Benutzername'), login);
  await typeInto(page, form.getByLabel('Angezeigter Name'), `Amt ${login}`);
  await typeInto(page, form.getByLabel('Erstes Passwort'), 'Domplatz und Rheinufer');
  await press(page, form.getByRole('button', { name: 'Konto anlegen' }), testInfo);
  const card = page.getByRole('article', { name: new RegExp(`Amt ${login}`) });
  await expect(card).toBeVisible();

  await choose(page, card.getByLabel('Rolle'), 'Verantwortlich');
  await press(page, card.getByRole('button', { name: 'Rolle ändern' }), testInfo);
  const changed = page.getByRole('article', { name: new RegExp(`Amt ${login}`) });
  const role = await changed.getByLabel('Rolle').evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');
  expect(role.trim()).toBe('Verantwortlich');
});

test('the CDO office adds a sub-goal to a need, by keyboard', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await signInByKeyboard(page, USERS.admin, testInfo);
  await press(page, page.getByRole('banner').getByRole('link', { name: 'Übersicht' }), testInfo);
  await press(page, page.getByRole('table', { name: /Handlungsbedarfe/ }).getByRole('link', { name: NEEDS[4] }), testInfo);
  const title = unique('Tastatur-Teilziel');
  const adding = page.locator('details', { hasText: 'Teilziel hinzufügen …' });
  await press(page, adding.locator('summary'), testInfo);
  await typeInto(page, adding.getByLabel('Titel'), title);
  await typeInto(page, adding.getByLabel('Verantwortlich'), 'Hauptamt – Digitalisierung');
  await typeInto(page, adding.getByLabel('Gewicht'), '2');
  await press(page, adding.getByRole('button', { name: 'Hinzufügen' }), testInfo);
  await expect(page.getByRole('table', { name: 'Teilziele dieses Handlungsbedarfs' }).getByRole('rowheader', { name: title })).toBeVisible();
});

test('the CDO office makes a report for the council, by keyboard', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await signInByKeyboard(page, USERS.admin, testInfo);
  await press(page, page.getByRole('banner').getByRole('link', { name: 'Berichte' }), testInfo);
  const name = unique('Tastatur-Bericht');
  const form = page.getByRole('region', { name: 'Bericht erstellen' });
  await typeInto(page, form.getByLabel(/^Name/), name);
  await typeDate(page, form.getByLabel('Stichtag (leer: heute)'), '2026-06-30');
  await press(page, form.getByRole('button', { name: 'Bericht erstellen' }), testInfo);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.locator('p.lead')).toContainText('Stichtag 30.06.2026');
});
