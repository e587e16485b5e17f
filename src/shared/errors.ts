// One error type for the whole application. Domain code throws AppError with a code;
// the HTTP layer turns the code into a status (table below), a page or problem+json.
export const ERROR_STATUS = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf: 403,
  mfa_required: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Field errors: field name → i18n message key (or literal message). */
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    /** i18n key of the message shown to the user. */
    public readonly messageKey: string = `errors.${code}`,
    public readonly fields: FieldErrors = {},
    public readonly params: Record<string, string | number> = {},
  ) {
    super(messageKey);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = () => new AppError('not_found');
export const forbidden = () => new AppError('forbidden');
export const invalid = (fields: FieldErrors, messageKey = 'errors.validation') => new AppError('validation', messageKey, fields);
