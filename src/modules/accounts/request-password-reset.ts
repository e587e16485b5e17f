// "Mot de passe oublié": mails a reset link (1 hour, single use) when the address has an
// account. The caller shows the same answer either way (no account enumeration).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Locale } from '../../shared/i18n';
import { queueMail } from '../../shared/mail/mail';
import { accountLink, issueToken, sentRecently } from './account-tokens';
import { findUserByEmail } from './queries';
import { parseEmail, throwIfErrors } from './schemas';

export const RESET_EVERY_MS = 60 * 1000;

export async function requestPasswordReset(
  deps: { db: Kysely<DB>; publicUrl: string },
  input: { prefectureId: string; email: unknown; locale: Locale },
): Promise<void> {
  const parsed = parseEmail(input.email);
  if ('error' in parsed) throwIfErrors({ email: parsed.error });
  const user = await findUserByEmail(deps.db, input.prefectureId, (parsed as { email: string }).email);
  if (!user) return;
  if (await sentRecently(deps.db, user.id, 'reset-password', RESET_EVERY_MS)) return;
  await deps.db.transaction().execute(async (trx) => {
    const token = await issueToken(trx, { prefectureId: input.prefectureId, userId: user.id, purpose: 'reset-password' });
    await queueMail(trx, {
      prefectureId: input.prefectureId,
      to: user.email,
      locale: input.locale,
      template: 'accounts.mail_reset',
      link: accountLink(deps.publicUrl, '/compte/reinitialiser', token),
    });
  });
}
