import { expect, test, type Page } from '@playwright/test';
import { USERS, expectAccessible, open, settled, signIn } from './helpers';

// What BITV 2.0 asks beyond WCAG: the accessibility statement (§ 7) and Leichte Sprache (§ 4),
// reachable from every page, in both languages; a print stylesheet; charts whose colours keep
// their contrast in the normal, the high-contrast and the forced-colours theme and in grey.

test('the statement and Leichte Sprache are linked from the start page, in German and English', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  const footer = page.getByRole('contentinfo');
  await footer.getByRole('link', { name: 'Leichte Sprache' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Leichte Sprache');
  await expect(page.getByRole('heading', { level: 2, name: 'Was ist Meilenstein?' })).toBeVisible();
  await expectAccessible(page, testInfo);
  await page.getByRole('contentinfo').getByRole('link', { name: 'Erklärung zur Barrierefreiheit' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Erklärung zur Barrierefreiheit');
  await expect(page.getByRole('heading', { level: 2, name: 'Stand der Vereinbarkeit mit den Anforderungen' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Schlichtungsstelle/ })).toHaveAttribute('href', /^https:\/\//);
  await expectAccessible(page, testInfo);

  await page.getByRole('button', { name: 'English' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accessibility statement');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expectAccessible(page, testInfo);
  await page.getByRole('contentinfo').getByRole('link', { name: 'Easy Read' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Easy Read');
  await expect(page.getByRole('heading', { level: 2, name: 'What is Meilenstein?' })).toBeVisible();
  await expectAccessible(page, testInfo);
  await page.getByRole('button', { name: 'Deutsch' }).click();
  await settled(page, testInfo);
});

test('an admin fills in the statement: a bad address is refused by name, the contact then shows', async ({ page }, testInfo) => {
  await signIn(page, USERS.admin, testInfo, '/admin');
  await page.getByRole('link', { name: 'Erklärung zur Barrierefreiheit und Leichte Sprache bearbeiten' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Barrierefreiheit: Erklärung und Leichte Sprache');
  await expectAccessible(page, testInfo);
  const form = page.getByRole('form', { name: 'Erklärung zur Barrierefreiheit' });
  await form.getByLabel('Betreibende Stelle (z. B. Stadt Mainz, Amt für Digitalisierung)').fill('Stadt Mainz');
  await form.getByLabel('E-Mail-Adresse der Kontaktstelle').fill('barrierefreiheit@mainz.example');
  await form.getByLabel('Webadresse der Schlichtungsstelle').fill('www.schlichtung.example');
  await form.getByRole('button', { name: 'Erklärung speichern' }).click();
  await settled(page, testInfo);
  const url = page.getByRole('form', { name: 'Erklärung zur Barrierefreiheit' }).getByLabel('Webadresse der Schlichtungsstelle');
  await expect(url).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#statement-enforcement_url-error')).toContainText('https://');
  // What was typed is kept.
  await expect(page.getByLabel('E-Mail-Adresse der Kontaktstelle')).toHaveValue('barrierefreiheit@mainz.example');
  await expectAccessible(page, testInfo);
  await url.fill('https://www.schlichtung.example');
  await page.getByRole('button', { name: 'Erklärung speichern' }).click();
  await settled(page, testInfo);
  await expect(page.locator('.done-notice')).toBeVisible();
  await open(page, '/accessibility', testInfo);
  await expect(page.getByText('Stadt Mainz ist bemüht')).toBeVisible();
  await expect(page.getByRole('link', { name: 'barrierefreiheit@mainz.example' })).toHaveAttribute(
    'href',
    'mailto:barrierefreiheit@mainz.example',
  );
});

// A4 at 96 px per inch, less the page's margins (12 mm each side): 186 mm.
const A4_CONTENT_PX = Math.floor((186 / 25.4) * 96);

for (const path of ['/', '/needs/1', '/subgoals/1']) {
  test(`${path} prints on A4 without navigation, each chart with its table, links written out`, async ({ page }, testInfo) => {
    test.skip(testInfo.project.name !== 'javascript', 'print styles do not depend on scripts');
    await signIn(page, USERS.admin, testInfo, path);
    await page.setViewportSize({ width: A4_CONTENT_PX, height: 1100 });
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('navigation', { name: 'Hauptnavigation' })).toBeHidden();
    await expect(page.getByRole('button', { name: 'English' })).toBeHidden();
    const printed = await page.evaluate(() => {
      const visible = (el: Element) => (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === 'fixed';
      const links = [...document.querySelectorAll('main a[href^="/"]')].filter(
        (a) => visible(a) && !a.closest('.breadcrumbs'),
      );
      return {
        width: document.documentElement.scrollWidth,
        forms: [...document.querySelectorAll('form')].filter(visible).length,
        buttons: [...document.querySelectorAll('button')].filter(visible).length,
        charts: [...document.querySelectorAll('figure.chart')].map((f) => ({
          breakInside: getComputedStyle(f).breakInside,
          together: f.closest('.chart-and-table') === null || getComputedStyle(f.closest('.chart-and-table')!).breakInside,
        })),
        // Each chart's table of figures, folded on the screen, is printed.
        tables: [...document.querySelectorAll('details.chart-table table')].map((t) => t.checkVisibility()),
        links: links.length,
        written: links.filter((a) => getComputedStyle(a, '::after').content.includes(a.getAttribute('href')!)).length,
      };
    });
    expect(printed.width, 'fits the A4 page').toBeLessThanOrEqual(A4_CONTENT_PX);
    expect(printed.forms, 'no form is printed').toBe(0);
    expect(printed.buttons, 'no button is printed').toBe(0);
    expect(printed.charts.length).toBeGreaterThan(0);
    for (const chart of printed.charts) {
      expect(chart.breakInside).toBe('avoid');
      expect(chart.together === null || chart.together === 'avoid').toBe(true);
    }
    expect(printed.tables.length, 'the charts have their tables').toBeGreaterThan(0);
    expect(printed.tables.every(Boolean), 'every chart table is printed').toBe(true);
    expect(printed.links).toBeGreaterThan(0);
    expect(printed.written, 'every link is written out').toBe(printed.links);
    // And Chromium's own PDF of it: A4, the content without the page's frame.
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    await expect(page.getByRole('heading', { level: 1 })).toBeAttached();
    const title = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
    expect(text.replace(/\s+/g, ' ')).toContain(title.replace(/\s+/g, ' ').slice(0, 30));
    expect(text).not.toContain('Zum Inhalt springen');
    expect(text).not.toContain('Abmelden');
    expect(text).toMatch(/\(\/(needs|subgoals|strategies)\/\d+/);
  });
}

/** The text of a PDF, by poppler's pdftotext (installed by scripts/setup.sh). */
async function pdfText(pdf: Buffer): Promise<string> {
  const { execFileSync } = await import('node:child_process');
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');
}

/** Every colour a chart paints with, as drawn (computed style), and what it is. */
async function chartColours(page: Page): Promise<{ kind: string; colour: string; grid: boolean; text: boolean; ground: boolean }[]> {
  return page.evaluate(() => {
    const out: { kind: string; colour: string; grid: boolean; text: boolean; ground: boolean }[] = [];
    for (const svg of document.querySelectorAll('svg.chart-svg')) {
      const box = svg.getBoundingClientRect();
      if (box.width === 0) continue;
      for (const el of svg.querySelectorAll('rect, path, circle, polyline, polygon, line, text')) {
        const style = getComputedStyle(el);
        for (const [kind, colour] of [['fill', style.fill], ['stroke', style.stroke]] as const) {
          if (!colour || colour === 'none' || colour.startsWith('url')) continue;
          const attribute = el.getAttribute(kind) ?? '';
          if (el.tagName === 'text' && kind === 'stroke') continue;
          const r = el.getBoundingClientRect();
          out.push({
            kind: `${el.tagName} ${kind}`,
            colour,
            grid: el.classList.contains('grid') || attribute.toUpperCase() === '#D0D0D0',
            text: el.tagName === 'text',
            // The chart's own white ground: a rect as large as the picture.
            ground: el.tagName === 'rect' && r.width >= box.width - 2 && r.height >= box.height - 2,
          });
        }
      }
    }
    return out;
  });
}

function channels(colour: string): [number, number, number] {
  const m = colour.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/);
  if (!m) throw new Error(`not a colour: ${colour}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function luminance([r, g, b]: [number, number, number]): number {
  const f = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

function contrast(a: [number, number, number], b: [number, number, number]): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** A colour as a black-and-white printer gives it (Rec. 601 luma). */
function grey([r, g, b]: [number, number, number]): [number, number, number] {
  const y = 0.299 * r + 0.587 * g + 0.114 * b;
  return [y, y, y];
}

const WHITE: [number, number, number] = [255, 255, 255];

for (const theme of ['normal', 'more contrast', 'forced colours', 'black and white print'] as const) {
  test(`chart colours keep 3:1 against their white ground (${theme})`, async ({ page }, testInfo) => {
    test.skip(testInfo.project.name !== 'javascript', 'the charts are drawn by the server');
    await signIn(page, USERS.admin, testInfo, '/');
    if (theme === 'more contrast') await page.emulateMedia({ contrast: 'more' });
    if (theme === 'forced colours') await page.emulateMedia({ forcedColors: 'active' });
    if (theme === 'black and white print') await page.emulateMedia({ media: 'print' });
    for (const path of ['/', '/needs/1', '/subgoals/1']) {
      await open(page, path, testInfo);
      const colours = await chartColours(page);
      expect(colours.length, `${path} has charts`).toBeGreaterThan(10);
      for (const c of colours) {
        const rgb = theme === 'black and white print' ? grey(channels(c.colour)) : channels(c.colour);
        if (c.ground) {
          expect(c.colour, `${path}: the chart keeps its white ground`).toBe('rgb(255, 255, 255)');
          continue;
        }
        // White marks on a bar (the counts inside it, the gaps between its parts).
        if (rgb.every((v) => v > 250)) continue;
        // Grid lines only help the eye (every figure is written beside them), except where
        // more contrast is asked for.
        if (c.grid && theme !== 'more contrast') continue;
        const needed = c.text ? 4.5 : 3;
        expect(contrast(rgb, WHITE), `${path}: ${c.kind} ${c.colour}`).toBeGreaterThanOrEqual(needed);
      }
    }
  });
}

// Resize text (WCAG 1.4.4) and text spacing (1.4.12): with text at 200 % (the root font size
// doubled, as a browser's text-only zoom does: everything is sized in rem and em), and with
// the spacing the criterion names (line height 1.5, paragraphs 2 em apart, letters 0.12 em,
// words 0.16 em), no text is cut off or hidden and no page scrolls sideways.
const SPACING = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }`;
const TEXT_PAGES = [
  '/', '/needs/1', '/subgoals/1', '/reporting', '/reports', '/my-subgoals', '/quality',
  '/admin', '/admin/strategies', '/admin/accessibility', '/accessibility', '/easy-read',
];

for (const [what, width, css] of [
  ['text at 200 %', 1280, 'html { font-size: 200% !important; }'],
  ['text spacing', 320, SPACING],
  ['text spacing', 1280, SPACING],
] as const) {
  test(`${what} at ${width} px: nothing cut off, nothing hidden, no sideways scrolling`, async ({ page }, testInfo) => {
    test.skip(testInfo.project.name !== 'javascript', 'the layout is the same without scripts (reflow.spec.ts)');
    test.setTimeout(120_000);
    await page.setViewportSize({ width, height: 900 });
    await signIn(page, USERS.admin, testInfo, '/');
    for (const path of TEXT_PAGES) {
      await open(page, path, testInfo);
      const before = await fontSizes(page);
      // As a user's own style sheet applies it (through the CSSOM, which the page's CSP allows).
      await page.evaluate((rules) => {
        const sheet = document.styleSheets[0];
        for (const rule of rules.split('\n')) sheet.insertRule(rule, sheet.cssRules.length);
      }, css);
      const found = await page.evaluate(() => {
        // Form fields scroll their own text; a visually hidden text is meant to be 1 px.
        const skipped = (el: Element) => el.closest('svg, .visually-hidden, .skip-link, input, textarea, select') !== null;
        const clipped: string[] = [];
        for (const el of document.querySelectorAll('body *')) {
          if (skipped(el)) continue;
          const style = getComputedStyle(el);
          const box = el as HTMLElement;
          if (box.offsetParent === null && style.position !== 'fixed') continue;
          const hides = (o: string) => o === 'hidden' || o === 'clip';
          if ((hides(style.overflowX) && box.scrollWidth > box.clientWidth + 1)
            || (hides(style.overflowY) && box.scrollHeight > box.clientHeight + 1)) {
            clipped.push(`${el.tagName.toLowerCase()}.${box.className} "${(el.textContent ?? '').trim().slice(0, 40)}"`);
          }
        }
        return { clipped, width: document.documentElement.scrollWidth };
      });
      expect(found.clipped, `${path}: text cut off`).toEqual([]);
      expect(found.width, `${path}: page width`).toBeLessThanOrEqual(width);
      if (what === 'text at 200 %') {
        // Every piece of text grew (none is sized in px, which text zoom leaves alone).
        const after = await fontSizes(page);
        const small = after.filter((size, i) => size.px < before[i].px * 1.9).map((size) => size.text);
        expect(small, `${path}: text that did not grow`).toEqual([]);
      }
    }
  });
}

/** The font size of every visible element holding text of its own (charts aside). */
async function fontSizes(page: Page): Promise<{ px: number; text: string }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((el) => el.closest('svg') === null && (el as HTMLElement).offsetParent !== null)
      .filter((el) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== ''))
      .map((el) => ({ px: Number.parseFloat(getComputedStyle(el).fontSize), text: `${el.tagName} ${el.textContent!.trim().slice(0, 40)}` })),
  );
}

// Charts scale with the page, and their labels stay legible (WCAG 1.4.4): at every width no
// chart text is shown smaller than 12 px, and none runs past the chart's edge.
const CHART_PAGES = ['/', '/needs/1', '/needs/3', '/subgoals/1', '/embed/needs/1', '/embed/fields/1'];
for (const width of [320, 768, 1280]) {
  test(`at ${width} px every chart label is at least 12 px and inside its chart`, async ({ page }, testInfo) => {
    test.skip(testInfo.project.name !== 'javascript', 'the charts are drawn by the server');
    await page.setViewportSize({ width, height: 900 });
    await signIn(page, USERS.admin, testInfo, '/');
    for (const path of CHART_PAGES) {
      await open(page, path, testInfo);
      const found = await page.evaluate(() => {
        const out = { charts: 0, texts: 0, small: [] as string[], outside: [] as string[] };
        for (const svg of document.querySelectorAll<SVGSVGElement>('svg.chart-svg')) {
          const box = svg.getBoundingClientRect();
          if (box.width === 0) continue; // the other drawing of the same chart, not shown
          out.charts += 1;
          const scale = svg.getScreenCTM()!.a;
          for (const text of svg.querySelectorAll('text')) {
            if (text.textContent!.trim() === '') continue;
            out.texts += 1;
            const shown = Number.parseFloat(getComputedStyle(text).fontSize) * scale;
            const what = `${svg.id || svg.getAttribute('aria-labelledby')} "${text.textContent!.trim()}"`;
            if (shown < 11.95) out.small.push(`${what}: ${shown.toFixed(1)} px`);
            const r = text.getBoundingClientRect();
            if (r.left < box.left - 1 || r.right > box.right + 1) out.outside.push(what);
          }
        }
        return out;
      });
      expect(found.charts, `${path} shows its charts`).toBeGreaterThan(0);
      expect(found.texts).toBeGreaterThan(0);
      expect(found.small, `${path} at ${width} px`).toEqual([]);
      expect(found.outside, `${path} at ${width} px`).toEqual([]);
    }
  });
}
