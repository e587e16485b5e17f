// Saves the identity step of a draft. After submission the dossier is read-only.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { findOwnDossier } from './dossier-queries';
import { parseIdentity } from './identity';
import { parisDay, type RenewalWindow } from './renewal-window';

export async function saveDossierIdentity(
  db: Kysely<DB>,
  input: { prefectureId: string; prefectureCode: string; applicantId: string; dossierId: string; values: Record<string, unknown>; now?: Date },
): Promise<{ window: RenewalWindow | null; lateRenewal: boolean }> {
  return db.transaction().execute(async (trx) => {
    const dossier = await findOwnDossier(trx, input.prefectureId, input.applicantId, input.dossierId, { forUpdate: true });
    if (dossier.state !== 'draft') throw new AppError('conflict', 'dossiers.err_read_only');
    const now = input.now ?? new Date();
    const { identity, window } = parseIdentity(input.values, { kind: dossier.request_kind, prefectureCode: input.prefectureCode, today: parisDay(now) });
    await trx
      .updateTable('dossiers')
      .set({ ...identity, updated_at: now, purge_warned_at: null })
      .where('id', '=', dossier.id)
      .where('prefecture_id', '=', input.prefectureId)
      .where('state', '=', 'draft')
      .execute();
    return { window, lateRenewal: identity.late_renewal };
  });
}

/** The stored identity as form values (to re-validate at submission or prefill the form). */
export function identityValues(d: Record<string, unknown>): Record<string, string> {
  const keys = [
    'surname',
    'given_names',
    'birth_date',
    'birth_place',
    'nationality',
    'agdref_number',
    'current_permit_number',
    'current_permit_expires_on',
    'address_line',
    'postal_code',
    'city',
    'phone',
    'ephoto_code',
    'late_reason',
  ];
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = d[k];
    if (typeof v === 'string') out[k] = v;
    else if (v instanceof Date) out[k] = v.toISOString().slice(0, 10);
  }
  return out;
}
