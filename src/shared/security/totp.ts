// TOTP two-factor (RFC 6238, 30 s steps, 6 digits, SHA-1: what every authenticator app reads).
import { Secret, TOTP } from 'otpauth';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label = 'staff'): TOTP {
  return new TOTP({ issuer: 'Séjour', label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}

export function totpUri(secret: string, label: string): string {
  return totp(secret, label).toString();
}

export function totpCode(secret: string, at = Date.now()): string {
  return totp(secret).generate({ timestamp: at });
}

/**
 * Checks a code within ±1 step and returns the step it matched, so that the caller can
 * refuse a step already used (a code works once). Null when it does not match.
 */
export function matchTotp(secret: string, code: string, at = Date.now()): number | null {
  const clean = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(clean)) return null;
  const delta = totp(secret).validate({ token: clean, timestamp: at, window: 1 });
  if (delta === null) return null;
  return Math.floor(at / 30_000) + delta;
}
