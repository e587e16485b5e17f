// Reading accounts. E-mail addresses are compared without case (unique index users_email_ci).
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export async function findUserByEmail(db: Db, prefectureId: string, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'prefecture_id', 'role', 'email', 'display_name', 'locale', 'password_hash', 'email_confirmed_at', 'totp_enabled_at'])
    .where('prefecture_id', '=', prefectureId)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst();
}

/** Whether another account of the préfecture already uses this address (any case). */
export async function emailTaken(db: Db, prefectureId: string, email: string, exceptUserId?: string): Promise<boolean> {
  let q = db
    .selectFrom('users')
    .select('id')
    .where('prefecture_id', '=', prefectureId)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()));
  if (exceptUserId) q = q.where('id', '<>', exceptUserId);
  return !!(await q.executeTakeFirst());
}

export async function findUser(db: Db, prefectureId: string, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'prefecture_id', 'role', 'email', 'display_name', 'locale', 'password_hash', 'email_confirmed_at', 'totp_enabled_at', 'totp_secret', 'totp_last_step'])
    .where('prefecture_id', '=', prefectureId)
    .where('id', '=', userId)
    .executeTakeFirst();
}
