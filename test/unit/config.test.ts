import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config';

test('development defaults need no configuration', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.deepEqual(c.database, { kind: 'pglite', dataDir: './data/pglite' });
  assert.equal(c.publicUrl, 'http://localhost:3000');
  assert.equal(c.secureCookies, false);
});

test('production refuses a missing or default secret with a clear message', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://x.example' }), (e: unknown) => e instanceof ConfigError && /SECRET_KEY: required/.test(e.message));
  const dev = loadConfig({}).secretKey;
  assert.throws(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://x.example', SECRET_KEY: dev }), /development default/);
  assert.throws(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://x.example', SECRET_KEY: 'short' }), /at least 32/);
  const ok = loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://x.example', SECRET_KEY: 'x'.repeat(40) });
  assert.equal(ok.secureCookies, true);
});

test('DATABASE_URL selects the PostgreSQL server; bad values are named', () => {
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).database.kind, 'postgresql');
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'abc' }), (e: unknown) => e instanceof ConfigError && e.problems.length === 2);
});

test('upload limits and the virus scanner come from the environment: 10 MB and 100 MB by default, in MiB', () => {
  const byDefault = loadConfig({});
  assert.equal(byDefault.uploads.maxFileBytes, 10 * 1024 * 1024);
  assert.equal(byDefault.uploads.maxDossierBytes, 100 * 1024 * 1024);
  assert.equal(byDefault.uploads.clamdUrl, null, 'no CLAMD_URL: files are marked not scanned');
  const set = loadConfig({ UPLOAD_MAX_FILE_MB: '5', UPLOAD_MAX_DOSSIER_MB: '40', CLAMD_URL: 'tcp://clamav.internal:3310' });
  assert.equal(set.uploads.maxFileBytes, 5 * 1024 * 1024);
  assert.equal(set.uploads.maxDossierBytes, 40 * 1024 * 1024);
  assert.equal(set.uploads.clamdUrl, 'tcp://clamav.internal:3310');
  for (const [name, value] of [
    ['UPLOAD_MAX_FILE_MB', '0'],
    ['UPLOAD_MAX_FILE_MB', 'dix'],
    ['UPLOAD_MAX_DOSSIER_MB', '-1'],
    ['CLAMD_URL', 'http://clamav:3310'],
  ] as const) {
    assert.throws(() => loadConfig({ [name]: value }), (e: unknown) => e instanceof ConfigError && e.message.includes(name), `${name}=${value}`);
  }
});
