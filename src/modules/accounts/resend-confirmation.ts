// Sends a new confirmation link to an applicant who has not confirmed yet. The answer is
// the same whatever the address (no account enumeration); at most one mail per 2 minutes.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Locale } from '../../shared/i18n';
import { queueMail } from '../../shared/mail/mail';
import { accountLink, issueToken, sentRecently } from './account-tokens';
import { findUserByEmail } from './queries';
import { parseEmail, throwIfErrors } from './schemas';

export const RESEND_EVERY_MS = 2 * 60 * 1000;

export async function resendConfirmation(
  deps: { db: Kysely<DB>; publicUrl: string },
  input: { prefectureId: string; email: unknown; locale: Locale },
): Promise<void> {
  const parsed = parseEmail(input.email);
  if ('error' in parsed) throwIfErrors({ email: parsed.error });
  const email = (parsed as { email: string }).email;
  const user = await findUserByEmail(deps.db, input.prefectureId, email);
  if (!user || user.role !== 'applicant' || user.email_confirmed_at) return;
  if (await sentRecently(deps.db, user.id, 'confirm-email', RESEND_EVERY_MS)) return;
  await deps.db.transaction().execute(async (trx) => {
    const token = await issueToken(trx, { prefectureId: input.prefectureId, userId: user.id, purpose: 'confirm-email' });
    await trx.updateTable('users').set({ locale: input.locale }).where('id', '=', user.id).execute();
    await queueMail(trx, {
      prefectureId: input.prefectureId,
      to: user.email,
      locale: input.locale,
      template: 'accounts.mail_confirm',
      link: accountLink(deps.publicUrl, '/compte/confirmer', token),
    });
  });
}
