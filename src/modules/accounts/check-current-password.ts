// Sensitive changes (e-mail, password, deletion) ask for the current password again; wrong
// answers count towards the same throttle as logins.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { verifyPassword } from '../../shared/security/passwords';
import { findUser } from './queries';
import { emailKey } from './schemas';
import { assertNotThrottled, recordAttempt } from './throttle';

export async function checkCurrentPassword(
  db: Kysely<DB>,
  input: { prefectureId: string; userId: string; password: unknown; ip: string; field: string },
) {
  const password = typeof input.password === 'string' ? input.password : '';
  if (!password) throw new AppError('validation', 'errors.validation', { [input.field]: 'errors.required' });
  const user = await findUser(db, input.prefectureId, input.userId);
  if (!user) throw new AppError('unauthenticated');
  const key = { prefectureId: input.prefectureId, emailKey: emailKey(user.email), ip: input.ip };
  await assertNotThrottled(db, key);
  if (!(await verifyPassword(user.password_hash, password))) {
    await recordAttempt(db, key, false);
    throw new AppError('validation', 'errors.validation', { [input.field]: 'accounts.err_wrong_password' });
  }
  return user;
}
