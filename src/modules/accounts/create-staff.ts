// Staff accounts (agent, supervisor, admin) are created by an administrator on the command
// line, never by self-registration. Without a password given, a strong one is generated.
// They enrol TOTP at their first login.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError, type FieldErrors } from '../../shared/errors';
import { hashPassword } from '../../shared/security/passwords';
import { randomToken } from '../../shared/security/tokens';
import { emailTaken } from './queries';
import { isUniqueViolation, newPasswordErrors, parseEmail, throwIfErrors } from './schemas';

export const STAFF_ROLES = ['agent', 'supervisor', 'admin'] as const;
export type StaffRoleName = (typeof STAFF_ROLES)[number];

export interface CreateStaffInput {
  prefectureCode: unknown;
  email: unknown;
  role: unknown;
  name: unknown;
  password?: unknown;
}

export async function createStaff(
  db: Kysely<DB>,
  input: CreateStaffInput,
): Promise<{ id: string; email: string; role: StaffRoleName; password: string; generated: boolean; prefectureName: string }> {
  const errors: FieldErrors = {};
  const parsed = parseEmail(input.email);
  if ('error' in parsed) errors.email = parsed.error;
  const role = STAFF_ROLES.find((r) => r === input.role);
  if (!role) errors.role = 'accounts.err_staff_role';
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name) errors.name = 'errors.required';
  else if (name.length > 120) errors.name = 'errors.invalid';
  const generated = input.password === undefined || input.password === null || input.password === '';
  const password = generated ? randomToken(18) : String(input.password);
  Object.assign(errors, newPasswordErrors(password, { field: 'password', email: 'email' in parsed ? parsed.email : undefined }));
  const code = typeof input.prefectureCode === 'string' ? input.prefectureCode.trim() : '';
  const prefecture = code ? await db.selectFrom('prefectures').select(['id', 'name']).where('code', '=', code).executeTakeFirst() : undefined;
  if (!prefecture) errors.prefecture = 'accounts.err_unknown_prefecture';
  throwIfErrors(errors);
  const email = (parsed as { email: string }).email;
  const pref = prefecture as { id: string; name: string };
  const taken = () => new AppError('conflict', 'accounts.err_email_taken', { email: 'accounts.err_email_taken' });
  if (await emailTaken(db, pref.id, email)) throw taken();
  try {
    const row = await db
      .insertInto('users')
      .values({
        prefecture_id: pref.id,
        role: role as StaffRoleName,
        email,
        display_name: name,
        password_hash: await hashPassword(password),
        email_confirmed_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, email, role: role as StaffRoleName, password, generated, prefectureName: pref.name };
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
}
