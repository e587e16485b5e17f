import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { build, openTestDatabase, testBackend } from '../helpers/build';

test('healthz reports the database kind and version', async (t) => {
  const { app } = await build(t);
  const res = await app.inject('/healthz');
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { status: 'ok', database: testBackend(), version: app.deps.config.version });
});

test('pages carry a strict CSP with no third-party origin, and a request id is logged per request', async (t) => {
  const { app } = await build(t);
  const res = await app.inject('/');
  assert.equal(res.statusCode, 200);
  const csp = String(res.headers['content-security-policy']);
  assert.match(csp, /default-src 'self'/);
  assert.doesNotMatch(csp, /https?:/);
  assert.doesNotMatch(res.body, /(src|href)="https?:\/\//);
  assert.match(res.body, /fr-header/);
  assert.match(res.body, /République/);
});

test('Arabic pages are right-to-left, French and English left-to-right', async (t) => {
  const { app } = await build(t);
  const ar = await app.inject('/?lang=ar');
  assert.match(ar.body, /<html lang="ar" dir="rtl"/);
  const cookie = ar.cookies.find((c) => c.name === 'sejour_lang');
  assert.equal(cookie?.value, 'ar');
  const again = await app.inject({ url: '/', headers: { cookie: 'sejour_lang=ar' } });
  assert.match(again.body, /<html lang="ar" dir="rtl"/);
  const en = await app.inject({ url: '/', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
  assert.match(en.body, /<html lang="en" dir="ltr"/);
  const fr = await app.inject('/');
  assert.match(fr.body, /<html lang="fr" dir="ltr"/);
});

test('unknown pages get the DSFR 404 page; unknown API routes get problem+json', async (t) => {
  const { app } = await build(t);
  const page = await app.inject('/nulle-part');
  assert.equal(page.statusCode, 404);
  assert.match(page.body, /Page non trouvée/);
  const api = await app.inject('/api/v1/nowhere');
  assert.equal(api.statusCode, 404);
  assert.match(String(api.headers['content-type']), /^application\/problem\+json/);
  assert.equal(api.json().status, 404);
});

test('/metrics is closed without the token and open with it', async (t) => {
  const { app } = await build(t, { config: { metricsToken: 'metrics-token-0123456789' } });
  assert.equal((await app.inject('/metrics')).statusCode, 404);
  assert.equal((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode, 404);
  const ok = await app.inject({ url: '/metrics', headers: { authorization: 'Bearer metrics-token-0123456789' } });
  assert.equal(ok.statusCode, 200);
  assert.match(ok.body, /sejour_http_request_duration_seconds/);
});

test('the OpenAPI 3.1 document is served', async (t) => {
  const { app } = await build(t);
  const res = await app.inject('/api/openapi.json');
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().openapi, '3.1.0');
});

test('DSFR assets are served from our own origin', async (t) => {
  const { app } = await build(t);
  const css = await app.inject('/static/dsfr/dsfr.min.css');
  assert.equal(css.statusCode, 200);
  assert.match(String(css.headers['content-type']), /text\/css/);
});

test('the home page leads to every public service: dossiers, appointments, walk-ins, employer verification', async (t) => {
  const { app } = await build(t);
  for (const lang of ['fr', 'en', 'ar']) {
    const res = await app.inject(`/?lang=${lang}`);
    assert.equal(res.statusCode, 200);
    for (const href of ['/compte/inscription', '/rendez-vous', '/rendez-vous/sans-rendez-vous', '/verifier']) {
      assert.match(res.body, new RegExp(`href="${href}"`), `${lang}: link to ${href}`);
      const target = await app.inject(`${href}?lang=${lang}`);
      // The appointment space is personal: it asks to log in first, then comes back.
      if (href === '/rendez-vous') assert.match(String(target.headers.location), /^\/compte\/connexion\?next=%2Frendez-vous/, href);
      else assert.equal(target.statusCode, 200, `${href} answers`);
    }
  }
  const en = await app.inject('/?lang=en');
  assert.match(en.body, /never buy one/);
});

test('embedded PGlite runs with a small buffer pool (it lives in the server process)', async (t) => {
  // Always PGlite, whichever backend the suite runs on: this is PGlite's own setting.
  const database = await openTestDatabase(t, 'pglite');
  const { rows } = await sql<{ shared_buffers: string; wal_buffers: string }>`select current_setting('shared_buffers') as shared_buffers, current_setting('wal_buffers') as wal_buffers`.execute(database.db);
  assert.deepEqual(rows[0], { shared_buffers: '16MB', wal_buffers: '512kB' });
});
