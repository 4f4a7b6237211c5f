// How long a page takes to load completely on a slow mobile network (issue 18): Debian's
// Chromium, the network throttled through the DevTools protocol to 1.6 Mbit/s down, 750 kbit/s
// up, 150 ms round trip (Lighthouse's "slow 4G"), no browser cache. Figures, not pass/fail.
//
//   node bench/slow-mobile.mjs http://127.0.0.1:3181 / /needs/1     (a running server)
//
// Prints, per page and run: time to the first paint, to the `load` event, until the page is
// fully loaded (its last response, the wasm bundle included, and hydrated), and the bytes that
// crossed the network (the transfer sizes the browser reports, compressed as sent).
import { chromium } from '../end2end/node_modules/playwright/index.mjs';

const [base = 'http://127.0.0.1:3000', ...paths] = process.argv.slice(2);
const pages = paths.length > 0 ? paths : ['/'];
const RUNS = Number(process.env.RUNS ?? 3);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  for (const path of pages) {
    for (let run = 1; run <= RUNS; run += 1) {
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 412, height: 915 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
      const started = Date.now();
      await page.goto(base + path, { waitUntil: 'networkidle' });
      await page.waitForSelector('body[data-hydrated="true"]', { state: 'attached' });
      const loaded = Date.now() - started;
      const figures = await page.evaluate(() => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const navigation = performance.getEntriesByType('navigation')[0];
        const resources = performance.getEntriesByType('resource');
        const bytes = [navigation, ...resources].reduce((sum, e) => sum + (e.transferSize ?? 0), 0);
        const last = Math.max(navigation.loadEventEnd, ...resources.map((e) => e.responseEnd));
        return {
          paint: paint ? Math.round(paint.startTime) : null,
          load: Math.round(navigation.loadEventEnd),
          full: Math.round(last),
          files: resources.length + 1,
          html: navigation.transferSize,
          bytes,
        };
      });
      console.log(
        `${path} run ${run}: first paint ${figures.paint} ms, load event ${figures.load} ms, ` +
          `fully loaded ${figures.full} ms (hydrated, wall ${loaded} ms); page ${figures.html} B, ` +
          `${figures.files} files ${figures.bytes} B on the wire`,
      );
      await context.close();
    }
  }
} finally {
  await browser.close();
}
