// Where the dossiers module hands its state changes to the audit log (src/modules/audit),
// in the caller's transaction. Kept in one place so the lifecycle does not depend on the
// audit module's internals.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { appendAudit } from '../audit/append-audit';

export interface DossierAuditEntry {
  prefectureId: string;
  actorId: string | null;
  actorRole: string;
  action: string;
  subjectId: string;
  details: { from?: string; to?: string } & Record<string, unknown>;
}

/** Appends to the préfecture's hash-chained audit log (entity 'dossier'), in the caller's transaction. */
export async function recordAudit(trx: Transaction<DB>, entry: DossierAuditEntry): Promise<void> {
  await appendAudit(trx, {
    prefectureId: entry.prefectureId,
    entityType: 'dossier',
    entityId: entry.subjectId,
    actorId: entry.actorId,
    actorRole: entry.actorRole,
    action: entry.action,
    stateBefore: typeof entry.details.from === 'string' ? entry.details.from : null,
    stateAfter: typeof entry.details.to === 'string' ? entry.details.to : null,
    details: entry.details,
  });
}
