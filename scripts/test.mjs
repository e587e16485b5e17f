#!/usr/bin/env node
// npm test: typecheck + lint + unit + integration on PGlite, and when TEST_DATABASE_URL is
// set, the same integration tests on PostgreSQL, then browser tests (Debian's chromium).
// `node scripts/test.mjs <tier>` runs one tier: unit | integration | postgresql | browser | static.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv[2];
const files = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true })
        .map((f) => join(dir, String(f)))
        .filter((f) => /\.test\.tsx?$/.test(f) && statSync(f).isFile())
        .sort()
    : [];

// Every step runs even when an earlier one failed (a CI log then shows all failures at once);
// the exit code is non-zero when any step failed.
const results = [];
function run(label, cmd, args, env = {}) {
  console.log(`\n▶ ${label}`);
  const started = Date.now();
  const res = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = res.status === 0;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`◀ ${label}: ${ok ? 'ok' : 'FAILED'} in ${seconds} s`);
  results.push({ label, ok, seconds });
}

const nodeTest = (list, concurrency) => [
  '--import',
  'tsx',
  '--test',
  `--test-concurrency=${concurrency}`,
  '--test-timeout=300000',
  '--test-reporter=spec',
  ...list,
];

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const tiers = {
  static: () => {
    run('typecheck', 'npx', ['tsc', '--noEmit']);
    run('lint', 'npx', ['eslint', '.']);
  },
  unit: () => run('unit tests', process.execPath, nodeTest(files('test/unit'), 2), { NODE_ENV: 'test' }),
  integration: () =>
    run('integration tests (PGlite)', process.execPath, nodeTest(files('test/integration'), 2), { NODE_ENV: 'test', SEJOUR_TEST_DB: 'pglite' }),
  postgresql: () => {
    if (!process.env.TEST_DATABASE_URL) {
      console.log('\n(TEST_DATABASE_URL is not set: integration tests on a PostgreSQL server skipped; .ci/run sets it)');
      return;
    }
    run('integration tests (PostgreSQL server)', process.execPath, nodeTest([...files('test/integration'), ...files('test/postgresql')], 2), {
      NODE_ENV: 'test',
      SEJOUR_TEST_DB: 'postgresql',
    });
  },
  browser: () => {
    if (!existsSync(chromium)) {
      if (process.env.CI) {
        console.error(`Browser tests need Chromium at ${chromium} (apt-get install chromium).`);
        results.push({ label: 'browser tests (Chromium missing)', ok: false, seconds: '0.0' });
        return;
      }
      console.log(`\n(No Chromium at ${chromium}: browser tests skipped; apt-get install chromium)`);
      return;
    }
    run('browser tests (Chromium)', process.execPath, nodeTest(files('test/browser'), 1), { NODE_ENV: 'test', CHROMIUM_PATH: chromium });
  },
};

if (only) {
  if (!tiers[only]) {
    console.error(`Unknown tier ${only}; one of ${Object.keys(tiers).join(', ')}`);
    process.exit(2);
  }
  tiers[only]();
} else {
  for (const tier of ['static', 'unit', 'integration', 'postgresql', 'browser']) tiers[tier]();
}
if (results.length > 1) {
  console.log('\nSummary:');
  for (const r of results) console.log(`  ${r.ok ? 'ok    ' : 'FAILED'} ${r.seconds.padStart(6)} s  ${r.label}`);
}
const failed = results.filter((r) => !r.ok);
if (failed.length) {
  console.error(`\nFailed: ${failed.map((r) => r.label).join(', ')}`);
  process.exit(1);
}
