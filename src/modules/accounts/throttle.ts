// Login throttling kept in the database (table login_attempts), so that it holds across
// restarts and several instances. Two limits: per account (e-mail address in a préfecture)
// and per IP address, higher because cybercafés and mobile networks share one address.
// While a limit is reached the password is not even checked, and nothing more is recorded
// (so an attacker cannot keep an account locked forever by hammering it).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';

export interface Limit {
  failures: number;
  windowMs: number;
}

export const ACCOUNT_LIMIT: Limit = { failures: 5, windowMs: 15 * 60 * 1000 };
export const IP_LIMIT: Limit = { failures: 30, windowMs: 15 * 60 * 1000 };

export interface AttemptKey {
  prefectureId: string;
  /** Lower-cased e-mail for passwords; `totp:<userId>` for second-factor codes. */
  emailKey: string;
  ip: string;
}

/** Milliseconds to wait, given the failure times (newest first) inside the window. */
export function waitFor(failures: Date[], limit: Limit, now: number): number {
  if (failures.length < limit.failures) return 0;
  const oldestCounted = failures[limit.failures - 1];
  if (!oldestCounted) return 0;
  return Math.max(0, oldestCounted.getTime() + limit.windowMs - now);
}

export async function throttleWaitMs(db: Kysely<DB>, key: AttemptKey, now = Date.now()): Promise<number> {
  // Failures for this account since its last success, inside the window.
  const lastSuccess = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('prefecture_id', '=', key.prefectureId)
    .where('email_key', '=', key.emailKey)
    .where('succeeded', '=', true)
    .executeTakeFirst();
  const accountSince = Math.max(now - ACCOUNT_LIMIT.windowMs, lastSuccess?.at ? new Date(lastSuccess.at).getTime() : 0);
  const accountFailures = await db
    .selectFrom('login_attempts')
    .select('created_at')
    .where('prefecture_id', '=', key.prefectureId)
    .where('email_key', '=', key.emailKey)
    .where('succeeded', '=', false)
    .where('created_at', '>', new Date(accountSince))
    .orderBy('created_at', 'desc')
    .limit(ACCOUNT_LIMIT.failures)
    .execute();
  const ipFailures = await db
    .selectFrom('login_attempts')
    .select('created_at')
    .where('ip', '=', key.ip)
    .where('succeeded', '=', false)
    .where('created_at', '>', new Date(now - IP_LIMIT.windowMs))
    .orderBy('created_at', 'desc')
    .limit(IP_LIMIT.failures)
    .execute();
  return Math.max(
    waitFor(accountFailures.map((r) => new Date(r.created_at)), ACCOUNT_LIMIT, now),
    waitFor(ipFailures.map((r) => new Date(r.created_at)), IP_LIMIT, now),
  );
}

/** Throws 429 with the number of minutes to wait when a limit is reached. */
export async function assertNotThrottled(db: Kysely<DB>, key: AttemptKey): Promise<void> {
  const ms = await throttleWaitMs(db, key);
  if (ms > 0) throw new AppError('rate_limited', 'accounts.err_throttled', {}, { minutes: Math.max(1, Math.ceil(ms / 60_000)) });
}

export async function recordAttempt(db: Kysely<DB>, key: AttemptKey, succeeded: boolean): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({ prefecture_id: key.prefectureId, email_key: key.emailKey.slice(0, 300), ip: key.ip.slice(0, 100), succeeded, created_at: new Date() })
    .execute();
}
