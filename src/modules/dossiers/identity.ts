// The applicant's identity step: names exactly as on the passport, birth, nationality,
// AGDREF number (renewals), current permit (renewals and changes of status), address in the
// département, phone, e-photo code; and, for a late renewal, the reason. Pure.
import { z } from 'zod';
import { AppError, type FieldErrors } from '../../shared/errors';
import { fieldErrors } from '../../shared/validation';
import { isLate, renewalWindow, type RenewalWindow } from './renewal-window';
import type { RequestKind } from './tables';

export const AGDREF = /^[0-9]{10}$/;

export function isValidAgdref(v: string): boolean {
  return AGDREF.test(v);
}

/** The first characters of postal codes in a département: 34 → "34", 2A/2B → "20", 974 → "974". */
export function postalPrefix(prefectureCode: string): string {
  if (/^2[AB]$/.test(prefectureCode)) return '20';
  return prefectureCode;
}

export interface IdentityInput {
  surname: string;
  given_names: string;
  birth_date: string;
  birth_place: string;
  nationality: string;
  agdref_number: string | null;
  current_permit_number: string | null;
  current_permit_expires_on: string | null;
  address_line: string;
  postal_code: string;
  city: string;
  phone: string;
  ephoto_code: string;
  late_renewal: boolean;
  late_reason: string | null;
}

export const IDENTITY_FIELDS = [
  'surname',
  'given_names',
  'birth_date',
  'birth_place',
  'nationality',
  'agdref_number',
  'current_permit_number',
  'current_permit_expires_on',
  'address_line',
  'postal_code',
  'city',
  'phone',
  'ephoto_code',
  'late_reason',
] as const;

const text = (max: number) => z.string('errors.required').trim().min(1, 'errors.required').max(max, 'dossiers.err_too_long');
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'dossiers.err_too_long')
    .optional()
    .transform((v) => (v ? v : null));
const isoDate = z
  .string('errors.required')
  .trim()
  .min(1, 'errors.required')
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'dossiers.err_date')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'dossiers.err_date');

export interface IdentityRules {
  kind: RequestKind;
  prefectureCode: string;
  /** Today's calendar day in Paris, 'YYYY-MM-DD'. */
  today: string;
}

/** Validates the identity form; throws AppError('validation') with field errors. */
export function parseIdentity(input: Record<string, unknown>, rules: IdentityRules): { identity: IdentityInput; window: RenewalWindow | null } {
  const holder = rules.kind === 'renewal' || rules.kind === 'change_of_status';
  const prefix = postalPrefix(rules.prefectureCode);
  const schema = z.object({
    surname: text(100),
    given_names: text(150),
    birth_date: isoDate.refine((v) => v < rules.today && v > '1900-01-01', 'dossiers.err_birth_date'),
    birth_place: text(150),
    nationality: text(80),
    agdref_number: z
      .string()
      .transform((v) => v.replace(/[\s.-]/g, ''))
      .optional()
      .transform((v) => (v ? v : null))
      .refine((v) => v === null || isValidAgdref(v), 'dossiers.err_agdref'),
    current_permit_number: optionalText(40),
    current_permit_expires_on: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : null))
      .refine((v) => v === null || isoDate.safeParse(v).success, 'dossiers.err_date'),
    address_line: text(200),
    postal_code: z
      .string('errors.required')
      .trim()
      .min(1, 'errors.required')
      .regex(/^[0-9]{5}$/, 'dossiers.err_postal_code')
      .refine((v) => v.startsWith(prefix), 'dossiers.err_postal_code_department'),
    city: text(100),
    phone: z
      .string('errors.required')
      .trim()
      .min(1, 'errors.required')
      .regex(/^\+?[0-9 .()-]{8,24}$/, 'dossiers.err_phone')
      .refine((v) => v.replace(/\D/g, '').length >= 9, 'dossiers.err_phone'),
    ephoto_code: z
      .string('errors.required')
      .transform((v) => v.replace(/[\s-]/g, '').toUpperCase())
      .refine((v) => v.length > 0, 'errors.required')
      .refine((v) => /^[A-Z0-9]{6,30}$/.test(v), 'dossiers.err_ephoto'),
    late_reason: optionalText(2000),
  });
  const parsed = schema.safeParse(input);
  const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
  let window: RenewalWindow | null = null;
  if (parsed.success || !errors.current_permit_expires_on) {
    const raw = parsed.success ? parsed.data : null;
    if (rules.kind === 'renewal' && !(raw ? raw.agdref_number : input.agdref_number)) errors.agdref_number ??= 'dossiers.err_agdref_required';
    if (holder) {
      if (!(raw ? raw.current_permit_number : String(input.current_permit_number ?? '').trim())) errors.current_permit_number ??= 'errors.required';
      const expires = raw ? raw.current_permit_expires_on : String(input.current_permit_expires_on ?? '').trim() || null;
      if (!expires) errors.current_permit_expires_on ??= 'errors.required';
      else if (rules.kind === 'renewal') window = renewalWindow(expires, rules.today);
    }
    if (window && isLate(window.timing) && !(raw ? raw.late_reason : String(input.late_reason ?? '').trim())) {
      errors.late_reason ??= 'dossiers.err_late_reason';
    }
  }
  if (!parsed.success || Object.keys(errors).length) throw new AppError('validation', 'errors.validation', errors);
  const d = parsed.data;
  const late = !!window && isLate(window.timing);
  return {
    identity: {
      ...d,
      agdref_number: d.agdref_number,
      current_permit_number: holder ? d.current_permit_number : null,
      current_permit_expires_on: holder ? d.current_permit_expires_on : null,
      late_renewal: late,
      late_reason: late ? d.late_reason : null,
    },
    window,
  };
}
