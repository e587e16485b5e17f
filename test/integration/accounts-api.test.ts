// /api/v1 accounts and sessions: problem+json for bad input (with errors[]), duplicates (409),
// wrong credentials (401), unconfirmed e-mail (403), bearer tokens, OpenAPI.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { build } from '../helpers/build';
import { linkFrom } from '../helpers/agent';
import { GOOD_PASSWORD, insertApplicant, lastMailTo } from '../helpers/accounts-fixtures';

describe('accounts API', () => {
  let app: FastifyInstance;
  let prefectureId: string;
  const closers: (() => Promise<void> | void)[] = [];
  before(async () => {
    ({ app, prefectureId } = await build({ after: (fn) => closers.push(fn) }));
  });
  after(async () => {
    for (const fn of closers.reverse()) await fn();
  });

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url, payload: payload as object, headers });
  const problem = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number) => {
    assert.equal(res.statusCode, status);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    const body = res.json() as { status: number; type: string; title: string; detail: string; errors?: { field: string; code: string; message: string }[] };
    assert.equal(body.status, status);
    assert.ok(body.title && body.detail);
    return body;
  };
  const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field).sort();

  test('register (201) → confirmation mail in the asked language → sign in → /me → sign out', async () => {
    const res = await post('/api/v1/accounts', { email: 'Api.User@Example.fr', password: GOOD_PASSWORD, locale: 'ar' });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(Object.keys(res.json()).sort(), ['email', 'emailConfirmed', 'id']);
    const mail = await lastMailTo(app, 'Api.User@Example.fr');
    assert.equal(mail.locale, 'ar');
    assert.equal(mail.subject, 'أكّد بريدك الإلكتروني');

    const early = problem(await post('/api/v1/sessions', { email: 'api.user@example.fr', password: GOOD_PASSWORD }), 403);
    assert.match(early.detail, /confirm/i);
    const confirm = await app.inject(linkFrom(mail.text_body, '/compte/confirmer?token='));
    assert.equal(confirm.statusCode, 303);

    const login = await post('/api/v1/sessions', { email: 'API.USER@example.fr', password: GOOD_PASSWORD });
    assert.equal(login.statusCode, 201, login.body);
    const { token, expiresAt } = login.json() as { token: string; expiresAt: string };
    assert.ok(token.length >= 40);
    assert.ok(new Date(expiresAt).getTime() > Date.now() + 29 * 24 * 3600 * 1000);
    const auth = { authorization: `Bearer ${token}` };
    const me = await app.inject({ url: '/api/v1/me', headers: auth });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().email, 'Api.User@Example.fr');
    assert.equal(me.json().role, 'applicant');
    assert.equal(me.json().emailConfirmed, true);
    assert.equal(me.json().prefecture.code, '34');
    // A bearer token is not a cookie session, and a cookie is not a bearer token.
    assert.equal((await app.inject({ url: '/compte', headers: { cookie: `sejour_sid=${token}` } })).statusCode, 303);

    const out = await app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: auth });
    assert.equal(out.statusCode, 204);
    problem(await app.inject({ url: '/api/v1/me', headers: auth }), 401);
    problem(await app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: auth }), 401);
  });

  test('bad input → 400 problem+json with errors [{field, code, message}]', async () => {
    const empty = problem(await post('/api/v1/accounts', {}), 400);
    assert.deepEqual(fields(empty), ['email', 'password']);
    for (const e of empty.errors!) assert.ok(e.code && e.message && e.message !== e.code, JSON.stringify(e));
    const types = problem(await post('/api/v1/accounts', { email: 42, password: ['x'] }), 400);
    assert.deepEqual(fields(types), ['email', 'password']);
    const weak = problem(await post('/api/v1/accounts', { email: 'weak@example.fr', password: 'password1234' }), 400);
    assert.deepEqual(weak.errors!.map((e) => [e.field, e.code]), [['password', 'accounts.err_password_common']]);
    const short = problem(await post('/api/v1/accounts', { email: 'weak@example.fr', password: 'short' }, { 'accept-language': 'en' }), 400);
    assert.match(short.errors![0]!.message, /at least 12 characters/);
    const badLogin = problem(await post('/api/v1/sessions', { email: 'not-an-email' }), 400);
    assert.deepEqual(fields(badLogin), ['email', 'password']);
    const notJson = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: '{oops', headers: { 'content-type': 'application/json' } });
    assert.ok(notJson.statusCode >= 400 && notJson.statusCode < 500);
    assert.equal((await app.deps.db.selectFrom('users').select('id').where('email', '=', 'weak@example.fr').execute()).length, 0);
  });

  test('duplicate e-mail in another case → 409 problem naming the field', async () => {
    await insertApplicant(app, prefectureId, 'dup.api@example.fr');
    const body = problem(await post('/api/v1/accounts', { email: 'DUP.API@example.FR', password: GOOD_PASSWORD }), 409);
    assert.deepEqual(body.errors!.map((e) => [e.field, e.code]), [['email', 'accounts.err_email_taken']]);
    assert.match(body.detail, /existe déjà/);
  });

  test('wrong credentials → 401, unknown account → the same 401', async () => {
    const u = await insertApplicant(app, prefectureId, 'cred@example.fr');
    const wrong = problem(await post('/api/v1/sessions', { email: u.email, password: 'pas le bon mot de passe' }), 401);
    const unknown = problem(await post('/api/v1/sessions', { email: 'ghost@example.fr', password: 'pas le bon mot de passe' }), 401);
    assert.equal(wrong.detail, unknown.detail);
    assert.equal(wrong.type, unknown.type);
  });

  test('the accounts routes are in the OpenAPI document under the accounts tag', async () => {
    const doc = (await app.inject('/api/openapi.json')).json() as { paths: Record<string, Record<string, { tags?: string[] }>> };
    for (const [path, method] of [
      ['/api/v1/accounts', 'post'],
      ['/api/v1/sessions', 'post'],
      ['/api/v1/sessions/current', 'delete'],
      ['/api/v1/me', 'get'],
    ] as const) {
      assert.deepEqual(doc.paths[path]?.[method]?.tags, ['accounts'], `${method} ${path}`);
    }
    assert.equal(doc.paths['/compte/connexion'], undefined, 'pages are not in the API document');
  });
});
