// A signed-in person changes their password: current one first; every other session ends.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { destroyUserSessions } from '../../shared/auth/sessions';
import { AppError } from '../../shared/errors';
import { queueMail } from '../../shared/mail/mail';
import { hashPassword } from '../../shared/security/passwords';
import { checkCurrentPassword } from './check-current-password';
import { newPasswordErrors, throwIfErrors } from './schemas';

export async function changePassword(
  db: Kysely<DB>,
  input: {
    prefectureId: string;
    userId: string;
    currentPassword: unknown;
    newPassword: unknown;
    newPasswordConfirm: unknown;
    keepSessionId: string | null;
    ip: string;
  },
): Promise<void> {
  const newPassword = typeof input.newPassword === 'string' ? input.newPassword : '';
  const confirm = typeof input.newPasswordConfirm === 'string' ? input.newPasswordConfirm : '';
  const shape = newPasswordErrors(newPassword, { field: 'new_password', confirmField: 'new_password_confirm', confirm });
  // The new password's shape is reported before the current password is checked.
  throwIfErrors({ ...(input.currentPassword ? {} : { current_password: 'errors.required' }), ...shape });
  const user = await checkCurrentPassword(db, { prefectureId: input.prefectureId, userId: input.userId, password: input.currentPassword, ip: input.ip, field: 'current_password' });
  const withEmail = newPasswordErrors(newPassword, { field: 'new_password', email: user.email });
  throwIfErrors(withEmail);
  if (newPassword === input.currentPassword) throw new AppError('validation', 'errors.validation', { new_password: 'accounts.err_same_password' });
  const hash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, updated_at: new Date() }).where('id', '=', user.id).execute();
    await destroyUserSessions(trx, user.id, input.keepSessionId ?? undefined);
    await queueMail(trx, { prefectureId: input.prefectureId, to: user.email, locale: user.locale, template: 'accounts.mail_password_changed' });
  });
}
