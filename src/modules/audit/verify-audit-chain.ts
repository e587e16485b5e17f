// Walks each préfecture's audit chain in order and recomputes every hash. Reports the first
// row that does not fit: altered content (hash mismatch), a removed or inserted row (seq gap
// or prev_hash not the previous row's hash), or rows removed at the end (the chain head,
// updated by every append, names a row that is no longer there).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { GENESIS_HASH, rowHash, type JsonValue } from './chain';

export type AuditChainReport =
  | { ok: true; rows: number }
  | { ok: false; firstBadId: number | null; prefectureId: string; reason: string; rows: number };

const BATCH = 1000;

export async function verifyAuditChain(db: Kysely<DB>, prefectureId?: string): Promise<AuditChainReport> {
  let q = db.selectFrom('prefectures').select('id').orderBy('code');
  if (prefectureId) q = q.where('id', '=', prefectureId);
  const prefectures = await q.execute();
  let total = 0;
  for (const p of prefectures) {
    const report = await verifyOne(db, p.id);
    total += report.rows;
    if (!report.ok) return { ...report, rows: total };
  }
  return { ok: true, rows: total };
}

async function verifyOne(db: Kysely<DB>, prefectureId: string): Promise<AuditChainReport> {
  const head = await db
    .selectFrom('audit_chain_heads')
    .select(['last_id', 'last_seq', 'last_hash'])
    .where('prefecture_id', '=', prefectureId)
    .executeTakeFirst();
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let lastId: number | null = null;
  let rows = 0;
  const bad = (firstBadId: number | null, reason: string): AuditChainReport => ({ ok: false, firstBadId, prefectureId, reason, rows });
  for (;;) {
    const batch = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('prefecture_id', '=', prefectureId)
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(BATCH)
      .execute();
    for (const r of batch) {
      if (r.seq !== expectedSeq) return bad(r.id, `row ${r.id} has position ${r.seq}, expected ${expectedSeq}: rows are missing before it`);
      if (r.prev_hash !== prevHash) return bad(r.id, `row ${r.id} does not follow the previous row (prev_hash mismatch): a row before it was removed or altered`);
      const hash = rowHash(prevHash, {
        prefectureId: r.prefecture_id,
        seq: r.seq,
        entityType: r.entity_type,
        entityId: r.entity_id,
        actorId: r.actor_id,
        actorRole: r.actor_role,
        action: r.action,
        stateBefore: r.state_before,
        stateAfter: r.state_after,
        details: r.details as Record<string, JsonValue>,
        createdAt: new Date(r.created_at).toISOString(),
      });
      if (hash !== r.hash) return bad(r.id, `row ${r.id} was altered (its content does not match its hash)`);
      prevHash = r.hash;
      lastId = r.id;
      expectedSeq += 1;
      rows += 1;
    }
    if (batch.length < BATCH) break;
  }
  const headSeq = head?.last_seq ?? 0;
  if (headSeq !== expectedSeq - 1 || (head?.last_hash ?? GENESIS_HASH) !== prevHash || (head?.last_id ?? null) !== lastId) {
    return bad(head?.last_id ?? lastId, `the chain ends at position ${expectedSeq - 1} but its head records position ${headSeq} (row ${head?.last_id ?? 'none'}): rows were removed at the end or the head was altered`);
  }
  return { ok: true, rows };
}
