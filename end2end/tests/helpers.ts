import { expect, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Opens a page and, where JavaScript runs, waits until the app has hydrated. */
export async function open(page: Page, path: string, testInfo: TestInfo): Promise<void> {
  await page.goto(path);
  await settled(page, testInfo);
}

/** Waits for hydration after a navigation, when the project runs JavaScript. */
export async function settled(page: Page, testInfo: TestInfo): Promise<void> {
  if (testInfo.project.use.javaScriptEnabled !== false) {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  }
}

/**
 * No WCAG 2.1 A/AA violation that axe-core can find on the page as it is now. Without
 * JavaScript axe cannot run in the page itself, so the same URL (with the same cookies) is
 * checked in a second page that runs scripts but loads none of the app's: the server-rendered
 * HTML exactly as a browser without JavaScript gets it.
 */
export async function expectAccessible(page: Page, testInfo?: TestInfo): Promise<void> {
  if (testInfo?.project.use.javaScriptEnabled === false) {
    const context = await page.context().browser()!.newContext({ locale: 'de-DE', javaScriptEnabled: true });
    await context.addCookies(await page.context().cookies());
    const serverRendered = await context.newPage();
    await serverRendered.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
    await serverRendered.goto(page.url());
    await expectAccessible(serverRendered);
    await context.close();
    return;
  }
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary).toEqual([]);
}

/** The sub-goals table of a need page links each sub-goal. */
export async function openSubgoal(page: Page, need: string, subgoal: string, testInfo: TestInfo): Promise<void> {
  await page.getByRole('table', { name: /Handlungsbedarfe/ }).getByRole('link', { name: need }).click();
  await settled(page, testInfo);
  await page.getByRole('table', { name: 'Teilziele dieses Handlungsbedarfs' }).getByRole('link', { name: subgoal }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(subgoal);
}

/** Demo accounts (see README): one per role. */
export const USERS = {
  admin: { login: 'cdo', password: 'gutenberg-druckt-2026', name: 'CDO-Büro (Demo)' },
  schulamt: { login: 'schulamt', password: 'wlan-fuer-alle-schulen', name: 'Amt für Schule und Bildung (Demo)' },
  vhs: { login: 'vhs', password: 'lernen-ein-leben-lang', name: 'Volkshochschule Mainz (Demo)' },
  viewer: { login: 'rat', password: 'ratssitzung-im-stadthaus', name: 'Stadtrat (Demo)' },
};

/**
 * Signs in through the login page and comes back to `path`; with `null`, stays where signing
 * in leads (an owner's own page, "Meine Teilziele", for the start page).
 */
export async function signIn(
  page: Page,
  user: { login: string; password: string; name: string },
  testInfo: TestInfo,
  path: string | null = '/',
): Promise<void> {
  await open(page, `/login?next=${encodeURIComponent(path ?? '/')}`, testInfo);
  await page.getByLabel('Benutzername').fill(user.login);
  await page.getByLabel('Passwort').fill(user.password);
  await page.getByRole('button', { name: 'Anmelden' }).last().click();
  await settled(page, testInfo);
  await expect(page.getByRole('banner').getByText(user.name)).toBeVisible();
  if (path !== null && new URL(page.url()).pathname !== path) {
    await open(page, path, testInfo);
  }
}

/** The progress figure in a table row, as a number; NaN for "kein Plan". */
export async function rowProgress(page: Page, rowName: string): Promise<number> {
  const row = page.getByRole('row', { name: rowName });
  const text = await row.getByRole('cell').first().innerText();
  return Number.parseInt(text, 10);
}

export const NEEDS = [
  'Digitale Infrastruktur in Bildungs- und Kultureinrichtungen stärken',
  'Digitale Kompetenzen und Kommunikation fördern',
  'Kinder und Jugendliche erreichen',
  'Ältere Menschen erreichen',
  'Digitale Teilhabe fördern',
];

/** A title no other test run uses. */
export function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
