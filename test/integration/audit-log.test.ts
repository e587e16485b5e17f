// The audit log's hash chain on a real database (PGlite, and PostgreSQL with SEJOUR_TEST_DB):
// appends verify; an edited, removed or truncated row is found and named, by the function and
// by `npm run cli -- audit:verify` (exit code 1); rows are append-only for the application; an
// audit row rolls back with its transaction; chains of préfectures are independent.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { runCli } from '../../src/cli';
import { openDatabase, type Database } from '../../src/db/database';
import { migrate } from '../../src/db/migrate';
import type { DB } from '../../src/db/schema';
import { appendAudit, type AuditEntry } from '../../src/modules/audit/append-audit';
import { listAudit } from '../../src/modules/audit/list-audit';
import { verifyAuditChain } from '../../src/modules/audit/verify-audit-chain';
import { HERAULT } from '../../src/modules/prefectures/seed-data';
import { seedPrefecture } from '../../src/modules/prefectures/seed-prefecture';
import { openTestDatabase, testBackend, testDatabaseUrl } from '../helpers/build';

async function setup(t: TestContext): Promise<{ database: Database; db: Kysely<DB>; herault: string; gard: string }> {
  const database = await openTestDatabase(t);
  await migrate(database);
  const herault = (await seedPrefecture(database.db, HERAULT)).id;
  const gard = (await seedPrefecture(database.db, { ...HERAULT, code: '30', name: 'Préfecture du Gard', department_name: 'Gard', sites: HERAULT.sites.slice(0, 1) })).id;
  return { database, db: database.db, herault, gard };
}

const entry = (prefectureId: string, i: number, entityId = randomUUID()): AuditEntry => ({
  prefectureId,
  entityType: 'dossier',
  entityId,
  actorId: i % 3 ? randomUUID() : null,
  actorRole: i % 3 ? 'agent' : 'system',
  action: 'dossier.transition',
  stateBefore: 'submitted',
  stateAfter: i % 2 ? 'instruction' : 'incomplete',
  details: { i, note: `Élément n°${i} — محمد`, at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), nested: { b: [1, 2.5, true, null], a: 'x' }, dropped: undefined },
});

async function appendMany(db: Kysely<DB>, prefectureId: string, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push((await db.transaction().execute((trx) => appendAudit(trx, entry(prefectureId, i)))).id);
  return ids;
}

/** What a database owner could do behind the application's back. */
async function tamper(db: Kysely<DB>, statement: ReturnType<typeof sql>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`alter table audit_log disable trigger audit_log_append_only`.execute(trx);
    await statement.execute(trx);
    await sql`alter table audit_log enable trigger audit_log_append_only`.execute(trx);
  });
}

test('many appends over two préfectures verify; positions and links are consecutive per préfecture', async (t) => {
  const { db, herault, gard } = await setup(t);
  await appendMany(db, herault, 40);
  await appendMany(db, gard, 7);
  await appendMany(db, herault, 3);
  assert.deepEqual(await verifyAuditChain(db), { ok: true, rows: 50 });
  assert.deepEqual(await verifyAuditChain(db, gard), { ok: true, rows: 7 });
  const rows = await db.selectFrom('audit_log').select(['seq', 'prev_hash', 'hash']).where('prefecture_id', '=', herault).orderBy('seq').execute();
  assert.deepEqual(rows.map((r) => r.seq), Array.from({ length: 43 }, (_, i) => i + 1));
  for (let i = 1; i < rows.length; i++) assert.equal(rows[i]?.prev_hash, rows[i - 1]?.hash);
  const head = await db.selectFrom('audit_chain_heads').selectAll().where('prefecture_id', '=', herault).executeTakeFirstOrThrow();
  assert.equal(head.last_seq, 43);
  assert.equal(head.last_hash, rows[42]?.hash);
});

test('editing one row’s details (SQL UPDATE) fails verification naming that row', async (t) => {
  const { db, herault } = await setup(t);
  const ids = await appendMany(db, herault, 20);
  const victim = ids[11] as number;
  await tamper(db, sql`update audit_log set details = jsonb_set(details, '{i}', '999') where id = ${victim}`);
  const report = await verifyAuditChain(db);
  assert.equal(report.ok, false);
  assert.ok(!report.ok);
  assert.equal(report.firstBadId, victim);
  assert.match(report.reason, /altered/);
});

test('editing another column (actor, created_at) is detected too', async (t) => {
  const { db, herault } = await setup(t);
  const ids = await appendMany(db, herault, 6);
  await tamper(db, sql`update audit_log set created_at = created_at + interval '1 millisecond' where id = ${ids[2]}`);
  const report = await verifyAuditChain(db, herault);
  assert.ok(!report.ok);
  assert.equal(report.firstBadId, ids[2]);
});

test('a deleted row is detected at the row that followed it; deleted last rows are detected through the head', async (t) => {
  const { db, herault } = await setup(t);
  const ids = await appendMany(db, herault, 10);
  await tamper(db, sql`delete from audit_log where id = ${ids[4]}`);
  const middle = await verifyAuditChain(db);
  assert.ok(!middle.ok);
  assert.equal(middle.firstBadId, ids[5]);
  assert.match(middle.reason, /missing|removed/);

  const other = await setup(t);
  const ids2 = await appendMany(other.db, other.herault, 5);
  await tamper(other.db, sql`delete from audit_log where id = ${ids2[4]}`);
  const end = await verifyAuditChain(other.db);
  assert.ok(!end.ok);
  assert.equal(end.firstBadId, ids2[4]);
  assert.match(end.reason, /removed at the end/);
});

