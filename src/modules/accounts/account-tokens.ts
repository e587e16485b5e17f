// Single-use links sent by mail (confirm e-mail, reset password, change e-mail). The mail
// carries a random token; the table keeps only its SHA-256, an expiry and when it was used.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { randomToken, sha256Hex } from '../../shared/security/tokens';

export type TokenPurpose = 'confirm-email' | 'reset-password' | 'change-email';

export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  'confirm-email': 24 * 60 * 60 * 1000,
  'reset-password': 60 * 60 * 1000,
  'change-email': 24 * 60 * 60 * 1000,
};

type Db = Kysely<DB> | Transaction<DB>;

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

export async function issueToken(
  db: Db,
  t: { prefectureId: string; userId: string; purpose: TokenPurpose; newEmail?: string; now?: Date },
): Promise<string> {
  const token = randomToken();
  const now = t.now ?? new Date();
  await db
    .insertInto('account_tokens')
    .values({
      prefecture_id: t.prefectureId,
      user_id: t.userId,
      purpose: t.purpose,
      token_hash: sha256Hex(token),
      new_email: t.newEmail ?? null,
      expires_at: new Date(now.getTime() + TOKEN_TTL_MS[t.purpose]),
    })
    .execute();
  return token;
}

/** Marks the token used, once: a second call (or an expired token) returns null. */
export async function consumeToken(
  db: Db,
  t: { prefectureId: string; purpose: TokenPurpose; token: unknown },
): Promise<{ userId: string; newEmail: string | null } | null> {
  if (typeof t.token !== 'string' || !TOKEN_SHAPE.test(t.token)) return null;
  const now = new Date();
  const row = await db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', sha256Hex(t.token))
    .where('prefecture_id', '=', t.prefectureId)
    .where('purpose', '=', t.purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id', 'new_email'])
    .executeTakeFirst();
  return row ? { userId: row.user_id, newEmail: row.new_email } : null;
}

/** Whether a token can still be used (to show the form a link leads to). */
export async function tokenIsUsable(db: Db, t: { prefectureId: string; purpose: TokenPurpose; token: unknown }): Promise<boolean> {
  if (typeof t.token !== 'string' || !TOKEN_SHAPE.test(t.token)) return false;
  const row = await db
    .selectFrom('account_tokens')
    .select('id')
    .where('token_hash', '=', sha256Hex(t.token))
    .where('prefecture_id', '=', t.prefectureId)
    .where('purpose', '=', t.purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return !!row;
}

/** Ends the other pending links of a purpose (after one of them was used). */
export async function retireTokens(db: Db, userId: string, purpose: TokenPurpose): Promise<void> {
  await db.updateTable('account_tokens').set({ used_at: new Date() }).where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
}

/** True when a link of this purpose was sent to the user less than `ms` ago (mail flooding). */
export async function sentRecently(db: Db, userId: string, purpose: TokenPurpose, ms: number): Promise<boolean> {
  const row = await db
    .selectFrom('account_tokens')
    .select('id')
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', new Date(Date.now() - ms))
    .executeTakeFirst();
  return !!row;
}

export function accountLink(publicUrl: string, path: string, token: string): string {
  return `${publicUrl}${path}?token=${encodeURIComponent(token)}`;
}
