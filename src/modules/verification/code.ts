// Verification codes: 20 Crockford base32 characters = 100 random bits (crypto.randomBytes),
// shown as XXXX-XXXX-XXXX-XXXX-XXXX. Input is forgiving: any case, dashes and spaces ignored,
// O read as 0 and I/L as 1 (Crockford's rules).
import { randomBytes } from 'node:crypto';

export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 20;
export const CODE_BITS = CODE_LENGTH * 5;

/** A fresh code, normalized (no dashes). 256 is a multiple of 32, so `byte & 31` is uniform. */
export function newVerificationCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let code = '';
  for (const b of bytes) code += CODE_ALPHABET[b & 31];
  return code;
}

/** The normalized code for what a person typed or scanned, or null if it cannot be a code. */
export function normalizeCode(input: string): string | null {
  const cleaned = input
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (cleaned.length !== CODE_LENGTH) return null;
  for (const ch of cleaned) if (!CODE_ALPHABET.includes(ch)) return null;
  return cleaned;
}

/** XXXX-XXXX-XXXX-XXXX-XXXX, from a code with or without its dashes. */
export function formatCode(code: string): string {
  const bare = code.replace(/-/g, '');
  return bare.match(/.{1,4}/g)?.join('-') ?? bare;
}

/** The page a QR code points at, from a code with or without its dashes. */
export function verifyUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/$/, '')}/verifier/${formatCode(code)}`;
}
