import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A new database for one server: a SQLite file in a new folder, or a new database on the
// PostgreSQL server MEILENSTEIN_TEST_POSTGRES names (`make e2e` runs the tests once on each;
// scripts/with-postgres.sh starts that server).
const postgres = process.env.MEILENSTEIN_TEST_POSTGRES;
function newDatabase(name: string): string {
  if (postgres) {
    const database = `meilenstein_e2e_${name}_${process.pid}_${Date.now()}`;
    execFileSync('psql', ['-q', postgres, '-c', `CREATE DATABASE ${database}`]);
    return postgres.replace(/\/[^/]*$/, `/${database}`);
  }
  return join(mkdtempSync(join(tmpdir(), `meilenstein-e2e-${name}-`)), `${name}.db`);
}

// The server binary (E2E_BIN, the debug build by default; `make e2e` builds it), on a port of
// its own, with a fresh database holding the demo data, serving the release site files.
const bin = process.env.E2E_BIN ?? '../target/debug/meilenstein';
const port = Number(process.env.E2E_PORT ?? 3917);
const db = process.env.E2E_DB ?? newDatabase('e2e');
// A second server with a database of its own for setting up strategies (setup.spec.ts): a
// second strategy there turns the start page into a list, which the other tests must not see.
const setupPort = Number(process.env.E2E_SETUP_PORT ?? port + 1);
const setupDb = newDatabase('setup');

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  // One database for the run: tests run one after another.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'de-DE',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    // JavaScript on: the islands (the idle-session warning) hydrate, the wasm bundle runs.
    { name: 'javascript', use: { javaScriptEnabled: true } },
    // Server-rendered HTML and plain form posts only.
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
  webServer: [db, setupDb].map((file, i) => ({
    command: `${bin} serve --addr 127.0.0.1:${i === 0 ? port : setupPort} --db '${file}' --site-root ../target/site`,
    url: `http://127.0.0.1:${i === 0 ? port : setupPort}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  })),
});
