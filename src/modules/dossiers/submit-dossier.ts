// Files a draft: refused (nothing changes) while the identity is incomplete, the sworn
// statement unchecked, or a mandatory pièce has no file; otherwise the dossier gets its
// number, becomes 'submitted', and an attestation de dépôt is issued, in one transaction.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { issueDepotAttestation } from './attestation-port';
import { getCategoryKind, pick } from './catalogue/catalogue-queries';
import { dossierFiles, missingPieces } from './dossier-files';
import { findOwnDossier } from './dossier-queries';
import { parseIdentity } from './identity';
import { transition } from './lifecycle';
import { allocateDossierNumber } from './numbering';
import { parisDay } from './renewal-window';
import { identityValues } from './save-dossier-identity';
import { assignInstructingSite } from '../instruction/site-mapping';

export class MissingPiecesError extends AppError {
  constructor(public readonly pieces: string[]) {
    super('validation', 'dossiers.err_missing_pieces', Object.fromEntries(pieces.map((c) => [`pieces.${c}`, 'dossiers.err_piece_missing'])));
  }
}

export async function submitDossier(
  deps: { db: Kysely<DB>; publicUrl: string },
  input: { prefecture: { id: string; code: string }; applicantId: string; dossierId: string; sworn: boolean; now?: Date },
): Promise<{ number: string; attestationCode: string | null }> {
  const now = input.now ?? new Date();
  return deps.db.transaction().execute(async (trx) => {
    const dossier = await findOwnDossier(trx, input.prefecture.id, input.applicantId, input.dossierId, { forUpdate: true });
    if (dossier.state !== 'draft') throw new AppError('conflict', 'dossiers.err_already_submitted');
    let identity;
    try {
      identity = parseIdentity(identityValues(dossier), { kind: dossier.request_kind, prefectureCode: input.prefecture.code, today: parisDay(now) }).identity;
    } catch {
      throw new AppError('validation', 'dossiers.err_identity_incomplete');
    }
    const offer = await getCategoryKind(trx, input.prefecture.id, dossier.category_code, dossier.request_kind);
    if (!offer) throw new AppError('conflict', 'dossiers.err_category_withdrawn');
    const missing = missingPieces(offer.pieces, await dossierFiles(trx, input.prefecture.id, dossier.id));
    if (missing.length) throw new MissingPiecesError(missing);
    if (!input.sworn) throw new AppError('validation', 'errors.validation', { sworn: 'dossiers.err_sworn' });

    // Lateness is judged on the day of filing.
    await trx
      .updateTable('dossiers')
      .set({ late_renewal: identity.late_renewal, late_reason: identity.late_reason })
      .where('id', '=', dossier.id)
      .where('state', '=', 'draft')
      .execute();
    await assignInstructingSite(trx, input.prefecture, dossier.id);
    const number = await allocateDossierNumber(trx, input.prefecture, now);
    await transition(
      trx,
      dossier,
      'submit',
      { role: 'applicant', id: input.applicantId },
      { publicUrl: deps.publicUrl, now, set: { number, submitted_at: now, sworn_at: now }, details: { number } },
    );
    const attestation = await issueDepotAttestation(trx, {
      prefectureId: input.prefecture.id,
      dossierId: dossier.id,
      holderName: `${identity.surname} ${identity.given_names}`,
      details: {
        number,
        category: offer.category.code,
        categoryName: pick(offer.category.name, 'fr'),
        requestKind: dossier.request_kind,
        pieces: offer.pieces.map((p) => p.code),
      },
      validFrom: now,
      validUntil: null,
      publicUrl: deps.publicUrl,
      actor: { id: input.applicantId, role: 'applicant' },
    });
    return { number, attestationCode: attestation.code };
  });
}
