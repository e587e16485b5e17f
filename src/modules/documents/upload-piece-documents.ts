// Use case: the applicant adds one or more files to a pièce of their dossier, while the dossier
// is a draft or the préfecture has asked for pièces.
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../shared/deps';
import { documentStorage } from './document-store';
import { canAddToPiece, findDossier, pieceFormats, type Actor } from './dossier-access';
import { discardFiles, receiveFiles } from './receive-files';
import { dossierUsedBytes, recordDocuments, touchDossier } from './record-documents';
import { UploadRefusal } from './refusal';

export const PIECE_FILE_FIELD = 'fichiers';

export async function uploadPieceDocuments(
  deps: AppDeps,
  req: FastifyRequest,
  actor: Actor,
  input: { prefectureId: string; dossierId: string; pieceCode: string },
): Promise<string[]> {
  const { db, config } = deps;
  const storage = documentStorage(config);
  const dossier = await findDossier(db, input.prefectureId, input.dossierId, actor);
  if (actor.side !== 'applicant') throw new UploadRefusal('locked');
  if (!canAddToPiece(dossier, input.pieceCode)) throw new UploadRefusal('locked');
  const formats = await pieceFormats(db, dossier, input.pieceCode);
  const used = await dossierUsedBytes(db, dossier.id);
  if (used >= config.uploads.maxDossierBytes) throw new UploadRefusal('dossier_full');
  const { files } = await receiveFiles(req, storage, {
    maxFileBytes: config.uploads.maxFileBytes,
    remainingBytes: config.uploads.maxDossierBytes - used,
    formats,
    fileField: PIECE_FILE_FIELD,
  });
  if (!files.length) throw new UploadRefusal('no_file');
  try {
    return await db.transaction().execute(async (trx) => {
      const locked = await findDossier(trx, input.prefectureId, input.dossierId, actor, { forUpdate: true });
      if (!canAddToPiece(locked, input.pieceCode)) throw new UploadRefusal('locked');
      // A file added is a change to the draft: its 3-month purge clock starts again.
      await touchDossier(trx, locked.id);
      return recordDocuments(trx, {
        prefectureId: input.prefectureId,
        dossierId: dossier.id,
        dossierState: locked.state,
        actor,
        files,
        maxDossierBytes: config.uploads.maxDossierBytes,
        scanning: config.uploads.clamdUrl !== null,
        pieceCode: input.pieceCode,
      });
    });
  } catch (err) {
    await discardFiles(storage, files);
    throw err;
  }
}
