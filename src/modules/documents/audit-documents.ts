// Actions on a filed dossier's documents and thread go to the audit log (entity 'dossier', in
// the action's transaction), as the casework does: who, when, what (ids and counts, never a
// message's text or a file's content), and the dossier's state, which these actions leave as
// it is. A draft's own files are the applicant's preparation, not yet a dossier under
// instruction: they are not audited.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { appendAudit } from '../audit/append-audit';
import type { DossierState } from '../dossiers/tables';
import type { Actor } from './dossier-access';

export type DocumentAuditAction = 'files_added' | 'file_deleted' | 'message_sent';

export async function auditDocuments(
  trx: Transaction<DB>,
  // The dossier's state as the caller read it, the row locked for the action.
  entry: { prefectureId: string; dossierId: string; dossierState: DossierState; actor: Actor; action: DocumentAuditAction; details: Record<string, unknown> },
): Promise<void> {
  if (entry.dossierState === 'draft') return;
  await appendAudit(trx, {
    prefectureId: entry.prefectureId,
    entityType: 'dossier',
    entityId: entry.dossierId,
    actorId: entry.actor.user.id,
    actorRole: entry.actor.user.role,
    action: `documents.${entry.action}`,
    stateBefore: entry.dossierState,
    stateAfter: entry.dossierState,
    details: entry.details,
  });
}
