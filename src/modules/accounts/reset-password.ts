// Sets a new password from a reset link. The link works once; every session of the account
// ends (whoever was signed in must sign in again); the mailbox is proven, so an unconfirmed
// address becomes confirmed.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { destroyUserSessions } from '../../shared/auth/sessions';
import { queueMail } from '../../shared/mail/mail';
import { hashPassword } from '../../shared/security/passwords';
import { sha256Hex } from '../../shared/security/tokens';
import { consumeToken, retireTokens } from './account-tokens';
import { linkInvalid } from './confirm-email';
import { newPasswordErrors, throwIfErrors } from './schemas';

export async function resetPassword(
  db: Kysely<DB>,
  input: { prefectureId: string; token: unknown; password: unknown; passwordConfirm?: unknown; checkConfirm: boolean },
): Promise<{ userId: string }> {
  if (typeof input.token !== 'string') throw linkInvalid();
  const owner = await db
    .selectFrom('account_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['u.email'])
    .where('t.token_hash', '=', sha256Hex(input.token))
    .where('t.prefecture_id', '=', input.prefectureId)
    .executeTakeFirst();
  const password = typeof input.password === 'string' ? input.password : '';
  throwIfErrors(
    newPasswordErrors(password, {
      field: 'password',
      email: owner?.email,
      ...(input.checkConfirm ? { confirmField: 'password_confirm', confirm: typeof input.passwordConfirm === 'string' ? input.passwordConfirm : '' } : {}),
    }),
  );
  const hash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const used = await consumeToken(trx, { prefectureId: input.prefectureId, purpose: 'reset-password', token: input.token });
    if (!used) throw linkInvalid();
    const user = await trx
      .updateTable('users')
      .set((eb) => ({ password_hash: hash, email_confirmed_at: eb.fn.coalesce('email_confirmed_at', eb.val(new Date())), updated_at: new Date() }))
      .where('id', '=', used.userId)
      .returning(['id', 'email', 'locale'])
      .executeTakeFirstOrThrow();
    await retireTokens(trx, user.id, 'reset-password');
    await destroyUserSessions(trx, user.id);
    await queueMail(trx, { prefectureId: input.prefectureId, to: user.email, locale: user.locale, template: 'accounts.mail_password_changed' });
    return { userId: user.id };
  });
}
