// Passwords: argon2id hashes; at least 12 characters; refused when common.
import argon2 from 'argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  return common;
}

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_email';

/** Returns why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): PasswordProblem | null {
  if ([...password].length < PASSWORD_MIN) return 'too_short';
  if (password.length > PASSWORD_MAX) return 'too_long';
  const lower = password.toLowerCase();
  const list = commonPasswords();
  // "password1234!" is as weak as "password": also check without trailing digits and symbols,
  // and passwords made of one repeated common word.
  const stripped = lower.replace(/[\d\W_]+$/u, '');
  const half = lower.length % 2 === 0 ? lower.slice(0, lower.length / 2) : '';
  if (list.has(lower) || list.has(stripped) || (half && half + half === lower && list.has(half)) || /^(.)\1+$/u.test(lower)) {
    return 'common';
  }
  if (/^(?:0?1?2?3?4?5?6?7?8?9?0?)+$/.test(lower) || /^(azerty|qwerty|abcdef)/.test(lower)) return 'common';
  if (email) {
    const local = email.toLowerCase().split('@')[0] ?? '';
    if (local.length >= 4 && lower.includes(local)) return 'contains_email';
  }
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// A real hash to compare against when the account does not exist, so that timing does not
// reveal which e-mail addresses have an account.
let dummy: Promise<string> | null = null;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('not-a-real-password-000');
  await verifyPassword(await dummy, password);
}
