import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { USERS, expectAccessible, settled, signIn, unique } from './helpers';

// A server of its own (see playwright.config.ts): strategies made here stay here.
const port = Number(process.env.E2E_SETUP_PORT ?? Number(process.env.E2E_PORT ?? 3917) + 1);
test.use({ baseURL: `http://127.0.0.1:${port}` });

type Doc = Record<string, unknown>;

/** Presses Tab from the top of the page until `target` has the focus. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>): Promise<void> {
  await page.locator('body').focus();
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) break;
  }
  await expect(target).toBeFocused();
}

/** A document without what differs between two stored copies of one strategy. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Doc)
        .filter(([key]) => key !== 'id' && key !== 'as_of')
        .map(([key, v]) => [key, comparable(v)]),
    );
  }
  return value;
}

/** The strategy document the page's download link gives. */
async function downloaded(page: Page): Promise<Doc> {
  const link = page.getByRole('link', { name: /Strategiedokument \(JSON/ });
  const response = await page.request.get((await link.getAttribute('href'))!);
  expect(response.status()).toBe(200);
  return (await response.json()) as Doc;
}

/** Uploads a document on "Strategien verwalten", reads its preview and imports it. */
async function importDocument(page: Page, testInfo: TestInfo, name: string, doc: Doc): Promise<void> {
  await page.goto('/admin/strategies');
  await settled(page, testInfo);
  const region = page.getByRole('region', { name: 'Strategie importieren' });
  await region.getByLabel('Strategiedokument (JSON)').setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(doc, null, 2)),
  });
  await region.getByRole('button', { name: 'Hochladen und Vorschau zeigen' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: 'Vorschau des Imports' })).toBeVisible();
  await expectAccessible(page, testInfo);
  await page.getByRole('button', { name: 'Jetzt importieren' }).click();
  await settled(page, testInfo);
}