test('a forged row recomputed with a fresh hash still breaks the link to the next row', async (t) => {
  const { db, herault } = await setup(t);
  const ids = await appendMany(db, herault, 5);
  // The forger edits row 2 and recomputes its own hash with the published algorithm, but cannot
  // change row 3's prev_hash without recomputing every later row and the head.
  const { rowHash } = await import('../../src/modules/audit/chain');
  const r = await db.selectFrom('audit_log').selectAll().where('id', '=', ids[1] as number).executeTakeFirstOrThrow();
  const details = { ...r.details, i: 42 };
  const forged = rowHash(r.prev_hash, {
    prefectureId: r.prefecture_id,
    seq: r.seq,
    entityType: r.entity_type,
    entityId: r.entity_id,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    action: r.action,
    stateBefore: r.state_before,
    stateAfter: r.state_after,
    details: details as never,
    createdAt: new Date(r.created_at).toISOString(),
  });
  await tamper(db, sql`update audit_log set details = ${JSON.stringify(details)}::jsonb, hash = ${forged} where id = ${r.id}`);
  const report = await verifyAuditChain(db);
  assert.ok(!report.ok);
  assert.equal(report.firstBadId, ids[2]);
});

test('the application cannot update or delete audit rows (append-only trigger)', async (t) => {
  const { db, herault } = await setup(t);
  const [id] = await appendMany(db, herault, 1);
  await assert.rejects(sql`update audit_log set action = 'x' where id = ${id}`.execute(db), /append-only/);
  await assert.rejects(sql`delete from audit_log where id = ${id}`.execute(db), /append-only/);
  assert.deepEqual(await verifyAuditChain(db), { ok: true, rows: 1 });
});

test('an audit row rolls back with its transaction and leaves the chain valid', async (t) => {
  const { db, herault } = await setup(t);
  await appendMany(db, herault, 2);
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await appendAudit(trx, entry(herault, 99));
      throw new Error('the change failed');
    }),
    /the change failed/,
  );
  await appendMany(db, herault, 2);
  assert.deepEqual(await verifyAuditChain(db), { ok: true, rows: 4 });
  const n = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(n.n), 4);
});

test('listAudit returns one entity’s history in order, within its préfecture only', async (t) => {
  const { db, herault, gard } = await setup(t);
  const dossier = randomUUID();
  await db.transaction().execute(async (trx) => {
    await appendAudit(trx, { ...entry(herault, 1, dossier), action: 'dossier.submit', stateBefore: 'draft', stateAfter: 'submitted' });
    await appendAudit(trx, entry(herault, 2));
    await appendAudit(trx, { ...entry(herault, 3, dossier), action: 'dossier.instruct', stateBefore: 'submitted', stateAfter: 'instruction' });
  });
  const history = await listAudit(db, herault, 'dossier', dossier);
  assert.deepEqual(history.map((h) => [h.action, h.stateBefore, h.stateAfter]), [
    ['dossier.submit', 'draft', 'submitted'],
    ['dossier.instruct', 'submitted', 'instruction'],
  ]);
  assert.equal(history[0]?.details.note, 'Élément n°1 — محمد');
  assert.ok(history[0]?.createdAt instanceof Date);
  assert.deepEqual(await listAudit(db, gard, 'dossier', dossier), []);
});

test('npm run cli -- audit:verify: exit 0 on a valid chain, 1 naming the first altered row', async (t) => {
  // The CLI opens its own connection from the environment, like in production.
  let env: Record<string, string>;
  let database: Database;
  if (testBackend() === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'sejour-audit-cli-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    env = { NODE_ENV: 'test', DATA_DIR: dir };
    database = await openDatabase({ database: { kind: 'pglite', dataDir: join(dir, 'pglite') } });
  } else {
    database = await openTestDatabase(t, 'postgresql');
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(database.db)).rows[0]?.s as string;
    const url = new URL(testDatabaseUrl());
    url.searchParams.set('options', `-c search_path=${schema}`);
    env = { NODE_ENV: 'test', DATABASE_URL: url.toString() };
  }
  await migrate(database);
  const { id: herault } = await seedPrefecture(database.db, HERAULT);
  const ids = await appendMany(database.db, herault, 8);
  if (testBackend() === 'pglite') await database.close();

  const out: string[] = [];
  t.mock.method(console, 'error', (...a: unknown[]) => void out.push(a.join(' ')));
  t.mock.method(process.stdout, 'write', (s: string | Uint8Array) => (out.push(String(s)), true));
  const run = async () => {
    out.length = 0;
    return runCli(['audit:verify'], env);
  };

  assert.equal(await run(), 0);
  assert.match(out.join(''), /OK — 8 rows/);

  const db2 = testBackend() === 'pglite' ? await openDatabase({ database: { kind: 'pglite', dataDir: join(env.DATA_DIR as string, 'pglite') } }) : database;
  await tamper(db2.db, sql`update audit_log set details = '{"i": 0}'::jsonb where id = ${ids[3]}`);
  if (testBackend() === 'pglite') await db2.close();

  assert.equal(await run(), 1);
  assert.match(out.join(''), new RegExp(`BROKEN at row ${ids[3]}\\b`));
  assert.equal(await runCli(['audit:verify', '--prefecture', '99'], env), 2);
});
