// Checks a staff member's TOTP code: within ±30 s, each time step usable once
// (users.totp_last_step only moves forward, in one conditional UPDATE), throttled like
// passwords. The first valid code completes the enrolment.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import type { SecretBox } from '../../shared/security/secret-box';
import { matchTotp } from '../../shared/security/totp';
import { findUser } from './queries';
import { assertNotThrottled, recordAttempt } from './throttle';

export async function verifyTotp(
  deps: { db: Kysely<DB>; secrets: SecretBox },
  input: { prefectureId: string; userId: string; code: unknown; ip: string; field?: string; now?: number },
): Promise<{ enrolled: boolean }> {
  const field = input.field ?? 'code';
  const code = typeof input.code === 'string' ? input.code.replace(/\s+/g, '') : '';
  if (!code) throw new AppError('validation', 'errors.validation', { [field]: 'errors.required' });
  if (!/^\d{6}$/.test(code)) throw new AppError('validation', 'errors.validation', { [field]: 'accounts.err_totp_format' });

  const key = { prefectureId: input.prefectureId, emailKey: `totp:${input.userId}`, ip: input.ip };
  await assertNotThrottled(deps.db, key);
  const user = await findUser(deps.db, input.prefectureId, input.userId);
  if (!user || user.role === 'applicant') throw new AppError('forbidden');
  if (!user.totp_secret) throw new AppError('mfa_required', 'accounts.err_enrol_on_web');

  let secret: string;
  try {
    secret = deps.secrets.open(user.totp_secret);
  } catch {
    throw new AppError('mfa_required', 'accounts.err_enrol_on_web');
  }
  const step = matchTotp(secret, code, input.now ?? Date.now());
  if (step === null) {
    await recordAttempt(deps.db, key, false);
    throw new AppError('unauthenticated', 'accounts.err_totp_invalid', { [field]: 'accounts.err_totp_invalid' });
  }
  const enrolled = !user.totp_enabled_at;
  const res = await deps.db
    .updateTable('users')
    .set({ totp_last_step: step, totp_enabled_at: sql`coalesce(totp_enabled_at, now())`, updated_at: new Date() })
    .where('id', '=', user.id)
    .where('totp_secret', '=', user.totp_secret)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) {
    await recordAttempt(deps.db, key, false);
    throw new AppError('unauthenticated', 'accounts.err_totp_reused', { [field]: 'accounts.err_totp_reused' });
  }
  await recordAttempt(deps.db, key, true);
  return { enrolled };
}
