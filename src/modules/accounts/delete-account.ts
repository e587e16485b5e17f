// An applicant deletes their account: current password and an explicit confirmation. The
// user row goes; sessions and links go with it (foreign keys cascade), other modules' rows
// follow their own rules (drafts deleted, filed dossiers kept without the account).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { checkCurrentPassword } from './check-current-password';
import { emailKey, throwIfErrors } from './schemas';

export async function deleteAccount(
  db: Kysely<DB>,
  input: { prefectureId: string; userId: string; password: unknown; confirmed: boolean; ip: string },
): Promise<void> {
  throwIfErrors({
    ...(input.password ? {} : { delete_password: 'errors.required' }),
    ...(input.confirmed ? {} : { delete_confirm: 'accounts.err_delete_confirm' }),
  });
  const user = await checkCurrentPassword(db, { prefectureId: input.prefectureId, userId: input.userId, password: input.password, ip: input.ip, field: 'delete_password' });
  if (user.role !== 'applicant') throw new AppError('forbidden');
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('users').where('id', '=', user.id).where('prefecture_id', '=', input.prefectureId).execute();
    await trx.deleteFrom('login_attempts').where('prefecture_id', '=', input.prefectureId).where('email_key', 'in', [emailKey(user.email), `totp:${user.id}`]).execute();
  });
}
