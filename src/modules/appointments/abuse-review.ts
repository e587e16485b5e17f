// Staff review of flagged requests: they wait in status 'review' (the draw reads only
// 'pending', so they are out of draws) until an agent approves (→ pending) or rejects them
// with a message to the person.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { queueMail } from '../../shared/mail/mail';

export async function listReviewQueue(db: Kysely<DB>, prefectureId: string) {
  const rows = await db
    .selectFrom('appointment_requests as r')
    .innerJoin('sites as s', 's.id', 'r.site_id')
    .leftJoin('users as u', 'u.id', 'r.applicant_id')
    .select(['r.id', 'r.surname', 'r.given_names', 'r.birth_date', 'r.email', 'r.reason_code', 'r.created_at', 'r.risk_flags', 's.name as site_name', 'u.created_at as account_created_at'])
    .where('r.prefecture_id', '=', prefectureId)
    .where('r.status', '=', 'review')
    .orderBy('r.created_at')
    .limit(200)
    .execute();
  return rows;
}

export async function decideReview(
  db: Kysely<DB>,
  input: { prefectureId: string; requestId: string; agentId: string; decision: 'approved' | 'rejected'; message: string | null; publicUrl: string },
): Promise<void> {
  const message = input.message?.trim() || null;
  if (input.decision === 'rejected' && !message) throw new AppError('validation', 'errors.validation', { message: 'appointments.front.review_err_message' });
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('appointment_requests')
      .set({ status: input.decision === 'approved' ? 'pending' : 'rejected', updated_at: sql`now()` })
      .where('prefecture_id', '=', input.prefectureId)
      .where('id', '=', input.requestId)
      .where('status', '=', 'review')
      .returning(['id', 'email', 'locale'])
      .executeTakeFirst();
    if (!r) throw new AppError('not_found');
    await trx
      .insertInto('appointment_request_meta')
      .values({ request_id: r.id, prefecture_id: input.prefectureId, review_decision: input.decision, review_message: message, reviewed_by: input.agentId, reviewed_at: new Date() })
      .onConflict((oc) =>
        oc.column('request_id').doUpdateSet({ review_decision: input.decision, review_message: message, reviewed_by: input.agentId, reviewed_at: new Date() }),
      )
      .execute();
    if (input.decision === 'rejected') {
      await queueMail(trx, {
        prefectureId: input.prefectureId,
        to: r.email,
        locale: r.locale,
        template: 'appointments.front.mail_review_rejected',
        params: { message: message ?? '' },
        link: `${input.publicUrl}/rendez-vous/demandes/${r.id}`,
      });
    }
  });
}
