// Draw benchmark: 100,000 pending requests into 15,000 free seats, on PGlite and, when
// TEST_DATABASE_URL (or DATABASE_URL) is set, on a PostgreSQL server. Prints wall times.
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> npx tsx bench/draw.ts
//   (REQUESTS=100000 SEATS=15000 MAILS=true by default; BACKENDS=postgresql or BACKENDS=pglite
//   runs one backend only; the PostgreSQL run uses a fresh schema dropped at the end)
// Target: the draw itself (one transaction: rank, allocate, offers, reveal) under 2 s on PostgreSQL.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config';
import { openDatabase, type Database } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { localDate } from '../src/modules/appointments/calendar';
import { commitDraw } from '../src/modules/appointments/commit-draw';
import { seedAppointments } from '../src/modules/appointments/seed-appointments';
import { runDraw } from '../src/modules/appointments/run-draw';
import { HERAULT } from '../src/modules/prefectures/seed-data';
import { seedPrefecture } from '../src/modules/prefectures/seed-prefecture';

const REQUESTS = Number(process.env.REQUESTS ?? 100_000);
const SEATS = Number(process.env.SEATS ?? 15_000);
const MAILS = process.env.MAILS !== 'false';
const CAPACITY = 20;
const config = loadConfig({ NODE_ENV: 'test', SECRET_KEY: 'bench-secret-key-0123456789abcdef0123456789', JOBS: 'false' });

async function prepare(database: Database): Promise<{ prefectureId: string; drawId: string }> {
  await migrate(database);
  const db = database.db;
  const { id: prefectureId } = await seedPrefecture(db, HERAULT);
  await seedAppointments(db, prefectureId);
  // 15,000 seats: slots of the Montpellier general counter, 5 seats each, every 20 minutes on weekdays.
  await sql`
    insert into slots (prefecture_id, counter_id, local_date, starts_at, ends_at, capacity)
    select c.prefecture_id, c.id, (t at time zone 'Europe/Paris')::date, t, t + interval '20 minutes', ${CAPACITY}::int
    from counters c,
         lateral (select t from generate_series(date_trunc('day', now()) + interval '4 days 7 hours', date_trunc('day', now()) + interval '41 days', interval '20 minutes') t
                  where extract(isodow from t at time zone 'Europe/Paris') < 6
                    and (t at time zone 'Europe/Paris')::time between '08:00' and '17:40'
                  limit ${Math.ceil(SEATS / CAPACITY)}::int) x
    where c.code = 'mtp-general' and c.prefecture_id = ${prefectureId}::uuid
    on conflict do nothing`.execute(db);
  const site = await db.selectFrom('sites').select('id').where('prefecture_id', '=', prefectureId).where('code', '=', 'montpellier').executeTakeFirstOrThrow();
  for (let from = 0; from < REQUESTS; from += 20_000) {
    const n = Math.min(20_000, REQUESTS - from);
    await sql`
      insert into appointment_requests (prefecture_id, reason_code, site_id, surname, given_names, birth_date, permit_expires_on, email, phone,
                                        unavailable_weekdays, identity_key, email_key, phone_key)
      select ${prefectureId}::uuid, case when i % 3 = 0 then 'first_request' else 'renewal' end, ${site.id}::uuid, 'Nom' || i, 'Prenom', '1990-01-01',
             case when i % 10 = 0 then current_date + (i % 200) end,
             'p' || i || '@example.org', '+3360' || lpad(i::text, 7, '0'),
             case when i % 5 = 0 then array[((i / 5) % 5) + 1]::smallint[] else '{}'::smallint[] end,
             'nom' || i || ' prenom|1990-01-01', 'p' || i || '@example.org', '+3360' || lpad(i::text, 7, '0')
      from generate_series(${from}::int, ${from + n - 1}::int) i`.execute(db);
  }
  const draw = await commitDraw({ db, config }, prefectureId, localDate(new Date()));
  return { prefectureId, drawId: draw.id };
}

async function bench(label: string, database: Database): Promise<void> {
  const t0 = performance.now();
  const { drawId } = await prepare(database);
  const t1 = performance.now();
  const phases: string[] = [];
  let last = performance.now();
  const onPhase = (name: string) => {
    const now = performance.now();
    phases.push(`${name} ${((now - last) / 1000).toFixed(2)}`);
    last = now;
  };
  const res = await runDraw({ db: database.db, config }, drawId, { mails: MAILS, onPhase });
  const t2 = performance.now();
  console.log(
    `${label.padEnd(11)} setup ${((t1 - t0) / 1000).toFixed(1)} s | draw: ${res.requests} requests, ${res.seats} seats, ${res.allocations} allocations` +
      `${MAILS ? ' + offer mails' : ''} in ${((t2 - t1) / 1000).toFixed(2)} s`,
  );
  console.log(`${''.padEnd(11)} phases (s): ${phases.join(' | ')}; commit ${((t2 - last) / 1000).toFixed(2)}`);
}

console.log(`bench/draw.ts — ${REQUESTS} pending requests, ${SEATS} seats, Node ${process.version}`);
const BACKENDS = (process.env.BACKENDS ?? 'pglite,postgresql').split(',');
if (BACKENDS.includes('pglite')) {
  const pglite = await openDatabase({ database: { kind: 'pglite', dataDir: null } });
  try {
    await bench('PGlite', pglite);
  } finally {
    await pglite.close();
  }
}
const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (!BACKENDS.includes('postgresql')) {
  // PostgreSQL not asked for
} else if (url) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const database = await openDatabase({ database: { kind: 'postgresql', url, schema } });
  try {
    await bench('PostgreSQL', database);
  } finally {
    await database.close();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
} else {
  console.log('PostgreSQL: skipped (set TEST_DATABASE_URL=postgres://…)');
}
