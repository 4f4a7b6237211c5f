import { expect, test } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { USERS, expectAccessible, settled, signIn, unique } from './helpers';

test('a report downloads as PDF and Excel workbook from its page', async ({ page }, testInfo) => {
  await signIn(page, USERS.admin, testInfo, '/reports');
  const name = unique('Sitzung Datei');
  const form = page.getByRole('region', { name: 'Bericht erstellen' });
  await form.getByLabel(/^Name/).fill(name);
  await form.getByRole('button', { name: 'Bericht erstellen' }).click();
  await settled(page, testInfo);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  for (const [link, type, magic] of [
    ['Als PDF herunterladen', 'application/pdf', '%PDF-'],
    ['Als Excel-Tabelle (XLSX) herunterladen', 'spreadsheetml', 'PK'],
  ]) {
    const href = await page.getByRole('link', { name: link }).getAttribute('href');
    const response = await page.request.get(href!);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain(type);
    expect((await response.body()).subarray(0, magic.length).toString('latin1')).toBe(magic);
  }
});

test('a widget fits a phone-wide frame on an allowed site and no other', async ({ page, browser }, testInfo) => {
  // A page of "the city's website": a real server on this machine (Chromium refuses frames
  // of a local address in pages of a public one), reached as localhost (allowed) and as
  // 127.0.0.1 (another origin, not allowed).
  let base = ''; // Meilenstein's own origin, known once signed in.
  const city = http.createServer((_, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(
      `<!doctype html><title>Stadt</title><iframe title="Fortschritt" src="${base}/embed/needs/1" width="320" height="600"></iframe>`,
    );
  });
  await new Promise<void>((listening) => city.listen(0, '127.0.0.1', listening));
  const port = (city.address() as AddressInfo).port;

  await signIn(page, USERS.admin, testInfo, '/admin');
  base = new URL(page.url()).origin;
  const allowed = `http://localhost:${port} https://www.mainz.de`;
  await page.getByLabel('Erlaubte Adressen').fill(allowed);
  await page.getByRole('button', { name: 'Speichern', exact: true }).click();
  await settled(page, testInfo);
  await expect(page.getByLabel('Erlaubte Adressen')).toHaveValue(allowed);

  const visitor = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const widget = await visitor.newPage();
  await widget.goto(`${base}/embed/needs/1`);
  await expect(widget.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(widget.getByRole('link', { name: 'Vollständige Ansicht' })).toHaveAttribute('href', '/needs/1');
  const width = await widget.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(320);
  await expectAccessible(widget, testInfo);

  await widget.goto(`http://localhost:${port}/`);
  await expect(widget.frameLocator('iframe').getByRole('heading', { level: 1 })).toBeVisible();
  await widget.goto(`http://127.0.0.1:${port}/`);
  await widget.waitForTimeout(1000);
  await expect(widget.frameLocator('iframe').getByRole('heading', { level: 1 })).toHaveCount(0);
  await visitor.close();
  city.close();
});
