// What a verifier sees: valid, not yet valid, expired or revoked, judged at a given instant.
export type AttestationStatus = 'valid' | 'not_yet_valid' | 'expired' | 'revoked';

export function attestationStatus(a: { valid_from: Date; valid_until: Date | null; revoked_at: Date | null }, now: Date): AttestationStatus {
  if (a.revoked_at && a.revoked_at.getTime() <= now.getTime()) return 'revoked';
  if (now.getTime() < a.valid_from.getTime()) return 'not_yet_valid';
  if (a.valid_until && now.getTime() >= a.valid_until.getTime()) return 'expired';
  return 'valid';
}
