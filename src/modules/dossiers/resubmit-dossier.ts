// The applicant answers a request for pièces: refused while a requested pièce has no file.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { dossierFiles, missingPieces } from './dossier-files';
import { findOwnDossier } from './dossier-queries';
import { transition } from './lifecycle';
import { MissingPiecesError } from './submit-dossier';

export async function resubmitDossier(
  deps: { db: Kysely<DB>; publicUrl: string },
  input: { prefectureId: string; applicantId: string; dossierId: string; now?: Date },
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const dossier = await findOwnDossier(trx, input.prefectureId, input.applicantId, input.dossierId, { forUpdate: true });
    if (dossier.state !== 'pieces_requested') throw new AppError('conflict', 'dossiers.err_transition_illegal');
    const requested = dossier.requested_pieces.map((code) => ({ code, mandatory: true }));
    const files = await dossierFiles(trx, input.prefectureId, dossier.id);
    const since = await trx
      .selectFrom('dossier_events')
      .select('created_at')
      .where('dossier_id', '=', dossier.id)
      .where('event', '=', 'request_pieces')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    // Only files added since the request answer it.
    const fresh = since ? files.filter((f) => f.createdAt >= since.created_at) : files;
    const missing = missingPieces(requested, fresh);
    if (missing.length) throw new MissingPiecesError(missing);
    await transition(trx, dossier, 'resubmit', { role: 'applicant', id: input.applicantId }, {
      publicUrl: deps.publicUrl,
      now: input.now ?? new Date(),
      details: { pieces: dossier.requested_pieces },
    });
  });
}
