// Staff enrol two-factor authentication at first login: a secret is generated once, kept
// sealed (SecretBox) until the first valid code turns it on (verifyTotp). Once enrolled the
// secret is never shown again.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import type { SecretBox } from '../../shared/security/secret-box';
import { newTotpSecret, totpUri } from '../../shared/security/totp';
import { findUser } from './queries';

export interface PendingEnrolment {
  secret: string;
  uri: string;
}

/** The secret to show (created on first call), or null when the user is already enrolled. */
export async function startTotpEnrolment(
  deps: { db: Kysely<DB>; secrets: SecretBox },
  input: { prefectureId: string; userId: string },
): Promise<PendingEnrolment | null> {
  const user = await findUser(deps.db, input.prefectureId, input.userId);
  if (!user || user.role === 'applicant') throw new AppError('forbidden');
  if (user.totp_enabled_at) return null;
  if (user.totp_secret) {
    try {
      const secret = deps.secrets.open(user.totp_secret);
      return { secret, uri: totpUri(secret, user.email) };
    } catch {
      // Sealed under another key (SECRET_KEY changed): start again with a new secret.
    }
  }
  const secret = newTotpSecret();
  // Only while not enrolled: a concurrent enrolment that finished first is kept.
  const res = await deps.db
    .updateTable('users')
    .set({ totp_secret: deps.secrets.seal(secret), totp_last_step: null, updated_at: new Date() })
    .where('id', '=', user.id)
    .where('totp_enabled_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) return null;
  return { secret, uri: totpUri(secret, user.email) };
}

/** "JBSW Y3DP EHPK 3PXP": easier to type from a screen. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}
