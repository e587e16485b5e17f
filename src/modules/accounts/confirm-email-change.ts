// The link sent to the new address applies the change, once, if the address is still free.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { consumeToken, retireTokens } from './account-tokens';
import { linkInvalid } from './confirm-email';
import { emailTaken } from './queries';
import { isUniqueViolation } from './schemas';

const takenNow = () => new AppError('conflict', 'accounts.err_email_taken_now');

export async function confirmEmailChange(db: Kysely<DB>, input: { prefectureId: string; token: unknown }): Promise<{ userId: string; email: string }> {
  try {
    return await db.transaction().execute(async (trx) => {
      const used = await consumeToken(trx, { prefectureId: input.prefectureId, purpose: 'change-email', token: input.token });
      if (!used?.newEmail) throw linkInvalid();
      if (await emailTaken(trx, input.prefectureId, used.newEmail, used.userId)) throw takenNow();
      await trx
        .updateTable('users')
        .set({ email: used.newEmail, email_confirmed_at: new Date(), updated_at: new Date() })
        .where('id', '=', used.userId)
        .where('prefecture_id', '=', input.prefectureId)
        .execute();
      await retireTokens(trx, used.userId, 'change-email');
      await retireTokens(trx, used.userId, 'confirm-email');
      return { userId: used.userId, email: used.newEmail };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw takenNow();
    throw err;
  }
}
