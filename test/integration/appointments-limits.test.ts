// Rate limits on appointment filing: per account (the working limit) and per IP (a flood guard
// only: a shared IP alone never refuses anyone); in memory without REDIS_URL, in Redis with it
// (shared by every instance); and never failing open: a Redis that does not answer refuses the
// filing with 503 and saves nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { buildApp } from '../../src/app';
import { build, testConfig, type TestApp } from '../helpers/build';
import { siteId } from '../helpers/appointments-core-fixtures';
import { setupFront, signedIn, solvedAltcha } from '../helpers/appointments-front-fixtures';
import { FILING_LIMITS } from '../../src/modules/appointments/routes-requests';
import { Agent } from '../helpers/agent';
import { SESSION_COOKIE } from '../../src/shared/auth/sessions';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1000, retryStrategy: () => null });
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

function form(site: string, i: number): Record<string, string> {
  return {
    surname: `Client${i}`,
    given_names: 'Cafe',
    birth_date: '1990-01-01',
    permit_kind: 'other',
    reason_code: 'renewal',
    site_id: site,
    email: `client${i}@example.org`,
    phone: `0633${String(i).padStart(6, '0')}`,
  };
}

async function attempt(T: TestApp, agent: Agent, body: Record<string, string>) {
  await agent.get('/rendez-vous/demande');
  return agent.post('/rendez-vous/demande', body);
}

test('memory store: the account limit answers 429; a shared IP alone never refuses: 40 people from one address are all filed', async (t) => {
  const T = await build(t);
  await setupFront(T.app, T.prefectureId);
  const site = await siteId(T.app.deps.db, T.prefectureId);
  const busy = await signedIn(T.app, T.prefectureId);
  for (let i = 0; i < FILING_LIMITS.perAccountPerHour; i++) {
    assert.equal((await attempt(T, busy.agent, { ...form(site, 0), birth_date: 'x' })).statusCode, 400);
  }
  const limited = await attempt(T, busy.agent, { ...form(site, 0), altcha: await solvedAltcha(T.app) });
  assert.equal(limited.statusCode, 429);
  assert.equal((await T.app.deps.db.selectFrom('appointment_requests').select('id').execute()).length, 0);

  // 40 people (more than the per-account limit times three) file from the same address.
  for (let i = 1; i <= 40; i++) {
    const { agent } = await signedIn(T.app, T.prefectureId);
    const res = await attempt(T, agent, { ...form(site, i), altcha: await solvedAltcha(T.app) });
    assert.equal(res.statusCode, 303, `person ${i}: ${res.statusCode}`);
  }
  const statuses = await T.app.deps.db.selectFrom('appointment_requests').select('status').execute();
  assert.equal(statuses.length, 40);
  assert.ok(statuses.every((r) => r.status === 'pending'), 'nobody flagged for the shared address alone');
});

test('Redis store when REDIS_URL is set: the account limit is shared by two instances', async (t) => {
  if (!(await redisAnswers())) return t.skip(`no Redis at ${REDIS_URL}`);
  const first = await build(t, { config: { redisUrl: REDIS_URL } });
  const second = await buildApp(testConfig({ redisUrl: REDIS_URL }), { database: first.database, logger: false });
  t.after(() => second.close());
  await second.ready();
  await setupFront(first.app, first.prefectureId);
  const site = await siteId(first.app.deps.db, first.prefectureId);
  const person = await signedIn(first.app, first.prefectureId);
  const other = new Agent(second);
  other.cookies.set(SESSION_COOKIE, person.token);
  for (let i = 0; i < FILING_LIMITS.perAccountPerHour; i++) {
    const agent = i % 2 ? other : person.agent;
    assert.equal((await attempt(first, agent, { ...form(site, 0), birth_date: 'x' })).statusCode, 400);
  }
  assert.equal((await attempt(first, other, { ...form(site, 0), altcha: await solvedAltcha(first.app) })).statusCode, 429);
  assert.equal((await attempt(first, person.agent, { ...form(site, 0), altcha: await solvedAltcha(first.app) })).statusCode, 429);
  const r = new Redis(REDIS_URL);
  t.after(() => r.disconnect());
  const keys = await r.keys(`fastify-rate-limit-*front-acct:${person.userId}`);
  assert.equal(keys.length, 1, 'the counter lives in Redis');
  assert.equal(Number(await r.get(keys[0] as string)), FILING_LIMITS.perAccountPerHour + 2);
  await r.del(keys[0] as string);
});

test('never fails open: with REDIS_URL set and Redis not answering, filing answers 503 and saves nothing', async (t) => {
  const T = await build(t, { config: { redisUrl: 'redis://127.0.0.1:1' } });
  await setupFront(T.app, T.prefectureId);
  const site = await siteId(T.app.deps.db, T.prefectureId);
  const { agent } = await signedIn(T.app, T.prefectureId);
  const res = await attempt(T, agent, { ...form(site, 1), altcha: await solvedAltcha(T.app) });
  assert.equal(res.statusCode, 503);
  assert.equal((await T.app.deps.db.selectFrom('appointment_requests').select('id').execute()).length, 0);
});
