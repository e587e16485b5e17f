// Abuse resistance, pure part: network prefixes, disposable e-mail domains and the review
// decision from risk signals. A shared IP address alone never refuses or flags anyone
// (cybercafés, associations, NAT): it is a weak signal that counts only with another one.
import type { RiskKind } from './front-tables';
import { DISPOSABLE_DOMAINS } from './abuse-data';

/** IPv4 → its /24 ('192.0.2.0/24'), IPv6 → its /48; IPv4-mapped IPv6 is read as IPv4. */
export function ipPrefix(ip: string | undefined | null): string | null {
  if (!ip) return null;
  let s = ip.trim().toLowerCase();
  if (s.startsWith('::ffff:') && s.includes('.')) s = s.slice(7);
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const parts = v4.slice(1, 4).map(Number);
    if (parts.some((p) => p > 255)) return null;
    return `${parts.join('.')}.0/24`;
  }
  if (!s.includes(':')) return null;
  const [head = '', tail = ''] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = s.includes('::') ? [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return `${groups
    .slice(0, 3)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/48`;
}

export function emailDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? '' : email.slice(at + 1).trim().toLowerCase().replace(/\.$/, '');
}

export function isDisposableEmail(email: string): boolean {
  const domain = emailDomain(email);
  if (!domain) return false;
  // sub.domain of a listed domain counts too.
  return DISPOSABLE_DOMAINS.has(domain) || [...DISPOSABLE_DOMAINS].some((d) => domain.endsWith(`.${d}`));
}

/** Signals strong enough alone to hold a request for staff review. */
export const STRONG_SIGNALS: ReadonlySet<RiskKind> = new Set<RiskKind>(['device_cluster', 'account_cluster', 'disposable_email', 'previous_mismatch', 'no_pow']);
/** Weak signals: two of them together hold a request. */
export const WEAK_SIGNALS: ReadonlySet<RiskKind> = new Set<RiskKind>(['ip_cluster', 'new_account']);

export const THRESHOLDS = {
  /** Other identities filed from the same /24 (or /48) within 24 h. */
  ipOtherIdentities: 5,
  /** Other identities filed from the same device cookie within 24 h. */
  deviceOtherIdentities: 2,
  /** Other identities filed by the same account within 24 h. */
  accountOtherIdentities: 2,
  /** An account younger than this is "new". */
  newAccountHours: 24,
} as const;

/** Whether signals hold the request for staff review (it then stays out of draws until approved). */
export function needsReview(signals: readonly RiskKind[]): boolean {
  if (signals.some((s) => STRONG_SIGNALS.has(s))) return true;
  return new Set(signals.filter((s) => WEAK_SIGNALS.has(s))).size >= 2;
}
