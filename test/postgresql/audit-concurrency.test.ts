// PostgreSQL server only: 50 appends at once from separate transactions on separate
// connections (two pools, as two app instances would have), each transaction also doing a
// little work after its append so that they overlap. The préfecture's chain head lock
// serializes them: the chain ends valid with 50 consecutive positions. Without the lock, the
// unique (prefecture_id, seq) / (prefecture_id, prev_hash) constraints refuse a fork.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database';
import { migrate } from '../../src/db/migrate';
import { appendAudit } from '../../src/modules/audit/append-audit';
import { GENESIS_HASH } from '../../src/modules/audit/chain';
import { verifyAuditChain } from '../../src/modules/audit/verify-audit-chain';
import { HERAULT } from '../../src/modules/prefectures/seed-data';
import { seedPrefecture } from '../../src/modules/prefectures/seed-prefecture';
import { openTestDatabase, testDatabaseUrl } from '../helpers/build';

test('50 concurrent appends over two connection pools end with a valid, gap-free chain', async (t) => {
  const first = await openTestDatabase(t, 'postgresql');
  await migrate(first);
  const { id: prefectureId } = await seedPrefecture(first.db, HERAULT);
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(first.db)).rows[0]?.s as string;
  const second = await openDatabase({ database: { kind: 'postgresql', url: testDatabaseUrl(), schema } });
  t.after(() => second.close());

  const results = await Promise.allSettled(
    Array.from({ length: 50 }, (_, i) =>
      (i % 2 ? first : second).db.transaction().execute(async (trx) => {
        const appended = await appendAudit(trx, {
          prefectureId,
          entityType: 'dossier',
          entityId: randomUUID(),
          actorId: null,
          actorRole: 'system',
          action: 'concurrent.append',
          details: { i },
        });
        await sql`select pg_sleep(0.005)`.execute(trx); // the transaction goes on after its append
        return appended;
      }),
    ),
  );
  const failures = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
  assert.deepEqual(failures, []);
  const seqs = results.map((r) => (r as PromiseFulfilledResult<{ seq: number }>).value.seq).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: 50 }, (_, i) => i + 1));
  assert.deepEqual(await verifyAuditChain(first.db), { ok: true, rows: 50 });

  // The details of every transaction are there, once.
  const rows = await first.db.selectFrom('audit_log').select('details').execute();
  assert.deepEqual(rows.map((r) => Number(r.details.i)).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
});

test('past the lock, the constraints refuse two rows at the same position or after the same row', async (t) => {
  const database = await openTestDatabase(t, 'postgresql');
  await migrate(database);
  const { id: prefectureId } = await seedPrefecture(database.db, HERAULT);
  const row = (hash: string) => ({
    prefecture_id: prefectureId,
    seq: 1,
    entity_type: 'dossier',
    entity_id: randomUUID(),
    actor_id: null,
    actor_role: 'system',
    action: 'forged',
    state_before: null,
    state_after: null,
    details: '{}',
    created_at: new Date(),
    prev_hash: GENESIS_HASH,
    hash,
  });
  await database.db.insertInto('audit_log').values(row('a'.repeat(64))).execute();
  await assert.rejects(database.db.insertInto('audit_log').values(row('b'.repeat(64))).execute(), (err: { code?: string }) => err.code === '23505');
});
