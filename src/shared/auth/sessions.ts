// Server-side sessions. The cookie holds a random token; the table holds its SHA-256.
// Web sessions end after 2 hours idle or 12 hours in all (shared computers in cybercafés);
// API sessions (bearer tokens) last 30 days.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { randomToken, sha256Hex } from '../security/tokens';
import type { CurrentSession, CurrentUser } from '../web/context';

export const SESSION_COOKIE = 'sejour_sid';
const IDLE_MS = 2 * 60 * 60 * 1000;
const WEB_TTL_MS = 12 * 60 * 60 * 1000;
const API_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

export async function createSession(
  db: Kysely<DB>,
  user: { id: string; prefecture_id: string },
  kind: 'web' | 'api',
  mfaVerified = false,
): Promise<{ token: string; id: string }> {
  const token = randomToken();
  const id = sha256Hex(token);
  const now = Date.now();
  await db
    .insertInto('sessions')
    .values({
      id,
      user_id: user.id,
      prefecture_id: user.prefecture_id,
      kind,
      mfa_verified_at: mfaVerified ? new Date(now) : null,
      expires_at: new Date(now + (kind === 'api' ? API_TTL_MS : WEB_TTL_MS)),
    })
    .execute();
  return { token, id };
}

export async function findSession(
  db: Kysely<DB>,
  token: string,
  kind: 'web' | 'api',
  prefectureId: string,
): Promise<{ session: CurrentSession; user: CurrentUser } | null> {
  if (!token || token.length > 100) return null;
  const id = sha256Hex(token);
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id as session_id',
      's.kind',
      's.mfa_verified_at',
      's.last_seen_at',
      's.expires_at',
      'u.id',
      'u.prefecture_id',
      'u.role',
      'u.email',
      'u.display_name',
      'u.locale',
      'u.email_confirmed_at',
      'u.totp_enabled_at',
    ])
    .where('s.id', '=', id)
    .where('s.kind', '=', kind)
    .where('s.prefecture_id', '=', prefectureId)
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  const idleExpired = kind === 'web' && now - row.last_seen_at.getTime() > IDLE_MS;
  if (row.expires_at.getTime() <= now || idleExpired) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  if (now - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    await db.updateTable('sessions').set({ last_seen_at: new Date(now) }).where('id', '=', id).execute();
  }
  return {
    session: { id: row.session_id, kind: row.kind, mfaVerified: row.mfa_verified_at !== null },
    user: {
      id: row.id,
      prefecture_id: row.prefecture_id,
      role: row.role,
      email: row.email,
      display_name: row.display_name,
      locale: row.locale,
      email_confirmed_at: row.email_confirmed_at,
      totp_enabled_at: row.totp_enabled_at,
    },
  };
}

export async function destroySession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function markSessionMfaVerified(db: Kysely<DB>, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ mfa_verified_at: new Date() }).where('id', '=', sessionId).execute();
}

/** Ends every session of a user (after a password change or reset), except one if given. */
export async function destroyUserSessions(db: Kysely<DB>, userId: string, exceptId?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '<>', exceptId);
  await q.execute();
}
