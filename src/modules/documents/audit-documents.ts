// Actions on a filed dossier's documents and thread go to the audit log (entity 'dossier', in
// the action's transaction), as the casework does: who, when, what (ids and counts, never a
// message's text or a file's content), and the dossier's state, which these actions leave as
// it is. A draft's own files are the applicant's preparation, not yet a dossier under
// instruction: they are not audited.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { appendAudit } from '../audit/append-audit';
import type { Actor } from './dossier-access';

export type DocumentAuditAction = 'files_added' | 'file_deleted' | 'message_sent';

export async function auditDocuments(
  trx: Transaction<DB>,
  entry: { prefectureId: string; dossierId: string; actor: Actor; action: DocumentAuditAction; details: Record<string, unknown> },
): Promise<void> {
  const dossier = await trx.selectFrom('dossiers').select('state').where('id', '=', entry.dossierId).executeTakeFirstOrThrow();
  if (dossier.state === 'draft') return;
  await appendAudit(trx, {
    prefectureId: entry.prefectureId,
    entityType: 'dossier',
    entityId: entry.dossierId,
    actorId: entry.actor.user.id,
    actorRole: entry.actor.user.role,
    action: `documents.${entry.action}`,
    stateBefore: dossier.state,
    stateAfter: dossier.state,
    details: entry.details,
  });
}
