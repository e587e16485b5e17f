// Registration carries the same self-hosted proof of work as appointment filing. Without
// JavaScript the account is still created (an accessible way through); the account remembers
// it, and its appointment requests then wait for staff review instead of entering draws.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build, type TestApp } from '../helpers/build';
import { Agent } from '../helpers/agent';
import { GOOD_PASSWORD, loginAs } from '../helpers/accounts-fixtures';
import { siteId } from '../helpers/appointments-core-fixtures';
import { setupFront, solvedAltcha } from '../helpers/appointments-front-fixtures';

async function registerByPage(T: TestApp, email: string, altcha?: string) {
  const agent = new Agent(T.app);
  const page = await agent.get('/compte/inscription');
  assert.equal(page.statusCode, 200);
  const res = await agent.post('/compte/inscription', { email, password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD, ...(altcha ? { altcha } : {}) });
  assert.equal(res.statusCode, 303, res.body);
  return T.app.deps.db.selectFrom('users').select(['id', 'registered_with_pow']).where('email', '=', email).executeTakeFirstOrThrow();
}

test('the registration page carries the widget from our origin; the proof of work is recorded, a replayed one is not', async (t) => {
  const T = await build(t);
  const page = await T.app.inject('/compte/inscription');
  assert.match(page.body, /<altcha-widget challenge="\/rendez-vous\/altcha-challenge" name="altcha"/);
  assert.match(page.body, /src="\/static\/altcha\/altcha.js"/);
  assert.match(page.body, /<noscript>/);

  const payload = await solvedAltcha(T.app);
  assert.equal((await registerByPage(T, 'avec.js@example.org', payload)).registered_with_pow, true);
  // Without JavaScript: created all the same, remembered as unproven.
  assert.equal((await registerByPage(T, 'sans.js@example.org')).registered_with_pow, false);
  // The same solved challenge is accepted once only.
  assert.equal((await registerByPage(T, 'rejoue@example.org', payload)).registered_with_pow, false);
  // A forged payload proves nothing.
  assert.equal((await registerByPage(T, 'forge@example.org', Buffer.from('{"challenge":{}}').toString('base64'))).registered_with_pow, false);

  // The API takes the same optional field.
  const api = await T.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { email: 'api.pow@example.org', password: GOOD_PASSWORD, altcha: await solvedAltcha(T.app) } });
  assert.equal(api.statusCode, 201, api.body);
  const apiNoPow = await T.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { email: 'api.nopow@example.org', password: GOOD_PASSWORD } });
  assert.equal(apiNoPow.statusCode, 201, apiNoPow.body);
  const rows = await T.app.deps.db.selectFrom('users').select(['email', 'registered_with_pow']).where('email', 'in', ['api.pow@example.org', 'api.nopow@example.org']).orderBy('email').execute();
  assert.deepEqual(rows, [
    { email: 'api.nopow@example.org', registered_with_pow: false },
    { email: 'api.pow@example.org', registered_with_pow: true },
  ]);
});

test('an account registered without proof of work files appointment requests that wait for review', async (t) => {
  const T = await build(t);
  await setupFront(T.app, T.prefectureId);
  const site = await siteId(T.app.deps.db, T.prefectureId);
  const fileAs = async (email: string, withPow: boolean, surname: string, phone: string) => {
    await registerByPage(T, email, withPow ? await solvedAltcha(T.app) : undefined);
    // E-mail confirmation is covered by the accounts tests; here the account is simply confirmed.
    await T.app.deps.db.updateTable('users').set({ email_confirmed_at: new Date() }).where('email', '=', email).execute();
    const agent = await loginAs(T.app, email, GOOD_PASSWORD);
    await agent.get('/rendez-vous/demande');
    const res = await agent.post('/rendez-vous/demande', {
      surname,
      given_names: 'Test',
      birth_date: '1991-05-06',
      agdref_number: '',
      permit_expires_on: '',
      permit_kind: 'other',
      reason_code: 'renewal',
      site_id: site,
      email,
      phone,
      altcha: await solvedAltcha(T.app),
    });
    assert.equal(res.statusCode, 303, res.body);
    const id = String(res.headers.location).split('/').pop() as string;
    const request = await T.app.deps.db.selectFrom('appointment_requests').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    const signals = await T.app.deps.db.selectFrom('appointment_risk_signals').select(['kind', 'detail']).where('request_id', '=', id).execute();
    return { status: request.status, signals };
  };
  const proven = await fileAs('prouve@example.org', true, 'Diallo', '0611000101');
  assert.equal(proven.status, 'pending');
  assert.ok(!proven.signals.some((s) => s.kind === 'no_pow'));
  const unproven = await fileAs('nonprouve@example.org', false, 'Keita', '0611000102');
  assert.equal(unproven.status, 'review', 'held for staff review, not refused');
  assert.deepEqual(
    unproven.signals.filter((s) => s.kind === 'no_pow').map((s) => s.detail),
    [{ step: 'registration' }],
  );
});
