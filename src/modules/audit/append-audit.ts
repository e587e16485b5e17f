// Appends one row to a préfecture's audit chain, inside the caller's transaction: the row
// commits or rolls back with the change it records. Concurrent appends of one préfecture
// (from any process or server) are serialized by the database: the préfecture's row in
// audit_chain_heads is locked (SELECT … FOR UPDATE) until the caller's transaction ends.
// Use it in READ COMMITTED transactions (the default); under REPEATABLE READ a concurrent
// append makes the caller's transaction fail with a serialization error (retry it).
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { GENESIS_HASH, rowHash, toJsonData, type AuditContent } from './chain';

export interface AuditEntry {
  prefectureId: string;
  /** Lowercase snake_case: 'dossier', 'attestation', 'appointment', 'user'… */
  entityType: string;
  entityId: string;
  /** Null for the system (jobs) or an anonymous visitor. */
  actorId: string | null;
  /** 'applicant' | 'agent' | 'supervisor' | 'admin' | 'system' … */
  actorRole: string;
  action: string;
  stateBefore?: string | null;
  stateAfter?: string | null;
  /** JSON data (Dates become ISO strings). Never secrets or document contents. */
  details?: Record<string, unknown>;
  /** Defaults to now. */
  at?: Date;
}

export interface AppendedAudit {
  id: number;
  seq: number;
  hash: string;
}

export async function appendAudit(trx: Transaction<DB>, entry: AuditEntry): Promise<AppendedAudit> {
  await trx
    .insertInto('audit_chain_heads')
    .values({ prefecture_id: entry.prefectureId, last_id: null, last_seq: 0, last_hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('prefecture_id').doNothing())
    .execute();
  const head = await trx
    .selectFrom('audit_chain_heads')
    .select(['last_seq', 'last_hash'])
    .where('prefecture_id', '=', entry.prefectureId)
    .forUpdate()
    .executeTakeFirstOrThrow();

  const content: AuditContent = {
    prefectureId: entry.prefectureId,
    seq: head.last_seq + 1,
    entityType: entry.entityType,
    entityId: entry.entityId,
    actorId: entry.actorId,
    actorRole: entry.actorRole,
    action: entry.action,
    stateBefore: entry.stateBefore ?? null,
    stateAfter: entry.stateAfter ?? null,
    details: toJsonData(entry.details ?? {}),
    createdAt: (entry.at ?? new Date()).toISOString(),
  };
  const hash = rowHash(head.last_hash, content);
  const row = await trx
    .insertInto('audit_log')
    .values({
      prefecture_id: content.prefectureId,
      seq: content.seq,
      entity_type: content.entityType,
      entity_id: content.entityId,
      actor_id: content.actorId,
      actor_role: content.actorRole,
      action: content.action,
      state_before: content.stateBefore,
      state_after: content.stateAfter,
      details: JSON.stringify(content.details),
      created_at: content.createdAt,
      prev_hash: head.last_hash,
      hash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('audit_chain_heads')
    .set({ last_id: row.id, last_seq: content.seq, last_hash: hash, updated_at: new Date() })
    .where('prefecture_id', '=', entry.prefectureId)
    .execute();
  return { id: row.id, seq: content.seq, hash };
}
