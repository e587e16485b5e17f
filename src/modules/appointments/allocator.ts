// The draw's allocator. Pure and deterministic: the same requests, seats and seed always give
// the same ranking and allocation. Filing time is never an input.
//
// Order: urgency class (0 permit expired or expiring soon, 1 card ready, 2 others), then the
// no-show penalty (repeated no-shows rank after the others of their class), then the permit
// expiry date (earliest first, none last), then a lottery rank HMAC-SHA256(seed, pseudonymous
// id). Each request in that order takes the earliest free seat of its pool (site + counter type)
// on a weekday it can come.
import { createHash, createHmac, randomBytes, type KeyObject } from 'node:crypto';

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

/** Pseudonymous id of a request: HMAC(secret, id) truncated; not reversible without the secret. */
export function pseudonymousId(secret: string | KeyObject, requestId: string): string {
  return createHmac('sha256', secret).update(`appointment-request|${requestId}`).digest('base64url').slice(0, 16);
}

/** Lottery rank of a request under a seed (hex; lower draws first). */
export function lotteryRank(seedHex: string | Buffer, pid: string): string {
  return createHmac('sha256', typeof seedHex === 'string' ? Buffer.from(seedHex, 'hex') : seedHex).update(pid).digest('hex');
}

/** Draw order of the inputs under a seed (pseudonymous ids). */
export function rankRequests<T extends RankInput>(inputs: readonly T[], seedHex: string): T[] {
  if (!/^[0-9a-f]{64}$/.test(seedHex)) throw new Error('The seed must be 32 bytes in hex');
  const seed = Buffer.from(seedHex, 'hex');
  const keyed = inputs.map((r) => ({ r, lot: lotteryRank(seed, r.pid) }));
  keyed.sort((a, b) => {
    if (a.r.cls !== b.r.cls) return a.r.cls - b.r.cls;
    if (a.r.pen !== b.r.pen) return a.r.pen - b.r.pen;
    if (a.r.exp !== b.r.exp) {
      if (a.r.exp === null) return 1;
      if (b.r.exp === null) return -1;
      return a.r.exp < b.r.exp ? -1 : 1;
    }
    if (a.lot !== b.lot) return a.lot < b.lot ? -1 : 1;
    return a.r.pid < b.r.pid ? -1 : a.r.pid > b.r.pid ? 1 : 0;
  });
  return keyed.map((k) => k.r);
}

/** Ranks the requests and gives each, in order, the earliest compatible free seat. */
export function allocate(requests: readonly AllocRequest[], seats: readonly AllocSeat[], seedHex: string): AllocationResult {
  // Per pool, one queue of seats per weekday, each sorted by time (then slot, seat).
  const queues = new Map<string, { list: AllocSeat[]; next: number }[]>();
  const sorted = [...seats].sort((a, b) => a.startsAt - b.startsAt || (a.slotId < b.slotId ? -1 : a.slotId > b.slotId ? 1 : a.seat - b.seat));
  for (const s of sorted) {
    let q = queues.get(s.pool);
    if (!q) {
      q = Array.from({ length: 8 }, () => ({ list: [] as AllocSeat[], next: 0 }));
      queues.set(s.pool, q);
    }
    q[s.weekday]?.list.push(s);
  }
  const ranked = rankRequests(requests, seedHex);
  const allocations: Allocation[] = [];
  for (const r of ranked) {
    const q = queues.get(r.pool);
    if (!q) continue;
    let best: { list: AllocSeat[]; next: number } | null = null;
    for (let wd = 1; wd <= 7; wd++) {
      if (r.unavailable.includes(wd)) continue;
      const cand = q[wd];
      if (!cand || cand.next >= cand.list.length) continue;
      const head = cand.list[cand.next] as AllocSeat;
      if (!best || head.startsAt < (best.list[best.next] as AllocSeat).startsAt) best = cand;
    }
    if (!best) continue;
    const seat = best.list[best.next] as AllocSeat;
    best.next++;
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
