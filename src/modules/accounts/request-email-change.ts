// An applicant asks to use another e-mail address: a confirmation link (24 h) goes to the new
// address, a notice to the current one. Nothing changes until the link is clicked.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import type { Locale } from '../../shared/i18n';
import { queueMail } from '../../shared/mail/mail';
import { accountLink, issueToken } from './account-tokens';
import { checkCurrentPassword } from './check-current-password';
import { emailTaken } from './queries';
import { parseEmail, throwIfErrors } from './schemas';

export async function requestEmailChange(
  deps: { db: Kysely<DB>; publicUrl: string },
  input: { prefectureId: string; userId: string; newEmail: unknown; password: unknown; ip: string; locale: Locale },
): Promise<void> {
  const parsed = parseEmail(input.newEmail);
  if ('error' in parsed) throwIfErrors({ new_email: parsed.error, ...(input.password ? {} : { email_password: 'errors.required' }) });
  const newEmail = (parsed as { email: string }).email;
  const user = await checkCurrentPassword(deps.db, { prefectureId: input.prefectureId, userId: input.userId, password: input.password, ip: input.ip, field: 'email_password' });
  if (user.email.toLowerCase() === newEmail.toLowerCase()) throwIfErrors({ new_email: 'accounts.err_same_email' });
  if (await emailTaken(deps.db, input.prefectureId, newEmail, user.id)) {
    throw new AppError('conflict', 'accounts.err_email_taken', { new_email: 'accounts.err_email_taken' });
  }
  await deps.db.transaction().execute(async (trx) => {
    const token = await issueToken(trx, { prefectureId: input.prefectureId, userId: user.id, purpose: 'change-email', newEmail });
    await queueMail(trx, {
      prefectureId: input.prefectureId,
      to: newEmail,
      locale: input.locale,
      template: 'accounts.mail_change_email',
      link: accountLink(deps.publicUrl, '/compte/email/confirmer', token),
    });
    await queueMail(trx, {
      prefectureId: input.prefectureId,
      to: user.email,
      locale: input.locale,
      template: 'accounts.mail_email_change_notice',
      params: { email: newEmail },
    });
  });
}
