// Input schemas shared by the pages and the API. Messages are i18n keys.
import { z } from 'zod';
import { AppError, type FieldErrors } from '../../shared/errors';
import { passwordProblem, PASSWORD_MAX } from '../../shared/security/passwords';
import { emailSchema } from '../../shared/validation';

export { emailSchema };

/** A password as typed (never trimmed); its strength is checked by newPasswordError. */
export const passwordInput = z.string('errors.required').min(1, 'errors.required').max(PASSWORD_MAX * 4, 'accounts.err_password_too_long');

export const PASSWORD_PROBLEM_KEYS = {
  too_short: 'accounts.err_password_too_short',
  too_long: 'accounts.err_password_too_long',
  common: 'accounts.err_password_common',
  contains_email: 'accounts.err_password_contains_email',
} as const;

/** Field errors for a new password (and its confirmation when given). */
export function newPasswordErrors(
  password: string | undefined,
  opts: { email?: string; confirm?: string | undefined; field: string; confirmField?: string },
): FieldErrors {
  const errors: FieldErrors = {};
  if (!password) {
    errors[opts.field] = 'errors.required';
  } else {
    const problem = passwordProblem(password, opts.email);
    if (problem) errors[opts.field] = PASSWORD_PROBLEM_KEYS[problem];
  }
  if (opts.confirmField) {
    if (!opts.confirm) errors[opts.confirmField] = 'errors.required';
    else if (password && opts.confirm !== password) errors[opts.confirmField] = 'accounts.err_password_mismatch';
  }
  return errors;
}

/** Parses an e-mail field; returns the field error instead of throwing. */
export function parseEmail(value: unknown): { email: string } | { error: string } {
  const r = emailSchema.safeParse(value ?? '');
  if (r.success) return { email: r.data };
  return { error: r.error.issues[0]?.message ?? 'errors.email_invalid' };
}

/** Throws a validation AppError when there are field errors. */
export function throwIfErrors(errors: FieldErrors): void {
  if (Object.keys(errors).length) throw new AppError('validation', 'errors.validation', errors);
}

export const emailKey = (email: string) => email.trim().toLowerCase();

/** True for a unique-constraint violation (PostgreSQL and PGlite both report SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { code?: unknown }).code === '23505';
}

/** A safe place to go after login: a local path only ('/x', never '//host' or '/\\host'). */
export function safeNext(next: unknown): string | null {
  if (typeof next !== 'string' || next.length > 500) return null;
  if (!/^\/(?![/\\])[^\s\\]*$/.test(next)) return null;
  return next;
}
