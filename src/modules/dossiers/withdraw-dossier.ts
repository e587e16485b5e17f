// The applicant withdraws a filed request (any time before a decision).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { findOwnDossier } from './dossier-queries';
import { transition } from './lifecycle';
import { revokeProlongations } from '../instruction/prolongation';

export async function withdrawDossier(
  deps: { db: Kysely<DB>; publicUrl: string },
  input: { prefectureId: string; applicantId: string; dossierId: string; now?: Date },
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const dossier = await findOwnDossier(trx, input.prefectureId, input.applicantId, input.dossierId, { forUpdate: true });
    const now = input.now ?? new Date();
    await transition(trx, dossier, 'withdraw', { role: 'applicant', id: input.applicantId }, { publicUrl: deps.publicUrl, now });
    // A withdrawn request no longer proves anything: its prolongation attestations are revoked at once.
    await revokeProlongations(trx, input.prefectureId, dossier.id, 'withdrawn', { id: input.applicantId, role: 'applicant' }, now);
  });
}
