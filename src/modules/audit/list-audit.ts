// The audit history of one entity, oldest first, for display (dossier timeline, back office).
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

export interface AuditRecord {
  id: number;
  seq: number;
  entityType: string;
  entityId: string;
  actorId: string | null;
  actorRole: string;
  action: string;
  stateBefore: string | null;
  stateAfter: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

export async function listAudit(db: Kysely<DB> | Transaction<DB>, prefectureId: string, entityType: string, entityId: string): Promise<AuditRecord[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('prefecture_id', '=', prefectureId)
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    entityType: r.entity_type,
    entityId: r.entity_id,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    action: r.action,
    stateBefore: r.state_before,
    stateAfter: r.state_after,
    details: r.details,
    createdAt: new Date(r.created_at),
  }));
}
