import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attestationStatus } from '../../src/modules/verification/attestation-status';
import { CODE_ALPHABET, CODE_BITS, formatCode, newVerificationCode, normalizeCode, verifyUrl } from '../../src/modules/verification/code';

test('codes: 20 Crockford base32 characters (100 random bits), different every time, evenly spread', () => {
  assert.ok(CODE_BITS >= 80);
  const codes = Array.from({ length: 5000 }, () => newVerificationCode());
  assert.equal(new Set(codes).size, codes.length);
  for (const c of codes.slice(0, 200)) assert.match(c, /^[0-9A-HJKMNP-TV-Z]{20}$/);
  // Every symbol appears, none is favoured: 100,000 symbols over 32 → about 3,125 each.
  const counts = new Map<string, number>();
  for (const c of codes) for (const ch of c) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  assert.equal(counts.size, 32);
  for (const [ch, n] of counts) assert.ok(n > 2700 && n < 3550, `${ch}: ${n}`);
});

test('format and normalize: groups of four; any case, dashes, spaces; O→0, I/L→1; U and wrong lengths refused', () => {
  const code = '7MY0CXVDHDG2AH94PCJ5';
  assert.equal(formatCode(code), '7MY0-CXVD-HDG2-AH94-PCJ5');
  assert.equal(normalizeCode('7my0-cxvd-hdg2-ah94-pcj5'), code);
  assert.equal(normalizeCode(' 7MY0 CXVD HDG2 AH94 PCJ5 '), code);
  assert.equal(normalizeCode('7MYO–CXVD–HDG2–AH94–PCJ5'), code);
  assert.equal(normalizeCode('7MY0CXVDHDG2AH94PCJ5'.replace('0', 'o')), code);
  assert.equal(normalizeCode('ABCDEFGHIJKL0000000L'), 'ABCDEFGH1JK100000001');
  assert.equal(normalizeCode('7MY0CXVDHDG2AH94PCJU'), null);
  assert.equal(normalizeCode('7MY0CXVDHDG2AH94PCJ'), null);
  assert.equal(normalizeCode(''), null);
  assert.equal(normalizeCode('7MY0CXVDHDG2AH94PCJ5/../x'), null);
  for (const ch of CODE_ALPHABET) assert.equal(normalizeCode(ch.repeat(20)), ch.repeat(20));
  assert.equal(verifyUrl('https://sejour.example/', code), 'https://sejour.example/verifier/7MY0-CXVD-HDG2-AH94-PCJ5');
  // Given the printed form (the attestation de dépôt passes it so), the same address, not regrouped.
  assert.equal(verifyUrl('https://sejour.example/', '7MY0-CXVD-HDG2-AH94-PCJ5'), 'https://sejour.example/verifier/7MY0-CXVD-HDG2-AH94-PCJ5');
  assert.equal(formatCode('7MY0-CXVD-HDG2-AH94-PCJ5'), '7MY0-CXVD-HDG2-AH94-PCJ5');
});

test('status: valid, not yet valid, expired at valid_until, revoked wins', () => {
  const from = new Date('2026-01-01T00:00:00Z');
  const until = new Date('2026-04-01T00:00:00Z');
  const at = (iso: string) => new Date(iso);
  assert.equal(attestationStatus({ valid_from: from, valid_until: until, revoked_at: null }, at('2026-02-01T00:00:00Z')), 'valid');
  assert.equal(attestationStatus({ valid_from: from, valid_until: until, revoked_at: null }, at('2025-12-31T23:59:59Z')), 'not_yet_valid');
  assert.equal(attestationStatus({ valid_from: from, valid_until: until, revoked_at: null }, until), 'expired');
  assert.equal(attestationStatus({ valid_from: from, valid_until: null, revoked_at: null }, at('2030-01-01T00:00:00Z')), 'valid');
  assert.equal(attestationStatus({ valid_from: from, valid_until: until, revoked_at: at('2026-02-01T00:00:00Z') }, at('2026-03-01T00:00:00Z')), 'revoked');
  assert.equal(attestationStatus({ valid_from: from, valid_until: until, revoked_at: at('2026-02-01T00:00:00Z') }, at('2026-01-15T00:00:00Z')), 'valid');
});
