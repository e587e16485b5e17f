// An applicant creates an account: e-mail (unique per préfecture whatever the case) and a
// strong password (argon2id). A confirmation link valid 24 h is mailed in their language.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import type { Locale } from '../../shared/i18n';
import { queueMail } from '../../shared/mail/mail';
import { hashPassword } from '../../shared/security/passwords';
import { accountLink, issueToken } from './account-tokens';
import { emailTaken } from './queries';
import { isUniqueViolation, newPasswordErrors, parseEmail, throwIfErrors } from './schemas';

export interface RegisterInput {
  prefectureId: string;
  locale: Locale;
  email: unknown;
  password: unknown;
  /** Pages ask for the password twice; the API does not. */
  passwordConfirm?: unknown;
  checkConfirm: boolean;
  /** A solved, unspent proof-of-work challenge came with the form (false without JavaScript). */
  proofOfWork: boolean;
}

export const emailTakenError = () => new AppError('conflict', 'accounts.err_email_taken', { email: 'accounts.err_email_taken' });

export async function registerApplicant(deps: { db: Kysely<DB>; publicUrl: string }, input: RegisterInput): Promise<{ id: string; email: string }> {
  const parsed = parseEmail(input.email);
  const password = typeof input.password === 'string' ? input.password : '';
  const errors = {
    ...('error' in parsed ? { email: parsed.error } : {}),
    ...newPasswordErrors(password, {
      field: 'password',
      email: 'email' in parsed ? parsed.email : undefined,
      ...(input.checkConfirm ? { confirmField: 'password_confirm', confirm: typeof input.passwordConfirm === 'string' ? input.passwordConfirm : '' } : {}),
    }),
  };
  throwIfErrors(errors);
  const email = (parsed as { email: string }).email;
  if (await emailTaken(deps.db, input.prefectureId, email)) throw emailTakenError();

  const passwordHash = await hashPassword(password);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const user = await trx
        .insertInto('users')
        .values({ prefecture_id: input.prefectureId, role: 'applicant', email, password_hash: passwordHash, locale: input.locale, registered_with_pow: input.proofOfWork })
        .returning(['id', 'email'])
        .executeTakeFirstOrThrow();
      const token = await issueToken(trx, { prefectureId: input.prefectureId, userId: user.id, purpose: 'confirm-email' });
      await queueMail(trx, {
        prefectureId: input.prefectureId,
        to: email,
        locale: input.locale,
        template: 'accounts.mail_confirm',
        link: accountLink(deps.publicUrl, '/compte/confirmer', token),
      });
      return user;
    });
  } catch (err) {
    // Two registrations racing for one address: the unique index decides.
    if (isUniqueViolation(err)) throw emailTakenError();
    throw err;
  }
}
