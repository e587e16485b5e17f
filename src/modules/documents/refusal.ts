// Why an upload was refused. Each reason has a message in the three languages
// (documents.refused.<reason>) that tells the person what to do next.
import { AppError, type ErrorCode } from '../../shared/errors';

export const REFUSAL_REASONS = [
  'no_file',
  'empty',
  'too_large',
  'dossier_full',
  'too_many_files',
  'unsupported_type',
  'encrypted_pdf',
  'broken_pdf',
  'broken_image',
  'interrupted',
  'locked',
  'scan_unavailable',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export function isRefusalReason(v: unknown): v is RefusalReason {
  return typeof v === 'string' && (REFUSAL_REASONS as readonly string[]).includes(v);
}

function codeFor(reason: RefusalReason): ErrorCode {
  switch (reason) {
    case 'too_large':
    case 'dossier_full':
      return 'payload_too_large';
    case 'unsupported_type':
      return 'unsupported_media_type';
    case 'locked':
      return 'conflict';
    case 'scan_unavailable':
      return 'unavailable';
    case 'no_file':
    case 'empty':
    case 'too_many_files':
    case 'encrypted_pdf':
    case 'broken_pdf':
    case 'broken_image':
    case 'interrupted':
      return 'validation';
  }
}

export class UploadRefusal extends AppError {
  constructor(
    public readonly reason: RefusalReason,
    params: Record<string, string | number> = {},
  ) {
    super(codeFor(reason), `documents.refused.${reason}`, {}, params);
    this.name = 'UploadRefusal';
  }
}
