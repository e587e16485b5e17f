import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  allocate,
  firstRankingDifference,
  lotteryRank,
  pseudonymousId,
  rankRequests,
  seedCommitment,
  urgencyClass,
  type AllocRequest,
  type AllocSeat,
} from '../../src/modules/appointments/allocator';

const seedOf = (i: number) => createHash('sha256').update(`test-seed-${i}`).digest('hex');
const DAY = 86_400_000;
const MONDAY = Date.parse('2030-01-07T09:00:00Z');

function req(pid: string, extra: Partial<AllocRequest> = {}): AllocRequest {
  return { pid, pool: 'p', cls: 2, exp: null, pen: 0, unavailable: [], ...extra };
}
function seatsOn(days: number[], perDay = 1, pool = 'p'): AllocSeat[] {
  return days.flatMap((d) =>
    Array.from({ length: perDay }, (_, i) => ({ slotId: `slot-${d}`, seat: i + 1, pool, startsAt: MONDAY + (d - 1) * DAY, weekday: ((d - 1) % 7) + 1 })),
  );
}

test('ranking: urgency class first, then no-show penalty, then permit expiry, then lottery', () => {
  const inputs = [
    req('standard-a'),
    req('standard-b', { exp: '2031-01-01' }),
    req('card', { cls: 1 }),
    req('expiring-late', { cls: 0, exp: '2030-02-01' }),
    req('expiring-soon', { cls: 0, exp: '2030-01-10' }),
    req('expiring-noshow', { cls: 0, exp: '2030-01-01', pen: 1 }),
  ];
  const order = rankRequests(inputs, seedOf(1)).map((r) => r.pid);
  assert.deepEqual(order.slice(0, 5), ['expiring-soon', 'expiring-late', 'expiring-noshow', 'card', 'standard-b']);
  assert.equal(order[5], 'standard-a');
  // Within equal keys, the lottery rank HMAC(seed, pid) decides.
  const ties = ['a', 'b', 'c', 'd', 'e'].map((p) => req(p));
  const byLot = [...ties].sort((x, y) => (lotteryRank(seedOf(2), x.pid) < lotteryRank(seedOf(2), y.pid) ? -1 : 1)).map((r) => r.pid);
  assert.deepEqual(rankRequests(ties, seedOf(2)).map((r) => r.pid), byLot);
});

test('deterministic: same inputs and seed give the same allocation whatever the input order; another seed differs', () => {
  const requests = Array.from({ length: 40 }, (_, i) => req(`r${i}`, { unavailable: i % 5 === 0 ? [1, 2] : [] }));
  const seats = seatsOn([1, 2, 3, 4, 5, 8, 9], 2);
  const a = allocate(requests, seats, seedOf(7));
  const b = allocate([...requests].reverse(), [...seats].reverse(), seedOf(7));
  assert.deepEqual(a, b);
  assert.equal(a.allocations.length, 14);
  assert.notDeepEqual(allocate(requests, seats, seedOf(8)).ranked, a.ranked);
});

test('each request gets the earliest free seat on a weekday it can come, in its pool', () => {
  const requests = [req('x', { cls: 0, unavailable: [1] }), req('y', { cls: 1 }), req('z', { pool: 'other' })];
  const seats = [...seatsOn([1, 2, 3]), ...seatsOn([5], 1, 'other')];
  const res = allocate(requests, seats, seedOf(3));
  assert.deepEqual(res.allocations, [
    { pid: 'x', slotId: 'slot-2', seat: 1 },
    { pid: 'y', slotId: 'slot-1', seat: 1 },
    { pid: 'z', slotId: 'slot-5', seat: 1 },
  ]);
  // Nobody gets a seat on a weekday they said they cannot come.
  const res2 = allocate([req('only-mondays-off', { unavailable: [1, 2, 3] })], seatsOn([1, 2, 3]), seedOf(3));
  assert.deepEqual(res2.allocations, []);
});

test('verification finds the first changed rank; the commitment is SHA-256 of the seed bytes', () => {
  const inputs = Array.from({ length: 20 }, (_, i) => ({ pid: `p${i}`, cls: i % 3, exp: null, pen: 0 }));
  const ranked = rankRequests(inputs, seedOf(5)).map((r) => r.pid);
  assert.equal(firstRankingDifference(inputs, seedOf(5), ranked), -1);
  const tampered = [...ranked];
  [tampered[3], tampered[9]] = [tampered[9] as string, tampered[3] as string];
  assert.equal(firstRankingDifference(inputs, seedOf(5), tampered), 3);
  assert.equal(seedCommitment('00'.repeat(32)), createHash('sha256').update(Buffer.alloc(32)).digest('hex'));
  assert.notEqual(pseudonymousId('k', 'a'), pseudonymousId('k', 'b'));
  assert.equal(pseudonymousId('k', 'a').length, 16);
});

test('urgency class: expired or expiring within the window on the draw day', () => {
  assert.equal(urgencyClass({ urgency: 'standard', permitExpiresOn: '2030-01-20' }, '2030-01-01', 30), 0);
  assert.equal(urgencyClass({ urgency: 'standard', permitExpiresOn: '2029-12-01' }, '2030-01-01', 30), 0);
  assert.equal(urgencyClass({ urgency: 'standard', permitExpiresOn: '2030-03-20' }, '2030-01-01', 30), 2);
  assert.equal(urgencyClass({ urgency: 'card_ready', permitExpiresOn: null }, '2030-01-01', 30), 1);
});

test('statistics: among equal urgency and expiry, filing order does not change the odds (2,000 draws, 10 requests, 3 seats)', () => {
  const DRAWS = 2000;
  // Requests in filing order: ids as a database would give them, first filed first.
  const requests = Array.from({ length: 10 }, (_, i) => req(pseudonymousId('secret', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)));
  const seats = seatsOn([1, 2, 3]);
  const wins = new Array<number>(10).fill(0);
  for (let d = 0; d < DRAWS; d++) {
    for (const a of allocate(requests, seats, seedOf(1000 + d)).allocations) wins[requests.findIndex((r) => r.pid === a.pid)]!++;
  }
  const p = 0.3;
  const expected = DRAWS * p;
  // Each count is Binomial(2000, 0.3); with the sum fixed, Σ (o − e)² / (e(1 − p)) follows χ² with 9 degrees of freedom.
  const chi2 = wins.reduce((s, o) => s + (o - expected) ** 2 / (expected * (1 - p)), 0);
  assert.ok(chi2 < 27.88, `χ² = ${chi2.toFixed(2)} ≥ 27.88 (p = 0.001): ${wins.join(', ')}`);
  for (const w of wins) assert.ok(Math.abs(w / DRAWS - p) < 0.05, `win frequency ${w / DRAWS}`);
  // First filed vs last filed: no difference beyond 4 standard deviations (sd of the difference ≈ 30.5).
  assert.ok(Math.abs((wins[0] as number) - (wins[9] as number)) < 122, `first ${wins[0]} vs last ${wins[9]}`);
});
