// Queue benchmark: 1,000,000 generated dossiers on a PostgreSQL server, then the staff queue
// listing and each search kind 200 times with varied inputs, through the real use case
// (listQueue: name folding and broad-search probe, list and the five capped queue counts).
// Prints p50/p95 per kind (target p95 < 20 ms), the share of broad name searches (listed
// without counts), and the EXPLAIN ANALYZE plan of one list query per kind.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/queues.ts
//
// It creates its own database (sejour_bench_queues, dropped at the end; KEEP=true keeps it and
// a second run reuses it) on that server. DOSSIERS=1000000 RUNS=200 by default. Never run by
// the tests. Loading takes a few minutes: rows are generated in SQL (INSERT … SELECT
// generate_series), secondary indexes dropped during the load and rebuilt after.
// The figures depend on the server's shared_buffers (printed): see README.md, "Benchmarks".
import { performance } from 'node:perf_hooks';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { QUEUE_NAME_PROBE } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import type { DB } from '../src/db/schema';
import { ensureCatalogue } from '../src/modules/dossiers/catalogue/ensure-catalogue';
import { HERAULT } from '../src/modules/prefectures/seed-data';
import { seedPrefecture } from '../src/modules/prefectures/seed-prefecture';
import { listQueue } from '../src/modules/queues/list-queue';
import { queueQuerySchema, QUEUES } from '../src/modules/queues/queue-filters';

const DOSSIERS = Number(process.env.DOSSIERS ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 200);
const KEEP = process.env.KEEP === 'true';
const DB_NAME = 'sejour_bench_queues';
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (!serverUrl) {
  console.error('Set BENCH_DATABASE_URL=postgres://user@host:5432/postgres (a PostgreSQL server; the bench creates its own database).');
  process.exit(2);
}
const benchUrl = (() => {
  const u = new URL(serverUrl);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
})();

// Names as on passports: French, Maghrebi, West African, Turkish, Vietnamese, Portuguese,
// Eastern European…, with accents; plus syllable-made rare names for a long tail.
const SURNAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Lefèvre', 'Moreau',
  'Benali', 'Belkacem', 'Haddad', 'El Amrani', 'Benkirane', 'Bouzid', 'Chérif', 'Mansouri', 'Zerrouki', 'Saïdi',
  'Diallo', 'Traoré', 'Koné', 'Ndiaye', 'Diop', 'Camara', 'Sow', 'Keïta', 'Ouédraogo', 'Touré',
  'Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Öztürk', 'Nguyễn', 'Trần', 'Lê', 'Phạm',
  'Gonçalves', 'Conceição', 'Müller', 'Schröder', 'Kowalski', 'Wiśniewski', 'Dvořák', 'Novák', 'Popescu', 'Ionescu',
  'García', 'Fernández', 'López', 'Muñoz', "O'Brien", 'Smith', 'Ivanov', 'Petrović', 'Jovanović', 'Hoxha',
  'Rahman', 'Hossain', 'Singh', 'Kumar', 'Wang', 'Zhang', 'Li', 'Chen', 'Kim', 'Park',
];
const GIVEN = [
  'Éloïse', 'Zoë', 'Anaïs', 'Hélène', 'Chloé', 'Inès', 'Maëlle', 'Léa', 'Noémie', 'Aïcha',
  'Fatoumata', 'Aminata', 'Mariam', 'Yasmine', 'Nour', 'Ayşe', 'Elif', 'Thị Lan', 'María José', 'João',
  'François', 'Jérôme', 'Noël', 'Loïc', 'Mehdi', 'Karim', 'Youssef', 'Mohamed', 'Moussa', 'Ibrahima',
  'Mamadou', 'Oumar', 'Mustafa', 'Emre', 'Văn Minh', 'Wei', 'Jiahui', 'Olena', 'Dmytro', 'Andrés',
  'Seán', 'Björn', 'Zoltán', 'Łukasz', 'Ștefan', 'Raúl', 'Aurélien', 'Cédric', 'Gaëtan', 'Benoît',
];
const SYLLABLES = ['ka', 'mé', 'lou', 'di', 'ra', 'ssa', 'bé', 'no', 'ti', 'za', 'mo', 'ri', 'ya', 'ké', 'lé', 'dou', 'ba', 'si', 'ou', 'ni', 'ha', 'fa', 'go', 'pé', 'ché', 'ty', 'vo', 'xa', 'ju', 'wé'];

