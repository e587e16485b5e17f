// Use case: the applicant removes a file from a pièce while the dossier is a draft; once filed,
// only a file added since the préfecture asked for pièces, to one of those pièces.
// Files attached to messages stay: they are part of the correspondence.
import type { AppDeps } from '../../shared/deps';
import { AppError } from '../../shared/errors';
import { documentStorage } from './document-store';
import { canAddToPiece, findDossier, isUuid, type Actor } from './dossier-access';
import { auditDocuments } from './audit-documents';
import { touchDossier } from './record-documents';

export async function deleteDocument(
  deps: AppDeps,
  actor: Actor,
  input: { prefectureId: string; documentId: string; dossierId?: string },
): Promise<{ dossierId: string; pieceCode: string }> {
  if (!isUuid(input.documentId) || actor.side !== 'applicant') throw new AppError('not_found');
  const result = await deps.db.transaction().execute(async (trx) => {
    const doc = await trx
      .selectFrom('documents')
      .select(['id', 'dossier_id', 'piece_code', 'storage_key', 'created_at'])
      .where('id', '=', input.documentId)
      .where('prefecture_id', '=', input.prefectureId)
      .where('piece_code', 'is not', null)
      .executeTakeFirst();
    if (!doc || (input.dossierId !== undefined && doc.dossier_id !== input.dossierId)) throw new AppError('not_found');
    const dossier = await findDossier(trx, input.prefectureId, doc.dossier_id, actor, { forUpdate: true });
    if (!canAddToPiece(dossier, doc.piece_code as string)) throw new AppError('conflict', 'documents.refused.locked');
    if (dossier.state !== 'draft') {
      const asked = await trx
        .selectFrom('dossier_events')
        .select('created_at')
        .where('dossier_id', '=', dossier.id)
        .where('event', '=', 'request_pieces')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      if (!asked || doc.created_at < asked.created_at) throw new AppError('conflict', 'documents.refused.locked');
    }
    await touchDossier(trx, dossier.id);
    await trx.deleteFrom('documents').where('id', '=', doc.id).execute();
    await auditDocuments(trx, { prefectureId: input.prefectureId, dossierId: dossier.id, dossierState: dossier.state, actor, action: 'file_deleted', details: { pieceCode: doc.piece_code, documentId: doc.id } });
    return { dossierId: doc.dossier_id, pieceCode: doc.piece_code as string, key: doc.storage_key };
  });
  await documentStorage(deps.config)
    .delete(result.key)
    .catch((err: unknown) => deps.log.error({ err, documentId: input.documentId }, 'document file could not be removed'));
  return { dossierId: result.dossierId, pieceCode: result.pieceCode };
}
