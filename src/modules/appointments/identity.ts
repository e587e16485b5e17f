// Normalised keys that recognise one person whatever the spelling: the identity key
// (names + birth date), the e-mail key and the phone key. Pure functions.
//
// Names: case-, accent-, space-, hyphen- and apostrophe-insensitive, and order-insensitive
// (the tokens of surname and given names are sorted together), so "MARTIN Éloïse" and
// "Eloise Martin" give one key. E-mails: lowercase, "+tag" dropped, and for Gmail the dots
// of the local part dropped. Phones: E.164, French numbers by default.

const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ł: 'l', ı: 'i', þ: 'th', ð: 'd' };

/** The sorted, accent-free, lowercase tokens of a name. */
export function nameTokens(...parts: string[]): string[] {
  const text = parts
    .join(' ')
    .toLowerCase()
    .replace(/[œæßøđłıþð]/g, (c) => LIGATURES[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '');
  return text
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .sort();
}

/** identity_key: sorted name tokens and the birth date ('YYYY-MM-DD'). */
export function identityKey(surname: string, givenNames: string, birthDate: string): string {
  return `${nameTokens(surname, givenNames).join(' ')}|${birthDate}`;
}

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/** email_key: lowercase, without +tag; Gmail without dots and on gmail.com. Null if not an address. */
export function emailKey(email: string): string | null {
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return null;
  let local = trimmed.slice(0, at);
  let domain = trimmed.slice(at + 1).replace(/\.$/, '');
  const plus = local.indexOf('+');
  if (plus === 0) return null;
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replace(/\./g, '');
    domain = 'gmail.com';
  }
  if (!local || !domain.includes('.')) return null;
  return `${local}@${domain}`;
}

/** Country calling codes for numbers written in national form (leading 0). */
const NATIONAL_PREFIX: Record<string, string> = { FR: '33' };

/**
 * E.164 form of a phone number, or null. National numbers are read in `country` (default FR:
 * "06 12 34 56 78" → "+33612345678"); "00" is read as "+"; "+33 (0)6 …" drops the trunk 0.
 */
export function normalizePhone(phone: string, country = 'FR'): string | null {
  let s = phone.trim().replace(/\(0\)/g, '').replace(/[\s.\-/()\u00a0]/g, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (!s.startsWith('+')) {
    const cc = NATIONAL_PREFIX[country];
    if (!cc || !/^0[1-9][0-9]{8}$/.test(s)) return null;
    s = `+${cc}${s.slice(1)}`;
  }
  // A French number written +33 0 6 … keeps no trunk 0.
  if (s.startsWith('+330')) s = `+33${s.slice(4)}`;
  if (!/^\+[1-9][0-9]{6,14}$/.test(s)) return null;
  if (s.startsWith('+33') && s.length !== 12) return null;
  return s;
}

export interface PersonKeys {
  identityKey: string;
  emailKey: string;
  phoneKey: string;
}

/** All three keys, or the fields that cannot be normalised (field name → i18n key). */
export function personKeys(p: {
  surname: string;
  givenNames: string;
  birthDate: string;
  email: string;
  phone: string;
}): { ok: true; keys: PersonKeys } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (nameTokens(p.surname).length === 0) errors.surname = 'errors.required';
  const ek = emailKey(p.email);
  if (!ek) errors.email = 'errors.email_invalid';
  const pk = normalizePhone(p.phone);
  if (!pk) errors.phone = 'appointments.error_phone';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(p.birthDate)) errors.birth_date = 'appointments.error_date';
  if (Object.keys(errors).length || !ek || !pk) return { ok: false, errors };
  return { ok: true, keys: { identityKey: identityKey(p.surname, p.givenNames, p.birthDate), emailKey: ek, phoneKey: pk } };
}
