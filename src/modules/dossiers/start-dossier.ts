// Creates a draft dossier for a category and request kind the préfecture offers.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { getCategoryKind } from './catalogue/catalogue-queries';
import type { RequestKind } from './tables';

/** An applicant keeps at most this many drafts at once (they are purged after 3 months). */
export const MAX_DRAFTS = 10;

export async function startDossier(
  db: Kysely<DB>,
  input: { prefectureId: string; applicant: { id: string; email: string }; categoryCode: string; kind: RequestKind },
): Promise<{ id: string }> {
  return db.transaction().execute(async (trx) => {
    const offered = await getCategoryKind(trx, input.prefectureId, input.categoryCode, input.kind);
    if (!offered) throw new AppError('validation', 'errors.validation', { category: 'dossiers.err_category' });
    const drafts = await trx
      .selectFrom('dossiers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('prefecture_id', '=', input.prefectureId)
      .where('applicant_id', '=', input.applicant.id)
      .where('state', '=', 'draft')
      .executeTakeFirstOrThrow();
    if (Number(drafts.n) >= MAX_DRAFTS) throw new AppError('conflict', 'dossiers.err_too_many_drafts', {}, { max: MAX_DRAFTS });
    const row = await trx
      .insertInto('dossiers')
      .values({
        prefecture_id: input.prefectureId,
        applicant_id: input.applicant.id,
        applicant_email: input.applicant.email,
        category_code: input.categoryCode,
        request_kind: input.kind,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('dossier_events')
      .values({
        prefecture_id: input.prefectureId,
        dossier_id: row.id,
        event: 'create',
        from_state: null,
        to_state: 'draft',
        actor_id: input.applicant.id,
        actor_role: 'applicant',
      })
      .execute();
    return row;
  });
}
