// Input validation with zod, shared by pages and the API. Schemas use i18n keys as
// messages (e.g. 'errors.required'); this turns a failed parse into FieldErrors.
import { z } from 'zod';
import { AppError, type FieldErrors } from './errors';

export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.') || '_form';
    if (out[field]) continue;
    out[field] = issue.message.includes('.') && !issue.message.includes(' ') ? issue.message : 'errors.invalid';
  }
  return out;
}

/** Parses or throws AppError('validation') carrying the field errors. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw new AppError('validation', 'errors.validation', fieldErrors(result.error));
  return result.data;
}

/** Form bodies only carry strings: keep them, drop the rest (files, arrays from tampering). */
export function formValues(body: unknown, omit: string[] = ['_csrf']): Record<string, string> {
  const values: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (typeof v === 'string' && !omit.includes(k)) values[k] = v;
    }
  }
  return values;
}

export const emailSchema = z
  .string('errors.required')
  .trim()
  .min(1, 'errors.required')
  .max(254, 'errors.email_invalid')
  .pipe(z.email('errors.email_invalid'));
