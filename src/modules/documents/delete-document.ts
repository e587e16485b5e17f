// Use case: the applicant removes a file from a pièce while the dossier is still editable.
// Files attached to messages stay: they are part of the correspondence.
import type { AppDeps } from '../../shared/deps';
import { AppError } from '../../shared/errors';
import { documentStorage } from './document-store';
import { EDITABLE_STATES, findDossier, isUuid, type Actor } from './dossier-access';

export async function deleteDocument(
  deps: AppDeps,
  actor: Actor,
  input: { prefectureId: string; documentId: string; dossierId?: string },
): Promise<{ dossierId: string; pieceCode: string }> {
  if (!isUuid(input.documentId) || actor.side !== 'applicant') throw new AppError('not_found');
  const result = await deps.db.transaction().execute(async (trx) => {
    const doc = await trx
      .selectFrom('documents')
      .select(['id', 'dossier_id', 'piece_code', 'storage_key'])
      .where('id', '=', input.documentId)
      .where('prefecture_id', '=', input.prefectureId)
      .where('piece_code', 'is not', null)
      .executeTakeFirst();
    if (!doc || (input.dossierId !== undefined && doc.dossier_id !== input.dossierId)) throw new AppError('not_found');
    const dossier = await findDossier(trx, input.prefectureId, doc.dossier_id, actor, { forUpdate: true });
    if (!EDITABLE_STATES.includes(dossier.state)) throw new AppError('conflict', 'documents.refused.locked');
    await trx.deleteFrom('documents').where('id', '=', doc.id).execute();
    return { dossierId: doc.dossier_id, pieceCode: doc.piece_code as string, key: doc.storage_key };
  });
  await documentStorage(deps.config)
    .delete(result.key)
    .catch((err: unknown) => deps.log.error({ err, documentId: input.documentId }, 'document file could not be removed'));
  return { dossierId: result.dossierId, pieceCode: result.pieceCode };
}