test('an admin sets up a strategy with two fields of action, imports another and downloads both', async ({ page }, testInfo) => {
  await signIn(page, USERS.admin, testInfo, '/admin/strategies');
  await expect(page.getByRole('heading', { level: 1, name: 'Strategien verwalten' })).toBeVisible();
  await expectAccessible(page, testInfo);

  // Refused first, every typed value kept, the problem next to its field.
  const title = unique('Digitalstrategie');
  const create = page.getByRole('region', { name: 'Neue Strategie anlegen' });
  await create.getByLabel('Titel').fill(title);
  await create.getByLabel('Stadt, Kreis oder Land').fill('Mainz');
  await create.getByLabel('Laufzeit von (Jahr)').fill('2030');
  await create.getByLabel('bis (Jahr)').fill('2024');
  await create.getByRole('button', { name: 'Strategie anlegen' }).click();
  await settled(page, testInfo);
  const again = page.getByRole('region', { name: 'Neue Strategie anlegen' });
  await expect(again.getByText('Das letzte Jahr liegt vor dem ersten.')).toBeVisible();
  await expect(again.getByLabel('Titel')).toHaveValue(title);
  await again.getByLabel('Laufzeit von (Jahr)').fill('2024');
  await again.getByLabel('bis (Jahr)').fill('2030');
  await again.getByRole('button', { name: 'Strategie anlegen' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('Diese Strategie hat noch keine Handlungsfelder.')).toBeVisible();
  await expect(page.getByText('Laufzeit 2024–2030')).toBeVisible();
  await expectAccessible(page, testInfo);

  for (const [field, goal] of [
    ['Bildung und Zusammenleben', 'Chancengleichheit fördern'],
    ['Verwaltung und Service', ''],
  ]) {
    const add = page.locator('form[action="/api/structure/field/add"]');
    await page.getByText('Handlungsfeld hinzufügen …').click();
    await add.getByLabel('Titel des Handlungsfelds').fill(field);
    await add.getByLabel('Strategisches Ziel').fill(goal);
    await add.getByRole('button', { name: 'Hinzufügen' }).click();
    await settled(page, testInfo);
    await expect(page.getByRole('heading', { level: 2, name: field })).toBeVisible();
  }

  // What the first field builds on: two entries, the second moved up.
  const first = page.getByRole('region', { name: 'Bildung und Zusammenleben' });
  for (const entry of ['Digitalpakt Schule', 'Schulcloud Rheinland-Pfalz']) {
    await first.getByText('„Worauf wir aufbauen“ bearbeiten …').click();
    await first.getByLabel('Neuer Eintrag').fill(entry);
    await first.locator('form[action="/api/structure/field/builds-on"]').last().getByRole('button', { name: 'Hinzufügen' }).click();
    await settled(page, testInfo);
  }
  await first.getByText('„Worauf wir aufbauen“ bearbeiten …').click();
  await first.getByRole('button', { name: '„Schulcloud Rheinland-Pfalz“ nach oben' }).click();
  await settled(page, testInfo);
  const list = page.getByRole('region', { name: 'Bildung und Zusammenleben' }).locator('details.builds-on li');
  await expect(list).toHaveText(['Schulcloud Rheinland-Pfalz', 'Digitalpakt Schule']);

  // A need in it, then the fields reordered and one archived and restored.
  const region = page.getByRole('region', { name: 'Bildung und Zusammenleben' });
  await region.getByText('Handlungsbedarf hinzufügen …').click();
  await region.locator('form[action="/api/structure/need/add"]').getByLabel('Titel').fill('Digitale Infrastruktur an Schulen');
  await region.locator('form[action="/api/structure/need/add"]').getByRole('button', { name: 'Hinzufügen' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('link', { name: 'Digitale Infrastruktur an Schulen' })).toBeVisible();

  await page.getByText('Handlungsfelder ordnen und archivieren …').click();
  await page.getByRole('button', { name: '„Verwaltung und Service“ nach oben' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 2 }).filter({ hasText: /^(Bildung|Verwaltung)/ })).toHaveText([
    'Verwaltung und Service',
    'Bildung und Zusammenleben',
  ]);
  await page.getByText('Handlungsfelder ordnen und archivieren …').click();
  await page.getByRole('button', { name: '„Verwaltung und Service“ archivieren' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 2, name: 'Verwaltung und Service' })).toHaveCount(0);
  const archived = page.getByRole('region', { name: 'Archiviert' });
  await expect(archived.getByText('Verwaltung und Service')).toBeVisible();
  await expectAccessible(page, testInfo);
  const withArchived = await downloaded(page);
  const fields = (withArchived.strategy as Doc).fields as Doc[];
  expect(fields.map((f) => [f.title, f.archived ?? false])).toEqual([
    ['Verwaltung und Service', true],
    ['Bildung und Zusammenleben', false],
  ]);
  await archived.getByRole('button', { name: '„Verwaltung und Service“ wiederherstellen' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 2, name: 'Verwaltung und Service' })).toBeVisible();

  // Its document, downloaded, imports back unchanged.
  const ours = await downloaded(page);
  expect((ours.strategy as Doc).title).toBe(title);
  expect((ours.strategy as Doc).period).toEqual({ from: 2024, to: 2030 });
  await importDocument(page, testInfo, 'eigene.json', ours);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  expect(comparable(await downloaded(page))).toEqual(comparable(ours));

  // A second strategy, by upload; its download is what was uploaded.
  const other: Doc = {
    format: 'meilenstein/1',
    strategy: {
      title: unique('Smart City Kreis'),
      city: 'Landkreis Mainz-Bingen',
      period: { from: 2025, to: 2029 },
      fields: [
        {
          title: 'Mobilität',
          builds_on: ['Radverkehrskonzept'],
          needs: [
            {
              title: 'Ladeinfrastruktur',
              subgoals: [
                {
                  title: 'Ladepunkte an Schulen',
                  owner: 'Kreisbauamt',
                  weight: 2,
                  milestones: [
                    { title: 'Standorte geprüft', due: '2026-03-31', status: 'done', done_on: '2026-03-15', weight: 1 },
                    { title: 'Ausschreibung', due: '2027-06-30', status: 'planned', weight: 1 },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  };
  await importDocument(page, testInfo, 'kreis.json', other);
  const otherTitle = (other.strategy as Doc).title as string;
  await expect(page.getByRole('heading', { level: 1, name: otherTitle })).toBeVisible();
  const back = await downloaded(page);
  const strip = (doc: unknown) => JSON.parse(JSON.stringify(comparable(doc), (key, v) => (['progress', 'overdue'].includes(key) ? undefined : v)));
  expect(strip(back)).toEqual(strip(other));
  await expectAccessible(page, testInfo);
});

test('a refused document is named problem by problem, and nothing is imported', async ({ page }, testInfo) => {
  await signIn(page, USERS.admin, testInfo, '/admin/strategies');
  const before = await page.getByRole('region', { name: 'Vorhandene Strategien' }).getByRole('listitem').count();
  await page.getByLabel('Strategiedokument (JSON)').setInputFiles({
    name: 'kaputt.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format": "meilenstein/1", "strategy": {"title": "Kaputt", "fields": [{"title": ""}]}}'),
  });
  await page.getByRole('button', { name: 'Hochladen und Vorschau zeigen' }).click();
  await settled(page, testInfo);
  await expect(page.getByText('Die Datei wird nicht importiert. Nichts wurde geschrieben.')).toBeVisible();
  const problems = page.getByRole('table', { name: 'Probleme, nach ihrer Stelle im Dokument' });
  await expect(problems.getByRole('row', { name: /strategy\.fields\[0\]\.title/ })).toContainText('Bitte ausfüllen.');
  await expect(page.getByRole('button', { name: 'Jetzt importieren' })).toHaveCount(0);
  await expectAccessible(page, testInfo);
  await page.getByRole('button', { name: 'Verwerfen' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: 'Strategien verwalten' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Vorhandene Strategien' }).getByRole('listitem')).toHaveCount(before);
});

test('with the keyboard alone, an admin creates a strategy', async ({ page }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, 'once, with JavaScript');
  await signIn(page, USERS.admin, testInfo, '/admin/strategies');
  const title = unique('Tastatur-Strategie');
  await tabTo(page, page.getByRole('region', { name: 'Neue Strategie anlegen' }).getByLabel('Titel'));
  await page.keyboard.type(title);
  for (const value of ['Mainz', '2024', '2030']) {
    await page.keyboard.press('Tab');
    await page.keyboard.type(value);
  }
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Beschreibung (optional)')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Strategie anlegen' })).toBeFocused();
  await page.keyboard.press('Enter');
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();

  // A field of action, from the keyboard: open the form with Enter on its summary.
  await tabTo(page, page.getByText('Handlungsfeld hinzufügen …'));
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Titel des Handlungsfelds')).toBeFocused();
  await page.keyboard.type('Wirtschaft und Arbeit');
  await page.keyboard.press('Enter');
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 2, name: 'Wirtschaft und Arbeit' })).toBeVisible();
});

test('a structure sheet from the office sets up the fields, needs and sub-goals after its preview', async ({ page }, testInfo) => {
  await signIn(page, USERS.admin, testInfo, '/admin/strategies');
  const title = unique('Aus Tabelle');
  const create = page.getByRole('region', { name: 'Neue Strategie anlegen' });
  await create.getByLabel('Titel').fill(title);
  await create.getByLabel('Stadt, Kreis oder Land').fill('Mainz');
  await create.getByLabel('Laufzeit von (Jahr)').fill('2025');
  await create.getByLabel('bis (Jahr)').fill('2030');
  await create.getByRole('button', { name: 'Strategie anlegen' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();

  await page.getByText('Struktur aus einer Tabelle übernehmen …').click();
  // As German Excel saves "CSV UTF-8": a byte-order mark, semicolons, a decimal comma.
  const sheet =
    '\ufeffHandlungsfeld;Strategisches Ziel;Handlungsbedarf;Teilziel;Zuständig;Gewicht\r\n' +
    'Bildung und Zusammenleben;Chancengleichheit fördern;Digitale Infrastruktur;WLAN an allen Schulen;Amt 40;2\r\n' +
    'Bildung und Zusammenleben;;Digitale Infrastruktur;Tablets für Grundschulen;Amt 40;1,5\r\n' +
    'Verwaltung;;Onlinedienste;OZG-Leistungen anbieten;Hauptamt;\r\n';
  await page.getByLabel('Strukturtabelle (XLSX oder CSV)').setInputFiles({
    name: 'struktur.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(sheet, 'utf8'),
  });
  await page.getByRole('button', { name: 'Strukturtabelle hochladen und Vorschau zeigen' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: 'Vorschau: Struktur aus einer Tabelle' })).toBeVisible();
  const counts = page.getByRole('table', { name: 'Was die Tabelle ändert' });
  await expect(counts.getByRole('row', { name: /Neue Teilziele/ })).toContainText('3');
  await expect(page.getByRole('table', { name: 'Neue Teilziele' }).getByRole('row', { name: /Tablets für Grundschulen/ })).toContainText('1,5');
  await expectAccessible(page, testInfo);
  await page.getByRole('button', { name: 'Übernehmen' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Bildung und Zusammenleben' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Verwaltung' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Onlinedienste' })).toBeVisible();
});
