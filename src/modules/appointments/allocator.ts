// The draw's allocator. Pure and deterministic: the same requests, seats and seed always give
// the same ranking and allocation. Filing time is never an input.
//
// Order: urgency class (0 permit expired or expiring soon, 1 card ready, 2 others), then the
// no-show penalty (repeated no-shows rank after the others of their class), then the permit
// expiry date (earliest first, none last), then a lottery rank HMAC-SHA256(seed, pseudonymous
// id). Each request in that order takes the earliest free seat of its pool (site + counter type)
// on a weekday it can come.
import { createHash, randomBytes } from 'node:crypto';
import { hmacSha256, type HmacFn } from '../../shared/security/hmac';

export const URGENCY_CLASS = { expiring: 0, card_ready: 1, standard: 2 } as const;

export interface RankInput {
  /** Pseudonymous request id (published). */
  pid: string;
  /** Urgency class: 0, 1 or 2. */
  cls: number;
  /** Permit expiry 'YYYY-MM-DD' or null. */
  exp: string | null;
  /** 1: repeated no-shows, ranked after the others of the same class. */
  pen: number;
}

export interface AllocRequest extends RankInput {
  /** Which seats can serve it: `${siteId}:${counterType}`. */
  pool: string;
  /** ISO weekdays (1 = Monday) the person cannot come. */
  unavailable: readonly number[];
}

export interface AllocSeat {
  slotId: string;
  seat: number;
  pool: string;
  /** Start, epoch milliseconds. */
  startsAt: number;
  /** ISO weekday of the slot's local date. */
  weekday: number;
}

export interface Allocation {
  pid: string;
  slotId: string;
  seat: number;
}

export interface AllocationResult {
  /** Every request's pseudonymous id, in draw order. */
  ranked: string[];
  allocations: Allocation[];
}

/** A fresh 32-byte seed, hex. */
export function newSeed(): string {
  return randomBytes(32).toString('hex');
}

/** The public commitment to a seed: SHA-256 of its 32 bytes, hex. */
export function seedCommitment(seedHex: string): string {
  return createHash('sha256').update(Buffer.from(seedHex, 'hex')).digest('hex');
}

/** Pseudonymous ids under a secret: HMAC(secret, id) truncated; not reversible without the secret. */
export function pseudonymiser(secret: string): (requestId: string) => string {
  const mac = hmacSha256(secret);
  return (requestId) => mac(`appointment-request|${requestId}`, 'base64url').slice(0, 16);
}

/** Pseudonymous id of one request (see pseudonymiser). */
export function pseudonymousId(secret: string, requestId: string): string {
  return pseudonymiser(secret)(requestId);
}

function seedMac(seedHex: string | Buffer): HmacFn {
  return hmacSha256(typeof seedHex === 'string' ? Buffer.from(seedHex, 'hex') : seedHex);
}

/** Lottery rank of a request under a seed: HMAC-SHA256(seed, pid), hex; lower draws first. */
export function lotteryRank(seedHex: string | Buffer, pid: string): string {
  return seedMac(seedHex)(pid, 'hex');
}

// Expiry in the sort key: a date, or after every date when there is none.
const NO_EXPIRY = '~~~~~~~~~~';

/**
 * Draw order of the inputs under a seed (pseudonymous ids): urgency class, then penalty, then
 * permit expiry (none last), then lottery rank, then pseudonymous id. Each request gets one
 * fixed-width sort key holding these fields in that order, so one string comparison decides
 * (the lottery rank as its 32 bytes in latin1 ('binary'), which compare in the order of their hex form).
 */
export function rankRequests<T extends RankInput>(inputs: readonly T[], seedHex: string): T[] {
  if (!/^[0-9a-f]{64}$/.test(seedHex)) throw new Error('The seed must be 32 bytes in hex');
  const mac = seedMac(seedHex);
  const keyed = inputs.map((r) => {
    if (!Number.isInteger(r.cls) || r.cls < 0 || r.cls > 9 || (r.pen !== 0 && r.pen !== 1)) throw new Error('Bad class or penalty');
    if (r.exp !== null && !/^\d{4}-\d{2}-\d{2}$/.test(r.exp)) throw new Error('Bad expiry date');
    return { r, key: `${r.cls}${r.pen}${r.exp ?? NO_EXPIRY}${mac(r.pid, 'binary')}${r.pid}` };
  });
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.r);
}

/** Ranks the requests and gives each, in order, the earliest compatible free seat. */
export function allocate(requests: readonly AllocRequest[], seats: readonly AllocSeat[], seedHex: string): AllocationResult {
  // Per pool, one queue of seats per weekday, each sorted by time (then slot, seat), and the
  // number of seats left, so that requests of an exhausted pool are passed at once.
  const pools = new Map<string, { byWeekday: { list: AllocSeat[]; next: number }[]; left: number }>();
  const sorted = [...seats].sort((a, b) => a.startsAt - b.startsAt || (a.slotId < b.slotId ? -1 : a.slotId > b.slotId ? 1 : a.seat - b.seat));
  for (const s of sorted) {
    let pool = pools.get(s.pool);
    if (!pool) {
      pool = { byWeekday: Array.from({ length: 8 }, () => ({ list: [] as AllocSeat[], next: 0 })), left: 0 };
      pools.set(s.pool, pool);
    }
    const day = pool.byWeekday[s.weekday];
    if (!day) continue;
    day.list.push(s);
    pool.left++;
  }
  const ranked = rankRequests(requests, seedHex);
  const allocations: Allocation[] = [];
  for (const r of ranked) {
    const pool = pools.get(r.pool);
    if (!pool || pool.left === 0) continue;
    let best: { list: AllocSeat[]; next: number } | null = null;
    let bestStart = Infinity;
    for (let wd = 1; wd <= 7; wd++) {
      const cand = pool.byWeekday[wd] as { list: AllocSeat[]; next: number };
      if (cand.next >= cand.list.length) continue;
      const start = (cand.list[cand.next] as AllocSeat).startsAt;
      if (start < bestStart && !r.unavailable.includes(wd)) {
        best = cand;
        bestStart = start;
      }
    }
    if (!best) continue;
    const seat = best.list[best.next] as AllocSeat;
    best.next++;
    pool.left--;
    allocations.push({ pid: r.pid, slotId: seat.slotId, seat: seat.seat });
  }
  return { ranked: ranked.map((r) => r.pid), allocations };
}

/** Recomputes a revealed draw's ranking; the index of the first difference, or -1 if identical. */
export function firstRankingDifference(inputs: readonly RankInput[], seedHex: string, stored: readonly string[]): number {
  const expected = rankRequests(inputs, seedHex).map((r) => r.pid);
  const n = Math.max(expected.length, stored.length);
  for (let i = 0; i < n; i++) if (expected[i] !== stored[i]) return i;
  return -1;
}

/** Urgency class of a request on the draw day. */
export function urgencyClass(
  r: { urgency: 'expiring' | 'card_ready' | 'standard'; permitExpiresOn: string | null },
  drawDate: string,
  urgentWithinDays: number,
): number {
  if (r.urgency === 'expiring') return URGENCY_CLASS.expiring;
  if (r.permitExpiresOn) {
    const limit = new Date(Date.parse(`${drawDate}T00:00:00Z`) + urgentWithinDays * 86_400_000).toISOString().slice(0, 10);
    if (r.permitExpiresOn <= limit) return URGENCY_CLASS.expiring;
  }
  return URGENCY_CLASS[r.urgency];
}
