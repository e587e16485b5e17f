// Daily housekeeping: login attempts older than a day, links expired a week ago and
// finished sessions are deleted (data minimisation; the throttle only looks 15 min back).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';

export async function purgeAccountData(db: Kysely<DB>, now = new Date()): Promise<{ attempts: number; tokens: number; sessions: number }> {
  const day = 24 * 60 * 60 * 1000;
  const a = await db.deleteFrom('login_attempts').where('created_at', '<', new Date(now.getTime() - day)).executeTakeFirst();
  const t = await db.deleteFrom('account_tokens').where('expires_at', '<', new Date(now.getTime() - 7 * day)).executeTakeFirst();
  const s = await db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
  return { attempts: Number(a.numDeletedRows), tokens: Number(t.numDeletedRows), sessions: Number(s.numDeletedRows) };
}
