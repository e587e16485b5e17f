// Intake burst benchmark: N concurrent HTTP clients file appointment requests through the real
// API route (POST /api/v1/appointment-requests, bearer tokens, distinct identities and
// accounts) against a real Séjour server on PostgreSQL, loopback only; next to a hello-world
// Fastify route measured in the same run. Prints requests/s, p50 and p99 of each, and the ratio.
//
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> npx tsx bench/intake.ts
//   (REQUESTS=2000 CONCURRENCY=50 MAX_SECONDS=60 by default; needs PostgreSQL, uses a fresh schema
//   dropped at the end)
//
// Proof of work: before the timed phase the bench fetches one challenge per request from the
// server (/rendez-vous/altcha-challenge) and solves it with altcha-lib, as the widget does; in the
// timed phase the server verifies each solution (signature, expiry, single use) exactly as for a
// browser. Difficulty is the NODE_ENV=test one (solving is the client's cost, not the server's).
// The server trusts X-Forwarded-For (TRUST_PROXY=true, as behind the reverse proxy) and every
// client sends its own address, so the per-IP flood guard and the IP-cluster signal see distinct
// people; each identity has its own account (one filing each, under the per-account limit).
// The load runs in a child process so that the client does not share the server's event loop.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { seedAppointmentService } from '../src/modules/appointments/seed-appointments';
import { HERAULT } from '../src/modules/prefectures/seed-data';
import { seedPrefecture } from '../src/modules/prefectures/seed-prefecture';
import { createSession } from '../src/shared/auth/sessions';

interface Job {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}
interface LoadResult {
  done: number;
  seconds: number;
  statuses: Record<string, number>;
  p50: number;
  p99: number;
}

// ---------------------------------------------------------------------------------------------
// Client side (child process): runs the jobs with CONCURRENCY workers, bounded in time.

async function load(jobs: Job[], concurrency: number, maxMs: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const t0 = performance.now();
  const deadline = t0 + maxMs;
  async function worker() {
    while (next < jobs.length && performance.now() < deadline) {
      const job = jobs[next++] as Job;
      const s = performance.now();
      let status = 'error';
      try {
        const res = await fetch(job.url, { method: job.method, headers: job.headers, ...(job.body ? { body: job.body } : {}) });
        await res.arrayBuffer();
        status = String(res.status);
      } catch {
        // counted as 'error'
      }
      latencies.push(performance.now() - s);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { done: latencies.length, seconds, statuses, p50: pct(50), p99: pct(99) };
}

if (process.argv[2] === 'client') {
  process.on('message', (msg: { jobs: Job[]; concurrency: number; maxMs: number }) => {
    void load(msg.jobs, msg.concurrency, msg.maxMs).then((r) => {
      process.send?.(r);
      process.exit(0);
    });
  });
} else {
  await main();
}

function inChild(jobs: Job[], concurrency: number, maxMs: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['client'], { execArgv: ['--import', 'tsx'] });
    child.once('message', (r) => resolve(r as LoadResult));
    child.once('error', reject);
    child.send({ jobs, concurrency, maxMs });
  });
}

// ---------------------------------------------------------------------------------------------
// Server side (this process).

async function main(): Promise<void> {
  const REQUESTS = Number(process.env.REQUESTS ?? 2000);
  const CONCURRENCY = Number(process.env.CONCURRENCY ?? 50);
  const MAX_MS = Number(process.env.MAX_SECONDS ?? 60) * 1000;
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  console.log(`bench/intake.ts — ${REQUESTS} filings, ${CONCURRENCY} concurrent clients, Node ${process.version}`);
  if (!url) {
    console.log('PostgreSQL: skipped (set TEST_DATABASE_URL=postgres://…)');
    return;
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const database = await openDatabase({ database: { kind: 'postgresql', url, schema } });
  const config = loadConfig({ NODE_ENV: 'test', SECRET_KEY: 'bench-secret-key-0123456789abcdef0123456789', JOBS: 'false', TRUST_PROXY: 'true', PUBLIC_URL: 'http://127.0.0.1' });
  const app = await buildApp(config, { database, logger: false });
  const hello = Fastify({ logger: false });
  hello.get('/hello', async () => ({ hello: 'world' }));
  try {
    await app.ready();
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const helloBase = await hello.listen({ host: '127.0.0.1', port: 0 });
    const db = app.deps.db;
    const { id: prefectureId } = await seedPrefecture(db, HERAULT);
    await seedAppointmentService(db, prefectureId);
    const site = await db.selectFrom('sites').select('id').where('prefecture_id', '=', prefectureId).where('code', '=', 'montpellier').executeTakeFirstOrThrow();

    // Accounts (30 days old), one per identity, each with an API token.
    const t0 = performance.now();
    const users = await sql<{ id: string }>`
      insert into users (prefecture_id, role, email, password_hash, email_confirmed_at, created_at)
      select ${prefectureId}::uuid, 'applicant', 'bench' || i || '@example.org', 'unused', now() - interval '30 days', now() - interval '30 days'
      from generate_series(1, ${REQUESTS}::int) i order by i returning id`.execute(db);
    const tokens: string[] = [];
    for (const u of users.rows) tokens.push((await createSession(db, { id: u.id, prefecture_id: prefectureId }, 'api')).token);
    // One solved challenge per filing, fetched from the server like the widget does.
    const altcha: string[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const challenge = (await (await fetch(`${base}/rendez-vous/altcha-challenge`)).json()) as Challenge;
      const solution = await solveChallenge({ challenge, deriveKey });
      if (!solution) throw new Error('no solution');
      altcha.push(Buffer.from(JSON.stringify({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution })).toString('base64'));
    }
    console.log(`setup: ${REQUESTS} accounts, tokens and solved challenges in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const intakeJobs: Job[] = tokens.map((token, i) => ({
      url: `${base}/api/v1/appointment-requests`,
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-forwarded-for': `10.${(i >> 8) & 255}.${i & 255}.7` },
      body: JSON.stringify({
        surname: `Bench${i}`,
        given_names: 'Intake',
        birth_date: '1990-01-01',
        permit_kind: 'other',
        reason_code: i % 3 === 0 ? 'first_request' : 'renewal',
        site_id: site.id,
        email: `bench${i}@example.org`,
        phone: `+3360${String(i).padStart(7, '0')}`,
        altcha: altcha[i],
      }),
    }));
    const helloJobs: Job[] = Array.from({ length: REQUESTS }, () => ({ url: `${helloBase}/hello`, method: 'GET', headers: {} }));

    const h = await inChild(helloJobs, CONCURRENCY, MAX_MS);
    const r = await inChild(intakeJobs, CONCURRENCY, MAX_MS);
    const filed = await sql<{ status: string; n: number }>`select status, count(*)::int as n from appointment_requests group by status order by status`.execute(db);
    const line = (label: string, x: LoadResult) =>
      `${label.padEnd(24)} ${x.done} requests in ${x.seconds.toFixed(2)} s: ${(x.done / x.seconds).toFixed(0)} req/s, p50 ${x.p50.toFixed(1)} ms, p99 ${x.p99.toFixed(1)} ms, statuses ${JSON.stringify(x.statuses)}`;
    console.log(line('hello-world Fastify', h));
    console.log(line('appointment filing (PG)', r));
    console.log(`stored requests by status: ${filed.rows.map((x) => `${x.status} ${x.n}`).join(', ')}`);
    console.log(`ratio filing / hello-world: ${((r.done / r.seconds / (h.done / h.seconds)) * 100).toFixed(1)} % of the requests/s`);
  } finally {
    await hello.close();
    await app.close();
    await database.close().catch(() => undefined);
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}
