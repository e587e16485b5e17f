// Signing in with e-mail and password. Throttled per account and per IP (see throttle.ts);
// unknown addresses cost the same argon2 check as known ones. Applicants must have confirmed
// their e-mail. A fresh session is created at each login (the previous one, if any, ends).
// Web sessions of staff start unverified: the TOTP page verifies them. API sessions of staff
// need the TOTP code in the same request, and an enrolment done on the web.
import type { Kysely } from 'kysely';
import type { DB, Role } from '../../db/schema';
import { createSession, destroySession, markSessionMfaVerified } from '../../shared/auth/sessions';
import { AppError } from '../../shared/errors';
import type { SecretBox } from '../../shared/security/secret-box';
import { burnPasswordCheck, verifyPassword } from '../../shared/security/passwords';
import { findUserByEmail } from './queries';
import { emailKey, parseEmail, throwIfErrors } from './schemas';
import { assertNotThrottled, recordAttempt } from './throttle';
import { verifyTotp } from './verify-totp';

export interface LogInInput {
  prefectureId: string;
  email: unknown;
  password: unknown;
  ip: string;
  kind: 'web' | 'api';
  /** API only: the staff member's current TOTP code. */
  totp?: unknown;
  /** The session the browser had before (ended: a new id at each login). */
  previousSessionId?: string | null;
}

export interface LoggedIn {
  user: { id: string; role: Role; email: string };
  token: string;
  expiresAt: Date;
}

export const badCredentials = () => new AppError('unauthenticated', 'accounts.err_bad_credentials');
export const emailUnconfirmed = () => new AppError('forbidden', 'accounts.err_email_unconfirmed');

export async function logIn(deps: { db: Kysely<DB>; secrets: SecretBox }, input: LogInInput): Promise<LoggedIn> {
  const parsed = parseEmail(input.email);
  const password = typeof input.password === 'string' ? input.password : '';
  throwIfErrors({ ...('error' in parsed ? { email: parsed.error } : {}), ...(password ? {} : { password: 'errors.required' }) });
  const email = (parsed as { email: string }).email;
  const key = { prefectureId: input.prefectureId, emailKey: emailKey(email), ip: input.ip };

  await assertNotThrottled(deps.db, key);
  const user = await findUserByEmail(deps.db, input.prefectureId, email);
  if (!user) {
    await burnPasswordCheck(password);
    await recordAttempt(deps.db, key, false);
    throw badCredentials();
  }
  if (!(await verifyPassword(user.password_hash, password))) {
    await recordAttempt(deps.db, key, false);
    throw badCredentials();
  }
  await recordAttempt(deps.db, key, true);
  if (user.role === 'applicant' && !user.email_confirmed_at) throw emailUnconfirmed();

  let mfaVerified = false;
  if (input.kind === 'api' && user.role !== 'applicant') {
    if (!user.totp_enabled_at) throw new AppError('mfa_required', 'accounts.err_enrol_on_web');
    if (input.totp === undefined || input.totp === null || input.totp === '') {
      throw new AppError('validation', 'accounts.err_totp_required', { totp: 'errors.required' });
    }
    await verifyTotp(deps, { prefectureId: input.prefectureId, userId: user.id, code: input.totp, ip: input.ip, field: 'totp' });
    mfaVerified = true;
  }

  if (input.previousSessionId) await destroySession(deps.db, input.previousSessionId);
  const session = await createSession(deps.db, user, input.kind, mfaVerified);
  const row = await deps.db.selectFrom('sessions').select('expires_at').where('id', '=', session.id).executeTakeFirstOrThrow();
  return { user: { id: user.id, role: user.role, email: user.email }, token: session.token, expiresAt: new Date(row.expires_at) };
}

/** After a valid TOTP code on the web: the session may open staff pages. */
export async function completeStaffLogin(db: Kysely<DB>, sessionId: string): Promise<void> {
  await markSessionMfaVerified(db, sessionId);
}
