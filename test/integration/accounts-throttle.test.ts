// Login throttling in the database: per account (5 failures / 15 min) and per IP (30 / 15 min,
// cybercafés share addresses). While throttled: 429 with the wait, the password is not checked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from '../helpers/build';
import { Agent } from '../helpers/agent';
import { insertApplicant, loginAs, text } from '../helpers/accounts-fixtures';
import { ACCOUNT_LIMIT, IP_LIMIT } from '../../src/modules/accounts/throttle';

const attempts = (app: Awaited<ReturnType<typeof build>>['app']) => app.deps.db.selectFrom('login_attempts').selectAll().execute();

test('per account: after 5 failures the account is refused for 15 minutes, from any IP, even with the right password', async (t) => {
  const { app, prefectureId } = await build(t, { config: { trustProxy: true } });
  const u = await insertApplicant(app, prefectureId, 'victim@example.fr');
  const attacker = new Agent(app, { 'x-forwarded-for': '203.0.113.7' });
  await attacker.get('/compte/connexion');
  for (let i = 0; i < ACCOUNT_LIMIT.failures; i++) {
    const res = await attacker.post('/compte/connexion', { email: i % 2 ? 'VICTIM@example.fr' : u.email, password: `wrong password ${i}` });
    assert.equal(res.statusCode, 401);
  }
  const recorded = (await attempts(app)).length;
  const blocked = await attacker.post('/compte/connexion', { email: u.email, password: u.password });
  assert.equal(blocked.statusCode, 429);
  assert.match(text(blocked.body), /Trop de tentatives de connexion\. Par sécurité, patientez 15 minute\(s\)/);
  assert.equal(attacker.cookies.get('sejour_sid'), undefined);
  // The owner, from another address, is refused too; the API as well.
  const owner = new Agent(app, { 'x-forwarded-for': '198.51.100.20' });
  await owner.get('/compte/connexion');
  assert.equal((await owner.post('/compte/connexion', { email: u.email, password: u.password })).statusCode, 429);
  const api = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: u.email, password: u.password }, headers: { 'x-forwarded-for': '198.51.100.21', 'accept-language': 'en' } });
  assert.equal(api.statusCode, 429);
  assert.match(String(api.headers['content-type']), /problem\+json/);
  assert.match(api.json().detail, /wait 15 minute/);
  // Nothing was recorded while throttled: the password was not even checked.
  assert.equal((await attempts(app)).length, recorded);
  // Another account is not affected.
  const other = await insertApplicant(app, prefectureId, 'other@example.fr');
  await loginAs(app, other.email, other.password, '/compte', { 'x-forwarded-for': '203.0.113.7' });
  // 15 minutes later (moved back in the table), the owner gets in.
  await app.deps.db.updateTable('login_attempts').set({ created_at: new Date(Date.now() - ACCOUNT_LIMIT.windowMs - 1000) }).execute();
  await loginAs(app, u.email, u.password, '/compte', { 'x-forwarded-for': '198.51.100.20' });
});

test('per IP: 30 failures from one address (any accounts) block that address only; a success resets the account count', async (t) => {
  const { app, prefectureId } = await build(t, { config: { trustProxy: true } });
  const u = await insertApplicant(app, prefectureId, 'cafe@example.fr');
  // 4 failures then a success: the account count starts again.
  const me = new Agent(app, { 'x-forwarded-for': '192.0.2.50' });
  await me.get('/compte/connexion');
  for (let i = 0; i < ACCOUNT_LIMIT.failures - 1; i++) await me.post('/compte/connexion', { email: u.email, password: 'wrong wrong wrong' });
  await loginAs(app, u.email, u.password, '/compte', { 'x-forwarded-for': '192.0.2.50' });
  const again = new Agent(app, { 'x-forwarded-for': '192.0.2.50' });
  await again.get('/compte/connexion');
  assert.equal((await again.post('/compte/connexion', { email: u.email, password: 'wrong wrong wrong' })).statusCode, 401);
  await loginAs(app, u.email, u.password, '/compte', { 'x-forwarded-for': '192.0.2.51' });

  // A cybercafé address trying many accounts (unknown ones included), 4 each: under the account limit.
  const cafe = new Agent(app, { 'x-forwarded-for': '203.0.113.99' });
  await cafe.get('/compte/connexion');
  const used = (await attempts(app)).filter((a) => a.ip === '203.0.113.99' && !a.succeeded).length;
  for (let i = used; i < IP_LIMIT.failures; i++) {
    const res = await cafe.post('/compte/connexion', { email: `someone${Math.floor(i / 4)}@example.fr`, password: 'guess guess guess' });
    assert.equal(res.statusCode, 401, `attempt ${i}`);
  }
  const blocked = await cafe.post('/compte/connexion', { email: u.email, password: u.password });
  assert.equal(blocked.statusCode, 429);
  assert.match(text(blocked.body), /patientez 15 minute/);
  // Same account from another address: fine.
  await loginAs(app, u.email, u.password, '/compte', { 'x-forwarded-for': '192.0.2.77' });
});
