// The applicant clicks the link of the confirmation mail: once, within 24 hours.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { consumeToken } from './account-tokens';

export const linkInvalid = () => new AppError('gone', 'accounts.err_link_invalid');

export async function confirmEmail(db: Kysely<DB>, input: { prefectureId: string; token: unknown }): Promise<{ userId: string }> {
  return db.transaction().execute(async (trx) => {
    const used = await consumeToken(trx, { prefectureId: input.prefectureId, purpose: 'confirm-email', token: input.token });
    if (!used) throw linkInvalid();
    await trx
      .updateTable('users')
      .set((eb) => ({ email_confirmed_at: eb.fn.coalesce('email_confirmed_at', eb.val(new Date())), updated_at: new Date() }))
      .where('id', '=', used.userId)
      .where('prefecture_id', '=', input.prefectureId)
      .execute();
    return { userId: used.userId };
  });
}