const pick = <T>(a: readonly T[]): T => a[Math.floor(Math.random() * a.length)] as T;

async function adminQuery(q: string) {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

async function load(): Promise<{ prefectureId: string }> {
  const database = await openDatabase({ database: { kind: 'postgresql', url: benchUrl } });
  const db = database.db;
  try {
    await migrate(database);
    const { id: prefectureId } = await seedPrefecture(db, HERAULT);
    const have = await sql<{ n: number }>`select count(*)::int as n from dossiers where prefecture_id = ${prefectureId}::uuid`.execute(db);
    if ((have.rows[0]?.n ?? 0) >= DOSSIERS) {
      console.log(`reusing ${have.rows[0]?.n} dossiers in ${DB_NAME}`);
      return { prefectureId };
    }
    await ensureCatalogue(db, prefectureId);
    const t0 = performance.now();
    await sql`
      insert into users (prefecture_id, role, email, display_name, password_hash, email_confirmed_at)
      select ${prefectureId}::uuid, 'agent', 'agent' || i || '@herault.gouv.fr', 'Agent ' || i, 'x', now() from generate_series(1, 40) i
      on conflict do nothing`.execute(db);
    const agentIds = (await db.selectFrom('users').select('id').where('prefecture_id', '=', prefectureId).where('role', '=', 'agent').orderBy('email').execute()).map((r) => r.id);
    const siteIds = (await db.selectFrom('sites').select('id').where('prefecture_id', '=', prefectureId).orderBy('code').execute()).map((r) => r.id);
    const kinds = await db.selectFrom('category_request_kinds').select(['category_code', 'request_kind']).where('prefecture_id', '=', prefectureId).orderBy('category_code').orderBy('request_kind').execute();
    const ck = kinds.map((k) => `${k.category_code}|${k.request_kind}`);
    // Secondary indexes off during the load, rebuilt after (same definitions).
    const idx = await sql<{ indexname: string; indexdef: string }>`
      select i.indexname, i.indexdef from pg_indexes i
      where i.tablename = 'dossiers' and i.schemaname = current_schema()
        and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db);
    for (const i of idx.rows) await sql.raw(`drop index ${i.indexname}`).execute(db);
    const chunk = 100_000;
    for (let from = 0; from < DOSSIERS; from += chunk) {
      const to = Math.min(DOSSIERS, from + chunk) - 1;
      await sql`
        insert into dossiers (prefecture_id, applicant_id, applicant_email, number, state, category_code, request_kind,
                              surname, given_names, birth_date, nationality, agdref_number, late_renewal, late_reason,
                              submitted_at, sworn_at, decided_at, site_id, assigned_to, assigned_at, created_at, updated_at)
        select ${prefectureId}::uuid, null, 'demandeur.' || i || '@exemple.fr',
               '34-' || extract(year from x.filed at time zone 'Europe/Paris') || '-' || lpad(i::text, 6, '0'),
               x.state, split_part(x.ck, '|', 1), split_part(x.ck, '|', 2),
               x.surname, x.given, date '1960-01-01' + (i % 15000), 'XXX',
               case when split_part(x.ck, '|', 2) <> 'first' then '1' || lpad(i::text, 9, '0') end,
               x.late, case when x.late then 'Retard administratif' end,
               x.filed, x.filed,
               case when x.state like 'decided%' or x.state like 'card%' or x.state = 'handed_over' then x.filed + interval '60 days' end,
               x.site, x.agent, case when x.agent is not null then x.filed + interval '3 days' end, x.filed - interval '2 days', x.filed
        from generate_series(${from}::int, ${to}::int) as i,
        lateral (
          select r.*,
                 case when r.u < 0.10 then 'submitted' when r.u < 0.25 then 'under_review' when r.u < 0.28 then 'resubmitted'
                      when r.u < 0.35 then 'pieces_requested' when r.u < 0.45 then 'decided_favourable' when r.u < 0.50 then 'decided_unfavourable'
                      when r.u < 0.55 then 'card_in_production' when r.u < 0.58 then 'card_ready' when r.u < 0.93 then 'handed_over'
                      when r.u < 0.97 then 'closed' else 'withdrawn' end as state,
                 (r.ck like '%|renewal' and r.v < 0.08) as late,
                 case when r.u >= 0.10 then (${agentIds}::uuid[])[1 + (i % ${agentIds.length}::int)] end as agent
          from (select random() as u, random() as v,
                       (${ck}::text[])[1 + (i % ${ck.length}::int)] as ck,
                       case when i % 2 = 0 then (${SURNAMES}::text[])[1 + ((i / 2) % ${SURNAMES.length}::int)]
                            else initcap((${SYLLABLES}::text[])[1 + (i % 30)] || (${SYLLABLES}::text[])[1 + ((i / 30) % 30)] || (${SYLLABLES}::text[])[1 + ((i / 900) % 30)])
                                 || case when i % 11 = 0 then ' ' || (${SURNAMES}::text[])[1 + (i % ${SURNAMES.length}::int)] else '' end
                       end as surname,
                       (${GIVEN}::text[])[1 + ((i / 7) % ${GIVEN.length}::int)] as given,
                       now() - (random() * interval '1100 days') as filed,
                       (${siteIds}::uuid[])[1 + (i % ${siteIds.length}::int)] as site) r
        ) x`.execute(db);
      process.stdout.write(`\rloaded ${to + 1} dossiers (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    process.stdout.write('\n');
    const t1 = performance.now();
    for (const i of idx.rows) await sql.raw(i.indexdef).execute(db);
    await sql`vacuum analyze dossiers`.execute(db);
    console.log(`indexes rebuilt and analysed in ${((performance.now() - t1) / 1000).toFixed(0)} s; total load ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    return { prefectureId };
  } finally {
    await database.close();
  }
}

const pct = (xs: number[], p: number) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

async function main() {
  console.log(`bench/queues.ts — ${DOSSIERS} dossiers, ${RUNS} runs per kind, Node ${process.version}`);
  const exists = await (async () => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    const r = await c.query('select 1 from pg_database where datname = $1', [DB_NAME]);
    await c.end();
    return r.rowCount === 1;
  })();
  if (!exists) await adminQuery(`create database ${DB_NAME}`);
  try {
    const { prefectureId } = await load();
    const pool = new pg.Pool({ connectionString: benchUrl, max: 2 });
    let captured: { query: CompiledQuery; ms: number }[] = [];
    const db = new Kysely<DB>({
      dialect: new PostgresDialect({ pool }),
      log: (e) => {
        if (e.level === 'query') captured.push({ query: e.query, ms: e.queryDurationMillis });
      },
    });
    const version = await sql<{ v: string }>`select version() as v`.execute(db);
    console.log(version.rows[0]?.v);
    // A server in service has its queue indexes in memory; a freshly loaded (or long idle) bench
    // database may not (this machine's kernel pages out cold memory). Read the table and its
    // indexes once, through pg_prewarm when the server has it, so that the figures are those of a
    // warm server rather than of the disk.
    // The mode: into PostgreSQL's own buffers when they can hold it all (a server sized for its
    // data), else into the kernel's page cache only (each heap page then costs a system call).
    const relations = sql`select c.oid from pg_class c
        where c.relkind in ('r', 'i') and (c.relname in ('dossiers', 'users') or c.oid in (select indexrelid from pg_index where indrelid = 'dossiers'::regclass))`;
    const sizes = await sql<{ data: string; buffers: string; fits: boolean }>`
      select pg_size_pretty(sum(pg_relation_size(oid))) as data, current_setting('shared_buffers') as buffers,
             sum(pg_relation_size(oid)) < 0.9 * (select setting::bigint * 8192 from pg_settings where name = 'shared_buffers') as fits
      from (${relations}) r`.execute(db);
    const fit = sizes.rows[0];
    const mode = fit?.fits ? 'buffer' : 'read';
    console.log(`shared_buffers ${fit?.buffers}; dossiers, users and their indexes: ${fit?.data}${fit?.fits ? '' : ' (do not fit: heap pages are read through the kernel cache)'}`);
    try {
      await sql`create extension if not exists pg_prewarm`.execute(db);
      const warmed = await sql<{ blocks: number }>`
        select coalesce(sum(pg_prewarm(r.oid, ${mode})), 0)::int as blocks from (${relations}) r`.execute(db);
      console.log(`prewarmed dossiers and its indexes: ${warmed.rows[0]?.blocks} blocks (pg_prewarm, ${mode} mode)`);
    } catch (err) {
      console.log(`pg_prewarm unavailable (${(err as Error).message}): figures may include disk reads`);
    }
    await sql`analyze users`.execute(db);
    const agents = (await db.selectFrom('users').select('id').where('prefecture_id', '=', prefectureId).where('role', '=', 'agent').execute()).map((r) => r.id);
    const sites = (await db.selectFrom('sites').select('id').where('prefecture_id', '=', prefectureId).execute()).map((r) => r.id);
    const cats = [...new Set((await db.selectFrom('category_request_kinds').select('category_code').where('prefecture_id', '=', prefectureId).execute()).map((r) => r.category_code))];
    const sample = await sql<{ number: string; agdref_number: string | null; applicant_email: string; queue: string; surname: string; given_names: string; at: string; id: string }>`
      select number, agdref_number, applicant_email, queue, surname, given_names, id,
             to_char(submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at
      from dossiers tablesample system (1) where prefecture_id = ${prefectureId}::uuid limit ${RUNS * 2}`.execute(db);
    const rows = sample.rows;
    const cursorOf = (r: { at: string; id: string }) => Buffer.from(`${r.at}|${r.id}`).toString('base64url');
    const typed = (s: string) => {
      // What a person types: part of the name, any case, sometimes without accents.
      const w = pick(s.split(/[\s'-]+/).filter((x) => x.length > 0));
      const part = w.length > 4 && Math.random() < 0.5 ? w.slice(0, 3 + Math.floor(Math.random() * (w.length - 3))) : w;
      const r = Math.random();
      return r < 0.3 ? part.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase() : r < 0.6 ? part.toUpperCase() : part;
    };
    type Input = Record<string, string | undefined>;
    const kinds: { label: string; input: (i: number) => Input }[] = [
      { label: 'queue, first page', input: () => ({ queue: pick(QUEUES) }) },
      { label: 'queue "mine" (review)', input: () => ({ queue: 'review', scope: 'mine' }) },
      { label: 'filter category', input: () => ({ queue: pick(QUEUES), category: pick(cats) }) },
      { label: 'filter request kind', input: () => ({ queue: pick(QUEUES), kind: pick(['first', 'renewal', 'change_of_status']) }) },
      { label: 'filter site', input: () => ({ queue: pick(QUEUES), site: pick(sites) }) },
      { label: 'filter late renewal', input: () => ({ queue: pick(QUEUES), late: '1' }) },
      {
        label: 'filter filing dates',
        input: () => {
          const d = new Date(Date.now() - Math.random() * 1000 * 86_400_000);
          return { queue: pick(QUEUES), from: d.toISOString().slice(0, 10), to: new Date(d.getTime() + 30 * 86_400_000).toISOString().slice(0, 10) };
        },
      },
      { label: 'filters combined', input: () => ({ queue: pick(QUEUES), category: pick(cats), site: pick(sites), kind: 'renewal' }) },
      { label: 'queue, next page (keyset)', input: (i) => ({ queue: rows[i % rows.length]!.queue, after: cursorOf(rows[i % rows.length]!) }) },
      { label: 'search number, exact', input: (i) => ({ queue: rows[i % rows.length]!.queue, by: 'number', q: rows[i % rows.length]!.number }) },
      // A number typed without its last one to three digits.
      { label: 'search number, prefix', input: (i) => ({ queue: pick(QUEUES), by: 'number', q: rows[i % rows.length]!.number.slice(0, 11 + (i % 3)) }) },
      { label: 'search name, partial', input: (i) => ({ queue: pick(QUEUES), by: 'name', q: typed(rows[i % rows.length]!.surname) }) },
      {
        label: 'search name, two words',
        input: (i) => ({ queue: rows[i % rows.length]!.queue, by: 'name', q: `${typed(rows[i % rows.length]!.given_names)} ${typed(rows[i % rows.length]!.surname)}` }),
      },
      {
        label: 'search AGDREF',
        input: (i) => {
          const r = rows.filter((x) => x.agdref_number)[i % 100] ?? rows[0]!;
          return { queue: r.queue, by: 'agdref', q: r.agdref_number ?? '1000000001' };
        },
      },
      { label: 'search e-mail', input: (i) => ({ queue: rows[i % rows.length]!.queue, by: 'email', q: rows[i % rows.length]!.applicant_email.toUpperCase() }) },
    ];
    const isList = (q: CompiledQuery) => q.sql.includes('on d.id = k.id');
    const isProbe = (q: CompiledQuery) => q.sql.includes('as seen');
    const isCounts = (q: CompiledQuery) => q.sql.includes('"reviewMine"');
    // Warm-up (caches, plans).
    for (let i = 0; i < 20; i++) await listQueue(db, { prefectureId, userId: pick(agents), query: queueQuerySchema.parse(kinds[i % kinds.length]!.input(i)), nameProbe: QUEUE_NAME_PROBE });
    console.log(
      '\nms; "page" = the whole use case (name folding and probe, then list and 5 capped counts side by side), "list", "counts" and "probe" = each query alone' +
        '\n(a name search led by the trigram index lists and counts in one query: the same figure in both columns)',
    );
    console.log(
      `${'kind'.padEnd(28)} ${'page p50'.padStart(9)} ${'page p95'.padStart(9)} ${'list p50'.padStart(9)} ${'list p95'.padStart(9)} ${'counts p95'.padStart(11)} ${'probe p95'.padStart(10)}  ${'rows/page'.padStart(9)}  broad name searches (no counts)`,
    );
    const plans: { label: string; plan: string }[] = [];
    for (const kind of kinds) {
      const times: number[] = [];
      const listTimes: number[] = [];
      const countTimes: number[] = [];
      const probeTimes: number[] = [];
      let found = 0;
      let broad = 0;
      for (let i = 0; i < RUNS; i++) {
        const query = queueQuerySchema.parse(kind.input(i));
        const userId = pick(agents);
        captured = [];
        const t0 = performance.now();
        const page = await listQueue(db, { prefectureId, userId, query, nameProbe: QUEUE_NAME_PROBE });
        listTimes.push(captured.find((c) => isList(c.query))?.ms ?? NaN);
        countTimes.push(captured.find((c) => isCounts(c.query))?.ms ?? NaN);
        probeTimes.push(captured.find((c) => isProbe(c.query))?.ms ?? NaN);
        times.push(performance.now() - t0);
        found += page.rows.length;
        if (page.counts === null) broad++;
        if (i === 0) {
          const list = captured.find((c) => isList(c.query))?.query;
          if (list) {
            const res = await pool.query(`explain (analyze, costs off, timing off, summary on) ${list.sql}`, list.parameters as unknown[]);
            plans.push({ label: `${kind.label} ${JSON.stringify(query)}`, plan: res.rows.map((r: Record<string, string>) => `    ${r['QUERY PLAN']}`).join('\n') });
          }
        }
      }
      const f = (v: number, w = 9) => v.toFixed(2).padStart(w);
      console.log(`${kind.label.padEnd(28)} ${f(pct(times, 50))} ${f(pct(times, 95))} ${f(pct(listTimes, 50))} ${f(pct(listTimes, 95))} ${f(pct(countTimes, 95), 11)} ${probeTimes.some((x) => !Number.isNaN(x)) ? f(pct(probeTimes, 95), 10) : ''.padStart(10)}  ${(found / RUNS).toFixed(1).padStart(9)}  ${broad ? `${Math.round((100 * broad) / RUNS)}%` : ''}`);
    }
    console.log('\nQuery plans (list query, first run of each kind):');
    for (const p of plans) console.log(`\n  ${p.label}\n${p.plan}`);
    captured = [];
    await listQueue(db, { prefectureId, userId: agents[0]!, query: queueQuerySchema.parse({ queue: 'decided' }), nameProbe: QUEUE_NAME_PROBE });
    const counts = captured.find((c) => isCounts(c.query))?.query;
    if (counts) {
      const res = await pool.query(`explain (analyze, costs off, timing off, summary on) ${counts.sql}`, counts.parameters as unknown[]);
      console.log(`\n  counts query (queue=decided, no filter)\n${res.rows.map((r: Record<string, string>) => `    ${r['QUERY PLAN']}`).join('\n')}`);
    }
    await db.destroy();
  } finally {
    if (!KEEP) await adminQuery(`drop database if exists ${DB_NAME}`);
  }
}

await main();
