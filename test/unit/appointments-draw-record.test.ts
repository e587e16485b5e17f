import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { test } from 'node:test';
import { lotteryRank, pseudonymousId, rankRequests, type RankInput } from '../../src/modules/appointments/allocator';
import { decodeDrawInputs, decodeRanking, encodeDrawInputs, encodeRanking } from '../../src/modules/appointments/draw-record';
import { hmacSha256 } from '../../src/shared/security/hmac';

const seedOf = (i: number) => createHash('sha256').update(`record-seed-${i}`).digest('hex');

test('hmacSha256 gives the bytes of createHmac for short, block-sized and long keys and messages', () => {
  const keys = ['k', 'x'.repeat(64), 'y'.repeat(65), Buffer.alloc(32, 9), 'clé-été'];
  const messages = ['', 'a', 'appointment-request|00000000-0000-4000-8000-000000000000', 'é'.repeat(300), 'z'.repeat(1000), 'short again'];
  for (const key of keys) {
    const mac = hmacSha256(key);
    for (const m of messages) assert.equal(mac(m).toString('hex'), createHmac('sha256', key).update(m).digest('hex'), `${String(key)} / ${m.slice(0, 10)}`);
  }
});

test('pseudonymous ids and lottery ranks keep their published definitions (HMAC-SHA256)', () => {
  const id = '3f1c0c7e-2b52-4f0e-9a59-3c1d2a7b8e01';
  assert.equal(pseudonymousId('secret', id), createHmac('sha256', 'secret').update(`appointment-request|${id}`).digest('base64url').slice(0, 16));
  assert.equal(lotteryRank(seedOf(1), 'pid'), createHmac('sha256', Buffer.from(seedOf(1), 'hex')).update('pid').digest('hex'));
});

test('the ranking equals the published rule applied field by field, on random inputs', () => {
  // The rule as a draw:verify reader states it: class, penalty, expiry (none last), HMAC(seed, pid), pid.
  const reference = (inputs: RankInput[], seed: string) =>
    inputs
      .map((r) => ({ r, lot: createHmac('sha256', Buffer.from(seed, 'hex')).update(r.pid).digest('hex') }))
      .sort((a, b) => {
        if (a.r.cls !== b.r.cls) return a.r.cls - b.r.cls;
        if (a.r.pen !== b.r.pen) return a.r.pen - b.r.pen;
        if (a.r.exp !== b.r.exp) {
          if (a.r.exp === null) return 1;
          if (b.r.exp === null) return -1;
          return a.r.exp < b.r.exp ? -1 : 1;
        }
        return a.lot < b.lot ? -1 : a.lot > b.lot ? 1 : a.r.pid < b.r.pid ? -1 : 1;
      })
      .map((x) => x.r.pid);
  for (let round = 0; round < 5; round++) {
    const inputs: RankInput[] = Array.from({ length: 500 }, (_, i) => ({
      pid: pseudonymousId(`k${round}`, String(i)),
      cls: (i * 7 + round) % 3,
      pen: i % 11 === 0 ? 1 : 0,
      exp: i % 4 === 0 ? null : `2031-0${1 + (i % 9)}-1${i % 10}`,
    }));
    assert.deepEqual(rankRequests(inputs, seedOf(round)).map((r) => r.pid), reference(inputs, seedOf(round)));
  }
});

test('the published record round-trips as text and malformed lines are refused', () => {
  const inputs = [
    { pid: 'AAAAbbbbCCCCdd-_', cls: 0, exp: '2030-01-31', pen: 0 },
    { pid: 'ZZZZbbbbCCCCdd01', cls: 2, exp: null, pen: 1 },
  ];
  const text = encodeDrawInputs(inputs);
  assert.equal(text, 'AAAAbbbbCCCCdd-_ 0 2030-01-31 0\nZZZZbbbbCCCCdd01 2 - 1');
  assert.deepEqual(decodeDrawInputs(text), inputs);
  assert.deepEqual(decodeDrawInputs(''), []);
  assert.equal(decodeDrawInputs('pid 3 - 0'), null, 'no class 3');
  assert.equal(decodeDrawInputs('pid 1 31/01/2030 0'), null);
  assert.equal(decodeDrawInputs('pid 1 - 0\n'), null, 'no trailing empty line');
  assert.deepEqual(decodeRanking(encodeRanking(['a', 'b'])), ['a', 'b']);
  assert.deepEqual(decodeRanking(''), []);
  assert.equal(decodeRanking('a\nb c'), null);
});
