// Every casework action goes to the audit log (entity 'dossier'), in the action's transaction.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { appendAudit } from '../audit/append-audit';
import type { StaffActor } from './casework-rules';

export async function auditCasework(
  trx: Transaction<DB>,
  entry: { prefectureId: string; dossierId: string; actor: StaffActor | { id: null; role: 'system' }; action: string; stateBefore: string; stateAfter: string; details?: Record<string, unknown>; at?: Date },
): Promise<void> {
  await appendAudit(trx, {
    prefectureId: entry.prefectureId,
    entityType: 'dossier',
    entityId: entry.dossierId,
    actorId: entry.actor.id,
    actorRole: entry.actor.role,
    action: `instruction.${entry.action}`,
    stateBefore: entry.stateBefore,
    stateAfter: entry.stateAfter,
    details: entry.details ?? {},
    ...(entry.at ? { at: entry.at } : {}),
  });
}
